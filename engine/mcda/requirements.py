"""Must-haves (gate / knock-out rules) evaluated per offering.

A requirement names a ``field`` of an offering, an operator ``op`` and a ``value``:

=========================  ===========================  ==================================
field                      operators                    value
=========================  ===========================  ==================================
``processing_regions``     ``within``, ``subset_of``    region tokens (``EU``, ``DE`` …)
``developer_hq``           ``in``, ``not_in``           region tokens
``operator_hq``            ``in``, ``not_in``           region tokens (``BUYER`` passes)
``deployment``             ``in``, ``not_in``           ``api``, ``cloud`` …
``open_weights``           ``equals``                   ``true`` / ``false``
``licence``                ``in``, ``not_in``           SPDX ids or ``LicenseRef-…``
``certifications``         ``includes_all``             certification ids
``gpai_code_of_practice``  ``equals``, ``in``           ``signatory`` …
``zero_data_retention``    ``in``                       ``available``, ``on_request`` …
``as_of``                  ``max_age_days``             days (the profile's data age)
``<kind>.as_of``           ``max_age_days``             days (the oldest fact of the kind)
any criterion id           ``min``, ``max``             a number in the criterion's unit
``seal``                   ``min``                      a SEAL level 0–4 (every objective)
``seal.<objective>``       ``min``                      a SEAL level 0–4 (``seal.SOV-2``)
=========================  ===========================  ==================================

``seal`` and ``seal.<objective>`` are the minimum-SEAL gates of the sovereignty
framework (:mod:`engine.mcda.sovereignty`): ``fail`` when an answered criterion of the
objective is below the minimum (the reason names it, with its answer and the facts it
rests on), ``unknown`` when none is but an unanswered criterion could be (named), else
``pass``. With ``min_grade``, a minimum SEAL whose objective has an answer resting on
weaker evidence (the governing answer judged first) is ``unknown``, the answer named.

``<kind>`` is a kind of dated fact (:data:`engine.catalog.evidence.KINDS`):
``prices.as_of``, ``residency.as_of``, ``retention.as_of``, ``openness.as_of``,
``certifications.as_of``, ``gpai.as_of``, ``latency.as_of``, ``capability.as_of``,
``transparency.as_of``, ``profile.as_of`` (the offering's and its vendor's profiles). A
block without a date of its own is dated by its offering's (or vendor's) ``as_of``; an
offering with no fact of the kind (no latency measured, no GPAI status) is ``unknown``.
The rule's ``value`` is its own limit, whatever the catalog's ``max_age_days`` says.

Any requirement may carry ``min_grade`` (``primary``, ``independent``,
``vendor-declared``, ``secondary``, ``aggregator``; :mod:`engine.catalog.evidence`):
when a fact the rule reads (:data:`GRADED_FIELDS`: processing regions → the residency
block, certifications → the named items, GPAI status, retention, openness, the
profiles for headquarters and deployment, a criterion → the facts its value rests on)
rests on weaker evidence, or on none graded, the outcome is ``unknown`` with a reason
naming the grade found and the grade required — weak evidence decides neither way.

``within`` passes when processing *can* be kept inside the listed regions;
``subset_of`` when every listed processing region is inside them. For
``certifications`` an item counts when its evidence is at least ``min_evidence``
(``claimed`` by default, or ``certified``); a self-hosted offering (operator
``BUYER``) is judged on the buyer's own ``buyer_certifications`` instead. A fact that
is not known makes the outcome ``unknown``, which fails the gate unless
``allow_unknown: true``; the ranking shows such an exclusion as an *evidence gap*,
apart from one that *fails*.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from engine.catalog.dates import FUTURE_FLAG
from engine.catalog.evidence import (
    KINDS,
    UNGRADED,
    Age,
    Fact,
    criterion_facts,
    facts,
    grade_at_least,
    weakest,
)
from engine.catalog.licences import licence_problem
from engine.catalog.loading import ResolvedOffering
from engine.catalog.ranges import ANCHOR_LIMIT, CRITERION_RANGES, MAX_AGE_DAYS, number_problem
from engine.catalog.regions import all_within, any_within, region_within
from engine.catalog.schema import CERTIFICATION_IDS, RequirementSpec, is_region
from engine.catalog.sovereignty import SEAL_MAX, FrameworkFile
from engine.catalog.staleness import block_name, stale_flag
from engine.catalog.text import licence_key
from engine.errors import Issue, suggest
from engine.mcda.matrix import BUYER_UNDECLARED, KNOWN_CRITERIA, KNOWN_LEVELS, Performance, is_buyer_operated
from engine.mcda.sovereignty import Assessment, gate

__all__ = [
    "AGE_FIELDS",
    "FIELDS",
    "GRADED_FIELDS",
    "SEAL_FIELD",
    "RequirementResult",
    "check_requirements",
    "evaluate",
    "seal_objective",
]

Outcome = Literal["pass", "fail", "unknown"]


@dataclass(frozen=True, slots=True)
class RequirementResult:
    """Outcome of one requirement for one offering, with a human reason."""

    requirement_id: str
    outcome: Outcome
    reason: str

    def blocks(self, allow_unknown: bool) -> bool:
        """True when this outcome keeps the offering out of the ranking."""
        return self.outcome == "fail" or (self.outcome == "unknown" and not allow_unknown)


def _amount(x: float) -> str:
    """A number for a reason text: whole units with thousands separators from 100 on
    (``5,032,010``), else four significant digits (``27.52``, ``0.5``)."""
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.4g}"


def _regions(ro: ResolvedOffering) -> Any:
    return ro.offering.processing_regions


def _cert_levels(ro: ResolvedOffering) -> Any:
    return ro.certification_statuses


_GETTERS: dict[str, tuple[Callable[[ResolvedOffering], Any], tuple[str, ...]]] = {
    "processing_regions": (_regions, ("within", "subset_of")),
    "developer_hq": (lambda ro: ro.vendor.headquarters, ("in", "not_in")),
    "operator_hq": (lambda ro: ro.offering.operator.headquarters, ("in", "not_in")),
    "deployment": (lambda ro: ro.offering.deployment, ("in", "not_in")),
    "open_weights": (
        lambda ro: ro.offering.openness.open_weights if ro.offering.openness else None,
        ("equals",),
    ),
    "licence": (lambda ro: ro.offering.openness.licence if ro.offering.openness else None, ("in", "not_in")),
    "certifications": (_cert_levels, ("includes_all",)),
    "gpai_code_of_practice": (
        lambda ro: (
            ro.vendor.gpai_code_of_practice.status
            if ro.vendor.gpai_code_of_practice and ro.vendor.gpai_code_of_practice.status != "unknown"
            else None
        ),
        ("equals", "in"),
    ),
    "zero_data_retention": (
        lambda ro: (
            ro.offering.zero_data_retention.status
            if ro.offering.zero_data_retention and ro.offering.zero_data_retention.status != "unknown"
            else None
        ),
        ("in",),
    ),
    "as_of": (lambda ro: ro.offering.as_of, ("max_age_days",)),
}

AGE_FIELDS: dict[str, str] = {f"{k}.as_of": k for k in KINDS}
"""``<kind>.as_of`` fields (operator ``max_age_days``) and the kind each one reads."""


def _kind_facts(kind: str) -> Callable[[ResolvedOffering], Any]:
    def get(ro: ResolvedOffering) -> tuple[Fact, ...] | None:
        return tuple(f for f in facts(ro) if f.kind == kind) or None

    return get


for _field, _kind in AGE_FIELDS.items():
    _GETTERS[_field] = (_kind_facts(_kind), ("max_age_days",))


def _field_facts(*fields: str) -> Callable[[ResolvedOffering, RequirementSpec], tuple[Fact, ...]]:
    def get(ro: ResolvedOffering, spec: RequirementSpec) -> tuple[Fact, ...]:
        return tuple(f for f in facts(ro) if f.field in fields)

    return get


def _of_kind(kind: str) -> Callable[[ResolvedOffering, RequirementSpec], tuple[Fact, ...]]:
    def get(ro: ResolvedOffering, spec: RequirementSpec) -> tuple[Fact, ...]:
        return tuple(f for f in facts(ro) if f.kind == kind)

    return get


def _named_certifications(ro: ResolvedOffering, spec: RequirementSpec) -> tuple[Fact, ...]:
    names = spec.value if isinstance(spec.value, (list, tuple)) else ()
    keys = {f"certifications.{c}" for c in names} | {f"vendor.certifications.{c}" for c in names}
    return tuple(f for f in facts(ro) if f.field in keys)


GRADED_FIELDS: dict[str, Callable[[ResolvedOffering, RequirementSpec], tuple[Fact, ...]]] = {
    "processing_regions": _of_kind("residency"),
    # a vendor's answer to a field without a block is a fact of its own, judged with the profile
    "developer_hq": _field_facts("vendor", "vendor.headquarters"),
    "operator_hq": _field_facts("offering", "operator.headquarters"),
    "deployment": _field_facts("offering", "deployment"),
    "open_weights": _of_kind("openness"),
    "licence": _of_kind("openness"),
    "certifications": _named_certifications,
    "gpai_code_of_practice": _of_kind("gpai"),
    "zero_data_retention": _of_kind("retention"),
    "as_of": _field_facts("offering"),
    **{f: _of_kind(k) for f, k in AGE_FIELDS.items()},
}
"""The facts whose evidence grade a rule's ``min_grade`` judges, per field; a criterion
field reads :func:`engine.catalog.evidence.criterion_facts` (``compliance``: every
certification item)."""


def _graded_facts(
    ro: ResolvedOffering, spec: RequirementSpec, wanted: tuple[str, ...] = ()
) -> tuple[Fact, ...]:
    if spec.field in GRADED_FIELDS:
        return GRADED_FIELDS[spec.field](ro, spec)
    if spec.field == "compliance":  # the buyer's wanted certifications only, as the criterion reads
        return criterion_facts(ro, "compliance", wanted)
    return criterion_facts(ro, spec.field)


SEAL_FIELD = "seal"
"""The overall minimum-SEAL field; ``seal.<objective>`` names one objective."""
_SEAL_OBJECTIVE = re.compile(r"seal\.(SOV-[1-9][0-9]?)")

FIELDS: tuple[str, ...] = (*_GETTERS, *KNOWN_CRITERIA, SEAL_FIELD, "seal.<objective>")
"""Every field a requirement may name."""


_WORDS: dict[str, tuple[str, ...]] = {
    "deployment": ("api", "cloud", "private-cloud", "self-hosted"),
    "certifications": CERTIFICATION_IDS,
    "gpai_code_of_practice": ("signatory", "partial_signatory", "not_signatory"),
    "zero_data_retention": ("available", "on_request", "none_found"),
}
_REGION_FIELDS = ("processing_regions", "developer_hq", "operator_hq")


def _value_problem(r: RequirementSpec) -> str | None:
    """What is wrong with a requirement's value for its field and operator."""
    v = list(r.value) if isinstance(r.value, tuple) else r.value  # shown as written in YAML
    if r.op == "max_age_days":
        ok = not isinstance(v, bool) and isinstance(v, int) and 0 <= v <= MAX_AGE_DAYS
        return None if ok else f"value must be a whole number of days from 0 to {MAX_AGE_DAYS}, found {v!r}"
    if r.op == "min" and (r.field == SEAL_FIELD or _SEAL_OBJECTIVE.fullmatch(r.field)):
        ok = not isinstance(v, bool) and isinstance(v, int) and 0 <= v <= SEAL_MAX
        return None if ok else f"value must be a SEAL level, a whole number from 0 to {SEAL_MAX}, found {v!r}"
    if r.op in ("min", "max"):
        if r.field in KNOWN_LEVELS:
            return f"{r.field!r} is categorical ({', '.join(KNOWN_LEVELS[r.field])}): min/max do not apply"
        lo, hi = CRITERION_RANGES.get(r.field, (0.0, ANCHOR_LIMIT))
        problem = number_problem(v, max(lo, 0.0), hi, what="a number in the criterion's unit")
        return f"value: {problem}" if problem else None
    if r.op == "equals":
        if r.field == "open_weights":
            return None if isinstance(v, bool) else f"value must be true or false, found {v!r}"
        allowed = _WORDS.get(r.field, ())
        return None if v in allowed else f"value must be one of {', '.join(allowed)}, found {v!r}"
    if not (isinstance(v, (list, tuple)) and v and all(isinstance(x, str) for x in v)):
        return f"value must be a non-empty list of words, found {v!r}"
    if r.field in _REGION_FIELDS:
        bad = [x for x in v if not is_region(x)]
        if bad:
            return f"{bad[0]!r} is not a region (ISO 3166-1 alpha-2 code, EU, EEA, GLOBAL or BUYER)"
    elif r.field == "licence":
        for i, x in enumerate(v):  # the same check as an offering's licence: no rule names
            problem = licence_problem(x)  # a licence no offering could carry
            if problem:
                return f"value[{i}]: {problem}"
    elif r.field in _WORDS:
        bad = [x for x in v if x not in _WORDS[r.field]]
        if bad:
            return f"unknown value {bad[0]!r} (known: {', '.join(_WORDS[r.field])})"
    return None


