"""A sovereignty framework as data: the EU Cloud Sovereignty Framework, or an adaptation.

``criteria/sovereignty/<id>.yaml`` holds one framework version: its objectives
(``SOV-1`` … ``SOV-8`` in the Commission's framework), each objective's criteria, every
criterion's answer options (each with a ``value`` in points and a ``seal`` level 0–4),
the SEAL level names and the weight sets in circulation, each with its source and date.
``criteria/sovereignty/<id>.rules.yaml`` holds the derivation rules: which answer follows
from which catalog fact, and why (:mod:`engine.mcda.sovereignty` applies them). A buyer
loads BSI's C3A (SOV-1..SOV-6), a later revision or a contracting authority's own
adaptation by writing such a file: nothing in the engine names a criterion.

Both files are validated strictly (:mod:`engine.catalog.yamlio`, frozen pydantic
models); every problem is an :class:`~engine.errors.Issue` naming file, line and field,
and all problems of a file are reported together.

Source of the bundled framework: European Commission, Cloud Sovereignty Framework
v1.2.1 (October 2025), implementation guidance and annex calculator (1 June 2026), as
transcribed publicly (the file's header says where each part comes from and what is
unsettled).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, model_validator

from engine.catalog.schema import (
    Date,
    Grade,
    Ident,
    Note,
    SchemaVersion,
    Sources,
    Text,
    Weight,
    _Model,
    is_region,
)
from engine.catalog.yamlio import LoadedYaml, load_yaml_bytes, read_regular_file
from engine.errors import InputError, Issue, suggest

if TYPE_CHECKING:
    from engine.catalog.evidence import Fact
    from engine.catalog.loading import ResolvedOffering

__all__ = [
    "ANSWER_FIELD",
    "FACTS",
    "SEAL_MAX",
    "AnswerOption",
    "DerivationRule",
    "FrameworkFile",
    "Objective",
    "RuleCondition",
    "RulesFile",
    "SovCriterion",
    "Sovereignty",
    "WeightSet",
    "answer_field",
    "load_framework",
    "load_sovereignty",
    "parse_answer_field",
    "rule_answers",
    "rules_issues",
]

SEAL_MAX = 4
"""The highest SEAL (Sovereignty Effectiveness Assurance Level): SEAL-0 … SEAL-4."""

Seal = Annotated[
    int, Field(ge=0, le=SEAL_MAX, strict=True, description="A SEAL level: a whole number from 0 to 4.")
]
Points = Annotated[
    float,
    Field(ge=0, le=1e6, allow_inf_nan=False, description="Points of an answer option: 0 to 10^6."),
]
_OBJECTIVE_ID = re.compile(r"SOV-[1-9][0-9]?")
_CRITERION_ID = re.compile(r"(SOV-[1-9][0-9]?)\.[1-9][0-9]?")
ObjectiveId = Annotated[str, Field(pattern=r"^SOV-[1-9][0-9]?$")]
CriterionId = Annotated[str, Field(pattern=r"^SOV-[1-9][0-9]?\.[1-9][0-9]?$")]


class SealLevel(_Model):
    """One SEAL level and its name (``2``: *Data sovereignty*)."""

    level: Seal
    name: Text


class AnswerOption(_Model):
    """One answer option of a criterion: its points, its SEAL and its label.

    ``label_missing: true`` records an option the source gives without a label (the
    calculator leaves two of SOV-1.6 blank): its value and SEAL are kept, no label is
    invented."""

    value: Points
    seal: Seal
    label: Text | None = None
    label_missing: bool = False

    @model_validator(mode="after")
    def _one_label(self) -> AnswerOption:
        if (self.label is None) == (not self.label_missing):
            raise ValueError("give a label, or label_missing: true when the source gives none (not both)")
        return self


class SovCriterion(_Model):
    """One criterion (a question of the calculator) and its answer options, worst first."""

    id: CriterionId
    question: Text
    options: Annotated[tuple[AnswerOption, ...], Field(min_length=2, max_length=20)]
    note: Note | None = None

    @cached_property
    def lowest_seal(self) -> int:
        """The lowest SEAL any answer gives: a criterion whose every option is SEAL-4 can
        never lower the overall SEAL (guidance p.9)."""
        return min(o.seal for o in self.options)

    @cached_property
    def max_value(self) -> float:
        """Points of the best option (computed once: the options are frozen)."""
        return max(o.value for o in self.options)


class Objective(_Model):
    """One sovereignty objective (``SOV-1`` …) and its criteria."""

    id: ObjectiveId
    name: Text
    criteria: Annotated[tuple[SovCriterion, ...], Field(min_length=1, max_length=100)]


class WeightSet(_Model):
    """Objective weights (per cent or any scale) with where they come from."""

    id: Ident
    label: Text
    as_of: Date
    evidence: Grade | None = None
    sources: Annotated[Sources, Field(min_length=1)]
    weights: dict[ObjectiveId, Weight]


class FrameworkFile(_Model):
    """A sovereignty framework version (``criteria/sovereignty/<id>.yaml``)."""

    schema_version: SchemaVersion
    id: Ident
    name: Text
    version: Text
    publisher: Text
    as_of: Date
    evidence: Grade | None = None
    sources: Annotated[Sources, Field(min_length=1)]
    notes: Note | None = None
    nominal_points: Annotated[
        float,
        Field(gt=0, le=1e6, allow_inf_nan=False, description="Nominal points of an objective: above 0."),
    ]
    seal_levels: tuple[SealLevel, ...]
    weight_sets: Annotated[tuple[WeightSet, ...], Field(min_length=1)]
    default_weight_set: Ident
    objectives: Annotated[tuple[Objective, ...], Field(min_length=1, max_length=99)]

    def criterion(self, criterion_id: str) -> SovCriterion:
        """The criterion of that id (``KeyError`` when the framework has none)."""
        for o in self.objectives:
            for c in o.criteria:
                if c.id == criterion_id:
                    return c
        raise KeyError(criterion_id)

    def criteria(self) -> tuple[SovCriterion, ...]:
        """Every criterion, in the framework's order."""
        return tuple(c for o in self.objectives for c in o.criteria)

    def weight_set(self, set_id: str | None = None) -> WeightSet:
        """The weight set of that id (default: ``default_weight_set``); ``KeyError`` when absent."""
        want = set_id or self.default_weight_set
        for ws in self.weight_sets:
            if ws.id == want:
                return ws
        raise KeyError(want)

    def seal_name(self, level: int) -> str:
        """The name of a SEAL level (``"SEAL-2 (Data sovereignty)"``)."""
        name = next((s.name for s in self.seal_levels if s.level == level), None)
        return f"SEAL-{level}" + (f" ({name})" if name else "")


