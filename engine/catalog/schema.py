"""Schemas of the YAML inputs (pydantic v2, frozen, strict).

Every model forbids unknown fields and is strict about types: a boolean where text is
expected, or text where a number is expected, is an error naming the field — never a
silent coercion. Dates are written ``YYYY-MM-DD``. Country codes are ISO 3166-1
alpha-2 (checked with ``pycountry``); region tokens add the groups ``EU``, ``EEA``,
``GLOBAL`` (anywhere, no guarantee) and ``BUYER`` (wherever the buyer chooses:
self-hosted or on the buyer's premises).

Ids and codes match in full and are ASCII; free text refuses control and bidi
characters (one-line fields also line breaks, tabs and surrounding whitespace), as
:mod:`engine.catalog.text` describes.

JSON Schema for each file kind: ``VendorFile.model_json_schema()`` etc.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, get_args

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from engine.catalog.dates import parse_date
from engine.catalog.licences import LICENCE_ID, SPDX_LIST_VERSION, licence_problem
from engine.catalog.ranges import (
    ANCHOR_LIMIT,
    CAPABILITY_LIMIT,
    CONTEXT_WINDOW_MAX,
    FX_RATE_MAX,
    FX_RATE_MIN,
    MAX_AGE_DAYS,
    SEED_MAX,
    WEIGHT_MAX,
)
from engine.catalog.text import ID_PATTERN, char_name, id_problem, text_problem

__all__ = [
    "CERTIFICATION_IDS",
    "EVIDENCE_STATUSES",
    "FACT_KINDS",
    "GRADES",
    "LICENCE_ID",
    "REGION_GROUPS",
    "SCHEMA_KINDS",
    "Anchors",
    "Capability",
    "CertificationBlock",
    "CriteriaFile",
    "CriterionSpec",
    "Evidence",
    "Fmti",
    "FxFile",
    "GpaiStatus",
    "Grade",
    "Latency",
    "Offering",
    "Openness",
    "Operator",
    "PriceAdjustment",
    "PriceDrift",
    "PriceStep",
    "Prices",
    "PrioritiesFile",
    "Provenance",
    "RequirementSpec",
    "ValueFunctionSpec",
    "VendorFile",
    "Workload",
    "ZeroDataRetention",
    "is_region",
    "json_schema",
    "schema_kinds",
]

EU_MEMBERS: frozenset[str] = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)
"""The 27 EU member states (ISO alpha-2; Greece is ``GR``), as of 2026."""
EEA_MEMBERS: frozenset[str] = EU_MEMBERS | {"IS", "LI", "NO"}
"""EU plus Iceland, Liechtenstein and Norway."""
REGION_GROUPS: dict[str, frozenset[str]] = {"EU": EU_MEMBERS, "EEA": EEA_MEMBERS}
SPECIAL_REGIONS = ("GLOBAL", "BUYER")

CertId = Literal[
    "soc2_type2",
    "iso27001",
    "iso27017",
    "iso27018",
    "iso27701",
    "iso42001",
    "hipaa_baa",
    "c5",
    "secnumcloud",
    "hds",
    "fedramp",
    "csa_star",
]
CERTIFICATION_IDS: tuple[str, ...] = get_args(CertId)
"""Certifications and attestations the profiles track."""
EVIDENCE_STATUSES = ("certified", "claimed", "none_found", "unknown")

# Identifiers and codes are ASCII and match in full (``fullmatch``: ``match`` with ``$``
# would accept a final newline); see :mod:`engine.catalog.text`.
_ID = ID_PATTERN  # [a-z0-9][a-z0-9._-]*
_API_ID = re.compile(r"[!-~](?:[ -~]*[!-~])?")  # printable ASCII: gpt-4o, org/Model-7B, model:1


def _parse_date(value: Any) -> Any:
    # the one date grammar (engine.catalog.dates): YYYY-MM-DD, no week/ordinal dates, no times
    return parse_date(value)


def _country(value: str) -> str:
    if not re.fullmatch(r"[A-Z]{2}", value) or pycountry.countries.get(alpha_2=value) is None:
        raise ValueError(f"expected an ISO 3166-1 alpha-2 country code, found {value!r}")
    return value


def _region(value: str) -> str:
    if value in REGION_GROUPS or value in SPECIAL_REGIONS:
        return value
    try:
        return _country(value)
    except ValueError:
        raise ValueError(
            f"expected an ISO 3166-1 alpha-2 code or one of EU, EEA, GLOBAL, BUYER; found {value!r}"
        ) from None


def is_region(token: str) -> bool:
    """True for an ISO 3166-1 alpha-2 code or a region group/special token."""
    try:
        _region(token)
    except ValueError:
        return False
    return True


def _hq(value: str) -> str:
    return value if value == "BUYER" else _country(value)


def _ident(value: str) -> str:
    problem = id_problem(value, _ID)
    if problem:
        raise ValueError(
            f"expected an id of lowercase ASCII letters, digits, '.', '_' or '-' (starting with a "
            f"letter or digit), found {problem}"
        )
    return value


def _licence(value: str) -> str:
    # on the SPDX License List, current and spelled as it spells it, or LicenseRef-<name>
    problem = licence_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _api_id(value: str) -> str:
    problem = id_problem(value, _API_ID)
    if problem:
        raise ValueError(
            f"expected a model id of printable ASCII, without leading or trailing spaces, found {problem}"
        )
    return value


def _text_error(problem: str) -> PydanticCustomError:
    # the message travels as context: text holding "{x}" is not a template
    return PydanticCustomError("text_character", "{problem}", {"problem": problem})


def _one_line(value: str) -> str:
    problem = text_problem(value)
    if problem:
        raise _text_error(problem)
    return value


def _multi_line(value: str) -> str:
    problem = text_problem(value, multiline=True)
    if problem:
        raise _text_error(problem)
    return value


def _source(value: str) -> str:
    _one_line(value)
    url = value.split(" ", 1)[0]
    if "://" in url:  # a web address, maybe followed by a remark
        bad = next((i for i, ch in enumerate(url) if not "!" <= ch <= "~"), None)
        if bad is not None:
            raise _text_error(
                "a source's web address must be printable ASCII (percent-encode other characters, "
                f"write a host name in punycode), found {char_name(url[bad])} at position {bad + 1} "
                f"of {value!r}"
            )
    return value


def _currency(value: str) -> str:
    if not re.fullmatch(r"[A-Z]{3}", value) or pycountry.currencies.get(alpha_3=value) is None:
        raise ValueError(f"expected an ISO 4217 currency code such as EUR or USD, found {value!r}")
    return value


Date = Annotated[
    dt.date,
    BeforeValidator(_parse_date),
    Field(description="A date YYYY-MM-DD from 1970-01-01 to 2999-12-31 (no week or ordinal dates, no time)."),
]
# The same rules for editors, in JSON Schema (ECMA-262 patterns; the loader says more).
# ``$(?!\n)``: Python's ``re`` (the jsonschema library) lets ``$`` match before a final newline.
_END = "$(?!\\n)"
_BAD = r"\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029"
_ONE_LINE_JS = {"pattern": f"^[^{_BAD}\\t\\n]*{_END}"}
_MULTI_LINE_JS = {"pattern": f"^[^{_BAD}]*$"}
Text = Annotated[str, Field(min_length=1, json_schema_extra=_ONE_LINE_JS), AfterValidator(_one_line)]
"""One line of free text: no control or bidi characters, nothing blank or invisible at its ends."""
Note = Annotated[str, Field(min_length=1, json_schema_extra=_MULTI_LINE_JS), AfterValidator(_multi_line)]
"""Free text that may span lines (line feed and tab allowed; see :mod:`engine.catalog.text`)."""
Ident = Annotated[
    str, Field(json_schema_extra={"pattern": f"^[a-z0-9][a-z0-9._-]*{_END}"}), AfterValidator(_ident)
]
ApiId = Annotated[str, AfterValidator(_api_id)]
"""A provider's model id (printable ASCII, no surrounding spaces), matched against price data."""
Country = Annotated[str, AfterValidator(_country)]
Region = Annotated[str, AfterValidator(_region)]
Headquarters = Annotated[str, AfterValidator(_hq)]
Licence = Annotated[
    str,
    Field(
        json_schema_extra={
            "pattern": f"^(?!LicenseRef-[.\\-]*$)(LicenseRef-[A-Za-z0-9.\\-]+|[A-Za-z0-9.\\-]+){_END}"
        },
        description=(
            f"An id on the SPDX License List {SPDX_LIST_VERSION}, spelled as the list spells it and "
            "not deprecated (MIT, Apache-2.0, GPL-3.0-only; no '+': write the -or-later id), or "
            "LicenseRef-<name> for a licence not on the list (not an SPDX id under another name); "
            "leave it out when not known. Checked by shortlist validate."
        ),
    ),
    AfterValidator(_licence),
]
Currency = Annotated[str, AfterValidator(_currency)]