def check_requirements(
    specs: Sequence[RequirementSpec],
    file: str | None = None,
    *,
    where: str = "requirements",
    kind: str = "priorities",
) -> list[Issue]:
    """Check that each requirement names a known field, a fitting operator and value.

    Parameters
    ----------
    specs : sequence of RequirementSpec
    file : str, optional
    where : str
        Name of the list in its file (``requirements`` in a priorities file, ``rules``
        in a policy).
    kind : str
        Prefix of the reason codes (``priorities`` or ``policy``).

    Returns
    -------
    list of Issue
        Empty when all requirements are well-formed; field paths are
        ``<where>[i].field|op|value``.
    """
    issues: list[Issue] = []
    label = "requirement" if where == "requirements" else "rule"
    for i, r in enumerate(specs):
        at = f"{where}[{i}]"
        if r.field in _GETTERS:
            ops = _GETTERS[r.field][1]
        elif r.field in KNOWN_CRITERIA:
            ops = ("min", "max")
        elif r.field == SEAL_FIELD or _SEAL_OBJECTIVE.fullmatch(r.field):
            ops = ("min",)
        else:
            msg = f"{label} {r.id!r}: unknown field {r.field!r}{suggest(r.field, FIELDS)} (fields: {', '.join(FIELDS)})"
            issues.append(Issue(f"{kind}.unknown_field", msg, file, None, None, f"{at}.field"))
            continue
        if r.op not in ops:
            msg = f"{label} {r.id!r}: operator {r.op!r} does not apply to {r.field!r} (use {', '.join(ops)})"
            issues.append(Issue(f"{kind}.unknown_operator", msg, file, None, None, f"{at}.op"))
            continue
        problem = _value_problem(r)
        if problem:
            issues.append(
                Issue(
                    f"{kind}.invalid_value",
                    f"{label} {r.id!r}: {problem}",
                    file,
                    None,
                    None,
                    f"{at}.value",
                )
            )
    return issues


