"""Raw sample values read from the catalogue's item examples, for the starters of ``lnm new``.

The catalogue writes each item's example the way the app shows it ("2024年8月7日(水)",
"เสาร์ 10 ส.ค. 2567", "113年8月31日", "NT$12,000", "下午6:30"). Within a template these examples tell
one story: the order date comes before the shipping date, which comes before the delivery date,
and the shipping fee is smaller than the amount to pay. Reading the raw values back (an ISO date,
a 24-hour time, a number) keeps that story in the starter's samples, where counting days from a
fixed date per item would not. Anything that cannot be read gives None and the caller falls back.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

__all__ = ["read_amount", "read_date", "read_date_range", "read_time", "read_time_range"]

#: The year a date without one is in (the catalogue's examples are all in 2024).
DEFAULT_YEAR = 2024


@lru_cache(maxsize=1)
def _thai_months() -> tuple[re.Pattern[str], dict[str, int]]:
    """Thai month names, wide and abbreviated, from Babel's locale data."""
    from babel import Locale

    months = Locale("th").months["format"]
    names = {str(name): number for width in ("wide", "abbreviated") for number, name in months[width].items()}
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?:(\d{{1,2}})\s*)?({alternatives})\s*(?:พ\.ศ\.\s*)?(\d{{4}})?"), names


def _year(value: int) -> int:
    """A Gregorian year from a Gregorian, Thai Buddhist (2567) or Taiwanese Minguo (113) one."""
    if value > 2400:
        return value - 543
    if value < 1000:
        return value + 1911
    return value


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def read_date(text: str) -> dt.date | None:
    """The first date written in ``text``; a month without a day is its first day."""
    found = re.search(r"(?<!\d)(\d{3,4})\s*[/年.-]\s*(\d{1,2})\s*[/月.-]\s*(\d{1,2})(?!\d)", text)
    if found:
        return _make(_year(int(found.group(1))), int(found.group(2)), int(found.group(3)))
    found = re.search(r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)", text)  # Thai: day/month/year
    if found:
        return _make(_year(int(found.group(3))), int(found.group(2)), int(found.group(1)))
    found = re.search(r"(?:(\d{2,4})年)?(\d{1,2})月(\d{1,2})日", text)
    if found:
        year = _year(int(found.group(1))) if found.group(1) else DEFAULT_YEAR
        return _make(year, int(found.group(2)), int(found.group(3)))
    found = re.search(r"(\d{2,4})年(\d{1,2})月", text)
    if found:
        return _make(_year(int(found.group(1))), int(found.group(2)), 1)
    pattern, names = _thai_months()
    found = pattern.search(text)
    if found:
        year = _year(int(found.group(3))) if found.group(3) else DEFAULT_YEAR
        return _make(year, names[found.group(2)], int(found.group(1) or 1))
    return None


def read_time(text: str) -> str | None:
    """The first time of day in ``text`` as ``HH:MM`` (24-hour), reading 下午 and 晚上 as p.m."""
    found = re.search(r"(\d{1,2}):(\d{2})", text)
    if not found:
        return None
    hour, minute = int(found.group(1)), int(found.group(2))
    before = text[: found.start()]
    if hour < 12 and re.search(r"(下午|晚上|傍晚)\s*$", before):
        hour += 12
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def read_time_range(text: str) -> tuple[str, str] | None:
    """The two times of a range written in ``text`` (``13:00～15:00``), when it has both."""
    parts = re.split(r"\s*(?:～|~|-|–|至)\s*", text, maxsplit=1)
    if len(parts) != 2:
        return None
    start, end = read_time(parts[0]), read_time(parts[1])
    return (start, end) if start and end and start <= end else None


def read_date_range(text: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a range (``2024年7月10日～8月8日``, ``12 - 14 ส.ค. 2567``).

    A side written as a bare day number (``～22日``) takes its month and year from the other side.
    """
    parts = re.split(r"\s*(?:～|~|至|\s-\s|–)\s*", text, maxsplit=1)
    if len(parts) != 2:
        return None
    start, end = read_date(parts[0]), read_date(parts[1])
    if start is None and end is not None:
        day = re.match(r"\s*(\d{1,2})\D*$", parts[0])
        start = _make(end.year, end.month, int(day.group(1))) if day else None
    elif end is None and start is not None:
        day = re.match(r"\s*(\d{1,2})\s*日?", parts[1])
        end = _make(start.year, start.month, int(day.group(1))) if day else None
    if start is None or end is None or end < start:
        return None
    return start, end


def read_amount(text: str) -> int | float | None:
    """The number of a price (``12,000円``, ``฿1,250.00``, ``NT$1,200``): an int when it is whole."""
    found = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    if not found:
        return None
    value = float(found.group().replace(",", ""))
    return int(value) if value.is_integer() else value