def _whole_number_literal(value: Any) -> Any:
    # Strict mode does not reach a Literal: ``Literal[1]`` compares by equality, so the
    # YAML boolean ``true`` (== 1) and the float ``1.0`` would pass as the number 1.
    if isinstance(value, (bool, float)):
        raise PydanticCustomError("literal_error", "Input should be 1 (a whole number)")
    return value


SchemaVersion = Annotated[Literal[1], BeforeValidator(_whole_number_literal)]
"""The file format's version: the whole number 1 (not ``true``, ``1.0`` or ``"1"``)."""


def _plus_zero(x: float) -> float:
    return x + 0.0  # -0.0 → 0.0, so no output ever shows "-0"


# Plausibility limits (engine.catalog.ranges; docs/catalog.md "Number ranges"): far beyond any real
# offering, they keep arithmetic finite (a price of 1e308 would overflow the monthly cost
# to infinity). Every number of every file kind has one; the description says it, so
# `shortlist schema` shows it.
_Z = AfterValidator(_plus_zero)
Price = Annotated[
    float, Field(ge=0, le=1e6, allow_inf_nan=False, description="Money per 1M tokens: 0 to 10^6."), _Z
]
"""Money per 1M tokens: 0 to 1,000,000."""
Seconds = Annotated[
    float, Field(gt=0, le=3600, allow_inf_nan=False, description="Seconds: above 0, at most 3600."), _Z
]
"""A latency: above 0, at most an hour."""
Speed = Annotated[
    float, Field(ge=0.01, le=1e6, allow_inf_nan=False, description="Tokens per second: 0.01 to 10^6."), _Z
]
"""Tokens per second: 0.01 to 1,000,000."""
Volume = Annotated[
    float, Field(ge=0, le=1e15, allow_inf_nan=False, description="Tokens per month: 0 to 10^15."), _Z
]
"""Tokens per month: 0 to 10^15."""
Money = Annotated[
    float, Field(ge=0, le=1e12, allow_inf_nan=False, description="A monthly amount: 0 to 10^12."), _Z
]
"""A monthly amount: 0 to 10^12."""
Weight = Annotated[
    float,
    Field(ge=0, le=WEIGHT_MAX, allow_inf_nan=False, description="A weight (any scale): 0 to 10^6."),
    _Z,
]
"""A weight on any scale (per cent, points): 0 to 10^6."""
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False, description="A share: 0 to 1."), _Z]
"""A share or utility: 0 to 1."""
Bound = Annotated[
    float,
    Field(
        ge=0,
        allow_inf_nan=False,
        description="A normalised weight bound: 0 to 1 (checked with the criteria).",
    ),
    _Z,
]
"""A weight bound: ≥ 0 here; above 1 is refused with the criteria (engine.mcda.sensitivity)."""
AnchorValue = Annotated[
    float,
    Field(
        ge=-ANCHOR_LIMIT,
        le=ANCHOR_LIMIT,
        allow_inf_nan=False,
        description=(
            "A value-function anchor in the criterion's unit, within the criterion's range "
            "(monthly_cost 0 to 10^15, response_time 0 to 10^9 s, capability -10^6 to 10^6, "
            "context_window 1 to 10^9 tokens, shares 0 to 1, transparency 0 to 100); "
            "worst and best differ."
        ),
    ),
    _Z,
]
"""A value-function anchor: finite, within the criterion's range (engine.catalog.ranges)."""
Source = Annotated[str, Field(min_length=1, json_schema_extra=_ONE_LINE_JS), AfterValidator(_source)]
"""A source: one line; a web address it starts with is printable ASCII."""
Sources = tuple[Source, ...]

