"""Sovereignty assessment: the EU Cloud Sovereignty Framework's SEAL gate and score.

The arithmetic (European Commission, Cloud Sovereignty Framework v1.2.1, October 2025;
implementation guidance and annex calculator, 1 June 2026; as transcribed by ArcKit,
github.com/tractorjuice/arc-kit PRs #796 and #797):

- Every answer option of a criterion carries a value (points) and a SEAL level 0–4.
- **SEAL of an objective** = the lowest SEAL of its answered criteria; the **overall
  SEAL** = the lowest SEAL of every answered criterion (calculator cell F2,
  ``MIN(H5:H251)``; guidance p.9: "the lowest SEAL level achieved in any of the
  objectives"). The criterion that sets the minimum is the *governing* criterion.
- An unanswered criterion is a **gap**, never a zero: it sets no SEAL and adds no
  points. A gap *could bind* a minimum SEAL when one of its options is below that
  minimum; a criterion whose every option is SEAL-4 can never lower a SEAL (guidance
  p.9), so its gap never leaves a gate open.
- **Sovereignty score** = Σₙ (points of SOV-n / nominal points) × weight of SOV-n, in
  per cent of the weights' sum, nominal points 1000 per objective. The calculator's
  values are rounded, so a perfect response scores slightly above 100 % (100.0756 %
  with the guidance weights): the score is not clamped.
- A contracting authority sets a **minimum SEAL per objective**; an offer below it on
  any objective is rejected, and the score ranks the offers that reach it (guidance
  p.10: the SEAL prevails over the score).

Answers come from explicit derivation rules (``criteria/sovereignty/<id>.rules.yaml``)
applied to the catalog's facts, each answer carrying the facts (source, date, grade)
it was derived from (:func:`derive`). All functions are pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from engine.catalog.answers import ANSWER_GRADE
from engine.catalog.evidence import Fact
from engine.catalog.loading import ResolvedOffering
from engine.catalog.sovereignty import FrameworkFile, Sovereignty, parse_answer_field, rule_answers
from engine.errors import Issue, suggest

__all__ = [
    "DEFAULT_FRAMEWORK",
    "Answer",
    "Assessment",
    "GateResult",
    "ObjectiveResult",
    "assess",
    "assessment_for",
    "declared",
    "derive",
    "describe",
    "gate",
    "pick",
    "score",
    "summary",
]

Outcome = Literal["pass", "fail", "unknown"]


@dataclass(frozen=True, slots=True)
class Answer:
    """One answered criterion.

    Attributes
    ----------
    criterion : str
        ``SOV-1.1`` …
    option : int
        The option's number (1 = the first, worst option).
    value : float
        Its points.
    seal : int
        Its SEAL level.
    label : str or None
        Its label (``None`` where the source gives none).
    rule : str or None
        The derivation rule that gave it (``None``: answered otherwise).
    why : str
        The reason: the rule's, or the answer's own note.
    facts : tuple of Fact
        The catalog facts it rests on (each with its sources, date and grade).
    """

    criterion: str
    option: int
    value: float
    seal: int
    label: str | None
    rule: str | None
    why: str
    facts: tuple[Fact, ...] = ()


@dataclass(frozen=True, slots=True)
class ObjectiveResult:
    """One objective's SEAL and points.

    Attributes
    ----------
    id, name : str
    weight : float
        Its weight in the weight set used (as written, any scale).
    points : float
        Sum of its answered criteria's values.
    seal : int or None
        Lowest SEAL of its answered criteria (``None``: none answered).
    governing : str or None
        The criterion that sets ``seal`` (the first in framework order among ties).
    answered : int
    gaps : tuple of str
        Its unanswered criteria, in framework order.
    """

    id: str
    name: str
    weight: float
    points: float
    seal: int | None
    governing: str | None
    answered: int
    gaps: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Assessment:
    """An offering's (or any response's) assessment against one framework.

    Attributes
    ----------
    framework : str
        The framework id.
    weight_set : str
        The weight set the score uses.
    objectives : tuple of ObjectiveResult
        In framework order.
    seal : int or None
        Overall SEAL: the lowest SEAL of every answered criterion (``None``: nothing answered).
    governing : str or None
        The criterion that sets the overall SEAL.
    score : float
        Sovereignty score in per cent; gaps add no points; not clamped.
    score_max : float
        The score if every gap took its best option (the most the gaps leave open).
    answers : tuple of Answer
        In framework order.
    gaps : tuple of str
        Every unanswered criterion, in framework order.
    """

    framework: str
    weight_set: str
    objectives: tuple[ObjectiveResult, ...]
    seal: int | None
    governing: str | None
    score: float
    score_max: float
    answers: tuple[Answer, ...]
    gaps: tuple[str, ...]

    @property
    def known(self) -> bool:
        """Whether the score is known: every criterion of every objective with a positive
        weight is answered. While such a criterion is a gap the score is not known: it
        lies in the range [``score``, ``score_max``] (the gaps at their worst, which add
        no points, and at their best), and the ``sovereignty`` criterion's value is
        unknown (:func:`engine.mcda.matrix.performance`)."""
        return all(not o.gaps for o in self.objectives if o.weight > 0)

    def objective(self, objective_id: str) -> ObjectiveResult:
        """The result of one objective (``KeyError`` when the framework has none)."""
        for o in self.objectives:
            if o.id == objective_id:
                return o
        raise KeyError(objective_id)

    def answer(self, criterion_id: str) -> Answer | None:
        """The answer to one criterion, or ``None`` (a gap)."""
        return next((a for a in self.answers if a.criterion == criterion_id), None)


def score(points: Mapping[str, float], weights: Mapping[str, float], nominal: float = 1000.0) -> float:
    """Sovereignty score in per cent: Σₙ (points of n / nominal) × weight of n, over the
    weights' sum.

    Parameters
    ----------
    points : mapping
        Objective id → the sum of its answered criteria's values (a missing objective: 0).
    weights : mapping
        Objective id → weight (any scale; per cent in the framework).
    nominal : float
        Nominal points of a fully sovereign objective (1000 in the calculator).

    Returns
    -------
    float
        Not clamped: the calculator's rounded values make a perfect response 100.0756 %
        under the guidance weights.
    """
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    return 100.0 * sum(points.get(k, 0.0) / nominal * w for k, w in weights.items()) / total


def _lowest(answers: Iterable[Answer]) -> Answer | None:
    low: Answer | None = None
    for a in answers:  # framework order: the first of equal SEALs governs
        if low is None or a.seal < low.seal:
            low = a
    return low


def assess(framework: FrameworkFile, answers: Iterable[Answer], weight_set: str | None = None) -> Assessment:
    """Overall and per-objective SEAL, score and gaps of a set of answers.

    Parameters
    ----------
    framework : FrameworkFile
    answers : iterable of Answer
        At most one per criterion (a later one replaces an earlier); an answer to a
        criterion the framework lacks is ignored.
    weight_set : str, optional
        The weight set's id (default: the framework's ``default_weight_set``).

    Raises
    ------
    KeyError
        For a weight set the framework does not have.
    """
    ws = framework.weight_set(weight_set)
    by_id = {a.criterion: a for a in answers}
    objectives: list[ObjectiveResult] = []
    ordered: list[Answer] = []
    gaps: list[str] = []
    points: dict[str, float] = {}
    best: dict[str, float] = {}
    for o in framework.objectives:
        mine = [by_id[c.id] for c in o.criteria if c.id in by_id]
        open_ = tuple(c.id for c in o.criteria if c.id not in by_id)
        low = _lowest(mine)
        pts = sum(a.value for a in mine)
        points[o.id] = pts
        best[o.id] = pts + sum(c.max_value for c in o.criteria if c.id not in by_id)
        objectives.append(
            ObjectiveResult(
                o.id,
                o.name,
                ws.weights[o.id],
                pts,
                low.seal if low else None,
                low.criterion if low else None,
                len(mine),
                open_,
            )
        )
        ordered += mine
        gaps += open_
    low = _lowest(ordered)
    return Assessment(
        framework.id,
        ws.id,
        tuple(objectives),
        low.seal if low else None,
        low.criterion if low else None,
        score(points, ws.weights, framework.nominal_points),
        score(best, ws.weights, framework.nominal_points),
        tuple(ordered),
        tuple(gaps),
    )


@dataclass(frozen=True, slots=True)
class GateResult:
    """A minimum-SEAL gate on one objective (or on all, ``objective`` ``None``).

    ``governing`` names the criterion that sets the SEAL found; ``open_gaps`` the
    unanswered criteria that could still take it below the minimum."""

    objective: str | None
    minimum: int
    outcome: Outcome
    seal: int | None
    governing: str | None
    open_gaps: tuple[str, ...]
    reason: str


def _binding(framework: FrameworkFile, gaps: Iterable[str], minimum: int) -> tuple[str, ...]:
    """Gaps with an option below ``minimum`` (an all-SEAL-4 criterion never binds)."""
    return tuple(g for g in gaps if framework.criterion(g).lowest_seal < minimum)


def describe(framework: FrameworkFile, answer: Answer) -> str:
    """One line for an answer: criterion, option, SEAL, points, rule and the facts it
    rests on (``SOV-1.1 option 2 "Mostly outside the EU" (SEAL-1, 41.67 points) by rule
    operator-outside-eea-control from the offering profile 2026-11-29, primary``)."""
    shown = answer.label
    if shown is not None and shown.startswith(f"{answer.option}. "):  # the calculator numbers most labels
        shown = shown[len(f"{answer.option}. ") :]
    label = f' "{shown}"' if shown else " (no label in the source)"
    text = f"{answer.criterion} option {answer.option}{label} (SEAL-{answer.seal}, {answer.value:g} points)"
    if answer.rule:
        text += f" by rule {answer.rule}"
    elif answer.facts and answer.facts[0].answer:
        text += f" by the vendor's answer {answer.facts[0].answer}"
    if answer.facts:
        text += " from " + "; ".join(_fact_text(f) for f in answer.facts)
    return text


_FIELD_NAMES = {"offering": "the offering profile", "vendor": "the vendor profile"}


def _fact_text(f: Fact) -> str:
    where = _FIELD_NAMES.get(f.field, f.field)
    src = f", {f.sources[0]}" if f.sources else ""
    return f"{where} {f.as_of.isoformat()}, {f.grade}{src}"


def gate(
    framework: FrameworkFile, assessment: Assessment, minimum: int, objective: str | None = None
) -> GateResult:
    """Judge a minimum SEAL on one objective (or, ``objective`` ``None``, on all of them).

    ``fail`` when an answered criterion is below ``minimum`` (the governing criterion
    named); ``unknown`` when none is but a gap could still be (named); ``pass`` when every
    criterion that could be below ``minimum`` is answered at or above it.

    Raises
    ------
    KeyError
        For an objective the framework does not have.
    """
    if objective is None:
        seal, gov, gaps, what = assessment.seal, assessment.governing, assessment.gaps, "overall"
    else:
        o = assessment.objective(objective)
        seal, gov, gaps, what = o.seal, o.governing, o.gaps, objective
    open_ = _binding(framework, gaps, minimum)
    if seal is not None and seal < minimum:
        assert gov is not None
        a = assessment.answer(gov)
        assert a is not None
        why = f"{what} SEAL-{seal}, below SEAL-{minimum}; governed by {describe(framework, a)}"
        return GateResult(objective, minimum, "fail", seal, gov, open_, why)
    if open_:
        shown = ", ".join(open_[:6]) + (f" and {len(open_) - 6} more" if len(open_) > 6 else "")
        found = f"SEAL-{seal} so far (governed by {gov})" if seal is not None else "nothing answered"
        why = (
            f"{what}: {found}; {len(open_)} unanswered criteria could still be below SEAL-{minimum}: {shown}"
        )
        return GateResult(objective, minimum, "unknown", seal, gov, open_, why)
    found = (
        f"SEAL-{seal}" + (f" (governed by {gov})" if gov else "")
        if seal is not None
        else "no criterion can be below it"
    )
    return GateResult(objective, minimum, "pass", seal, gov, (), f"{what} {found}, at least SEAL-{minimum}")


# --------------------------------------------------------------------------- derivation


def derive(
    model: Sovereignty, ro: ResolvedOffering, every: tuple[Fact, ...] | None = None
) -> tuple[Answer, ...]:
    """The answers the framework's rules derive from one offering's catalog facts.

    Parameters
    ----------
    model : Sovereignty
        The framework and its rules.
    ro : ResolvedOffering
    every : tuple of Fact, optional
        ``facts(ro)`` when the caller has them.

    Returns
    -------
    tuple of Answer
        In framework order; the first rule (in file order) that holds answers a
        criterion; a criterion no rule answers is left out (a gap). Each answer carries
        the facts its rule read.
    """
    fw = model.framework
    chosen: dict[str, Answer] = {}
    for cid, (rule, used) in rule_answers(model, ro, every).items():
        opt = fw.criterion(cid).options[rule.answer - 1]
        chosen[cid] = Answer(
            cid, rule.answer, opt.value, opt.seal, opt.label, rule.id, " ".join(rule.why.split()), used
        )
    return tuple(chosen[c.id] for c in fw.criteria() if c.id in chosen)


def declared(model: Sovereignty, ro: ResolvedOffering) -> tuple[Answer, ...]:
    """The vendor's answers to the framework's criteria that the ranking uses for one
    offering (folded in by :func:`engine.catalog.answers.fold_answers`: those that fill a
    gap, replace a derived answer resting on weaker evidence, or override it because the
    buyer prefers answers; a derived answer on stronger evidence is kept).

    Returns
    -------
    tuple of Answer
        In framework order; each with ``rule`` ``None`` and one fact: graded
        ``vendor-declared``, dated by the answer's ``as_of``, sourced by its evidence,
        naming the answer (``<answer file> (<question id>)``).
    """
    fw = model.framework
    found: dict[str, Answer] = {}
    for fld, use in ro.answers.items():
        parsed = parse_answer_field(fld)
        if parsed is None or parsed[0] != fw.id or not use.used:
            continue
        a = use.answer
        opt = fw.criterion(parsed[1]).options[int(a.value) - 1]
        fact = Fact("profile", fld, a.as_of, ANSWER_GRADE, (a.evidence,), False, a.label)
        found[parsed[1]] = Answer(
            parsed[1],
            int(a.value),
            opt.value,
            opt.seal,
            opt.label,
            None,
            f"the vendor's answer {a.label}",
            (fact,),
        )
    return tuple(found[c.id] for c in fw.criteria() if c.id in found)


def assessment_for(
    model: Sovereignty,
    ro: ResolvedOffering,
    weight_set: str | None = None,
    every: tuple[Fact, ...] | None = None,
) -> Assessment:
    """:func:`assess` of the answers :func:`derive` finds for one offering, with the
    vendor's answers the ranking uses (:func:`declared`) in their place or filling gaps."""
    mine = {a.criterion: a for a in derive(model, ro, every)}
    mine.update({a.criterion: a for a in declared(model, ro)})
    return assess(model.framework, mine.values(), weight_set)


