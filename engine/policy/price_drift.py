"""Price drift: the profiles' list prices against a price dataset (``shortlist prices check``).

Each offering is matched to the dataset by provider and model:

- **provider**: the offering's operator by name against the providers' names and ids,
  ignoring case, spaces and punctuation (``Mistral AI`` → ``mistral``, ``Microsoft`` →
  ``azure`` "Microsoft Azure", ``Google Cloud`` → ``google``; an imported profile's
  operator is its provider): an exact match first, else the one provider whose name or
  id begins with the operator's name or the other way round;
- **model**: the offering's ``model_api_id`` (else its ``model``) against the provider's
  models — the dataset's id first, then the dataset's own matching rules (the ones
  ``genai_prices.calc_price`` uses) — and then, as the package does, against the models
  of the providers it falls back to (Azure → OpenAI, Google → Anthropic …); a price
  found that way says so.

The price in force on the date is compared in both (the profile's schedule applied;
the dataset's base rate, see :func:`engine.catalog.importers.genai_prices.price_on`), input and
output separately: the drift is ``100 · (profile − dataset) / dataset`` per cent, and an
offering drifts when either side is beyond the tolerance. Offerings that cannot be
matched, or whose prices cannot be compared (no list price, self-hosted, another
currency, a price the dataset cannot give), are reported with the reason, never
guessed. The CI side is the policy's ``price_drift`` section (:mod:`engine.policy.rules`);
the renderings are in :mod:`engine.reports.price_drift`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from engine.catalog.importers.genai_prices import (
    CURRENCY_OVERRIDES,
    DATASET,
    SKIP_REASONS,
    CurrencyOverride,
    Dataset,
    SourceModel,
    SourceProvider,
    make_id,
    price_on,
)
from engine.catalog.loading import ResolvedOffering
from engine.mcda.matrix import prices_on

__all__ = [
    "DEFAULT_TOLERANCE",
    "DriftReport",
    "PriceCheck",
    "compare_prices",
    "match_model",
    "match_provider",
]

DEFAULT_TOLERANCE = 5.0
"""Per cent a list price may differ from the dataset's before it counts as drift."""

Status = Literal["matched", "drifted", "unmatched", "not_compared"]
STATUSES: tuple[Status, ...] = ("drifted", "matched", "unmatched", "not_compared")


@dataclass(frozen=True)
class PriceCheck:
    """One offering's price against the dataset.

    Attributes
    ----------
    offering_id : str
    status : {"matched", "drifted", "unmatched", "not_compared"}
        ``matched``: within the tolerance; ``drifted``: beyond it on input or output;
        ``unmatched``: no provider or model in the dataset; ``not_compared``: matched
        or not, the prices cannot be compared (``reason`` says why).
    reason : str
        Plain words, with the figures.
    file : str
    line : int or None
    field : str or None
        The price the finding is about (``offerings[3].prices.input_per_mtok``, or a
        ``schedule[k]`` entry when a scheduled price is in force).
    provider, model : str or None
        The dataset's provider and model matched.
    via : str or None
        The provider whose price list held the model, when it is one the matched
        provider falls back to.
    currency : str or None
    profile, dataset : (float, float) or None
        Input and output per 1M tokens on the date.
    drift_pct : (float or None, float or None) or None
        Per side; ``None`` where the dataset's price is 0 and the profile's is not.
    """

    offering_id: str
    status: Status
    reason: str
    file: str
    line: int | None = None
    field: str | None = None
    provider: str | None = None
    model: str | None = None
    via: str | None = None
    currency: str | None = None
    profile: tuple[float, float] | None = None
    dataset: tuple[float, float] | None = None
    drift_pct: tuple[float | None, float | None] | None = None