FactKind = Literal[
    "profile",
    "prices",
    "residency",
    "retention",
    "openness",
    "certifications",
    "gpai",
    "latency",
    "capability",
    "transparency",
]
FACT_KINDS: tuple[str, ...] = get_args(FactKind)
"""Kinds of dated fact, each with its own maximum age (:mod:`engine.catalog.evidence`)."""
AgeDays = Annotated[int, Field(gt=0, le=MAX_AGE_DAYS, description="Days: a whole number from 1 to 36500.")]
MaxAges = dict[FactKind, AgeDays]
"""Maximum age in days per kind of fact."""

Grade = Literal["primary", "independent", "vendor-declared", "secondary", "aggregator"]
"""How strong a fact's evidence is: ``primary`` (the vendor's own documents, price page,
contract or model card; a certifier's or regulator's register), ``independent``
(measurement organisations such as Artificial Analysis or Stanford's FMTI),
``vendor-declared`` (the vendor's own answer to a questionnaire), ``secondary`` (press,
analysts), ``aggregator`` (price datasets, review sites, generated pages)."""
GRADES: tuple[str, ...] = get_args(Grade)
"""Evidence grades, strongest first (see :mod:`engine.catalog.evidence`)."""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    @model_validator(mode="before")
    @classmethod
    def _lists_to_tuples(cls, data: Any) -> Any:
        # YAML gives lists; the frozen models hold tuples (strict mode would refuse).
        if isinstance(data, dict):
            return {k: _tuples(v) for k, v in data.items()}
        return data


