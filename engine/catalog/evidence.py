"""Evidence: which facts an offering rests on, how strong and how old each one is.

Every fact in a vendor profile belongs to one *kind* (:data:`KINDS`), and every kind has
a maximum age (:data:`DEFAULT_MAX_AGE_DAYS`; the criteria catalog's ``max_age_days``
replaces the defaults, a priorities file's or a policy rule's replaces those). A fact's
date, sources and evidence grade are its block's own (``prices.as_of``,
``latency.evidence``, a certification item's ``sources`` …) or, where the block gives
none, the offering's (``inherited``), which is how profiles written before blocks were
dated keep working — and why :func:`facts` says which dates are inherited.

The grade scale (:data:`engine.catalog.schema.GRADES`, strongest first):

=================  =========================================================
``primary``        the vendor's own trust centre, documentation, price page,
                   contract or model card; a certifier's or regulator's
                   register (the Commission's GPAI signatory list, BSI's C5
                   list, ANSSI's SecNumCloud list, CSA STAR)
``independent``    measurement organisations (Artificial Analysis, Stanford FMTI)
``vendor-declared`` the vendor's own answer to a buyer's questionnaire
``secondary``      press, analysts
``aggregator``     price datasets, review sites, generated pages
=================  =========================================================

A fact without a grade is ``ungraded``. A certification recorded ``certified`` on
``secondary`` or ``aggregator`` evidence alone counts as ``claimed``
(:func:`certification_status`): a register or the vendor's own attestation is what
makes it certified.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from engine.catalog.schema import FACT_KINDS, GRADES, CertificationBlock, Evidence

if TYPE_CHECKING:
    from engine.catalog.loading import ResolvedOffering

__all__ = [
    "ANSWER_FACTS",
    "CRITERION_KINDS",
    "DEFAULT_MAX_AGE_DAYS",
    "KINDS",
    "PLAIN_ANSWER_FIELDS",
    "UNGRADED",
    "Age",
    "Fact",
    "ages",
    "certification_grade",
    "certification_status",
    "criterion_facts",
    "facts",
    "grade_at_least",
    "grade_rank",
    "max_ages",
    "weakest",
]

KINDS: tuple[str, ...] = FACT_KINDS
"""Kinds of dated fact, each with its own maximum age."""

DEFAULT_MAX_AGE_DAYS: Mapping[str, int] = {
    "profile": 365,
    "prices": 90,
    "residency": 365,
    "retention": 365,
    "openness": 365,
    "certifications": 365,
    "gpai": 180,
    "latency": 120,
    "capability": 120,
    "transparency": 450,
}
"""Default maximum age in days of each kind of fact.

