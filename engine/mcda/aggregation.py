"""Aggregation methods: from a utility matrix and weights to scores and ranks.

All methods work on the same input, the *utility matrix* ``U`` of shape
``(n_offerings, n_criteria)`` with values in [0, 1] (1 best, after the value
functions) and a weight vector ``w`` of shape ``(n_criteria,)`` (non-negative, sum 1).
They are vectorised over many weight vectors at once (``W`` of shape
``(n_samples, n_criteria)``), which is what the robustness analysis needs.

Methods
-------
weighted-sum
    :math:`s_i = \\sum_j w_j u_{ij}` — the additive value model (Keeney & Raiffa,
    *Decisions with Multiple Objectives*, 1976; Belton & Stewart, *Multiple Criteria
    Decision Analysis*, 2002, ch. 5).
weighted-product
    :math:`s_i = \\prod_j \\max(u_{ij}, \\varepsilon)^{w_j}` — the weighted product
    model (Bridgman 1922; Miller & Starr 1969; Triantaphyllou, *Multi-Criteria
    Decision Making Methods: A Comparative Study*, 2000, §2.2). A weak criterion costs
    more than under the weighted sum (less compensation). Because a single utility of
    0 would zero the product whatever the other criteria say, utilities are floored at
    :data:`WPM_FLOOR` = 0.01: the worst value on a criterion of weight ``w_j``
    multiplies the score by ``0.01 ** w_j``.
topsis
    :math:`s_i = d_i^- / (d_i^+ + d_i^-)` with weighted Euclidean distances
    :math:`d_i^+ = \\sqrt{\\sum_j w_j^2 (1 - u_{ij})^2}` to the ideal point and
    :math:`d_i^- = \\sqrt{\\sum_j w_j^2 u_{ij}^2}` to the anti-ideal point (Hwang &
    Yoon, *Multiple Attribute Decision Making*, 1981). Shortlist's ideal and
    anti-ideal are the value-function anchors (utility 1 and 0 on every criterion),
    not the best and worst offering present: like the fixed anchors of the value
    functions, this keeps adding or removing an offering from reordering the others
    (no rank reversal; cf. García-Cascales & Lamata, *Math. Comput. Model.* 56, 2012).
    The utilities are already on one 0–1 scale, so no further normalisation is done.

Scores are on the 0–1 scale (the :class:`~engine.mcda.scoring.Ranking` shows them ×100).
Ranks use competition ranking with a tie tolerance (``1, 1, 3``).
"""

from __future__ import annotations

from typing import Literal, get_args

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "METHODS",
    "WPM_FLOOR",
    "Method",
    "aggregate",
    "competition_ranks",
    "is_additive",
    "linear_form",
]

Method = Literal["weighted-sum", "weighted-product", "topsis"]
METHODS: tuple[str, ...] = get_args(Method)
"""The aggregation methods, default first."""

WPM_FLOOR = 0.01
"""Utilities below this are raised to it in the weighted product (a 0 would zero the product)."""

FloatArray = NDArray[np.float64]

_PACKED_MIN = 2_048
_PACKED_MAX = 2**31
"""Sizes of one score vector ranked by sorting packed (score, index) keys (see :func:`_ranks_packed`)."""
_INF_BITS = np.uint64(0x7FF0_0000_0000_0000)
"""Bit pattern of +inf: a float64 whose pattern is below it is finite and non-negative (not -0.0)."""


