"""Vendor profiles from the price data shipped in the ``genai-prices`` package.

``shortlist import genai-prices`` reads the providers, models and prices that the
installed `genai-prices <https://github.com/pydantic/genai-prices>`_ package (MIT,
Pydantic) ships in ``genai_prices.data`` — no network — and writes one vendor profile
per provider: one ``api`` offering per model with a usable token price, its context
window when the data has one, and ``sources`` naming the package version and the
provider's pricing pages.

What the dataset does not have stays missing: headquarters (of the provider and of the
model developer), processing regions, certifications, latency, capability, openness.
The schema lets a profile leave these out (docs/catalog.md, "Vendor profiles"), and the engine
treats them as unknown.

Hazards, and what the import does about each:

- **Units.** The dataset stores prices per ``per`` tokens of a unit registry
  (``genai_prices.data_units``; ``per`` is 1,000,000 in every version seen, and the
  price keys end in ``_mtok``). Prices are converted to per 1M tokens with that ``per``
  (exact decimal arithmetic), so a per-token dataset would be converted, not misread.
- **Prices that change by date** (a list of conditional prices with start dates): the
  price in force on ``--on`` is taken with the package's own rule (the last entry whose
  start date has come, else the first), and the later known changes go to
  ``prices.schedule``.
- **Time-of-day prices** (DeepSeek's peak/off-peak windows): the peak window's rate is
  given — the dataset's own comment calls it the standard rate — and ``prices.note``
  states the windows and the off-peak rate.
- **Tiered prices** (a higher rate above a prompt size): the base rate is given, the
  tiers are in ``prices.note``.
- **Request variants** (batch, flex, priority …): the standard rate is given; the note
  names the variants.
- **Currency.** The dataset has no currency field: its documentation states USD for
  every amount. No provider whose amounts are in another currency can be established
  from the package itself; :data:`CURRENCY_OVERRIDES` is an explicit, sourced table of
  exceptions (today: OVHcloud, whose amounts come from an endpoint that states no
  currency and that the project's reference data could not settle; its models are
  skipped rather than priced in a guessed currency).
- **Models without a usable price** (no input or no output token price: embeddings,
  image, audio, per-request pricing): skipped and counted by reason.
- **Duplicate ids after slugging**: entries whose ids coincide once made a valid id are
  kept once when their prices agree, else all left out (a person decides), and counted.
- **Data date.** The dataset records no date for its data: ``as_of`` is the package's
  release date from :data:`RELEASES` (said in the vendor's ``notes``) or ``--as-of``.

Everything here is pure except :func:`write_profiles` (the writing step) and
:func:`load_dataset` (which imports the package).
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.metadata
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from engine.catalog.schema import Offering, VendorFile
from engine.catalog.yamlio import resolve_plain_scalar
from engine.errors import InputError, Issue, ShortlistError

__all__ = [
    "CURRENCY_OVERRIDES",
    "DATASET",
    "HEADER",
    "INSTALL_HINT",
    "RELEASES",
    "SKIP_REASONS",
    "CurrencyOverride",
    "Dataset",
    "ImportResult",
    "MissingPackage",
    "Period",
    "PriceOnDate",
    "Rate",
    "Skipped",
    "SourceModel",
    "SourceProvider",
    "TokenPrices",
    "build_import",
    "data_date",
    "dataset_from_objects",
    "load_dataset",
    "make_id",
    "price_on",
    "profile_files",
    "render_profile",
    "summary_text",
    "write_profiles",
]

DATASET = "genai-prices"
"""The PyPI name of the package whose data is imported."""

INSTALL_HINT = "the genai-prices package is not installed: pip install 'shortlist[import]'"
"""The one line printed when the package is not installed."""

MTOK = Decimal(1_000_000)


@dataclass(frozen=True)
class Release:
    """When a package version was published, as far as it is known, and how."""

    as_of: dt.date
    note: str


RELEASES: Mapping[str, Release] = {
    "0.2.3": Release(
        dt.date(2026, 11, 1),
        "genai-prices 0.2.3 was published in November 2026 (PyPI's release listing); the package "
        "records no date for its data, so as_of is 2026-11-01, the start of that month, and the "
        "data's age is never understated",
    ),
}
"""Release dates of the ``genai-prices`` versions this Shortlist knows. The package
records no date for its data; for a version not listed here, ``--as-of`` is needed."""


@dataclass(frozen=True)
class CurrencyOverride:
    """A provider whose amounts are not in the dataset's USD.

    Attributes
    ----------
    currency : str or None
        The ISO 4217 currency the amounts are really in; ``None`` when it cannot be
        settled: the provider's prices are then not usable and its models are skipped.
    reason, source : str
        Why, and where that was established.
    """

    currency: str | None
    reason: str
    source: str


CURRENCY_OVERRIDES: Mapping[str, CurrencyOverride] = {
    "ovhcloud": CurrencyOverride(
        None,
        "the dataset takes OVHcloud's amounts from its /v1/models endpoint, which states no "
        "currency, while OVHcloud publishes both EUR and USD price lists; the currency could not "
        "be settled",
        "genai-prices provider 'ovhcloud' (pricing URL https://oai.endpoints.kepler.ai.cloud.ovh.net"
        "/v1/models, no price comment); Shortlist's reference data (shared/reference/README.md, "
        "2026-11-29) left OVHcloud prices empty for the same reason",
    ),
}
"""Providers whose amounts are not (or not known to be) USD, by provider id. The
package itself names no such provider: every amount is documented as USD, and the two
providers that bill in CNY (``minimax``, ``zhipuai``) say in their comments that the
dataset converted them to USD."""

SKIP_REASONS: Mapping[str, str] = {
    "no_prices": "no price in the dataset",
    "no_token_prices": "no input or output token price (priced per request, image, audio or other units)",
    "input_only": "no output-token price (input only: embeddings, moderation, …)",
    "output_only": "no input-token price",
    "currency_unsettled": "currency not settled (CURRENCY_OVERRIDES)",
    "bad_id": "no valid id can be made from the model id",
    "duplicate_same": "duplicate id after slugging, same prices as the entry kept",
    "duplicate_conflict": "duplicate id after slugging with different prices (all left out: a person decides)",
    "invalid": "does not fit the vendor schema",
}
"""Why a model was not imported: stable code → plain words."""


class MissingPackage(ShortlistError):
    """The ``genai-prices`` package is not installed (the message says how to install it)."""


# --------------------------------------------------------------------------- the dataset


@dataclass(frozen=True)
class Rate:
    """One token price in the dataset's currency per 1M tokens.

    Attributes
    ----------
    base : Decimal
        The rate for prompts below the first tier (the only rate when untiered).
    tiers : tuple of (int, Decimal)
        ``(start, rate)``: from ``start`` prompt (input) tokens per request, every token
        of the request costs ``rate`` (the "cliff" model of the dataset).
    """

    base: Decimal
    tiers: tuple[tuple[int, Decimal], ...] = ()


@dataclass(frozen=True)
class TokenPrices:
    """The input and output token rates of one price entry (``None``: not priced), and
    the names of its other prices (cache reads, images, requests …), which are not
    imported."""

    input: Rate | None
    output: Rate | None
    others: tuple[str, ...] = ()


@dataclass(frozen=True)
class Period:
    """One entry of a model's price list.

    Attributes
    ----------
    prices : TokenPrices
    start : datetime.date or None
        The entry applies from this date (a start-date constraint).
    daily : (datetime.time, datetime.time) or None
        The entry applies every day in this UTC window (a time-of-day constraint).
        An entry with neither always applies.
    """

    prices: TokenPrices
    start: dt.date | None = None
    daily: tuple[dt.time, dt.time] | None = None


@dataclass(frozen=True)
class SourceModel:
    """One model of a provider in the dataset.

    Attributes
    ----------
    id : str
        The dataset's model id (also what the API calls it).
    name : str or None
    context_window : int or None
        Tokens.
    periods : tuple of Period
        The price list in the dataset's order (later entries take precedence).
    variants : tuple of str
        Request options priced separately (``processing=batch``, ``service_tier=flex``).
    deprecated : bool
    comments : str or None
        The dataset's price comments for this model.
    matcher : callable or None
        The dataset's own rule for which API model names mean this model (given a
        lowercase name); ``None``: the id itself, case-insensitively.
    """

    id: str
    name: str | None
    context_window: int | None
    periods: tuple[Period, ...]
    variants: tuple[str, ...] = ()
    deprecated: bool = False
    comments: str | None = None
    matcher: Callable[[str], bool] | None = field(default=None, compare=False, repr=False)

    def matches(self, ref: str) -> bool:
        """True when the API model name ``ref`` means this model."""
        ref = ref.lower()
        if self.matcher is not None:
            return bool(self.matcher(ref))
        return ref == self.id.lower()


@dataclass(frozen=True)
class SourceProvider:
    """One provider of the dataset: who sells API access to the models."""

    id: str
    name: str
    pricing_urls: tuple[str, ...]
    models: tuple[SourceModel, ...]
    fallback: tuple[str, ...] = ()
    comments: str | None = None


@dataclass(frozen=True)
class Dataset:
    """The dataset as read from the package: its version and providers."""

    version: str
    providers: tuple[SourceProvider, ...]

    @property
    def source(self) -> str:
        """How profiles cite it: ``pypi:genai-prices==<version> genai_prices/data.py``."""
        return f"pypi:{DATASET}=={self.version} genai_prices/data.py"

    def provider(self, provider_id: str) -> SourceProvider | None:
        """The provider with this id, if any."""
        return next((p for p in self.providers if p.id == provider_id), None)


def _rate(value: Any, factor: Decimal) -> Rate | None:
    """A price value of the package (a Decimal, or tiered prices with a base and tiers)."""
    if value is None:
        return None
    if hasattr(value, "base") and hasattr(value, "tiers"):
        tiers = tuple(sorted((int(t.start), Decimal(t.price) * factor) for t in value.tiers))
        return Rate(Decimal(value.base) * factor, tiers)
    return Rate(Decimal(value) * factor)


@dataclass(frozen=True)
class Units:
    """Where the package keeps the input and output token prices, and per how many tokens."""

    input_key: str = "input_mtok"
    output_key: str = "output_mtok"
    input_per: int = 1_000_000
    output_per: int = 1_000_000


def _token_prices(prices: Any, units: Units) -> TokenPrices:
    keys = (units.input_key, units.output_key)
    others = sorted(
        k for k, v in vars(prices).items() if v is not None and not k.startswith("_") and k not in keys
    )
    return TokenPrices(
        _rate(getattr(prices, units.input_key, None), MTOK / units.input_per),
        _rate(getattr(prices, units.output_key, None), MTOK / units.output_per),
        tuple(others),
    )


def _period(entry: Any, units: Units) -> Period:
    constraint = getattr(entry, "constraint", None)
    prices = _token_prices(entry.prices, units)
    if constraint is None:
        return Period(prices)
    if hasattr(constraint, "start_date"):
        return Period(prices, start=constraint.start_date)
    if hasattr(constraint, "start_time") and hasattr(constraint, "end_time"):
        return Period(prices, daily=(constraint.start_time, constraint.end_time))
    raise ValueError(f"unknown price constraint {type(constraint).__name__}")


def _model(m: Any, units: Units) -> SourceModel:
    raw = m.prices
    if isinstance(raw, (list, tuple)):
        periods = tuple(_period(e, units) for e in raw)
    else:
        periods = (Period(_token_prices(raw, units)),)
    variants = sorted(
        {", ".join(f"{k}={v}" for k, v in sorted(dict(pv.when).items())) for pv in (m.price_variants or ())}
    )
    match = getattr(m, "match", None)
    window = getattr(m, "context_window", None)
    return SourceModel(
        id=str(m.id),
        name=getattr(m, "name", None),
        context_window=int(window) if isinstance(window, int) else None,
        periods=periods,
        variants=tuple(variants),
        deprecated=bool(getattr(m, "deprecated", False)),
        comments=getattr(m, "price_comments", None),
        matcher=match.is_match if match is not None and hasattr(match, "is_match") else None,
    )


def dataset_from_objects(providers: Iterable[Any], *, version: str, units: Units | None = None) -> Dataset:
    """Read the package's provider objects (or look-alikes) into a :class:`Dataset`.

    Parameters
    ----------
    providers : iterable
        ``genai_prices.data.providers``: objects with ``id``, ``name``,
        ``pricing_urls``, ``models``, ``fallback_model_providers`` and
        ``price_comments``; each model with ``id``, ``name``, ``context_window``,
        ``prices`` (a price set, or a list of conditional prices with a start-date or
        time-of-day ``constraint``), ``price_variants``, ``deprecated``,
        ``price_comments`` and ``match``. Read by attribute, so tests can build
        fixtures without the package.
    version : str
        The package version, for ``sources``.
    units : Units, optional
        The price keys and their ``per`` (default: per 1,000,000 tokens, as the
        ``_mtok`` keys say).

    Returns
    -------
    Dataset
        Amounts per 1M tokens, exact (``Decimal``).
    """
    units = units or Units()
    out = []
    for p in providers:
        out.append(
            SourceProvider(
                id=str(p.id),
                name=str(p.name),
                pricing_urls=tuple(str(u) for u in (getattr(p, "pricing_urls", None) or ())),
                models=tuple(_model(m, units) for m in p.models),
                fallback=tuple(getattr(p, "fallback_model_providers", None) or ()),
                comments=getattr(p, "price_comments", None),
            )
        )
    return Dataset(version, tuple(out))


def _units() -> Units:
    """The package's unit registry entries for input and output tokens."""
    try:
        module = importlib.import_module("genai_prices.data_units")
        data = module.unit_data
        inp, out = data["input_tokens"], data["output_tokens"]
        return Units(str(inp["price_key"]), str(out["price_key"]), int(inp["per"]), int(out["per"]))
    except (ImportError, AttributeError, KeyError, TypeError, ValueError):
        return Units()  # older versions: the `_mtok` keys are per 1M tokens by name