def _graded(model: Any, what: str = "evidence") -> None:
    """A block that grades its evidence names its own sources and date."""
    if getattr(model, "evidence", None) is not None:
        missing = [k for k in ("as_of", "sources") if not getattr(model, k, None)]
        if missing:
            raise ValueError(f"{what} is graded, so give its own {' and '.join(missing)} as well")


def _tuples(v: Any) -> Any:
    """Lists (also nested, and lists that are values of a plain mapping) → tuples."""
    if isinstance(v, list):
        return tuple(_tuples(x) for x in v)
    if isinstance(v, dict):
        return {k: tuple(_tuples(x) for x in x_) if isinstance(x_, list) else x_ for k, x_ in v.items()}
    return v


# --------------------------------------------------------------------------- vendors


class Evidence(_Model):
    """Evidence for one certification: ``certified``, ``claimed``, ``none_found`` or
    ``unknown``, with an optional note (scope, who holds it, where it was read).

    An item may carry its own ``as_of``, ``sources`` and ``evidence`` grade (e.g. a C5
    attestation read on the certifier's register); otherwise its block's apply. A
    ``certified`` item on ``secondary`` or ``aggregator`` evidence alone counts as
    ``claimed`` (:func:`engine.catalog.evidence.certification_status`)."""

    status: Literal["certified", "claimed", "none_found", "unknown"]
    note: Note | None = None
    as_of: Date | None = None
    evidence: Grade | None = None
    sources: Sources = ()

    @model_validator(mode="after")
    def _provenance(self) -> Evidence:
        _graded(self, "this certification")
        return self


class CertificationBlock(_Model):
    """Certifications of whoever processes the data, with provenance."""

    as_of: Date | None = None
    evidence: Grade | None = None
    sources: Sources = ()
    note: Note | None = None
    items: dict[CertId, Evidence] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _provenance(self) -> CertificationBlock:
        _graded(self, "the certifications block")
        bare = [
            k for k, v in self.items.items() if v.status == "none_found" and not (v.sources or self.sources)
        ]
        if bare:
            raise ValueError(
                f"none_found means looked up and not found: give the sources that were searched "
                f"(the block's or the item's sources, with as_of) for {', '.join(bare)}"
            )
        return self


class GpaiStatus(_Model):
    """EU General-Purpose AI Code of Practice status of the model developer."""

    status: Literal["signatory", "partial_signatory", "not_signatory", "unknown"]
    as_of: Date | None = None
    evidence: Grade | None = None
    sources: Sources = ()
    note: Note | None = None

    @model_validator(mode="after")
    def _provenance(self) -> GpaiStatus:
        _graded(self, "gpai_code_of_practice")
        return self


class Fmti(_Model):
    """Foundation Model Transparency Index score (0–100) of the model developer."""

    score: Annotated[
        float, Field(ge=0, le=100, allow_inf_nan=False, description="FMTI points: 0 to 100."), _Z
    ]
    edition: Text
    as_of: Date | None = None
    evidence: Grade | None = None
    sources: Sources = ()
    note: Note | None = None

    @model_validator(mode="after")
    def _provenance(self) -> Fmti:
        _graded(self, "fmti")
        return self


class Operator(_Model):
    """Who runs the channel and processes the data; ``BUYER`` when self-hosted.

    ``headquarters`` absent: not known (e.g. a profile imported from a price dataset),
    which the jurisdiction criterion and ``operator_hq`` must-haves treat as unknown.
    """

    name: Text
    headquarters: Headquarters | None = None