def aggregate(U: FloatArray, W: FloatArray, method: str = "weighted-sum") -> FloatArray:
    """Scores of every offering under one or many weight vectors.

    Parameters
    ----------
    U : ndarray, shape (n_offerings, n_criteria)
        Utilities in [0, 1].
    W : ndarray, shape (n_criteria,) or (n_samples, n_criteria)
        Weights, each vector non-negative and summing to 1.
    method : {"weighted-sum", "weighted-product", "topsis"}

    Returns
    -------
    ndarray, shape (n_offerings,) or (n_samples, n_offerings)
        Scores on the 0–1 scale (higher is better).

    Raises
    ------
    ValueError
        For an unknown method.
    """
    U = np.asarray(U, dtype=np.float64)
    W = np.asarray(W, dtype=np.float64)
    if method == "weighted-sum":
        s = W @ U.T
    elif method == "weighted-product":
        s = np.exp(W @ np.log(np.maximum(U, WPM_FLOOR)).T)
    elif method == "topsis":
        W2 = W * W
        d_plus = np.sqrt(W2 @ ((1.0 - U) ** 2).T)
        d_minus = np.sqrt(W2 @ (U * U).T)
        total = d_plus + d_minus
        # total is 0 only when every weighted distance is 0, impossible with sum(w) = 1
        s = np.divide(d_minus, total, out=np.zeros_like(total), where=total > 0)
    else:
        raise ValueError(f"unknown aggregation method {method!r}; expected one of {', '.join(METHODS)}")
    # s is a fresh array whichever the method: clip it in place (no second n-sized buffer)
    out: FloatArray = np.clip(s, 0.0, 1.0, out=s)
    return out


def is_additive(method: str) -> bool:
    """True when scores are (a monotone transform of) a weighted sum of per-criterion terms.

    Weighted sum and weighted product are; TOPSIS is not. For additive methods the
    robustness analysis has closed forms and linear programs (see :func:`linear_form`).
    """
    return method in ("weighted-sum", "weighted-product")


def linear_form(U: FloatArray, method: str) -> FloatArray:
    """The matrix ``A`` such that the method's scores are monotone in ``A @ w``.

    Weighted sum: ``A = U``. Weighted product: ``A = log(max(U, WPM_FLOOR))`` (the log
    of the score is linear in the weights). Used by stability intervals and by the
    "what would it take" linear program.

    Raises
    ------
    ValueError
        For TOPSIS (not linear in the weights) or an unknown method.
    """
    U = np.asarray(U, dtype=np.float64)
    if method == "weighted-sum":
        return U
    if method == "weighted-product":
        A: FloatArray = np.log(np.maximum(U, WPM_FLOOR))
        return A
    raise ValueError(f"method {method!r} is not linear in the weights")


def competition_ranks(scores: FloatArray, tol: float = 1e-9) -> NDArray[np.int64]:
    """Competition ranks (``1, 1, 3``) of each row of ``scores``, higher score first.

    Sorted scores closer than ``tol`` to the previous one share its rank (so a chain
    of near-ties shares one rank, as in :func:`engine.mcda.scoring.rank`).

    Parameters
    ----------
    scores : ndarray, shape (n_offerings,) or (n_samples, n_offerings)
    tol : float

    Returns
    -------
    ndarray of int64, same shape
        Rank 1 is best.
    """
    s = np.asarray(scores, dtype=np.float64)
    if s.ndim == 1:
        return _ranks_1d(s, tol)
    n_s, n = s.shape
    if n == 0:
        return np.zeros(s.shape, dtype=np.int64)
    # the sort need not be stable: tied scores get the rank of the first of them anyway
    order = np.argsort(-s, axis=1)
    ss = np.take_along_axis(s, order, axis=1)
    pos = np.arange(1, n + 1, dtype=np.int64)
    rank_sorted = np.broadcast_to(pos, (n_s, n)).copy()
    new = (ss[:, :-1] - ss[:, 1:]) > tol
    tied = np.flatnonzero(~new.all(axis=1))  # rows with a (near-)tie: usually few
    if len(tied):
        first = np.ones((len(tied), n), dtype=bool)
        first[:, 1:] = new[tied]
        rank_sorted[tied] = np.maximum.accumulate(np.where(first, pos[None, :], 0), axis=1)
    ranks = np.empty_like(rank_sorted)
    np.put_along_axis(ranks, order, rank_sorted, axis=1)
    return ranks


