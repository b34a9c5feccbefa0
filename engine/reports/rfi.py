"""Requests for information: the questions a ranking leaves open, per company asked.

:func:`questionnaires` turns a :class:`~engine.mcda.scoring.Ranking` into one
questionnaire per vendor file (the model maker and the offerings its file lists) and
one per channel operator that is another company (see *Who is asked*). An
offering the ranking ranks or excludes gets a question (from the catalog
:mod:`engine.catalog.questions`, keyed by field) for

- every unknown fact on a criterion with a weight > 0 (for ``compliance``: every
  wanted certification not held as ``certified``; a self-hosted offering's
  certifications are the buyer's own and are not asked);
- every unknown fact a must-have reads (outcome ``unknown``);
- every stale fact block, or one dated after the ranking date
  (:func:`engine.catalog.staleness.flagged`);
- every fact resting only on ``aggregator`` evidence (:func:`engine.catalog.evidence.facts`).

Questions on the same field of the same offering are asked once, with every reason
listed; a vendor-level fact (``vendor.…``) is asked once for all its offerings.

Who is asked
------------
Each question goes to whoever can answer it (:func:`recipient_of`):

- *channel facts* (the offering's own ``certifications`` block items, processing
  regions, zero data retention, prices, latency, the operator's headquarters, the
  deployment and the offering's description) go to the OPERATOR of the offering
  (``offering.operator.name``) when it is another company than the model maker (its
  name differs from the vendor's name); its questionnaire has the id
  :func:`operator_ids` gives (``operator-<slug of the name>``). When the maker runs the
  channel itself (same name), it is the one to ask, own certifications block or not;
- *model facts* (capability, openness and licence, context window, GPAI Code, FMTI,
  the vendor's headquarters, profile and vendor-level certifications) go to the model
  maker (the vendor file). Capability and openness are asked once per model (same
  ``model_api_id``, else the same model name), listing every offering of it
  (question id ``<first offering id>:<field>``, the first in ranking order);
- a self-hosted offering (operator ``BUYER``) is the maker's: its cost, speed and
  certifications are the buyer's own and never asked.
- *sovereignty framework criteria* (when the priorities weigh the ``sovereignty``
  criterion or set a minimum SEAL): each unanswered criterion of an offering
  (``sovereignty.<framework>.<criterion>``, answered with an option number) goes to
  whoever runs its channel, like the channel facts: the framework assesses the cloud
  service provider (:func:`sovereignty_spec` words the question with every option).
  A gap that could take a minimum SEAL (unknown today) below it is a must-have
  question; a gap of an objective the weighted score counts can add at most its best
  option's share of the score.

A question asked for several offerings takes the strongest impact of its members.

Order
-----
Questions are ordered by how much their answer can change the decision, against a
shortlist *cut* (the first ``cut`` ranked offerings):

1. with ``impact`` (rank ranges: a mapping of offering id to an object with an
   ``unknowns`` sequence, each with ``field``, ``kind``, ``rank_if_best``,
   ``rank_if_worst`` and ``crosses_cut``, ordered by impact), a question whose field
   matches an unknown of its offering takes that unknown's place: those that cross the
   cut first, in the given order; those that do not cross it are listed last;
2. otherwise (and for questions no rank range names, such as stale facts) a heuristic,
   in points of the 0–100 score:

   - a must-have unknown of an offering excluded only on evidence gaps comes first
     (a passing answer changes its gate outcome);
   - an unknown on a weighted criterion can add at most
     ``100 × weight × (1 − utility)`` points (the value is scored worst today; for a
     certification, its share of the wanted list); a stale or aggregator fact can
     move the score by ``100 × weight × max(utility, 1 − utility)`` on each criterion
     resting on it;
   - a question can change the shortlist when the offering is ranked below the cut
     and its score plus the points its unknowns could add reaches the cut's score, or
     is inside the cut and a stale or aggregator fact could take it below the first
     score outside; for an excluded offering, when it is excluded on evidence gaps only,
     or the question reads a fact a must-have it fails rests on.

   Questions that cannot change the shortlist nor a gate outcome are kept, listed
   last with the reason (:attr:`Question.decides` is False): a buyer may still want
   the answers for the record.

Within each group, larger impact first, then offering id and field.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any, Protocol

from engine.catalog.evidence import CRITERION_KINDS, Fact, criterion_facts, facts
from engine.catalog.loading import Catalog, ResolvedOffering
from engine.catalog.questions import (
    FACT_FIELDS,
    QuestionSpec,
    operator_ids,
    operator_key,
    question_for,
    recipient_of,
    routed,
)
from engine.catalog.schema import PrioritiesFile, RequirementSpec
from engine.catalog.sovereignty import Sovereignty, answer_field, parse_answer_field
from engine.catalog.staleness import stale_flag
from engine.mcda.matrix import is_buyer_operated
from engine.mcda.requirements import SEAL_FIELD, seal_objective
from engine.mcda.scoring import EVIDENCE_GAP, Ranking, Row

__all__ = [
    "Question",
    "RankRangeLike",
    "Rfi",
    "UnknownImpactLike",
    "VendorQuestionnaire",
    "questionnaires",
    "sovereignty_spec",
]


class UnknownImpactLike(Protocol):
    """What :func:`questionnaires` reads of one unknown's impact (a rank range's entry)."""

    @property
    def field(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def rank_if_best(self) -> int | None: ...
    @property
    def rank_if_worst(self) -> int | None: ...
    @property
    def crosses_cut(self) -> bool: ...


class RankRangeLike(Protocol):
    """What :func:`questionnaires` reads of an offering's rank range."""

    @property
    def unknowns(self) -> Sequence[UnknownImpactLike]: ...


