"""``shortlist validate``: vendor profiles, the criteria catalog, presets, policies and
priorities files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from engine.catalog.loading import (
    Catalog,
    CriteriaCatalog,
    LocalResolver,
    load_catalog,
    load_criteria,
    load_policy_doc,
    load_priorities_doc,
    locate,
    policy_priorities,
)
from engine.catalog.yamlio import load_yaml_file
from engine.cli.common import _dirs, _print_issues
from engine.errors import InputError, Issue
from engine.mcda.scoring import check_priorities, elicited_weights, normalise_weights
from engine.reports.escape import terminal


def _kind(loaded_keys: set[str]) -> str:
    if "offerings" in loaded_keys:
        return "vendor"
    if "criteria" in loaded_keys:
        return "criteria"
    if "rates" in loaded_keys:
        return "fx"
    if loaded_keys & {"rules", "approved", "waivers", "min_score", "max_waiver_days"}:
        return "policy"
    if "weights" in loaded_keys or "workload" in loaded_keys:
        return "priorities"
    return "vendor"


def _validate_priorities(path: Path, criteria: CriteriaCatalog, catalog: Catalog, err: TextIO) -> list[Issue]:
    try:
        p, doc = load_priorities_doc(path)
    except InputError as exc:
        return list(exc.issues)
    found = check_priorities(p, criteria, catalog)
    if not found:
        try:
            raw, notes = elicited_weights(p, criteria.ids())
            normalise_weights(raw, criteria.ids())
        except InputError as exc:
            found.extend(exc.issues)
        else:
            for n in notes:
                if "consistency ratio" in n and "above" in n:  # the AHP warning: valid, but say it
                    print(terminal(f"{path}: warning: {n}"), file=err)
    return locate(found, doc)


def _validate_policy(path: Path, criteria_dir: Path) -> list[Issue]:
    """A policy's own problems, and those of the priorities file it names (its waivers
    are judged by `check`, against a date)."""
    from engine.policy.rules import validate_policy

    try:
        policy, doc = load_policy_doc(path)
    except InputError as exc:
        return list(exc.issues)
    found = locate(validate_policy(policy), doc)
    if policy.priorities:
        try:
            pr, pdoc = policy_priorities(policy.priorities, LocalResolver(criteria_dir, path), doc)
        except InputError as exc:
            return [*found, *exc.issues]
        try:
            criteria = load_criteria(criteria_dir)
        except InputError:
            return found  # reported with the criteria catalog
        found += locate(check_priorities(pr, criteria), pdoc)
    return found


PRIORITIES_DIRS = ("priorities", "presets")
"""A directory given to ``validate`` by one of these names holds priorities files (any
other directory is a vendors directory)."""


def _yaml_files(d: Path) -> list[Path]:
    """The ``.yaml``/``.yml`` files below ``d`` (none when it is not a directory), sorted."""
    return sorted(p for p in d.rglob("*.y*ml") if p.is_file()) if d.is_dir() else []


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    criteria_dir, vendors_dir = _dirs(args)
    issues: list[Issue] = []
    vendor_paths: list[Path] = []
    priority_paths: list[Path] = []
    policy_paths: list[Path] = []
    for raw in args.paths:
        p = Path(raw)
        if p.is_file():
            try:
                kind = _kind(set(load_yaml_file(p).data))
            except InputError as exc:
                issues.extend(exc.issues)
                continue
            if kind == "priorities":
                priority_paths.append(p)
            elif kind == "policy":
                policy_paths.append(p)
            elif kind == "vendor":
                vendor_paths.append(p)
            else:  # criteria.yaml / fx.yaml: checked with their directory
                criteria_dir = p.parent
        elif p.is_dir() and p.resolve().name in PRIORITIES_DIRS:
            priority_paths += _yaml_files(p)
        else:
            vendor_paths.append(p)
    if not args.paths:
        vendor_paths = [vendors_dir]
        policy_paths = sorted((criteria_dir / "policies").glob("*.y*ml"))
        # the buyers' priorities files of the catalog, in `priorities/` beside `criteria/`
        priority_paths = _yaml_files(criteria_dir.parent / "priorities")
    for pp in policy_paths:
        issues.extend(_validate_policy(pp, criteria_dir))
    try:
        criteria: CriteriaCatalog | None = load_criteria(criteria_dir)
    except InputError as exc:
        issues.extend(exc.issues)
        criteria = None
    catalog = (
        load_catalog(vendor_paths, currencies=criteria.currencies() if criteria else None)
        if vendor_paths
        else None
    )
    if catalog is not None:
        issues.extend(catalog.issues)
    if criteria is not None:
        if not args.paths:
            priority_paths = [*criteria.presets(criteria_dir), *priority_paths]
        # price adjustments name offerings: check them against the catalog, loaded once
        offerings = (
            catalog if catalog is not None else load_catalog([vendors_dir]) if priority_paths else None
        )
        for pp in priority_paths:
            assert offerings is not None
            issues.extend(_validate_priorities(pp, criteria, offerings, err))
    if issues:
        _print_issues(issues, err)
        print(f"{len(issues)} problem(s) found", file=err)
        return 2
    parts = []
    if catalog is not None:
        parts.append(f"{len(catalog.files)} vendor file(s) with {len(catalog.offerings)} offering(s)")
    parts.append("the criteria catalog")
    if priority_paths:
        parts.append(f"{len(priority_paths)} priorities file(s)")
    if policy_paths:
        parts.append(f"{len(policy_paths)} policy file(s)")
    print("OK: " + ", ".join(parts) + " valid", file=out)
    return 0