def load_dataset() -> Dataset:
    """Read the data shipped in the installed ``genai-prices`` package (no network).

    Returns
    -------
    Dataset

    Raises
    ------
    MissingPackage
        When the package is not installed (with :data:`INSTALL_HINT`).
    """
    try:
        data = importlib.import_module("genai_prices.data")
        version = importlib.metadata.version(DATASET)
    except (ImportError, importlib.metadata.PackageNotFoundError):
        raise MissingPackage(INSTALL_HINT) from None
    return dataset_from_objects(data.providers, version=version, units=_units())


def data_date(version: str, given: dt.date | None = None) -> tuple[dt.date, str]:
    """The ``as_of`` of imported profiles and a note saying where it comes from.

    Raises
    ------
    InputError
        ``import.unknown_release`` for a version not in :data:`RELEASES` without
        ``given``.
    """
    if given is not None:
        return (
            given,
            f"as_of {given.isoformat()} was given with --as-of (the package records no date for its data)",
        )
    release = RELEASES.get(version)
    if release is None:
        raise InputError.single(
            "import.unknown_release",
            f"{DATASET} {version} records no date for its data and this Shortlist does not know when "
            "it was released: give --as-of YYYY-MM-DD (its release date on PyPI)",
        )
    return release.as_of, release.note


