"""Stability intervals: how far one weight can move, the others rescaled proportionally,
before the first place (or the order of the top *k*) changes (Triantaphyllou & Sánchez,
*Decision Sciences* 28(1), 1997; Mareschal, *EJOR* 33, 1988). Closed form for the additive
models; for TOPSIS found numerically."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from engine.mcda.aggregation import competition_ranks, is_additive, linear_form
from engine.mcda.scoring import TIE_TOLERANCE
from engine.mcda.sensitivity.problem import DecisionProblem

__all__ = [
    "StabilityInterval",
    "rank_stability",
    "stability_intervals",
]

FloatArray = NDArray[np.float64]


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
    from scipy import optimize  # scipy.optimize: only when an analysis needs it

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
