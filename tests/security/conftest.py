"""The browser test of the Content Security Policy uses the e2e fixtures (Chromium, a live
server with the plan, screenshots)."""

from tests.e2e.conftest import chromium, live_plan, shot  # noqa: F401