# --------------------------------------------------------------------------- prices on a date


@dataclass(frozen=True)
class PriceOnDate:
    """A model's usable list price on a date, per 1M tokens in the dataset's currency.

    Attributes
    ----------
    input, output : Decimal
        The base rates (see :func:`price_on`).
    since : datetime.date or None
        When the dated price in force began, if the dataset dates it.
    schedule : tuple of (date, Decimal, Decimal)
        Later known changes: from that date, input and output.
    notes : tuple of str
        Tiers, time-of-day windows, request variants, changes left out.
    """

    input: Decimal
    output: Decimal
    since: dt.date | None = None
    schedule: tuple[tuple[dt.date, Decimal, Decimal], ...] = ()
    notes: tuple[str, ...] = ()


def _num(d: Decimal) -> str:
    """A decimal amount in plain digits: ``0.15``, ``600``."""
    return format(d.normalize(), "f")


def _in_force(dated: Sequence[Period], day: dt.date) -> Period | None:
    """The package's rule: the last entry that applies on ``day``, else the first."""
    for p in reversed(dated):
        if p.start is None or p.start <= day:
            return p
    return dated[0] if dated else None


def _missing(prices: TokenPrices) -> str | None:
    """The skip reason when a price entry lacks a token price."""
    if prices.input is None and prices.output is None:
        return "no_token_prices" if prices.others else "no_prices"
    if prices.output is None:
        return "input_only"
    if prices.input is None:
        return "output_only"
    return None


