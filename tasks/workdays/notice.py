"""Reads the State Council's yearly notice (国务院办公厅关于××年部分节假日安排的通知) as pasted
by the office into the days it names. Pure: no database.

Each item is a holiday's name, a colon and its arrangement; a sentence with 放假 gives the
holiday's days (one day or a range), a sentence with 上班 the 调休 working days::

    一、元旦：1月1日（周五）至3日（周日）放假调休，共3天。1月4日（周一）上班。
    二、春节：2月5日至11日放假调休，共7天。1月31日（周日）、2月20日（周六）上班。
    国庆节：2027-10-01至2027-10-07放假；2027-09-26上班

Dates without a year are of the notice's year; the end of a range without a month is of the
start's month. Parenthesised remarks (weekdays, 农历除夕) are ignored.
"""

import re
from datetime import date, timedelta

from hefei_ai_zone.errors import ApplicationError
from tasks.workdays.package import Day

_ORDINAL = r"(?:[一二三四五六七八九十]+[、.．]|\d+[、.．])"
_ITEM = re.compile(rf"^\s*{_ORDINAL}?\s*([^：:，,。；;\s\d]{{1,12}})\s*[：:]\s*(.*)$")
_REMARK = re.compile(r"（[^）]*）|\([^)]*\)")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})|(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日")
_SENTENCE = re.compile(r"[。；;\n]")
_LONGEST_HOLIDAY = 15


class NoticeError(ApplicationError):
    """The pasted notice cannot be read; nothing has been written."""


def _dates(text: str, year: int) -> list[date]:
    """The dates of a sentence in order; a missing year or month comes from the one before."""
    found: list[date] = []
    for match in _DATE.finditer(text):
        iso_y, iso_m, iso_d, y, m, d = match.groups()
        prev = found[-1] if found else None
        if iso_y:
            year_of, month, day = int(iso_y), int(iso_m), int(iso_d)
        else:
            month = int(m) if m else (prev.month if prev else 0)
            if not month:
                raise ValueError(f"“{match.group(0)}”缺少月份")
            year_of = int(y) if y else (prev.year if prev and not m else year)
            day = int(d)
        try:
            found.append(date(year_of, month, day))
        except ValueError:
            raise ValueError(f"“{match.group(0)}”不是有效的日期") from None
    return found


def _of_year(day: date, year: int) -> bool:
    """A notice names the days of its year, and the New Year holiday may begin on 31 December
    of the year before (2022-12-31 in the notice for 2023) or end in January after."""
    return (
        day.year == year
        or (day.year == year - 1 and day.month == 12)
        or (day.year == year + 1 and day.month == 1)
    )


def _items(text: str) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        match = _ITEM.match(line)
        if match:
            items.append((match.group(1).strip(), match.group(2)))
        elif items:  # the item goes on (or the notice's closing words: they name no dates)
            items[-1] = (items[-1][0], items[-1][1] + "。" + line)
        # lines before the first item (the notice's title and opening words) are not read
    return items


def notice_days(text: str, year: int) -> list[Day]:
    """The holidays and 调休 working days the notice names, by date; NoticeError when a line
    cannot be read, a date does not exist, a range runs backwards or too long, a day is named
    twice, or a 调休 working day is not a weekend day."""
    items = _items(text)
    if not items:
        raise NoticeError(
            "请粘贴放假安排，每个节日一行，如“国庆节：10月1日至7日放假调休，共7天。9月26日（周日）上班。”"
        )
    errors: list[str] = []
    days: dict[date, Day] = {}

    def add(day: Day, label: str) -> None:
        if day.date in days:
            errors.append(f"{label}：{day.date:%Y-%m-%d} 已在“{days[day.date].name}”中出现。")
        elif day.is_workday and day.date.weekday() < 5:
            weekday = "一二三四五"[day.date.weekday()]
            errors.append(
                f"{label}：{day.date:%Y-%m-%d} 是星期{weekday}，本来就上班，不是调休上班日。"
            )
        else:
            days[day.date] = day

    for name, body in items:
        label = f"“{name}”"
        holidays_found = False
        for sentence in _SENTENCE.split(_REMARK.sub("", body)):
            try:
                dates = _dates(sentence, year)
            except ValueError as exc:
                errors.append(f"{label}：{exc}。")
                continue
            if not dates:
                continue
            if "上班" in sentence:
                for d in dates:
                    add(Day(d, True, name), label)
            elif "放假" in sentence:
                holidays_found = True
                first, last = dates[0], dates[1] if len(dates) > 1 else dates[0]
                if last < first or (last - first).days >= _LONGEST_HOLIDAY:
                    errors.append(
                        f"{label}：{first:%Y-%m-%d} 至 {last:%Y-%m-%d} 不是一段合理的假期。"
                    )
                    continue
                for i in range((last - first).days + 1):
                    add(Day(first + timedelta(days=i), False, name), label)
        if not holidays_found:
            errors.append(f"{label}：没有找到放假日期（应有“×月×日至×日放假”）。")
    outside = sorted(d for d in days if not _of_year(d, year))
    if outside:
        errors.append(f"{outside[0]:%Y-%m-%d} 不在{year}年的安排之内，请检查年份。")
    if errors:
        raise NoticeError("放假安排有误，未作任何修改：" + errors[0], {"fields": {"text": errors}})
    return sorted(days.values(), key=lambda day: day.date)
