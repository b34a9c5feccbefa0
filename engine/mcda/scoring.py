"""Gate, score and rank: the additive value model and the :class:`Ranking` result.

Method (weighted sum of value-function utilities; Keeney & Raiffa 1976, Belton &
Stewart 2002):

.. math::

    score_i = 100 \\cdot \\sum_j w_j \\, v_j(x_{ij}), \\qquad \\sum_j w_j = 1

where :math:`x_{ij}` is offering *i*'s performance value on criterion *j*,
:math:`v_j` the criterion's value function (utility in [0, 1]) and :math:`w_j` the
normalised weight. The contribution of criterion *j* is :math:`100 w_j v_j(x_{ij})`
points; contributions add up to the score.

Steps: compute the decision matrix → evaluate must-haves (an offering failing one, or
with an unknown outcome that is not allowed, is *excluded* with the reason) → apply
each weighted criterion's missing-data policy (``worst``: utility 0, flagged;
``exclude``: the offering is excluded; ``fail``: an :class:`InputError`) → utilities →
weighted sum → ranks. Scores within 1e-9 (on the 0–1 scale) share a rank
(competition ranking ``1, 1, 3``); ties are listed by offering id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from engine.catalog.evidence import Age, Fact, criterion_facts, facts, weakest
from engine.catalog.loading import Catalog, CriteriaCatalog, ResolvedOffering
from engine.catalog.ranges import CRITERION_RANGES, WEIGHT_MAX, check_anchors, number_problem
from engine.catalog.schema import CriterionSpec, PrioritiesFile, RequirementSpec
from engine.catalog.sovereignty import Sovereignty
from engine.catalog.staleness import flagged, limits, stale_flag
from engine.errors import InputError, Issue, suggest
from engine.mcda import value_functions as vf
from engine.mcda.aggregation import METHODS, aggregate
from engine.mcda.elicitation import ahp_weights, parse_order, roc_weights
from engine.mcda.matrix import Context, Performance, convert, is_buyer_operated, performance
from engine.mcda.requirements import (
    SEAL_FIELD,
    RequirementResult,
    check_requirements,
    evaluate,
    seal_objective,
)
from engine.mcda.sovereignty import Assessment, assessment_for, pick

__all__ = [
    "COVERAGE_WARNING_SHARE",
    "EVIDENCE_GAP",
    "FAILS",
    "SEAL_ALLOWED_FLAG",
    "TIE_TOLERANCE",
    "Assessments",
    "Cell",
    "Coverage",
    "Ranking",
    "Row",
    "check_priorities",
    "coverage_warning",
    "elicited_weights",
    "excluded_summary",
    "normalise_weights",
    "rank",
    "sovereignty_assessments",
    "sovereignty_floors",
    "utility_function",
]

TIE_TOLERANCE = 1e-9
"""Scores (0–1 scale) closer than this share a rank."""

COVERAGE_WARNING_SHARE = 1 / 3
"""A weighted criterion unknown (and so imputed worst) for at least this share of the
ranked offerings makes the ranking warn that its weight largely ranks missing data
(:attr:`Ranking.warnings`)."""

FAILS: Literal["fails"] = "fails"
"""Exclusion kind: the offering fails at least one must-have on a known fact."""
EVIDENCE_GAP: Literal["evidence gap"] = "evidence gap"
"""Exclusion kind: the offering is excluded only on unknown facts (an unknown must-have
outcome, or a missing value on a criterion whose policy is ``exclude``)."""


@dataclass(frozen=True, slots=True)
class Cell:
    """One offering on one criterion.

    Attributes
    ----------
    value : float, str or None
        Performance value in the criterion's unit (``None``: unknown).
    utility : float or None
        Value-function utility in [0, 1]; 0 when imputed; ``None`` for an excluded
        offering or an unknown value on a criterion with weight 0.
    contribution : float or None
        Points (0–100 scale) this criterion adds to the score under the weighted sum;
        ``None`` under TOPSIS and the weighted product, which are not additive.
    imputed : bool
        True when the value was unknown and the ``worst`` policy set utility 0 (an
        unknown sovereignty score whose range lies above another offering's: its lower
        bound, :func:`sovereignty_floors`).
    note : str or None
    low, high : float or None
        Plausible range of a numeric value when the profile gives one (sampled by
        the robustness analysis); for an unknown sovereignty score, the range its gaps
        leave open (``score`` to ``score_max``; not sampled, read by the rank ranges).
    evidence : str or None
        The weakest evidence grade among the facts the value rests on
        (:func:`engine.catalog.evidence.criterion_facts`): a grade of
        :data:`engine.catalog.schema.GRADES` or ``ungraded``; ``None`` when the value
        is unknown or rests on no dated fact (the buyer's own input).
    answers : tuple of str
        The vendors' answers the value rests on (:mod:`engine.catalog.answers`), each
        as ``<answer file> (<question id>)``; empty when it rests on public facts only.
    """

    value: float | str | None
    utility: float | None
    contribution: float | None
    imputed: bool = False
    note: str | None = None
    low: float | None = None
    high: float | None = None
    evidence: str | None = None
    answers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Row:
    """One offering in the result (ranked or excluded).

    ``exclusion`` says why an excluded offering is out: :data:`FAILS` (a must-have
    fails on a known fact) or :data:`EVIDENCE_GAP` (only unknown facts keep it out);
    ``None`` for a ranked offering.
    """

    offering_id: str
    vendor: str
    offering: str
    status: Literal["ranked", "excluded"]
    rank: int | None
    score: float | None
    reasons: tuple[str, ...]
    cells: Mapping[str, Cell]
    as_of: dt.date
    requirements: tuple[RequirementResult, ...] = ()
    file: str = ""
    exclusion: Literal["fails", "evidence gap"] | None = None
    stale: tuple[Age, ...] = ()
    """The offering's stale facts and facts dated after the ranking date (each also a
    flag in ``reasons``)."""
    sovereignty: Assessment | None = None
    """The offering's sovereignty assessment (overall and per-objective SEAL, score,
    answers with their evidence, gaps) when a framework is loaded
    (:mod:`engine.mcda.sovereignty`)."""


@dataclass(frozen=True, slots=True)
class Coverage:
    """How many ranked offerings have a known value on one criterion.

    Attributes
    ----------
    criterion : str
    known : int
        Ranked offerings with a known value.
    ranked : int
        Ranked offerings.
    weight : float
        The criterion's normalised weight.
    """

    criterion: str
    known: int
    ranked: int
    weight: float

    @property
    def unknown(self) -> int:
        """Ranked offerings whose value is unknown (imputed worst when weighted)."""
        return self.ranked - self.known

    @property
    def warns(self) -> bool:
        """A weighted criterion unknown for at least :data:`COVERAGE_WARNING_SHARE` of
        the ranked offerings."""
        return self.weight > 0 and self.ranked > 0 and self.unknown >= COVERAGE_WARNING_SHARE * self.ranked


def excluded_summary(rows: Sequence[Row]) -> str:
    """The heading of a list of excluded offerings with its split, e.g. ``Excluded (12):
    4 fail a must-have, 8 only on unknown facts (evidence gaps)``."""
    fails = sum(r.exclusion == FAILS for r in rows)
    gaps = sum(r.exclusion == EVIDENCE_GAP for r in rows)
    parts = []
    if fails:
        parts.append(f"{fails:,} fail a must-have")
    if gaps:
        parts.append(f"{gaps:,} only on unknown facts (evidence gaps)")
    return f"Excluded ({len(rows):,})" + (": " + ", ".join(parts) if parts else "")


def coverage_warning(cov: Coverage) -> str:
    """The warning a ranking gives for a weighted criterion mostly unknown, e.g.
    ``response_time is unknown for 12 of 14 ranked offerings and imputed worst: its 5%
    weight mostly ranks missing data``."""
    how = "mostly ranks" if 2 * cov.unknown > cov.ranked else "ranks in large part"
    pct = f"{100 * cov.weight:.1f}".removesuffix(".0")  # 5%, 33.3%; never an exponent
    if pct == "0":
        pct = "<0.1"
    return (
        f"{cov.criterion} is unknown for {cov.unknown} of {cov.ranked} ranked offerings and imputed "
        f"worst: its {pct}% weight {how} missing data"
    )


@dataclass(frozen=True)
class Ranking:
    """The immutable result every consumer (CLI, app, exports) uses.

    Attributes
    ----------
    rows : tuple of Row
        Ranked offerings by rank (ties by id), then excluded offerings by id.
    criteria : tuple of CriterionSpec
    weights : dict
        Normalised weights (sum 1) by criterion id, catalog order.
    notes : tuple of str
        Modelling notes: normalised weights, constant criteria, relative scales.
    priorities_name : str
    method : str
    on_date : datetime.date
        Prices in force on this date were used.
    currency : str
    inputs_digest : str
        SHA-256 over the input files and the effective settings.
    coverage : tuple of Coverage
        Per criterion (catalog order): how many ranked offerings have a known value.
    warnings : tuple of str
        One per weighted criterion unknown for at least
        :data:`COVERAGE_WARNING_SHARE` of the ranked offerings
        (:func:`coverage_warning`): every output shows them with the ranking.
    """

    rows: tuple[Row, ...]
    criteria: tuple[CriterionSpec, ...]
    weights: Mapping[str, float]
    notes: tuple[str, ...]
    priorities_name: str
    method: str
    on_date: dt.date
    currency: str
    inputs_digest: str
    anchors: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    coverage: tuple[Coverage, ...] = ()
    warnings: tuple[str, ...] = ()
    max_age_days: Mapping[str, int] = field(default_factory=dict)
    """The maximum age in days of each kind of fact the flags were judged against."""

    @property
    def ranked(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.status == "ranked")

    @property
    def excluded(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.status == "excluded")

    def row(self, offering_id: str) -> Row:
        """Return the row of ``offering_id``.

        Raises
        ------
        KeyError
        """
        for r in self.rows:
            if r.offering_id == offering_id:
                return r
        raise KeyError(offering_id)


def normalise_weights(
    weights: Mapping[str, float], criteria_ids: tuple[str, ...]
) -> tuple[dict[str, float], list[str]]:
    """Check and normalise weights to sum to 1.

    Parameters
    ----------
    weights : mapping
        Criterion id → non-negative weight (any scale). Criteria not named get 0.
    criteria_ids : tuple of str
        The catalog's criteria, in order.

    Returns
    -------
    (dict, list of str)
        Normalised weights in catalog order, and notes (e.g. that they were
        normalised).

    Raises
    ------
    InputError
        ``priorities.unknown_criterion`` (with the nearest id), or
        ``priorities.invalid_weight`` for a negative or non-finite weight or when all
        weights are zero.
    """
    issues: list[Issue] = []
    for k, w in weights.items():
        if k not in criteria_ids:
            hint = suggest(k, criteria_ids)
            issues.append(
                Issue(
                    "priorities.unknown_criterion",
                    f"unknown criterion {k!r} in weights{hint}",
                    field=f"weights.{k}",
                )
            )
        elif problem := number_problem(w, 0.0, WEIGHT_MAX, what="a weight"):
            issues.append(
                Issue(
                    "priorities.invalid_weight",
                    f"weight of {k!r}: {problem}",
                    field=f"weights.{k}",
                )
            )
    if issues:
        raise InputError(issues)
    # scale by the largest weight first, so huge weights (1e308) cannot overflow the sum
    top = max((float(v) for v in weights.values()), default=0.0)
    scaled = {k: float(v) / top for k, v in weights.items()} if top > 0 else dict(weights)
    total = float(sum(scaled.values())) * top
    if total <= 0:
        raise InputError.single(
            "priorities.invalid_weight",
            "all weights are zero: give at least one criterion a positive weight",
            field="weights",
        )
    notes = []
    if abs(total - 1.0) > 1e-12:
        summed = f"{total:g}" if np.isfinite(total) else "more than 1e308"
        notes.append(f"weights normalised to sum to 1 (they summed to {summed})")
    denom = float(sum(scaled.values()))
    return {c: float(scaled.get(c, 0.0)) / denom for c in criteria_ids}, notes


def elicited_weights(
    priorities: PrioritiesFile, criteria_ids: tuple[str, ...]
) -> tuple[dict[str, float], list[str]]:
    """The priorities file's weights, from whichever source it uses.

    ``weights`` (direct) are returned as given; ``weight_order`` gives rank-order
    centroid weights; ``ahp`` gives the principal-eigenvector weights of the pairwise
    comparison matrix (see :mod:`engine.mcda.elicitation`). Criteria not named get 0.

    Returns
    -------
    (dict, list of str)
        Weights by criterion id (not yet normalised) and notes (how they were
        elicited; the AHP consistency warning when the ratio exceeds 0.1).

    Raises
    ------
    InputError
        An ordering naming unknown or repeated criteria; an AHP matrix of the wrong
        shape, with non-positive entries or not reciprocal.
    """
    if priorities.weight_order:
        order = parse_order(priorities.weight_order, criteria_ids, field="weight_order")
        return roc_weights(order), [f"rank-order centroid weights from the ordering {' > '.join(order)}"]
    if priorities.ahp is not None:
        res = ahp_weights(
            priorities.ahp.criteria, priorities.ahp.matrix, field="ahp", criteria_ids=criteria_ids
        )
        notes = [f"AHP weights (consistency ratio {res.consistency_ratio:.3f})"]
        if res.warning:
            notes.append(res.warning)
        return dict(res.weights), notes
    return dict(priorities.weights), []


MONEY_CRITERIA = ("monthly_cost",)
"""Criteria whose values are amounts of money in the buyer's currency."""


