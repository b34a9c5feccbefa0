"""SMAA-2 rank acceptability (Lahdelma & Salminen, "SMAA-2", *Operations Research* 49(3),
2001; Tervonen & Figueira, *J. Multi-Crit. Decis. Anal.* 15, 2008): weights sampled around
the buyer's, in chunks of bounded memory."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from engine.errors import InputError, Issue, suggest
from engine.mcda.aggregation import competition_ranks, linear_form
from engine.mcda.scoring import TIE_TOLERANCE
from engine.mcda.sensitivity.problem import DecisionProblem

__all__ = [
    "RankAcceptability",
    "SmaaCounts",
    "SmaaPlan",
    "check_sampling",
    "sample_weights",
    "smaa",
]

FloatArray = NDArray[np.float64]


_CHUNK_CELLS = 500_000
"""Scores per SMAA chunk (samples × offerings): 4 MB per float64 array; with the rank
temporaries about 35 MB at peak. Smaller chunks were also faster here (cache), measured
in ``benchmarks/bench_robustness.py``: 4 M cells 0.56 s / 209 MB, 0.5 M 0.40 s / 33 MB."""


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


def check_sampling(samples: int, concentration: float | None, seed: int = 0) -> None:
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

    Notes
    -----
    The draws are ``rng.dirichlet`` (numpy's :meth:`numpy.random.Generator.dirichlet`):
    the same numbers ``scipy.stats.dirichlet.rvs(..., random_state=rng)`` returned before
    (scipy hands a Generator's draws to that method), without importing ``scipy.stats``
    (about half a second of a command's start). A test pins the draws of a fixed seed.

    Returns
    -------
    ndarray, shape (size, m)
    """
    m = len(weights)
    if order is not None:
        k = len(order)
        draws = rng.dirichlet(np.ones(k), size=size) if k > 1 else np.ones((size, 1))
        W = np.zeros((size, m))
        W[:, list(order)] = -np.sort(-draws, axis=1)
        return W
    assert concentration is not None
    if m == 1:
        return np.ones((size, 1))
    alpha = 1.0 + concentration * np.asarray(weights, dtype=np.float64)
    W = np.asarray(rng.dirichlet(alpha, size=size), dtype=np.float64)
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
        check_sampling(samples, None if order is not None else concentration, seed)
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