FACTS: dict[str, tuple[str, ...]] = {
    "operator_hq": ("in", "not_in"),
    "developer_hq": ("in", "not_in"),
    "processing_regions": ("none_in",),
    "open_weights": ("equals",),
    "licence": ("in", "not_in"),
    "deployment": ("in", "not_in"),
}
"""The catalog facts a derivation rule may read, and the operators each one takes."""

_DEPLOYMENTS = ("api", "cloud", "private-cloud", "self-hosted")


class RuleCondition(_Model):
    """One condition of a derivation rule: ``fact`` ``op`` ``value``."""

    fact: Literal[
        "operator_hq", "developer_hq", "processing_regions", "open_weights", "licence", "deployment"
    ]
    op: Literal["in", "not_in", "equals", "none_in"]
    value: Any


class DerivationRule(_Model):
    """A rule: when every condition holds, ``criterion`` gets option number ``answer``
    (1 = the first, worst option), for the reason ``why``."""

    id: Ident
    criterion: CriterionId
    when: Annotated[tuple[RuleCondition, ...], Field(min_length=1, max_length=20)]
    answer: Annotated[int, Field(ge=1, le=20, strict=True, description="An option number from 1.")]
    why: Note


class RulesFile(_Model):
    """The derivation rules of one framework (``criteria/sovereignty/<id>.rules.yaml``)."""

    schema_version: SchemaVersion
    framework: Ident
    description: Note | None = None
    rules: tuple[DerivationRule, ...] = ()


@dataclass(frozen=True)
class Sovereignty:
    """A framework with its derivation rules, as loaded.

    Attributes
    ----------
    framework : FrameworkFile
    rules : RulesFile or None
        ``None`` when the framework has no rules file (every criterion stays a gap until
        answered).
    files : tuple of str
        The files read.
    """

    framework: FrameworkFile
    rules: RulesFile | None
    files: tuple[str, ...]


def _issue(code: str, msg: str, file: str, loaded: LoadedYaml, loc: tuple[str | int, ...]) -> Issue:
    field = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc).replace(".[", "[")
    return Issue(code, msg, file, loaded.line_of(loc), None, field)


