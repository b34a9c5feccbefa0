"""Stale facts: every dated fact of an offering judged against its own kind's limit.

A fact (:class:`engine.catalog.evidence.Fact`) is *stale* when it is older than the
maximum age of its kind, and is flagged too when it is dated after the ranking (or
check) date. The limits come in layers (:func:`limits`): the defaults
(:data:`engine.catalog.evidence.DEFAULT_MAX_AGE_DAYS`), the criteria catalog's
``max_age_days``, then the priorities file's ``max_age_days``. A priorities file's
``stale_after_days`` (the single threshold of earlier versions) is kept as an alias of
``max_age_days: {profile: …}`` so that old priorities files keep working; giving both
with different values is refused by the schema.

Every output takes its flags from :func:`stale_flags` (ranking reasons, hence the
table, CSV, JSON, ``explain``, ``compare``, the decision record and the app) or its
lists from :func:`flagged` (``check``, the Excel Sources sheet, the app's catalog page).
A flag names the block, its date, its age and the limit::

    stale data: prices 2026-07-01 is 156 days old (limit 90 days for prices)
    stale data: certifications.iso27001 2025-06-01 is 551 days old (limit 365 days for certifications)
    stale data: latency 2026-03-01 (undated: the offering's as_of) is 278 days old (limit 120 days for latency)
    data dated after the ranking date: prices.as_of 2026-12-20 is 16 days after 2026-12-04

A block that gives no date of its own is dated by its offering's (or vendor's)
``as_of`` and judged against its own kind's limit, so a price "as of" a year-old profile
is flagged though the profile is within its limit; the flag says the date is
inherited. A date after the ranking date is flagged once, where it is written (an
inherited date is flagged on the offering or vendor that gives it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from engine.catalog.dates import FUTURE_FLAG, STALE_FLAG
from engine.catalog.evidence import Age, Fact, ages, max_ages

if TYPE_CHECKING:
    from engine.catalog.loading import ResolvedOffering
    from engine.catalog.schema import PrioritiesFile

__all__ = ["block_name", "flagged", "limits", "stale_flag", "stale_flags", "stale_label", "stale_record"]


def limits(
    catalog_limits: Mapping[str, int] | None, priorities: PrioritiesFile | None = None
) -> dict[str, int]:
    """The maximum age of each kind of fact for a ranking or a check.

    Parameters
    ----------
    catalog_limits : mapping, optional
        The criteria catalog's limits (:attr:`engine.catalog.loading.CriteriaCatalog.max_age_days`).
    priorities : PrioritiesFile, optional
        Its ``max_age_days`` replaces the kinds it names; its ``stale_after_days``, when
        given, is the ``profile`` limit (an alias kept for old files).

    Returns
    -------
    dict
        Days per kind, every kind present.
    """
    layers: list[Mapping[Any, int] | None] = [catalog_limits]
    if priorities is not None:
        if priorities.stale_after_days is not None:
            layers.append({"profile": priorities.stale_after_days})
        layers.append(priorities.max_age_days)
    return max_ages(*layers)


def block_name(age: Age) -> str:
    """How a fact is named in a flag: ``prices``, ``certifications.iso27001``,
    ``offering profile``, ``vendor profile`` …"""
    f = age.fact
    if f.field == "offering":
        return "offering profile"
    if f.field == "vendor":
        return "vendor profile"
    return f.field


def _inherited(age: Age) -> str:
    if not age.fact.inherited:
        return ""
    whose = "the vendor's" if age.fact.field.startswith("vendor.") else "the offering's"
    return f" (undated: {whose} as_of)"


def stale_label(age: Age) -> str:
    """A short description of a stale or future fact for a list or a table cell:
    ``prices 2026-07-01: 156 days old, limit 90`` (``… days after the date`` when
    dated after it)."""
    head = f"{block_name(age)} {age.fact.as_of.isoformat()}{_inherited(age)}"
    if age.future:
        return f"{head}: {-age.days} days after the date"
    return f"{head}: {age.days} days old, limit {age.limit}"


def stale_flag(age: Age, day: dt.date) -> str:
    """The flag of one stale or future fact (see the module docstring)."""
    f = age.fact
    if age.future:
        what = {"offering": "as_of", "vendor": "vendor.as_of"}.get(f.field, f"{f.field}.as_of")
        return f"{FUTURE_FLAG}: {what} {f.as_of.isoformat()} is {-age.days} days after {day.isoformat()}"
    return (
        f"{STALE_FLAG}: {block_name(age)} {f.as_of.isoformat()}{_inherited(age)} is {age.days} days old "
        f"(limit {age.limit} days for {f.kind})"
    )


def flagged(
    ro: ResolvedOffering, day: dt.date, lims: Mapping[str, int], every: tuple[Fact, ...] | None = None
) -> tuple[Age, ...]:
    """The offering's facts that are stale, or dated after ``day`` (an inherited date
    only where it is written), in the order of :func:`engine.catalog.evidence.facts`
    (``every``: those facts, when the caller already has them)."""
    return tuple(a for a in ages(ro, day, lims, every) if a.stale or (a.future and not a.fact.inherited))


def stale_flags(ro: ResolvedOffering, day: dt.date, lims: Mapping[str, int]) -> list[str]:
    """The data-age flags of one offering on ``day``: one per flagged fact."""
    return [stale_flag(a, day) for a in flagged(ro, day, lims)]


def stale_record(age: Age, day: dt.date) -> dict[str, Any]:
    """One flagged fact as JSON-ready data: ``field``, ``kind``, ``as_of``,
    ``age_days`` (negative: after ``day``), ``limit_days``, ``inherited``, ``future``
    and the ``flag`` text."""
    f = age.fact
    return {
        "field": f.field,
        "kind": f.kind,
        "as_of": f.as_of.isoformat(),
        "age_days": age.days,
        "limit_days": age.limit,
        "inherited": f.inherited,
        "future": age.future,
        "flag": stale_flag(age, day),
    }