@dataclass(frozen=True, slots=True)
class Question:
    """One question to a vendor.

    Attributes
    ----------
    id : str
        ``<offering id>:<field>`` (for a model fact asked once per model: its first
        offering's id), or ``vendor:<field>`` for a vendor-level fact.
    offering_ids : tuple of str
        The offerings the answer concerns (one, or every offering of the vendor
        resting on a vendor-level fact).
    field : str
        The profile field the answer fills (:data:`engine.catalog.questions.QUESTIONS` key).
    spec : QuestionSpec
        What is asked, the answer format, the allowed values, the evidence wanted.
    kinds : tuple of str
        Why it is asked: ``criterion``, ``must-have``, ``stale``, ``aggregator``.
    reasons : tuple of str
        Why it matters for this buyer, one sentence each (weights, must-haves, dates).
    decides : bool
        Whether the answer can move an offering across the shortlist cut or change a
        gate outcome (False: listed last).
    impact : float
        The heuristic's points (see the module docstring); ``inf`` for a gate-deciding
        must-have.
    """

    id: str
    offering_ids: tuple[str, ...]
    field: str
    spec: QuestionSpec
    kinds: tuple[str, ...]
    reasons: tuple[str, ...]
    decides: bool
    impact: float


@dataclass(frozen=True, slots=True)
class OfferingLine:
    """An offering of a questionnaire: id, label, ``ranked``/``excluded``, rank, exclusion."""

    offering_id: str
    label: str
    status: str
    rank: int | None
    exclusion: str | None


@dataclass(frozen=True, slots=True)
class VendorQuestionnaire:
    """One company's questions, ordered (deciding ones first): a model maker's (its
    vendor file) or a channel operator's.

    Attributes
    ----------
    vendor_id, vendor_name : str
        The vendor id and name, or for an operator its id (:func:`operator_ids`) and name.
    file : str
        The vendor file the facts come from (an operator: the first offering's file).
    offerings : tuple of OfferingLine
    questions : tuple of Question
    role : str
        ``model maker`` or ``operator``.
    """

    vendor_id: str
    vendor_name: str
    file: str
    offerings: tuple[OfferingLine, ...]
    questions: tuple[Question, ...]
    role: str = "model maker"


