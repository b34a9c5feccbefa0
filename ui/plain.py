"""Plain words for the app's main view: values with their unit and currency, levels and
shares named as a buyer would, caveats instead of raw flags, and why an offering leads.

Pure functions over ``engine`` results (no Streamlit), so they are tested directly
(tests/test_ui_plain.py). The precise terms stay in tooltips, expanders and the exports:
these words are for reading, the CSV/JSON keep the engine's values.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

import engine
from engine.catalog.schema import CriterionSpec
from engine.mcda.scoring import Coverage

UNKNOWN_WORST = "unknown (counted as worst)"
"""An unknown value on a weighted criterion: the ``worst`` missing policy gave it utility 0."""
UNKNOWN = "unknown"
"""An unknown value that does not count (weight 0, or an excluded offering)."""

CERT_NAMES: dict[str, str] = {
    "soc2_type2": "SOC 2 Type II",
    "iso27001": "ISO/IEC 27001",
    "iso27017": "ISO/IEC 27017",
    "iso27018": "ISO/IEC 27018",
    "iso27701": "ISO/IEC 27701",
    "iso42001": "ISO/IEC 42001",
    "hipaa_baa": "HIPAA BAA",
    "c5": "BSI C5",
    "secnumcloud": "SecNumCloud",
    "hds": "HDS (French health data hosting)",
    "fedramp": "FedRAMP",
    "csa_star": "CSA STAR",
}
"""Certification id → the name buyers know it by (ids not listed here are shown as given)."""

OPENNESS = {
    "closed": "closed weights",
    "open_restrictive": "open weights, restrictive or unknown licence",
    "open_osi": "open weights, OSI licence",
}
"""The openness levels of the criteria catalog in words."""

FACT_KINDS = {
    "profile": "profile",
    "prices": "prices",
    "residency": "processing regions",
    "retention": "data retention terms",
    "openness": "licence",
    "certifications": "certifications",
    "gpai": "EU AI code of practice status",
    "latency": "latency measurement",
    "capability": "capability score",
    "transparency": "transparency score",
}
"""Kinds of dated facts (criteria.yaml ``max_age_days``) in words."""


ECHO_CHARS = 60
"""At most this many characters of a refused value are echoed back in a message."""


def echoed(value: object, limit: int = ECHO_CHARS) -> str:
    """A refused value as a message quotes it: ``repr`` of at most ``limit`` characters,
    then ``… (N characters)``, so a link or file holding a huge value never makes a huge
    message (escape the result for the format it reaches)."""
    text = str(value)
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}… ({len(text):,} characters)"


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` and the word in its number: ``counted(1, "offering")`` is ``"1 offering"``,
    ``counted(3, "offering")`` ``"3 offerings"`` (``plural`` where adding *s* is wrong:
    ``counted(2, "is", "are")``). The app writes no "offering(s)"."""
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"


def cert_name(cert_id: str) -> str:
    """The name of a certification id (``iso27001`` → ``ISO/IEC 27001``)."""
    return CERT_NAMES.get(cert_id, cert_id)


def _number(v: float, decimals: int) -> str:
    return f"{v:,.{decimals}f}"


def money(amount: float, currency: str) -> str:
    """An amount with its currency, e.g. ``EUR 1,234.50`` (2 decimals under 1,000, none above)."""
    return f"{currency} {_number(amount, 2 if abs(amount) < 1000 else 0)}"


