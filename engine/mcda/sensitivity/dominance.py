"""Dominance and the Pareto front (Belton & Stewart, *Multiple Criteria Decision Analysis*,
2002, §2.3): a dominated offering cannot rank first under any strictly positive weights."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from engine.mcda.sensitivity.problem import DecisionProblem, effective_utilities

__all__ = [
    "Dominance",
    "dominance",
]

FloatArray = NDArray[np.float64]


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


def dominance(problem: DecisionProblem) -> Dominance:
    """Dominance among the ranked offerings on the analysed criteria's utilities.

    Returns
    -------
    Dominance

    Notes
    -----
    O(n² m) comparisons, chunked (1,000 offerings × 10 criteria: about 10⁷).
    """
    D = _dominance_matrix(effective_utilities(problem))
    ids = problem.offering_ids
    dominated: NDArray[np.bool_] = np.asarray(D.any(axis=0), dtype=bool)
    return Dominance(
        pareto_front=tuple(o for o, d in zip(ids, dominated.tolist(), strict=True) if not d),
        dominated_by={
            ids[b]: tuple(ids[a] for a in np.flatnonzero(D[:, b])) for b in np.flatnonzero(dominated)
        },
    )
