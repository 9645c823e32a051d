"""Dates and times as a person reads them: Iraq's local time, one format, in their language.

Timestamps are stored and sent as ISO 8601 (UTC, or with the device's offset); scripts get them
unchanged (`--json`). A person reads them in Asia/Baghdad time (UTC+3, no daylight saving since
2008) as "5 كانون الثاني 2026، 12:07": the Iraqi month names in Arabic (Babel's ar_IQ), Sorani
and English ones in those languages, and the reader's digits (`fieldapp.numerals`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_datetime

from fieldapp.numerals import Digits, babel_locale, default_digits, in_digits

IRAQ_ZONE = "Asia/Baghdad"
# One shape for every language: day, month name, year, then the time on a 24-hour clock.
_PATTERN = {"ar": "d MMMM y، HH:mm", "ckb": "d MMMM y، HH:mm"}
_DEFAULT_PATTERN = "d MMMM y, HH:mm"


@cache
def iraq_time() -> tzinfo:
    """Asia/Baghdad; a fixed UTC+3 where the system has no time zone data (Iraq has kept UTC+3
    all year since 2008, so the answer is the same)."""
    try:
        return ZoneInfo(IRAQ_ZONE)
    except ZoneInfoNotFoundError:
        return timezone(timedelta(hours=3), "+03")


def parse_timestamp(at: str) -> datetime:
    """An ISO 8601 timestamp as an aware datetime; one without an offset is taken as UTC."""
    moment = datetime.fromisoformat(at)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def local_time(at: str | datetime, lang: str, digits: Digits | None = None) -> str:
    """`at` (ISO 8601 text or an aware datetime) as a person in Iraq reads it, in `lang`:
    e.g. "5 كانون الثاني 2026، 12:07" in Arabic-Indic digits, "5 January 2026, 12:07".
    Text that is not a timestamp is returned unchanged, so odd stored data still shows."""
    try:
        moment = parse_timestamp(at) if isinstance(at, str) else at
    except ValueError:
        return at if isinstance(at, str) else str(at)
    written = format_datetime(
        moment.astimezone(iraq_time()),
        _PATTERN.get(lang, _DEFAULT_PATTERN),
        locale=babel_locale(lang),
    )
    return in_digits(written, digits or default_digits(lang))


def day_text(day: date, lang: str, digits: Digits | None = None) -> str:
    """A calendar date as a person reads it: "5 كانون الثاني 2026" (Iraqi month names in
    Arabic), "5 January 2026", in the reader's digits."""
    written = format_date(day, "d MMMM y", locale=babel_locale(lang))
    return in_digits(written, digits or default_digits(lang))