def value_text(
    criterion: CriterionSpec, cell: engine.Cell | None, currency: str, wanted: Sequence[str] = ()
) -> str:
    """A performance value in words with its unit, as a buyer reads it.

    Parameters
    ----------
    criterion : CriterionSpec
        The criterion (its id picks the wording; other ids get ``value unit``).
    cell : Cell or None
        The offering's cell (``None``: not in the ranking).
    currency : str
        The ranking's currency (money amounts).
    wanted : sequence of str
        The buyer's wanted certifications (compliance reads as "n of m wanted").

    Returns
    -------
    str
        e.g. ``EUR 53.71 / month``, ``3.5 s``, ``open weights, OSI licence``,
        ``3 of 4 wanted certifications``; :data:`UNKNOWN_WORST` when imputed worst.
    """
    if cell is None or cell.value is None:
        return UNKNOWN_WORST if cell is not None and cell.imputed else UNKNOWN
    v = cell.value
    cid = criterion.id
    if isinstance(v, str):
        return OPENNESS.get(v, v.replace("_", " ")) if cid == "openness" else v.replace("_", " ")
    if cid == "monthly_cost":
        return f"{money(v, currency)} / month"
    if cid == "response_time":
        return f"{v:,.1f} s"
    if cid == "capability":
        return f"{v:,.0f} index points"
    if cid == "context_window":
        return f"{v:,.0f} tokens"
    if cid == "data_residency":
        return "can stay in your allowed regions" if v >= 1 else "not in your allowed regions"
    if cid == "jurisdiction":
        return {1.0: "developer and operator trusted", 0.5: "1 of 2 (developer, operator) trusted"}.get(
            v, "neither developer nor operator trusted"
        )
    if cid == "compliance":
        n = len(wanted)
        if not n:
            return f"{100 * v:.0f}% of wanted certifications"
        held = v * n
        count = f"{held:.0f}" if abs(held - round(held)) < 1e-9 else f"{held:.1f}"
        return f"{count} of {n} wanted certifications" + ("" if count.isdigit() else " (a claim counts half)")
    if cid == "transparency":
        return f"{v:.0f} of 100 (FMTI)"
    unit = criterion.unit
    return f"{v:,.3g} {unit}"


def caveats(row: engine.Row, labels: dict[str, str], short: bool = False) -> list[str]:
    """A ranked row's flags in plain words, most important first: each weighted value
    unknown (counted as worst), then stale facts grouped by kind, then any other flag.

    Returns
    -------
    list of str
        e.g. ``["Response time unknown (counted as worst)", "certifications out of date (5 facts)"]``;
        ``short``: ``Response time unknown`` (for a table whose header says how unknowns count).
    """
    unknown = UNKNOWN if short else UNKNOWN_WORST
    out = [f"{labels.get(c, c)} {unknown}" for c, cell in row.cells.items() if cell.imputed]
    kinds: dict[str, list[int]] = {}
    for a in row.stale:
        kinds.setdefault(a.fact.kind, []).append(a.days)
    for kind, days in kinds.items():
        what = FACT_KINDS.get(kind, kind)
        old = [d for d in days if d >= 0]
        n = f" ({len(days)} facts)" if len(days) > 1 else (f" ({old[0]} days old)" if old else "")
        out.append(f"{what} out of date{n}" if old else f"{what} dated in the future")
    known = ("unknown, imputed worst", "stale data:", "dated after")
    out += [r for r in row.reasons if not any(k in r for k in known)]
    return out


def deciders(row: engine.Row, labels: dict[str, str], n: int = 3, skip: Collection[str] = ()) -> str:
    """The criteria adding the most points to a row's score, e.g. ``Compliance 18.8 ·
    Capability 7.6`` (weighted sum only; ``""`` when the scores are not additive).
    ``skip``: criteria left out (e.g. those that give every offering the same points)."""
    pts = [(c, cell.contribution) for c, cell in row.cells.items() if cell.contribution and c not in skip]
    pts.sort(key=lambda x: -(x[1] or 0.0))
    return " · ".join(f"{labels.get(c, c)} {p:.1f}" for c, p in pts[:n])


def why_leads(lead: engine.Row, runner: engine.Row | None, labels: dict[str, str], n: int = 3) -> str:
    """Why ``lead`` is ahead of ``runner`` under the weighted sum: the criteria where it
    gains the most points, and the one where it loses the most, e.g. ``gains on
    Capability (+7.6 points), Monthly cost (+0.1); loses on Compliance (−6.2)``.

    Returns ``""`` without a runner-up or when the contributions are not additive.
    """
    if runner is None:
        return ""
    diff = []
    for c, cell in lead.cells.items():
        other = runner.cells.get(c)
        if cell.contribution is None or other is None or other.contribution is None:
            return ""
        diff.append((c, cell.contribution - other.contribution))
    gains = sorted((d for d in diff if d[1] > 0.05), key=lambda x: -x[1])[:n]
    losses = sorted((d for d in diff if d[1] < -0.05), key=lambda x: x[1])[:1]
    parts = []
    unit = " points"
    if gains:
        parts.append(
            "gains on "
            + ", ".join(
                f"{labels.get(c, c)} (+{d:.1f}{unit if i == 0 else ''})" for i, (c, d) in enumerate(gains)
            )
        )
        unit = ""
    if losses:
        parts.append("loses on " + ", ".join(f"{labels.get(c, c)} (−{-d:.1f}{unit})" for c, d in losses))
    return "; ".join(parts)