def _ranks_1d(s: FloatArray, tol: float) -> NDArray[np.int64]:
    """:func:`competition_ranks` of one score vector: the same ranks as the 2-D path, faster.

    A vector of at least :data:`_PACKED_MIN` finite non-negative scores (every score
    :func:`aggregate` gives) is sorted by packed integer keys (:func:`_sorted_packed`);
    any other by ``argsort``, the near-ties found from the sorted scores. Then
    (:func:`_ranks_from`) each sorted position p gets rank p + 1, and only the positions
    continuing a near-tie are revisited, instead of a tie pass over the whole vector.
    """
    n = s.shape[0]
    if _PACKED_MIN <= n <= _PACKED_MAX and tol >= 0:
        bits = s.view(np.uint64)
        if bits.max() < _INF_BITS:  # all finite and >= 0: no NaN, no -0.0
            order, cont = _sorted_packed(s, bits, tol)
            return _ranks_from(order, cont)
    order = np.argsort(-s)  # need not be stable: exactly tied scores share a rank anyway
    ss = s[order]
    cont = np.flatnonzero(~((ss[:-1] - ss[1:]) > tol)) + 1  # positions sharing the rank before
    return _ranks_from(order, cont)


def _ranks_from(order: NDArray[np.int64], cont: NDArray[np.int64]) -> NDArray[np.int64]:
    """Ranks from a descending order and the sorted positions that continue a near-tie.

    Position p gets rank p + 1 (one scatter, as a plain ``argsort`` ranking does); a
    position continuing a near-tie (its score within ``tol`` of the one before, or not
    comparable: NaN) gets the rank of the position starting its chain: a run of
    consecutive continuing positions ``c0 … ck`` continues position ``c0 - 1``, whose
    rank is ``c0``. The same as ``maximum.accumulate`` over the rank starts.
    """
    n = order.shape[0]
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = np.arange(1, n + 1, dtype=np.int64)
    if len(cont):
        run_start = np.ones(len(cont), dtype=bool)
        run_start[1:] = cont[1:] - cont[:-1] != 1
        ranks[order[cont]] = cont[run_start][np.cumsum(run_start) - 1]
    return ranks


def _sorted_packed(
    s: FloatArray, bits: NDArray[np.uint64], tol: float
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Descending order of ``s`` and the sorted positions continuing a near-tie, by one sort of keys.

    For non-negative finite floats the bit pattern, read as an unsigned integer, is in
    the same order as the value. Each key is the score's pattern with its lowest
    ``k - 1`` bits cleared, shifted up one (the sign bit is 0) and the offering's index
    in the ``k`` low bits (``2**k >= n``); an in-place ``sort`` of these integers (numpy
    sorts integers with SIMD; several times faster than ``argsort`` of floats) gives the
    order and, from the keys alone, each sorted score's interval ``[lo, hi)``.

    Between two neighbours whose intervals are more than ``tol`` apart (``lo`` of the
    higher minus ``hi`` of the lower, a bound the exact difference can only exceed, and
    float subtraction is monotone) a new rank starts and their order is exact. The
    other gaps (near-ties, and scores equal in their kept bits, whose order the index
    decided) are few: each run of positions they link is re-sorted by the exact scores
    and its gaps computed exactly, as in the plain path. So the ranks equal those of
    ``argsort`` and exact differences.
    """
    n = s.shape[0]
    k = max(1, (n - 1).bit_length())
    low = np.uint64((1 << k) - 1)
    key = bits << np.uint64(1)
    key &= ~low
    key |= np.arange(n, dtype=np.uint64)
    key.sort()
    order = (key & low).view(np.int64)[::-1]  # highest score first
    lo_bits = (key & ~low) >> np.uint64(1)
    lo = lo_bits.view(np.float64)[::-1]
    hi = (lo_bits + np.uint64(1 << (k - 1))).view(np.float64)[::-1]  # an inf or NaN pattern: a candidate
    cand = np.flatnonzero(~((lo[:-1] - hi[1:]) > tol))  # gaps p (positions p, p + 1) to compute exactly
    if not len(cand):
        return order, cand
    # runs of candidate gaps: run r links the positions starts[r] .. ends[r]
    brk = np.ones(len(cand), dtype=bool)
    brk[1:] = cand[1:] != cand[:-1] + 1
    starts = cand[brk]
    ends = cand[np.append(brk[1:], True)] + 1
    length = ends - starts + 1
    run = np.repeat(np.arange(len(starts)), length)
    pos = np.arange(int(length.sum())) + np.repeat(starts - (np.cumsum(length) - length), length)
    ids = order[pos]
    order[pos] = ids[np.lexsort((-s[ids], run))]  # each run by its exact scores, highest first
    exact = s[order[cand]] - s[order[cand + 1]]
    return order, cand[~(exact > tol)] + 1