def in_currency(priorities: PrioritiesFile, criteria: CriteriaCatalog, currency: str) -> PrioritiesFile:
    """The same priorities for a buyer who counts in ``currency``.

    The workload's currency becomes ``currency`` and every amount of money the file
    states in its own currency is converted with the catalog's dated rate table
    (``criteria/fx.yaml``): the anchors of the money criteria (the catalog's, made
    explicit, when the file has none), ``min``/``max`` must-haves on them (their
    message says the converted amount) and price adjustments without a currency (which
    are given their original one). Utilities, exclusions and so the ranking stay the
    same; only the units change.

    Raises
    ------
    InputError
        ``fx.unknown_currency`` for a currency the rate table lacks.
    """
    old = priorities.workload.currency
    if currency == old:
        return priorities

    def cv(x: float) -> float:
        return convert(float(x), old, currency, criteria.fx)

    data = priorities.model_dump(mode="python", by_alias=True)
    data["workload"]["currency"] = currency
    for c in MONEY_CRITERIA:
        if c in data["anchors"]:
            worst, best = data["anchors"][c]["worst"], data["anchors"][c]["best"]
        elif c in criteria.ids():
            spec = criteria.get(c).value_function
            if spec.worst is None or spec.best is None:
                continue
            worst, best = spec.worst, spec.best
        else:
            continue
        data["anchors"][c] = {"worst": cv(worst), "best": cv(best)}
    for r in data["requirements"]:
        if r["field"] in MONEY_CRITERIA and r["op"] in ("min", "max") and isinstance(r["value"], int | float):
            r["value"] = cv(r["value"])
            rate = criteria.fx.as_of.isoformat()
            r["message"] = f"{r['message'] or r['id']} ({r['value']:,.0f} {currency} at the rate of {rate})"
    for adj in data["price_adjustments"].values():
        adj["currency"] = adj["currency"] or old
    return PrioritiesFile.model_validate(data, strict=False)