def lead_on_unknowns(lead: engine.Row, runner: engine.Row | None, labels: dict[str, str]) -> str:
    """When the leader's lead over the runner-up rests on missing data: the criteria on
    which it gains points only because the runner-up's value is unknown (counted as
    worst), if those points are at least the whole lead, e.g. ``its lead rests on
    missing data: the runner-up's Capability is unknown (counted as worst), worth 7.6
    points to the leader, more than its 0.5-point lead``; ``""`` otherwise (or when the
    scores are not additive)."""
    if runner is None or lead.score is None or runner.score is None:
        return ""
    on_unknown = []
    for c, cell in lead.cells.items():
        other = runner.cells.get(c)
        if other is None or cell.contribution is None or other.contribution is None:
            return ""
        d = cell.contribution - other.contribution
        if other.imputed and not cell.imputed and d > 0.05:
            on_unknown.append((c, d))
    margin = lead.score - runner.score
    points = sum(d for _, d in on_unknown)
    if not on_unknown or points < margin:
        return ""
    names = ", ".join(labels.get(c, c) for c, _ in on_unknown)
    return (
        f"its lead rests on missing data: the runner-up's {names} "
        f"{'is' if len(on_unknown) == 1 else 'are'} unknown (counted as worst), worth {points:.1f} points "
        f"to the leader, more than its {margin:.1f}-point lead"
    )


def constant(rows: Sequence[engine.Row]) -> set[str]:
    """The criteria on which every row gets the same points (within 1e-9): they add to
    every score alike and decide nothing."""
    if not rows:
        return set()
    first = rows[0].cells
    return {
        c
        for c, cell in first.items()
        if cell.contribution is not None
        and all(
            r.cells[c].contribution is not None
            and abs((r.cells[c].contribution or 0.0) - cell.contribution) < 1e-9
            for r in rows
        )
    }


def front_2d(points: Mapping[str, tuple[float, float]]) -> set[str]:
    """The Pareto front of a two-criterion picture: the ids whose (cost, capability)
    no other point beats, i.e. no other costs no more *and* scores no less, better on
    one of the two (cost minimised, capability maximised). Equal points are both on it.

    This is the front *of that picture*: the engine's front
    (:attr:`engine.mcda.sensitivity.report.SensitivityReport.dominance`) is over every
    weighted criterion, so a point on it may be beaten on cost and capability alone.
    """
    return {
        o
        for o, (c, k) in points.items()
        if not any(c2 <= c and k2 >= k and (c2 < c or k2 > k) for p, (c2, k2) in points.items() if p != o)
    }


def coverage_warning(coverage: Sequence[Coverage], labels: dict[str, str]) -> str | None:
    """One plain sentence for the weighted criteria unknown for most ranked offerings
    (:attr:`engine.mcda.scoring.Coverage.warns`), e.g. ``Mostly unknown, so counted as worst for most
    offerings: Capability (unknown for 54 of 58, weight 15%). This criterion mostly
    ranks missing data.``; ``None`` when no criterion warns. Names are not escaped."""
    mostly = [cv for cv in coverage if cv.warns]
    if not mostly:
        return None
    return (
        "Mostly unknown, so counted as worst for most offerings: "
        + "; ".join(
            f"{labels.get(cv.criterion, cv.criterion)} (unknown for {cv.unknown} of {cv.ranked}, "
            f"weight {100 * cv.weight:.0f}%)"
            for cv in mostly
        )
        + (". These criteria mostly rank" if len(mostly) > 1 else ". This criterion mostly ranks")
        + " missing data."
    )


def contracting_party(operator: str, deployment: str) -> str:
    """Whom the buyer contracts with: the channel's operator, or ``you (self-hosted)``
    when the buyer runs it (operator ``BUYER`` or a self-hosted deployment)."""
    return "you (self-hosted)" if operator.upper() == "BUYER" or deployment == "self-hosted" else operator