@dataclass(frozen=True, slots=True)
class Rfi:
    """Every vendor's questionnaire for one ranking.

    Attributes
    ----------
    priorities_name : str
    on_date : datetime.date
    cut : int
        The shortlist cut (the first ``cut`` ranked offerings).
    ordered_by : str
        ``rank ranges`` or ``heuristic``.
    vendors : tuple of VendorQuestionnaire
        Model makers' and operators' questionnaires, sorted by id.
    """

    priorities_name: str
    on_date: dt.date
    cut: int
    ordered_by: str
    vendors: tuple[VendorQuestionnaire, ...]


# --------------------------------------------------------------------------- gathering

_CRITERION_FIELDS: Mapping[str, str] = {
    "monthly_cost": "prices",
    "response_time": "latency",
    "capability": "capability",
    "context_window": "context_window_tokens",
    "data_residency": "processing_regions",
    "openness": "openness",
    "transparency": "vendor.fmti",
}
_REQUIREMENT_FIELDS: Mapping[str, str] = {
    "processing_regions": "processing_regions",
    "developer_hq": "vendor.headquarters",
    "operator_hq": "operator.headquarters",
    "deployment": "deployment",
    "open_weights": "openness",
    "licence": "openness",
    "gpai_code_of_practice": "vendor.gpai_code_of_practice",
    "zero_data_retention": "zero_data_retention",
    "as_of": "offering",
}
_BUYER_INPUT = frozenset({"monthly_cost", "response_time", "compliance", "certifications"})
"""What a self-hosted offering (operator ``BUYER``) takes from the buyer's own
infrastructure (its cost, its speed, its certifications): never asked of the vendor."""
_KIND_FIELDS: Mapping[str, str] = {
    "prices": "prices",
    "residency": "processing_regions",
    "retention": "zero_data_retention",
    "openness": "openness",
    "gpai": "vendor.gpai_code_of_practice",
    "latency": "latency",
    "capability": "capability",
    "transparency": "vendor.fmti",
    "profile": "offering",
}


def _cert_field(ro: ResolvedOffering, cid: str) -> str:
    return f"{'certifications' if ro.offering.certifications is not None else 'vendor.certifications'}.{cid}"


def _fact_field(f: Fact) -> str:
    return FACT_FIELDS.get(f.field, f.field)


_MODEL_FIELDS = frozenset({"capability", "openness"})
"""Facts of the model, whatever the channel: asked once per model."""


def _question_id(ro: ResolvedOffering, fld: str, first: str) -> str:
    if fld.startswith("vendor"):
        return f"vendor:{fld}"
    return f"{first}:{fld}"


def _model_key(ro: ResolvedOffering) -> str:
    api = ro.offering.model_api_id
    return f"api:{api}" if api else "name:" + " ".join(ro.offering.model.split()).casefold()


@dataclass
class _Draft:
    offering_ids: list[str]
    field: str
    recipient: str = ""
    qid: str = ""
    kinds: list[str] = _field(default_factory=list)
    reasons: dict[str, list[str]] = _field(default_factory=dict)  # reason → offerings it holds for
    keys: set[str] = _field(default_factory=set)  # criterion and requirement ids/fields it answers
    gains: dict[str, float] = _field(default_factory=dict)  # per offering: points the answer could add
    swings: dict[str, float] = _field(
        default_factory=dict
    )  # per offering: points a stale/aggregator fact moves
    gate: bool = False  # decides a must-have of an offering excluded on evidence gaps only
    reads_failed: bool = False  # a fact a failed must-have rests on
    seal_gate: bool = False  # a gap that could take a minimum SEAL (unknown today) below it

    @property
    def gain(self) -> float:
        """The strongest member's points the answer could add."""
        return max(self.gains.values(), default=0.0)

    @property
    def swing(self) -> float:
        """The strongest member's points a stale or aggregator fact could move."""
        return max(self.swings.values(), default=0.0)

    def add(self, kind: str, offering_id: str, reason: str) -> None:
        if kind not in self.kinds:
            self.kinds.append(kind)
        who = self.reasons.setdefault(reason, [])
        if offering_id not in who:
            who.append(offering_id)

    def why(self) -> tuple[str, ...]:
        """Each reason once, prefixed with the offerings it holds for."""
        return tuple(f"{', '.join(who)}: {reason}" for reason, who in self.reasons.items())