Prices change fastest (list prices move with every model release; 90 days); latency
and capability medians are re-measured as providers change serving stacks (120);
GPAI Code status moves as the Commission updates its signatory list (180);
certifications (annual surveillance audits), residency, retention terms, licences and
the profile itself are checked yearly (365); the FMTI is published yearly, so its
score stays current for a year plus a quarter (450). The criteria catalog's
``max_age_days`` replaces these; a priorities file's replaces those.
"""

UNGRADED = "ungraded"
"""Label of a fact that records no evidence grade."""


@dataclass(frozen=True, slots=True)
class Fact:
    """One dated fact block of an offering.

    Attributes
    ----------
    kind : str
        One of :data:`KINDS`.
    field : str
        Where it is written, e.g. ``"prices"``, ``"vendor.gpai_code_of_practice"``,
        ``"certifications.iso27001"``.
    as_of : datetime.date
        The date the source gives (the offering's when ``inherited``).
    grade : str
        One of :data:`engine.catalog.schema.GRADES`, or :data:`UNGRADED`.
    sources : tuple of str
    inherited : bool
        True when the block gives no date or sources of its own and the offering's
        (or, for vendor facts, the vendor profile's) are used.
    answer : str or None
        When a vendor's answer gave it (:mod:`engine.catalog.answers`): the answer's
        label, ``<answer file> (<question id>)``.
    """

    kind: str
    field: str
    as_of: dt.date
    grade: str
    sources: tuple[str, ...]
    inherited: bool
    answer: str | None = None


def grade_rank(grade: str) -> int:
    """Strength order of a grade: 0 for ``primary`` … 4 for ``aggregator``, 5 when
    ungraded (weaker than any grade)."""
    return GRADES.index(grade) if grade in GRADES else len(GRADES)


def grade_at_least(grade: str, minimum: str) -> bool:
    """Whether ``grade`` is at least as strong as ``minimum``."""
    return grade_rank(grade) <= grade_rank(minimum)


def certification_grade(block: CertificationBlock, item: Evidence) -> str:
    """The evidence grade of one certification item: its own, else its block's."""
    return item.evidence or block.evidence or UNGRADED


def certification_status(block: CertificationBlock, item: Evidence) -> str:
    """The status a certification item counts as.

    ``certified`` on ``secondary`` or ``aggregator`` evidence alone counts as
    ``claimed``; every other status counts as written (an ungraded ``certified`` keeps
    its status: :func:`facts` reports it as ungraded).
    """
    if item.status == "certified" and certification_grade(block, item) in ("secondary", "aggregator"):
        return "claimed"
    return item.status


def _fact(
    kind: str,
    field: str,
    as_of: dt.date | None,
    grade: str | None,
    sources: tuple[str, ...],
    base: tuple[dt.date, str | None, tuple[str, ...]],
) -> Fact:
    if as_of is None and not sources:
        return Fact(kind, field, base[0], grade or base[1] or UNGRADED, base[2], True)
    # a block that names its own sources is graded on them alone: never the offering's
    # grade, which describes other sources
    inherited_grade = None if sources else base[1]
    return Fact(
        kind, field, as_of or base[0], grade or inherited_grade or UNGRADED, sources or base[2], False
    )


def facts(ro: ResolvedOffering) -> tuple[Fact, ...]:
    """Every dated fact an offering rests on, in a fixed order.

    Parameters
    ----------
    ro : ResolvedOffering

    Returns
    -------
    tuple of Fact
        The offering profile itself, then (each only when the offering has it) prices,
        residency (``processing_regions``), retention, openness, certifications (one
        fact per item, so an item with its own source and date is judged on its own),
        latency, capability, and the vendor's GPAI Code status, FMTI score
        (``transparency``) and profile.
    """
    off, ven = ro.offering, ro.vendor
    base = (off.as_of, off.evidence, off.sources)
    vbase = (ven.as_of, ven.evidence, ven.sources)
    out = [Fact("profile", "offering", off.as_of, off.evidence or UNGRADED, off.sources, False)]
    block_of: tuple[tuple[str, str, Any], ...] = (
        ("prices", "prices", off.prices),
        ("residency", "residency", off.residency),
        ("retention", "zero_data_retention", off.zero_data_retention),
        ("openness", "openness", off.openness),
    )
    for kind, where, b in block_of:
        if b is not None:
            out.append(_fact(kind, where, b.as_of, b.evidence, b.sources, base))
        elif where == "residency" and off.processing_regions is not None:
            out.append(_fact(kind, where, None, None, (), base))  # the offering's provenance
    block = ro.certifications
    own = off.certifications is not None
    prefix = "certifications" if own else "vendor.certifications"
    cbase = base if own else vbase
    bbase = (
        block.as_of or cbase[0],
        block.evidence or (cbase[1] if not (block.as_of or block.sources) else None),
        block.sources or cbase[2],
    )
    block_dated = bool(block.as_of or block.sources)
    for cid, item in block.items.items():
        f = _fact("certifications", f"{prefix}.{cid}", item.as_of, item.evidence, item.sources, bbase)
        if f.inherited and block_dated:
            f = Fact(f.kind, f.field, f.as_of, f.grade, f.sources, False)
        out.append(f)
    measured: tuple[tuple[str, str, Any, tuple[dt.date, str | None, tuple[str, ...]]], ...] = (
        ("latency", "latency", off.latency, base),
        ("capability", "capability", off.capability, base),
        ("gpai", "vendor.gpai_code_of_practice", ven.gpai_code_of_practice, vbase),
        ("transparency", "vendor.fmti", ven.fmti, vbase),
    )
    for kind, where, b, under in measured:
        if b is not None:
            out.append(_fact(kind, where, b.as_of, b.evidence, b.sources, under))
    out.append(Fact("profile", "vendor", ven.as_of, ven.evidence or UNGRADED, ven.sources, False))
    if ro.answers:
        out = _answered(out, ro)
    return tuple(out)


ANSWER_FACTS: Mapping[str, str] = {"processing_regions": "residency"}
"""The fact field an answer to a profile field is dated as, where they differ."""
PLAIN_ANSWER_FIELDS: tuple[str, ...] = (
    "context_window_tokens",
    "operator.headquarters",
    "deployment",
    "vendor.headquarters",
)
"""Profile fields without a block of their own: answered, each is a fact of its own
(kind ``profile``), so it is dated and graded as the answer, not as the profile."""


def _answered(out: list[Fact], ro: ResolvedOffering) -> list[Fact]:
    """Mark the facts vendors' answers gave (:attr:`Fact.answer`); add one fact per
    answered field that has no block (:data:`PLAIN_ANSWER_FIELDS`)."""
    marks: dict[str, str] = {}
    # the maker's certification answers first: an offering whose block an answer of its
    # own made (a copy of its maker's) holds them as its own items, where they are marked
    order = sorted(ro.answers.items(), key=lambda kv: not kv[0].startswith("vendor."))
    for f, u in order:
        if not u.used:
            continue
        key = ANSWER_FACTS.get(f, f)
        if key.startswith("vendor.certifications.") and ro.offering.certifications is not None:
            key = key.removeprefix("vendor.")
        marks[key] = u.answer.label
    done = [dataclasses.replace(f, answer=marks[f.field]) if f.field in marks else f for f in out]
    for fld in PLAIN_ANSWER_FIELDS:
        use = ro.answers.get(fld)
        if use is not None and use.used:
            a = use.answer
            done.append(Fact("profile", fld, a.as_of, "vendor-declared", (a.evidence,), False, a.label))
    # answers to a sovereignty framework's criteria (sovereignty.<framework>.<criterion>):
    # facts of their own, so they are dated and flagged (stale, or dated after the ranking
    # date) like every other answer
    for fld, use in sorted(ro.answers.items()):
        if fld.startswith("sovereignty.") and use.used:
            a = use.answer
            done.append(Fact("profile", fld, a.as_of, "vendor-declared", (a.evidence,), False, a.label))
    return done


def max_ages(*layers: Mapping[Any, int] | None) -> dict[str, int]:
    """The maximum age of each kind: :data:`DEFAULT_MAX_AGE_DAYS`, each later layer
    (criteria catalog, priorities file, policy rule) replacing the kinds it names."""
    out = dict(DEFAULT_MAX_AGE_DAYS)
    for layer in layers:
        if layer:
            out.update(layer)
    return out


CRITERION_KINDS: Mapping[str, str] = {
    "monthly_cost": "prices",
    "response_time": "latency",
    "capability": "capability",
    "context_window": "profile",
    "data_residency": "residency",
    "jurisdiction": "profile",
    "openness": "openness",
    "compliance": "certifications",
    "transparency": "transparency",
}
"""The kind of fact each known criterion's performance value rests on."""


@dataclass(frozen=True, slots=True)
class Age:
    """A fact's age on a day, against its kind's maximum.

    Attributes
    ----------
    fact : Fact
    days : int
        Age in days (negative: dated after ``day``).
    limit : int
        The kind's maximum age in days.
    """

    fact: Fact
    days: int
    limit: int

    @property
    def stale(self) -> bool:
        """Older than the kind's maximum age."""
        return self.days > self.limit

    @property
    def future(self) -> bool:
        """Dated after the day it is judged on."""
        return self.days < 0


def ages(
    ro: ResolvedOffering, day: dt.date, limits: Mapping[str, int], every: tuple[Fact, ...] | None = None
) -> tuple[Age, ...]:
    """Every fact of an offering with its age on ``day`` and its kind's limit.

    Parameters
    ----------
    ro : ResolvedOffering
    day : datetime.date
        The ranking (or check, or validation) date.
    limits : mapping
        Maximum age in days per kind (see :func:`max_ages`); a kind not given uses
        :data:`DEFAULT_MAX_AGE_DAYS`.
    every : tuple of Fact, optional
        ``facts(ro)`` when the caller already has them (not computed again).
    """
    return tuple(
        Age(f, (day - f.as_of).days, limits.get(f.kind, DEFAULT_MAX_AGE_DAYS[f.kind]))
        for f in (every if every is not None else facts(ro))
    )


def weakest(found: list[Fact]) -> Fact | None:
    """The fact with the weakest grade (then the oldest date) of ``found``."""
    if not found:
        return None
    return max(found, key=lambda f: (grade_rank(f.grade), -f.as_of.toordinal()))


def criterion_facts(
    ro: ResolvedOffering,
    criterion_id: str,
    wanted: tuple[str, ...] = (),
    every: tuple[Fact, ...] | None = None,
) -> tuple[Fact, ...]:
    """The facts an offering's value on one criterion rests on.

    Parameters
    ----------
    ro : ResolvedOffering
    criterion_id : str
    wanted : tuple of str
        For ``compliance``: the buyer's wanted certifications (only those count).
    every : tuple of Fact, optional
        ``facts(ro)`` when the caller has it already (a ranking asks for every
        criterion of every offering: computed once per offering, not once per cell).

    Returns
    -------
    tuple of Fact
        Empty for a criterion the engine does not map (:data:`CRITERION_KINDS`).
        ``jurisdiction`` rests on the vendor's and the offering's profiles (and on
        the answers that gave a headquarters), ``context_window`` on the offering's
        profile (or the answer that gave it).
    """
    kind = CRITERION_KINDS.get(criterion_id)
    if kind is None:
        return ()
    if every is None:
        every = facts(ro)
    if criterion_id == "compliance":
        keys = {f"certifications.{c}" for c in wanted} | {f"vendor.certifications.{c}" for c in wanted}
        return tuple(f for f in every if f.kind == "certifications" and f.field in keys)
    if criterion_id == "context_window":
        answered = tuple(f for f in every if f.field == "context_window_tokens")
        return answered or tuple(f for f in every if f.field == "offering")
    if criterion_id == "jurisdiction":
        profile = ("offering", "vendor", "operator.headquarters", "vendor.headquarters")
        return tuple(f for f in every if f.field in profile)
    return tuple(f for f in every if f.kind == kind)