def _framework_issues(fw: FrameworkFile, loaded: LoadedYaml) -> list[Issue]:
    """Checks across fields: ids unique and under their objective, SEAL levels 0–4 once
    each, weight sets naming every objective and only those, the default set present."""
    file = loaded.file
    out: list[Issue] = []
    seen_obj: set[str] = set()
    seen_crit: set[str] = set()
    for i, o in enumerate(fw.objectives):
        if o.id in seen_obj:
            out.append(
                _issue(
                    "sovereignty.duplicate_id",
                    f"objective {o.id} is defined twice",
                    file,
                    loaded,
                    ("objectives", i, "id"),
                )
            )
        seen_obj.add(o.id)
        for j, c in enumerate(o.criteria):
            loc: tuple[str | int, ...] = ("objectives", i, "criteria", j, "id")
            m = _CRITERION_ID.fullmatch(c.id)
            if m is not None and m.group(1) != o.id:
                msg = f"criterion {c.id} is listed under objective {o.id}: its id must start with {o.id}."
                out.append(_issue("sovereignty.misplaced_criterion", msg, file, loaded, loc))
            if c.id in seen_crit:
                out.append(
                    _issue(
                        "sovereignty.duplicate_id", f"criterion {c.id} is defined twice", file, loaded, loc
                    )
                )
            seen_crit.add(c.id)
    levels = [s.level for s in fw.seal_levels]
    if sorted(levels) != list(range(SEAL_MAX + 1)):
        msg = f"seal_levels must name each level 0 to {SEAL_MAX} once (found {', '.join(map(str, levels)) or 'none'})"
        out.append(_issue("sovereignty.invalid_seal_levels", msg, file, loaded, ("seal_levels",)))
    ws_ids: set[str] = set()
    for k, ws in enumerate(fw.weight_sets):
        if ws.id in ws_ids:
            out.append(
                _issue(
                    "sovereignty.duplicate_id",
                    f"weight set {ws.id!r} is defined twice",
                    file,
                    loaded,
                    ("weight_sets", k, "id"),
                )
            )
        ws_ids.add(ws.id)
        missing = [o for o in seen_obj if o not in ws.weights]
        extra = [o for o in ws.weights if o not in seen_obj]
        if missing or extra:
            parts = ([f"missing {', '.join(sorted(missing))}"] if missing else []) + (
                [f"not objectives of this framework: {', '.join(sorted(extra))}"] if extra else []
            )
            msg = f"weight set {ws.id!r} must weigh every objective and only those ({'; '.join(parts)})"
            out.append(
                _issue("sovereignty.invalid_weights", msg, file, loaded, ("weight_sets", k, "weights"))
            )
        elif sum(ws.weights.values()) <= 0:
            msg = f"weight set {ws.id!r}: the weights sum to 0 (at least one must be positive)"
            out.append(
                _issue("sovereignty.invalid_weights", msg, file, loaded, ("weight_sets", k, "weights"))
            )
    if fw.default_weight_set not in ws_ids:
        msg = (
            f"default_weight_set {fw.default_weight_set!r} is not a weight set of this file"
            f"{suggest(fw.default_weight_set, sorted(ws_ids))} (sets: {', '.join(sorted(ws_ids))})"
        )
        out.append(_issue("sovereignty.unknown_weight_set", msg, file, loaded, ("default_weight_set",)))
    return out


def _value_problem(cond: RuleCondition) -> str | None:
    """What is wrong with a condition's operator or value, or ``None``."""
    ops = FACTS[cond.fact]
    if cond.op not in ops:
        return f"operator {cond.op!r} does not apply to {cond.fact!r} (use {', '.join(ops)})"
    v = cond.value
    if cond.op == "equals":
        return None if isinstance(v, bool) else f"expected true or false, found {v!r}"
    if not isinstance(v, (list, tuple)) or not v or not all(isinstance(x, str) for x in v):
        return f"expected a non-empty list of {'region tokens' if cond.fact != 'licence' else 'licence ids'}, found {v!r}"
    if cond.fact in ("operator_hq", "developer_hq", "processing_regions"):
        bad = [x for x in v if not is_region(x)]
        if bad:
            return f"{bad[0]!r} is not a region token (a country code, EU, EEA, GLOBAL or BUYER)"
    if cond.fact == "deployment":
        bad = [x for x in v if x not in _DEPLOYMENTS]
        if bad:
            return f"unknown deployment {bad[0]!r} (known: {', '.join(_DEPLOYMENTS)})"
    return None