def _fmt(values: Any) -> str:
    return ", ".join(str(v) for v in values)


def evaluate(
    spec: RequirementSpec,
    ro: ResolvedOffering,
    perf: Mapping[str, Performance],
    today: dt.date | None = None,
    buyer_certifications: tuple[str, ...] | None = None,
    wanted_certifications: tuple[str, ...] = (),
    sovereignty: tuple[FrameworkFile, Assessment] | None = None,
) -> RequirementResult:
    """Evaluate one (well-formed) requirement for one offering.

    Parameters
    ----------
    spec : RequirementSpec
    ro : ResolvedOffering
    perf : mapping
        The offering's performance values by criterion id (for ``min``/``max``).
    today : datetime.date, optional
        Reference date of ``max_age_days`` (default: the system date).
    buyer_certifications : tuple of str, optional
        The certifications the buyer declares for what it operates itself
        (``PrioritiesFile.buyer_certifications``). A ``certifications`` requirement on a
        self-hosted offering (operator headquarters ``BUYER``) is about the buyer's own
        infrastructure: it passes or fails on this declaration, and is ``unknown`` —
        the buyer's input, not a vendor fact — when it is ``None`` (not declared).
    wanted_certifications : tuple of str, optional
        The buyer's wanted certifications: a ``min_grade`` on ``compliance`` judges the
        evidence of these only, as the criterion does.
    sovereignty : (FrameworkFile, Assessment), optional
        The offering's sovereignty assessment, for ``seal`` fields (``None``: such a
        requirement is ``unknown``).

    Returns
    -------
    RequirementResult
        With ``min_grade``: ``unknown`` when the weakest fact the rule reads is weaker
        than ``min_grade`` (the rule's own outcome otherwise).
    """
    if spec.field == SEAL_FIELD or _SEAL_OBJECTIVE.fullmatch(spec.field):
        return _seal_rule(spec, sovereignty)
    result = _judge(spec, ro, perf, today, buyer_certifications)
    if spec.min_grade is None or result.outcome == "unknown":
        return result
    if spec.field == "sovereignty" and sovereignty is not None:  # the facts its answers rest on
        w = weakest([f for a in sovereignty[1].answers for f in a.facts])
    else:
        w = weakest(list(_graded_facts(ro, spec, wanted_certifications)))
    if w is None or grade_at_least(w.grade, spec.min_grade):
        return result
    found = "records no evidence grade" if w.grade == UNGRADED else f"rests on {w.grade} evidence"
    field = _FACT_NAMES.get(w.field, w.field)
    return RequirementResult(
        spec.id,
        "unknown",
        f"{spec.message or spec.id}: {field} {found}; {spec.min_grade} or stronger required",
    )


