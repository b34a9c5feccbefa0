"""Policy as code: check a vendor catalog against a CI policy (``shortlist check``).

A policy (``criteria/policies/*.yaml``, schema :class:`~engine.catalog.schema.PolicyFile`)
holds rules in the must-have rule language of :mod:`engine.mcda.requirements` (field or
criterion, operator, value) each with a severity ``deny`` or ``warn``; the list of
approved offerings; a minimum score under a named priorities file; and waivers.

Semantics follow the policy tools people already run in CI (Conftest/OPA, Checkov,
Trivy): every rule is evaluated for every offering in scope (the approved ones, or all
when the policy approves none); a failing outcome is a *finding* with the rule's
severity; an ``unknown`` outcome fails unless the rule allows it. A waiver exempts one
offering from one rule until its expiry: a waiver whose expiry is missing or malformed,
lies beyond the policy's ``max_waiver_days`` from today, or has passed does **not**
waive (it fails closed) and is itself reported. An approved offering that no longer
exists in the catalog is a ``deny`` finding.

Every finding carries a stable reason ``code`` and the file and line of the offending
value (the vendor profile's field, or the policy's entry), so CI can annotate it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from engine.catalog.dates import parse_date
from engine.catalog.evidence import Age
from engine.catalog.loading import (
    Catalog,
    CriteriaCatalog,
    PrioritiesResolver,
    ResolvedOffering,
    locate,
    policy_priorities,
)
from engine.catalog.schema import PolicyFile, PolicyRule, PrioritiesFile
from engine.catalog.staleness import flagged, limits
from engine.catalog.yamlio import LoadedYaml
from engine.errors import InputError, Issue, suggest
from engine.mcda.matrix import KNOWN_CRITERIA, Context, Performance, performance
from engine.mcda.requirements import SEAL_FIELD, check_requirements, evaluate, seal_objective
from engine.mcda.scoring import Assessments, Ranking, check_priorities, rank, sovereignty_assessments
from engine.mcda.sovereignty import Assessment, assessment_for, pick

if TYPE_CHECKING:  # the price dataset is read only for a policy with price_drift
    from engine.catalog.importers.genai_prices import Dataset

__all__ = [
    "ANSWERS_RULE",
    "PRICE_DRIFT_RULE",
    "SEVERITIES",
    "Check",
    "PolicyReport",
    "WaiverState",
    "check_policy",
    "run_policy",
    "validate_policy",
]

Severity = Literal["deny", "warn"]
SEVERITIES: tuple[str, ...] = ("deny", "warn")
"""Most severe first; ``--fail-on warn`` fails on both."""

INPUT_RULE = "valid-profiles"
ANSWERS_RULE = "valid-answers"
"""The check that every answer file given (``--answers``) was used."""
MIN_SCORE_RULE = "min-score"
PRICE_DRIFT_RULE = "price-drift"
APPROVED_RULE = "approved-exists"
WAIVER_RULE = "waivers"

# where a rule's field lives in a vendor file: ("offering" | "vendor", key path)
_FIELD_PATHS: dict[str, tuple[str, tuple[str, ...]]] = {
    "processing_regions": ("offering", ("processing_regions",)),
    "developer_hq": ("vendor", ("headquarters",)),
    "operator_hq": ("offering", ("operator", "headquarters")),
    "deployment": ("offering", ("deployment",)),
    "open_weights": ("offering", ("openness", "open_weights")),
    "licence": ("offering", ("openness", "licence")),
    "gpai_code_of_practice": ("vendor", ("gpai_code_of_practice",)),
    "zero_data_retention": ("offering", ("zero_data_retention",)),
    "as_of": ("offering", ("as_of",)),
    "monthly_cost": ("offering", ("prices",)),
    "response_time": ("offering", ("latency",)),
    "capability": ("offering", ("capability",)),
    "context_window": ("offering", ("context_window_tokens",)),
    "data_residency": ("offering", ("processing_regions",)),
    "jurisdiction": ("offering", ("operator", "headquarters")),
    "openness": ("offering", ("openness",)),
    "transparency": ("vendor", ("fmti",)),
    "profile.as_of": ("offering", ("as_of",)),
    "prices.as_of": ("offering", ("prices",)),
    "residency.as_of": ("offering", ("processing_regions",)),
    "retention.as_of": ("offering", ("zero_data_retention",)),
    "openness.as_of": ("offering", ("openness",)),
    "gpai.as_of": ("vendor", ("gpai_code_of_practice",)),
    "latency.as_of": ("offering", ("latency",)),
    "capability.as_of": ("offering", ("capability",)),
    "transparency.as_of": ("vendor", ("fmti",)),
}


@dataclass(frozen=True)
class WaiverState:
    """One waiver as judged on ``today``.

    Attributes
    ----------
    rule, offering, reason, approver : str
    expires : datetime.date or None
        ``None`` when missing or malformed.
    status : {"active", "expired", "invalid", "beyond_horizon", "unknown_rule", "unknown_offering"}
        Only ``active`` waivers waive.
    days_left : int or None
        Days until expiry (negative once expired).
    line : int or None
        Its line in the policy file.
    index : int
        Its position in ``waivers``.
    """

    rule: str
    offering: str
    reason: str
    approver: str
    expires: dt.date | None
    status: Literal["active", "expired", "invalid", "beyond_horizon", "unknown_rule", "unknown_offering"]
    days_left: int | None
    line: int | None
    index: int


@dataclass(frozen=True)
class Check:
    """One evaluation: a rule for an offering (or a policy-level check).

    Attributes
    ----------
    rule_id : str
        A rule id, or ``valid-profiles``, ``valid-answers``, ``min-score``, ``price-drift``,
        ``approved-exists`` or ``waivers``.
    offering_id : str or None
    severity : {"deny", "warn"}
    status : {"pass", "fail", "waived"}
        ``fail`` is a finding.
    code : str
        Stable reason code (``rule.failed``, ``rule.unknown``, ``rule.passed``,
        ``rule.waived``, ``min_score.below``, ``min_score.excluded``,
        ``min_score.passed``, ``min_score.waived``, ``price_drift.drifted``,
        ``price_drift.within``, ``price_drift.not_compared``, ``price_drift.waived``,
        ``approved.missing``, ``input.invalid`` (a vendor profile that did not load),
        ``input.answers_not_used`` (an answer file or workbook sheet not used, rule
        ``valid-answers``),
        ``waiver.expired``, ``waiver.invalid_expiry``,
        ``waiver.beyond_horizon``, ``waiver.unknown_rule``,
        ``waiver.unknown_offering``, ``waiver.expiring``).
    message : str
    file : str or None
        Where the offending value is (a vendor profile, or the policy file).
    line : int or None
    field : str or None
        Field path inside ``file``.
    """

    rule_id: str
    offering_id: str | None
    severity: Severity
    status: Literal["pass", "fail", "waived"]
    code: str
    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None


@dataclass(frozen=True)
class PolicyReport:
    """The result of :func:`check_policy`; every output format renders this.

    Attributes
    ----------
    policy_name, policy_file : str
    today : datetime.date
    checks : tuple of Check
        Every evaluation, passing ones included, in rule order then offering id.
    waivers : tuple of WaiverState
    offerings : tuple of str
        The offerings in scope.
    priorities_name : str or None
    expiring_in : int or None
    stale : tuple of (str, Age)
        Each fact of an offering in scope that is older than its kind's limit
        (``max_age_days`` of the criteria catalog, then of the priorities file), or
        dated after ``today``, by offering id. Shown, not findings: a
        ``<kind>.as_of``/``max_age_days`` rule is what fails a check on age.
    max_age_days : mapping
        The limits ``stale`` was judged against.
    answers : tuple of (str, str)
        What the vendors' answers did to the offerings in scope
        (:mod:`engine.catalog.answers`), by offering id: each answer's flag
        (:attr:`engine.catalog.answers.AnswerUse.flag`); empty without answers.
    """

    policy_name: str
    policy_file: str
    today: dt.date
    checks: tuple[Check, ...]
    waivers: tuple[WaiverState, ...]
    offerings: tuple[str, ...]
    priorities_name: str | None = None
    expiring_in: int | None = None
    stale: tuple[tuple[str, Age], ...] = ()
    max_age_days: Mapping[str, int] = field(default_factory=dict)
    answers: tuple[tuple[str, str], ...] = ()

    @property
    def findings(self) -> tuple[Check, ...]:
        """The failing checks."""
        return tuple(c for c in self.checks if c.status == "fail")

    def failing(self, fail_on: str = "deny") -> tuple[Check, ...]:
        """Findings at or above ``fail_on`` (``deny``: deny only; ``warn``: both)."""
        levels = SEVERITIES[: SEVERITIES.index(fail_on) + 1]
        return tuple(c for c in self.findings if c.severity in levels)

    def exit_code(self, fail_on: str = "deny") -> int:
        """0 when nothing fails at ``fail_on``, else 1 (2 is for invalid input)."""
        return 1 if self.failing(fail_on) else 0


def _check_ids(policy: PolicyFile) -> list[str]:
    """The policy-level checks a waiver may name."""
    return ([MIN_SCORE_RULE] if policy.min_score else []) + ([PRICE_DRIFT_RULE] if policy.price_drift else [])


def _policy_dir_priorities(policy: PolicyFile) -> bool:
    return bool(policy.min_score) or any(r.field in KNOWN_CRITERIA for r in policy.rules)


def validate_policy(policy: PolicyFile) -> list[Issue]:
    """Problems of a policy that make it unusable (reported with exit code 2).

    Unknown rule fields and operators, bad values (all with the rule language of
    :mod:`engine.mcda.requirements`), repeated rule ids, and criterion rules or a minimum
    score without a ``priorities`` file. Waiver problems are not here: they fail closed
    and are reported as findings.

    Returns
    -------
    list of Issue
        With field paths inside the policy file (``rules[2].op``).
    """
    issues = check_requirements(policy.rules, where="rules", kind="policy")
    seen: set[str] = set()
    for i, r in enumerate(policy.rules):
        if r.id in (MIN_SCORE_RULE, PRICE_DRIFT_RULE, APPROVED_RULE, WAIVER_RULE, INPUT_RULE, ANSWERS_RULE):
            issues.append(
                Issue("policy.reserved_rule_id", f"rule id {r.id!r} is reserved", field=f"rules[{i}].id")
            )
        if r.id in seen:
            issues.append(
                Issue("policy.duplicate_rule", f"rule id {r.id!r} is used twice", field=f"rules[{i}].id")
            )
        seen.add(r.id)
    seen_ok: set[str] = set()
    for i, oid in enumerate(policy.approved):
        if oid in seen_ok:
            issues.append(
                Issue(
                    "policy.duplicate_approved", f"offering {oid!r} is approved twice", field=f"approved[{i}]"
                )
            )
        seen_ok.add(oid)
    if _policy_dir_priorities(policy) and not policy.priorities:
        issues.append(
            Issue(
                "policy.needs_priorities",
                "criterion rules and min_score are evaluated under a priorities file (workload, regions, "
                "weights): name one with 'priorities: <file or preset>'",
                field="priorities",
            )
        )
    return issues


def _parse_date(value: object) -> dt.date | None:
    # the one date grammar (engine.catalog.dates); a malformed date is None (the waiver fails closed)
    try:
        return parse_date(value)
    except ValueError:
        return None


def _judge_waivers(
    policy: PolicyFile, doc: LoadedYaml | None, today: dt.date, known_offerings: set[str]
) -> list[WaiverState]:
    rule_ids = {r.id for r in policy.rules} | set(_check_ids(policy))
    out = []
    for i, w in enumerate(policy.waivers):
        line = doc.line_of(("waivers", i)) if doc else None
        expires = _parse_date(w.expires)
        days = (expires - today).days if expires else None
        status: Literal["active", "expired", "invalid", "beyond_horizon", "unknown_rule", "unknown_offering"]
        if w.rule not in rule_ids:
            status = "unknown_rule"
        elif w.offering not in known_offerings:
            status = "unknown_offering"
        elif expires is None:
            status = "invalid"
        elif days is not None and days < 0:
            status = "expired"
        elif days is not None and days > policy.max_waiver_days:
            status = "beyond_horizon"
        else:
            status = "active"
        out.append(WaiverState(w.rule, w.offering, w.reason, w.approver, expires, status, days, line, i))
    return out


# waiver problem → (reason code, severity, the waiver's key the finding points at)
_WAIVER_FINDINGS: dict[str, tuple[str, Severity, str]] = {
    "unknown_rule": ("waiver.unknown_rule", "warn", "rule"),
    "unknown_offering": ("waiver.unknown_offering", "warn", "offering"),
    "invalid": ("waiver.invalid_expiry", "deny", "expires"),
    "beyond_horizon": ("waiver.beyond_horizon", "deny", "expires"),
    "expired": ("waiver.expired", "warn", "expires"),
    "expiring": ("waiver.expiring", "warn", "expires"),
}


def _waiver_message(
    policy: PolicyFile, s: WaiverState, kind: str, rule_ids: Sequence[str], scope: Sequence[str]
) -> str:
    who = f"waiver of {s.rule!r} for {s.offering!r} (approved by {s.approver})"
    if kind == "unknown_rule":
        return f"{who} names no rule of this policy, so it waives nothing{suggest(s.rule, rule_ids)}"
    if kind == "unknown_offering":
        return f"{who} names an offering that this policy does not check, so it waives nothing{suggest(s.offering, scope)}"
    if kind == "invalid":
        raw = policy.waivers[s.index].expires
        found = "no expiry" if raw is None else f"an expiry of {raw if isinstance(raw, str) else repr(raw)!r}"
        return f"{who} has {found}; expected a date YYYY-MM-DD: it does not waive (fails closed)"
    assert s.expires is not None
    if kind == "beyond_horizon":
        return (
            f"{who} expires {s.expires.isoformat()}, {s.days_left} days ahead, beyond the policy's maximum "
            f"of {policy.max_waiver_days} days: it does not waive (fails closed)"
        )
    if kind == "expired":
        return f"{who} expired on {s.expires.isoformat()}: it no longer waives"
    return f"{who} expires on {s.expires.isoformat()}, in {s.days_left} day(s)"


def _waiver_checks(
    policy: PolicyFile,
    states: Sequence[WaiverState],
    doc: LoadedYaml | None,
    expiring_in: int | None,
    scope: Sequence[str] = (),
) -> list[Check]:
    file = doc.file if doc else None
    rule_ids = [r.id for r in policy.rules] + _check_ids(policy)
    checks = []
    for s in states:
        kind: str = s.status
        if kind == "active":
            lapses_soon = expiring_in is not None and s.days_left is not None and s.days_left <= expiring_in
            if not lapses_soon:
                continue
            kind = "expiring"
        code, severity, key = _WAIVER_FINDINGS[kind]
        line = doc.line_of(("waivers", s.index, key)) if doc else s.line
        msg = _waiver_message(policy, s, kind, rule_ids, scope)
        checks.append(
            Check(
                WAIVER_RULE, s.offering, severity, "fail", code, msg, file, line, f"waivers[{s.index}].{key}"
            )
        )
    return checks


def _location(rule: PolicyRule, ro: ResolvedOffering) -> tuple[int | None, str]:
    """Line and field path, in the vendor file, of the value a rule looks at."""
    if rule.field in ("certifications", "compliance", "certifications.as_of"):
        if ro.offering.certifications is not None:
            return ro.line_of("certifications"), f"offerings[{ro.index}].certifications"
        return ro.source.line_of(("certifications",)), "certifications"
    where, path = _FIELD_PATHS.get(rule.field, ("offering", ()))
    if where == "vendor":
        return ro.source.line_of(path), ".".join(path)
    dotted = ".".join((f"offerings[{ro.index}]", *path))
    return ro.line_of(*path), dotted


def check_policy(
    policy: PolicyFile,
    catalog: Catalog,
    criteria: CriteriaCatalog,
    *,
    doc: LoadedYaml | None = None,
    priorities: PrioritiesFile | None = None,
    today: dt.date | None = None,
    expiring_in: int | None = None,
    price_data: Dataset | None = None,
) -> PolicyReport:
    """Evaluate a policy against a catalog.

    Parameters
    ----------
    policy : PolicyFile
    catalog : Catalog
    criteria : CriteriaCatalog
    doc : LoadedYaml, optional
        The policy's loaded document, to point findings at its lines.
    priorities : PrioritiesFile, optional
        Required when the policy has criterion rules or ``min_score``.
    today : datetime.date, optional
        Reference date of waiver expiries and ``max_age_days`` (default: system date);
        also the price date unless the priorities file pins ``on_date`` (as in
        ``shortlist rank``).
    expiring_in : int, optional
        Report active waivers that lapse within this many days (``warn`` findings).
    price_data : Dataset, optional
        The price dataset a ``price_drift`` section compares with (default: the one
        the installed ``genai-prices`` package ships).

    Returns
    -------
    PolicyReport

    Raises
    ------
    InputError
        The problems of :func:`validate_policy` (field paths in the policy file; the
        caller locates them), priorities that cannot be scored, or a ``price_drift``
        section without the ``genai-prices`` package (``policy.price_drift_unavailable``).
    """
    issues = validate_policy(policy)
    if _policy_dir_priorities(policy) and priorities is None and not issues:
        issues.append(
            Issue("policy.needs_priorities", "this policy needs its priorities file", field="priorities")
        )
    if issues:
        raise InputError(issues)
    day = today or dt.date.today()
    lims = limits(criteria.max_age_days, priorities)
    file = doc.file if doc else None
    by_id = {ro.id: ro for ro in catalog.offerings}
    checks: list[Check] = []

    scope: list[ResolvedOffering] = []
    answer_problems = set(catalog.answer_problems)
    for issue in catalog.issues:  # a profile that did not load: a deny finding at its line
        if issue in answer_problems:  # an answer file (or sheet) not used: its answers left out
            whose = "answer workbook sheet" if "#" in (issue.file or "") else "answer file"
            msg = f"{whose} not used, its answers were left out: {issue.code}: {issue.message}"
            check_id, code = ANSWERS_RULE, "input.answers_not_used"
        else:
            msg = f"vendor profile problem, its offerings were left out: {issue.code}: {issue.message}"
            check_id, code = INPUT_RULE, "input.invalid"
        checks.append(Check(check_id, None, "deny", "fail", code, msg, issue.file, issue.line, issue.field))
    profile_problems = [i for i in catalog.issues if i not in answer_problems]
    broken = " or its profile did not load (see the profile problems)" if profile_problems else ""
    for i, oid in enumerate(policy.approved):
        if oid in by_id:
            scope.append(by_id[oid])
        else:
            msg = f"approved offering {oid!r} is not in the catalog{broken}{suggest(oid, sorted(by_id))}"
            line = doc.line_of(("approved", i)) if doc else None
            checks.append(
                Check(
                    APPROVED_RULE, oid, "deny", "fail", "approved.missing", msg, file, line, f"approved[{i}]"
                )
            )
    if not policy.approved:
        scope = sorted(catalog.offerings, key=lambda r: r.id)
    scope = sorted({ro.id: ro for ro in scope}.values(), key=lambda r: r.id)

    states = _judge_waivers(policy, doc, day, {ro.id for ro in scope})
    active = {(s.rule, s.offering): s for s in states if s.status == "active"}

    perf: dict[str, dict[str, Performance]] = {}
    # prices as `shortlist rank` sees them: on the priorities' on_date when pinned, else today
    price_day = (priorities.on_date if priorities is not None else None) or day
    sov_weights = priorities.sovereignty_weights if priorities is not None else None
    sov, _ = pick(
        criteria.sovereignty,
        priorities.sovereignty_framework if priorities is not None else None,
        sov_weights,
    )
    seal_rules = any(r.field in (SEAL_FIELD, "sovereignty") or seal_objective(r.field) for r in policy.rules)
    # Each offering's sovereignty assessment once, shared by the decision matrix, the SEAL
    # rules and (for min_score) the ranking: each of them assessed every offering again.
    every: Assessments | None = None
    sov_by_id: Mapping[str, Assessment] = {}
    if sov is not None and priorities is not None and policy.min_score is not None:
        every = sovereignty_assessments(catalog, criteria, priorities)  # the whole catalog: rank ranks it all
        sov_by_id = every
    elif sov is not None and (priorities is not None or seal_rules):
        sov_by_id = {ro.id: assessment_for(sov, ro, sov_weights) for ro in scope}
    if priorities is not None:
        cap_metric = next((c.metric for c in criteria.criteria if c.id == "capability"), None)
        ctx = Context(priorities, criteria.fx, price_day, cap_metric, sov, sov_by_id)
        perf = {ro.id: {c: performance(c, ro, ctx) for c in KNOWN_CRITERIA} for ro in scope}
    assessed = (
        {oid: (sov.framework, a) for oid, a in sov_by_id.items()} if sov is not None and seal_rules else {}
    )

    held = priorities.buyer_certifications if priorities is not None else None  # for self-hosted offerings
    for rule in policy.rules:
        for ro in scope:
            wanted = priorities.wanted_certifications if priorities is not None else ()
            res = evaluate(rule, ro, perf.get(ro.id, {}), day, held, wanted, assessed.get(ro.id))
            line, fld = _location(rule, ro)
            failed = res.blocks(rule.allow_unknown)
            if not failed:
                checks.append(
                    Check(
                        rule.id, ro.id, rule.severity, "pass", "rule.passed", res.reason, ro.file, line, fld
                    )
                )
            else:
                code = "rule.unknown" if res.outcome == "unknown" else "rule.failed"
                waiver = active.get((rule.id, ro.id))
                checks.append(
                    _finding(rule.id, ro, rule.severity, code, "rule.waived", res.reason, line, fld, waiver)
                )

    ranking: Ranking | None = None
    if policy.min_score is not None and priorities is not None:
        ranking = rank(catalog, criteria, priorities, on_date=price_day, assessments=every)
        ms = policy.min_score
        for ro in scope:
            row = ranking.row(ro.id)
            waiver = active.get((MIN_SCORE_RULE, ro.id))
            line = ro.line_of("id")
            fld = f"offerings[{ro.index}]"
            if row.status == "excluded":
                ok, code = False, "min_score.excluded"
                msg = f"excluded under {priorities.name}: {'; '.join(row.reasons)}"
            else:
                assert row.score is not None
                ok = row.score >= ms.score
                code = "min_score.passed" if ok else "min_score.below"
                verb = "at least" if ok else "below"
                msg = f"scores {row.score:.2f} under {priorities.name}, {verb} the minimum {ms.score:g}"
            if ok:
                checks.append(
                    Check(MIN_SCORE_RULE, ro.id, ms.severity, "pass", code, msg, ro.file, line, fld)
                )
            else:
                checks.append(
                    _finding(
                        MIN_SCORE_RULE, ro, ms.severity, code, "min_score.waived", msg, line, fld, waiver
                    )
                )

    if policy.price_drift is not None:
        checks.extend(_price_drift_checks(policy, scope, price_day, active, price_data))

    checks.extend(_waiver_checks(policy, states, doc, expiring_in, [ro.id for ro in scope]))
    return PolicyReport(
        policy_name=policy.name,
        policy_file=file or "",
        today=day,
        checks=tuple(checks),
        waivers=tuple(states),
        offerings=tuple(ro.id for ro in scope),
        priorities_name=priorities.name if priorities is not None else None,
        expiring_in=expiring_in,
        stale=tuple((ro.id, a) for ro in scope for a in flagged(ro, day, lims)),
        max_age_days=lims,
        answers=tuple((ro.id, u.flag) for ro in scope for u in ro.answers.values() if u.flag),
    )


def _finding(
    rule_id: str,
    ro: ResolvedOffering,
    severity: Severity,
    code: str,
    waived_code: str,
    msg: str,
    line: int | None,
    fld: str,
    waiver: WaiverState | None,
) -> Check:
    """A failed check of ``ro``, or with an active ``waiver`` a waived one (its message then
    names the waiver's expiry, approver and reason)."""
    if waiver is None:
        return Check(rule_id, ro.id, severity, "fail", code, msg, ro.file, line, fld)
    assert waiver.expires is not None
    msg += f" — waived until {waiver.expires.isoformat()} by {waiver.approver}: {waiver.reason}"
    return Check(rule_id, ro.id, severity, "waived", waived_code, msg, ro.file, line, fld)


def _price_drift_checks(
    policy: PolicyFile,
    scope: Sequence[ResolvedOffering],
    on: dt.date,
    active: dict[tuple[str, str], WaiverState],
    price_data: Dataset | None,
) -> list[Check]:
    """The ``price-drift`` checks: each offering's list price against the dataset."""
    from engine.catalog.importers.genai_prices import DATASET, MissingPackage, load_dataset
    from engine.policy.price_drift import compare_prices

    spec = policy.price_drift
    assert spec is not None
    if price_data is None:
        try:
            price_data = load_dataset()
        except MissingPackage:
            msg = (
                f"price_drift compares list prices with the {DATASET} package, which is not installed: "
                "pip install 'shortlist[import]'"
            )
            raise InputError([Issue("policy.price_drift_unavailable", msg, field="price_drift")]) from None
    report = compare_prices(scope, price_data, on, spec.tolerance_pct)
    by_id = {ro.id: ro for ro in scope}
    checks = []
    for pc in report.checks:
        ro = by_id[pc.offering_id]
        fld = pc.field or f"offerings[{ro.index}]"
        line = pc.line if pc.line is not None else ro.line_of("id")
        if pc.status != "drifted":
            code = "price_drift.within" if pc.status == "matched" else "price_drift.not_compared"
            msg = pc.reason if pc.status == "matched" else f"not compared: {pc.reason}"
            checks.append(
                Check(PRICE_DRIFT_RULE, ro.id, spec.severity, "pass", code, msg, ro.file, line, fld)
            )
            continue
        msg = f"list price drift: {pc.reason}"
        waiver = active.get((PRICE_DRIFT_RULE, ro.id))
        checks.append(
            _finding(
                PRICE_DRIFT_RULE,
                ro,
                spec.severity,
                "price_drift.drifted",
                "price_drift.waived",
                msg,
                line,
                fld,
                waiver,
            )
        )
    return checks


def run_policy(
    policy: PolicyFile,
    doc: LoadedYaml,
    catalog: Catalog,
    criteria: CriteriaCatalog,
    resolver: PrioritiesResolver,
    *,
    today: dt.date | None = None,
    expiring_in: int | None = None,
    price_data: Dataset | None = None,
) -> PolicyReport:
    """Load the priorities a policy names and check the policy against a catalog:
    what ``shortlist check`` and the app's Policy page both run.

    Parameters
    ----------
    policy, doc
        The policy and its loaded document (from ``load_policy_doc`` or
        ``load_policy_bytes_doc``).
    catalog, criteria
    resolver : PrioritiesResolver
        What the policy's ``priorities`` may name, given by the adapter: the command
        line's :class:`~engine.catalog.loading.LocalResolver` (a relative path inside the
        catalog, or a preset), the app's :class:`~engine.catalog.loading.SessionResolver` for an
        uploaded policy (a preset name or a file uploaded in the same session, never a
        server path).
    today, expiring_in, price_data
        See :func:`check_policy`.

    Returns
    -------
    PolicyReport

    Raises
    ------
    InputError
        The policy's priorities cannot be found, loaded or scored (located in their
        file), or the policy itself is invalid (located in the policy file).
    """
    priorities = None
    if policy.priorities:
        priorities, pdoc = policy_priorities(policy.priorities, resolver, doc)
        found = check_priorities(priorities, criteria, catalog)
        if found:
            raise InputError(locate(found, pdoc))
    try:
        return check_policy(
            policy,
            catalog,
            criteria,
            doc=doc,
            priorities=priorities,
            today=today,
            expiring_in=expiring_in,
            price_data=price_data,
        )
    except InputError as exc:
        raise InputError(locate(exc.issues, doc)) from None
