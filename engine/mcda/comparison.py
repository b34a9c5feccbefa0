"""Two to four offerings side by side: the Compare page and ``shortlist compare``.

:func:`comparison` lines up, for the offerings a committee is choosing between, what
the ranking already computed — each criterion's performance value, utility and
contribution, with the provenance of the value — plus the facts a procurement file
compares (who the vendor and the operator are and where they are headquartered, where
data is processed, open weights and licence, certifications, prices, context window),
the gap to the leader per criterion, and, given a robustness report, what it would
take for each to rank first.

It is pure: it reads a :class:`~engine.mcda.scoring.Ranking` and the
:class:`~engine.catalog.loading.Catalog` it was computed from, and returns frozen dataclasses;
the renderers of :mod:`engine.reports.compare` (plain-text table, Markdown, CSV, JSON)
turn a :class:`Comparison` into text or bytes. The robustness module (which needs scipy) is
imported only when a report is given.

Definitions
-----------
best
    On one criterion, the compared offerings with the highest utility (ties all
    best); none when every compared offering has the same utility, or none has one.
    An unknown value imputed worst, and an excluded offering (which has no utility),
    are never best.
differs
    The performance values (or facts) are not all equal (numbers within a relative
    1e-9); an unknown value differs from a known one.
gap
    Under the weighted sum, an offering's contribution minus the leader's on each
    criterion, in points of 100 (:math:`100 w_j (v_j(x_{ij}) - v_j(x_{lj}))`); the
    gaps of an offering add up to its score minus the leader's. The leader is the
    first ranked offering of the whole ranking, compared or not.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from engine.catalog.dates import FUTURE_FLAG, STALE_FLAG
from engine.catalog.loading import Catalog, ResolvedOffering
from engine.catalog.schema import CERTIFICATION_IDS
from engine.errors import InputError, Issue, suggest
from engine.mcda.matrix import prices_on
from engine.mcda.requirements import RequirementResult
from engine.mcda.scoring import TIE_TOLERANCE, Ranking, Row
from engine.mcda.unknowns import RankRange

if TYPE_CHECKING:  # the robustness module imports scipy: keep it off the path without a report
    from engine.mcda.sensitivity.report import SensitivityReport

__all__ = [
    "FACTS",
    "MAX_OFFERINGS",
    "MIN_OFFERINGS",
    "Comparison",
    "CriterionCell",
    "CriterionRow",
    "FactRow",
    "FactValue",
    "OfferingResult",
    "PathToFirst",
    "Provenance",
    "comparison",
    "criterion_provenance",
]

MIN_OFFERINGS = 2
MAX_OFFERINGS = 4
"""A comparison holds 2 to 4 distinct offerings."""

FactValue = str | int | float | bool | tuple[str, ...] | None
"""A fact as the profile states it (``None``: not stated)."""


@dataclass(frozen=True)
class Provenance:
    """Where a value comes from.

    Attributes
    ----------
    block : str
        The most specific block of the vendor file that holds the value:
        ``offering.capability``, ``offering.latency``, ``offering.certifications``,
        ``vendor.certifications``, ``vendor.fmti``, ``vendor.gpai_code_of_practice``,
        ``vendor`` or ``offering``; ``offering`` also when that block is absent or
        states no sources.
    sources : tuple of str
        The block's sources; the offering's when the block has none.
    as_of : datetime.date
        The block's date; the offering's when the block has none.
    file : str
        The vendor file.
    """

    block: str
    sources: tuple[str, ...]
    as_of: dt.date
    file: str


@dataclass(frozen=True)
class CriterionCell:
    """One compared offering on one criterion.

    ``value``, ``utility``, ``contribution``, ``imputed`` and ``note`` are the
    ranking's :class:`~engine.mcda.scoring.Cell` (an excluded offering has no utility and a
    contribution of 0; ``contribution`` is ``None`` when the method is not additive).

    Attributes
    ----------
    offering_id : str
    value : float, str or None
        Performance value in the criterion's unit (``None``: unknown).
    utility : float or None
        In [0, 1].
    contribution : float or None
        Points (0–100 scale).
    gap : float or None
        Contribution minus the leader's (points); ``None`` unless the method is the
        weighted sum and the offering is ranked.
    imputed : bool
        Unknown value, imputed worst.
    best : bool
        Among the best compared offerings on this criterion (see the module notes).
    note : str or None
    provenance : Provenance
    evidence : str or None
        The weakest evidence grade the value rests on (the ranking's
        :attr:`~engine.mcda.scoring.Cell.evidence`).
    answers : tuple of str
        The vendors' answers the value rests on (:attr:`~engine.mcda.scoring.Cell.answers`).
    """

    offering_id: str
    value: float | str | None
    utility: float | None
    contribution: float | None
    gap: float | None
    imputed: bool
    best: bool
    note: str | None
    provenance: Provenance
    evidence: str | None = None
    answers: tuple[str, ...] = ()


@dataclass(frozen=True)
class CriterionRow:
    """One criterion across the compared offerings.

    Attributes
    ----------
    criterion : str
        Criterion id.
    label, unit : str
        As in the criteria catalog (``monthly_cost`` is in the ranking's currency).
    direction : {"min", "max"}
    weight : float
        Normalised weight (share of 1).
    cells : tuple of CriterionCell
        In the order of :attr:`Comparison.offering_ids`.
    best : tuple of str
        Ids of the best offerings, in comparison order (empty: no best).
    differs : bool
        The values are not all equal.
    """

    criterion: str
    label: str
    unit: str
    direction: Literal["min", "max"]
    weight: float
    cells: tuple[CriterionCell, ...]
    best: tuple[str, ...]
    differs: bool


@dataclass(frozen=True)
class FactRow:
    """One fact across the compared offerings.

    Attributes
    ----------
    key : str
        Stable id (``developer_hq``, ``certification.iso27001``, ``price_input_per_mtok`` …).
    label : str
        Plain words for a table.
    values : tuple of FactValue
        In comparison order; ``None``: not stated in the profile.
    provenance : tuple of Provenance
        Where each value comes from, in comparison order.
    differs : bool
        The values are not all equal.
    """

    key: str
    label: str
    values: tuple[FactValue, ...]
    provenance: tuple[Provenance, ...]
    differs: bool


@dataclass(frozen=True)
class PathToFirst:
    """What it would take for an offering to rank first.

    For a ranked offering this is :func:`engine.mcda.sensitivity.what_it_takes.what_would_it_take`'s
    answer; for the leader, that it is first; for an excluded offering, what excludes
    it (``status`` ``"excluded"``).

    Attributes
    ----------
    status : {"first", "weights", "dominated", "never_first", "outside_bounds", "unsupported", "excluded"}
    message : str
        The weight answer in plain words.
    price_message : str
        The price answer in plain words.
    weights : mapping or None
        The nearest weights (shares summing to 1) that make it (jointly) first.
    price_cut : float or None
        Fraction (0–1) its monthly cost must fall, weights unchanged, to rank first.
    """

    status: Literal[
        "first", "weights", "dominated", "never_first", "outside_bounds", "unsupported", "excluded"
    ]
    message: str
    price_message: str
    weights: Mapping[str, float] | None = None
    price_cut: float | None = None


@dataclass(frozen=True)
class OfferingResult:
    """One compared offering's result in the ranking.

    Attributes
    ----------
    offering_id, vendor, offering : str
        Id, vendor name and label (model — channel).
    status : {"ranked", "excluded"}
    rank : int or None
    score : float or None
        0–100.
    score_gap : float or None
        Score minus the leader's (points); ``None`` when excluded.
    reasons : tuple of str
        The ranking's reasons: ``excluded_by`` then ``flags``.
    excluded_by : tuple of str
        Why it is excluded: must-haves failed or unknown, values missing on a
        criterion whose policy is ``exclude``. Empty when ranked.
    failed_must_haves : tuple of str
        Ids of the must-haves that exclude it.
    flags : tuple of str
        Unknown values imputed worst; stale data.
    requirements : tuple of RequirementResult
        Every must-have's outcome.
    as_of : datetime.date
    file : str
    path_to_first : PathToFirst or None
        ``None`` for a ranked offering when no robustness report was given.
    exclusion : {"fails", "evidence gap"} or None
        Why an excluded offering is out (the ranking's :attr:`~engine.mcda.scoring.Row.exclusion`).
    rank_range : RankRange or None
        Its rank range over its unknown facts (:mod:`engine.mcda.unknowns`), when
        :func:`comparison` was given the ranges.
    """

    offering_id: str
    vendor: str
    offering: str
    status: Literal["ranked", "excluded"]
    rank: int | None
    score: float | None
    score_gap: float | None
    reasons: tuple[str, ...]
    excluded_by: tuple[str, ...]
    failed_must_haves: tuple[str, ...]
    flags: tuple[str, ...]
    requirements: tuple[RequirementResult, ...]
    as_of: dt.date
    file: str
    path_to_first: PathToFirst | None
    exclusion: Literal["fails", "evidence gap"] | None = None
    rank_range: RankRange | None = None


@dataclass(frozen=True)
class Comparison:
    """Two to four offerings side by side (see :func:`comparison`).

    Attributes
    ----------
    offering_ids : tuple of str
        The compared offerings, in the order asked for (the column order).
    offerings : tuple of OfferingResult
        Same order.
    criteria : tuple of CriterionRow
        Every criterion of the ranking, catalog order.
    facts : tuple of FactRow
    leader : str or None
        First ranked offering of the whole ranking (``None``: nothing ranked).
    leader_score : float or None
    ranked_count : int
        Ranked offerings in the whole ranking.
    priorities_name, method, currency, inputs_digest : str
        As in the ranking.
    on_date : datetime.date
        Prices in force on this date.
    notes : tuple of str
        The ranking's notes.
    warnings : tuple of str
        The ranking's coverage warnings (:attr:`~engine.mcda.scoring.Ranking.warnings`).
    cut : int or None
        The shortlist cut the rank ranges were judged against (``None``: no ranges).
    """

    offering_ids: tuple[str, ...]
    offerings: tuple[OfferingResult, ...]
    criteria: tuple[CriterionRow, ...]
    facts: tuple[FactRow, ...]
    leader: str | None
    leader_score: float | None
    ranked_count: int
    priorities_name: str
    method: str
    on_date: dt.date
    currency: str
    inputs_digest: str
    notes: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    cut: int | None = None

    @property
    def additive(self) -> bool:
        """True under the weighted sum (contributions and gaps are points)."""
        return self.method == "weighted-sum"


# --------------------------------------------------------------------------- checks


def _check_ids(ranking: Ranking, offering_ids: Sequence[str]) -> list[Issue]:
    issues: list[Issue] = []
    n = len(offering_ids)
    if not MIN_OFFERINGS <= n <= MAX_OFFERINGS:
        issues.append(
            Issue(
                "compare.offering_count",
                f"compare takes {MIN_OFFERINGS} to {MAX_OFFERINGS} offerings, found {n}",
            )
        )
    known = [r.offering_id for r in ranking.rows]
    seen: set[str] = set()
    for oid in offering_ids:
        if oid in seen:
            issues.append(
                Issue(
                    "compare.duplicate_offering",
                    f"offering {oid!r} is named more than once: name each offering once",
                )
            )
            continue
        seen.add(oid)
        if oid not in known:
            hint = suggest(oid, known) or " (shortlist rank lists the offering ids)"
            issues.append(Issue("compare.unknown_offering", f"no offering {oid!r}{hint}"))
    return issues


# --------------------------------------------------------------------------- provenance


def _prov(ro: ResolvedOffering, block: str, sources: tuple[str, ...], as_of: dt.date | None) -> Provenance:
    off = ro.offering
    if not sources:
        block, sources = "offering", off.sources
    return Provenance(block, tuple(sources), as_of or off.as_of, ro.file)


def _offering_prov(ro: ResolvedOffering) -> Provenance:
    return _prov(ro, "offering", ro.offering.sources, ro.offering.as_of)


def _vendor_prov(ro: ResolvedOffering) -> Provenance:
    return _prov(ro, "vendor", ro.vendor.sources, ro.vendor.as_of)


def _cert_prov(ro: ResolvedOffering) -> Provenance:
    if ro.offering.certifications is not None:
        block = "offering.certifications"
    elif ro.vendor.certifications is not None:
        block = "vendor.certifications"
    else:
        return _offering_prov(ro)
    return _prov(ro, block, ro.certifications.sources, ro.certifications.as_of)


def criterion_provenance(criterion_id: str, ro: ResolvedOffering) -> Provenance:
    """Provenance of an offering's performance value on a criterion.

    ``capability`` → the offering's ``capability`` block; ``response_time`` → its
    ``latency``; ``transparency`` → the vendor's ``fmti``; ``compliance`` → the
    certifications block that applies (the offering's, else the vendor's); any other
    criterion → the offering's own ``sources`` and ``as_of``. A block that is absent,
    or states no sources or no date, falls back to the offering's.
    """
    off = ro.offering
    if criterion_id == "capability" and off.capability is not None:
        return _prov(ro, "offering.capability", off.capability.sources, off.capability.as_of)
    if criterion_id == "response_time" and off.latency is not None:
        return _prov(ro, "offering.latency", off.latency.sources, off.latency.as_of)
    if criterion_id == "transparency" and ro.vendor.fmti is not None:
        return _prov(ro, "vendor.fmti", ro.vendor.fmti.sources, ro.vendor.fmti.as_of)
    if criterion_id == "compliance":
        return _cert_prov(ro)
    return _offering_prov(ro)


# --------------------------------------------------------------------------- comparison


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return bool(type(a) is type(b) and a == b)


def _differs(values: Sequence[Any]) -> bool:
    return not all(_same(values[0], v) for v in values[1:])


def _split_reasons(row: Row) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(why it is excluded, flags). The ranking lists the exclusion reasons first; its
    flags are unknown values imputed worst (ranked offerings only), stale data and data
    dated after the ranking date."""
    if row.status == "ranked":
        return (), row.reasons
    flags = tuple(r for r in row.reasons if r.startswith((f"{STALE_FLAG}:", f"{FUTURE_FLAG}:")))
    return tuple(r for r in row.reasons if r not in flags), flags


def _failed(row: Row, excluded_by: tuple[str, ...]) -> tuple[str, ...]:
    blocking = set(excluded_by)
    return tuple(
        q.requirement_id
        for q in row.requirements
        if f"fails must-have {q.reason}" in blocking or f"unknown: {q.reason}" in blocking
    )


_CERT_NAMES = {
    "soc2_type2": "SOC 2 Type II",
    "iso27001": "ISO/IEC 27001",
    "iso42001": "ISO/IEC 42001",
    "hipaa_baa": "HIPAA BAA",
    "c5": "BSI C5",
    "secnumcloud": "SecNumCloud",
    "hds": "HDS",
    "fedramp": "FedRAMP",
}

FACTS: tuple[tuple[str, str], ...] = (
    ("vendor", "Vendor"),
    ("parent", "Vendor's parent"),
    ("developer_hq", "Developer headquarters"),
    ("operator", "Operator"),
    ("operator_hq", "Operator headquarters"),
    ("channel", "Channel"),
    ("deployment", "Deployment"),
    ("processing_regions", "Processing regions"),
    ("residency_note", "Residency note"),
    ("open_weights", "Open weights"),
    ("licence", "Licence"),
    ("zero_data_retention", "Zero data retention"),
    *((f"certification.{c}", f"Certification: {_CERT_NAMES.get(c, c)}") for c in CERTIFICATION_IDS),
    ("gpai_code_of_practice", "EU GPAI Code of Practice"),
    ("price_input_per_mtok", "List price, input per 1M tokens"),
    ("price_output_per_mtok", "List price, output per 1M tokens"),
    ("price_currency", "Price currency"),
    ("context_window_tokens", "Context window (tokens)"),
)
"""The fact rows of a comparison, in order: (key, label). Prices are the list prices
in force on the ranking's date, in the offering's own currency, before any negotiated
discount (their labels name the date); a certification is the status its evidence
states (``None``: not listed)."""


def _fact_values(ro: ResolvedOffering, on: dt.date) -> dict[str, tuple[FactValue, Provenance]]:
    """Every fact of :data:`FACTS` for one offering, with its provenance."""
    off, vendor = ro.offering, ro.vendor
    mine, theirs, certs = _offering_prov(ro), _vendor_prov(ro), _cert_prov(ro)
    gpai = vendor.gpai_code_of_practice
    prices = prices_on(ro, on)
    out: dict[str, tuple[FactValue, Provenance]] = {
        "vendor": (vendor.name, theirs),
        "parent": (vendor.parent, theirs),
        "developer_hq": (vendor.headquarters, theirs),
        "operator": (off.operator.name, mine),
        "operator_hq": (off.operator.headquarters, mine),
        "channel": (off.channel, mine),
        "deployment": (off.deployment, mine),
        "processing_regions": (
            None if off.processing_regions is None else tuple(off.processing_regions),
            mine,
        ),
        "residency_note": (off.residency_note, mine),
        "open_weights": (off.openness.open_weights if off.openness else None, mine),
        "licence": (off.openness.licence if off.openness else None, mine),
        "zero_data_retention": (off.zero_data_retention.status if off.zero_data_retention else None, mine),
        "gpai_code_of_practice": (
            (None, mine)
            if gpai is None
            else (gpai.status, _prov(ro, "vendor.gpai_code_of_practice", gpai.sources, gpai.as_of))
        ),
        "price_input_per_mtok": (None if prices is None else prices[0], mine),
        "price_output_per_mtok": (None if prices is None else prices[1], mine),
        "price_currency": (None if prices is None else prices[2], mine),
        "context_window_tokens": (off.context_window_tokens, mine),
    }
    status = ro.certification_statuses
    for c in CERTIFICATION_IDS:
        out[f"certification.{c}"] = (status.get(c), certs)
    return out


def _facts(ranking: Ranking, ros: Sequence[ResolvedOffering]) -> tuple[FactRow, ...]:
    got = [_fact_values(ro, ranking.on_date) for ro in ros]
    day = ranking.on_date.isoformat()
    rows = []
    for key, label in FACTS:
        dated = key in ("price_input_per_mtok", "price_output_per_mtok")
        rows.append(_fact_row(key, f"{label} (on {day})" if dated else label, [g[key] for g in got]))
    return tuple(rows)


def _fact_row(key: str, label: str, got: Sequence[tuple[FactValue, Provenance]]) -> FactRow:
    values = tuple(v for v, _ in got)
    return FactRow(key, label, values, tuple(p for _, p in got), _differs(values))


def _best(cells: Sequence[tuple[str, float | None, bool]]) -> tuple[str, ...]:
    """Ids with the highest utility, tied ones all; none when every compared offering
    has that utility, or none has one. An unknown value imputed worst is never best
    (with an excluded offering, which has no utility, it could otherwise be)."""
    scored = [(oid, u, imputed) for oid, u, imputed in cells if u is not None]
    if not scored:
        return ()
    top = max(u for _, u, _ in scored)
    at_top = [(oid, imputed) for oid, u, imputed in scored if top - u <= TIE_TOLERANCE]
    if len(at_top) == len(cells):
        return ()
    return tuple(oid for oid, imputed in at_top if not imputed)


def _path_to_first(
    row: Row,
    excluded_by: tuple[str, ...],
    leader: str | None,
    report: SensitivityReport | None,
    weight_bounds: Mapping[str, tuple[float, float]] | None,
) -> PathToFirst | None:
    if row.status == "excluded":
        return PathToFirst(
            "excluded",
            "it is excluded, so no change of weights ranks it: " + "; ".join(excluded_by),
            "it is excluded: a price cut cannot rank it unless it meets the must-haves",
        )
    if row.offering_id == leader:  # the same words as what_would_it_take's for rank 1
        return PathToFirst("first", "it already ranks first", "it is already first", price_cut=0.0)
    if report is None:
        return None
    from engine.mcda.sensitivity.what_it_takes import what_would_it_take  # scipy: only with a report

    wit = what_would_it_take(report.problem, row.offering_id, weight_bounds)
    weights = dict(wit.weights) if wit.weights is not None else None
    return PathToFirst(wit.status, wit.message, wit.price_message, weights, wit.price_cut)


def comparison(
    ranking: Ranking,
    catalog: Catalog,
    offering_ids: Sequence[str],
    *,
    report: SensitivityReport | None = None,
    weight_bounds: Mapping[str, tuple[float, float]] | None = None,
    ranges: Mapping[str, RankRange] | None = None,
    cut: int | None = None,
) -> Comparison:
    """Compare two to four offerings of a ranking side by side.

    Parameters
    ----------
    ranking : Ranking
        The ranking the offerings are in (ranked or excluded).
    catalog : Catalog
        The catalog ``ranking`` was computed from (for the facts and provenance).
    offering_ids : sequence of str
        2 to 4 distinct offering ids; the comparison keeps their order.
    report : SensitivityReport, optional
        The ranking's robustness report (:func:`engine.mcda.sensitivity.report.sensitivity_with`);
        when given, every ranked offering that is not the leader gets
        :func:`engine.mcda.sensitivity.what_it_takes.what_would_it_take`'s answer. The leader is said to
        be first and an excluded offering is told what excludes it in any case.
    weight_bounds : mapping, optional
        Criterion id → (low, high) weight share for "what would it take" (e.g. the
        priorities' ``robustness.weight_bounds``); used only with ``report``.
    ranges : mapping, optional
        Offering id → rank range over its unknowns (:func:`engine.mcda.unknowns.ranges_of`
        of ``ranking``); each compared offering carries its own.
    cut : int, optional
        The shortlist cut ``ranges`` were judged against.

    Returns
    -------
    Comparison

    Raises
    ------
    InputError
        All problems together: ``compare.offering_count`` (not 2 to 4 ids),
        ``compare.duplicate_offering``, ``compare.unknown_offering`` (with the nearest
        id), ``compare.report_mismatch`` (``report`` was computed from another
        ranking), ``compare.catalog_mismatch`` (``catalog`` lacks a compared offering);
        and the bound problems of
        :func:`~engine.mcda.sensitivity.what_it_takes.what_would_it_take`.

    Notes
    -----
    Values, utilities, contributions and flags are the ranking's own; nothing is
    re-scored. Under the weighted sum, each criterion's gap is
    :math:`c_{ij} - c_{lj}` for the leader *l*, so an offering's gaps add up to its
    score minus the leader's.
    """
    ids = tuple(offering_ids)
    issues = _check_ids(ranking, ids)
    if report is not None and report.problem.offering_ids != tuple(r.offering_id for r in ranking.ranked):
        issues.append(
            Issue(
                "compare.report_mismatch",
                "the robustness report was computed from another ranking: compute it from this one",
            )
        )
    in_ranking = {r.offering_id for r in ranking.rows}
    resolved: dict[str, ResolvedOffering] = {}
    for oid in dict.fromkeys(ids):
        if oid not in in_ranking:
            continue  # reported above
        try:
            resolved[oid] = catalog.get(oid)
        except KeyError:
            msg = (
                f"offering {oid!r} is in the ranking but not in the catalog given: "
                "pass the catalog the ranking was computed from"
            )
            issues.append(Issue("compare.catalog_mismatch", msg))
    if issues:
        raise InputError(issues)
    ros = [resolved[oid] for oid in ids]

    rows = [ranking.row(oid) for oid in ids]
    lead_row = ranking.ranked[0] if ranking.ranked else None
    leader = lead_row.offering_id if lead_row else None
    additive = ranking.method == "weighted-sum"

    criteria: list[CriterionRow] = []
    for spec in ranking.criteria:
        c = spec.id
        got = [r.cells[c] for r in rows]
        best = set(
            _best([(r.offering_id, cell.utility, cell.imputed) for r, cell in zip(rows, got, strict=True)])
        )
        cells = []
        for r, ro, cell in zip(rows, ros, got, strict=True):
            gap = None
            if additive and lead_row is not None and r.status == "ranked" and cell.contribution is not None:
                lead = lead_row.cells[c].contribution
                gap = None if lead is None else cell.contribution - lead
            cells.append(
                CriterionCell(
                    r.offering_id,
                    cell.value,
                    cell.utility,
                    cell.contribution,
                    gap,
                    cell.imputed,
                    r.offering_id in best,
                    cell.note,
                    criterion_provenance(c, ro),
                    cell.evidence,
                    cell.answers,
                )
            )
        criteria.append(
            CriterionRow(
                c,
                spec.label,
                spec.unit,
                spec.direction,
                float(ranking.weights[c]),
                tuple(cells),
                tuple(r.offering_id for r in rows if r.offering_id in best),
                _differs([cell.value for cell in got]),
            )
        )

    results = []
    for r in rows:
        excluded_by, flags = _split_reasons(r)
        gap = (
            r.score - lead_row.score
            if r.score is not None and lead_row is not None and lead_row.score is not None
            else None
        )
        results.append(
            OfferingResult(
                offering_id=r.offering_id,
                vendor=r.vendor,
                offering=r.offering,
                status=r.status,
                rank=r.rank,
                score=r.score,
                score_gap=gap,
                reasons=r.reasons,
                excluded_by=excluded_by,
                failed_must_haves=_failed(r, excluded_by),
                flags=flags,
                requirements=r.requirements,
                as_of=r.as_of,
                file=r.file,
                path_to_first=_path_to_first(r, excluded_by, leader, report, weight_bounds),
                exclusion=r.exclusion,
                rank_range=ranges.get(r.offering_id) if ranges is not None else None,
            )
        )
    return Comparison(
        offering_ids=ids,
        offerings=tuple(results),
        criteria=tuple(criteria),
        facts=_facts(ranking, ros),
        leader=leader,
        leader_score=lead_row.score if lead_row else None,
        ranked_count=len(ranking.ranked),
        priorities_name=ranking.priorities_name,
        method=ranking.method,
        on_date=ranking.on_date,
        currency=ranking.currency,
        inputs_digest=ranking.inputs_digest,
        notes=ranking.notes,
        warnings=ranking.warnings,
        cut=cut if ranges is not None else None,
    )