def check_priorities(
    priorities: PrioritiesFile, criteria: CriteriaCatalog, catalog: Catalog | None = None
) -> list[Issue]:
    """Check a priorities file against the criteria catalog (and the offerings).

    Covers what the schema cannot: requirements (fields, operators, values), anchors
    (known criterion, consistent with its direction and value-function type), price
    adjustments (known offering, known currency) and the workload currency.

    Returns
    -------
    list of Issue
        Each with the field path inside the priorities file; empty when all is well.
    """
    ids = criteria.ids()
    issues = check_requirements(priorities.requirements)
    sov, sov_issues = pick(
        criteria.sovereignty, priorities.sovereignty_framework, priorities.sovereignty_weights
    )
    issues += sov_issues
    for i, r in enumerate(priorities.requirements):
        obj = seal_objective(r.field)
        if sov is not None and obj is not None and obj not in {o.id for o in sov.framework.objectives}:
            have = [o.id for o in sov.framework.objectives]
            msg = (
                f"requirement {r.id!r}: framework {sov.framework.id} has no objective {obj}"
                f" (objectives: {', '.join(have)})"
            )
            issues.append(Issue("priorities.unknown_field", msg, field=f"requirements[{i}].field"))
    currencies = {criteria.fx.base, *criteria.fx.rates}
    for k, a in priorities.anchors.items():
        if k not in ids:
            msg = f"anchors given for unknown criterion {k!r}{suggest(k, ids)}"
            issues.append(Issue("priorities.unknown_criterion", msg, field=f"anchors.{k}"))
            continue
        spec = criteria.get(k)
        problem = check_anchors(
            spec.value_function.type, spec.direction, a.worst, a.best, CRITERION_RANGES.get(k)
        )
        if problem:
            issues.append(
                Issue("priorities.invalid_anchors", f"anchors of {k!r}: {problem}", field=f"anchors.{k}")
            )
    known_offerings = {o.id for o in catalog.offerings} if catalog is not None else None
    for k, adj in priorities.price_adjustments.items():
        if known_offerings is not None and k not in known_offerings:
            msg = f"price adjustment for unknown offering {k!r}{suggest(k, sorted(known_offerings))}"
            issues.append(Issue("priorities.unknown_offering", msg, field=f"price_adjustments.{k}"))
        if adj.currency is not None and adj.currency not in currencies:
            msg = f"no exchange rate for {adj.currency} (rate table has {', '.join(sorted(currencies))})"
            issues.append(Issue("fx.unknown_currency", msg, field=f"price_adjustments.{k}.currency"))
    rob = priorities.robustness
    if rob.weight_order:
        try:
            parse_order(rob.weight_order, ids, field="robustness.weight_order")
        except InputError as exc:
            issues.extend(exc.issues)
    for k, (lo, hi) in rob.weight_bounds.items():
        if k not in ids:
            msg = f"weight bounds given for unknown criterion {k!r}{suggest(k, ids)}"
            issues.append(Issue("priorities.unknown_criterion", msg, field=f"robustness.weight_bounds.{k}"))
        elif not lo <= hi <= 1:
            msg = f"weight bounds of {k!r} must be shares with 0 ≤ low ≤ high ≤ 1, found [{lo:g}, {hi:g}]"
            issues.append(Issue("priorities.invalid_bounds", msg, field=f"robustness.weight_bounds.{k}"))
    lows = sum(lo for k, (lo, _) in rob.weight_bounds.items() if k in ids)
    if lows > 1 + 1e-12:
        msg = f"the lower weight bounds sum to {lows:g}, above 1: no weights (shares summing to 1) can meet them"
        issues.append(Issue("priorities.invalid_bounds", msg, field="robustness.weight_bounds"))
    try:
        elicited_weights(priorities, ids)
    except InputError as exc:
        issues.extend(exc.issues)
    if priorities.workload.currency not in currencies:
        msg = f"no exchange rate for {priorities.workload.currency} (rate table has {', '.join(sorted(currencies))})"
        issues.append(Issue("fx.unknown_currency", msg, field="workload.currency"))
    return issues


