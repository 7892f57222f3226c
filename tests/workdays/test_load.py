"""load_workdays fills the calendar from chinese-calendar and can be run again: a second run
writes nothing, the package's days come back as they were, and what the office edited or entered
is never overwritten."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from tasks.workdays.models import CalendarDay, WorkdaySource, WorkdayYear
from tasks.workdays.selectors import add_workdays, is_workday, known_years
from tasks.workdays.services import day_delete, day_save, workdays_load, year_enter
from tests.units.factories import make_user
from units.models import Role

pytestmark = pytest.mark.django_db

NATIONAL_DAY_2021 = (
    "国庆节：10月1日至7日放假调休，共7天。9月26日（星期日）、10月9日（星期六）上班。"
)


@pytest.fixture
def office(db: None):
    return make_user("wd_office", Role.OFFICE, None)


def test_every_year_the_package_knows_is_loaded_and_a_reload_writes_nothing(capsys) -> None:
    assert known_years() == list(range(2004, 2027))
    assert WorkdayYear.objects.filter(source=WorkdaySource.PACKAGE).count() == 23
    national_day = CalendarDay.objects.get(date=date(2021, 10, 1))
    assert (national_day.name, national_day.is_workday) == ("国庆节", False)
    saturday = CalendarDay.objects.get(date=date(2021, 10, 9))
    assert (saturday.name, saturday.is_workday) == ("国庆节", True)
    before = list(CalendarDay.objects.values_list("pk", "date", "is_workday", "name", "updated_at"))

    call_command("load_workdays")
    assert "新增 0 天，更新 0 天，删除 0 天" in capsys.readouterr().out
    after = list(CalendarDay.objects.values_list("pk", "date", "is_workday", "name", "updated_at"))
    assert after == before


def test_the_office_edit_survives_a_reload_and_the_package_day_comes_back(office) -> None:
    assert not CalendarDay.objects.filter(date=date(2021, 10, 8)).exists()  # a plain Friday
    day = CalendarDay(date=date(2021, 10, 8), is_workday=False, name="国庆节（本地延长）")
    day_save(actor=office, day=day)
    package_day = CalendarDay.objects.get(date=date(2021, 10, 9))
    CalendarDay.objects.filter(pk=package_day.pk).update(is_workday=False)  # behind its back
    changed = CalendarDay.objects.get(date=date(2021, 10, 7))
    changed.is_workday = True
    day_save(actor=office, day=changed)  # the office's change of a package day

    result = workdays_load(years=[2021])

    assert (result.counts["updated"], result.counts["kept"]) == (1, 2)
    assert CalendarDay.objects.get(date=date(2021, 10, 8)).source == WorkdaySource.OFFICE
    assert not is_workday(date(2021, 10, 8)) and is_workday(date(2021, 10, 7))
    assert is_workday(date(2021, 10, 9))  # the package's day as the package says
    assert CalendarDay.objects.get(date=date(2021, 10, 7)).source == WorkdaySource.OFFICE


def test_a_year_the_office_entered_is_left_alone_by_a_reload(office) -> None:
    year_enter(actor=office, year=2021, text=NATIONAL_DAY_2021, replace=True)
    assert WorkdayYear.objects.get(year=2021).source == WorkdaySource.OFFICE
    result = workdays_load(years=[2020, 2021])
    assert result.office_years == [2021] and result.years == [2020]
    assert CalendarDay.objects.filter(date__year=2021).count() == 9  # the notice's days only
    assert is_workday(date(2021, 2, 11))  # the package's 春节 is gone with the office's notice


def test_a_year_the_package_does_not_know_is_refused_with_nothing_written(capsys) -> None:
    with pytest.raises(CommandError) as excinfo:
        call_command("load_workdays", years="2026-2027")
    assert "载入失败，数据库未作任何修改" in str(excinfo.value)
    assert "chinese-calendar 1.11.0 只包含 2004–2026 年的放假安排，没有 2027 年" in str(
        excinfo.value
    )
    assert not WorkdayYear.objects.filter(year=2027).exists()
    with pytest.raises(CommandError, match="--years 应为年份或年份区间"):
        call_command("load_workdays", years="二〇二六")


def test_a_missing_year_once_entered_counts_at_once(office) -> None:
    year_enter(
        actor=office,
        year=2027,
        text="元旦：1月1日（周五）至3日（周日）放假，共3天。",
        note="国办发明电〔2026〕1号",
    )
    assert add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert WorkdayYear.objects.get(year=2027).note == "国办发明电〔2026〕1号"


def test_only_the_office_edits_the_calendar(office) -> None:
    reporter = make_user("wd_reporter")
    day = CalendarDay(date=date(2021, 10, 8), is_workday=False)
    with pytest.raises(NotPermittedError, match="只有领导小组办公室可以修改工作日安排"):
        day_save(actor=reporter, day=day)
    with pytest.raises(NotPermittedError):
        year_enter(actor=reporter, year=2027, text=NATIONAL_DAY_2021)
    with pytest.raises(ApplicationError, match="2030年的工作日安排尚未录入"):
        day_save(actor=office, day=CalendarDay(date=date(2030, 5, 6), is_workday=False))
    with pytest.raises(ApplicationError, match="软件包载入的日期不能删除"):
        day_delete(actor=office, day=CalendarDay.objects.get(date=date(2021, 10, 1)))
