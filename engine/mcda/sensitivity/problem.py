"""The decision problem every robustness analysis works on: the ranked offerings' utilities
on the weighted criteria, the buyer's weights and method, and the ranged cells
(:class:`DecisionProblem`, built from a ranking by :meth:`DecisionProblem.from_ranking`)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from engine.errors import InputError, Issue, suggest
from engine.mcda.aggregation import WPM_FLOOR, aggregate
from engine.mcda.scoring import Ranking

__all__ = [
    "DecisionProblem",
    "RangedCell",
    "Scale",
    "effective_utilities",
]

FloatArray = NDArray[np.float64]


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


def effective_utilities(problem: DecisionProblem) -> FloatArray:
    """Utilities as the method sees them (the weighted product floors them at WPM_FLOOR)."""
    if problem.method == "weighted-product":
        out: FloatArray = np.maximum(problem.utilities, WPM_FLOOR)
        return out
    return problem.utilities
