"""What the browser tests share: the two screen sizes they look at and logging in."""

from typing import Any

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
PASSWORD = "pw-for-tests-1"  # tests/units/factories.py make_user's


def log_in(page: Any, url: str, username: str) -> None:
    """Log in on the login page and wait until it has been left."""
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda address: "/accounts/login/" not in address)


def new_page_logged_in(chromium: Any, url: str, username: str) -> Any:
    """A new desktop-sized page of the browser, logged in as ``username``."""
    page = chromium.new_page(viewport=DESKTOP, locale="zh-CN")
    log_in(page, url, username)
    return page


# Content Security Policy violations, as the page sees them (add_init_script(WATCH) first).
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  [e.violatedDirective, e.blockedURI || 'inline', (e.sourceFile || '') + ':' + e.lineNumber]
    .join(' ')
));
"""


def visit(page: Any, url: str, paths: list[str]) -> dict[str, list[str]]:
    """Each page's CSP violations (the event) and console complaints about the policy."""
    found: dict[str, list[str]] = {}
    for path in paths:
        console: list[str] = []

        def handler(message: Any, console: list[str] = console) -> None:
            if "Content Security Policy" in message.text:
                console.append(message.text)

        page.on("console", handler)
        response = page.goto(url + path)
        assert response is not None and response.status < 500, path
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("window.__csp || []") + console
        page.remove_listener("console", handler)
        if violations:
            found[path] = violations
    return found