def utility_function(
    spec: CriterionSpec, values: list[float | str], anchors: tuple[float, float] | None
) -> np.ndarray:
    """Utilities in [0, 1] of ``values`` on criterion ``spec``.

    Parameters
    ----------
    spec : CriterionSpec
    values : list
        Performance values (numbers, or level names for a ``levels`` criterion).
    anchors : (worst, best) or None
        Required for ``linear`` and ``log`` value functions on a fixed scale.

    Returns
    -------
    ndarray, shape (len(values),)
    """
    f = spec.value_function
    if f.type == "levels":
        assert f.levels is not None
        return vf.levels([str(v) for v in values], f.levels)
    x = np.array(values, dtype=np.float64)
    if spec.scale == "relative":
        return vf.relative(x, spec.direction)
    assert anchors is not None
    worst, best = anchors
    return vf.linear(x, worst, best) if f.type == "linear" else vf.log(x, worst, best)


def _digest(catalog: Catalog, criteria: CriteriaCatalog, priorities: PrioritiesFile, on_date: dt.date) -> str:
    payload = {
        "vendor_files": sorted(catalog.digests.values()),
        "criteria": [c.model_dump(mode="json") for c in criteria.criteria],
        "fx": criteria.fx.model_dump(mode="json"),
        "priorities": priorities.model_dump(mode="json", exclude={"on_date"}),  # the effective date is below
        "on_date": on_date.isoformat(),
        "max_age_days": limits(criteria.max_age_days, priorities),
    }
    if catalog.answer_uses:  # which answers were used, and how (a buyer's preference changes it)
        # by the answer file's content, not its name: ./a.yaml and a.yaml are the same input
        content = {f.file: f.digest for f in catalog.answer_files}
        payload["answers"] = sorted(
            [content.get(u.answer.file, ""), u.answer.question_id, u.offering_id, u.outcome]
            for u in catalog.answer_uses
        )
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False).encode()
    return hashlib.sha256(blob).hexdigest()


def _anchors(criteria: CriteriaCatalog, priorities: PrioritiesFile) -> dict[str, tuple[float, float]]:
    """Each criterion's (worst, best): the priorities' own, else the catalog's value function's."""
    anchors: dict[str, tuple[float, float]] = {}
    for c in criteria.criteria:
        a = priorities.anchors.get(c.id)
        if a is not None:
            anchors[c.id] = (a.worst, a.best)
        elif c.value_function.worst is not None and c.value_function.best is not None:
            anchors[c.id] = (c.value_function.worst, c.value_function.best)
    return anchors


