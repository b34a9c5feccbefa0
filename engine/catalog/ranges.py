"""The documented finite ranges of every number Shortlist reads.

Every number in every input — vendor profiles, the criteria catalog, the exchange-rate
table, priorities, policies, CLI options and the app's link parameters — has a finite
range, checked when the input is validated, so that a value which validates can always
be ranked: no arithmetic on it overflows to infinity or turns into NaN, and NaN or
infinity never reach an output. The ranges are far beyond any real offering; they are
listed in docs/catalog.md ("Number ranges") and in the field descriptions of
``shortlist schema``.

:data:`CRITERION_RANGES` gives, per criterion, the range its anchors
(``value_function.worst``/``best`` in the catalog, ``anchors`` in a priorities file)
and its ``min``/``max`` requirement thresholds must lie in.
"""

from __future__ import annotations

import math
import re

import numpy as np

__all__ = [
    "AHP_MAX",
    "ANCHOR_LIMIT",
    "CAPABILITY_LIMIT",
    "CONTEXT_WINDOW_MAX",
    "CRITERION_RANGES",
    "FX_RATE_MAX",
    "FX_RATE_MIN",
    "MAX_AGE_DAYS",
    "PLAIN_DECIMAL",
    "PLAIN_INTEGER",
    "SEED_MAX",
    "TOP_MAX",
    "WEIGHT_MAX",
    "check_anchors",
    "int_digits",
    "number_problem",
    "parse_decimal",
    "parse_integer",
]

WEIGHT_MAX = 1e6
"""A weight (any scale: per cent, points) is a number from 0 to 10^6."""
CAPABILITY_LIMIT = 1e6
"""A capability benchmark value lies in −10^6 … 10^6 (indices, Elo ratings, per cent)."""
CONTEXT_WINDOW_MAX = 1_000_000_000
"""A context window is a whole number of tokens from 1 to 10^9."""
FX_RATE_MIN = 1e-6
FX_RATE_MAX = 1e7
"""An exchange rate (units of a currency per 1 base unit) lies in 10^-6 … 10^7."""
AHP_MAX = 1e6
"""An AHP matrix entry is a positive ratio from 10^-6 to 10^6 (Saaty's scale is 1/9 to 9;
a matrix built from measured ratios may go beyond it)."""
MAX_AGE_DAYS = 36_500
"""Day counts (``stale_after_days``, ``max_age_days`` thresholds, CLI ``--expiring-in``)
are at most 100 years."""
SEED_MAX = 2**32 - 1
"""A random seed is a whole number from 0 to 2^32 − 1."""
TOP_MAX = 1_000_000
"""``--top``, ``--top-k`` and ``robustness.top_k`` are at most 10^6 (``top_k`` at most 1,000)."""
ANCHOR_LIMIT = 1e15
"""A criterion the engine does not know has anchors within ±10^15 (it is refused anyway)."""

CRITERION_RANGES: dict[str, tuple[float, float]] = {
    "monthly_cost": (0.0, 1e15),
    "response_time": (0.0, 1e9),
    "capability": (-CAPABILITY_LIMIT, CAPABILITY_LIMIT),
    "context_window": (1.0, float(CONTEXT_WINDOW_MAX)),
    "data_residency": (0.0, 1.0),
    "jurisdiction": (0.0, 1.0),
    "compliance": (0.0, 1.0),
    "transparency": (0.0, 100.0),
    "sovereignty": (0.0, 200.0),
}
"""Criterion id → (low, high), in the criterion's unit: monthly cost in the buyer's
currency per month, response time in seconds, capability in index points, context window
in tokens, shares from 0 to 1, FMTI points from 0 to 100, the sovereignty score in per
cent from 0 to 200 (a framework's rounded values may exceed 100)."""


def int_digits(value: int) -> int:
    """Decimal digits of an integer of any size, without ``str()`` (refused beyond 4300)."""
    n = abs(value)
    if n == 0:
        return 1
    d = int(math.log10(n)) + 1  # the float logarithm can be one off near a power of ten
    if n >= 10**d:
        d += 1
    elif n < 10 ** (d - 1):
        d -= 1
    return d


