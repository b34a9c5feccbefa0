"""How much of a long list output for people shows (issue #11: output stays proportionate).

Output meant to be read — the terminal table of ``rank``, ``sensitivity`` and ``check``,
the decision record, ``shortlist diff`` (a pull-request comment), the price-drift text,
the app's tables — lists the first entries of a long list, then one line that counts
the rest and names the complete export. Its size then grows at most linearly with the
catalog, never with the number of offering *pairs* (who dominates whom). The data
exports stay complete: JSON always; CSV has every row, and its list-valued cells (the
offerings that dominate one) are cut as here, because a spreadsheet cell holds at most
32,767 characters (the count column gives the exact number).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

__all__ = ["LIST_ITEMS", "ROWS", "cut", "more_line", "names"]

T = TypeVar("T")

ROWS = 100
"""Rows of a table for people (offerings, findings, changes) before the rest is counted."""
LIST_ITEMS = 20
"""Names in a run-in list (the Pareto front, dominated offerings) before the rest is counted."""
PER_ITEM = 5
"""Names inside one entry of a list (who dominates one offering)."""


def cut(items: Sequence[T], limit: int | None = ROWS) -> tuple[list[T], int]:
    """The first ``limit`` items (all when ``limit`` is None) and how many are left out."""
    if limit is None or len(items) <= limit:
        return list(items), 0
    return list(items[:limit]), len(items) - limit


def more_line(left: int, noun: str, where: str) -> str:
    """The line after a cut list: ``… and 4,937 more <noun>: <where>``."""
    return f"… and {left:,} more {noun}: {where}"


def names(items: Sequence[str], limit: int = PER_ITEM, sep: str = ", ") -> str:
    """``a, b, c`` — or ``a, b, c and 12 more`` past ``limit`` names."""
    shown, left = cut(items, limit)
    text = sep.join(shown)
    return f"{text} and {left:,} more" if left else text