def seal_objective(field: str) -> str | None:
    """The objective a ``seal.<objective>`` field names (``None`` for ``seal`` or another field)."""
    m = _SEAL_OBJECTIVE.fullmatch(field)
    return m.group(1) if m else None


def _seal_rule(
    spec: RequirementSpec, sovereignty: tuple[FrameworkFile, Assessment] | None
) -> RequirementResult:
    """A minimum-SEAL rule; with ``min_grade``, an answer of the objective (the governing
    one first) resting on weaker evidence makes the outcome ``unknown``, naming it."""
    label = spec.message or spec.id
    if sovereignty is None:
        return RequirementResult(spec.id, "unknown", f"{label}: no sovereignty framework is loaded")
    framework, assessment = sovereignty
    objective = seal_objective(spec.field)
    if objective is not None and objective not in {o.id for o in framework.objectives}:
        return RequirementResult(
            spec.id, "unknown", f"{label}: framework {framework.id} has no objective {objective}"
        )
    g = gate(framework, assessment, int(spec.value), objective)
    if spec.min_grade is not None and g.outcome != "unknown":
        # an answer of the objective (the governing one first) on weaker evidence decides nothing
        mine = [
            a for a in assessment.answers if objective is None or a.criterion.rsplit(".", 1)[0] == objective
        ]
        mine.sort(key=lambda a: a.criterion != g.governing)
        for a in mine:
            w = weakest(list(a.facts))
            if w is not None and not grade_at_least(w.grade, spec.min_grade):
                found = "records no evidence grade" if w.grade == UNGRADED else f"rests on {w.grade} evidence"
                field = _FACT_NAMES.get(w.field, w.field)
                why = f"{a.criterion} (answered from {field}) {found}; {spec.min_grade} or stronger required"
                return RequirementResult(spec.id, "unknown", f"{label}: {why}")
    return RequirementResult(spec.id, g.outcome, f"{label}: {g.reason}")


