"""The error pages and the navigation bar in a real browser, on a 1366-pixel desktop and a
390-pixel phone, photographed to test-artifacts/: the office's menu (the longest) leaves the
user's name whole, the menu opens on a phone, the 404 and 500 pages show in the site's layout."""

import pytest

from tests.e2e.browser import DESKTOP, PHONE, log_in
from units.models import Role, User

from ..conftest import make_user

GGZY = "市公共资源交易管理局"  # the plan's longest unit name
CJK = """document.fonts.check('16px "Noto Sans CJK SC"', '页面不存在系统出错了')"""


def person(
    username: str, role: str, last_name: str, first_name: str, unit: str | None = None
) -> User:
    user = make_user(username, role, unit)
    user.last_name, user.first_name = last_name, first_name
    user.is_staff = role == Role.ADMIN  # as units.services.user_create sets it: 管理后台 too
    user.save()
    return user


def name_is_whole(page) -> bool:
    """The name is shown, not clipped by its box nor by the window."""
    return page.evaluate(
        """() => {
          const el = document.querySelector('.app-user-name');
          const box = el.getBoundingClientRect();
          return box.width > 0 && el.scrollWidth <= Math.ceil(box.width)
            && box.left >= 0 && box.right <= document.documentElement.clientWidth;
        }"""
    )


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


@pytest.mark.parametrize(
    ("username", "role", "last_name", "first_name", "unit"),
    [
        ("office_e2e", Role.OFFICE, "欧阳", "晓明", None),
        ("admin_e2e", Role.ADMIN, "司马", "文静", None),  # the office's menu and 管理后台
        ("admin_long", Role.ADMIN, "领导小组办公室", "系统管理员张", None),  # never cut
        # The longest unit name, with a name like the demo data's placeholder accounts.
        ("ggzy_e2e", Role.REPORTER, "", f"{GGZY}填报员（演示）", GGZY),
    ],
)
def test_the_longest_menu_leaves_the_users_name_whole_on_a_desktop(
    chromium, live_plan, shot, username, role, last_name, first_name, unit
) -> None:
    user = person(username, role, last_name, first_name, unit)
    page = chromium.new_page(viewport=DESKTOP)
    log_in(page, live_plan.url, username)
    assert page.inner_text(".app-user-name") == user.display_name
    assert page.locator("nav >> text=接口文档").is_visible() is (role != Role.REPORTER)
    assert name_is_whole(page) and no_sideways_scroll(page)
    logout = page.locator("nav button", has_text="退出").bounding_box()
    assert logout["x"] + logout["width"] <= DESKTOP["width"]
    if username != "admin_long":  # the usual names: the bar keeps to one line
        assert page.locator(".app-navbar").bounding_box()["height"] < 70
    shot(page, f"errors-nav-{username}-desktop")
    page.close()


def test_the_office_menu_opens_on_a_phone(chromium, live_plan, shot) -> None:
    person("office_e2e", Role.OFFICE, "欧阳", "晓明")
    page = chromium.new_page(viewport=PHONE)
    log_in(page, live_plan.url, "office_e2e")
    assert not page.locator("nav >> text=接口文档").is_visible()  # folded away
    page.click(".navbar-toggler")
    page.wait_for_selector("#nav.show")
    page.wait_for_timeout(400)  # the collapse animation
    assert page.locator("nav >> text=接口文档").is_visible()
    assert page.locator("nav button", has_text="退出").is_visible()
    assert name_is_whole(page) and no_sideways_scroll(page)
    shot(page, "errors-nav-office-phone")
    page.close()


@pytest.mark.parametrize(("tag", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_a_missing_page_and_a_crash_show_chinese_pages_in_the_sites_layout(
    chromium, live_plan, shot, settings, tag, viewport
) -> None:
    settings.ROOT_URLCONF = "tests.error_urls"  # the project's URLs and a view that fails
    person("office_e2e", Role.OFFICE, "欧阳", "晓明")
    page = chromium.new_page(viewport=viewport)
    log_in(page, live_plan.url, "office_e2e")
    page.wait_for_url("**/dashboard/")  # the office lands on 总览

    response = page.goto(f"{live_plan.url}/plan/no-such-page/")
    assert response.status == 404
    assert page.inner_text("h1").strip() == "页面不存在"
    assert page.evaluate(CJK) and no_sideways_scroll(page)
    assert page.locator(".app-navbar").is_visible()
    shot(page, f"errors-404-{tag}")
    page.click("text=返回首页")
    page.wait_for_url("**/dashboard/")

    response = page.goto(f"{live_plan.url}/test-errors/crash/")
    assert response.status == 500
    assert page.inner_text("h1").strip() == "系统出错了，请稍后再试"
    assert page.evaluate(CJK) and no_sideways_scroll(page)
    assert page.locator(".app-user").count() == 0  # no request, no user, no query
    shot(page, f"errors-500-{tag}")
    page.close()
