"""``shortlist validate``: vendor profiles, the criteria catalog, presets, policies and
priorities files."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from engine.catalog.bundled import bundled_root
from engine.catalog.coverage import GRADE_COLUMNS, OPENABLE, CatalogReport, catalog_report
from engine.catalog.evidence import max_ages
from engine.catalog.loading import (
    Catalog,
    CriteriaCatalog,
    LocalResolver,
    catalog_roots,
    input_name,
    listed_files,
    load_catalog,
    load_criteria,
    load_policy_doc,
    load_priorities_bytes_doc,
    locate,
    policy_priorities,
    read_input,
)
from engine.catalog.sovereignty import load_framework
from engine.catalog.staleness import flagged, stale_flag
from engine.catalog.yamlio import load_yaml_file
from engine.cli.common import _dirs, _print_issues
from engine.errors import InputError, Issue, shown_path
from engine.mcda.scoring import check_priorities, elicited_weights, normalise_weights
from engine.reports.escape import terminal, terminal_block
from engine.reports.summarise import LIST_ITEMS, cut, more_line


def _fallbacks(args: argparse.Namespace) -> list[str]:
    """The catalog directories (``vendors``, ``criteria``) this command takes from the
    bundled catalog because none is given and the working directory has none."""
    used = ("vendors",) if args.command == "prices" else ("vendors", "criteria")
    return [d for d in used if getattr(args, d, "") is None and not Path(d).is_dir()]


def _fallback_note(args: argparse.Namespace) -> str:
    """One line saying which directories fell back to the bundled catalog, or ``""``."""
    missing = _fallbacks(args)
    if not missing:
        return ""
    here = " or ".join(f"./{d}" for d in missing)
    opts = "/".join(f"--{d}" for d in missing)
    return (
        f"note: no {here} here: using the bundled {' and '.join(missing)} "
        f"(run from your catalog's directory, or give {opts})"
    )


def _kind(loaded_keys: set[str]) -> str:
    if "offerings" in loaded_keys:
        return "vendor"
    if "criteria" in loaded_keys:
        return "criteria"
    if "rates" in loaded_keys:
        return "fx"
    if "objectives" in loaded_keys or {"framework", "rules"} <= loaded_keys:
        return "sovereignty"  # a framework file (criteria/sovereignty/) or its rules
    if loaded_keys & {"rules", "approved", "waivers", "min_score", "max_waiver_days"}:
        return "policy"
    if "weights" in loaded_keys or "workload" in loaded_keys:
        return "priorities"
    return "vendor"


def _validate_priorities(
    path: Path, criteria: CriteriaCatalog, catalog: Catalog, err: TextIO, name: str
) -> list[Issue]:
    try:
        p, doc = load_priorities_bytes_doc(read_input(path), name)
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
                    print(terminal(f"{name}: warning: {n}"), file=err)
    return locate(found, doc)


def _validate_policy(path: Path, criteria_dir: Path, name: str) -> list[Issue]:
    """A policy's own problems, and those of the priorities file it names (its waivers
    are judged by `check`, against a date)."""
    from engine.policy.rules import validate_policy

    try:
        policy, doc = load_policy_doc(path, name)
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


def _yaml_files(d: Path, issues: list[Issue]) -> list[Path]:
    """The ``.yaml``/``.yml`` files below ``d`` (none when it is not a directory), sorted;
    one that leads outside the catalog (the directory holding ``d``) goes to ``issues``."""
    files, outside = listed_files(d, Path(os.path.abspath(d)).parent, recursive=True)
    issues.extend(outside)
    return files


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    criteria_dir, vendors_dir = _dirs(args)
    issues: list[Issue] = []
    vendor_paths: list[Path] = []
    priority_paths: list[Path] = []
    policy_paths: list[Path] = []
    framework_paths: list[Path] = []
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
            elif kind == "sovereignty":  # a framework (a rules file: the framework beside it)
                name = (
                    p.name.removesuffix(".rules.yaml") + ".yaml" if p.name.endswith(".rules.yaml") else p.name
                )
                framework_paths.append(p.with_name(name))
            else:  # criteria.yaml / fx.yaml: checked with their directory
                criteria_dir = p.parent
        elif p.is_dir() and p.resolve().name in PRIORITIES_DIRS:
            priority_paths += _yaml_files(p, issues)
        else:
            vendor_paths.append(p)
    if not args.paths:
        vendor_paths = [vendors_dir]
        policy_paths, outside = listed_files(
            criteria_dir / "policies", Path(os.path.abspath(criteria_dir)).parent
        )
        issues.extend(outside)
        # the buyers' priorities files of the catalog, in `priorities/` beside `criteria/`
        priority_paths = _yaml_files(criteria_dir.parent / "priorities", issues)
    # files are named from their catalog root, as in rank and check (docs/cli.md: "Files are
    # named from the catalog root"): the nearest directory above a path holding vendors/
    # or criteria/, else the roots of the default directories
    roots = (*_typed_roots(args.paths), *catalog_roots(vendors_dir, criteria_dir))
    for pp in policy_paths:
        issues.extend(_validate_policy(pp, criteria_dir, input_name(pp, roots)))
    try:
        criteria: CriteriaCatalog | None = load_criteria(criteria_dir)
    except InputError as exc:
        issues.extend(exc.issues)
        criteria = None
    loaded_with = Path(os.path.realpath(criteria_dir / "sovereignty"))
    for fp in dict.fromkeys(framework_paths):  # one outside the criteria directory: on its own
        if Path(os.path.realpath(fp)).parent != loaded_with:
            try:
                load_framework(fp)
            except InputError as exc:
                issues.extend(exc.issues)
    catalog = (
        load_catalog(vendor_paths, currencies=criteria.currencies() if criteria else None, roots=roots)
        if vendor_paths
        else None
    )
    if catalog is not None:
        issues.extend(catalog.issues)
    if criteria is not None:
        if not args.paths:
            presets, outside = listed_files(
                criteria_dir / "presets", Path(os.path.abspath(criteria_dir)).parent
            )
            issues.extend(outside)
            priority_paths = [*presets, *priority_paths]
        # price adjustments name offerings: check them against the catalog, loaded once
        offerings = (
            catalog if catalog is not None else load_catalog([vendors_dir]) if priority_paths else None
        )
        for pp in priority_paths:
            assert offerings is not None
            issues.extend(_validate_priorities(pp, criteria, offerings, err, input_name(pp, roots)))
    note = _fallback_note(args) if not args.paths else ""
    if issues:
        _print_issues([_renamed(i, roots) for i in issues], err)
        print(f"{len(issues)} problem(s) found", file=err)
        if note:
            print(note, file=err)
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
    # which directories that was, so a run from the wrong directory cannot pass unseen
    if args.paths:
        where = [
            *(terminal(shown_path(os.path.normpath(p))) for p in args.paths),
            f"with the criteria of {_dir_name(criteria_dir)}",
        ]
    else:
        where = [_dir_name(vendors_dir), _dir_name(criteria_dir) + " (with presets and policies)"]
        if (criteria_dir.parent / "priorities").is_dir():
            where.append(_dir_name(criteria_dir.parent / "priorities"))
    print("Validated: " + ", ".join(where), file=out)
    if note:
        print("Note:" + note.removeprefix("note:"), file=out)
    if catalog is not None and catalog.offerings and criteria is not None:
        day = getattr(args, "today", None) or dt.date.today()
        limits = max_ages(criteria.max_age_days)
        report = catalog_report(catalog, day, limits)
        out.write(coverage_text(report))
        out.write(stale_text(catalog, day, limits, every=bool(getattr(args, "stale", False))))
    return 0


def stale_text(catalog: Catalog, day: dt.date, limits: Mapping[str, int], *, every: bool = False) -> str:
    """Each stale fact of the catalog by name and age, oldest first: the offering (or,
    for a vendor-level fact, the vendor, once) and the flag every ranking shows. Without
    ``every``, the oldest :data:`engine.reports.summarise.LIST_ITEMS`, then a count."""
    found: dict[tuple[str, str], tuple[int, str]] = {}
    for ro in catalog.offerings:
        for a in flagged(ro, day, limits):
            vendor_level = a.fact.field == "vendor" or a.fact.field.startswith("vendor.")
            who = f"vendor {ro.vendor.id}" if vendor_level else ro.id
            found.setdefault((who, a.fact.field), (a.days, f"{who}: {stale_flag(a, day)}"))
    if not found:
        return ""
    items = [t for _, t in sorted(found.values(), key=lambda x: (-x[0], x[1]))]
    shown, left = cut(items, None if every else LIST_ITEMS)
    lines = [f"Stale or future-dated facts ({len(items)}, oldest first):", *(f"  {t}" for t in shown)]
    if left:
        lines.append("  " + more_line(left, "stale facts", "shortlist validate --stale lists them all"))
    return terminal_block("\n".join(lines) + "\n")


_OPENABLE = "a source starting with " + ", ".join(OPENABLE[:-1]) + " or " + OPENABLE[-1]


def coverage_text(report: CatalogReport) -> str:
    """The coverage, evidence and staleness table ``validate`` prints after its OK line.

    One row per field: offerings with the fact known / none found (looked up) / unknown
    (not looked up), the fact blocks per evidence grade, and the blocks older than their
    kind's maximum age (``stale``) or dated after the day (``future``).
    """
    short = {"vendor-declared": "vendor-decl.", "independent": "indep."}
    head = [
        "field",
        "known",
        "none found",
        "unknown",
        *[short.get(g, g) for g in GRADE_COLUMNS],
        "stale",
        "future",
    ]
    body = []
    for f in report.fields:
        body.append(
            [
                f.field,
                *(
                    ("-", "-", "-")
                    if f.field.startswith("profile")
                    else (str(f.known), str(f.none_found), str(f.unknown))
                ),
                *[str(f.grades[g]) for g in GRADE_COLUMNS],
                str(f.stale),
                str(f.future),
            ]
        )
    widths = [max(len(r[j]) for r in (head, *body)) for j in range(len(head))]

    def line(r: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if j == 0 else c.rjust(w) for j, (c, w) in enumerate(zip(r, widths, strict=True))
        ).rstrip()

    limits = ", ".join(f"{k} {v}" for k, v in report.limits.items())
    lines = [
        "",
        f"Coverage, evidence and age of the catalog's facts on {report.day.isoformat()} "
        f"({report.offerings} offerings; grades and ages count fact blocks, a vendor's once per offering):",
        line(head),
        *(line(r) for r in body),
        f"Maximum ages (days): {limits}.",
    ]
    if report.unopenable:  # part of the report (stdout): a warning, validation still passes
        lines.append(f"Warning: {len(report.unopenable)} source(s) cannot be opened ({_OPENABLE} expected):")
        shown, left = cut(report.unopenable)
        lines += [f"  {terminal(u.file)}: {terminal(u.where)}: {terminal(repr(u.source))}" for u in shown]
        if left:
            lines.append("  " + more_line(left, "unopenable sources", "fix the ones above first"))
    return terminal_block("\n".join(lines) + "\n")


def _dir_name(d: Path) -> str:
    """A directory as validate's summary shows it: as typed, or ``the bundled …``."""
    try:
        inside = Path(os.path.abspath(d)).relative_to(bundled_root())
    except ValueError:
        return terminal(shown_path(d)) + "/"
    return f"the bundled {inside.as_posix()}/ ({terminal(shown_path(d))})"


def _typed_roots(paths: Sequence[str]) -> list[tuple[str, Path]]:
    """The catalog root of each path given to validate: for a directory, the directory
    holding it (as for ``--vendors``); for a file, the nearest directory above it whose
    ``vendors/``, ``criteria/`` or ``priorities/`` holds it (none: the file is named by
    the default roots, else by its absolute path)."""
    roots: list[tuple[str, Path]] = []
    for raw in paths:
        full = Path(os.path.abspath(raw))
        root = full.parent if full.is_dir() else None
        for d in full.parents if root is None else ():
            if full.relative_to(d).parts[0] in ("vendors", "criteria", "priorities"):
                root = d
                break
        if root is not None and ("", root) not in roots:
            roots.append(("", root))
    return roots


def _renamed(issue: Issue, roots: Sequence[tuple[str, Path]]) -> Issue:
    """``issue`` with its file named from the catalog root when it names a file by the
    path it was reached by (a path as typed, a listed file)."""
    f = issue.file
    if f is None or f.startswith("shortlist:") or not os.path.lexists(f):
        return issue
    return dataclasses.replace(issue, file=input_name(f, roots))