def rules_issues(rules: RulesFile, fw: FrameworkFile, loaded: LoadedYaml) -> list[Issue]:
    """Checks of a rules file against its framework: the framework id, each rule's
    criterion and option number, each condition's operator and value, ids unique."""
    file = loaded.file
    out: list[Issue] = []
    if rules.framework != fw.id:
        msg = f"these rules are for framework {rules.framework!r}, but they sit beside {fw.id!r}"
        out.append(_issue("sovereignty.framework_mismatch", msg, file, loaded, ("framework",)))
    ids = [c.id for c in fw.criteria()]
    seen: set[str] = set()
    for i, r in enumerate(rules.rules):
        if r.id in seen:
            out.append(
                _issue(
                    "sovereignty.duplicate_id",
                    f"rule {r.id!r} is defined twice",
                    file,
                    loaded,
                    ("rules", i, "id"),
                )
            )
        seen.add(r.id)
        if r.criterion not in ids:
            msg = f"rule {r.id!r}: the framework has no criterion {r.criterion}{suggest(r.criterion, ids)}"
            out.append(_issue("sovereignty.unknown_criterion", msg, file, loaded, ("rules", i, "criterion")))
        else:
            n = len(fw.criterion(r.criterion).options)
            if r.answer > n:
                msg = f"rule {r.id!r}: {r.criterion} has {n} options, so answer must be 1 to {n} (found {r.answer})"
                out.append(_issue("sovereignty.unknown_option", msg, file, loaded, ("rules", i, "answer")))
        for j, cond in enumerate(r.when):
            problem = _value_problem(cond)
            if problem:
                where = "op" if "operator" in problem else "value"
                out.append(
                    _issue(
                        "sovereignty.invalid_condition",
                        f"rule {r.id!r}: {problem}",
                        file,
                        loaded,
                        ("rules", i, "when", j, where),
                    )
                )
    return out


def _loaded(path: Path) -> LoadedYaml:
    raw = read_regular_file(path, name=str(path))
    return load_yaml_bytes(raw, str(path))


def load_framework(path: str | Path) -> Sovereignty:
    """Load one framework file and, when it exists beside it, its ``.rules.yaml``.

    Parameters
    ----------
    path : path
        ``<dir>/<id>.yaml``.

    Returns
    -------
    Sovereignty

    Raises
    ------
    InputError
        Every problem of both files (schema, cross-field and cross-file checks), each
        with file, line and field.
    """
    from engine.catalog.loading import _validate  # the catalog's one validation path

    p = Path(path)
    loaded = _loaded(p)
    fw = _validate(FrameworkFile, loaded)
    issues = _framework_issues(fw, loaded)
    rules: RulesFile | None = None
    files = [str(p)]
    rpath = p.with_name(p.name[: -len(".yaml")] + ".rules.yaml") if p.name.endswith(".yaml") else None
    if rpath is not None and rpath.is_file():
        files.append(str(rpath))
        try:
            rloaded = _loaded(rpath)
            rules = _validate(RulesFile, rloaded)
            issues += rules_issues(rules, fw, rloaded)
        except InputError as exc:
            issues += exc.issues
    if issues:
        raise InputError(issues)
    return Sovereignty(fw, rules, tuple(files))


def load_sovereignty(criteria_dir: str | Path) -> dict[str, Sovereignty]:
    """Every framework under ``<criteria_dir>/sovereignty/`` by id (empty when the
    directory does not exist). A file that leads outside the catalog is not read.

    Raises
    ------
    InputError
        The problems of every framework and rules file together.
    """
    from engine.catalog.loading import listed_files

    d = Path(criteria_dir, "sovereignty")
    if not d.is_dir():
        return {}
    paths, issues = listed_files(d, Path(os.path.abspath(criteria_dir)).parent)
    out: dict[str, Sovereignty] = {}
    for p in paths:
        if not p.name.endswith(".yaml") or p.name.endswith(".rules.yaml"):
            continue
        try:
            s = load_framework(p)
        except InputError as exc:
            issues += exc.issues
            continue
        if s.framework.id in out:
            msg = f"framework {s.framework.id!r} is defined twice (also in {out[s.framework.id].files[0]})"
            issues.append(Issue("sovereignty.duplicate_id", msg, str(p), None, None, "id"))
            continue
        out[s.framework.id] = s
    if issues:
        raise InputError(issues)
    return out