@dataclass(frozen=True)
class DriftReport:
    """The result of :func:`compare_prices`, one check per offering, by offering id."""

    dataset_version: str
    on: dt.date
    tolerance_pct: float
    checks: tuple[PriceCheck, ...]

    def count(self, status: str) -> int:
        """How many offerings have this status."""
        return sum(1 for c in self.checks if c.status == status)

    def check(self, offering_id: str) -> PriceCheck:
        """The check of one offering (``KeyError`` when absent)."""
        for c in self.checks:
            if c.offering_id == offering_id:
                return c
        raise KeyError(offering_id)

    @property
    def drifted(self) -> tuple[PriceCheck, ...]:
        """The offerings whose price drifted beyond the tolerance."""
        return tuple(c for c in self.checks if c.status == "drifted")


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def match_provider(ro: ResolvedOffering, dataset: Dataset) -> tuple[SourceProvider | None, str]:
    """The dataset provider that sells this offering, or ``None`` and why not.

    The operator's name against each provider's name and id, ignoring case, spaces and
    punctuation: an exact match first (among several, the provider whose id is the
    vendor's id: an imported profile), else the one provider whose name or id begins
    with the operator's name or the other way round (names of 3 characters or more).

    Returns
    -------
    (SourceProvider or None, str)
        The provider and how it was matched, or ``None`` and the reason.
    """
    op = ro.offering.operator.name
    name = _norm(op)
    exact = [p for p in dataset.providers if name and name in (_norm(p.id), _norm(p.name))]
    if len(exact) > 1:
        exact = [p for p in exact if make_id(p.id) == ro.vendor.id] or exact
    if len(exact) == 1:
        return exact[0], f"operator {op!r} is provider {exact[0].id!r}"
    if not exact and len(name) >= 3:
        exact = [
            p
            for p in dataset.providers
            if any(
                len(k) >= 3 and (k.startswith(name) or name.startswith(k))
                for k in (_norm(p.id), _norm(p.name))
            )
        ]
        if len(exact) == 1:
            return exact[0], f"operator {op!r} matches provider {exact[0].id!r}"
    if exact:
        names = ", ".join(sorted(p.id for p in exact))
        return None, f"operator {op!r} matches several providers of {DATASET} {dataset.version} ({names})"
    return None, f"no provider of {DATASET} {dataset.version} is the operator {op!r}"


def _find(models: Iterable[SourceModel], ref: str) -> SourceModel | None:
    models = tuple(models)
    low = ref.lower()
    return next((m for m in models if m.id.lower() == low), None) or next(
        (m for m in models if m.matches(ref)), None
    )


def match_model(
    provider: SourceProvider, ro: ResolvedOffering, dataset: Dataset
) -> tuple[SourceModel, SourceProvider] | None:
    """The dataset model of this offering and the provider whose list holds it.

    ``model_api_id`` first, then ``model``; the provider's own models first, then those
    of the providers it falls back to (one step, as ``genai_prices`` does).
    """
    refs = [r for r in (ro.offering.model_api_id, ro.offering.model) if r]
    for ref in refs:
        found = _find(provider.models, ref)
        if found is not None:
            return found, provider
        for fid in provider.fallback:
            other = dataset.provider(fid)
            if other is not None:
                found = _find(other.models, ref)
                if found is not None:
                    return found, other
    return None


def _pct(mine: float, theirs: float) -> float | None:
    if theirs == 0:
        return 0.0 if mine == 0 else None
    return round(100.0 * (mine - theirs) / theirs, 9)  # 0.12 vs 0.1 is 20 %, not 19.999999999999996


def _fmt_pct(p: float | None) -> str:
    return "n/a (dataset price 0)" if p is None else f"{p:+.1f}%"


def _location(ro: ResolvedOffering, on: dt.date, side: str) -> tuple[int | None, str]:
    """Line and field path of the list price in force (base or a schedule entry)."""
    p = ro.offering.prices
    assert p is not None
    key = f"{side}_per_mtok"
    steps = [(i, s) for i, s in enumerate(p.schedule) if s.from_ <= on]
    if steps:
        k = max(steps, key=lambda t: t[1].from_)[0]
        return (
            ro.line_of("prices", "schedule", k, key),
            f"offerings[{ro.index}].prices.schedule[{k}].{key}",
        )
    return ro.line_of("prices", key), f"offerings[{ro.index}].prices.{key}"