def display_names(names: Mapping[str, str]) -> dict[str, str]:
    """Offering id → the name to show (``model — channel``); a name two offerings share
    gets its id in brackets, so two columns, bars or dots never merge."""
    seen = list(names.values())
    return {o: n if seen.count(n) == 1 else f"{n} ({o})" for o, n in names.items()}


def first_more_often(leader: str, firsts: Mapping[str, float], names: Mapping[str, str], samples: int) -> str:
    """The opening sentence of the Robustness page: how often the leader stays first when
    the weights vary, and, when another offering is first more often, that it is, with
    both shares (the lead is then not robust).

    Parameters
    ----------
    leader : str
        The leader's offering id (first on the buyer's own weights).
    firsts : mapping of str to float
        Offering id → share of the weight samples (0–1) in which it ranks first
        (SMAA-2 first-rank acceptability).
    names : mapping of str to str
        Offering id → the name to show (ids not listed are shown as given).
    samples : int
        The number of weight samples.

    Returns
    -------
    str
        Markdown-free text, e.g. ``X leads on your weights, but Y is first more often
        (30% vs 28% of 10,000 variations of your weights): the lead is not robust.``
    """
    mine = 100 * firsts.get(leader, 0.0)
    best = max((o for o in firsts if o != leader), key=lambda o: firsts[o], default=None)
    other = 100 * firsts[best] if best is not None else 0.0
    lead = names.get(leader, leader)
    if best is not None and other > mine + 1e-9:
        d = 0 if f"{other:.0f}" != f"{mine:.0f}" else 1  # never "30% vs 30%"
        return (
            f"{lead} leads on your weights, but {names.get(best, best)} is first more often "
            f"({other:.{d}f}% vs {mine:.{d}f}% of {samples:,} variations of your weights): "
            "the lead is not robust."
        )
    tail = "." if mine > 50 else ": more often than any other offering, but not in most."
    return (
        f"{lead} leads on your weights and stays first in {mine:.0f}% of {samples:,} variations of them{tail}"
    )


def plain_advice(message: str, labels: Mapping[str, str], currency: str) -> str:
    """An engine sentence of :mod:`engine.mcda.sensitivity.what_it_takes` for the main
    view: criterion ids named (``monthly_cost 10.00% → 7.79%`` → ``Monthly cost 10.00% →
    7.79%``) and the monthly amounts given their currency (``at most 619.12 instead of
    2,363.05`` → ``at most EUR 619.12 a month instead of EUR 2,363.05``). The exports
    keep the engine's words."""
    if labels:  # one pass, so a label is never itself rewritten (monthly_cost → Monthly cost, not … Cost)
        ids = "|".join(re.escape(c) for c in sorted(labels, key=len, reverse=True))
        message = re.sub(rf"(?<![\w.])({ids})(?= \d+(?:\.\d+)?% →)", lambda m: labels[m[1]], message)
    return re.sub(
        r"at most ([\d,]+(?:\.\d+)?) instead of ([\d,]+(?:\.\d+)?)",
        lambda m: f"at most {currency} {m.group(1)} a month instead of {currency} {m.group(2)}",
        message,
    )


SEVERITY = {"deny": "blocks approval", "warn": "warning"}
"""A policy rule's severity in words."""

CHECKS = {
    "valid-profiles": "Every vendor profile loads",
    "valid-answers": "Every answer file is used",
    "min-score": "Minimum score",
    "price-drift": "Prices as approved",
    "approved-exists": "Approved offering is in the catalog",
    "waivers": "Waivers are valid",
}
"""The policy-level checks of :mod:`engine.policy.rules` (not rules of the file) in words."""

OUTCOMES = {
    "rule.failed": "broken",
    "rule.unknown": "not confirmed",
    "min_score.below": "score below the minimum",
    "min_score.excluded": "not ranked (fails a must-have)",
    "price_drift.drifted": "price changed",
    "price_drift.not_compared": "price not comparable",
    "approved.missing": "not in the catalog",
    "input.invalid": "profile does not load",
    "input.answers_not_used": "answers not used",
    "waiver.expired": "waiver expired",
    "waiver.invalid_expiry": "waiver has no valid expiry date",
    "waiver.beyond_horizon": "waiver runs too long",
    "waiver.unknown_rule": "waiver names no rule of the policy",
    "waiver.unknown_offering": "waiver names no approved offering",
    "waiver.expiring": "waiver expires soon",
}
"""The stable reason codes of a policy finding (:class:`engine.policy.rules.Check`) in words."""