def _pct(w: float) -> str:
    return f"{100 * w:.0f}%"


def _found_nowhere(ro: ResolvedOffering, spec: RequirementSpec) -> bool:
    """Whether a must-have fails on a fact that was looked up and found nowhere (a
    ``none_found`` certification it needs, or processing regions a ``residency`` block
    records as not stated) rather than on a fact that is known."""
    if spec.field == "certifications":
        names = [str(x) for x in spec.value] if isinstance(spec.value, (list, tuple)) else []
        status = ro.certification_statuses
        return any(status.get(c) == "none_found" for c in names)
    if spec.field == "processing_regions":
        return ro.offering.processing_regions is None and ro.offering.residency is not None
    return False


def _requirement_fields(ro: ResolvedOffering, spec: RequirementSpec) -> list[str]:
    f = spec.field
    if f in _REQUIREMENT_FIELDS:
        return [_REQUIREMENT_FIELDS[f]]
    if f == "certifications":
        names = [str(x) for x in spec.value] if isinstance(spec.value, (list, tuple)) else []
        passing = {"certified"} if spec.min_evidence == "certified" else {"certified", "claimed"}
        status = ro.certification_statuses
        short = [c for c in names if status.get(c, "unknown") not in passing]
        return [_cert_field(ro, c) for c in (short or names)]
    if f.endswith(".as_of"):
        kind = f.removesuffix(".as_of")
        found = [_fact_field(x) for x in facts(ro) if x.kind == kind]
        if found:
            return list(dict.fromkeys(found))
        return [_KIND_FIELDS[kind]] if kind in _KIND_FIELDS else []
    return _criterion_fields(ro, f, None)


def _criterion_fields(ro: ResolvedOffering, cid: str, pr: PrioritiesFile | None) -> list[str]:
    if cid in _CRITERION_FIELDS:
        return [_CRITERION_FIELDS[cid]]
    if cid == "jurisdiction":
        out = []
        if ro.vendor.headquarters is None:
            out.append("vendor.headquarters")
        if ro.offering.operator.headquarters is None:
            out.append("operator.headquarters")
        return out or ["vendor.headquarters"]
    if cid == "compliance" and pr is not None and not is_buyer_operated(ro):
        status = ro.certification_statuses
        return [_cert_field(ro, c) for c in pr.wanted_certifications if status.get(c) != "certified"]
    return []


