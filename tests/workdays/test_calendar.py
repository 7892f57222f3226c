"""The working-day calendar (工作日) as the deadlines read it: the State Council's holidays and
their 调休 weekend working days, loaded from chinese-calendar; a year not known is reported as
missing, never guessed; a due date costs one query however many days it spans."""

from datetime import date, timedelta

import chinese_calendar
import pytest
from django.test import override_settings

from tasks.models import Plan, ReportingPeriod
from tasks.reporting.services import periods_ensure, quarter_dates
from tasks.workdays.selectors import (
    WorkdayYearMissing,
    add_workdays,
    is_workday,
    next_workday,
    workdays_between,
)

pytestmark = pytest.mark.django_db
MISSING_2027 = "2027年的工作日安排尚未录入，请管理员在后台录入国务院办公厅公布的放假安排。"


def test_the_national_day_week_rests_and_its_saturday_works() -> None:
    """2021: 10-01..07 国庆节; 09-26 (Sunday) and 10-09 (Saturday) are 调休 working days."""
    assert all(not is_workday(date(2021, 10, d)) for d in range(1, 8))
    assert is_workday(date(2021, 9, 26)) and is_workday(date(2021, 10, 9))
    assert is_workday(date(2021, 10, 8)) and not is_workday(date(2021, 10, 10))
    assert add_workdays(date(2021, 9, 30), 1) == date(2021, 10, 8)
    assert add_workdays(date(2021, 9, 30), 2) == date(2021, 10, 9)  # the 调休 Saturday counts
    assert add_workdays(date(2021, 9, 30), 5) == date(2021, 10, 13)
    assert next_workday(date(2021, 10, 1)) == date(2021, 10, 8)
    assert next_workday(date(2021, 10, 9)) == date(2021, 10, 9)  # a working day is its own
    assert workdays_between(date(2021, 9, 30), date(2021, 10, 13)) == 5
    assert workdays_between(date(2021, 10, 13), date(2021, 9, 30)) == -5


def test_new_years_day_is_not_a_working_day() -> None:
    assert not is_workday(date(2024, 1, 1))
    assert add_workdays(date(2023, 12, 29), 1) == date(2024, 1, 2)
    assert add_workdays(date(2023, 12, 31), 5) == date(2024, 1, 8)
    assert add_workdays(date(2023, 12, 31), 0) == date(2023, 12, 31)


def test_the_spring_festival_week_and_its_weekend_working_days() -> None:
    """2023: 01-21..27 春节; Saturday 01-28 and Sunday 01-29 are working days."""
    assert not any(is_workday(date(2023, 1, d)) for d in range(21, 28))
    assert is_workday(date(2023, 1, 28)) and is_workday(date(2023, 1, 29))
    assert add_workdays(date(2023, 1, 20), 1) == date(2023, 1, 28)
    assert add_workdays(date(2023, 1, 20), 3) == date(2023, 1, 30)
    assert workdays_between(date(2023, 1, 20), date(2023, 1, 31)) == 4
    assert next_workday(date(2023, 1, 21)) == date(2023, 1, 28)


def test_the_calendar_agrees_with_the_package_on_every_day_it_knows() -> None:
    first, last = date(2004, 1, 1), date(2026, 12, 31)
    expected = sum(
        chinese_calendar.is_workday(first + timedelta(days=i))
        for i in range((last - first).days + 1)
    )
    assert workdays_between(first - timedelta(days=1), last) == expected


def test_a_missing_year_is_reported_never_guessed() -> None:
    with pytest.raises(WorkdayYearMissing) as excinfo:
        is_workday(date(2027, 1, 4))
    assert excinfo.value.message == MISSING_2027 and excinfo.value.year == 2027
    # a computation that stays inside the known years still answers
    assert add_workdays(date(2026, 12, 20), 5) == date(2026, 12, 25)
    for reach_2027 in (
        lambda: add_workdays(date(2026, 12, 25), 5),
        lambda: next_workday(date(2027, 1, 1)),
        lambda: workdays_between(date(2026, 12, 1), date(2027, 1, 10)),
        lambda: quarter_dates(2026, 4),
    ):
        with pytest.raises(WorkdayYearMissing, match=MISSING_2027):
            reach_2027()


def test_periods_ensure_says_which_year_is_missing_and_writes_nothing() -> None:
    plan = Plan.objects.create(code="p-2026", name="方案", start_year=2026, end_year=2026)
    with pytest.raises(WorkdayYearMissing, match="2027年的工作日安排尚未录入"):
        periods_ensure(plan=plan)
    assert not ReportingPeriod.objects.filter(plan=plan).exists()


def test_a_period_is_due_on_the_fifth_working_day_after_its_quarter() -> None:
    assert quarter_dates(2023, 4) == (date(2023, 10, 1), date(2023, 12, 31), date(2024, 1, 8))
    assert quarter_dates(2021, 3)[2] == date(2021, 10, 13)
    assert quarter_dates(2020, 1)[2] == date(2020, 4, 8)  # 清明节 04-04..06 not counted
    with override_settings(PERIOD_DUE_WORKDAYS=10):
        assert quarter_dates(2023, 4)[2] == date(2024, 1, 15)
    with override_settings(PERIOD_DUE_RULE="days"):  # the office may prefer calendar days
        assert quarter_dates(2023, 4)[2] == date(2024, 1, 5)
        assert quarter_dates(2026, 4)[2] == date(2027, 1, 5)  # no calendar needed


@pytest.mark.parametrize("n", [1, 5, 60, 400])
def test_a_due_date_costs_one_query_however_far(django_assert_num_queries, n: int) -> None:
    with django_assert_num_queries(1):
        add_workdays(date(2021, 9, 30), n)
    with django_assert_num_queries(1):
        workdays_between(date(2004, 1, 1), date(2026, 12, 31))
    with django_assert_num_queries(1):
        next_workday(date(2021, 10, 1))
