"""The question catalog of a request for information (RFI): one question per field,
and who answers each (the model maker or the channel operator).

Every question ``shortlist rfi`` asks comes from :data:`QUESTIONS`, keyed by the field
of a vendor profile the answer fills (``processing_regions``, ``latency``,
``certifications.iso27001``, ``vendor.gpai_code_of_practice`` …). A question says what
is asked in the vendor's terms, the answer format, the allowed values when the answer
is one of a list (a spreadsheet then offers them as a drop-down), and the evidence
wanted. Certification questions are built from :data:`CERTIFICATIONS` (one per
certification id the profiles track), for the offering's own block
(``certifications.<id>``) or the vendor's (``vendor.certifications.<id>``).

Nothing here comes from an input file: the texts are the tool's own, and the
renderers escape the offering and vendor names they are combined with.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from engine.catalog.schema import CERTIFICATION_IDS

if TYPE_CHECKING:
    from engine.catalog.loading import Catalog, ResolvedOffering

__all__ = [
    "CERTIFICATIONS",
    "CHANNEL_FIELDS",
    "FACT_FIELDS",
    "QUESTIONS",
    "QuestionSpec",
    "operator_ids",
    "operator_key",
    "question_for",
    "recipient_of",
    "routed",
    "same_name",
]


@dataclass(frozen=True, slots=True)
class QuestionSpec:
    """One question of the catalog.

    Attributes
    ----------
    field : str
        The profile field the answer fills (the catalog key).
    ask : str
        The question, for the offering (or, for a ``vendor.`` field, the vendor).
    answer_format : str
        How to answer: the unit, the code list, the shape.
    allowed : tuple of str
        The allowed answers when the answer is one of a list; empty for free answers.
    evidence : str
        The evidence wanted with the answer.
    """

    field: str
    ask: str
    answer_format: str
    allowed: tuple[str, ...]
    evidence: str


CERTIFICATIONS: Mapping[str, tuple[str, str]] = {
    "soc2_type2": (
        "SOC 2 Type II",
        "SOC 2 Type II report (or its bridge letter) whose system description covers the service, "
        "with the audit period and the auditor",
    ),
    "iso27001": (
        "ISO/IEC 27001",
        "ISO/IEC 27001 certificate whose scope covers the service, with the certificate number, "
        "the certification body and the expiry date",
    ),
    "iso27017": (
        "ISO/IEC 27017",
        "ISO/IEC 27017 certificate (or 27001 certificate naming 27017 controls) whose scope covers "
        "the service, with the certificate number and expiry",
    ),
    "iso27018": (
        "ISO/IEC 27018",
        "ISO/IEC 27018 certificate whose scope covers the service, with the certificate number and expiry",
    ),
    "iso27701": (
        "ISO/IEC 27701",
        "ISO/IEC 27701 certificate whose scope covers the service, with the certificate number and expiry",
    ),
    "iso42001": (
        "ISO/IEC 42001",
        "ISO/IEC 42001 certificate whose scope covers the AI system behind the service, with the "
        "certificate number, the certification body and the expiry date",
    ),
    "hipaa_baa": (
        "a HIPAA business associate agreement",
        "the BAA offered for the service, or the page that says which services it covers",
    ),
    "c5": (
        "BSI C5",
        "BSI C5 attestation report (type 2) covering the service, with the audit period and the auditor",
    ),
    "secnumcloud": (
        "ANSSI SecNumCloud",
        "ANSSI SecNumCloud qualification covering the service (ANSSI's list of qualified providers), "
        "with the qualification date",
    ),
    "hds": (
        "HDS (French health data hosting)",
        "HDS certificate whose scope covers the service, with the certificate number and expiry",
    ),
    "fedramp": (
        "FedRAMP authorisation",
        "FedRAMP Marketplace entry of the service, with the impact level and the authorisation date",
    ),
    "csa_star": (
        "CSA STAR",
        "CSA STAR registry entry of the service, with its level (self-assessment, attestation or "
        "certification) and date",
    ),
}
"""Each tracked certification id: its name, and the evidence that shows it covers the service."""

if tuple(CERTIFICATIONS) != CERTIFICATION_IDS:  # pragma: no cover - a programming error
    raise RuntimeError("engine.catalog.questions: one entry per certification id, in its order")

CERTIFICATION_ANSWERS = ("certified", "claimed", "none")
"""A certification question's allowed answers: certified (certificate or report in force),
claimed (stated, no certificate to show), none."""

_ISO_REGIONS = "a list of ISO 3166-1 alpha-2 country codes (DE, FR …), or EU / EEA"


def _base() -> dict[str, QuestionSpec]:
    q = [
        QuestionSpec(
            "processing_regions",
            "In which countries can the processing of customer data (prompts, outputs, logs, "
            "caches) for this offering be kept, in the configuration you offer to EU customers?",
            _ISO_REGIONS + ", separated by commas; name every region processing may reach, "
            "sub-processors included",
            (),
            "Data processing agreement or product documentation naming the processing locations and "
            "sub-processors, with its URL or reference and date",
        ),
        QuestionSpec(
            "prices",
            "What is the list price of this offering per 1 million input tokens and per 1 million "
            "output tokens?",
            "a mapping: {input_per_mtok: 0.40, output_per_mtok: 1.20, currency: EUR} (list prices per "
            "1,000,000 tokens; the ISO 4217 currency code)",
            (),
            "Public price page or price list in force, with its URL and date",
        ),
        QuestionSpec(
            "latency",
            "What are the median time to first token and the median output speed of this offering, "
            "measured on this channel?",
            "a mapping: {ttft_s: 0.8, output_tokens_per_s: 95} (median time to first token in "
            "seconds, median output speed in tokens per second; add ttft_p95_s, the 95th percentile, "
            "if measured)",
            (),
            "Independent measurement (e.g. Artificial Analysis) or your published service metrics, "
            "with the measurement method, region and period",
        ),
        QuestionSpec(
            "capability",
            "What is this model's score on the benchmark the buyer ranks by (the criteria catalog's "
            "capability metric)?",
            "a mapping: {metric: <the benchmark, edition and variant>, value: 61.5} (index points)",
            (),
            "The benchmark publisher's page for this model, with its date",
        ),
        QuestionSpec(
            "context_window_tokens",
            "What is the largest context (prompt plus output) this offering accepts?",
            "a whole number of tokens (e.g. 131072)",
            (),
            "Product documentation or model card, with its URL",
        ),
        QuestionSpec(
            "openness",
            "Are the model's weights published, and under which licence?",
            "a mapping: {open_weights: true, licence: Apache-2.0} (licence: an SPDX licence id or "
            "LicenseRef-<name>; leave it out for closed weights)",
            (),
            "The weights' download page and the licence text, with their URLs",
        ),
        QuestionSpec(
            "zero_data_retention",
            "Can this offering be used with zero data retention (no prompts or outputs stored after "
            "the response, abuse monitoring included)?",
            "one of: available (to every customer), on_request (on approval or a plan), none",
            ("available", "on_request", "none"),
            "Contract clause, data processing agreement or documentation stating the retention terms",
        ),
        QuestionSpec(
            "operator.headquarters",
            "In which country is the legal entity that operates this channel (the contracting party) "
            "headquartered?",
            "an ISO 3166-1 alpha-2 country code",
            (),
            "Company register entry or the contract's party clause",
        ),
        QuestionSpec(
            "deployment",
            "How is this offering delivered?",
            "one of: api (your hosted API), cloud (a cloud marketplace), private-cloud (a dedicated "
            "tenant), self-hosted (the buyer runs it)",
            ("api", "cloud", "private-cloud", "self-hosted"),
            "Product documentation, with its URL",
        ),
        QuestionSpec(
            "offering",
            "Is the description of this offering (model, channel, operator, deployment, sources) "
            "still current?",
            "yes, or the corrections",
            (),
            "Current product documentation, with its URL and date",
        ),
        QuestionSpec(
            "vendor.headquarters",
            "In which country is the model developer (your company) headquartered?",
            "an ISO 3166-1 alpha-2 country code",
            (),
            "Company register entry",
        ),
        QuestionSpec(
            "vendor.gpai_code_of_practice",
            "What is your status under the EU General-Purpose AI Code of Practice?",
            "one of: signatory, partial_signatory (some chapters), not_signatory",
            ("signatory", "partial_signatory", "not_signatory"),
            "The European Commission's list of signatories, with its date",
        ),
        QuestionSpec(
            "vendor.fmti",
            "What is your score in the Stanford Foundation Model Transparency Index?",
            "a mapping: {score: 58, edition: FMTI 2025} (FMTI points from 0 to 100)",
            (),
            "The FMTI publication (report or scores file), with its URL",
        ),
        QuestionSpec(
            "vendor",
            "Is your company profile (name, headquarters, parent company, sources) still current?",
            "yes, or the corrections",
            (),
            "Company register entry or your own company page, with its date",
        ),
    ]
    for cid, (name, evidence) in CERTIFICATIONS.items():
        for prefix, whose in (("certifications", "this offering"), ("vendor.certifications", "your company")):
            q.append(
                QuestionSpec(
                    f"{prefix}.{cid}",
                    f"Does {whose} hold {name}, with a scope that covers the service the buyer uses?",
                    "one of: certified (in force, certificate or report available), claimed (stated, "
                    "no certificate to show), none",
                    CERTIFICATION_ANSWERS,
                    evidence,
                )
            )
    return {x.field: x for x in q}


QUESTIONS: Mapping[str, QuestionSpec] = _base()
"""The question catalog, keyed by profile field."""

FACT_FIELDS: Mapping[str, str] = {"residency": "processing_regions"}
"""Question field of a dated fact whose field (:attr:`engine.catalog.evidence.Fact.field`)
is not itself a catalog key (the ``residency`` block dates ``processing_regions``)."""


def question_for(field: str) -> QuestionSpec:
    """The catalog's question for a profile field (or a dated fact's field).

    Raises
    ------
    KeyError
        For a field the catalog does not know (a programming error: every field a
        ranking can leave unknown, stale or on aggregator evidence has a question).
    """
    return QUESTIONS[FACT_FIELDS.get(field, field)]


# --------------------------------------------------------------------------- who answers

CHANNEL_FIELDS = frozenset(
    {
        "processing_regions",
        "zero_data_retention",
        "prices",
        "latency",
        "operator.headquarters",
        "deployment",
        "offering",
    }
)
"""Facts of the channel (besides the offering's own certifications): its operator's to answer."""


def same_name(a: str, b: str) -> bool:
    """Whether two company names are the same, ignoring case and runs of spaces."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def operator_ids(catalog: Catalog) -> dict[str, str]:
    """Each channel operator's questionnaire id, by operator name.

    Parameters
    ----------
    catalog : Catalog

    Returns
    -------
    dict of str to str
        For every operator that runs an offering of another company's model (its name
        differs from the vendor's; not ``BUYER``): ``operator-<slug>``, the slug the
        name in ASCII lowercase with every run of other characters than ``[a-z0-9]`` a
        single ``-`` (``operator`` alone when nothing is left). Names giving the same id,
        or an id a vendor already has, get ``-2``, ``-3`` … in the order of the names
        (sorted), so ids are stable for a catalog and unique.
    """
    names = sorted({" ".join(ro.offering.operator.name.split()) for ro in catalog.offerings if routed(ro)})
    taken = {ro.vendor.id for ro in catalog.offerings}
    out: dict[str, str] = {}
    for name in names:
        if any(same_name(name, seen) for seen in out):
            continue
        slug = _slug(name)
        base = f"operator-{slug}" if slug else "operator"
        oid, k = base, 1
        while oid in taken:
            k += 1
            oid = f"{base}-{k}"
        taken.add(oid)
        out[name] = oid
    return out


def routed(ro: ResolvedOffering) -> bool:
    """Whether another company than the model maker operates the offering's channel."""
    return ro.offering.operator.headquarters != "BUYER" and not same_name(
        ro.offering.operator.name, ro.vendor.name
    )


def operator_key(ro: ResolvedOffering, ids: Mapping[str, str]) -> str:
    """The questionnaire id of the operator of ``ro`` (one of :func:`operator_ids`)."""
    name = ro.offering.operator.name
    return next(v for k, v in ids.items() if same_name(k, name))


def recipient_of(ro: ResolvedOffering, fld: str, ids: Mapping[str, str]) -> str:
    """The questionnaire id a question on ``fld`` of ``ro`` goes to (the module docstring).

    Parameters
    ----------
    ro : ResolvedOffering
    fld : str
        The question's field.
    ids : mapping
        :func:`operator_ids` of the catalog.

    Returns
    -------
    str
        The operator's id for a channel fact of an offering another company operates,
        else the vendor id.
    """
    # a sovereignty framework assesses the cloud service provider: the channel's operator
    channel = fld in CHANNEL_FIELDS or fld.startswith(("certifications.", "sovereignty."))
    return operator_key(ro, ids) if channel and routed(ro) else ro.vendor.id