def _gather(
    ro: ResolvedOffering,
    row: Row,
    ranking: Ranking,
    priorities: PrioritiesFile,
    drafts: dict[tuple[str, ...], _Draft],
    ids: Mapping[str, str],
    frameworks: Mapping[str, Sovereignty] | None = None,
) -> None:
    """Add the questions of one offering to ``drafts`` (keyed by who answers and what)."""
    oid = ro.id
    w = ranking.weights
    ranked = row.status == "ranked"

    def key(fld: str) -> tuple[str, ...]:
        if fld.startswith("vendor"):
            return ("vendor", ro.vendor.id, fld)
        if fld in _MODEL_FIELDS:
            return ("model", ro.vendor.id, _model_key(ro), fld)
        return ("offering", oid, fld)

    def draft(fld: str) -> _Draft:
        k = key(fld)
        d = drafts.get(k)
        if d is None:
            d = drafts[k] = _Draft([], fld, recipient_of(ro, fld, ids), _question_id(ro, fld, oid))
        if oid not in d.offering_ids:
            d.offering_ids.append(oid)
        return d

    # unknown values on weighted criteria (compliance: each wanted certification not certified)
    for c in ranking.criteria:
        weight = w.get(c.id, 0.0)
        cell = row.cells.get(c.id)
        if weight <= 0 or cell is None:
            continue
        if c.id == "compliance":
            if is_buyer_operated(ro) or not priorities.wanted_certifications:
                continue
            wanted = priorities.wanted_certifications
            status = ro.certification_statuses
            credit = {"certified": 1.0, "claimed": priorities.claimed_credit}
            for cert in wanted:
                got = status.get(cert, "unknown")
                if got == "certified":
                    continue
                d = draft(_cert_field(ro, cert))
                shown = "not recorded" if cert not in status else got.replace("_", " ")
                d.add(
                    "criterion",
                    oid,
                    f"compliance weighs {_pct(weight)}; {cert} is {shown} "
                    f"(one of {len(wanted)} wanted certifications)",
                )
                d.keys.update({"compliance", cert})
                d.gains[oid] = d.gains.get(oid, 0.0) + 100 * weight * (1 - credit.get(got, 0.0)) / len(wanted)
            continue
        if cell.value is not None or (c.id in _BUYER_INPUT and is_buyer_operated(ro)):
            continue
        for fld in _criterion_fields(ro, c.id, priorities):
            d = draft(fld)
            scored = ", scored worst" if cell.imputed else ""
            d.add("criterion", oid, f"{c.id} weighs {_pct(weight)} and is unknown{scored}")
            d.keys.add(c.id)
            d.gains[oid] = d.gains.get(oid, 0.0) + 100 * weight * (1 - (cell.utility or 0.0))

    # must-haves the offering's facts leave unknown
    specs = {r.id: r for r in priorities.requirements}
    failed_fields: set[str] = set()
    for res in row.requirements:
        spec = specs.get(res.requirement_id)
        if spec is None or (spec.field in _BUYER_INPUT and is_buyer_operated(ro)):
            continue
        fields = _requirement_fields(ro, spec)
        if res.outcome == "fail":
            failed_fields.update(fields)
            if _found_nowhere(ro, spec):  # looked up, not found: a sourced answer can turn it
                for fld in fields:
                    d = draft(fld)
                    d.add(
                        "must-have",
                        oid,
                        f"must-have {spec.id} ({spec.message or spec.field}) fails because no public "
                        "source states it (looked up, none found); an answer with evidence can change that",
                    )
                    d.keys.update({spec.id, spec.field})
                    d.reads_failed = True
        if res.outcome != "unknown":
            continue
        for fld in fields:
            d = draft(fld)
            blocking = res.blocks(spec.allow_unknown)
            effect = (
                "unknown, so the offering is excluded" if blocking else "unknown (allowed by allow_unknown)"
            )
            d.add("must-have", oid, f"must-have {spec.id} ({spec.message or spec.field}) is {effect}")
            d.keys.update({spec.id, spec.field})
            if blocking and row.exclusion == EVIDENCE_GAP:
                d.gate = True

    # stale (or future-dated) facts and facts on aggregator evidence only
    every = facts(ro)
    seen: set[str] = set()
    for age in row.stale:
        f = age.fact
        fld = _fact_field(f)
        d = draft(fld)
        d.add("stale", oid, stale_flag(age, ranking.on_date))
        seen.add(f.field)
    for f in every:
        if f.grade != "aggregator":
            continue
        d = draft(_fact_field(f))
        d.add("aggregator", oid, f"{f.field} rests only on aggregator evidence")
        seen.add(f.field)
    # what a stale or aggregator fact could move: each weighted criterion resting on it
    wanted = priorities.wanted_certifications
    for c in ranking.criteria:
        weight = w.get(c.id, 0.0)
        cell = row.cells.get(c.id)
        if weight <= 0 or cell is None or c.id not in CRITERION_KINDS:
            continue
        for f in criterion_facts(ro, c.id, wanted, every):
            if f.field in seen:
                d = draft(_fact_field(f))
                u = cell.utility or 0.0
                d.swings[oid] = d.swings.get(oid, 0.0) + (100 * weight * max(u, 1 - u) if ranked else 0.0)
                d.keys.add(c.id)
    for fld in failed_fields:
        hit = drafts.get(key(fld))
        if hit is not None and oid in hit.offering_ids and {"stale", "aggregator"} & set(hit.kinds):
            hit.reads_failed = True
    _gather_sovereignty(ro, row, ranking, priorities, draft, frameworks or {})


def _uses_framework(ranking: Ranking, priorities: PrioritiesFile) -> bool:
    """Whether the priorities use the sovereignty framework: the ``sovereignty``
    criterion weighted, or a minimum SEAL among the must-haves."""
    return ranking.weights.get("sovereignty", 0.0) > 0 or any(
        r.field == SEAL_FIELD or seal_objective(r.field) for r in priorities.requirements
    )