def _tier_note(prices: TokenPrices, currency: str) -> str | None:
    parts = []
    for side, rate in (("input", prices.input), ("output", prices.output)):
        if rate is not None and rate.tiers:
            steps = ", ".join(f"{_num(r)} from {start:,} prompt tokens" for start, r in rate.tiers)
            parts.append(f"{side} {steps}")
    if not parts:
        return None
    return f"tiered by prompt size: the base rate is given; {'; '.join(parts)} ({currency} per 1M)"


def _hhmm(t: dt.time) -> str:
    return t.strftime("%H:%M")


def price_on(model: SourceModel, on: dt.date, currency: str = "USD") -> PriceOnDate | str:
    """The usable price of ``model`` in force on ``on``, or a skip reason code.

    Dated entries follow the package's rule (the last entry whose start date has come,
    else the first); later dated changes become the schedule. With time-of-day entries,
    the highest window rate — the standard (peak) rate — is the base, and the note
    gives the windows and the rate outside them. Tiered rates give their base rate.

    Parameters
    ----------
    model : SourceModel
    on : datetime.date
    currency : str
        Only for the wording of notes.

    Returns
    -------
    PriceOnDate or str
        A code of :data:`SKIP_REASONS` when there is no usable token price.
    """
    if not model.periods:
        return "no_prices"
    dated = [p for p in model.periods if p.daily is None]
    daily = [p for p in model.periods if p.daily is not None and _missing(p.prices) is None]
    current = _in_force(dated, on)
    notes: list[str] = []
    if daily:
        peak = max(daily, key=lambda p: (_base(p.prices.input), _base(p.prices.output)))
        windows = ", ".join(
            f"{_hhmm(p.daily[0])}–{_hhmm(p.daily[1])}" for p in daily if p.prices == peak.prices and p.daily
        )
        text = f"time-of-day prices: the peak (standard) rate of UTC {windows} is given"
        if current is not None and _missing(current.prices) is None:
            assert current.prices.input is not None and current.prices.output is not None
            text += (
                f"; at other times input {_num(current.prices.input.base)}, output "
                f"{_num(current.prices.output.base)} {currency} per 1M (on {on.isoformat()})"
            )
        notes.append(text)
        chosen, since, dated_changes = peak, None, False
    else:
        if current is None:
            return "no_prices"
        chosen, since, dated_changes = current, current.start, True
        if current.start is not None and current.start > on:  # nothing in force yet
            notes.append(
                f"the dataset's earliest price starts on {current.start.isoformat()}, after "
                f"{on.isoformat()}: it is given, as genai-prices' own calculator does"
            )
            since = None
    reason = _missing(chosen.prices)
    if reason is not None:
        return reason
    inp, out = chosen.prices.input, chosen.prices.output
    assert inp is not None and out is not None
    tiers = _tier_note(chosen.prices, currency)
    if tiers:
        notes.append(tiers)
    schedule: list[tuple[dt.date, Decimal, Decimal]] = []
    if dated_changes:
        last = (inp.base, out.base)
        for start in sorted({p.start for p in dated if p.start is not None and p.start > on}):
            step = _in_force(dated, start)
            assert step is not None
            if _missing(step.prices) is not None:
                notes.append(
                    f"a change on {start.isoformat()} has no token price in the dataset and is left out"
                )
                continue
            assert step.prices.input is not None and step.prices.output is not None
            now = (step.prices.input.base, step.prices.output.base)
            if now != last:
                schedule.append((start, *now))
                last = now
    if model.variants:
        notes.append(
            f"priced separately for other request options ({'; '.join(model.variants)}): the standard rate is given"
        )
    return PriceOnDate(inp.base, out.base, since, tuple(schedule), tuple(notes))