def _gate(
    catalog: Catalog,
    criteria: CriteriaCatalog,
    priorities: PrioritiesFile,
    ctx: Context,
    w: Mapping[str, float],
    assessed: Mapping[str, Assessment],
) -> tuple[
    dict[str, dict[str, Performance]],
    dict[str, list[RequirementResult]],
    dict[str, list[str]],
    dict[str, Literal["fails", "evidence gap"]],
]:
    """The decision matrix and the gate: each offering's performance values, its
    must-have results, why it is excluded (failed or unknown must-haves, a missing value
    on a criterion whose policy is ``exclude``) and the excluded ids with the kind of
    exclusion (:data:`FAILS` when a must-have fails on a known fact, else
    :data:`EVIDENCE_GAP`).

    Raises
    ------
    InputError
        ``data.missing_value`` for a missing value on a weighted criterion whose missing
        policy is ``fail``.
    """
    ids = criteria.ids()
    day = ctx.on_date
    perf: dict[str, dict[str, Performance]] = {}
    gates: dict[str, list[RequirementResult]] = {}
    reasons: dict[str, list[str]] = {}
    excluded: dict[str, Literal["fails", "evidence gap"]] = {}
    fail_issues: list[Issue] = []
    sov = ctx.sovereignty
    for ro in catalog.offerings:
        oid = ro.id
        p = {c: performance(c, ro, ctx) for c in ids}
        perf[oid] = p
        held = priorities.buyer_certifications
        judged = (sov.framework, assessed[oid]) if sov is not None and oid in assessed else None
        results = [
            evaluate(r, ro, p, day, held, priorities.wanted_certifications, judged)
            for r in priorities.requirements
        ]
        gates[oid] = results
        why: list[str] = []
        fails = False
        for spec, res in zip(priorities.requirements, results, strict=True):
            if res.blocks(spec.allow_unknown):
                why.append(("unknown: " if res.outcome == "unknown" else "fails must-have ") + res.reason)
                fails = fails or res.outcome == "fail"
        for c in criteria.criteria:
            if w[c.id] == 0 or p[c.id].value is not None:
                continue
            note = p[c.id].note or "no value"
            if c.missing == "exclude":
                why.append(f"no {c.id} value ({note})")
            elif c.missing == "fail":
                fail_issues.append(
                    Issue(
                        "data.missing_value",
                        f"offering {ro.id!r} has no {c.id} value ({note}) and the criterion's missing policy is 'fail'",
                        ro.file,
                        ro.line_of("id"),
                        None,
                        f"offerings[{ro.index}]",
                    )
                )
        if why:
            excluded[oid] = FAILS if fails else EVIDENCE_GAP
        reasons[oid] = why
    if fail_issues:
        raise InputError(fail_issues)
    return perf, gates, reasons, excluded


def _utilities(
    criteria: CriteriaCatalog,
    ranked_ids: Sequence[str],
    perf: Mapping[str, Mapping[str, Performance]],
    w: Mapping[str, float],
    anchors: Mapping[str, tuple[float, float]],
    notes: list[str],
    assessed: Mapping[str, Assessment] | None = None,
) -> tuple[dict[str, dict[str, float | None]], dict[str, set[str]], dict[str, str]]:
    """Utilities of the ranked offerings per criterion, the cells imputed (an unknown
    value on a weighted criterion) and, per offering, how an unknown sovereignty score
    was placed (:func:`sovereignty_floors`); appends the notes on constant and relative
    criteria to ``notes``."""
    util: dict[str, dict[str, float | None]] = {o: {} for o in ranked_ids}
    imputed: dict[str, set[str]] = {o: set() for o in ranked_ids}
    floors = sovereignty_floors(ranked_ids, assessed or {}) if w.get(SOVEREIGNTY, 0.0) > 0 else {}
    placed: dict[str, str] = {}
    for c in criteria.criteria:
        present = [o for o in ranked_ids if perf[o][c.id].value is not None]
        values: list[float | str] = [perf[o][c.id].value for o in present]  # type: ignore[misc]
        u = utility_function(c, values, anchors.get(c.id)) if present else np.zeros(0)
        for o, ui in zip(present, u, strict=True):
            util[o][c.id] = float(ui)
        for o in ranked_ids:
            if perf[o][c.id].value is None:
                if w[c.id] > 0:
                    util[o][c.id] = 0.0
                    imputed[o].add(c.id)
                    if c.id == SOVEREIGNTY and o in floors:
                        low, above = floors[o]
                        util[o][c.id] = float(utility_function(c, [low], anchors.get(c.id))[0])
                        placed[o] = (
                            f"counted at its lower bound {low:.2f}%, which is above the upper bound of "
                            f"{above} (a range wholly above another ranks above it)"
                        )
                else:
                    util[o][c.id] = None
        if w[c.id] > 0 and len(ranked_ids) > 1:
            col = [util[o][c.id] for o in ranked_ids]
            if all(v is not None and abs(v - col[0]) <= TIE_TOLERANCE for v in col):  # type: ignore[operator]
                notes.append(
                    f"criterion {c.id} is constant across the ranked offerings: it does not change the order"
                )
        if c.scale == "relative" and w[c.id] > 0:
            notes.append(
                f"criterion {c.id} uses a relative scale: its utilities, and so the ranking, depend on the candidate set"
            )
    if placed:
        notes.append(
            f"{len(placed)} unknown sovereignty score(s) counted at their lower bound, above another ranked "
            "offering's upper bound: this placement depends on the offerings ranked"
        )
    return util, imputed, placed


SOVEREIGNTY = "sovereignty"
"""The criterion id of the sovereignty score."""


def sovereignty_floors(
    ranked_ids: Sequence[str], assessed: Mapping[str, Assessment]
) -> dict[str, tuple[float, str]]:
    """Which unknown sovereignty scores the ranking counts at their lower bound.

    A sovereignty score is known only when every weighted objective's criteria are
    answered (:attr:`engine.mcda.sovereignty.Assessment.known`); otherwise it is the
    range [``score``, ``score_max``] (gaps at their worst and at their best). The
    ranking follows the order of ranges: an offering whose range lies wholly below
    another's ranks below it on this criterion; offerings whose ranges overlap are
    equally unknown. An unknown score therefore counts as the criterion's worst
    (utility 0, like every unknown), except when its lower bound lies above the upper
    bound of another ranked offering (a known score is a range of one point): then it
    counts at its lower bound, what its answers already prove. Every offering whose
    range lies wholly below it thus ranks below it on the criterion, while overlapping
    ranges never turn documentation into points (a partial score of a non-EU offering
    with one derived answer does not outrank an EU offering with none answered).

    The ordering of ranges is not transitive (A above B, both overlapping C), so no
    single number can make every overlapping pair equal; this rule keeps every
    "wholly below" pair in order and depends on the offerings ranked (a note says so).

    Parameters
    ----------
    ranked_ids : sequence of str
    assessed : mapping
        Offering id → its assessment; offerings without one have no range.

    Returns
    -------
    dict
        Offering id → (its lower bound in per cent, the offering whose upper bound it
        exceeds: the one with the highest such bound, ties by id).
    """
    spans = {o: (a.score, a.score if a.known else a.score_max) for o in ranked_ids if (a := assessed.get(o))}
    out: dict[str, tuple[float, str]] = {}
    for o, (low, _) in spans.items():
        a = assessed[o]
        if a.known:
            continue
        below = [(hi, other) for other, (_, hi) in spans.items() if other != o and hi < low - TIE_TOLERANCE]
        if below:
            out[o] = (low, min(below, key=lambda t: (-t[0], t[1]))[1])
    return out


