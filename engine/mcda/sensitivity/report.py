"""The robustness report of a ranking: every analysis of :mod:`engine.mcda.sensitivity` run
on one problem with the options of the priorities file's ``robustness:`` section
(:func:`sensitivity_with`), or planned for a batch (:func:`plan_sensitivity_with`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from engine.catalog.schema import Robustness
from engine.mcda.elicitation import parse_order
from engine.mcda.scoring import Ranking
from engine.mcda.sensitivity.dominance import Dominance, dominance
from engine.mcda.sensitivity.problem import DecisionProblem
from engine.mcda.sensitivity.smaa import RankAcceptability, SmaaPlan, check_sampling
from engine.mcda.sensitivity.stability import StabilityInterval, stability_intervals

__all__ = [
    "SensitivityPlan",
    "SensitivityReport",
    "plan_sensitivity",
    "plan_sensitivity_with",
    "sensitivity",
    "sensitivity_with",
]

FloatArray = NDArray[np.float64]


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
    check_sampling(samples, None if order is not None else concentration, seed)
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
