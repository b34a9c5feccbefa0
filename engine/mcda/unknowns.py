"""Which unknowns matter: each offering's rank range over its unknown facts.

A ranking imputes every unknown value on a weighted criterion at the worst (utility 0)
and keeps out an offering whose must-have outcome is unknown (unless the must-have
allows unknowns). This module asks how much that decides: for each offering, the rank
it would get if its unknowns were answered at their best and at their worst, and for
each single unknown, the rank if only that one were answered.

Semantics
---------
- **Criterion unknown** (a weighted criterion with no value): *worst* is today's
  imputation, utility 0; *best* is the best utility the criterion's value function
  gives (1, the best anchor; for a ``levels`` criterion the highest level's utility).
  An unknown sovereignty score carries the range its gaps leave open (the cell's
  ``low``/``high``): *best* is the utility of its upper bound (every gap at its best
  option), *worst* today's imputation (utility 0, or its lower bound when that lies
  above another offering's range: :func:`engine.mcda.scoring.sovereignty_floors`).
- **Must-have unknown** (outcome ``unknown``, an evidence gap): *best* is that it
  passes, *worst* that it fails (the offering is then excluded, rank ``None``).
- An offering kept out only by evidence gaps (unknown must-haves not allowed to be
  unknown, or a missing value on a criterion whose missing policy is ``exclude``) joins
  the ranking when they are answered favourably. Each single answer is judged as if
  the offering's other *blocking* gaps passed too (each is necessary to get in); its
  criterion unknowns stay at worst, except the one answered. ``best_rank`` answers
  every unknown at its best; ``worst_rank`` of an excluded offering is ``None``.
- An offering failing a must-have on a known fact stays out whatever is answered: its
  unknowns are listed with ranks ``None`` and cannot cross the cut.
- **One offering at a time**: the other offerings keep their utilities and scores
  (their own unknowns stay at today's imputation), and an offering that joins or leaves
  does not move them. With fixed anchors (every shipped criterion; TOPSIS's ideal and
  anti-ideal are the anchors too) re-scoring one offering moves no other, so the ranks
  are exact under the weighted sum, the weighted product and TOPSIS; on a
  ``relative``-scale criterion a joining offering's utility is read against today's
  range of the ranked offerings (clipped to [0, 1]), an approximation.
- ``crosses_cut``: whether that one answer can move the offering across the shortlist
  cut (into or out of the top ``cut``; leaving the ranking counts as below it).
  Unknowns are ordered: those that can cross the cut first, then by rank movement
  (largest first; excluded counts as one place below the last ranked), then by field.

Only the changed offering is re-scored (:func:`engine.mcda.aggregation.aggregate` on
one row) and ranked against the others' scores with the engine's competition ranking
and tie tolerance, so the result is the ranking :func:`engine.mcda.scoring.rank` would
give for those answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from engine.catalog.loading import Catalog, CriteriaCatalog
from engine.catalog.schema import CriterionSpec, PrioritiesFile
from engine.errors import InputError
from engine.mcda.aggregation import aggregate, competition_ranks
from engine.mcda.scoring import EVIDENCE_GAP, TIE_TOLERANCE, Ranking, rank, utility_function

__all__ = [
    "RankRange",
    "UnknownImpact",
    "describe",
    "range_dict",
    "range_sentence",
    "range_short",
    "ranges_of",
    "rank_ranges",
]


@dataclass(frozen=True, slots=True)
class UnknownImpact:
    """What answering one unknown fact could do to one offering's rank.

    Attributes
    ----------
    offering_id : str
    field : str
        Criterion id (e.g. ``response_time``) or must-have id (e.g. ``iso27001``).
    kind : {"criterion", "must-have"}
    rank_if_best : int or None
        The offering's rank when only this unknown is at its best (a must-have:
        passes); ``None`` when it would still be excluded.
    rank_if_worst : int or None
        ... at its worst (a criterion: utility 0, today's imputation; a must-have:
        fails, so ``None``, excluded).
    crosses_cut : bool
        Whether this one answer can move the offering across the shortlist cut.
    """

    offering_id: str
    field: str
    kind: Literal["criterion", "must-have"]
    rank_if_best: int | None
    rank_if_worst: int | None
    crosses_cut: bool


@dataclass(frozen=True, slots=True)
class RankRange:
    """One offering's rank today and over its unknowns.

    Attributes
    ----------
    offering_id : str
    rank : int or None
        Today's rank (``None``: excluded).
    best_rank : int or None
        Every unknown at its best, every unknown must-have passing.
    worst_rank : int or None
        Every unknown at its worst (criteria: today's imputation); ``None`` when the
        offering is then excluded (an unknown must-have failing, or excluded today).
    unknowns : tuple of UnknownImpact
        Ordered by impact: those that can cross the cut first, then largest rank
        movement first (see the module docstring).
    """

    offering_id: str
    rank: int | None
    best_rank: int | None
    worst_rank: int | None
    unknowns: tuple[UnknownImpact, ...]


def rank_ranges(
    catalog: Catalog,
    criteria: CriteriaCatalog,
    priorities: PrioritiesFile,
    *,
    weights: Mapping[str, float] | None = None,
    on_date: dt.date | None = None,
    method: str | None = None,
    cut: int | None = None,
) -> dict[str, RankRange]:
    """Every offering's rank range over its unknown facts.

    Parameters
    ----------
    catalog, criteria, priorities, weights, on_date, method
        As :func:`engine.mcda.scoring.rank`.
    cut : int, optional
        The shortlist cut (top ``cut``); default the priorities' ``robustness.top_k``.

    Returns
    -------
    dict
        Offering id → :class:`RankRange`, in the ranking's row order.

    Raises
    ------
    InputError
        As :func:`engine.mcda.scoring.rank`; ``usage.invalid`` for a cut that is not a
        whole number ≥ 1.
    """
    ranking = rank(catalog, criteria, priorities, weights=weights, on_date=on_date, method=method)
    return ranges_of(ranking, priorities, cut=cut)


def _best_utility(spec: CriterionSpec) -> float:
    f = spec.value_function
    if f.type == "levels" and f.levels:
        return float(max(f.levels.values()))
    return 1.0


def _known_utility(spec: CriterionSpec, value: float | str, ranking: Ranking) -> float:
    """Utility of a known value of an offering outside today's ranking."""
    if spec.scale == "relative":
        nums = [float(v) for r in ranking.ranked if isinstance(v := r.cells[spec.id].value, (int, float))]
        if not nums or isinstance(value, str):
            return 1.0
        lo, hi = min(nums), max(nums)
        if hi == lo:
            return 1.0
        u = (float(value) - lo) / (hi - lo)
        u = min(1.0, max(0.0, u))
        return u if spec.direction == "max" else 1.0 - u
    return float(utility_function(spec, [value], ranking.anchors.get(spec.id))[0])


def _out(r: int | None, cut: int) -> bool:
    return r is None or r > cut


def ranges_of(
    ranking: Ranking, priorities: PrioritiesFile, *, cut: int | None = None
) -> dict[str, RankRange]:
    """:func:`rank_ranges` of a ranking already computed (the same priorities).

    Parameters
    ----------
    ranking : Ranking
    priorities : PrioritiesFile
        The priorities ``ranking`` was made with (for the must-haves' ``allow_unknown``
        and the default cut).
    cut : int, optional
        Default ``priorities.robustness.top_k``.

    Returns
    -------
    dict
        Offering id → :class:`RankRange`, in the ranking's row order.

    Raises
    ------
    InputError
        ``usage.invalid`` for a cut that is not a whole number ≥ 1.
    """
    k = priorities.robustness.top_k if cut is None else cut
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise InputError.single(
            "usage.invalid", f"the shortlist cut must be a whole number ≥ 1, found {k!r}", field="cut"
        )
    ids = [c.id for c in ranking.criteria]
    specs = {c.id: c for c in ranking.criteria}
    wv = np.array([ranking.weights[c] for c in ids], dtype=np.float64)
    ranked = ranking.ranked
    n = len(ranked)
    U = np.array([[(r.cells[c].utility or 0.0) for c in ids] for r in ranked], dtype=np.float64).reshape(
        n, len(ids)
    )
    scores = aggregate(U, wv, ranking.method) if n else np.zeros(0)
    col = {c: j for j, c in enumerate(ids)}

    def place(row: NDArray[np.float64], skip: int | None) -> int:
        """Rank of an offering with utility ``row`` among the others (``skip``: its own index)."""
        s = aggregate(row[None, :], wv, ranking.method)[0]
        others = scores if skip is None else np.delete(scores, skip)
        return int(competition_ranks(np.append(others, s), TIE_TOLERANCE)[-1])

    def movement(today: int | None, r: int | None) -> int:
        last = n + 1
        return abs((last if r is None else r) - (last if today is None else today))

    out: dict[str, RankRange] = {}
    index = {r.offering_id: i for i, r in enumerate(ranked)}
    by_id = {r.offering_id: r for r in ranking.rows}

    def each_at_best(
        oid: str,
        base: NDArray[np.float64],
        unknown: list[str],
        at: int | None,
        reference: int | None,
        impacts: list[UnknownImpact],
    ) -> NDArray[np.float64]:
        """Each unknown criterion alone at its best (appended to ``impacts``, against the
        ``reference`` rank); returns the utilities with all of them at their best."""
        best = base.copy()
        cells = by_id[oid].cells
        for c in unknown:
            one = base.copy()
            high = cells[c].high
            one[col[c]] = (
                max(base[col[c]], _known_utility(specs[c], high, ranking))
                if high is not None
                else _best_utility(specs[c])
            )
            best[col[c]] = one[col[c]]
            rb = place(one, at)
            impacts.append(
                UnknownImpact(oid, c, "criterion", rb, reference, _out(rb, k) != _out(reference, k))
            )
        return best

    for row in ranking.rows:
        oid = row.offering_id
        crit_unknown = [c for c in ids if ranking.weights[c] > 0 and row.cells[c].value is None]
        must_unknown = [q.requirement_id for q in row.requirements if q.outcome == "unknown"]
        impacts: list[UnknownImpact] = []
        if row.status == "ranked":
            i = index[oid]
            base = U[i]
            today = row.rank
            best = each_at_best(oid, base, crit_unknown, i, today, impacts)
            for m in must_unknown:
                impacts.append(UnknownImpact(oid, m, "must-have", today, None, not _out(today, k)))
            best_rank = place(best, i) if crit_unknown else today
            worst_rank = None if must_unknown else today
        elif row.exclusion == EVIDENCE_GAP:
            today = None
            base = np.array(
                [
                    0.0
                    if row.cells[c].value is None
                    else _known_utility(specs[c], row.cells[c].value, ranking)  # type: ignore[arg-type]
                    for c in ids
                ],
                dtype=np.float64,
            )
            joined = place(base, None)  # every blocking gap passed, criterion unknowns at worst
            best = each_at_best(oid, base, crit_unknown, None, joined, impacts)
            for m in must_unknown:
                impacts.append(UnknownImpact(oid, m, "must-have", joined, None, not _out(joined, k)))
            best_rank = place(best, None)
            worst_rank = None
        else:  # fails a must-have on a known fact: no answer brings it in
            today, best_rank, worst_rank = None, None, None
            impacts = [UnknownImpact(oid, c, "criterion", None, None, False) for c in crit_unknown]
            impacts += [UnknownImpact(oid, m, "must-have", None, None, False) for m in must_unknown]
        impacts.sort(
            key=lambda u: (
                not u.crosses_cut,
                -movement(u.rank_if_best, u.rank_if_worst),
                u.kind != "must-have",
                u.field,
            )
        )
        out[oid] = RankRange(oid, today, best_rank, worst_rank, tuple(impacts))
    return out


def _r(x: int | None) -> str:
    return "excluded" if x is None else str(x)


def range_sentence(rr: RankRange) -> str:
    """One line for people, e.g. ``rank 9 today; 3 to 9 depending on the 4 unknowns
    below`` (``… or excluded if a must-have below fails``; for an offering kept out by
    evidence gaps, the rank it would get at best)."""
    count = len(rr.unknowns)
    the = "the unknown" if count == 1 else f"the {count} unknowns"
    if rr.rank is None:
        if rr.best_rank is None:
            if not count:
                return "excluded today; it fails a must-have on a known fact"
            return f"excluded today; it fails a must-have on a known fact, so {the} below cannot bring it in"
        verb = "is" if count == 1 else "are"
        return f"excluded today; rank {rr.best_rank} at best if {the} below {verb} answered favourably"
    today = f"rank {rr.rank} today"
    if not count:
        return f"{today}; no unknown fact on a weighted criterion or must-have"
    if rr.worst_rank is None:
        return f"{today}; {rr.best_rank} to {rr.rank} depending on {the} below, or excluded if a must-have among them fails"
    if rr.best_rank == rr.worst_rank:
        return f"{today}; {the} below cannot move it"
    return f"{today}; {rr.best_rank} to {rr.worst_rank} depending on {the} below"


def range_short(rr: RankRange) -> str:
    """A table cell: ``3–9 (4 unknowns)``, ``3–9 or excluded (2 unknowns)``,
    ``excluded; 1 at best (3 unknowns)``, ``9 (no unknowns)``, ``excluded (fails)``."""
    count = len(rr.unknowns)
    tail = f" ({count} unknown{'s' if count != 1 else ''})" if count else " (no unknowns)"
    if rr.rank is None:
        if rr.best_rank is None:
            return "excluded (fails)"
        return f"excluded; {rr.best_rank} at best{tail}"
    if rr.worst_rank is None:
        return f"{rr.best_rank}–{rr.rank} or excluded{tail}"
    if rr.best_rank == rr.worst_rank:
        return f"{rr.rank}{tail}"
    return f"{rr.best_rank}–{rr.worst_rank}{tail}"


def describe(u: UnknownImpact, cut: int) -> str:
    """One unknown for people, e.g. ``response_time (criterion): rank 3 if best, 9 if worst``."""
    tail = "" if u.crosses_cut else f" · cannot cross the top-{cut} cut"
    if u.kind == "must-have":
        return (
            f"{u.field} (must-have): {'rank ' + str(u.rank_if_best) if u.rank_if_best is not None else 'still excluded'}"
            f" if it passes, excluded if it fails{tail}"
        )
    best = f"rank {u.rank_if_best}" if u.rank_if_best is not None else "excluded"
    return f"{u.field} (criterion): {best} if best, {_r(u.rank_if_worst)} if worst{tail}"


def range_dict(rr: RankRange, cut: int) -> dict[str, object]:
    """A JSON-ready dict of one rank range (``cut``: the shortlist cut it was judged against)."""
    return {
        "rank": rr.rank,
        "best_rank": rr.best_rank,
        "worst_rank": rr.worst_rank,
        "cut": cut,
        "summary": range_sentence(rr),
        "unknowns": [
            {
                "field": u.field,
                "kind": u.kind,
                "rank_if_best": u.rank_if_best,
                "rank_if_worst": u.rank_if_worst,
                "crosses_cut": u.crosses_cut,
            }
            for u in rr.unknowns
        ],
    }
