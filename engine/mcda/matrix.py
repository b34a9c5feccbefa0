"""The decision matrix: each offering's performance value on each criterion.

Values are in each criterion's canonical unit (money per month in the buyer's
currency, seconds, tokens, index points, or a fraction in [0, 1] for the
set-coverage criteria). A value that cannot be known is ``None`` with a note that
says why; the scoring layer then applies the criterion's ``missing`` policy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from engine.catalog.loading import KNOWN_CRITERIA, KNOWN_LEVELS, ResolvedOffering
from engine.catalog.regions import expand, within_expanded
from engine.catalog.schema import FxFile, PrioritiesFile
from engine.catalog.sovereignty import Sovereignty
from engine.catalog.text import licence_key
from engine.errors import InputError
from engine.mcda.sovereignty import Assessment, assessment_for, summary

__all__ = [
    "BUYER_UNDECLARED",
    "KNOWN_CRITERIA",
    "KNOWN_LEVELS",
    "OSI_LICENCES",
    "Context",
    "Performance",
    "convert",
    "is_buyer_operated",
    "performance",
    "prices_on",
]

OSI_LICENCES: frozenset[str] = frozenset(
    {
        "Apache-2.0",
        "MIT",
        "BSD-2-Clause",
        "BSD-3-Clause",
        "MPL-2.0",
        "ISC",
        "GPL-2.0-only",
        "GPL-3.0-only",
        "LGPL-2.1-only",
        "LGPL-3.0-only",
        "AGPL-3.0-only",
        "EPL-2.0",
        "Unlicense",
        "0BSD",
        "Zlib",
        "UPL-1.0",
    }
)
"""SPDX ids of common OSI-approved licences (opensource.org/licenses, read 2026-11).
Any other licence — including every ``LicenseRef-…`` — counts as restrictive. SPDX ids
are case insensitive (``mit`` is ``MIT``)."""
_OSI_KEYS = frozenset(licence_key(x) for x in OSI_LICENCES)


@dataclass(frozen=True)
class Context:
    """What a performance value depends on besides the offering.

    Attributes
    ----------
    priorities : PrioritiesFile
    fx : FxFile
    on_date : datetime.date
        Prices in force on this date are used.
    capability_metric : str or None
        Only capability values whose metric starts with this name are comparable.
    sovereignty : Sovereignty or None
        The sovereignty framework and rules the ``sovereignty`` criterion uses (the
        priorities' ``sovereignty_weights`` pick the weight set); ``None``: unknown.
    assessments : mapping of str to Assessment, optional
        Each offering's sovereignty assessment under ``sovereignty`` and the priorities'
        weight set, by offering id, when the caller already has them
        (:func:`engine.mcda.scoring.rank` assesses every offering once, for the gate and
        for this criterion); an offering missing here is assessed on demand.
    allowed_set, trusted_set : frozenset of str
        The priorities' allowed regions and trusted jurisdictions with their groups
        expanded (derived, not arguments): expanded once, not once per offering.
    """

    priorities: PrioritiesFile
    fx: FxFile
    on_date: dt.date
    capability_metric: str | None = None
    sovereignty: Sovereignty | None = None
    assessments: Mapping[str, Assessment] | None = field(default=None, repr=False, compare=False)
    allowed_set: frozenset[str] = field(init=False, repr=False, compare=False)
    trusted_set: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "allowed_set", expand(self.priorities.allowed_regions))
        object.__setattr__(self, "trusted_set", expand(self.priorities.trusted_jurisdictions))


@dataclass(frozen=True, slots=True)
class Performance:
    """One cell of the decision matrix.

    ``value`` is a float (numeric criteria), a level name (categorical), or ``None``
    when unknown; ``note`` explains an unknown or a modelling step. ``low`` and
    ``high`` bound a plausible range of a numeric value when the profile gives one
    (price low/high, time to first token p95); the robustness analysis samples it.
    """

    value: float | str | None
    note: str | None = None
    low: float | None = None
    high: float | None = None


def convert(amount: float, currency: str, target: str, fx: FxFile) -> float:
    """Convert money with the dated rate table (rates are units per 1 ``fx.base``).

    Raises
    ------
    InputError
        ``fx.unknown_currency`` for a currency the table does not have.
    """
    if currency == target:
        return amount
    rates = {fx.base: 1.0, **fx.rates}
    for c in (currency, target):
        if c not in rates:
            raise InputError.single(
                "fx.unknown_currency",
                f"no exchange rate for {c} in the rate table (has: {', '.join(sorted(rates))})",
            )
    return amount / rates[currency] * rates[target]


def prices_on(ro: ResolvedOffering, on: dt.date) -> tuple[float, float, str, str | None] | None:
    """Input/output price per 1M tokens in force on ``on``, currency, and a note."""
    p = ro.offering.prices
    if p is None:
        return None
    inp, out, note = p.input_per_mtok, p.output_per_mtok, None
    for step in sorted(p.schedule, key=lambda s: s.from_):
        if step.from_ <= on:
            inp, out = step.input_per_mtok, step.output_per_mtok
            note = f"price from {step.from_.isoformat()} schedule"
    return inp, out, p.currency, note


def _monthly_cost(ro: ResolvedOffering, ctx: Context) -> Performance:
    w = ctx.priorities.workload
    adj = ctx.priorities.price_adjustments.get(ro.id)
    prices = prices_on(ro, ctx.on_date)
    notes: list[str] = []
    if prices is None and (adj is None or adj.monthly_fixed == 0):
        why = (
            "self-hosted: add your infrastructure cost as price_adjustments.monthly_fixed"
            if ro.offering.deployment == "self-hosted"
            else "no public token price"
        )
        return Performance(None, why)
    # total at the list price, at the low and at the high end of the price range
    totals = [0.0, 0.0, 0.0]
    ranged = False
    if prices is not None:
        inp, out, cur, note = prices
        if note:
            notes.append(note)
        p = ro.offering.prices
        assert p is not None
        in_lo = in_hi = inp
        out_lo = out_hi = out
        if note is None:  # the range describes the base list price, not a scheduled one
            in_lo = p.input_per_mtok_low if p.input_per_mtok_low is not None else inp
            in_hi = p.input_per_mtok_high if p.input_per_mtok_high is not None else inp
            out_lo = p.output_per_mtok_low if p.output_per_mtok_low is not None else out
            out_hi = p.output_per_mtok_high if p.output_per_mtok_high is not None else out
            ranged = (in_lo, in_hi, out_lo, out_hi) != (inp, inp, out, out)
        for k, (a, b) in enumerate(((inp, out), (in_lo, out_lo), (in_hi, out_hi))):
            usage = w.input_tokens_per_month / 1e6 * a + w.output_tokens_per_month / 1e6 * b
            if adj is not None and adj.discount_pct:
                usage *= 1 - adj.discount_pct / 100
            totals[k] += convert(usage, cur, w.currency, ctx.fx)
        if adj is not None and adj.discount_pct:
            notes.append(f"{adj.discount_pct:g}% negotiated discount")
    if adj is not None and adj.monthly_fixed:
        cur = adj.currency or w.currency
        fixed = convert(adj.monthly_fixed, cur, w.currency, ctx.fx)
        totals = [t + fixed for t in totals]
        notes.append(f"fixed {adj.monthly_fixed:g} {cur}/month")
    if ranged:
        return Performance(totals[0], "; ".join(notes) or None, totals[1], totals[2])
    return Performance(totals[0], "; ".join(notes) or None)


def _response_time(ro: ResolvedOffering, ctx: Context) -> Performance:
    lat = ro.offering.latency
    if lat is None:
        return Performance(None, "no latency measurement for this channel")
    missing = [
        n
        for n, v in (("time to first token", lat.ttft_s), ("output speed", lat.output_tokens_per_s))
        if v is None
    ]
    if missing or lat.ttft_s is None or lat.output_tokens_per_s is None:
        return Performance(None, f"no {' or '.join(missing)} measurement")
    stream = ctx.priorities.workload.answer_tokens / lat.output_tokens_per_s
    if lat.ttft_p95_s is not None and lat.ttft_p95_s > lat.ttft_s:
        return Performance(lat.ttft_s + stream, None, lat.ttft_s + stream, lat.ttft_p95_s + stream)
    return Performance(lat.ttft_s + stream)


def _capability(ro: ResolvedOffering, ctx: Context) -> Performance:
    cap = ro.offering.capability
    if cap is None:
        return Performance(None, "no capability score")
    if ctx.capability_metric and not cap.metric.startswith(ctx.capability_metric):
        return Performance(None, f"metric {cap.metric!r} is not comparable with {ctx.capability_metric!r}")
    return Performance(cap.value)


def _context_window(ro: ResolvedOffering, ctx: Context) -> Performance:
    c = ro.offering.context_window_tokens
    return Performance(
        float(c) if c is not None else None, None if c is not None else "context window not published"
    )


def _data_residency(ro: ResolvedOffering, ctx: Context) -> Performance:
    regions = ro.offering.processing_regions
    if regions is None:
        return Performance(None, "processing regions not published")
    ok = any(within_expanded(r, ctx.allowed_set) for r in regions)
    return Performance(1.0 if ok else 0.0)


def _jurisdiction(ro: ResolvedOffering, ctx: Context) -> Performance:
    dev_hq, op_hq = ro.vendor.headquarters, ro.offering.operator.headquarters
    if dev_hq is None or op_hq is None:
        who = " and ".join(n for n, v in (("developer", dev_hq), ("operator", op_hq)) if v is None)
        return Performance(None, f"{who} headquarters not known")
    dev = within_expanded(dev_hq, ctx.trusted_set)
    op = within_expanded(op_hq, ctx.trusted_set)
    return Performance((float(dev) + float(op)) / 2)


def _openness(ro: ResolvedOffering, ctx: Context) -> Performance:
    o = ro.offering.openness
    if o is None:
        return Performance(None, "weights openness not published")
    if not o.open_weights:
        return Performance("closed")
    if o.licence is not None and licence_key(o.licence) in _OSI_KEYS:
        return Performance("open_osi")
    if o.licence is None:
        return Performance("open_restrictive", "open weights, licence unknown: counted as restrictive")
    return Performance("open_restrictive")


def _compliance(ro: ResolvedOffering, ctx: Context) -> Performance:
    """Share of the wanted certifications held (``claimed`` ones earn ``claimed_credit``).

    A self-hosted offering (operator headquarters ``BUYER``) runs on the buyer's own
    infrastructure: it is judged on the buyer's ``buyer_certifications`` (unknown when
    the buyer declares none). Otherwise, when no wanted certification is known either
    way (not listed, or ``unknown``), the value is unknown rather than 0, so that the
    missing-data policy applies and the ranking flags it.
    """
    pr = ctx.priorities
    wanted = pr.wanted_certifications
    if not wanted:
        return Performance(1.0, "no certifications wanted")
    if is_buyer_operated(ro):
        held = pr.buyer_certifications
        if held is None:
            return Performance(None, BUYER_UNDECLARED)
        return Performance(sum(c in held for c in wanted) / len(wanted), "self-hosted: buyer_certifications")
    credit = {"certified": 1.0, "claimed": pr.claimed_credit}
    status = ro.certification_statuses
    if all(status.get(c, "unknown") == "unknown" for c in wanted):
        return Performance(None, f"no evidence either way for {', '.join(wanted)}")
    got = sum(credit.get(status.get(c, "unknown"), 0.0) for c in wanted)
    return Performance(got / len(wanted))


BUYER_UNDECLARED = (
    "self-hosted: its certifications are those of the buyer's own infrastructure, "
    "which the priorities do not declare (buyer_certifications)"
)
"""Why a self-hosted offering's certifications are unknown: the buyer's input, not a
vendor fact nobody looked up."""


def is_buyer_operated(ro: ResolvedOffering) -> bool:
    """Whether the buyer operates the offering itself (operator headquarters ``BUYER``)."""
    return ro.offering.operator.headquarters == "BUYER"


def _transparency(ro: ResolvedOffering, ctx: Context) -> Performance:
    f = ro.vendor.fmti
    return Performance(
        f.score if f is not None else None, None if f is not None else "developer not rated by FMTI 2025"
    )


def _sovereignty(ro: ResolvedOffering, ctx: Context) -> Performance:
    """The sovereignty score in per cent (:mod:`engine.mcda.sovereignty`).

    Known only when every criterion of every weighted objective is answered
    (:attr:`~engine.mcda.sovereignty.Assessment.known`); otherwise unknown: the score then
    lies between the answered criteria's points (the gaps at their worst) and
    ``score_max`` (the gaps at their best), and the ranking places it with that range
    (:func:`engine.mcda.scoring.rank`). A partial score is never a value: the derivation
    rules answer only on non-EU facts, so counting a partial score would rank what is
    merely better documented above what is not. The note gives the overall SEAL, its
    governing criterion and the gaps. Unknown too when no framework is loaded."""
    if ctx.sovereignty is None:
        return Performance(None, "no sovereignty framework loaded (criteria/sovereignty/)")
    a = ctx.assessments.get(ro.id) if ctx.assessments is not None else None
    if a is None:
        a = assessment_for(ctx.sovereignty, ro, ctx.priorities.sovereignty_weights)
    if not a.known:
        return Performance(None, summary(ctx.sovereignty.framework, a))
    # no low/high range: a known score has none (never sampled)
    return Performance(a.score, summary(ctx.sovereignty.framework, a))


_EXTRACTORS: dict[str, Callable[[ResolvedOffering, Context], Performance]] = {
    "monthly_cost": _monthly_cost,
    "response_time": _response_time,
    "capability": _capability,
    "context_window": _context_window,
    "data_residency": _data_residency,
    "jurisdiction": _jurisdiction,
    "openness": _openness,
    "compliance": _compliance,
    "transparency": _transparency,
    "sovereignty": _sovereignty,
}

if tuple(_EXTRACTORS) != KNOWN_CRITERIA:  # pragma: no cover - a programming error, caught by any import
    raise RuntimeError("engine.mcda.matrix: one extractor per KNOWN_CRITERIA entry, in its order")


def performance(criterion_id: str, ro: ResolvedOffering, ctx: Context) -> Performance:
    """Compute one cell of the decision matrix.

    Raises
    ------
    KeyError
        For a criterion id not in :data:`KNOWN_CRITERIA`.
    InputError
        When a currency conversion is impossible.
    """
    return _EXTRACTORS[criterion_id](ro, ctx)
