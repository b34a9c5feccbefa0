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

Scores are on the 0–1 scale (the :class:`~engine.scoring.Ranking` shows them ×100).
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
    out: FloatArray = np.clip(s, 0.0, 1.0)
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
    of near-ties shares one rank, as in :func:`engine.scoring.rank`).

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
    one = s.ndim == 1
    s2 = s[None, :] if one else s
    n_s, n = s2.shape
    if n == 0:
        return np.zeros(s.shape, dtype=np.int64)
    # the sort need not be stable: tied scores get the rank of the first of them anyway
    order = np.argsort(-s2, axis=1)
    ss = np.take_along_axis(s2, order, axis=1)
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
    return ranks[0] if one else ranks