# --------------------------------------------------------------------------- rules applied

ANSWER_FIELD = re.compile(
    r"sovereignty\.(?P<framework>[a-z0-9][a-z0-9._-]*)\.(?P<criterion>SOV-[1-9][0-9]?\.[1-9][0-9]?)"
)
"""The questionnaire field of a framework criterion: ``sovereignty.<framework id>.<criterion
id>`` (``sovereignty.eucsf-1.2.1.SOV-3.1``); the criterion id's fixed shape ends it, so
a framework id with dots reads unambiguously."""


def answer_field(framework_id: str, criterion_id: str) -> str:
    """The questionnaire field of one criterion of one framework (:data:`ANSWER_FIELD`)."""
    return f"sovereignty.{framework_id}.{criterion_id}"


def parse_answer_field(field: str) -> tuple[str, str] | None:
    """``(framework id, criterion id)`` of a questionnaire field, or ``None`` when it is
    not a framework criterion's (:data:`ANSWER_FIELD`)."""
    m = ANSWER_FIELD.fullmatch(field)
    return (m.group("framework"), m.group("criterion")) if m else None


def _fact_value(fact: str, ro: ResolvedOffering) -> object:
    off = ro.offering
    if fact == "operator_hq":
        return off.operator.headquarters
    if fact == "developer_hq":
        return ro.vendor.headquarters
    if fact == "processing_regions":
        return off.processing_regions
    if fact == "open_weights":
        return off.openness.open_weights if off.openness else None
    if fact == "licence":
        return off.openness.licence if off.openness else None
    return off.deployment  # deployment


def _evidence_of(fact: str, every: tuple[Fact, ...]) -> tuple[Fact, ...]:
    if fact in ("operator_hq", "deployment"):
        return tuple(f for f in every if f.field == "offering")
    if fact == "developer_hq":
        return tuple(f for f in every if f.field == "vendor")
    kind = "residency" if fact == "processing_regions" else "openness"
    return tuple(f for f in every if f.kind == kind)


def _holds(cond: RuleCondition, ro: ResolvedOffering) -> bool | None:
    """Whether one condition holds (``None``: the fact is not known). A region token is
    among the listed ones when it is one of them or a member of a listed group (EU, EEA);
    BUYER and GLOBAL only match when listed themselves."""
    from engine.catalog.regions import expand
    from engine.catalog.text import licence_key

    actual = _fact_value(cond.fact, ro)
    if actual is None:
        return None
    v = cond.value
    if cond.op == "equals":
        return bool(actual == v)
    if cond.op == "none_in":
        assert isinstance(actual, tuple)
        listed = expand(v)
        return not any(r in listed for r in actual)
    assert isinstance(actual, str)
    if cond.fact == "licence":
        inside = licence_key(actual) in {licence_key(x) for x in v}
    elif cond.fact == "deployment":
        inside = actual in v
    else:
        inside = actual in expand(v)
    return inside if cond.op == "in" else not inside


def rule_answers(
    model: Sovereignty, ro: ResolvedOffering, every: tuple[Fact, ...] | None = None
) -> dict[str, tuple[DerivationRule, tuple[Fact, ...]]]:
    """The derivation rules that answer each criterion for one offering, with the facts
    each read (:func:`engine.mcda.sovereignty.derive` builds the answers from them).

    Parameters
    ----------
    model : Sovereignty
    ro : ResolvedOffering
    every : tuple of Fact, optional
        ``engine.catalog.evidence.facts(ro)`` when the caller has them.

    Returns
    -------
    dict
        Criterion id → (the first rule, in file order, whose every condition holds; the
        facts its conditions read, each once). A criterion no rule answers is absent.
    """
    if model.rules is None:
        return {}
    if every is None:
        from engine.catalog.evidence import facts

        every = facts(ro)
    chosen: dict[str, tuple[DerivationRule, tuple[Fact, ...]]] = {}
    for rule in model.rules.rules:
        if rule.criterion in chosen or not all(_holds(c, ro) is True for c in rule.when):
            continue
        used: list[Fact] = []
        for c in rule.when:
            for f in _evidence_of(c.fact, every):
                if f not in used:
                    used.append(f)
        chosen[rule.criterion] = (rule, tuple(used))
    return chosen
