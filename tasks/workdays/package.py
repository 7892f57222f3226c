"""What the chinese-calendar package knows: its years and, for each, the holidays and the 调休
working days with their Chinese names. Nothing here writes; ``services.workdays_load`` does."""

from dataclasses import dataclass
from datetime import date
from importlib.metadata import version

import chinese_calendar

from tasks.workdays.models import FIRST_YEAR, LAST_YEAR

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


@dataclass(frozen=True)
class Day:
    date: date
    is_workday: bool
    name: str


def package_version() -> str:
    return version("chinese-calendar")


def package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def package_years() -> list[int]:
    return [year for year in range(FIRST_YEAR, LAST_YEAR + 1) if package_knows(year)]


def package_days(year: int) -> list[Day]:
    """The days of ``year`` the package names: holidays and 调休 working days, by date."""
    days = [
        Day(d, False, NAMES.get(name, name))
        for d, name in chinese_calendar.holidays.items()
        if d.year == year
    ]
    days += [
        Day(d, True, NAMES.get(name, name))
        for d, name in chinese_calendar.workdays.items()
        if d.year == year
    ]
    return sorted(days, key=lambda day: day.date)