class PriceStep(_Model):
    """A list price that takes effect on a future date."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, populate_by_name=True)
    from_: Date = Field(alias="from")
    input_per_mtok: Price
    output_per_mtok: Price
    note: Note | None = None


class Prices(_Model):
    """Token prices per 1M tokens in ``currency``; the unit is in the field name, so a
    per-1K price cannot be written by mistake."""

    input_per_mtok: Price
    output_per_mtok: Price
    currency: Currency
    basis: Text | None = None
    note: Note | None = None
    schedule: tuple[PriceStep, ...] = ()
    input_per_mtok_low: Price | None = None
    input_per_mtok_high: Price | None = None
    output_per_mtok_low: Price | None = None
    output_per_mtok_high: Price | None = None
    as_of: Date | None = None
    evidence: Grade | None = None
    sources: Sources = ()

    @model_validator(mode="after")
    def _range_brackets_price(self) -> Prices:
        _graded(self, "prices")
        # An optional plausible range around the list price (e.g. a quote still under
        # negotiation); the robustness analysis (SMAA) samples it. A missing bound is
        # the list price itself.
        for k in ("input_per_mtok", "output_per_mtok"):
            v, lo, hi = getattr(self, k), getattr(self, f"{k}_low"), getattr(self, f"{k}_high")
            if lo is not None and lo > v:
                raise ValueError(f"{k}_low ({lo:g}) must be ≤ {k} ({v:g})")
            if hi is not None and hi < v:
                raise ValueError(f"{k}_high ({hi:g}) must be ≥ {k} ({v:g})")
        return self


class Latency(_Model):
    """Time to first token (s) and output speed (tokens/s), medians; optionally the
    95th-percentile time to first token, which the robustness analysis (SMAA) uses as
    the slow end of the response-time range."""

    ttft_s: Seconds | None = None
    output_tokens_per_s: Speed | None = None
    ttft_p95_s: Seconds | None = None
    as_of: Date | None = None
    evidence: Grade | None = None
    sources: Sources = ()
    note: Note | None = None

    @model_validator(mode="after")
    def _p95_not_below_median(self) -> Latency:
        _graded(self, "latency")
        if self.ttft_p95_s is not None:
            if self.ttft_s is None:
                raise ValueError("ttft_p95_s needs ttft_s (the median) as well")
            if self.ttft_p95_s < self.ttft_s:
                raise ValueError(f"ttft_p95_s ({self.ttft_p95_s:g}) must be ≥ ttft_s ({self.ttft_s:g})")
        return self


class Capability(_Model):
    """A capability benchmark value with its metric name and version."""

    metric: Text
    value: Annotated[
        float,
        Field(
            ge=-CAPABILITY_LIMIT,
            le=CAPABILITY_LIMIT,
            allow_inf_nan=False,
            description="Benchmark value: a finite number from -10^6 to 10^6.",
        ),
        _Z,
    ]
    as_of: Date | None = None
    evidence: Grade | None = None
    sources: Sources = ()
    note: Note | None = None

    @model_validator(mode="after")
    def _provenance(self) -> Capability:
        _graded(self, "capability")
        return self


class Openness(_Model):
    """Whether weights are published, and under which licence."""

    open_weights: bool
    licence: Licence | None = None
    note: Note | None = None
    as_of: Date | None = None
    evidence: Grade | None = None
    sources: Sources = ()

    @model_validator(mode="after")
    def _provenance(self) -> Openness:
        _graded(self, "openness")
        return self


class ZeroDataRetention(_Model):
    """Zero-data-retention availability."""

    status: Literal["available", "on_request", "none_found", "unknown"]
    note: Note | None = None
    as_of: Date | None = None
    evidence: Grade | None = None
    sources: Sources = ()

    @model_validator(mode="after")
    def _provenance(self) -> ZeroDataRetention:
        _graded(self, "zero_data_retention")
        return self


class Provenance(_Model):
    """Where a fact written elsewhere in the offering comes from: its date, its
    sources and the grade of its evidence (``residency`` for ``processing_regions``).

    A ``residency`` block without ``processing_regions`` records a search that found
    none: where (``sources``) and when (``as_of``) the regions were looked up — *none
    found*, which reports keep apart from *unknown* (never looked up)."""

    as_of: Date
    evidence: Grade | None = None
    sources: Annotated[Sources, Field(min_length=1)]
    note: Note | None = None


class Offering(_Model):
    """One buyable alternative: a model from a vendor through a channel."""

    id: Ident
    model: Text
    model_api_id: ApiId | None = None
    channel: Text
    operator: Operator
    deployment: Literal["api", "cloud", "private-cloud", "self-hosted"]
    # absent: not known (an empty list is an error: it would say "nowhere")
    processing_regions: Annotated[tuple[Region, ...], Field(min_length=1)] | None = None
    residency_note: Note | None = None
    residency: Provenance | None = None
    prices: Prices | None = None
    context_window_tokens: (
        Annotated[
            int, Field(gt=0, le=CONTEXT_WINDOW_MAX, description="Tokens: a whole number from 1 to 10^9.")
        ]
        | None
    ) = None
    latency: Latency | None = None
    capability: Capability | None = None
    openness: Openness | None = None
    zero_data_retention: ZeroDataRetention | None = None
    certifications: CertificationBlock | None = None
    as_of: Date
    evidence: Grade | None = None
    sources: Annotated[Sources, Field(min_length=1)]
    notes: Note | None = None


class VendorFile(_Model):
    """A vendor profile file: the legal entity and its offerings.

    ``headquarters`` absent: not known (the jurisdiction criterion and ``developer_hq``
    must-haves then treat it as unknown, never as some country).
    """

    schema_version: SchemaVersion
    id: Ident
    name: Text
    headquarters: Country | None = None
    parent: Text | None = None
    as_of: Date
    evidence: Grade | None = None
    sources: Annotated[Sources, Field(min_length=1)]
    notes: Note | None = None
    gpai_code_of_practice: GpaiStatus | None = None
    fmti: Fmti | None = None
    certifications: CertificationBlock | None = None
    offerings: Annotated[tuple[Offering, ...], Field(min_length=1)]


# --------------------------------------------------------------------------- criteria


class ValueFunctionSpec(_Model):
    """How a performance value maps to a utility in [0, 1].

    ``linear`` and ``log`` interpolate between fixed ``worst`` and ``best`` anchors
    (``log`` on log10 of the value; both anchors > 0) and clip outside them;
    ``levels`` maps categorical levels to utilities.
    """

    type: Literal["linear", "log", "levels"]
    worst: AnchorValue | None = None
    best: AnchorValue | None = None
    levels: dict[Ident, Share] | None = None


class CriterionSpec(_Model):
    """One criterion of the catalog."""

    id: Ident
    label: Text
    unit: Text
    direction: Literal["min", "max"]
    value_function: ValueFunctionSpec
    missing: Literal["worst", "exclude", "fail"]
    description: Note
    metric: Text | None = None
    scale: Literal["fixed", "relative"] = "fixed"


class CriteriaFile(_Model):
    """The criteria catalog file (``criteria/criteria.yaml``)."""

    schema_version: SchemaVersion
    criteria: Annotated[tuple[CriterionSpec, ...], Field(min_length=1)]
    max_age_days: MaxAges = Field(default_factory=dict)


class FxFile(_Model):
    """A dated exchange-rate table: units of each currency per 1 ``base``."""

    schema_version: SchemaVersion
    base: Currency
    as_of: Date
    sources: Annotated[Sources, Field(min_length=1)]
    rates: dict[
        Currency,
        Annotated[
            float,
            Field(
                ge=FX_RATE_MIN,
                le=FX_RATE_MAX,
                allow_inf_nan=False,
                description="Units of the currency per 1 base: 10^-6 to 10^7.",
            ),
        ],
    ]


# --------------------------------------------------------------------------- priorities


class Workload(_Model):
    """The buyer's monthly volume and typical answer length."""

    input_tokens_per_month: Volume
    output_tokens_per_month: Volume
    answer_tokens: Annotated[
        float,
        Field(gt=0, le=1e7, allow_inf_nan=False, description="Tokens per answer: above 0, at most 10^7."),
    ] = 500
    currency: Currency = "EUR"