_GRADE = re.compile(
    r"^(?P<what>.+) (?P<found>records no evidence grade|rests on (?P<g>[\w-]+) evidence); "
    r"(?P<need>[\w-]+) or stronger required$"
)


def finding_words(code: str, message: str, rule_message: str | None) -> tuple[str, str]:
    """A policy finding as a buyer reads it: (outcome, what was found).

    ``rule_message`` is the rule's own ``message`` (what the rule requires), which the
    engine puts before the finding; it is taken off, so a finding never reads as if the
    requirement held (``Processing regions rest on primary evidence: … records no
    evidence grade``). A ``min_grade`` finding is said as what it means: the rule cannot
    be confirmed, because the fact it reads has weaker evidence than the rule accepts
    (weak evidence decides neither way; :func:`engine.mcda.requirements.evaluate`).

    Returns
    -------
    (str, str)
        e.g. ``("not confirmed", "residency (processing regions) has no evidence grade;
        this rule accepts only primary evidence or stronger")``.
    """
    outcome = OUTCOMES.get(code, code.split(".")[-1].replace("_", " "))
    detail = message
    if rule_message and detail.startswith(rule_message + ": "):
        detail = detail[len(rule_message) + 2 :]
    parts = (
        detail.rsplit(": ", 1) if ": " in detail and _GRADE.match(detail.rsplit(": ", 1)[-1]) else [detail]
    )
    m = _GRADE.match(parts[-1])
    if m:
        found = "has no evidence grade" if m["g"] is None else f"rests only on {m['g']} evidence"
        what = re.sub(  # a certification's field path by the name buyers know it by
            r"^(?:vendor\.)?certifications\.(\w+)$",
            lambda c: f"the {cert_name(c[1])} certification",
            m["what"],
        )
        said = f"{what} {found}; this rule accepts only {m['need']} evidence or stronger"
        detail = (parts[0] + ": " if len(parts) > 1 else "") + said
        if code == "rule.unknown":
            outcome = "not confirmed: evidence too weak"
    return outcome, detail


def unknown_text(
    field: str,
    kind: str,
    best: int | None,
    worst: int | None,
    crosses: bool,
    cut: int,
    labels: Mapping[str, str],
) -> str:
    """One unknown fact and what it can do to an offering's rank, in words (the engine's
    :func:`engine.mcda.unknowns.describe` with criteria named), e.g. ``Response time
    (unknown value): rank 1 if it is the best possible, 3 if the worst · cannot change the
    top 3``; a must-have: ``iso27001 (must-have): rank 2 if it passes, excluded if it fails``."""
    tail = "" if crosses else f" · cannot change the top {cut}"
    if kind == "must-have":
        at = f"rank {best}" if best is not None else "still excluded"
        return f"{labels.get(field, field)} (must-have): {at} if it passes, excluded if it fails{tail}"
    b = f"rank {best}" if best is not None else "excluded"
    w = str(worst) if worst is not None else "excluded"
    return (
        f"{labels.get(field, field)} (unknown value): {b} if it is the best possible, {w} if the worst{tail}"
    )


CUT_WORDS = "the shortlist is the top {cut}, as your priorities set it"
"""How the app names the shortlist cut (``robustness.top_k``) in the main view."""

UNKNOWN_LEGEND = (
    "Best: the best value the criterion allows, or the must-have passes; worst: counted as worst, as today, "
    "or it fails. One unknown at a time: the other offerings keep their values."
)
"""What "best" and "worst" mean in a rank range, in words (utilities in the method docs)."""


def name_ids(text: str, labels: Mapping[str, str]) -> str:
    """``text`` with criterion ids (``response_time``) and certification ids (``c5``,
    ``iso27001``) replaced by their names (``Response time``, ``BSI C5``), as whole words:
    for engine sentences shown in the main view (the files keep the ids)."""
    names = {**{c: n for c, n in CERT_NAMES.items()}, **labels}
    if not names:
        return text
    pattern = "|".join(re.escape(k) for k in sorted(names, key=len, reverse=True))
    return re.sub(rf"(?<![\w.-])({pattern})(?![\w-])", lambda m: names[m[1]], text)