def summary(framework: FrameworkFile, a: Assessment) -> str:
    """One line: overall SEAL and its governing criterion, each objective's SEAL, the
    score with how many criteria are answered and what the gaps leave open."""
    n = len(a.answers) + len(a.gaps)
    if not a.answers:
        return f"{framework.id}: none of the {n} criteria answered by the catalog's facts (all gaps)"
    per = ", ".join(f"{o.id} " + (f"SEAL-{o.seal}" if o.seal is not None else "gap") for o in a.objectives)
    if a.known:
        return (
            f"{framework.id}: overall SEAL-{a.seal} (governed by {a.governing}); {per}; "
            f"score {a.score:.2f}% ({len(a.answers)} of {n} criteria answered; weights {a.weight_set})"
        )
    return (
        f"{framework.id}: overall SEAL-{a.seal} (governed by {a.governing}); {per}; "
        f"score unknown, {a.score:.2f}% to {a.score_max:.2f}%: {len(a.answers)} of {n} criteria answered "
        f"({len(a.gaps)} gaps, each at its worst to its best option; weights {a.weight_set})"
    )


DEFAULT_FRAMEWORK = "eucsf-1.2.1"
"""The framework used when a priorities file names none and the catalog has several."""


def pick(
    frameworks: Mapping[str, Sovereignty], framework: str | None, weights: str | None
) -> tuple[Sovereignty | None, list[Issue]]:
    """The framework a priorities file uses, and the problems of its choice.

    Parameters
    ----------
    frameworks : mapping
        The catalog's frameworks by id (:attr:`engine.catalog.loading.CriteriaCatalog.sovereignty`).
    framework : str or None
        ``sovereignty_framework`` of the priorities file (``None``: the only framework,
        else :data:`DEFAULT_FRAMEWORK` when present).
    weights : str or None
        ``sovereignty_weights``: must be a weight set of the framework.

    Returns
    -------
    (Sovereignty or None, list of Issue)
        Issues ``priorities.unknown_framework`` / ``priorities.unknown_weight_set``.
    """
    issues: list[Issue] = []
    if framework is not None:
        chosen = frameworks.get(framework)
        if chosen is None:
            known = sorted(frameworks)
            msg = (
                f"no sovereignty framework {framework!r} in criteria/sovereignty/{suggest(framework, known)}"
                f" (frameworks: {', '.join(known) or 'none'})"
            )
            issues.append(Issue("priorities.unknown_framework", msg, field="sovereignty_framework"))
    elif len(frameworks) == 1:
        chosen = next(iter(frameworks.values()))
    else:
        chosen = frameworks.get(DEFAULT_FRAMEWORK)
    if chosen is not None and weights is not None:
        sets = [w.id for w in chosen.framework.weight_sets]
        if weights not in sets:
            msg = (
                f"framework {chosen.framework.id!r} has no weight set {weights!r}{suggest(weights, sets)}"
                f" (sets: {', '.join(sets)})"
            )
            issues.append(Issue("priorities.unknown_weight_set", msg, field="sovereignty_weights"))
            chosen = None
    elif weights is not None and framework is None:
        msg = "sovereignty_weights is given but no sovereignty framework is loaded (criteria/sovereignty/)"
        issues.append(Issue("priorities.unknown_weight_set", msg, field="sovereignty_weights"))
    return chosen, issues
