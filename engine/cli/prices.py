"""``shortlist prices check``: the profiles' prices against the genai-prices dataset."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TextIO

from engine.catalog.loading import (
    catalog_roots,
    load_catalog,
)
from engine.cli.common import _dirs, _vendor_problems, _write


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from engine.catalog.importers.genai_prices import MissingPackage, load_dataset
    from engine.policy.price_drift import compare_prices
    from engine.reports.price_drift import drift_json, drift_text

    criteria_dir, vendors_dir = _dirs(args)
    try:
        dataset = load_dataset()
    except MissingPackage as exc:
        print(str(exc), file=err)
        return 2
    catalog = load_catalog([vendors_dir], roots=catalog_roots(vendors_dir, criteria_dir))
    report = compare_prices(catalog.offerings, dataset, args.on or dt.date.today(), args.tolerance)
    text = drift_json(report) if args.format == "json" else drift_text(report)
    _write(text, args.output, out, binary=args.format == "json")
    if _vendor_problems(catalog, err, "checked"):
        return 2
    return 1 if report.drifted else 0
