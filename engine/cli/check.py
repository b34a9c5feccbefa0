"""``shortlist check``: a catalog against a CI policy."""

from __future__ import annotations

import argparse
from typing import TextIO

from engine.catalog.loading import (
    LocalResolver,
    catalog_roots,
    input_name,
    load_catalog,
    load_criteria,
    load_policy_doc,
    policy_priorities,
    resolve_policy,
)
from engine.cli.common import _dirs, _vendor_problems, _write, with_answers


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from engine.policy.rules import run_policy
    from engine.reports.policy_output import render

    criteria_dir, vendors_dir = _dirs(args)
    criteria = load_criteria(criteria_dir)
    policy_path = resolve_policy(args.policy, criteria_dir)
    roots = catalog_roots(vendors_dir, criteria_dir)  # reports name files from the catalog root
    policy, doc = load_policy_doc(policy_path, input_name(policy_path, roots))
    resolver = LocalResolver(criteria_dir, policy_path)
    if policy.priorities:  # a missing priorities file is reported before the catalog loads
        policy_priorities(policy.priorities, resolver, doc)
    currencies = criteria.currencies()
    catalog = with_answers(
        load_catalog([vendors_dir], currencies=currencies, roots=roots),
        args,
        currencies,
        criteria.sovereignty,
    )
    report = run_policy(
        policy,
        doc,
        catalog,
        criteria,
        resolver,
        today=args.today,
        expiring_in=args.expiring_in,
    )
    _write(render(report, args.format, args.fail_on), args.output, out, binary=args.format != "text")
    if _vendor_problems(catalog, err, "checked"):
        return 2
    return report.exit_code(args.fail_on)
