"""One date grammar and one data-age rule for every input and every output.

Dates are written ``YYYY-MM-DD`` everywhere — in every YAML file kind, in CLI options
such as ``--on`` and in the app's link parameters — and read by :func:`parse_date`
alone. ISO week dates (``2026-W48-7``), ordinal dates (``2026-338``), basic format
(``20261204``), times (``2026-12-04T10:00``), single-digit months or days
(``2026-1-2``), impossible days (``2026-02-30``) and dates outside
:data:`MIN_DATE` … :data:`MAX_DATE` are refused with a message naming what was found.
(``datetime.date.fromisoformat`` accepts week and basic dates since Python 3.11, so it
is only called after the text matched the grammar.)

The data-age flags start with :data:`STALE_FLAG` (``stale data: …``) or
:data:`FUTURE_FLAG` (``data dated after the ranking date: …``; a negative age is never
shown without those words). A ranking's, a check's and the app's flags judge each kind
of fact against its own maximum age (:mod:`engine.catalog.staleness`);
:func:`age_flags` and :func:`age_status` judge one date against one threshold.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = [
    "FUTURE_FLAG",
    "MAX_DATE",
    "MIN_DATE",
    "STALE_FLAG",
    "age_flags",
    "age_status",
    "parse_date",
]

MIN_DATE = dt.date(1970, 1, 1)
"""Earliest date accepted anywhere (no AI offering is older)."""
MAX_DATE = dt.date(2999, 12, 31)
"""Latest date accepted anywhere: far ahead, and date arithmetic (a waiver's
``max_waiver_days``, a data age) stays inside what ``datetime.date`` can hold."""

_GRAMMAR = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

STALE_FLAG = "stale data"
"""Prefix of the flag for a fact older than its kind's maximum age."""
FUTURE_FLAG = "data dated after the ranking date"
"""Prefix of the flag for data whose date is after the ranking (or check) date."""


def parse_date(value: object) -> dt.date:
    """Read a date written ``YYYY-MM-DD`` (or a :class:`datetime.date` already read).

    Parameters
    ----------
    value : object
        The text (or ``datetime.date``; a ``datetime.datetime`` is refused: it holds
        a time).

    Returns
    -------
    datetime.date

    Raises
    ------
    ValueError
        ``expected a date YYYY-MM-DD, found …`` (with why, when it looks like a date:
        a week date, an ordinal date, a time, no such day, out of range) for anything
        else.
    """
    expected = "expected a date YYYY-MM-DD"
    span = f"dates run from {MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}"
    if isinstance(value, dt.datetime):
        raise ValueError(f"{expected}, found a date with a time {value.isoformat()!r}")
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        if not _GRAMMAR.fullmatch(value):
            raise ValueError(f"{expected}, found {value!r}{_hint(value)}")
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            why = span if value.startswith("0000") else "no such day"
            raise ValueError(f"{expected}, found {value!r} ({why})") from None
    else:
        raise ValueError(f"{expected}, found {type(value).__name__} {value!r}")
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValueError(f"{expected}, found {day.isoformat()!r} ({span})")
    return day


def _hint(text: str) -> str:
    """Why a text that is not ``YYYY-MM-DD`` was refused, when it looks like a date."""
    if re.fullmatch(r"[0-9]{4}-?W[0-9]{2}(-?[0-9])?", text):
        return " (an ISO week date; write the calendar date)"
    if re.fullmatch(r"[0-9]{4}-?[0-9]{3}", text):
        return " (an ordinal date; write the calendar date)"
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ].*", text, flags=re.DOTALL):
        return " (a date with a time; write the date alone)"
    if re.fullmatch(r"[0-9]{8}", text):
        return " (write the dashes: YYYY-MM-DD)"
    if re.fullmatch(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", text):
        return " (two digits for the month and the day)"
    return ""


def age_flags(as_of: dt.date, day: dt.date, stale_after_days: int, what: str = "as_of") -> list[str]:
    """The data-age flags of one dated value, counted to the ranking date.

    Parameters
    ----------
    as_of : datetime.date
        The data's date (an offering's ``as_of`` or a field's own date).
    day : datetime.date
        The ranking (or check) date.
    stale_after_days : int
        Data older than this many days is stale.
    what : str, optional
        How the date is named in the flag, e.g. ``"as_of"`` or ``"latency.as_of"``.

    Returns
    -------
    list of str
        Empty, or one flag starting with :data:`STALE_FLAG` or :data:`FUTURE_FLAG`.
    """
    age = (day - as_of).days
    if age < 0:
        return [f"{FUTURE_FLAG}: {what} {as_of.isoformat()} is {-age} days after {day.isoformat()}"]
    if age > stale_after_days:
        return [f"{STALE_FLAG}: {what} {as_of.isoformat()} is {age} days old"]
    return []


def age_status(as_of: dt.date, day: dt.date, stale_after_days: int) -> str:
    """``"stale"``, ``"dated after the ranking date"`` or ``""`` (a short label for a
    table column; the same rule as :func:`age_flags`)."""
    age = (day - as_of).days
    if age < 0:
        return FUTURE_FLAG.removeprefix("data ")
    return "stale" if age > stale_after_days else ""
