"""The year of a page or API call: a four-digit year from the first plan year to this one, or a
clear Chinese message."""

from hefei_ai_zone import clock
from hefei_ai_zone.errors import ApplicationError

from .selectors import FIRST_YEAR


def parse_year(raw: object, *, default: int | None = None) -> int:
    value = str(raw or "").strip()
    if not value:
        if default is not None:
            return default
        raise ApplicationError(
            "请指定考核年度（year）。", {"fields": {"year": ["请指定考核年度。"]}}
        )
    last = clock.today().year
    if not (value.isascii() and value.isdigit() and FIRST_YEAR <= int(value) <= last):
        message = f"考核年度须为 {FIRST_YEAR}–{last} 年之间的年份。"
        raise ApplicationError(message, {"fields": {"year": [message]}})
    return int(value)