def _order(ranked_ids: Sequence[str], scores: NDArray[np.float64]) -> tuple[list[int], dict[str, int]]:
    """Rows by score (best first) and competition ranks (``1, 2, 2, 4``): scores within
    :data:`TIE_TOLERANCE` tie, and tied offerings are listed by id, whatever float noise says."""
    order = sorted(range(len(ranked_ids)), key=lambda i: (-scores[i], ranked_ids[i]))
    ranks: dict[str, int] = {}
    prev_score, prev_rank = None, 0
    for pos, i in enumerate(order, start=1):
        if prev_score is None or prev_score - scores[i] > TIE_TOLERANCE:
            prev_rank = pos
        prev_score = scores[i]
        ranks[ranked_ids[i]] = prev_rank
    order.sort(key=lambda i: (ranks[ranked_ids[i]], ranked_ids[i]))
    return order, ranks


def rank(
    catalog: Catalog,
    criteria: CriteriaCatalog,
    priorities: PrioritiesFile,
    *,
    weights: Mapping[str, float] | None = None,
    on_date: dt.date | None = None,
    method: str | None = None,
    assessments: Assessments | None = None,
) -> Ranking:
    """Gate, score and rank every offering of ``catalog``.

    Parameters
    ----------
    catalog : Catalog
    criteria : CriteriaCatalog
    priorities : PrioritiesFile
    weights : mapping, optional
        Replaces ``priorities.weights`` when given (e.g. from sliders).
    on_date : datetime.date, optional
        Date whose prices apply; default ``priorities.on_date`` or today.
    method : {"weighted-sum", "weighted-product", "topsis"}, optional
        Replaces ``priorities.method`` when given (see :mod:`engine.mcda.aggregation`).
    assessments : Assessments, optional
        Every offering's sovereignty assessment, as :func:`sovereignty_assessments`
        returns for the same ``catalog`` and ``criteria`` objects and the priorities'
        framework and weight set: reused instead of assessed again. The assessments do not depend on the criteria weights, the
        method or the date, so a caller that ranks one catalog under many weight vectors
        (the app, once per slider move) assesses once. Default: assessed here.

    Returns
    -------
    Ranking

    Raises
    ------
    InputError
        Bad weights, malformed requirements, unknown anchors/criteria, a currency
        with no rate, or a missing value on a criterion whose policy is ``fail``.
    ValueError
        ``assessments`` not made by :func:`sovereignty_assessments` for these very
        ``catalog`` and ``criteria`` objects (another load or another fold of the vendors'
        answers holds other facts under the same ids) or for another framework or
        weight set.
    """
    ids = criteria.ids()
    if weights is not None:
        priorities = priorities.model_copy(
            update={"weights": dict(weights), "weight_order": None, "ahp": None}
        )
    if method is not None:
        if method not in METHODS:
            raise InputError.single(
                "usage.invalid",
                f"unknown method {method!r}; expected one of {', '.join(METHODS)}",
                field="method",
            )
        priorities = priorities.model_copy(update={"method": method})
    raw, notes = elicited_weights(priorities, ids)
    w, more = normalise_weights(raw, ids)
    notes += more
    if priorities.method != "weighted-sum":
        notes.append(f"method {priorities.method}: not additive, so there are no per-criterion contributions")
    issues = check_priorities(priorities, criteria, catalog)
    if issues:
        raise InputError(issues)
    day = on_date or priorities.on_date or dt.date.today()
    cap_metric = next((c.metric for c in criteria.criteria if c.id == "capability"), None)
    sov, _ = pick(criteria.sovereignty, priorities.sovereignty_framework, priorities.sovereignty_weights)
    if assessments is None:
        assessed = _assess_all(catalog, sov, priorities.sovereignty_weights)
    else:
        _check_assessments(catalog, criteria, sov, priorities.sovereignty_weights, assessments)
        assessed = dict(assessments)
    ctx = Context(priorities, criteria.fx, day, cap_metric, sov, assessed)
    lims = limits(criteria.max_age_days, priorities)

    anchors = _anchors(criteria, priorities)
    perf, gates, reasons, excluded = _gate(catalog, criteria, priorities, ctx, w, assessed)
    ranked_ids = [ro.id for ro in catalog.offerings if ro.id not in excluded]
    util, imputed, placed = _utilities(criteria, ranked_ids, perf, w, anchors, notes, assessed)
    coverage = tuple(
        Coverage(c, sum(perf[o][c].value is not None for o in ranked_ids), len(ranked_ids), w[c]) for c in ids
    )
    wanted = priorities.wanted_certifications

    wv = np.array([w[c] for c in ids])
    U = np.array([[util[o][c] or 0.0 for c in ids] for o in ranked_ids], dtype=np.float64).reshape(
        len(ranked_ids), len(ids)
    )
    # utilities are in [0, 1] and weights sum to 1, so scores are in [0, 1] (clipped for float noise)
    scores = aggregate(U, wv, priorities.method)
    order, ranks = _order(ranked_ids, scores)
    score_of = {ranked_ids[i]: float(scores[i]) for i in range(len(ranked_ids))}

    rows: list[Row] = []
    by_id = {ro.id: ro for ro in catalog.offerings}
    additive = priorities.method == "weighted-sum"
    objective_ids = tuple(o.id for o in sov.framework.objectives) if sov is not None else ()

    def make_row(ro: ResolvedOffering, status: Literal["ranked", "excluded"]) -> Row:
        oid = ro.id
        cells: dict[str, Cell] = {}
        why = list(reasons[oid])
        row_perf = perf[oid]
        ranked = status == "ranked"
        row_util = util[oid] if ranked else {}
        row_imputed = imputed[oid] if ranked else set()
        every = facts(ro)  # once per offering: each known value's grade is read from these
        for cid in ids:
            pv = row_perf[cid]
            u = row_util.get(cid)
            imp = cid in row_imputed
            contrib = 100.0 * w[cid] * (u or 0.0) if additive else None
            answered: tuple[str, ...] = ()
            if pv.value is None:
                grade = None
            elif cid == "sovereignty":
                grade = _sovereignty_evidence(assessed.get(oid))
                answered = _sovereignty_answers(assessed.get(oid)) if ro.answers else ()
            else:
                grade = _evidence(ro, cid, wanted, every)
                answered = _answered(ro, cid, wanted, every) if ro.answers else ()
            low, high = pv.low, pv.high
            sov_a = assessed.get(oid) if cid == SOVEREIGNTY else None
            if (
                pv.value is None and sov_a is not None and w[cid] > 0
            ):  # what the gaps leave open (rank ranges)
                low, high = sov_a.score, sov_a.score_max
            cells[cid] = Cell(pv.value, u, contrib, imp, pv.note, low, high, grade, answered)
            if imp and oid in placed and cid == SOVEREIGNTY:
                why.append(f"{cid} unknown ({low:.2f}% to {high:.2f}%), {placed[oid]}")
            elif imp:
                why.append(f"{cid} unknown, imputed worst ({pv.note or 'no value'})")
        why += _seal_allowed_flags(priorities.requirements, gates[oid], objective_ids)
        old = flagged(ro, day, lims, every)
        why += [stale_flag(a, day) for a in old]
        why += [use.flag for use in ro.answers.values() if use.flag]
        return Row(
            offering_id=oid,
            vendor=ro.vendor.name,
            offering=ro.label,
            status=status,
            rank=ranks.get(oid),
            score=100.0 * score_of[oid] if ranked else None,
            reasons=tuple(why),
            cells=cells,
            as_of=ro.offering.as_of,
            requirements=tuple(gates[oid]),
            file=ro.file,
            exclusion=excluded.get(oid),
            stale=old,
            sovereignty=assessed.get(oid),
        )

    for i in order:
        rows.append(make_row(by_id[ranked_ids[i]], "ranked"))
    for oid in sorted(excluded):
        rows.append(make_row(by_id[oid], "excluded"))
    return Ranking(
        rows=tuple(rows),
        criteria=criteria.criteria,
        weights=w,
        notes=tuple(notes),
        priorities_name=priorities.name,
        method=priorities.method,
        on_date=day,
        currency=priorities.workload.currency,
        inputs_digest=_digest(catalog, criteria, priorities, day),
        anchors=anchors,
        coverage=coverage,
        warnings=tuple(coverage_warning(cv) for cv in coverage if cv.warns),
        max_age_days=lims,
    )


