"""Region and jurisdiction logic: which processing locations satisfy a buyer.

Tokens are ISO 3166-1 alpha-2 country codes plus the groups ``EU`` (27 member
states), ``EEA`` (EU + IS, LI, NO), ``GLOBAL`` (anywhere, no guarantee) and ``BUYER``
(wherever the buyer chooses — self-hosted or on the buyer's premises).
"""

from __future__ import annotations

from collections.abc import Iterable

from engine.catalog.schema import REGION_GROUPS

__all__ = ["all_within", "any_within", "expand", "region_within", "within_expanded"]


def expand(tokens: Iterable[str]) -> frozenset[str]:
    """Expand groups to their member countries; keep other tokens as they are."""
    out: set[str] = set()
    for t in tokens:
        out |= REGION_GROUPS.get(t, frozenset({t}))
        out.add(t)
    return frozenset(out)


def region_within(region: str, allowed: Iterable[str]) -> bool:
    """True when processing in ``region`` stays inside the ``allowed`` set.

    ``BUYER`` is always within (the buyer picks the location); allowing ``GLOBAL``
    allows everything; a ``GLOBAL`` offering region (no location guarantee) is within
    nothing else; a group is within when all of its members are.
    """
    return within_expanded(region, expand(allowed))


def within_expanded(region: str, allowed_set: frozenset[str]) -> bool:
    """:func:`region_within` against a set already passed through :func:`expand`.

    For callers that test many regions against the same allowed set (expanding it
    once instead of once per region).
    """
    if region == "BUYER" or "GLOBAL" in allowed_set:
        return True
    if region == "GLOBAL":
        return "GLOBAL" in allowed_set
    if region in REGION_GROUPS:
        return region in allowed_set or REGION_GROUPS[region] <= allowed_set
    return region in allowed_set


def any_within(regions: Iterable[str], allowed: Iterable[str]) -> bool:
    """True when processing *can* be kept inside ``allowed`` (some region is within)."""
    allowed_set = expand(allowed)
    return any(within_expanded(r, allowed_set) for r in regions)


def all_within(regions: Iterable[str], allowed: Iterable[str]) -> bool:
    """True when every listed processing region is inside ``allowed``."""
    allowed_set = expand(allowed)
    return all(within_expanded(r, allowed_set) for r in regions)
