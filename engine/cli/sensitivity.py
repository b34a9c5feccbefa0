"""``shortlist sensitivity``: the robustness report of a ranking."""

from __future__ import annotations

import argparse
from typing import TextIO

from engine.cli.common import _load, _vendor_problems, _write
from engine.errors import InputError


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from engine.mcda.sensitivity.report import sensitivity_with
    from engine.reports.export import sensitivity_csv, sensitivity_json, sensitivity_table

    if args.format is None:  # --excel implies CSV; otherwise the table
        args.format = "csv" if args.excel else "table"
    if args.excel and args.format != "csv":
        raise InputError.single("usage.invalid", "--excel applies to --format csv only")
    loaded = _load(args)
    catalog, ranking = loaded.catalog, loaded.ranking
    report = sensitivity_with(
        ranking,
        loaded.priorities.robustness,
        samples=args.samples,
        seed=args.seed,
        concentration=args.concentration,
        order_text=args.order,
        order_field="--order",
        top_k=args.top_k,
    )
    order = report.acceptability.order
    if args.format == "csv":
        data: bytes | str = sensitivity_csv(report, ranking, excel=args.excel)
    elif args.format == "json":
        data = sensitivity_json(report, ranking)
    else:
        data = sensitivity_table(report, ranking)
    _write(data, args.output, out)
    if order is not None and args.concentration is not None:
        print("note: --concentration does not apply when weights are sampled within an order", file=err)
    if args.format == "csv":
        print("note: the stability intervals are per criterion: see --format table or json", file=err)
    if _vendor_problems(catalog, err, "analysed"):
        return 2
    return 0