_FACT_NAMES = {
    "offering": "the offering profile",
    "vendor": "the vendor profile",
    "residency": "residency (processing regions)",
}


def _age_rule(spec: RequirementSpec, found: tuple[Fact, ...], day: dt.date) -> tuple[Outcome, str]:
    """A ``<kind>.as_of`` rule: the newest date must not be after ``day``, the oldest
    fact of the kind must be within the rule's days."""
    limit = int(spec.value)
    future = max(found, key=lambda f: f.as_of)
    if future.as_of > day:
        a = Age(future, (day - future.as_of).days, limit)
        return "fail", f"{stale_flag(a, day)}: check the date"
    oldest = min(found, key=lambda f: f.as_of)
    a = Age(oldest, (day - oldest.as_of).days, limit)
    name = f"{block_name(a)} {oldest.as_of.isoformat()}"
    if oldest.inherited:
        name += (
            " (undated: the "
            + ("vendor's" if oldest.field.startswith("vendor.") else "offering's")
            + " as_of)"
        )
    ok = a.days <= limit
    return (
        "pass" if ok else "fail"
    ), f"{name} is {a.days} days old ({'within' if ok else 'over'} the {limit}-day limit)"


def _judge(
    spec: RequirementSpec,
    ro: ResolvedOffering,
    perf: Mapping[str, Performance],
    today: dt.date | None,
    buyer_certifications: tuple[str, ...] | None = None,
) -> RequirementResult:
    label = spec.message or spec.id

    def res(outcome: Outcome, why: str) -> RequirementResult:
        return RequirementResult(spec.id, outcome, f"{label}: {why}")

    if spec.field in KNOWN_CRITERIA:
        pv = perf[spec.field].value
        if pv is None or isinstance(pv, str):
            return res(
                "unknown",
                f"{spec.field} is not known"
                + (f" ({perf[spec.field].note})" if perf[spec.field].note else ""),
            )
        limit = float(spec.value)
        shown, bound = _amount(pv), _amount(limit)
        if shown == bound and pv != limit:  # rounding must not hide why it fails
            shown, bound = f"{pv:,.6f}".rstrip("0"), f"{limit:,.6f}".rstrip("0")
        if spec.op == "max":
            return (
                res("pass", f"{spec.field} {shown} ≤ {bound}")
                if pv <= limit
                else res("fail", f"{spec.field} {shown} exceeds the maximum {bound}")
            )
        return (
            res("pass", f"{spec.field} {shown} ≥ {bound}")
            if pv >= limit
            else res("fail", f"{spec.field} {shown} is below the minimum {bound}")
        )

    getter = _GETTERS[spec.field][0]
    actual = getter(ro)
    if actual is None:
        if spec.field in AGE_FIELDS:
            return res("unknown", f"no {AGE_FIELDS[spec.field]} fact is known for this offering")
        if spec.field == "processing_regions" and ro.offering.residency is not None:
            # looked up (where: the residency block's sources; when: its date), none stated:
            # like a certification found nowhere, it cannot be shown, so it fails
            r = ro.offering.residency
            n = len(r.sources)
            return res(
                "fail",
                f"processing regions: none found in the residency block's {n} source{'s' if n != 1 else ''} "
                f"(dated {r.as_of.isoformat()}), so they cannot be shown to stay inside {_fmt(spec.value)}",
            )
        return res("unknown", f"{spec.field} is not known for this offering")
    v = spec.value
    if spec.field in AGE_FIELDS:
        return res(*_age_rule(spec, actual, today or dt.date.today()))
    if spec.op == "max_age_days":
        day = today or dt.date.today()
        age = (day - actual).days
        if age < 0:
            return res(
                "fail",
                f"{FUTURE_FLAG}: as of {actual.isoformat()} is dated {-age} days in the future "
                f"of {day.isoformat()}: check the date",
            )
        ok = age <= int(v)
        return res(
            "pass" if ok else "fail",
            f"data as of {actual.isoformat()} is {age} days old ({'within' if ok else 'over'} the {int(v)}-day limit)",
        )
    if spec.field == "processing_regions":
        ok = any_within(actual, v) if spec.op == "within" else all_within(actual, v)
        if spec.op == "within":
            verb = "can be kept inside" if ok else "cannot be kept inside"
        else:
            verb = "all inside" if ok else "not all inside"
        return res("pass" if ok else "fail", f"processing regions {_fmt(actual)} {verb} {_fmt(v)}")
    if spec.field in ("developer_hq", "operator_hq"):
        if actual == "BUYER":  # self-hosted: the buyer operates it, under the buyer's own law
            return res("pass", "operated by the buyer (self-hosted)")
        inside = region_within(actual, v)
        ok = inside if spec.op == "in" else not inside
        who = "developer" if spec.field == "developer_hq" else "operator"
        return res("pass" if ok else "fail", f"{who} headquartered in {actual}")
    if spec.field == "certifications" and is_buyer_operated(ro):
        if buyer_certifications is None:
            return res("unknown", f"{_fmt(v)}: {BUYER_UNDECLARED}")
        lacking = [c for c in v if c not in buyer_certifications]
        if not lacking:
            return res("pass", f"self-hosted: the buyer holds {_fmt(v)} (buyer_certifications)")
        return res("fail", f"self-hosted: the buyer's declared certifications lack {_fmt(lacking)}")
    if spec.field == "certifications":
        need = ("certified",) if spec.min_evidence == "certified" else ("certified", "claimed")
        missing = [c for c in v if actual.get(c) not in need]
        unknown = [c for c in missing if c not in actual or actual[c] == "unknown"]
        if not missing:
            return res("pass", f"has {_fmt(v)}")
        if unknown and len(unknown) == len(missing):
            return res("unknown", f"no evidence either way for {_fmt(unknown)}")
        return res("fail", f"lacks {_fmt(missing)} (evidence at least {spec.min_evidence} required)")
    if spec.op == "equals":
        ok = actual == v
        return res(
            "pass" if ok else "fail",
            f"{spec.field} is {str(actual).lower() if isinstance(actual, bool) else actual}",
        )
    if spec.field == "licence":  # SPDX ids are case insensitive: one licence, one key
        inside = licence_key(actual) in {licence_key(x) for x in v}
    else:
        inside = actual in v
    ok = inside if spec.op == "in" else not inside
    return res("pass" if ok else "fail", f"{spec.field} is {actual}")
