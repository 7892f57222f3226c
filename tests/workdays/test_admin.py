"""The calendar in the admin, in Chinese: the known years with their counts (and a warning for
the current or next year when missing), a new year entered by pasting the State Council's
notice, a day edited by the office (then never overwritten by a reload)."""

from datetime import date

import pytest
from django.test import Client, override_settings

from tasks.workdays.models import CalendarDay, WorkdaySource, WorkdayYear
from tasks.workdays.selectors import add_workdays
from tests.units.factories import make_user
from units.models import Role

pytestmark = pytest.mark.django_db
YEARS = "/admin/tasks/workdayyear/"
DAYS = "/admin/tasks/calendarday/"
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日至11日放假调休，共7天。2月14日（周日）上班。"""


@pytest.fixture
def admin_client(db: None) -> Client:
    user = make_user("wd_admin", Role.ADMIN, None)
    user.is_staff = user.is_superuser = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


@override_settings(SUPERVISION_TODAY="2026-11-30")
def test_the_years_list_shows_the_known_years_and_warns_of_the_next(admin_client) -> None:
    html = admin_client.get(YEARS).content.decode()
    assert "2026年" in html and "2004年" in html and "chinese-calendar 软件包" in html
    assert "2027年的工作日安排尚未录入，请管理员在后台录入国务院办公厅公布的放假安排。" in html
    assert f'href="{DAYS}?date__year=2021"' in html
    assert (
        "删除"
        not in admin_client.get(
            f"{YEARS}{WorkdayYear.objects.get(year=2021).pk}/change/"
        ).content.decode()
    )


def test_the_days_of_a_year_are_listed_with_their_weekday_and_arrangement(admin_client) -> None:
    html = admin_client.get(DAYS, {"date__year": 2021, "date__month": 10}).content.decode()
    assert "星期六" in html and "调休上班" in html and "国庆节" in html and "放假" in html


@override_settings(SUPERVISION_TODAY="2026-11-30")
def test_the_office_enters_a_new_year_by_pasting_the_notice(admin_client) -> None:
    page = admin_client.get(f"{YEARS}add/").content.decode()
    assert "录入年度工作日安排" in page and 'value="2027"' in page
    response = admin_client.post(
        f"{YEARS}add/", {"year": 2027, "note": "国办发明电〔2026〕1号", "text": NOTICE_2027}
    )
    assert response.status_code == 302 and response["Location"] == f"{DAYS}?date__year=2027"
    assert (
        "已录入2027年的工作日安排：放假 10 天，调休上班 1 天。"
        in admin_client.get(response["Location"]).content.decode()
    )
    assert WorkdayYear.objects.get(year=2027).source == WorkdaySource.OFFICE
    assert add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)
    again = admin_client.post(f"{YEARS}add/", {"year": 2027, "text": NOTICE_2027})
    assert (
        again.status_code == 200
        and "如要以这份通知替换，请勾选“替换已有安排”" in again.content.decode()
    )


def test_a_notice_that_cannot_be_read_is_shown_on_the_form(admin_client) -> None:
    response = admin_client.post(f"{YEARS}add/", {"year": 2027, "text": "春节：2月30日放假。"})
    html = response.content.decode()
    assert response.status_code == 200 and "“春节”：“2月30日”不是有效的日期" in html
    assert not WorkdayYear.objects.filter(year=2027).exists()


def test_a_day_edited_in_the_admin_becomes_the_offices(admin_client) -> None:
    day = CalendarDay.objects.get(date=date(2021, 10, 7))
    assert "删除" not in admin_client.get(f"{DAYS}{day.pk}/change/").content.decode()
    response = admin_client.post(
        f"{DAYS}{day.pk}/change/", {"date": "2021-10-07", "is_workday": "on", "name": "国庆节"}
    )
    assert response.status_code == 302
    day.refresh_from_db()
    assert day.is_workday and day.source == WorkdaySource.OFFICE
    refused = admin_client.post(f"{DAYS}add/", {"date": "2030-05-06", "name": "劳动节"})
    assert "2030年的工作日安排尚未录入" in refused.content.decode()