class RequirementSpec(_Model):
    """A must-have. See :mod:`engine.mcda.requirements` for fields and operators."""

    id: Ident
    field: Text
    op: Literal["within", "subset_of", "in", "not_in", "includes_all", "equals", "min", "max", "max_age_days"]
    value: Any
    min_evidence: Literal["certified", "claimed"] = "claimed"
    min_grade: Grade | None = None
    allow_unknown: bool = False
    message: Text | None = None


class Anchors(_Model):
    """Buyer-specific anchors for a criterion's value function."""

    worst: AnchorValue
    best: AnchorValue


class PriceAdjustment(_Model):
    """A buyer-specific price: a negotiated discount and/or a fixed monthly fee
    (e.g. the infrastructure cost of a self-hosted offering)."""

    discount_pct: Annotated[
        float, Field(ge=0, lt=100, allow_inf_nan=False, description="Per cent: from 0, below 100."), _Z
    ] = 0.0
    monthly_fixed: Money = 0.0
    currency: Currency | None = None
    note: Note | None = None


class Ahp(_Model):
    """AHP pairwise comparisons: ``matrix[i][j]`` says how many times more important
    ``criteria[i]`` is than ``criteria[j]`` (Saaty's 1–9 scale; reciprocal)."""

    criteria: tuple[Ident, ...]
    matrix: tuple[
        tuple[
            Annotated[
                float,
                Field(
                    allow_inf_nan=False,
                    description=(
                        "A positive ratio from 10^-6 to 10^6 (Saaty's scale: 1/9 to 9); "
                        "checked with the criteria, the cell named."
                    ),
                ),
            ],
            ...,
        ],
        ...,
    ]