def _base(rate: Rate | None) -> Decimal:
    return rate.base if rate is not None else Decimal(0)


# --------------------------------------------------------------------------- profiles

_NOT_ID = re.compile(r"[^a-z0-9._-]+")

HEADER = "# Shortlist vendor profile generated by `shortlist import genai-prices` from"
"""The first line of every profile the import writes (it overwrites only such files)."""


def make_id(*parts: str) -> str:
    """Join ``parts`` with ``-`` into a valid id: lowercase letters, digits, ``.``,
    ``_`` and ``-``; other characters become ``-``; repeated ``-`` collapse; the id
    starts and ends with a letter or digit. ``""`` when nothing is left."""
    text = _NOT_ID.sub("-", "-".join(parts).lower())
    text = re.sub(r"-{2,}", "-", text)
    return text.strip("-._")


@dataclass(frozen=True)
class Skipped:
    """A model that was not imported, and why (a code of :data:`SKIP_REASONS`)."""

    provider: str
    model: str
    reason: str
    detail: str | None = None

    @property
    def label(self) -> str:
        """``provider/model``."""
        return f"{self.provider}/{self.model}"


@dataclass(frozen=True)
class ImportResult:
    """What :func:`build_import` made of the dataset.

    Attributes
    ----------
    version : str
    on, as_of : datetime.date
        The price date and the data date of the profiles.
    as_of_note : str
    profiles : tuple of dict
        One vendor profile per provider with at least one offering, as plain data in
        the order written (validated against :class:`~engine.catalog.schema.VendorFile`).
    providers, models : int
        In the dataset.
    skipped : tuple of Skipped
    empty_providers : tuple of str
        Providers none of whose models could be imported.
    """

    version: str
    on: dt.date
    as_of: dt.date
    as_of_note: str
    profiles: tuple[dict[str, Any], ...]
    providers: int
    models: int
    skipped: tuple[Skipped, ...]
    empty_providers: tuple[str, ...]

    @property
    def imported(self) -> int:
        """Offerings written."""
        return sum(len(p["offerings"]) for p in self.profiles)

    def skipped_by_reason(self) -> dict[str, list[Skipped]]:
        """Skipped models by reason code, in the order of :data:`SKIP_REASONS`."""
        out: dict[str, list[Skipped]] = {}
        for code in SKIP_REASONS:
            got = [s for s in self.skipped if s.reason == code]
            if got:
                out[code] = got
        return out