SEAL_ALLOWED_FLAG = "SEAL minimum passes only because unknown is allowed"
"""The start of the flag a row carries for a minimum SEAL whose outcome is unknown but
allowed (``allow_unknown: true``): the offering is ranked with gaps that could still
take that objective below the minimum."""


def _seal_allowed_flags(
    specs: Sequence[RequirementSpec], results: Sequence[RequirementResult], objectives: Sequence[str] = ()
) -> list[str]:
    """One flag for the minimum SEALs (``seal``, ``seal.<objective>``) that let the
    offering through only because unknown is allowed, naming the objectives and the
    minimum: ``SEAL minimum passes only because unknown is allowed: SEAL-2 on SOV-1,
    SOV-4 (seal2-sov-1, seal2-sov-4): unanswered criteria could still be below it``.

    ``objectives`` are the framework's objective ids, in order: a minimum on every one
    of them reads ``on all 8 objectives, SOV-1 to SOV-8``, and more than three
    must-haves are named by their first and last id and their number, so the flag
    stays one readable line on the first screen (the record and ``explain`` list each
    must-have's outcome)."""
    by_min: dict[int, list[tuple[str, str]]] = {}
    for spec, res in zip(specs, results, strict=True):
        if res.outcome != "unknown" or res.blocks(spec.allow_unknown):
            continue
        objective = seal_objective(spec.field)
        if objective is None and spec.field != SEAL_FIELD:
            continue
        by_min.setdefault(int(spec.value), []).append((objective or "every objective", spec.id))
    if not by_min:
        return []

    def where(objs: list[str]) -> str:
        if len(objs) > 1 and list(objectives) == sorted(objs, key=list(objectives).index):
            return f"all {len(objs)} objectives, {objs[0]} to {objs[-1]}"
        return ", ".join(objs)

    def rules(ids: list[str]) -> str:
        return ", ".join(ids) if len(ids) <= 3 else f"{len(ids)} must-haves, {ids[0]} … {ids[-1]}"

    parts = [
        f"SEAL-{m} on {where([o for o, _ in hits])} ({rules([i for _, i in hits])})"
        for m, hits in sorted(by_min.items())
    ]
    return [
        f"{SEAL_ALLOWED_FLAG}: {'; '.join(parts)}: unanswered criteria could still be below it "
        "(shortlist explain and shortlist rfi list them)"
    ]


