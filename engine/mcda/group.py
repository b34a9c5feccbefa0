"""Group decisions: one set of priorities from a committee's, and how far its members agree.

A committee's members each give their own priorities: a weight vector (sliders, or a
criteria order turned into weights) or an AHP pairwise comparison matrix. This module
holds the established ways to combine them and to measure agreement; it is pure (no
state, no I/O) and works on plain arrays.

Combining (Forman & Peniwati, "Aggregating individual judgments and priorities with
the Analytic Hierarchy Process", *European Journal of Operational Research* 108(1),
165–169, 1998): aggregate the individual **judgements** (:func:`aggregate_judgements`,
AIJ) when the committee acts as one unit, the individual **priorities**
(:func:`aggregate_priorities`, AIP) when its members act as individuals.

- AIJ: the group matrix is the element-wise weighted geometric mean
  ``a^G_ij = Π_k (a^k_ij)^(λ_k)``, ``Σ λ_k = 1``; only the geometric mean keeps
  reciprocity (``a_ji = 1 / a_ij``; Aczél & Saaty, "Procedures for synthesizing ratio
  judgements", *J. Math. Psychology* 27(1), 93–102, 1983).
- AIP: ``w^G_i = Σ_k λ_k w^k_i`` (arithmetic) or ``Π_k (w^k_i)^(λ_k)`` normalised to sum
  to 1 (geometric).

Agreement:

- :func:`ahp_consensus`: Goepel's relative homogeneity ``S`` and AHP consensus ``S*``
  from Shannon entropy over the members' priority vectors (K. D. Goepel, "Implementation
  of an Online Software Tool for the Analytic Hierarchy Process (AHP-OS)", *International
  Journal of the Analytic Hierarchy Process* 10(3), 2018; BPMSG AHP-OS source,
  ``classes/AhpGroup.php``), with its five-word scale (:func:`consensus_words`);
- :func:`kendall_w`: Kendall's coefficient of concordance over the members' rankings,
  with the correction for ties (Kendall & Babington Smith, "The problem of m rankings",
  *Ann. Math. Statist.* 10(3), 275–287, 1939; Kendall, *Rank Correlation Methods*,
  Griffin, 1948, ch. 6);
- :func:`weight_spread`: per criterion, the spread of the members' weights and the
  members whose weight is an outlier (Tukey's fences, 1.5 × IQR beyond the quartiles:
  Tukey, *Exploratory Data Analysis*, Addison-Wesley, 1977).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "CONSENSUS_WORDS",
    "Consensus",
    "Spread",
    "aggregate_judgements",
    "aggregate_priorities",
    "ahp_consensus",
    "consensus_words",
    "kendall_w",
    "member_weights",
    "weight_spread",
]

SAATY_MAX = 9.0
"""The largest judgement of Saaty's 1–9 scale (``M`` of Goepel's minimum entropy)."""

CONSENSUS_WORDS: tuple[tuple[float, str], ...] = (
    (0.5, "very low"),
    (0.625, "low"),
    (0.75, "moderate"),
    (0.875, "high"),
    (math.inf, "very high"),
)
"""Goepel's scale for ``S*``: at most 50 % very low, 62.5 % low, 75 % moderate, 87.5 %
high, above: very high (BPMSG AHP-OS)."""


def member_weights(k: int, weights: ArrayLike | None = None) -> NDArray[np.float64]:
    """The members' weights ``λ``, shape ``(k,)``, summing to 1 (equal by default).

    Raises
    ------
    ValueError
        ``k < 1``, a weight that is negative or not finite, the wrong length, or all zero.
    """
    if k < 1:
        raise ValueError("a group needs at least one member")
    if weights is None:
        return np.full(k, 1.0 / k)
    lam = np.asarray(weights, dtype=float)
    if lam.shape != (k,):
        raise ValueError(f"expected {k} member weights, found shape {lam.shape}")
    if not np.all(np.isfinite(lam)) or np.any(lam < 0):
        raise ValueError("member weights must be finite and ≥ 0")
    total = float(lam.sum())
    if total <= 0:
        raise ValueError("member weights must not all be 0")
    return lam / total


def _vectors(priorities: ArrayLike) -> NDArray[np.float64]:
    w = np.asarray(priorities, dtype=float)
    if w.ndim != 2 or w.shape[0] < 1 or w.shape[1] < 1:
        raise ValueError(f"expected a (members × criteria) array, found shape {w.shape}")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError("priority weights must be finite and ≥ 0")
    sums = w.sum(axis=1)
    if np.any(sums <= 0):
        raise ValueError("each member's weights must not all be 0")
    return np.asarray(w / sums[:, None], dtype=np.float64)


def aggregate_judgements(matrices: ArrayLike, weights: ArrayLike | None = None) -> NDArray[np.float64]:
    """AIJ: the element-wise weighted geometric mean of the members' AHP matrices.

    Parameters
    ----------
    matrices : array_like, shape (k, n, n)
        Each member's positive reciprocal pairwise comparison matrix.
    weights : array_like, shape (k,), optional
        The members' weights (:func:`member_weights`; equal by default).

    Returns
    -------
    ndarray, shape (n, n)
        The group matrix ``Π_k a^k_ij ^ λ_k``; reciprocal when every member's is.

    Raises
    ------
    ValueError
        A shape that is not ``(k, n, n)``, or an entry that is not positive and finite.
    """
    a = np.asarray(matrices, dtype=float)
    if a.ndim != 3 or a.shape[1] != a.shape[2] or a.shape[0] < 1:
        raise ValueError(f"expected (members × n × n) matrices, found shape {a.shape}")
    if not np.all(np.isfinite(a)) or np.any(a <= 0):
        raise ValueError("judgements must be positive and finite")
    lam = member_weights(a.shape[0], weights)
    g = np.exp(np.tensordot(lam, np.log(a), axes=1))
    # exact reciprocity despite rounding: the lower triangle from the upper
    iu = np.triu_indices(a.shape[1], 1)
    g[(iu[1], iu[0])] = 1.0 / g[iu]
    np.fill_diagonal(g, 1.0)
    return np.asarray(g, dtype=np.float64)


def aggregate_priorities(
    priorities: ArrayLike, weights: ArrayLike | None = None, *, mean: str = "arithmetic"
) -> NDArray[np.float64]:
    """AIP: the members' weight vectors combined into one.

    Parameters
    ----------
    priorities : array_like, shape (k, n)
        Each member's criterion weights (any positive scale; each row is normalised to
        sum to 1 first).
    weights : array_like, shape (k,), optional
        The members' weights (equal by default).
    mean : {"arithmetic", "geometric"}
        ``Σ_k λ_k w^k_i``, or ``Π_k (w^k_i)^λ_k`` normalised to sum to 1 (a criterion
        one member weights 0 gets 0 under the geometric mean).

    Returns
    -------
    ndarray, shape (n,)
        The group weights, summing to 1.

    Raises
    ------
    ValueError
        A bad shape or value, an unknown ``mean``, or (geometric) every criterion
        weighted 0 by some member.
    """
    w = _vectors(priorities)
    lam = member_weights(w.shape[0], weights)
    if mean == "arithmetic":
        g = lam @ w
    elif mean == "geometric":
        with np.errstate(divide="ignore"):
            logs = np.where(w > 0, np.log(np.where(w > 0, w, 1.0)), -np.inf)
        g = np.exp(np.sum(lam[:, None] * np.where(lam[:, None] > 0, logs, 0.0), axis=0))
        if float(g.sum()) <= 0:
            raise ValueError("under the geometric mean every criterion has a member weighting it 0")
    else:
        raise ValueError(f"mean must be 'arithmetic' or 'geometric', found {mean!r}")
    return np.asarray(g / g.sum(), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class Consensus:
    """Goepel's entropy-based agreement of a group's priority vectors.

    Attributes
    ----------
    h_alpha, h_beta, h_gamma : float
        Mean entropy of the members' vectors (α), of the mean vector (γ), and their
        difference (β = γ − α), in nats.
    homogeneity : float
        Relative homogeneity ``S = (1/D_β − 1/n)/(1 − 1/n)``, ``D_β = exp(H_β)``; 1 when
        every member gives the same weights.
    consensus : float
        AHP consensus ``S* = (1/D_β − 1/c)/(1 − 1/c)``, ``c = n / exp(H_α,min)``.
    words : str
        :func:`consensus_words` of ``consensus``.
    """

    h_alpha: float
    h_beta: float
    h_gamma: float
    homogeneity: float
    consensus: float
    words: str


def _entropy(p: NDArray[np.float64]) -> NDArray[np.float64]:
    safe = np.where(p > 0, p, 1.0)
    return np.asarray(-np.sum(np.where(p > 0, p * np.log(safe), 0.0), axis=-1), dtype=np.float64)


def ahp_consensus(priorities: ArrayLike, *, scale_max: float = SAATY_MAX) -> Consensus:
    """Goepel's relative homogeneity and AHP consensus of the members' weights.

    With ``K`` members' priority vectors ``p_k`` over ``n`` criteria:
    ``H_α = (1/K) Σ_k −Σ_i p_ki ln p_ki``; ``p̄ = (1/K) Σ_k p_k``;
    ``H_γ = −Σ_i p̄_i ln p̄_i``; ``H_β = H_γ − H_α``; ``D_β = exp(H_β)``;
    ``S = (1/D_β − 1/n)/(1 − 1/n)``; ``S* = (1/D_β − 1/c)/(1 − 1/c)`` with
    ``c = n / exp(H_α,min)`` and
    ``H_α,min = −[M/(n+M−1)] ln[M/(n+M−1)] − (n−1)[1/(n+M−1)] ln[1/(n+M−1)]``, ``M``
    the scale maximum (9 on Saaty's scale). Source: Goepel 2018 and BPMSG AHP-OS
    (module docstring); members are weighted equally, as there.

    Parameters
    ----------
    priorities : array_like, shape (K, n), n ≥ 2
        Each member's weights (rows normalised to sum to 1).
    scale_max : float
        ``M``, the largest judgement of the scale the weights come from (> 1).

    Returns
    -------
    Consensus

    Raises
    ------
    ValueError
        Fewer than 2 criteria, bad values, or ``scale_max ≤ 1``.
    """
    p = _vectors(priorities)
    n = p.shape[1]
    if n < 2:
        raise ValueError("consensus needs at least 2 criteria")
    if not scale_max > 1 or not math.isfinite(scale_max):
        raise ValueError("scale_max must be a finite number above 1")
    h_alpha = float(np.mean(_entropy(p)))
    mean = p.mean(axis=0)
    h_gamma = float(_entropy(mean))
    h_beta = max(h_gamma - h_alpha, 0.0)  # ≥ 0 by concavity; float noise kept out
    d_beta = math.exp(h_beta)
    homogeneity = (1 / d_beta - 1 / n) / (1 - 1 / n)
    m = scale_max
    big, small = m / (n + m - 1), 1 / (n + m - 1)
    h_min = -big * math.log(big) - (n - 1) * small * math.log(small)
    c = n / math.exp(h_min)
    consensus = (1 / d_beta - 1 / c) / (1 - 1 / c)
    return Consensus(h_alpha, h_beta, h_gamma, homogeneity, consensus, consensus_words(consensus))


def consensus_words(s_star: float) -> str:
    """Goepel's word for an AHP consensus ``S*`` (:data:`CONSENSUS_WORDS`)."""
    return next(word for limit, word in CONSENSUS_WORDS if s_star <= limit)


def _ranks_with_ties(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Mid-ranks, 1 for the best (the largest value), ties sharing their mean rank."""
    from scipy.stats import rankdata

    return np.asarray(rankdata(-x, method="average"), dtype=np.float64)


def kendall_w(scores: ArrayLike) -> float:
    """Kendall's coefficient of concordance ``W`` of ``m`` members ranking ``n`` objects.

    ``W = 12 S / (m² (n³ − n) − m Σ_j T_j)``, ``S = Σ_i (R_i − R̄)²`` with ``R_i`` the sum of
    object ``i``'s ranks, ``T_j = Σ (t³ − t)`` over the groups of ``t`` tied objects in
    member ``j``'s ranking (Kendall 1948, ch. 6; module docstring).

    Parameters
    ----------
    scores : array_like, shape (m, n)
        Each member's score of each object (larger is better; equal scores tie).
        Ranks are taken from them, so scores and ranks (negated) both work.

    Returns
    -------
    float
        From 0 (no agreement) to 1 (every member ranks alike). 1 when there is a single
        member; ``nan`` when no ranking has two distinct objects (nothing to agree on).

    Raises
    ------
    ValueError
        A shape other than ``(m ≥ 1, n ≥ 2)``, or a value that is not finite.
    """
    s = np.asarray(scores, dtype=float)
    if s.ndim != 2 or s.shape[0] < 1 or s.shape[1] < 2:
        raise ValueError(
            f"expected a (members × objects) array with at least 2 objects, found shape {s.shape}"
        )
    if not np.all(np.isfinite(s)):
        raise ValueError("scores must be finite")
    m, n = s.shape
    ranks = np.vstack([_ranks_with_ties(row) for row in s])
    r = ranks.sum(axis=0)
    big_s = float(np.sum((r - r.mean()) ** 2))
    ties = 0.0
    for row in s:
        _, counts = np.unique(row, return_counts=True)
        ties += float(np.sum(counts.astype(float) ** 3 - counts))
    denom = m * m * (n**3 - n) - m * ties
    if denom <= 0:
        return math.nan
    return float(min(max(12.0 * big_s / denom, 0.0), 1.0))


@dataclass(frozen=True, slots=True)
class Spread:
    """How far the members' weights of one criterion spread.

    Attributes
    ----------
    criterion : str
    low, q1, median, q3, high : float
        Minimum, quartiles (linear interpolation) and maximum of the members' weights,
        each normalised to sum to 1 over the criteria.
    outliers : tuple of int
        Members (row indices) beyond Tukey's fences (1.5 × IQR past a quartile).
    """

    criterion: str
    low: float
    q1: float
    median: float
    q3: float
    high: float
    outliers: tuple[int, ...]

    @property
    def range(self) -> float:
        """``high − low``."""
        return self.high - self.low


def weight_spread(priorities: ArrayLike, criteria: Sequence[str]) -> tuple[Spread, ...]:
    """Per criterion, the spread of the members' weights and the outlying members.

    Parameters
    ----------
    priorities : array_like, shape (k, n)
        Each member's weights (rows normalised to sum to 1).
    criteria : sequence of str, length n

    Returns
    -------
    tuple of Spread
        In the order of ``criteria``.

    Raises
    ------
    ValueError
        Bad values, or ``criteria`` not of length n.
    """
    w = _vectors(priorities)
    if len(criteria) != w.shape[1]:
        raise ValueError(f"expected {w.shape[1]} criterion names, found {len(criteria)}")
    out = []
    for j, cid in enumerate(criteria):
        col = w[:, j]
        q1, med, q3 = (float(x) for x in np.percentile(col, [25, 50, 75]))
        iqr = q3 - q1
        lo_fence, hi_fence = q1 - 1.5 * iqr, q3 + 1.5 * iqr
        tol = 1e-12
        outliers = tuple(int(i) for i in np.flatnonzero((col < lo_fence - tol) | (col > hi_fence + tol)))
        out.append(Spread(cid, float(col.min()), q1, med, q3, float(col.max()), outliers))
    return tuple(out)
