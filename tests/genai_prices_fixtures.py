"""Hand-made stand-ins for the ``genai-prices`` package's data objects.

``engine.catalog.importers.genai_prices.dataset_from_objects`` reads providers, models and
prices by attribute, so these plain objects — shaped like ``Provider``, ``ModelInfo``,
``ModelPrice``, ``ConditionalPrice`` (with a start-date or time-of-day constraint),
``TieredPrices`` and ``PriceVariant`` — make small datasets for one hazard each, without
the package installed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from engine.catalog.importers import genai_prices as gp
from engine.catalog.importers.genai_prices import Units, dataset_from_objects


def D(x: str | float) -> Decimal:
    return Decimal(str(x))


def mp(inp: Any = None, out: Any = None, **other: Any) -> SimpleNamespace:
    """A price set like ``genai_prices.types.ModelPrice``."""
    return SimpleNamespace(input_mtok=inp, output_mtok=out, **other)


def tiered(base: str, *tiers: tuple[int, str]) -> SimpleNamespace:
    """Like ``TieredPrices``."""
    return SimpleNamespace(base=D(base), tiers=[SimpleNamespace(start=s, price=D(p)) for s, p in tiers])


def cond(prices: SimpleNamespace, start: dt.date | None = None, daily: tuple[str, str] | None = None) -> Any:
    """Like ``ConditionalPrice`` with a start-date or time-of-day constraint."""
    constraint: Any = None
    if start is not None:
        constraint = SimpleNamespace(start_date=start)
    if daily is not None:
        constraint = SimpleNamespace(
            start_time=dt.time.fromisoformat(daily[0]), end_time=dt.time.fromisoformat(daily[1])
        )
    return SimpleNamespace(constraint=constraint, prices=prices)


def model(mid: str, prices: Any, **kw: Any) -> SimpleNamespace:
    """Like ``ModelInfo``."""
    fields = {
        "name": None,
        "context_window": None,
        "price_variants": None,
        "deprecated": None,
        "price_comments": None,
        "match": None,
    }
    fields.update(kw)
    return SimpleNamespace(id=mid, prices=prices, **fields)


def provider(pid: str, *models: SimpleNamespace, **kw: Any) -> SimpleNamespace:
    """Like ``Provider``."""
    fields = {
        "name": pid.title(),
        "pricing_urls": [f"https://{pid}.example/pricing"],
        "fallback_model_providers": None,
        "price_comments": None,
    }
    fields.update(kw)
    return SimpleNamespace(id=pid, models=list(models), **fields)


def dataset(*providers: SimpleNamespace, version: str = "0.2.3", units: Units | None = None) -> gp.Dataset:
    return dataset_from_objects(providers, version=version, units=units)