class Robustness(_Model):
    """Settings of the robustness analysis (``shortlist sensitivity``).

    ``concentration`` is the Dirichlet concentration of the SMAA weight sampling
    (larger: samples closer to the buyer's weights); ``weight_order`` switches to
    uniform sampling restricted to that order of criteria; ``weight_bounds`` limit how
    far "what would it take" may move each weight.
    """

    samples: Annotated[int, Field(ge=1, le=1_000_000, description="A whole number from 1 to 10^6.")] = 10_000
    seed: Annotated[int, Field(ge=0, le=SEED_MAX, description="A whole number from 0 to 2^32-1.")] = 0
    concentration: Annotated[
        float, Field(ge=0.01, le=1e6, allow_inf_nan=False, description="A number from 0.01 to 10^6.")
    ] = 50.0
    weight_order: Text | None = None
    weight_bounds: dict[Ident, tuple[Bound, Bound]] = Field(
        default_factory=dict,
        description="Criterion → (low, high) normalised weight, each 0 to 1 (checked with the criteria).",
    )
    top_k: Annotated[int, Field(ge=1, le=1000, description="A whole number from 1 to 1000.")] = 3


class PrioritiesFile(_Model):
    """One buyer's priorities: weights, must-haves and workload.

    Weights come from exactly one of ``weights`` (direct), ``weight_order`` (a plain
    ordering, rank-order centroid weights) or ``ahp`` (pairwise comparisons).
    """

    schema_version: SchemaVersion
    name: Text
    description: Note | None = None
    method: Literal["weighted-sum", "weighted-product", "topsis"] = "weighted-sum"
    weights: dict[Ident, Weight] = Field(default_factory=dict)
    weight_order: Text | None = None
    ahp: Ahp | None = None
    robustness: Robustness = Field(default_factory=Robustness)
    workload: Workload
    allowed_regions: tuple[Region, ...] = ("EU", "EEA")
    trusted_jurisdictions: tuple[Region, ...] = ("EU", "EEA")
    wanted_certifications: tuple[CertId, ...] = ()
    claimed_credit: Share = 0.5
    buyer_certifications: tuple[CertId, ...] | None = Field(
        default=None,
        description=(
            "Certifications the buyer holds for what it operates itself: a self-hosted offering "
            "(operator headquarters BUYER) is judged on these, at certification must-haves and on "
            "compliance. Absent: not declared (such must-haves are unknown, the buyer's input)."
        ),
    )
    requirements: tuple[RequirementSpec, ...] = ()
    sovereignty_framework: Ident | None = Field(
        default=None,
        description=(
            "The sovereignty framework (criteria/sovereignty/<id>.yaml) the sovereignty criterion and "
            "seal must-haves use; absent: the catalog's only framework, or eucsf-1.2.1."
        ),
    )
    sovereignty_weights: Ident | None = Field(
        default=None,
        description="The framework's weight set the sovereignty score uses; absent: its default_weight_set.",
    )
    anchors: dict[Ident, Anchors] = Field(default_factory=dict)
    price_adjustments: dict[Ident, PriceAdjustment] = Field(default_factory=dict)
    on_date: Date | None = None
    stale_after_days: (
        Annotated[
            int,
            Field(
                gt=0,
                le=MAX_AGE_DAYS,
                description="Days: a whole number from 1 to 36500; the old name of max_age_days.profile.",
            ),
        ]
        | None
    ) = None
    max_age_days: MaxAges = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_weight_source(self) -> PrioritiesFile:
        given = [k for k in ("weights", "weight_order", "ahp") if getattr(self, k)]
        if len(given) != 1:
            found = " and ".join(given) if given else "none"
            raise ValueError(f"give exactly one of weights, weight_order or ahp (found {found})")
        for name in ("wanted_certifications", "buyer_certifications"):
            ids = getattr(self, name) or ()
            twice = sorted({c for c in ids if ids.count(c) > 1})
            if twice:
                raise ValueError(
                    f"{name} lists {', '.join(twice)} more than once: write each certification once"
                )
        return self

    @field_validator("max_age_days")
    @classmethod
    def _one_profile_limit(cls, value: dict[str, int], info: ValidationInfo) -> dict[str, int]:
        alias = info.data.get("stale_after_days")
        own = value.get("profile")
        if alias is not None and own is not None and alias != own:
            raise ValueError(
                f"stale_after_days ({alias}) is the old name of max_age_days.profile ({own}): give one of them"
            )
        return value