def _gather_sovereignty(
    ro: ResolvedOffering,
    row: Row,
    ranking: Ranking,
    priorities: PrioritiesFile,
    draft: Any,
    frameworks: Mapping[str, Sovereignty],
) -> None:
    """The framework's unanswered criteria (gaps) of one offering, when the priorities
    use the framework: each gap that could take a minimum SEAL (unknown today) below it,
    and each gap of an objective the weighted score counts (with the points it could add)."""
    a = row.sovereignty
    if a is None or not a.gaps or not _uses_framework(ranking, priorities):
        return
    model = frameworks.get(a.framework)
    if model is None:
        return
    fw = model.framework
    oid = ro.id
    specs = {r.id: r for r in priorities.requirements}
    weight = ranking.weights.get("sovereignty", 0.0)
    anchors = ranking.anchors.get("sovereignty", (0.0, 100.0))
    span = abs(anchors[1] - anchors[0]) or 100.0
    total = sum(o.weight for o in a.objectives) or 1.0
    for o in a.objectives:
        for cid in o.gaps:
            c = fw.criterion(cid)
            fld = answer_field(fw.id, cid)
            hit: _Draft | None = None
            for res in row.requirements:
                spec = specs.get(res.requirement_id)
                if spec is None or res.outcome != "unknown":
                    continue
                if spec.field != SEAL_FIELD and seal_objective(spec.field) != o.id:
                    continue
                minimum = int(spec.value)
                if c.lowest_seal >= minimum:
                    continue  # no option of it is below the minimum: it cannot bind
                hit = hit or draft(fld)
                allowed = "" if res.blocks(spec.allow_unknown) else " (allowed by allow_unknown)"
                hit.add(
                    "must-have",
                    oid,
                    f"must-have {spec.id} ({spec.message or spec.field}) is unknown{allowed}: "
                    f"{cid} is a gap and could be below SEAL-{minimum}",
                )
                hit.keys.update({spec.id, spec.field})
                hit.seal_gate = True
                if res.blocks(spec.allow_unknown) and row.exclusion == EVIDENCE_GAP:
                    hit.gate = True
            if weight > 0 and o.weight > 0:
                hit = hit or draft(fld)
                pct = 100.0 * o.weight / total * c.max_value / fw.nominal_points
                hit.add(
                    "criterion",
                    oid,
                    f"sovereignty weighs {_pct(weight)} and its score is unknown while {cid} is a gap "
                    f"(up to {pct:.2f} points of the score)",
                )
                hit.keys.add("sovereignty")
                hit.gains[oid] = hit.gains.get(oid, 0.0) + 100 * weight * min(1.0, pct / span)


def sovereignty_spec(model: Sovereignty, fld: str) -> QuestionSpec:
    """The question on one framework criterion (field ``sovereignty.<framework>.<criterion>``):
    the criterion's own question, every answer option with its number, label, SEAL and
    points, and the option numbers as the allowed answers (a drop-down in the workbook).

    Raises
    ------
    KeyError
        For a field that is not one of the framework's criteria.
    """
    parsed = parse_answer_field(fld)
    if parsed is None or parsed[0] != model.framework.id:
        raise KeyError(fld)
    fw = model.framework
    c = fw.criterion(parsed[1])
    objective = next(o for o in fw.objectives if any(x.id == c.id for x in o.criteria))
    options = []
    for i, opt in enumerate(c.options, start=1):
        label = opt.label or "(no label in the source)"
        if label.startswith(f"{i}. "):
            label = label[len(f"{i}. ") :]
        options.append(f"{i} = {label} (SEAL-{opt.seal}, {opt.value:g} points)")
    return QuestionSpec(
        fld,
        f"{fw.name} {c.id} ({objective.id} {objective.name}): {' '.join(c.question.split())} "
        "Which answer option describes the service as the buyer would contract it?",
        "one option number: " + "; ".join(options),
        tuple(str(i) for i in range(1, len(c.options) + 1)),
        "The document showing it (contract clause, company register entry, certificate, published "
        "policy or audit report), with its URL or reference and date",
    )