def _answered(
    ro: ResolvedOffering, criterion_id: str, wanted: tuple[str, ...], every: tuple[Fact, ...]
) -> tuple[str, ...]:
    """The answers (labels) a criterion's value rests on."""
    if criterion_id == "compliance" and is_buyer_operated(ro):
        return ()
    return tuple(
        dict.fromkeys(f.answer for f in criterion_facts(ro, criterion_id, wanted, every) if f.answer)
    )


class Assessments(Mapping[str, Assessment]):
    """Every offering's sovereignty assessment, bound to what it was made from.

    A read-only mapping, offering id → :class:`~engine.mcda.sovereignty.Assessment`, in
    catalog order, made by :func:`sovereignty_assessments`. It keeps the very ``catalog``
    and ``criteria`` objects and the framework and weight set it was made for, so
    :func:`rank` can refuse it for anything else: two catalogs with the same offering
    ids may hold different facts (an edited file, the vendors' answers folded in), and
    an assessment does not name its offering.

    Attributes
    ----------
    catalog : Catalog
    criteria : CriteriaCatalog
    framework : str or None
        The framework id (``None``: no framework, and the mapping is empty).
    weight_set : str or None
        The weight set's id, resolved (the framework's default when the priorities name none).
    """

    __slots__ = ("_by_id", "catalog", "criteria", "framework", "weight_set")

    def __init__(
        self,
        by_id: Mapping[str, Assessment],
        catalog: Catalog,
        criteria: CriteriaCatalog,
        framework: str | None,
        weight_set: str | None,
    ) -> None:
        self._by_id = dict(by_id)
        self.catalog, self.criteria = catalog, criteria
        self.framework, self.weight_set = framework, weight_set

    def __getitem__(self, offering_id: str) -> Assessment:
        return self._by_id[offering_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def made_for(self, catalog: Catalog, criteria: CriteriaCatalog) -> bool:
        """Whether these are the assessments of this very catalog under these criteria."""
        return self.catalog is catalog and self.criteria is criteria


def sovereignty_assessments(
    catalog: Catalog, criteria: CriteriaCatalog, priorities: PrioritiesFile
) -> Assessments:
    """Every offering's sovereignty assessment under the priorities' framework and weight
    set, for :func:`rank`'s ``assessments``.

    Parameters
    ----------
    catalog : Catalog
    criteria : CriteriaCatalog
    priorities : PrioritiesFile
        Only ``sovereignty_framework`` and ``sovereignty_weights`` matter.

    Returns
    -------
    Assessments
        By offering id, in catalog order (:func:`engine.mcda.sovereignty.assessment_for`);
        empty when the catalog has no framework (the ``sovereignty`` criterion is then
        unknown). Bound to ``catalog`` and ``criteria``: :func:`rank` accepts it with
        these objects only.

    Raises
    ------
    InputError
        ``priorities.unknown_field`` for a framework or weight set the catalog lacks (as
        :func:`rank`).
    """
    sov, issues = pick(criteria.sovereignty, priorities.sovereignty_framework, priorities.sovereignty_weights)
    if issues:
        raise InputError(issues)
    framework = sov.framework.id if sov is not None else None
    ws = sov.framework.weight_set(priorities.sovereignty_weights).id if sov is not None else None
    return Assessments(
        _assess_all(catalog, sov, priorities.sovereignty_weights), catalog, criteria, framework, ws
    )


def _assess_all(catalog: Catalog, sov: Sovereignty | None, weight_set: str | None) -> dict[str, Assessment]:
    if sov is None:
        return {}
    return {ro.id: assessment_for(sov, ro, weight_set) for ro in catalog.offerings}


def _check_assessments(
    catalog: Catalog,
    criteria: CriteriaCatalog,
    sov: Sovereignty | None,
    weight_set: str | None,
    given: Assessments,
) -> None:
    """Refuse assessments made for another catalog, criteria, framework or weight set:
    reused as they are, they would gate and score on another catalog's facts."""
    if not isinstance(given, Assessments):
        raise ValueError(
            f"assessments must come from engine.sovereignty_assessments, found {type(given).__name__}"
        )
    if not given.made_for(catalog, criteria):
        raise ValueError(
            "assessments are not for this catalog and criteria: they were made for other objects "
            "(another load of the files, another fold of the vendors' answers); assess them again"
        )
    framework = sov.framework.id if sov is not None else None
    ws = sov.framework.weight_set(weight_set).id if sov is not None else None
    if (given.framework, given.weight_set) != (framework, ws):
        raise ValueError(
            f"assessments are for framework {given.framework} weights {given.weight_set}, "
            f"not {framework} weights {ws}"
        )


def _sovereignty_evidence(a: Assessment | None) -> str | None:
    """The weakest grade among the facts the sovereignty answers rest on."""
    if a is None:
        return None
    found = weakest([f for ans in a.answers for f in ans.facts])
    return found.grade if found is not None else None


def _sovereignty_answers(a: Assessment | None) -> tuple[str, ...]:
    """The vendors' answers (labels) the facts of the sovereignty answers rest on."""
    if a is None:
        return ()
    return tuple(dict.fromkeys(f.answer for ans in a.answers for f in ans.facts if f.answer))


def _evidence(
    ro: ResolvedOffering, criterion_id: str, wanted: tuple[str, ...], every: tuple[Fact, ...]
) -> str | None:
    """The weakest grade among the facts one known value rests on (``None``: none; a
    self-hosted offering's compliance rests on the buyer's declaration, not on a fact)."""
    if criterion_id == "compliance" and is_buyer_operated(ro):
        return None
    found = weakest(list(criterion_facts(ro, criterion_id, wanted, every)))
    return found.grade if found is not None else None