def number_problem(value: object, low: float, high: float, *, what: str = "a number") -> str | None:
    """What is wrong with ``value`` as a finite number in ``[low, high]``, or ``None``.

    Safe on anything YAML gives: booleans, text, NaN, infinities and integers too large
    for a float (compared exactly, never converted) are all refused with a message
    naming what was expected and what was found.
    """
    expected = f"expected {what} ≥ {low:g} and ≤ {high:g}"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"{expected}, found {type(value).__name__} {value!r}"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{expected}, found {value!r}"
    if not low <= value <= high:
        # an integer too large for a float is described, never converted or printed in full
        if isinstance(value, int) and abs(value) > 10**20:
            shown = f"an integer of {int_digits(value)} digits"
        else:
            shown = f"{value:g}"
        return f"{expected}, found {shown}"
    return None


def check_anchors(
    kind: str,
    direction: str,
    worst: float | None,
    best: float | None,
    limits: tuple[float, float] | None = None,
) -> str | None:
    """Return what is wrong with a value function's anchors, or ``None``.

    Parameters
    ----------
    kind : {"linear", "log", "levels"}
    direction : {"min", "max"}
    worst, best : float or None
        The anchors (utility 0 and 1): finite and distinct.
    limits : (float, float), optional
        The criterion's range (:data:`CRITERION_RANGES`); both anchors
        must lie in it.
    """
    if kind == "levels":
        return (
            "a 'levels' value function takes no worst/best anchors"
            if worst is not None or best is not None
            else None
        )
    if worst is None or best is None:
        return "needs both 'worst' and 'best' anchors"
    for name, v in (("worst", worst), ("best", best)):
        if not np.isfinite(v):
            return f"'{name}' must be a finite number, found {v!r}"
    if worst == best:
        return f"'worst' and 'best' must differ (both are {worst:g})"
    if limits is not None:
        lo, hi = limits
        for name, v in (("worst", worst), ("best", best)):
            if not lo <= v <= hi:
                return f"'{name}' must lie in the criterion's range {lo:g} to {hi:g}, found {v:g}"
    if kind == "log" and (worst <= 0 or best <= 0):
        return f"a log value function needs anchors > 0 (worst {worst:g}, best {best:g})"
    if direction == "min" and worst < best:
        return f"criterion is minimised, so 'worst' ({worst:g}) must be above 'best' ({best:g})"
    if direction == "max" and worst > best:
        return f"criterion is maximised, so 'worst' ({worst:g}) must be below 'best' ({best:g})"
    return None


PLAIN_DECIMAL = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
"""The one grammar of a number typed on a command line or in an app link: a plain ASCII
decimal — an optional sign, digits, an optional fraction (``12``, ``-0.5``, ``+3.25``).
No exponent (``1e5``), no digit separator (``1_000``), no ``inf``/``nan``, no bare point
(``.5``, ``5.``), no spaces, no non-ASCII digits (Python's ``float`` reads them all)."""
PLAIN_INTEGER = re.compile(r"[+-]?[0-9]+")
"""A whole number: an optional sign and ASCII digits (``10.0`` is not one)."""
_MAX_DIGITS = 400
"""Longer number texts are refused before conversion (no 4,300-digit ``int``)."""


def parse_decimal(text: str) -> float | None:
    """``text`` as a number if it is a plain decimal (:data:`PLAIN_DECIMAL`), else ``None``.

    Parameters
    ----------
    text : str
        The text as given: surrounding spaces are not removed.

    Returns
    -------
    float or None
        The value (possibly infinite when the digits overflow a float: the caller's
        range check refuses it), or ``None`` when ``text`` is not in the grammar.
    """
    if len(text) > _MAX_DIGITS or not PLAIN_DECIMAL.fullmatch(text):
        return None
    return float(text)


def parse_integer(text: str) -> int | None:
    """``text`` as a whole number if it is a sign and digits (:data:`PLAIN_INTEGER`), else ``None``.

    Parameters
    ----------
    text : str
        The text as given (``10.0``, ``1e1``, `` 7`` and ``1_0`` are not whole numbers).

    Returns
    -------
    int or None
        The value, or ``None`` when ``text`` is not in the grammar or longer than
        400 characters.
    """
    if len(text) > _MAX_DIGITS or not PLAIN_INTEGER.fullmatch(text):
        return None
    return int(text)