# --------------------------------------------------------------------------- ordering


def _heuristic_decides(
    d: _Draft, rows: Mapping[str, Row], cut_in: float | None, cut_out: float | None
) -> bool:
    """Whether a question can change the shortlist or a gate (the module docstring)."""
    if d.gate or d.reads_failed or d.seal_gate:
        return True
    for oid in d.offering_ids:
        row = rows[oid]
        if row.status == "excluded":
            if row.exclusion == EVIDENCE_GAP:
                return True
            continue
        score = row.score or 0.0
        inside = cut_in is None or (row.rank is not None and score >= cut_in - 1e-9)
        if not inside and d.gain + d.swing > 0 and score + d.gain + d.swing >= (cut_in or 0.0) - 1e-9:
            return True
        if inside and cut_out is not None and d.swing > 0 and score - d.swing <= cut_out + 1e-9:
            return True
    return False


def _order(
    drafts: Sequence[_Draft],
    rows: Mapping[str, Row],
    ranking: Ranking,
    cut: int,
    impact: Mapping[str, RankRangeLike] | None,
    gains: Mapping[str, float],
) -> list[tuple[_Draft, bool, float]]:
    ranked = [r for r in ranking.rows if r.status == "ranked"]
    cut_in = ranked[cut - 1].score if len(ranked) >= cut else None
    cut_out = ranked[cut].score if len(ranked) > cut else None
    keyed: list[tuple[tuple[Any, ...], _Draft, bool, float]] = []
    for d in drafts:
        # the rank range's unknowns this question answers, when rank ranges are given
        hits: list[tuple[int, UnknownImpactLike]] = []
        if impact is not None:
            names = {d.field, *d.keys}
            for oid in d.offering_ids:
                rr = impact.get(oid)
                if rr is None:
                    continue
                hits += [(k, u) for k, u in enumerate(rr.unknowns) if u.field in names]
        points = float("inf") if d.gate else d.gain + d.swing
        if hits:
            crosses = [(k, u) for k, u in hits if u.crosses_cut]
            decides = bool(crosses) or d.gate or d.reads_failed
            first = min(k for k, _ in (crosses or hits))
            gate_first = any(u.kind == "must-have" for _, u in crosses) or (d.seal_gate and decides)
            sub = 0 if crosses else 1 if d.gate else 2
            key: tuple[Any, ...] = (0 if decides else 1, sub, 0 if gate_first else 1, first, -points)
        else:
            # an unknown counts with its offering's other unknowns: together they may reach the cut
            together = max((gains.get(o, 0.0) for o in d.offering_ids), default=0.0) if d.gain > 0 else 0.0
            probe = _Draft(
                d.offering_ids,
                d.field,
                gains={"": together},
                swings={"": d.swing},
                gate=d.gate,
                reads_failed=d.reads_failed,
                seal_gate=d.seal_gate,
            )
            decides = _heuristic_decides(probe, rows, cut_in, cut_out)
            key = (0 if decides else 1, 1 if d.gate or d.seal_gate else 2, 1, 0, -points)
        keyed.append(((*key, d.offering_ids[0], d.field, d.qid), d, decides, points))
    keyed.sort(key=lambda x: x[0])
    return [(d, decides, points) for _, d, decides, points in keyed]


def _spec(fld: str, metric: str | None, frameworks: Mapping[str, Sovereignty] | None = None) -> QuestionSpec:
    """The catalog's question, the capability one naming the criteria catalog's metric
    (a framework criterion's: :func:`sovereignty_spec`)."""
    parsed = parse_answer_field(fld)
    if parsed is not None and frameworks is not None and parsed[0] in frameworks:
        return sovereignty_spec(frameworks[parsed[0]], fld)
    spec = question_for(fld)
    if fld == "capability" and metric:
        return dataclasses.replace(
            spec, ask=f"What is this model's score on {metric}, the benchmark the buyer ranks by?"
        )
    return spec


