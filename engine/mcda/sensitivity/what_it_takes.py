"""What would it take: the smallest L1 change of the weights (within the buyer's bounds)
that makes an offering first, a linear program (HiGHS via ``scipy.optimize.linprog``), and
the cut of its monthly cost that would, the weights unchanged (Hazen, *Operations
Research* 34(2), 1986: potential optimality)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from engine.errors import InputError, Issue, suggest
from engine.mcda.aggregation import aggregate, competition_ranks, is_additive, linear_form
from engine.mcda.scoring import TIE_TOLERANCE
from engine.mcda.sensitivity.problem import DecisionProblem, effective_utilities

__all__ = [
    "LEAD_MARGIN",
    "WhatItTakes",
    "what_would_it_take",
]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class WhatItTakes:
    """What would make an offering rank first.

    Attributes
    ----------
    offering_id : str
    rank : int
        Its current rank.
    status : {"first", "weights", "dominated", "never_first", "outside_bounds", "unsupported"}
        ``weights``: a weight change was found; ``dominated``: no weights can make it
        first; ``never_first``: not dominated, but no weights make it first (not
        potentially optimal); ``outside_bounds``: possible only beyond the buyer's
        weight bounds; ``unsupported``: the method is not linear in the weights.
    message : str
        The answer in plain words.
    weights : mapping or None
        The nearest weights (shares summing to 1) that make it at least jointly first.
    distance : float or None
        L1 distance from the current weights (sum of absolute changes, 0–2; the
        message says half of it: the weight that moves from some criteria to others).
    dominated_by : tuple of str
    price_cut : float or None
        Fraction (0–1) by which its monthly cost must fall, weights unchanged, for it
        to rank (jointly) first; ``None`` when no price cut can do it.
    price_message : str
    """

    offering_id: str
    rank: int
    status: Literal["first", "weights", "dominated", "never_first", "outside_bounds", "unsupported"]
    message: str
    weights: Mapping[str, float] | None = None
    distance: float | None = None
    dominated_by: tuple[str, ...] = ()
    price_cut: float | None = None
    price_message: str = ""


LEAD_MARGIN = 1e-3
"""Lead (0–1 score scale: 0.1 points of 100; log-score for the weighted product) that
"what would it take" asks for, so that advice printed to 0.01 % of weight or 0.1 % of
price still makes the offering first when a person applies it."""


def _lp_nearest(
    A: FloatArray, t: int, w0: FloatArray, lo: FloatArray, hi: FloatArray, margin: float = 0.0
) -> tuple[FloatArray | None, float]:
    """min ||w - w0||_1 s.t. (A_k - A_t)·w <= -margin for all k, sum w = 1, lo <= w <= hi."""
    from scipy import optimize  # scipy.optimize: only when an analysis needs it

    n, m = A.shape
    others = np.delete(np.arange(n), t)
    G = A[others] - A[t]  # (n-1, m)
    eye = np.eye(m)
    A_ub = np.vstack(
        [
            np.hstack([G, np.zeros((len(others), m))]),
            np.hstack([eye, -eye]),
            np.hstack([-eye, -eye]),
        ]
    )
    b_ub = np.concatenate([np.full(len(others), -margin), w0, -w0])
    res = optimize.linprog(
        c=np.concatenate([np.zeros(m), np.ones(m)]),
        A_ub=A_ub,
        b_ub=b_ub,
        A_eq=np.concatenate([np.ones(m), np.zeros(m)])[None, :],
        b_eq=[1.0],
        bounds=[(float(a), float(b)) for a, b in zip(lo, hi, strict=True)] + [(0.0, None)] * m,
        method="highs",
    )
    if res.status != 0 or res.x is None:
        return None, math.inf
    w = np.clip(res.x[:m], 0.0, 1.0)
    w = w / w.sum() + 0.0  # + 0.0 turns -0.0 into 0.0
    return w, float(np.abs(w - w0).sum())


def _check_bounds(
    problem: DecisionProblem, bounds: Mapping[str, tuple[float, float]]
) -> tuple[FloatArray, FloatArray, list[str]]:
    """Bounds as arrays over the analysed criteria, and notes on bounds that do not apply.

    Bounds of a known criterion without weight here are ignored (it stays at 0); when
    the remaining bounds cannot all hold (their lows sum above 1, or every criterion is
    capped and the highs sum below 1 — possible when the weights changed since the
    bounds were written), they are dropped with a note rather than failing.
    """
    issues = []
    notes: list[str] = []
    m = len(problem.criteria)
    lo, hi = np.zeros(m), np.ones(m)
    for c, (a, b) in bounds.items():
        if c not in problem.criteria and c in problem.catalog_criteria:
            notes.append(f"the weight bounds of {c} do not apply: it has no weight here")
            continue
        if c not in problem.criteria:
            issues.append(
                Issue(
                    "sensitivity.unknown_criterion",
                    f"weight bounds given for {c!r}, which is not a criterion here{suggest(c, problem.criteria)}",
                    field=f"robustness.weight_bounds.{c}",
                )
            )
            continue
        if not (0 <= a <= b <= 1):
            issues.append(
                Issue(
                    "sensitivity.invalid_bounds",
                    f"weight bounds of {c!r} must satisfy 0 ≤ low ≤ high ≤ 1 (shares of the total), "
                    f"found [{a:g}, {b:g}]",
                    field=f"robustness.weight_bounds.{c}",
                )
            )
            continue
        j = problem.criteria.index(c)
        lo[j], hi[j] = a, b
    if issues:
        raise InputError(issues)
    if lo.sum() > 1 + 1e-12 or hi.sum() < 1 - 1e-12:
        notes.append(
            f"the weight bounds cannot all hold for these criteria (lows sum to {lo.sum():g}, highs to "
            f"{hi.sum():g}), so they were not applied"
        )
        lo, hi = np.zeros(m), np.ones(m)
    return lo, hi, notes


def _price_cut(problem: DecisionProblem, t: int) -> tuple[float | None, str]:
    c = "monthly_cost"
    if c not in problem.criteria:
        return None, "monthly cost carries no weight here, so no price cut changes the ranking"
    j = problem.criteria.index(c)
    value = problem.values[c][t]
    scale = problem.scales.get(c)
    if not isinstance(value, (int, float)) or scale is None:
        return None, "it has no monthly cost to cut (no public price)"
    if value <= 0:
        return None, "its monthly cost is already 0"
    U = problem.utilities.copy()
    s = problem.scores()
    rival = float(np.max(np.delete(s, t)))

    def gap(u: float, margin: float) -> float:
        U[t, j] = u
        return float(aggregate(U[t : t + 1], problem.weights, problem.method)[0]) - rival - margin

    u0 = float(problem.utilities[t, j])
    tie = ""
    margin = LEAD_MARGIN
    if gap(1.0, margin) < 0:
        if gap(1.0, 0.0) < -TIE_TOLERANCE:
            return (
                None,
                "even at the best price on the scale it would not rank first: price alone cannot do it",
            )
        margin, tie = 0.0, " (at best tied for first)"
    if gap(u0, margin) >= 0:
        u_star = u0
    else:
        from scipy import optimize  # only when there is a root to find (not for the leader)

        u_star = float(optimize.brentq(gap, u0, 1.0, args=(margin,), xtol=1e-12))
    cut = max(0.0, 1.0 - scale.value(u_star) / float(value))
    cut = min(1.0, math.ceil(cut * 1000 - 1e-9) / 1000)  # rounded up to 0.1 %: the advice stays enough
    target = float(value) * (1.0 - cut)
    return (
        cut,
        f"a monthly cost {100 * cut:.1f}% lower, at most {target:,.2f} instead of {float(value):,.2f}, "
        f"would make it first{tie}",
    )


def what_would_it_take(
    problem: DecisionProblem,
    offering_id: str,
    bounds: Mapping[str, tuple[float, float]] | None = None,
) -> WhatItTakes:
    r"""The smallest weight change (L1) and the price cut that would make an offering first.

    Parameters
    ----------
    problem : DecisionProblem
    offering_id : str
    bounds : mapping, optional
        Criterion id → (low, high) weight share the new weights must respect
        (default 0–1 for every analysed criterion). Bounds of a criterion without
        weight, or bounds that cannot all hold, are left out with a note in the message.

    Returns
    -------
    WhatItTakes

    Raises
    ------
    InputError
        Unknown offering; bounds naming unknown criteria or outside 0–1.

    Notes
    -----
    The linear program (``scipy.optimize.linprog``, HiGHS) minimises
    :math:`\sum_j d_j` subject to :math:`d_j \ge |w'_j - w_j|`, :math:`\sum_j w'_j = 1`,
    the bounds, and :math:`(a_k - a_t) \cdot w' \le -\delta` for every other offering
    *k*, where :math:`a` are the rows of :func:`engine.mcda.aggregation.linear_form`
    (utilities, or their logarithms for the weighted product) and
    :math:`\delta` = :data:`LEAD_MARGIN`, so that the advice, rounded for people, still
    works. When only a tie is possible (δ = 0) the message says so. The price cut asks
    for the same lead and is rounded up to 0.1 %.
    """
    t = problem.index(offering_id)
    lo, hi, bound_notes = _check_bounds(problem, bounds or {})
    s = problem.scores()
    rank = int(competition_ranks(s, TIE_TOLERANCE)[t])
    cut, cut_msg = _price_cut(problem, t) if rank > 1 else (0.0, "it is already first")
    if rank == 1:
        return WhatItTakes(
            offering_id, 1, "first", "it already ranks first", price_cut=0.0, price_message=cut_msg
        )
    E = effective_utilities(problem)
    dominates_t = np.all(E >= E[t], axis=1) & np.any(E > E[t], axis=1)
    doms = tuple(problem.offering_ids[a] for a in np.flatnonzero(dominates_t))
    if doms:
        more = f" and {len(doms) - 3} more" if len(doms) > 3 else ""
        msg = (
            f"cannot rank first under any weights: it is dominated by {', '.join(doms[:3])}{more} "
            "(at least as good on every criterion, better on one)"
        )
        return WhatItTakes(
            offering_id, rank, "dominated", msg, dominated_by=doms, price_cut=cut, price_message=cut_msg
        )
    if not is_additive(problem.method):
        msg = (
            f"the weight analysis needs a method that is linear in the weights; {problem.method} is not "
            "(choose weighted sum or weighted product)"
        )
        return WhatItTakes(offering_id, rank, "unsupported", msg, price_cut=cut, price_message=cut_msg)
    A = linear_form(problem.utilities, problem.method)
    tail = "".join(f"; {n}" for n in bound_notes)
    tie = ""
    w, dist = _lp_nearest(A, t, problem.weights, lo, hi, LEAD_MARGIN)
    if w is None:
        w, dist = _lp_nearest(A, t, problem.weights, lo, hi, 0.0)
        tie = " (at best tied for first)"
    if w is None:
        free, _ = _lp_nearest(A, t, problem.weights, np.zeros_like(lo), np.ones_like(hi))
        if free is None:
            msg = (
                "cannot rank first under any weights: no single offering beats it everywhere, "
                "but a mix of others always does"
            )
            return WhatItTakes(offering_id, rank, "never_first", msg, price_cut=cut, price_message=cut_msg)
        msg = "it could rank first, but only with weights outside the bounds you set" + tail
        return WhatItTakes(offering_id, rank, "outside_bounds", msg, price_cut=cut, price_message=cut_msg)
    new = {c: float(w[j]) for j, c in enumerate(problem.criteria)}
    moves = sorted(
        ((c, float(problem.weights[j]), new[c]) for j, c in enumerate(problem.criteria)),
        key=lambda x: -abs(x[2] - x[1]),
    )
    parts = [f"{c} {100 * a:.2f}% → {100 * b:.2f}%" for c, a, b in moves if abs(b - a) >= 5e-5]
    msg = f"move {100 * dist / 2:.2f} percentage points of weight{tie}: " + ", ".join(parts) + tail
    return WhatItTakes(offering_id, rank, "weights", msg, new, dist, price_cut=cut, price_message=cut_msg)
