"""How complete, how strong and how old a catalog's facts are (``shortlist validate``).

For each field of an offering that a ranking or a must-have reads, :func:`catalog_report`
counts the offerings whose fact is *known*, looked up and *none found*
(a ``none_found`` status: searched, with where and when), or *unknown* (absent, or
``unknown``: not looked up); the mix of evidence grades of the fact blocks behind it
(:func:`engine.catalog.evidence.facts`; a vendor-level fact such as the GPAI Code
status counts once per offering that rests on it); and how many of those blocks are
older than their kind's maximum age on the day (:func:`engine.catalog.evidence.ages`,
limits from the criteria catalog's ``max_age_days``) or dated after it.

It also lists the sources no reader can open: a source must start with ``http://``,
``https://``, ``pypi:``, ``github:`` or ``doi:`` (:data:`OPENABLE`) — a "code index
file id" or a bare title sends the reader nowhere.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from engine.catalog.evidence import UNGRADED, ages
from engine.catalog.loading import Catalog, ResolvedOffering
from engine.catalog.schema import CERTIFICATION_IDS, GRADES

__all__ = ["GRADE_COLUMNS", "OPENABLE", "CatalogReport", "FieldCoverage", "Unopenable", "catalog_report"]

OPENABLE: tuple[str, ...] = ("http://", "https://", "pypi:", "github:", "doi:")
"""The prefixes of a source a reader can open (a web address, a package on the package
index, a repository path, a DOI)."""

GRADE_COLUMNS: tuple[str, ...] = (*GRADES, UNGRADED)
"""The evidence grades counted per field, strongest first, then ungraded."""


@dataclass
class FieldCoverage:
    """One field across the catalog's offerings.

    Attributes
    ----------
    field : str
        ``prices``, ``processing_regions``, ``certifications.iso27001`` …
    known, none_found, unknown : int
        Offerings whose fact is known; looked up and none found; not known.
    grades : dict
        Fact blocks per evidence grade (:data:`GRADE_COLUMNS`).
    stale : int
        Fact blocks older than their kind's maximum age on the day.
    future : int
        Fact blocks dated after the day.
    """

    field: str
    known: int = 0
    none_found: int = 0
    unknown: int = 0
    grades: dict[str, int] = dataclasses.field(default_factory=lambda: dict.fromkeys(GRADE_COLUMNS, 0))
    stale: int = 0
    future: int = 0


@dataclass(frozen=True, slots=True)
class Unopenable:
    """A source no reader can open: where it is cited, and the text."""

    file: str
    where: str
    source: str


@dataclass(frozen=True)
class CatalogReport:
    """The coverage, evidence and age of a catalog's facts on one day."""

    day: dt.date
    offerings: int
    fields: tuple[FieldCoverage, ...]
    unopenable: tuple[Unopenable, ...]
    limits: Mapping[str, int]


def _status(value: str | None) -> str:
    """``known``, ``none_found`` or ``unknown`` of a status word (``None``: absent)."""
    if value is None or value == "unknown":
        return "unknown"
    return "none_found" if value == "none_found" else "known"


def _present(x: object) -> str:
    return "unknown" if x is None else "known"


def _certification(cid: str) -> Callable[[ResolvedOffering], str]:
    """How one certification is judged: its item's status (absent: unknown)."""

    def judge(ro: ResolvedOffering) -> str:
        item = ro.certifications.items.get(cid)  # type: ignore[call-overload]
        return _status(item.status if item is not None else None)

    return judge


_STATE: dict[str, Callable[[ResolvedOffering], str]] = {
    "prices": lambda ro: _present(ro.offering.prices),
    "processing_regions": lambda ro: (
        _present(ro.offering.processing_regions)
        if ro.offering.processing_regions is not None or ro.offering.residency is None
        else "none_found"  # a residency block without regions: looked up, none stated
    ),
    "zero_data_retention": lambda ro: _status(
        ro.offering.zero_data_retention.status if ro.offering.zero_data_retention else None
    ),
    "openness": lambda ro: _present(ro.offering.openness),
    "latency": lambda ro: _present(ro.offering.latency),
    "capability": lambda ro: _present(ro.offering.capability),
    "context_window": lambda ro: _present(ro.offering.context_window_tokens),
    "operator_hq": lambda ro: _present(ro.offering.operator.headquarters),
    "developer_hq": lambda ro: _present(ro.vendor.headquarters),
    **{f"certifications.{c}": _certification(c) for c in CERTIFICATION_IDS},
    "gpai_code_of_practice": lambda ro: _status(
        ro.vendor.gpai_code_of_practice.status if ro.vendor.gpai_code_of_practice else None
    ),
    "fmti": lambda ro: _present(ro.vendor.fmti),
}
"""Each reported field and how an offering's fact on it is judged known, none found
or unknown."""


def _field_of(fact_field: str) -> str | None:
    """The reported field an :class:`~engine.catalog.evidence.Fact`'s ``field`` belongs to."""
    name = fact_field.removeprefix("vendor.")
    mapped = {
        "residency": "processing_regions",
        "gpai_code_of_practice": "gpai_code_of_practice",
        "fmti": "fmti",
        "offering": "profile (offering)",
        "vendor": "profile (vendor)",
    }
    if fact_field == "vendor":
        return "profile (vendor)"
    return mapped.get(name, name if name in _STATE else None)


def _openable(source: str) -> bool:
    return source.strip().lower().startswith(OPENABLE)


def catalog_report(catalog: Catalog, day: dt.date, limits: Mapping[str, int]) -> CatalogReport:
    """Coverage, evidence mix and staleness per field, and the unopenable sources.

    Parameters
    ----------
    catalog : Catalog
    day : datetime.date
        The day ages are judged on (``validate``: today, or ``--today``).
    limits : mapping
        Maximum age in days per kind (:func:`engine.catalog.evidence.max_ages` of the
        criteria catalog's ``max_age_days``).

    Returns
    -------
    CatalogReport
        Fields in a fixed order: the facts a ranking reads, then the profiles
        themselves (whose rows count only grades and ages).
    """
    rows = {f: FieldCoverage(f) for f in (*_STATE, "profile (offering)", "profile (vendor)")}
    bad: dict[tuple[str, str, str], None] = {}
    for ro in catalog.offerings:
        for f, judge in _STATE.items():
            state = judge(ro)
            row = rows[f]
            if state == "known":
                row.known += 1
            elif state == "none_found":
                row.none_found += 1
            else:
                row.unknown += 1
        for age in ages(ro, day, limits):
            fact = age.fact
            name = _field_of(fact.field)
            if name is not None:
                row = rows[name]
                row.grades[fact.grade if fact.grade in row.grades else UNGRADED] += 1
                row.stale += age.stale
                row.future += age.future
            if fact.inherited:
                continue  # its sources are the offering's or vendor's, listed with that fact
            where = fact.field if fact.field.startswith("vendor") else f"offerings[{ro.id}].{fact.field}"
            if fact.field == "offering":
                where = f"offerings[{ro.id}]"
            for s in fact.sources:
                if not _openable(s):
                    bad[(ro.file, where, s)] = None
    unopenable = tuple(Unopenable(*k) for k in sorted(bad))
    return CatalogReport(day, len(catalog.offerings), tuple(rows.values()), unopenable, dict(limits))