def _float(d: Decimal) -> float:
    return float(d)


def _prices_block(
    price: PriceOnDate, currency: str, version: str, on: dt.date, extra_notes: Sequence[str]
) -> dict[str, Any]:
    since = f" (since {price.since.isoformat()})" if price.since is not None else ""
    block: dict[str, Any] = {
        "input_per_mtok": _float(price.input),
        "output_per_mtok": _float(price.output),
        "currency": currency,
        "basis": f"list price in force on {on.isoformat()}{since} per {DATASET} {version}",
    }
    notes = [*price.notes, *extra_notes]
    if notes:
        block["note"] = "; ".join(notes)
    if price.schedule:
        block["schedule"] = [
            {"from": d.isoformat(), "input_per_mtok": _float(i), "output_per_mtok": _float(o)}
            for d, i, o in price.schedule
        ]
    return block


def _first_error(exc: ValidationError) -> str:
    err = exc.errors(include_url=False)[0]
    where = ".".join(str(x) for x in err["loc"])
    return f"{where}: {err['msg']}"


def build_import(
    dataset: Dataset,
    on: dt.date,
    as_of: dt.date | None = None,
    *,
    overrides: Mapping[str, CurrencyOverride] = CURRENCY_OVERRIDES,
) -> ImportResult:
    """Turn the dataset into vendor profiles (pure).

    Parameters
    ----------
    dataset : Dataset
    on : datetime.date
        Prices in force on this date are the list prices; later known changes go to
        ``prices.schedule``.
    as_of : datetime.date, optional
        The data date (default: the package's release date, :func:`data_date`).
    overrides : mapping
        Provider id → :class:`CurrencyOverride` (default :data:`CURRENCY_OVERRIDES`).

    Returns
    -------
    ImportResult
        Deterministic: the same dataset and dates give equal results.

    Raises
    ------
    InputError
        ``import.unknown_release`` (see :func:`data_date`).
    """
    day, as_of_note = data_date(dataset.version, as_of)
    skipped: list[Skipped] = []
    # (vendor id, offering id) → candidate offerings, to settle duplicates globally
    candidates: list[tuple[SourceProvider, str, SourceModel, dict[str, Any]]] = []
    vendor_ids: dict[str, str] = {}
    for provider in sorted(dataset.providers, key=lambda p: p.id):
        vid = make_id(provider.id)
        if not vid or vid in vendor_ids:
            why = "bad_id" if not vid else "duplicate_conflict"
            detail = (
                None if not vid else f"provider id {provider.id!r} gives the same id as {vendor_ids[vid]!r}"
            )
            skipped.extend(Skipped(provider.id, m.id, why, detail) for m in provider.models)
            continue
        vendor_ids[vid] = provider.id
        override = overrides.get(provider.id)
        currency = "USD" if override is None or override.currency is None else override.currency
        extra = []
        if override is not None and override.currency is not None:
            extra.append(
                f"amounts in {override.currency} although the dataset labels them USD: {override.reason} "
                f"({override.source})"
            )
        for model in sorted(provider.models, key=lambda m: m.id):
            price = price_on(model, on, currency)
            if isinstance(price, str):
                skipped.append(Skipped(provider.id, model.id, price))
                continue
            if override is not None and override.currency is None:
                skipped.append(Skipped(provider.id, model.id, "currency_unsettled", override.reason))
                continue
            oid = make_id(vid, model.id)
            if not oid or oid == vid:
                skipped.append(Skipped(provider.id, model.id, "bad_id"))
                continue
            candidates.append(
                (
                    provider,
                    oid,
                    model,
                    _offering(provider, oid, model, price, currency, dataset, on, day, extra),
                )
            )

    by_id: dict[str, list[tuple[SourceProvider, str, SourceModel, dict[str, Any]]]] = defaultdict(list)
    for c in candidates:
        by_id[c[1]].append(c)
    kept: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for oid, group in by_id.items():
        first = group[0]
        if len(group) > 1:
            labels = ", ".join(f"{p.id}/{m.id}" for p, _, m, _ in group)
            if all(g[3]["prices"] == first[3]["prices"] for g in group):
                for p, _, m, _ in group[1:]:
                    skipped.append(Skipped(p.id, m.id, "duplicate_same", f"{labels} → {oid}"))
            else:
                for p, _, m, _ in group:
                    skipped.append(Skipped(p.id, m.id, "duplicate_conflict", f"{labels} → {oid}"))
                continue
        provider, _, model, offering = first
        try:
            Offering.model_validate(offering)
        except ValidationError as exc:
            skipped.append(Skipped(provider.id, model.id, "invalid", _first_error(exc)))
            continue
        kept[make_id(provider.id)].append(offering)

    profiles: list[dict[str, Any]] = []
    empty: list[str] = []
    for provider in sorted(dataset.providers, key=lambda p: p.id):
        vid = make_id(provider.id)
        if vendor_ids.get(vid) != provider.id:
            continue
        offerings = sorted(kept.get(vid, []), key=lambda o: str(o["id"]))
        if not offerings:
            empty.append(provider.id)
            continue
        profile = _vendor(provider, vid, offerings, dataset, on, day, as_of_note, overrides.get(provider.id))
        try:  # built to fit, but the provider's own text (its comments) may not be clean
            VendorFile.model_validate(profile)
        except ValidationError as exc:
            detail = _first_error(exc)
            skipped.extend(Skipped(provider.id, str(o["model_api_id"]), "invalid", detail) for o in offerings)
            continue
        profiles.append(profile)
    order = {code: i for i, code in enumerate(SKIP_REASONS)}
    return ImportResult(
        version=dataset.version,
        on=on,
        as_of=day,
        as_of_note=as_of_note,
        profiles=tuple(profiles),
        providers=len(dataset.providers),
        models=sum(len(p.models) for p in dataset.providers),
        skipped=tuple(sorted(skipped, key=lambda s: (order[s.reason], s.provider, s.model))),
        empty_providers=tuple(empty),
    )


