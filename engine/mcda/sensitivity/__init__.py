"""Robustness of a ranking: dominance, stability intervals, SMAA-2, what would it take.

All analyses work on a :class:`DecisionProblem`: the utilities of the ranked
offerings (those that pass the must-haves) on the *weighted* criteria, with the
buyer's normalised weights and aggregation method. Criteria the buyer weighted 0 stay
at 0 throughout: the buyer said they do not matter.

Measures
--------
Dominance and Pareto front
    Offering *a* dominates *b* when its utility is at least as high on every weighted
    criterion and strictly higher on one; the non-dominated offerings form the Pareto
    front (Belton & Stewart, *Multiple Criteria Decision Analysis*, 2002, §2.3). A
    dominated offering cannot rank first under any strictly positive weights.
Stability intervals
    How far one weight can move, the others rescaled proportionally, before the first
    place (or the order of the top *k*) changes (Triantaphyllou & Sánchez, *Decision
    Sciences* 28(1), 1997; Mareschal, *EJOR* 33, 1988, for the "others rescaled"
    convention). Closed form for the additive models; for TOPSIS found numerically.
SMAA-2 rank acceptability
    Weights are sampled around the buyer's weights; the rank acceptability
    :math:`b_i^r` is the share of samples in which offering *i* takes rank *r*; the
    central weight vector is the mean of the weights that make *i* first; the
    confidence factor is the share of (value) samples in which *i* is first at its
    central weights (Lahdelma & Salminen, "SMAA-2", *Operations Research* 49(3),
    2001; Tervonen & Figueira, *J. Multi-Crit. Decis. Anal.* 15, 2008).
What would it take
    For an offering that is not first: the smallest change of the weights in the L1
    norm (within bounds the buyer sets) that makes it (at least jointly) first, a
    linear program solved with ``scipy.optimize.linprog`` (HiGHS); and the cut of
    its monthly cost that would, with the weights unchanged. An offering for which no
    weights exist is not *potentially optimal* (Hazen, *Operations Research* 34(2),
    1986).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy import optimize, stats

from engine.catalog.schema import Robustness
from engine.errors import InputError, Issue, suggest
from engine.mcda.aggregation import WPM_FLOOR, aggregate, competition_ranks, is_additive, linear_form
from engine.mcda.elicitation import parse_order
from engine.mcda.scoring import TIE_TOLERANCE, Ranking

__all__ = [
    "DecisionProblem",
    "Dominance",
    "RangedCell",
    "RankAcceptability",
    "Scale",
    "SensitivityPlan",
    "SensitivityReport",
    "SmaaCounts",
    "SmaaPlan",
    "StabilityInterval",
    "WhatItTakes",
    "dominance",
    "plan_sensitivity",
    "plan_sensitivity_with",
    "rank_stability",
    "sample_weights",
    "sensitivity",
    "sensitivity_with",
    "smaa",
    "stability_intervals",
    "what_would_it_take",
]

FloatArray = NDArray[np.float64]

_CHUNK_CELLS = 500_000
"""Scores per SMAA chunk (samples × offerings): 4 MB per float64 array; with the rank
temporaries about 35 MB at peak. Smaller chunks were also faster here (cache), measured
in ``benchmarks/bench_robustness.py``: 4 M cells 0.56 s / 209 MB, 0.5 M 0.40 s / 33 MB."""


@dataclass(frozen=True)
class Scale:
    """A numeric criterion's value function, to map sampled values to utilities and back.

    ``kind`` is ``linear`` or ``log``; ``worst`` maps to utility 0 and ``best`` to 1
    (for a relative-scale criterion, the worst and best values present).
    """

    kind: Literal["linear", "log"]
    worst: float
    best: float

    def utility(self, x: FloatArray) -> FloatArray:
        """Utilities in [0, 1] of performance values ``x`` (any shape)."""
        x = np.asarray(x, dtype=np.float64)
        if self.worst == self.best:
            return np.ones_like(x)
        if self.kind == "log":
            lo, hi = min(self.worst, self.best), max(self.worst, self.best)
            xl = np.log10(np.clip(x, lo, hi))
            u = (xl - math.log10(self.worst)) / (math.log10(self.best) - math.log10(self.worst))
        else:
            u = (x - self.worst) / (self.best - self.worst)
        out: FloatArray = np.clip(u, 0.0, 1.0)
        return out

    def value(self, u: float) -> float:
        """The performance value whose utility is ``u`` (inverse of :meth:`utility`)."""
        if self.kind == "log":
            lw, lb = math.log10(self.worst), math.log10(self.best)
            return float(10 ** (lw + u * (lb - lw)))
        return self.worst + u * (self.best - self.worst)


@dataclass(frozen=True)
class RangedCell:
    """A decision-matrix cell whose value has a plausible range (sampled by SMAA)."""

    row: int
    col: int
    low: float
    high: float


@dataclass(frozen=True)
class DecisionProblem:
    """The input of every robustness analysis.

    Attributes
    ----------
    offering_ids : tuple of str, length n
        Ranked offerings in ranking order (the leader first).
    criteria : tuple of str, length m
        The criteria analysed (by default those with a positive weight).
    utilities : ndarray, shape (n, m)
        Utilities in [0, 1]; an unknown value counts as 0 (the ``worst`` policy).
    weights : ndarray, shape (m,)
        The buyer's weights over ``criteria``, summing to 1.
    method : str
        Aggregation method (see :mod:`engine.mcda.aggregation`).
    ranged : tuple of RangedCell
    scales : mapping
        Criterion id → :class:`Scale`, for the numeric criteria.
    values : mapping
        Criterion id → performance values of the offerings (``None`` when unknown).
    """

    offering_ids: tuple[str, ...]
    criteria: tuple[str, ...]
    utilities: FloatArray
    weights: FloatArray
    method: str = "weighted-sum"
    ranged: tuple[RangedCell, ...] = ()
    scales: Mapping[str, Scale] = field(default_factory=dict)
    values: Mapping[str, tuple[float | str | None, ...]] = field(default_factory=dict)
    catalog_criteria: tuple[str, ...] = ()

    @classmethod
    def from_ranking(cls, ranking: Ranking, criteria: Sequence[str] | None = None) -> DecisionProblem:
        """Build the problem from a :class:`~engine.mcda.scoring.Ranking`.

        Parameters
        ----------
        ranking : Ranking
        criteria : sequence of str, optional
            Criteria to analyse; default those with a positive weight. Weights of
            criteria outside the set are dropped and the rest renormalised.

        Raises
        ------
        InputError
            ``sensitivity.no_offerings`` when no offering passes the must-haves.
        """
        rows = ranking.ranked
        if not rows:
            raise InputError.single(
                "sensitivity.no_offerings",
                "no offering passes the must-haves, so there is no ranking to analyse",
            )
        crit = (
            tuple(criteria) if criteria is not None else tuple(c for c, w in ranking.weights.items() if w > 0)
        )
        known = tuple(c.id for c in ranking.criteria)
        unknown = [c for c in crit if c not in known]
        if unknown:
            raise InputError(
                [
                    Issue(
                        "sensitivity.unknown_criterion",
                        f"unknown criterion {c!r}{suggest(c, known)}",
                        field="order",
                    )
                    for c in unknown
                ]
            )
        U = np.array([[(r.cells[c].utility or 0.0) for c in crit] for r in rows], dtype=np.float64).reshape(
            len(rows), len(crit)
        )
        w = np.array([ranking.weights.get(c, 0.0) for c in crit], dtype=np.float64)
        w = w / w.sum() if w.sum() > 0 else np.full(len(crit), 1.0 / max(len(crit), 1))
        specs = {c.id: c for c in ranking.criteria}
        scales: dict[str, Scale] = {}
        values: dict[str, tuple[float | str | None, ...]] = {}
        for c in crit:
            spec = specs[c]
            values[c] = tuple(r.cells[c].value for r in rows)
            if spec.value_function.type == "levels":
                continue
            kind: Literal["linear", "log"] = "log" if spec.value_function.type == "log" else "linear"
            if spec.scale == "relative":
                present = [float(v) for v in values[c] if isinstance(v, (int, float))]
                if not present:
                    continue
                lo, hi = min(present), max(present)
                if hi == lo:  # a constant column: no scale to re-score a sampled value on
                    continue
                worst, best = (lo, hi) if spec.direction == "max" else (hi, lo)
                scales[c] = Scale("linear", worst, best)
            elif c in ranking.anchors:
                scales[c] = Scale(kind, *ranking.anchors[c])
        ranged = tuple(
            RangedCell(i, j, float(cell.low), float(cell.high))
            for i, r in enumerate(rows)
            for j, c in enumerate(crit)
            if (cell := r.cells[c]).low is not None
            and cell.high is not None
            and not cell.imputed
            and c in scales
            and cell.high > cell.low
        )
        return cls(
            tuple(r.offering_id for r in rows),
            crit,
            U,
            w,
            ranking.method,
            ranged,
            scales,
            values,
            tuple(c.id for c in ranking.criteria),
        )

    @property
    def n(self) -> int:
        return len(self.offering_ids)

    def index(self, offering_id: str) -> int:
        """Row of ``offering_id``.

        Raises
        ------
        InputError
            ``sensitivity.unknown_offering`` (with the nearest id).
        """
        try:
            return self.offering_ids.index(offering_id)
        except ValueError:
            raise InputError.single(
                "sensitivity.unknown_offering",
                f"{offering_id!r} is not among the ranked offerings{suggest(offering_id, self.offering_ids)}",
            ) from None

    def scores(self, W: FloatArray | None = None) -> FloatArray:
        """Scores (0–1) under ``W`` (default the buyer's weights); see :func:`engine.mcda.aggregation.aggregate`."""
        return aggregate(self.utilities, self.weights if W is None else W, self.method)


# --------------------------------------------------------------------------- dominance


@dataclass(frozen=True)
class Dominance:
    """Pareto front and dominance relation of a problem.

    Attributes
    ----------
    pareto_front : tuple of str
        Non-dominated offerings, in ranking order.
    dominated_by : mapping
        Dominated offering → the offerings that dominate it (ranking order).
    """

    pareto_front: tuple[str, ...]
    dominated_by: Mapping[str, tuple[str, ...]]


def _dominance_matrix(U: FloatArray) -> NDArray[np.bool_]:
    """``D[a, b]``: a dominates b. Shape (n, n); chunked to bound memory."""
    n = U.shape[0]
    D = np.zeros((n, n), dtype=bool)
    step = max(1, 2_000_000 // max(n * max(U.shape[1], 1), 1))
    for a0 in range(0, n, step):
        Ua = U[a0 : a0 + step, None, :]
        geq = np.all(Ua >= U[None, :, :], axis=2)
        gt = np.any(Ua > U[None, :, :], axis=2)
        D[a0 : a0 + step] = geq & gt
    return D


def _effective(problem: DecisionProblem) -> FloatArray:
    """Utilities as the method sees them (the weighted product floors them at WPM_FLOOR)."""
    if problem.method == "weighted-product":
        out: FloatArray = np.maximum(problem.utilities, WPM_FLOOR)
        return out
    return problem.utilities


def dominance(problem: DecisionProblem) -> Dominance:
    """Dominance among the ranked offerings on the analysed criteria's utilities.

    Returns
    -------
    Dominance

    Notes
    -----
    O(n² m) comparisons, chunked (1,000 offerings × 10 criteria: about 10⁷).
    """
    D = _dominance_matrix(_effective(problem))
    ids = problem.offering_ids
    dominated: NDArray[np.bool_] = np.asarray(D.any(axis=0), dtype=bool)
    return Dominance(
        pareto_front=tuple(o for o, d in zip(ids, dominated.tolist(), strict=True) if not d),
        dominated_by={
            ids[b]: tuple(ids[a] for a in np.flatnonzero(D[:, b])) for b in np.flatnonzero(dominated)
        },
    )


# --------------------------------------------------------------------------- stability


@dataclass(frozen=True)
class StabilityInterval:
    """How far one criterion's weight can move before the top of the ranking changes.

    Weights are shares of the total (0–1); moving weight ``criterion`` to ``t``
    rescales the others by ``(1 - t) / (1 - weight)``.

    Attributes
    ----------
    criterion : str
    weight : float
        Current weight.
    first_low, first_high : float
        The leader stays (at least jointly) first for weights in this closed interval.
    first_low_by, first_high_by : str or None
        The offering that takes first place just beyond each end (``None`` when the
        end is 0 or 1 and nothing overtakes).
    top_k : int
    top_k_low, top_k_high : float
        The order of the first ``top_k`` offerings holds in this interval.
    """

    criterion: str
    weight: float
    first_low: float
    first_high: float
    first_low_by: str | None
    first_high_by: str | None
    top_k: int
    top_k_low: float
    top_k_high: float


def _path_terms(A: FloatArray, w: FloatArray, j: int) -> tuple[FloatArray, FloatArray]:
    """Scores along the path of weight j: ``s_i(t) = R_i + t b_i`` for an additive model."""
    S = A @ w
    wj = float(w[j])
    if wj >= 1.0:
        others = np.delete(A, j, axis=1)
        R = others.mean(axis=1) if others.shape[1] else np.zeros(A.shape[0])
    else:
        R = (S - wj * A[:, j]) / (1.0 - wj)
    return R, A[:, j] - R


def _weights_at(w: FloatArray, j: int, t: float | FloatArray) -> FloatArray:
    """Weight vector(s) with weight j set to t and the others rescaled proportionally."""
    t_arr = np.atleast_1d(np.asarray(t, dtype=np.float64))
    wj = float(w[j])
    rest = w.copy()
    rest[j] = 0.0
    if wj >= 1.0:
        rest = np.ones_like(w)
        rest[j] = 0.0
        rest /= max(rest.sum(), 1.0)
    else:
        rest = rest / (1.0 - wj)
    W = (1.0 - t_arr)[:, None] * rest[None, :]
    W[:, j] = t_arr
    return W if np.ndim(t) else W[0]


_T_TOL = 1e-9
"""Crossings closer than this to weight 0 or 1 are ties at the end, not changes."""


def _pairs_interval(
    R: FloatArray, b: FloatArray, ahead: NDArray[np.int64], behind: NDArray[np.int64], t0: float
) -> tuple[float, float, int | None, int | None]:
    """Interval around t0 where ``s_ahead(t) >= s_behind(t)`` for every pair.

    Returns (lo, hi, index into the pairs that binds at lo, ... at hi).
    """
    c0 = R[ahead] - R[behind]
    g = b[ahead] - b[behind]
    lo, hi, at_lo, at_hi = 0.0, 1.0, None, None
    with np.errstate(divide="ignore", invalid="ignore"):
        cross = -c0 / g
    # a pair that only meets at an end of [0, 1] (a tie at weight 0 or 100%) is no crossing
    up = (g < 0) & (cross < 1.0 - _T_TOL)  # difference shrinks as t grows: an upper bound
    if np.any(up):
        k = int(np.argmin(np.where(up, cross, np.inf)))
        hi, at_hi = max(float(cross[k]), t0), k
    down = (g > 0) & (cross > _T_TOL)
    if np.any(down):
        k = int(np.argmax(np.where(down, cross, -np.inf)))
        lo, at_lo = min(float(cross[k]), t0), k
    return lo, hi, at_lo, at_hi


def _numeric_interval(
    problem: DecisionProblem, j: int, ahead: NDArray[np.int64], behind: NDArray[np.int64], t0: float
) -> tuple[float, float, int | None, int | None]:
    """The same interval for a method that is not linear in the weights (TOPSIS).

    The pair differences are evaluated on a grid of 1,001 weights, and the first
    sign change on each side of ``t0`` is refined with Brent's method.
    """
    grid = np.unique(np.concatenate([np.linspace(0.0, 1.0, 1001), [t0]]))
    S = problem.scores(_weights_at(problem.weights, j, grid))
    diff = S[:, ahead] - S[:, behind]  # (grid, pairs)
    bad = diff < -TIE_TOLERANCE
    i0 = int(np.searchsorted(grid, t0))

    def edge(direction: int) -> tuple[float, int | None]:
        idx = range(i0 + 1, len(grid)) if direction > 0 else range(i0 - 1, -1, -1)
        prev = i0
        for i in idx:
            if bad[i].any():
                # several pairs may cross within one grid step: the end is the crossing
                # nearest to t0, so refine each and keep the nearest
                best: tuple[float, int] | None = None
                for k in np.flatnonzero(bad[i]).tolist():

                    def f(t: float, k: int = k) -> float:
                        s = problem.scores(_weights_at(problem.weights, j, t))
                        return float(s[ahead[k]] - s[behind[k]])

                    a, z = sorted((float(grid[prev]), float(grid[i])))
                    root = (
                        float(optimize.brentq(f, a, z, xtol=1e-12)) if f(a) * f(z) < 0 else float(grid[prev])
                    )
                    if best is None or abs(root - t0) < abs(best[0] - t0):
                        best = (root, k)
                assert best is not None
                return best
            prev = i
        return (1.0 if direction > 0 else 0.0), None

    hi, at_hi = edge(+1)
    lo, at_lo = edge(-1)
    return lo, hi, at_lo, at_hi


def _interval(
    problem: DecisionProblem, j: int, ahead: NDArray[np.int64], behind: NDArray[np.int64]
) -> tuple[float, float, int | None, int | None]:
    t0 = float(problem.weights[j])
    if len(problem.criteria) == 1 or len(ahead) == 0:
        return (t0, t0, None, None) if len(problem.criteria) == 1 else (0.0, 1.0, None, None)
    if is_additive(problem.method):
        R, b = _path_terms(linear_form(problem.utilities, problem.method), problem.weights, j)
        return _pairs_interval(R, b, ahead, behind, t0)
    return _numeric_interval(problem, j, ahead, behind, t0)


def _order(problem: DecisionProblem) -> NDArray[np.int64]:
    """Rows by score (best first), ties by id, as in the Ranking."""
    r = competition_ranks(problem.scores(), TIE_TOLERANCE)
    return np.array(sorted(range(problem.n), key=lambda i: (r[i], problem.offering_ids[i])), dtype=np.int64)


def stability_intervals(problem: DecisionProblem, top_k: int = 3) -> tuple[StabilityInterval, ...]:
    """Weight stability intervals of every analysed criterion.

    Parameters
    ----------
    problem : DecisionProblem
    top_k : int
        The order of this many leading offerings is tracked as well (capped at n).

    Returns
    -------
    tuple of StabilityInterval
        One per criterion, in ``problem.criteria`` order.

    Notes
    -----
    For the additive models each offering's score along the path is linear in the
    moved weight ``t``: ``s_i(t) = R_i + t (a_ij - R_i)`` with
    ``R_i = (s_i - w_j a_ij) / (1 - w_j)``, so each pair crosses at most once and the
    interval ends are exact crossings (O(n m) in all). With a single analysed
    criterion the weight cannot move (the interval is that weight).
    """
    order = _order(problem)
    n = problem.n
    k = max(1, min(top_k, n))
    leader = order[0]
    others = np.array([i for i in range(n) if i != leader], dtype=np.int64)
    first_ahead = np.full(len(others), leader, dtype=np.int64)
    # order of the top k: consecutive pairs, then the k-th ahead of every offering below
    ahead = np.concatenate([order[: k - 1], np.full(n - k, order[k - 1], dtype=np.int64)])
    behind = np.concatenate([order[1:k], order[k:]])
    ids = problem.offering_ids
    out = []
    for j, c in enumerate(problem.criteria):
        lo, hi, at_lo, at_hi = _interval(problem, j, first_ahead, others)
        klo, khi, _, _ = _interval(problem, j, ahead.astype(np.int64), behind.astype(np.int64))
        out.append(
            StabilityInterval(
                criterion=c,
                weight=float(problem.weights[j]),
                first_low=lo,
                first_high=hi,
                first_low_by=ids[others[at_lo]] if at_lo is not None else None,
                first_high_by=ids[others[at_hi]] if at_hi is not None else None,
                top_k=k,
                top_k_low=klo,
                top_k_high=khi,
            )
        )
    return tuple(out)


def rank_stability(problem: DecisionProblem, offering_id: str) -> dict[str, tuple[float, float]]:
    """For each criterion, the weight interval in which ``offering_id`` keeps its rank.

    The offering keeps its rank while every offering now ahead of it stays ahead (or
    level) and every offering behind stays behind (others rescaled proportionally).

    Returns
    -------
    dict
        Criterion id → (low, high) weight share.

    Raises
    ------
    InputError
        For an offering that is not ranked.
    """
    t = problem.index(offering_id)
    s = problem.scores()
    better = np.array([i for i in range(problem.n) if i != t and s[i] > s[t] + TIE_TOLERANCE], dtype=np.int64)
    worse = np.array([i for i in range(problem.n) if i != t and s[i] < s[t] - TIE_TOLERANCE], dtype=np.int64)
    ahead = np.concatenate([better, np.full(len(worse), t, dtype=np.int64)])
    behind = np.concatenate([np.full(len(better), t, dtype=np.int64), worse])
    out = {}
    for j, c in enumerate(problem.criteria):
        lo, hi, _, _ = _interval(problem, j, ahead, behind)
        out[c] = (lo, hi)
    return out


# --------------------------------------------------------------------------- SMAA-2


@dataclass(frozen=True)
class RankAcceptability:
    """SMAA-2 results.

    Attributes
    ----------
    offering_ids : tuple of str, length n
    criteria : tuple of str, length m
    acceptability : ndarray, shape (n, n)
        ``acceptability[i, r]``: share of samples in which offering i takes rank r+1.
        Each row sums to 1 (tied offerings share the better rank).
    central_weights : ndarray, shape (n, m)
        Mean weight vector of the samples in which i is first; NaN if never first.
    confidence : ndarray, shape (n,)
        Share of value samples in which i is first at its central weights; NaN if
        never first (1 or 0 when no value has a range).
    holistic : ndarray, shape (n,)
        Holistic acceptability index :math:`\\sum_r \\alpha_r b_i^r` with rank-order
        centroid meta-weights α (Lahdelma & Salminen 2001, §3).
    samples, seed : int
    concentration : float or None
        Dirichlet concentration (``None`` when sampling from an order of criteria).
    order : tuple of str or None
    value_uncertainty : bool
        True when ranged values were sampled as well.
    """

    offering_ids: tuple[str, ...]
    criteria: tuple[str, ...]
    acceptability: FloatArray
    central_weights: FloatArray
    confidence: FloatArray
    holistic: FloatArray
    samples: int
    seed: int
    concentration: float | None
    order: tuple[str, ...] | None
    value_uncertainty: bool


def _check_sampling(samples: int, concentration: float | None, seed: int = 0) -> None:
    issues = []
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        issues.append(Issue("sensitivity.invalid_seed", f"seed must be a whole number ≥ 0, found {seed!r}"))
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        issues.append(
            Issue("sensitivity.invalid_samples", f"samples must be a whole number ≥ 1, found {samples!r}")
        )
    if concentration is not None and (
        isinstance(concentration, bool)
        or not isinstance(concentration, (int, float))
        or not math.isfinite(concentration)
        or concentration <= 0
    ):
        issues.append(
            Issue(
                "sensitivity.invalid_concentration",
                f"concentration must be a finite number > 0, found {concentration!r}",
            )
        )
    if issues:
        raise InputError(issues)


def sample_weights(
    weights: FloatArray,
    size: int,
    rng: np.random.Generator,
    *,
    concentration: float | None = 50.0,
    order: Sequence[int] | None = None,
) -> FloatArray:
    """Draw weight vectors for SMAA.

    Parameters
    ----------
    weights : ndarray, shape (m,)
        The buyer's weights (sum 1).
    size : int
    rng : numpy.random.Generator
    concentration : float, optional
        Dirichlet with :math:`\\alpha_j = 1 + K w_j`: its mode is exactly the buyer's
        weights, it approaches them as ``K`` → ∞ and the uniform distribution on the
        simplex as ``K`` → 0 (the SMAA case of no preference information). Every
        :math:`\\alpha_j \\ge 1`, so no sampled weight underflows to 0.
    order : sequence of int, optional
        Column indices from most to least important: sample uniformly on the simplex
        restricted to :math:`w_{o_1} \\ge w_{o_2} \\ge \\dots` (sorted uniform
        Dirichlet draws; Lahdelma & Salminen 2001, §2.2); other columns get 0.

    Returns
    -------
    ndarray, shape (size, m)
    """
    m = len(weights)
    if order is not None:
        k = len(order)
        draws = stats.dirichlet.rvs(np.ones(k), size=size, random_state=rng) if k > 1 else np.ones((size, 1))
        W = np.zeros((size, m))
        W[:, list(order)] = -np.sort(-draws, axis=1)
        return W
    assert concentration is not None
    if m == 1:
        return np.ones((size, 1))
    alpha = 1.0 + concentration * np.asarray(weights, dtype=np.float64)
    W = np.asarray(stats.dirichlet.rvs(alpha, size=size, random_state=rng), dtype=np.float64)
    return W


def _ranged_scores(problem: DecisionProblem, W: FloatArray, rng: np.random.Generator | None) -> FloatArray:
    """Scores (samples × n) under weights W, with ranged values drawn when rng is given."""
    if rng is None or not problem.ranged:
        return problem.scores(W)
    return _scores_with_draws(problem, W, rng.random((W.shape[0], len(problem.ranged))))


def _scores_with_draws(problem: DecisionProblem, W: FloatArray, r: FloatArray) -> FloatArray:
    """Scores (samples × n) under weights W with the ranged values set by uniform draws
    ``r`` (samples × ranged cells, in [0, 1): each cell's value is ``low + r (high - low)``)."""
    U = problem.utilities
    size = W.shape[0]
    cells = problem.ranged
    us = np.empty((size, len(cells)))
    for k, c in enumerate(cells):
        scale = problem.scales[problem.criteria[c.col]]
        us[:, k] = scale.utility(c.low + r[:, k] * (c.high - c.low))
    rows = np.array([c.row for c in cells])
    cols = np.array([c.col for c in cells])
    base = U[rows, cols]
    method = problem.method
    if method == "topsis":
        W2 = W * W
        dp2 = W2 @ ((1.0 - U) ** 2).T
        dm2 = W2 @ (U * U).T
        for k in range(len(cells)):
            wk = W2[:, cols[k]]
            dp2[:, rows[k]] += wk * ((1.0 - us[:, k]) ** 2 - (1.0 - base[k]) ** 2)
            dm2[:, rows[k]] += wk * (us[:, k] ** 2 - base[k] ** 2)
        dp, dm = np.sqrt(np.maximum(dp2, 0.0)), np.sqrt(np.maximum(dm2, 0.0))
        tot = dp + dm
        out: FloatArray = np.divide(dm, tot, out=np.zeros_like(tot), where=tot > 0)
        return out
    A = linear_form(U, method)
    S = W @ A.T
    a_s = linear_form(us, method)
    a_0 = A[rows, cols]
    for k in range(len(cells)):
        S[:, rows[k]] += W[:, cols[k]] * (a_s[:, k] - a_0[k])
    res: FloatArray = np.exp(S) if method == "weighted-product" else S
    return res


@dataclass(frozen=True)
class SmaaCounts:
    """What one chunk of SMAA samples adds up to.

    Attributes
    ----------
    counts : ndarray of int64, shape (n * n,)
        ``counts[i * n + r]``: samples in which offering i takes rank r+1.
    central : ndarray, shape (n, m)
        Sum of the weight vectors of the samples in which i is (jointly) first.
    firsts : ndarray of int64, shape (n,)
        Samples in which i is (jointly) first.
    """

    counts: NDArray[np.int64]
    central: FloatArray
    firsts: NDArray[np.int64]


@dataclass(frozen=True)
class SmaaPlan:
    """One SMAA-2 run cut into its steps: draw a chunk, count it, finish.

    :func:`smaa` runs the steps in one loop (:meth:`run`); :mod:`engine.batch` runs
    the same steps as a chunked ``dask.array``. Both draw from one random stream, in
    the order of :meth:`chunk_sizes`, and add the chunks' central weights up in that
    order, so their results are equal bit for bit.

    Attributes
    ----------
    problem : DecisionProblem
        n offerings × m criteria.
    samples, seed : int
    concentration : float or None
        ``None`` when sampling within an order.
    order : tuple of str or None
    cols : tuple of int or None
        Column indices of ``order`` in ``problem.criteria``.
    chunk : int
        Samples per chunk (the last may be smaller): about :data:`_CHUNK_CELLS`
        scores each.
    """

    problem: DecisionProblem
    samples: int
    seed: int
    concentration: float | None
    order: tuple[str, ...] | None
    cols: tuple[int, ...] | None
    chunk: int

    @classmethod
    def make(
        cls,
        problem: DecisionProblem,
        *,
        samples: int = 10_000,
        seed: int = 0,
        concentration: float | None = 50.0,
        order: Sequence[str] | None = None,
    ) -> SmaaPlan:
        """Check the settings (as :func:`smaa`) and plan the chunks.

        Raises
        ------
        InputError
            As :func:`smaa`.
        """
        _check_sampling(samples, None if order is not None else concentration, seed)
        cols: list[int] | None = None
        if order is not None:
            problems = [
                Issue(
                    "sensitivity.unknown_criterion",
                    f"order names {c!r}, which is not a weighted criterion here{suggest(c, problem.criteria)}",
                    field="order",
                )
                for c in order
                if c not in problem.criteria
            ]
            problems += [
                Issue("sensitivity.repeated_criterion", f"order names {c!r} more than once", field="order")
                for k, c in enumerate(order)
                if c in order[:k]
            ]
            if problems:
                raise InputError(problems)
            cols = [problem.criteria.index(c) for c in order]
        return cls(
            problem,
            samples,
            seed,
            None if order is not None else concentration,
            tuple(order) if order is not None else None,
            tuple(cols) if cols is not None else None,
            max(1, _CHUNK_CELLS // max(problem.n, 1)),
        )

    def chunk_sizes(self) -> tuple[int, ...]:
        """Samples of each chunk, in drawing order (they sum to ``samples``)."""
        full, rest = divmod(self.samples, self.chunk)
        return (self.chunk,) * full + ((rest,) if rest else ())

    def draw(self, rng: np.random.Generator, size: int) -> tuple[FloatArray, FloatArray | None]:
        """The next chunk's draws from ``rng``: weights, shape (size, m), then the
        uniform draws of the ranged values, shape (size, len(ranged)) (``None`` when
        no value has a range)."""
        p = self.problem
        W = sample_weights(
            p.weights,
            size,
            rng,
            concentration=self.concentration,
            order=list(self.cols) if self.cols is not None else None,
        )
        r = rng.random((size, len(p.ranged))) if p.ranged else None
        return W, r

    def count(self, W: FloatArray, r: FloatArray | None) -> SmaaCounts:
        """Ranks under each sampled weight vector of one chunk, counted (pure)."""
        p = self.problem
        n = p.n
        S = p.scores(W) if r is None else _scores_with_draws(p, W, r)
        ranks = competition_ranks(S, TIE_TOLERANCE)
        counts = np.bincount((np.arange(n)[None, :] * n + ranks - 1).ravel(), minlength=n * n)
        first = ranks == 1
        central: FloatArray = first.T.astype(np.float64) @ W
        return SmaaCounts(counts.astype(np.int64), central, first.sum(axis=0).astype(np.int64))

    def finish(
        self,
        counts: NDArray[np.int64],
        central: FloatArray,
        firsts: NDArray[np.int64],
        rng: np.random.Generator,
    ) -> RankAcceptability:
        """The result from the totals of every chunk; ``rng`` continues the stream after
        the last chunk (it draws the values of the confidence factors)."""
        problem, samples = self.problem, self.samples
        n = problem.n
        acc = counts.reshape(n, n) / samples
        with np.errstate(invalid="ignore", divide="ignore"):
            cw = central / firsts[:, None]
        cw[firsts == 0] = np.nan
        conf = np.full(n, np.nan)
        has = np.flatnonzero(firsts > 0)
        if len(has):
            if problem.ranged:
                reps = min(samples, 2_000)
                hit = np.zeros(len(has))
                for _ in range(reps):
                    # (len(has), n): one value draw per central weight
                    S = _ranged_scores(problem, cw[has], rng)
                    hit += competition_ranks(S, TIE_TOLERANCE)[np.arange(len(has)), has] == 1
                conf[has] = hit / reps
            else:
                S = problem.scores(cw[has])
                first = competition_ranks(np.atleast_2d(S), TIE_TOLERANCE)[np.arange(len(has)), has] == 1
                conf[has] = first.astype(float)
        # rank-order centroid meta-weights: alpha_r = (1/n) sum_{k=r..n} 1/k
        meta = np.cumsum(1.0 / np.arange(n, 0, -1))[::-1] / n
        return RankAcceptability(
            offering_ids=problem.offering_ids,
            criteria=problem.criteria,
            acceptability=acc,
            central_weights=cw,
            confidence=conf,
            holistic=acc @ meta,
            samples=samples,
            seed=self.seed,
            concentration=self.concentration,
            order=self.order,
            value_uncertainty=bool(problem.ranged),
        )

    def run(self) -> RankAcceptability:
        """Draw, count and finish every chunk in one loop (what :func:`smaa` does)."""
        n, m = self.problem.n, len(self.problem.criteria)
        rng = np.random.default_rng(self.seed)
        counts = np.zeros(n * n, dtype=np.int64)
        central = np.zeros((n, m))
        firsts = np.zeros(n, dtype=np.int64)
        for size in self.chunk_sizes():
            c = self.count(*self.draw(rng, size))
            counts += c.counts
            central += c.central
            firsts += c.firsts
        return self.finish(counts, central, firsts, rng)


def smaa(
    problem: DecisionProblem,
    *,
    samples: int = 10_000,
    seed: int = 0,
    concentration: float | None = 50.0,
    order: Sequence[str] | None = None,
) -> RankAcceptability:
    """SMAA-2 rank acceptability, central weights and confidence factors.

    Parameters
    ----------
    problem : DecisionProblem
    samples : int
        Number of weight samples (≥ 1).
    seed : int
        Seed of the random generator (``numpy.random.default_rng``); the same seed
        gives the same result.
    concentration : float, optional
        Dirichlet concentration (> 0) around the buyer's weights; see
        :func:`sample_weights`. Ignored when ``order`` is given.
    order : sequence of str, optional
        Criteria from most to least important: weights uniform on the simplex
        restricted to that order (criteria of the problem not named get 0).

    Returns
    -------
    RankAcceptability

    Raises
    ------
    InputError
        ``sensitivity.invalid_samples`` (samples < 1), ``sensitivity.invalid_concentration``
        (≤ 0 or not finite), ``sensitivity.unknown_criterion`` for an order naming a
        criterion that is not analysed.

    Notes
    -----
    Memory is bounded by processing the samples in chunks of half a million scores
    (about 35 MB at peak, whatever the number of samples; see :class:`SmaaPlan`). Ties (scores within 1e-9) share the better rank, as in the ranking.
    With ranged values (price low/high, time to first token p95), each sample also
    draws every ranged value uniformly within its range.
    """
    return SmaaPlan.make(problem, samples=samples, seed=seed, concentration=concentration, order=order).run()


# --------------------------------------------------------------------------- what would it take


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
    u_star = u0 if gap(u0, margin) >= 0 else float(optimize.brentq(gap, u0, 1.0, args=(margin,), xtol=1e-12))
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
    E = _effective(problem)
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


# --------------------------------------------------------------------------- report


def sensitivity_with(
    ranking: Ranking,
    settings: Robustness,
    *,
    samples: int | None = None,
    seed: int | None = None,
    concentration: float | None = None,
    order_text: str | None = None,
    order_field: str = "order",
    top_k: int | None = None,
) -> SensitivityReport:
    """:func:`sensitivity` with a priorities file's ``robustness`` settings, each of
    which an argument (e.g. from the command line or a widget) may override.

    ``order_text`` (``"a > b > c"``) replaces ``settings.weight_order``; problems in
    it are reported under ``order_field`` (``robustness.weight_order`` for the file's).

    Raises
    ------
    InputError
        As :func:`sensitivity`, and for an ordering naming unknown or repeated criteria.
    """
    plan = plan_sensitivity_with(
        ranking,
        settings,
        samples=samples,
        seed=seed,
        concentration=concentration,
        order_text=order_text,
        order_field=order_field,
        top_k=top_k,
    )
    return plan.report(plan.smaa.run())


def plan_sensitivity_with(
    ranking: Ranking,
    settings: Robustness,
    *,
    samples: int | None = None,
    seed: int | None = None,
    concentration: float | None = None,
    order_text: str | None = None,
    order_field: str = "order",
    top_k: int | None = None,
) -> SensitivityPlan:
    """:func:`plan_sensitivity` with a priorities file's ``robustness`` settings (the
    arguments as in :func:`sensitivity_with`).

    Raises
    ------
    InputError
        As :func:`sensitivity_with`.
    """
    text, field = (
        (order_text, order_field)
        if order_text is not None
        else (settings.weight_order, "robustness.weight_order")
    )
    order = parse_order(text, tuple(ranking.weights), field=field) if text is not None else None
    return plan_sensitivity(
        ranking,
        samples=settings.samples if samples is None else samples,
        seed=settings.seed if seed is None else seed,
        concentration=settings.concentration if concentration is None else concentration,
        order=order,
        top_k=settings.top_k if top_k is None else top_k,
    )


@dataclass(frozen=True)
class SensitivityReport:
    """Everything ``shortlist sensitivity`` and the app's robustness view show."""

    problem: DecisionProblem
    dominance: Dominance
    stability: tuple[StabilityInterval, ...]
    acceptability: RankAcceptability
    notes: tuple[str, ...]


@dataclass(frozen=True)
class SensitivityPlan:
    """A :class:`SensitivityReport` but for its sampling: the analyses that need no
    random draws, done, and the SMAA-2 run still to do (:attr:`smaa`).

    ``plan.report(plan.smaa.run())`` is :func:`sensitivity`; :mod:`engine.batch` runs
    ``plan.smaa`` as a chunked ``dask.array`` instead.
    """

    problem: DecisionProblem
    dominance: Dominance
    stability: tuple[StabilityInterval, ...]
    notes: tuple[str, ...]
    smaa: SmaaPlan

    def report(self, acceptability: RankAcceptability) -> SensitivityReport:
        """The report, given the result of :attr:`smaa`."""
        return SensitivityReport(self.problem, self.dominance, self.stability, acceptability, self.notes)


def sensitivity(
    ranking: Ranking,
    *,
    samples: int = 10_000,
    seed: int = 0,
    concentration: float = 50.0,
    order: Sequence[str] | None = None,
    top_k: int = 3,
) -> SensitivityReport:
    """Run every robustness analysis on a ranking.

    Parameters
    ----------
    ranking : Ranking
    samples, seed, concentration
        See :func:`smaa`.
    order : sequence of str, optional
        Sample weights uniformly among those respecting this order of criteria; the
        order also sets which criteria the rank acceptability covers (it may name
        criteria the buyer weighted 0; their unknown values count as worst). The
        stability intervals and dominance stay on the weighted criteria.
    top_k : int
        See :func:`stability_intervals`.

    Returns
    -------
    SensitivityReport

    Raises
    ------
    InputError
        No ranked offering; invalid sampling settings.
    """
    plan = plan_sensitivity(
        ranking, samples=samples, seed=seed, concentration=concentration, order=order, top_k=top_k
    )
    return plan.report(plan.smaa.run())


def plan_sensitivity(
    ranking: Ranking,
    *,
    samples: int = 10_000,
    seed: int = 0,
    concentration: float = 50.0,
    order: Sequence[str] | None = None,
    top_k: int = 3,
) -> SensitivityPlan:
    """Dominance, stability intervals and the plan of the SMAA-2 run of a ranking
    (arguments as in :func:`sensitivity`).

    Raises
    ------
    InputError
        As :func:`sensitivity`.
    """
    _check_sampling(samples, None if order is not None else concentration, seed)
    problem = DecisionProblem.from_ranking(ranking)
    notes = []
    if problem.ranged:
        notes.append(f"{len(problem.ranged)} value(s) have a range and are sampled uniformly within it")
    if order is not None:
        notes.append(f"weights sampled uniformly among those ordered {' > '.join(order)}")
    else:
        notes.append(
            f"weights sampled from a Dirichlet around the buyer's weights (concentration {concentration:g})"
        )
    dom = dominance(problem)
    stability = stability_intervals(problem, top_k)
    sampled = (
        problem
        if order is None
        else DecisionProblem.from_ranking(ranking, criteria=list(dict.fromkeys(order)))
    )
    return SensitivityPlan(
        problem=problem,
        dominance=dom,
        stability=stability,
        notes=tuple(notes),
        smaa=SmaaPlan.make(sampled, samples=samples, seed=seed, concentration=concentration, order=order),
    )