def _check(
    ro: ResolvedOffering,
    dataset: Dataset,
    on: dt.date,
    tolerance: float,
    overrides: Mapping[str, CurrencyOverride],
) -> PriceCheck:
    off = ro.offering
    item = f"offerings[{ro.index}]"

    def done(status: Status, reason: str, **more: Any) -> PriceCheck:
        return PriceCheck(ro.id, status, reason, ro.file, **more)

    if off.deployment == "self-hosted" or off.operator.headquarters == "BUYER":
        at = {"line": ro.line_of("deployment"), "field": f"{item}.deployment"}
        return done("not_compared", "self-hosted: no list price", **at)
    provider, how = match_provider(ro, dataset)
    if provider is None:
        if off.prices is None:
            return done("not_compared", "no list price in the profile", line=ro.line_of("id"), field=item)
        return done("unmatched", how, line=ro.line_of("operator"), field=f"{item}.operator")
    found = match_model(provider, ro, dataset)
    if found is None and off.prices is None:
        at = {"line": ro.line_of("id"), "field": item, "provider": provider.id}
        return done("not_compared", "no list price in the profile", **at)
    if found is None:
        refs = " or ".join(repr(r) for r in (off.model_api_id, off.model) if r)
        return done(
            "unmatched",
            f"provider {provider.id!r} of {DATASET} {dataset.version} has no model {refs}",
            line=ro.line_of("model_api_id") if off.model_api_id else ro.line_of("model"),
            field=f"{item}.model_api_id" if off.model_api_id else f"{item}.model",
            provider=provider.id,
        )
    model, holder = found
    where: dict[str, Any] = {
        "provider": provider.id,
        "model": model.id,
        "via": holder.id if holder is not provider else None,
    }
    label = f"{holder.id}/{model.id}" + (f" (via {provider.id}'s fallback)" if holder is not provider else "")
    mine = prices_on(ro, on)
    if mine is None:
        return done(
            "not_compared",
            f"no list price in the profile (the dataset has {label})",
            line=ro.line_of("id"),
            field=item,
            **where,
        )
    override = overrides.get(holder.id)
    if override is not None and override.currency is None:
        return done(
            "not_compared",
            f"the currency of {holder.id!r} in the dataset is not settled: {override.reason}",
            line=ro.line_of("prices"),
            field=f"{item}.prices",
            **where,
        )
    currency = override.currency if override is not None and override.currency is not None else "USD"
    if mine[2] != currency:
        return done(
            "not_compared",
            f"the profile's price is in {mine[2]}, the dataset's in {currency}: not compared",
            line=ro.line_of("prices", "currency"),
            field=f"{item}.prices.currency",
            currency=mine[2],
            **where,
        )
    theirs = price_on(model, on, currency)
    if isinstance(theirs, str):
        return done(
            "not_compared",
            f"{label} in {DATASET} {dataset.version}: {SKIP_REASONS[theirs]}",
            line=ro.line_of("prices"),
            field=f"{item}.prices",
            **where,
        )
    prof = (float(mine[0]), float(mine[1]))
    data = (float(theirs.input), float(theirs.output))
    pcts = (_pct(prof[0], data[0]), _pct(prof[1], data[1]))
    beyond = [p is None or abs(p) > tolerance + 1e-9 for p in pcts]
    figures = (
        f"input {prof[0]:g} / output {prof[1]:g} {currency} per 1M on {on.isoformat()}; "
        f"{DATASET} {dataset.version} {label}: {data[0]:g} / {data[1]:g} "
        f"({_fmt_pct(pcts[0])} / {_fmt_pct(pcts[1])})"
    )
    if any(beyond):
        # point at the side that drifted most (input when both are the same)
        size = [float("inf") if p is None else abs(p) for p in pcts]
        side = "input" if size[0] >= size[1] else "output"
        status: Status = "drifted"
        reason = f"{figures}: beyond the {tolerance:g}% tolerance"
    else:
        side, status, reason = "input", "matched", f"{figures}: within {tolerance:g}%"
    line, fld = _location(ro, on, side)
    return done(
        status,
        reason,
        line=line,
        field=fld,
        currency=currency,
        profile=prof,
        dataset=data,
        drift_pct=pcts,
        **where,
    )


def compare_prices(
    offerings: Iterable[ResolvedOffering],
    dataset: Dataset,
    on: dt.date,
    tolerance_pct: float = DEFAULT_TOLERANCE,
    *,
    overrides: Mapping[str, CurrencyOverride] = CURRENCY_OVERRIDES,
) -> DriftReport:
    """Compare each offering's list price on ``on`` with the dataset's (pure).

    Parameters
    ----------
    offerings : iterable of ResolvedOffering
    dataset : Dataset
        From :func:`engine.catalog.importers.genai_prices.load_dataset` (or a fixture).
    on : datetime.date
        The date both prices are taken on.
    tolerance_pct : float
        Per cent, ≥ 0 (default :data:`DEFAULT_TOLERANCE`).
    overrides : mapping
        Provider currencies (default
        :data:`~engine.catalog.importers.genai_prices.CURRENCY_OVERRIDES`).

    Returns
    -------
    DriftReport
        One :class:`PriceCheck` per offering, sorted by offering id.

    Raises
    ------
    ValueError
        For a negative or non-finite tolerance.
    """
    if not (tolerance_pct >= 0 and tolerance_pct != float("inf")):
        raise ValueError(f"tolerance must be a finite number of per cent ≥ 0, found {tolerance_pct!r}")
    checks = [_check(ro, dataset, on, tolerance_pct, overrides) for ro in offerings]
    return DriftReport(dataset.version, on, tolerance_pct, tuple(sorted(checks, key=lambda c: c.offering_id)))