# --------------------------------------------------------------------------- policies


class PolicyRule(RequirementSpec):
    """A CI rule: a requirement (same fields and operators as a must-have) with a
    severity. ``deny`` findings fail ``shortlist check`` by default; ``warn`` findings
    fail it only with ``--fail-on warn``."""

    severity: Literal["deny", "warn"] = "deny"


class Waiver(_Model):
    """An exception to one rule for one offering, with who approved it and until when.

    ``expires`` is read as given and checked by :mod:`engine.policy`, so that a missing
    or malformed date does not make the whole policy unreadable: such a waiver does not
    waive (it fails closed) and is reported.
    """

    rule: Ident
    offering: Ident
    reason: Note
    approver: Text
    expires: Any = None


class MinScore(_Model):
    """Every approved offering must score at least ``score`` (0–100) under the
    policy's priorities file."""

    score: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False, description="Score: 0 to 100."), _Z]
    severity: Literal["deny", "warn"] = "deny"


class PriceDrift(_Model):
    """Compare every offering's list price with the ``genai-prices`` dataset: a price
    more than ``tolerance_pct`` per cent away from the dataset's (input or output, on
    the policy's price date) is a finding of ``severity`` (``warn`` by default). Needs
    the package (``pip install 'shortlist[import]'``)."""

    tolerance_pct: Annotated[
        float, Field(ge=0, le=1000, allow_inf_nan=False, description="Per cent: 0 to 1000."), _Z
    ] = 5.0
    severity: Literal["deny", "warn"] = "warn"


class PolicyFile(_Model):
    """A CI policy: rules, approved offerings, a minimum score and waivers.

    ``priorities`` (a preset name, or a path relative to the policy file, resolved by
    the adapter's namespace: see :class:`engine.catalog.loading.PrioritiesResolver`) gives the
    workload, regions and weights that criterion rules (``monthly_cost max …``) and
    ``min_score`` are evaluated under.
    """

    schema_version: SchemaVersion
    name: Text
    description: Note | None = None
    priorities: Text | None = None
    approved: tuple[Ident, ...] = ()
    rules: tuple[PolicyRule, ...] = ()
    min_score: MinScore | None = None
    price_drift: PriceDrift | None = None
    max_waiver_days: Annotated[
        int, Field(ge=1, le=3650, description="Days: a whole number from 1 to 3650.")
    ] = 365
    waivers: tuple[Waiver, ...] = ()


SCHEMA_KINDS: dict[str, type[BaseModel]] = {
    "vendor": VendorFile,
    "priorities": PrioritiesFile,
    "policy": PolicyFile,
    "criteria": CriteriaFile,
}
"""The YAML file kinds of this module ``shortlist schema`` describes (:func:`schema_kinds`
adds the sovereignty framework's)."""


def schema_kinds() -> dict[str, type[BaseModel]]:
    """Every YAML file kind ``shortlist schema`` describes: :data:`SCHEMA_KINDS` and the
    sovereignty framework's two files, ``sovereignty-framework``
    (``criteria/sovereignty/<id>.yaml``) and ``sovereignty-rules`` (``<id>.rules.yaml``),
    whose models live in :mod:`engine.catalog.sovereignty` (imported here lazily: that
    module builds on this one)."""
    from engine.catalog.sovereignty import FrameworkFile, RulesFile

    return {**SCHEMA_KINDS, "sovereignty-framework": FrameworkFile, "sovereignty-rules": RulesFile}


def json_schema(kind: str) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of one YAML file kind, generated from its model.

    Editors validate as people type with it (yaml-language-server: a
    ``# yaml-language-server: $schema=<file>`` first line). It checks structure, types,
    ranges and unknown fields; checks that need other files (known criteria, the
    catalog's offering ids, exchange rates) stay with ``shortlist validate``.

    Raises
    ------
    KeyError
        For a kind not in :func:`schema_kinds`.
    """
    model = schema_kinds()[kind]
    body = model.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **body,
    }
