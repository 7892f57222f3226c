"""The milestones of tests/milestones/test_lists.py, in their urgency order, for the exports."""

from tests.milestones.test_lists import milestones  # noqa: F401
