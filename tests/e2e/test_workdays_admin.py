"""The working-day calendar in the admin, in a real browser: the known years, the National Day
week of 2021 with its 调休 Saturday, and a new year entered by pasting the State Council's notice;
photographed on a desktop and on a 390-pixel phone (test-artifacts/)."""

import pytest
from django.test import override_settings

from tests.e2e.browser import DESKTOP, PHONE
from tests.units.factories import make_user
from units.models import Role

NOTICE = """国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日至11日放假调休，共7天。2月14日（周日）上班。"""


@pytest.mark.parametrize(("tag", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
@override_settings(SUPERVISION_TODAY="2026-11-30")
def test_the_office_reads_and_extends_the_calendar_in_the_admin(
    chromium, live_plan, shot, tag, viewport
):
    admin = make_user("wd_admin_e2e", Role.ADMIN, None)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    page = chromium.new_page(viewport=viewport)
    url = live_plan.url
    page.goto(f"{url}/admin/login/?next=/admin/tasks/workdayyear/")
    page.fill("#id_username", "wd_admin_e2e")
    page.fill("#id_password", "pw-for-tests-1")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/tasks/workdayyear/")
    body = page.inner_text("body")
    assert "2027年的工作日安排尚未录入" in body and "2026年" in body
    shot(page, f"workdays-years-{tag}")

    page.goto(f"{url}/admin/tasks/calendarday/?date__year=2021&date__month=10")
    assert "调休上班" in page.inner_text("#result_list")
    shot(page, f"workdays-days-2021-10-{tag}")

    page.goto(f"{url}/admin/tasks/workdayyear/add/")
    page.fill("#id_note", "国办发明电〔2026〕1号")
    page.fill("#id_text", NOTICE)
    shot(page, f"workdays-enter-{tag}")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/tasks/calendarday/?date__year=2027")
    assert "已录入2027年的工作日安排：放假 10 天，调休上班 1 天。" in page.inner_text("body")
    shot(page, f"workdays-entered-2027-{tag}")
    page.close()