def _sources(provider: SourceProvider, dataset: Dataset) -> list[str]:
    return [dataset.source, *provider.pricing_urls]


def _offering(
    provider: SourceProvider,
    oid: str,
    model: SourceModel,
    price: PriceOnDate,
    currency: str,
    dataset: Dataset,
    on: dt.date,
    as_of: dt.date,
    extra_notes: Sequence[str],
) -> dict[str, Any]:
    off: dict[str, Any] = {
        "id": oid,
        "model": (model.name or "").strip() or model.id,
        "model_api_id": model.id,
        "channel": f"{provider.name} API",
        "operator": {"name": provider.name},
        "deployment": "api",
        "prices": _prices_block(price, currency, dataset.version, on, extra_notes),
    }
    if model.context_window is not None and model.context_window > 0:
        off["context_window_tokens"] = model.context_window
    off["as_of"] = as_of.isoformat()
    off["sources"] = _sources(provider, dataset)
    notes = []
    if model.deprecated:
        notes.append(f"deprecated by the provider (still listed by {DATASET})")
    if model.comments and model.comments.strip():
        notes.append(f"{DATASET}: {model.comments.strip()}")
    if notes:
        off["notes"] = " | ".join(notes)
    return off


def _vendor(
    provider: SourceProvider,
    vid: str,
    offerings: list[dict[str, Any]],
    dataset: Dataset,
    on: dt.date,
    as_of: dt.date,
    as_of_note: str,
    override: CurrencyOverride | None,
) -> dict[str, Any]:
    notes = [
        f"Imported by `shortlist import genai-prices` from {DATASET} {dataset.version} (MIT) with the "
        f"prices in force on {on.isoformat()}. The dataset has no headquarters, processing regions, "
        "certifications, latency, capability, openness or model developer: they are left out (unknown). "
        f"{as_of_note}."
    ]
    if vid != provider.id:
        notes.append(f"id made from the dataset's provider id {provider.id!r}.")
    if override is not None and override.currency is not None:
        notes.append(f"Amounts in {override.currency}: {override.reason} ({override.source}).")
    if provider.comments and provider.comments.strip():
        notes.append(f"{DATASET}: {provider.comments.strip()}")
    return {
        "schema_version": 1,
        "id": vid,
        "name": provider.name,
        "as_of": as_of.isoformat(),
        "sources": _sources(provider, dataset),
        "notes": " ".join(notes),
        "offerings": offerings,
    }


