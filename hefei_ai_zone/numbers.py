"""Whole numbers typed by people or programs: ASCII digits only.

``str.isdigit()`` is true for "²" and "５" (which ``int()`` then refuses or reads as 5), so input is
never parsed with it: ``parse_int`` accepts an optional sign and ASCII digits, and at most
``max_digits`` of them (an id of 20 digits would overflow PostgreSQL's bigint: a 500, not a 404).
"""

import re

_INTEGER = re.compile(r"[+-]?[0-9]+")
MAX_ID_DIGITS = 18  # below 2**63: anything longer is no row's id


def parse_int(text: object, *, max_digits: int = MAX_ID_DIGITS) -> int | None:
    """The integer ``text`` spells in ASCII digits (surrounding blanks allowed), else None."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text if len(str(abs(text))) <= max_digits else None
    if not isinstance(text, str):
        return None
    value = text.strip()
    if not _INTEGER.fullmatch(value) or len(value.lstrip("+-")) > max_digits:
        return None
    return int(value)


def parse_id(text: object) -> int | None:
    """A row id: a positive integer in ASCII digits, else None."""
    value = parse_int(text)
    return value if value is not None and value > 0 else None