def questionnaires(
    ranking: Ranking,
    catalog: Catalog,
    priorities: PrioritiesFile,
    *,
    cut: int | None = None,
    vendor: str | None = None,
    impact: Mapping[str, RankRangeLike] | None = None,
    frameworks: Mapping[str, Sovereignty] | None = None,
) -> Rfi:
    """One questionnaire per vendor file for the unknowns, stale and weak facts of a ranking.

    Parameters
    ----------
    ranking : Ranking
        The ranking under the buyer's priorities (every offering ranked or excluded).
    catalog : Catalog
        The catalog it was computed from.
    priorities : PrioritiesFile
        The priorities it was computed with (must-haves, wanted certifications).
    cut : int, optional
        The shortlist cut: the first ``cut`` ranked offerings (default: the
        priorities' ``robustness.top_k``, 3 unless set).
    vendor : str, optional
        Only this questionnaire: a vendor id or an operator id (:func:`operator_ids`).
    impact : mapping, optional
        Rank ranges by offering id (:class:`RankRangeLike`); without them questions are
        ordered by the heuristic of the module docstring.
    frameworks : mapping, optional
        The sovereignty frameworks by id
        (:attr:`engine.catalog.loading.CriteriaCatalog.sovereignty`). When the
        priorities use the framework (the ``sovereignty`` criterion weighted, or a
        minimum SEAL), each offering's unanswered criteria are asked of whoever runs
        its channel (the framework assesses the cloud service provider), with the
        answer options: a gap that could take a minimum SEAL below it first, then the
        gaps of the objectives the weighted score counts.

    Returns
    -------
    Rfi
        Every vendor and every operator (of another company's model) with at least one
        ranked or excluded offering, including those with no question (sorted by id).

    Raises
    ------
    KeyError
        When ``vendor`` is neither a vendor nor an operator of ``catalog`` (callers
        check first), or a ranking row is not in ``catalog``.
    """
    cut = cut if cut is not None else priorities.robustness.top_k
    metric = next((c.metric for c in ranking.criteria if c.id == "capability"), None)
    by_id = {o.id: o for o in catalog.offerings}
    rows = {r.offering_id: r for r in ranking.rows}
    ids = operator_ids(catalog)
    drafts: dict[tuple[str, ...], _Draft] = {}
    # who each questionnaire is for: its name, file and the offerings it concerns
    who: dict[str, tuple[str, str, str, list[ResolvedOffering]]] = {}
    for r in ranking.rows:
        ro = by_id[r.offering_id]
        who.setdefault(ro.vendor.id, (ro.vendor.name, ro.file, "model maker", []))[3].append(ro)
        _gather(ro, r, ranking, priorities, drafts, ids, frameworks)
    for ro in (by_id[r.offering_id] for r in ranking.rows):
        if routed(ro):
            rid = operator_key(ro, ids)
            name = next(k for k, v in ids.items() if v == rid)
            who.setdefault(rid, (name, ro.file, "operator", []))[3].append(ro)
    if vendor is not None:
        who = {vendor: who[vendor]}
    gains: dict[str, float] = {}  # an offering's unknowns together, whoever is asked
    for d in drafts.values():
        for oid, g in d.gains.items():
            gains[oid] = gains.get(oid, 0.0) + g
    out = []
    for rid in sorted(who):
        name, file, role, offs = who[rid]
        mine = [d for d in drafts.values() if d.recipient == rid]
        ordered = _order(mine, rows, ranking, cut, impact, gains)
        questions = tuple(
            Question(
                d.qid,
                tuple(d.offering_ids),
                d.field,
                _spec(d.field, metric, frameworks),
                tuple(d.kinds),
                d.why(),
                decides,
                points,
            )
            for d, decides, points in ordered
        )
        lines = tuple(
            OfferingLine(ro.id, ro.label, rows[ro.id].status, rows[ro.id].rank, rows[ro.id].exclusion)
            for ro in offs
        )
        out.append(VendorQuestionnaire(rid, name, file, lines, questions, role))
    return Rfi(
        ranking.priorities_name,
        ranking.on_date,
        cut,
        "rank ranges" if impact is not None else "heuristic",
        tuple(out),
    )