# --------------------------------------------------------------------------- YAML


class _Dumper(yaml.SafeDumper):
    """Block YAML without anchors; text the strict loader would read as something else
    (YAML 1.2 core: ``0o17``, ``1e3``) is quoted. PyYAML's pure-Python emitter, not
    libyaml's: the two write some characters differently (an emoji in a model name), and
    the files must be the same bytes on every machine."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = None if isinstance(resolve_plain_scalar(text), str) else '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_str)


def render_profile(profile: Mapping[str, Any], result: ImportResult) -> bytes:
    """One vendor profile as YAML bytes, with a header saying how it was made.

    The strict loader (:mod:`engine.catalog.yamlio`) reads it back to the same data.
    """
    header = (
        f"{HEADER}\n"
        f"# {DATASET} {result.version} with the prices in force on {result.on.isoformat()}.\n"
        '# Fields and units: README.md, "Vendor profiles". Re-run the import rather than edit.\n'
    )
    body = yaml.dump(
        dict(profile),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return (header + body).encode("utf-8")


def profile_files(result: ImportResult) -> dict[str, bytes]:
    """File name (``<vendor id>.yaml``) → YAML bytes, for every profile."""
    return {f"{p['id']}.yaml": render_profile(p, result) for p in result.profiles}


def write_profiles(files: Mapping[str, bytes], directory: str | Path) -> list[str]:
    """Write the profiles into ``directory`` (created if needed): the writing step.

    A file already there is overwritten only when an earlier import wrote it (its first
    line is :data:`HEADER`), so importing into a hand-kept vendors directory cannot
    replace its profiles; nothing is written then.

    Returns
    -------
    list of str
        Other ``*.yaml``/``*.yml`` files already in ``directory`` (they would be
        loaded with the imported profiles), sorted.

    Raises
    ------
    InputError
        ``io.would_overwrite`` (one issue per file) when a profile the import did not
        write is in the way; ``io.write_error`` when the directory or a file cannot be
        written.
    """
    d = Path(directory)
    blocked = []
    for name in sorted(files):
        target = d / name
        try:
            if target.exists() and not target.read_bytes().startswith(HEADER.encode("utf-8")):
                blocked.append(target)
        except OSError:
            blocked.append(target)
    if blocked:
        raise InputError(
            Issue(
                "io.would_overwrite",
                "exists and was not written by shortlist import genai-prices: choose another --output "
                "directory (nothing was written)",
                file=str(t),
            )
            for t in blocked
        )
    try:
        d.mkdir(parents=True, exist_ok=True)
        for name, data in sorted(files.items()):
            (d / name).write_bytes(data)
        others = sorted(
            p.name for p in d.iterdir() if p.suffix.lower() in (".yaml", ".yml") and p.name not in files
        )
    except OSError as exc:
        raise InputError.single(
            "io.write_error", f"cannot write the profiles: {exc.strerror or exc}", file=str(d)
        ) from None
    return others


def summary_text(result: ImportResult, directory: str | Path | None = None, examples: int = 3) -> str:
    """The import's summary: what was read, imported and skipped (by reason, with examples)."""
    lines = [
        f"{DATASET} {result.version}: {result.providers} providers, {result.models:,} models; "
        f"prices in force on {result.on.isoformat()}; as_of {result.as_of.isoformat()}",
        f"Imported {result.imported:,} offerings from {len(result.profiles)} providers"
        + (f" into {directory}" if directory is not None else ""),
    ]
    by_reason = result.skipped_by_reason()
    lines.append(f"Skipped {len(result.skipped):,} models" + (":" if by_reason else ""))
    if by_reason:
        width = max(len(SKIP_REASONS[c]) for c in by_reason)
        lines.append(f"  {'reason':<{width}}  {'count':>6}  examples")
        for code, items in by_reason.items():
            shown = ", ".join(s.label for s in items[:examples]) + (", …" if len(items) > examples else "")
            lines.append(f"  {SKIP_REASONS[code]:<{width}}  {len(items):>6,}  {shown}")
    if result.empty_providers:
        lines.append(
            "Providers with no importable model (no file written): " + ", ".join(result.empty_providers)
        )
    lines.append(f"as_of: {result.as_of_note}")
    return "\n".join(lines) + "\n"
