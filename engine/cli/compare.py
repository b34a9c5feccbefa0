"""``shortlist compare``: two to four offerings side by side."""

from __future__ import annotations

import argparse
from typing import TextIO

from engine.cli.common import _load, _vendor_problems, _write
from engine.errors import InputError, Issue


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from engine.mcda.comparison import comparison
    from engine.reports.compare import comparison_csv, comparison_json, comparison_markdown, comparison_table

    loaded = _load(args)
    catalog, ranking = loaded.catalog, loaded.ranking
    rob = loaded.priorities.robustness
    report = None
    if ranking.ranked:
        from engine.mcda.sensitivity.report import sensitivity_with

        report = sensitivity_with(ranking, rob)
    from engine.mcda.unknowns import ranges_of

    ranges = ranges_of(ranking, loaded.priorities, cut=rob.top_k)
    try:
        comp = comparison(
            ranking,
            catalog,
            args.offering_ids,
            report=report,
            weight_bounds=dict(rob.weight_bounds),
            ranges=ranges,
            cut=rob.top_k,
        )
    except InputError as exc:
        if not catalog.issues or not any(i.code == "compare.unknown_offering" for i in exc.issues):
            raise
        broken = (
            f" ({len(catalog.issues)} vendor file problem(s) above: it may be in a file that did not load)"
        )
        issues = [
            Issue(i.code, i.message + broken) if i.code == "compare.unknown_offering" else i
            for i in exc.issues
        ]
        raise InputError([*catalog.issues, *issues]) from None
    if args.format == "csv":
        data: bytes | str = comparison_csv(comp)
    elif args.format == "json":
        data = comparison_json(comp)
    elif args.format == "markdown":
        data = comparison_markdown(comp)
    else:
        data = comparison_table(comp)
    _write(data, args.output, out)
    if _vendor_problems(catalog, err, "compared"):
        return 2
    return 0
