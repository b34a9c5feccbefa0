"""Command-line interface: ``shortlist validate | rank | explain | compare | sensitivity | batch | check | diff | schema | init | import | prices``.

Exit codes: 0 success; 1 findings (``check``) or price drift (``prices check``); 2
invalid input or usage, or output that could not be written (one line per problem on
stderr, in the form ``file:line:column: code [field]: message``; standard output is
named ``<stdout>``); 130 interrupted (Ctrl-C); 141 standard output closed by its reader
(``shortlist rank | head -1``: no message, as ``128 + SIGPIPE`` from a Unix tool). Data
goes to stdout (or ``--output``), diagnostics to stderr. When some vendor files are
invalid, ``rank`` and ``explain`` still work on the valid ones, print the problems and
exit 2.

Output channels: data formats (CSV, JSON, XML, SARIF, workflow commands) go to stdout
as UTF-8 bytes whatever the terminal's encoding; text for people follows the encoding of stdout and stderr, and a
character it cannot represent is written as a backslash escape (``\\xe4``), never an
error. Files are written as UTF-8.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import errno
import io
import os
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

import numpy as np

from engine._version import __version__
from engine.aggregation import METHODS
from engine.bundled import bundled_root
from engine.dates import parse_date
from engine.elicitation import parse_order
from engine.errors import InputError, Issue, shown_path, suggest
from engine.escape import terminal, terminal_block
from engine.excel import to_xlsx
from engine.export import to_csv, to_json, to_table
from engine.loading import (
    DEFAULT_PRESET,
    Catalog,
    CriteriaCatalog,
    LocalResolver,
    catalog_roots,
    file_digests,
    input_name,
    listed_files,
    load_catalog,
    load_criteria,
    load_policy_doc,
    load_priorities_bytes_doc,
    load_priorities_doc,
    locate,
    policy_priorities,
    read_input,
    resolve_policy,
    resolve_priorities,
)
from engine.ranges import MAX_AGE_DAYS, SEED_MAX, TOP_MAX, parse_decimal, parse_integer
from engine.schema import PrioritiesFile
from engine.scoring import Ranking, check_priorities, elicited_weights, normalise_weights, rank
from engine.text import ID_PATTERN, id_problem
from engine.yamlio import load_yaml_file

__all__ = ["DEFAULT_PRESET", "main", "resolve_priorities"]


_REPO = bundled_root()


def _default_dir(name: str) -> Path:
    local = Path(name)
    return local if local.is_dir() else _REPO / name


def _weights(pairs: Sequence[str], base: PrioritiesFile, ids: tuple[str, ...]) -> dict[str, float] | None:
    if not pairs:
        return None
    out, _ = elicited_weights(base, ids)
    issues = []
    given: dict[str, str] = {}
    for pair in pairs:
        key, sep, val = pair.partition("=")
        bad_key = id_problem(key, ID_PATTERN) if sep else None
        if bad_key:  # no space, newline or look-alike letter around or inside the id
            msg = f"--weight expects CRITERION=NUMBER with a criterion id, found {bad_key} in {pair!r}"
            issues.append(Issue("usage.invalid", msg))
            continue
        if sep and key in given:  # the last would win silently
            msg = f"--weight gives {key!r} twice ({given[key]!r}, then {pair!r}): give it once"
            issues.append(Issue("usage.invalid", msg))
            continue
        given[key] = pair
        try:
            if not sep:
                raise ValueError
            x = _decimal(val.strip())
            if x is None:
                raise ValueError
            out[key] = x
        except ValueError:
            msg = f"--weight expects CRITERION=NUMBER (a plain decimal such as 25 or 2.5), found {pair!r}"
            issues.append(Issue("usage.invalid", msg))
    if issues:
        raise InputError(issues)
    return out


def _print_issues(issues: Sequence[Issue], err: TextIO) -> None:
    for i in issues:  # one line each, controls in quoted input made visible
        print(terminal(str(i)), file=err)


def _vendor_problems(catalog: Catalog, err: TextIO, verb: str) -> bool:
    """Print the problems of vendor files that did not load; True when there were any
    (the command then exits 2, having worked on the valid offerings)."""
    if catalog.issues:
        _print_issues(catalog.issues, err)
        print(f"{len(catalog.issues)} problem(s) in the vendor files; {verb} the valid offerings", file=err)
    return bool(catalog.issues)


def _write(data: bytes | str, output: str | None, out: TextIO, *, binary: bool = False) -> None:
    """Write ``data`` to the file ``output`` (UTF-8; text it cannot encode, such as a file
    name with undecodable bytes, as backslash escapes) or to ``out``: bytes, and text
    with ``binary`` (the data formats: CSV, JSON, XML, workflow commands), to its
    binary buffer when it has one, so they arrive as UTF-8 whatever the terminal's
    encoding (a backslash escape would make JSON or XML invalid).

    Raises
    ------
    InputError
        ``io.write_error`` naming the file and the system's reason when it cannot be
        written (a missing directory, a directory, no permission, a full disk).
    """
    if isinstance(data, str) and (binary or output):
        data = data.encode("utf-8", errors="backslashreplace")
    if output:
        raw = data if isinstance(data, bytes) else data.encode("utf-8", errors="backslashreplace")
        try:
            Path(output).write_bytes(raw)
        except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise InputError.single(
                "io.write_error", f"cannot write the output file: {reason}", file=output
            ) from None
        return
    buffer = getattr(out, "buffer", None) if isinstance(data, bytes) else None
    if isinstance(data, bytes) and buffer is not None:
        out.flush()
        buffer.write(data)
        buffer.flush()
        return
    out.write(data.decode("utf-8") if isinstance(data, bytes) else data)
    out.flush()


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


def _dirs(args: argparse.Namespace) -> tuple[Path, Path]:
    criteria_dir = Path(args.criteria) if args.criteria else _default_dir("criteria")
    vendors_dir = Path(args.vendors) if args.vendors else _default_dir("vendors")
    return criteria_dir, vendors_dir


@dataclass(frozen=True)
class _Loaded:
    """What `rank`, `explain` and `sensitivity` load, once."""

    catalog: Catalog
    criteria: CriteriaCatalog
    priorities: PrioritiesFile
    priorities_path: Path
    ranking: Ranking
    roots: tuple[tuple[str, Path], ...]


def _load(args: argparse.Namespace) -> _Loaded:
    criteria_dir, vendors_dir = _dirs(args)
    criteria = load_criteria(criteria_dir)
    priorities_path = resolve_priorities(args.priorities, criteria_dir)
    priorities, doc = load_priorities_doc(priorities_path)
    roots = catalog_roots(vendors_dir, criteria_dir)
    catalog = load_catalog([vendors_dir], currencies=criteria.currencies(), roots=roots)
    if not catalog.offerings:
        raise InputError(
            [*catalog.issues, Issue("catalog.empty", "no valid offering to rank", str(vendors_dir))]
        )
    if args.weight_order is not None:
        parse_order(args.weight_order, criteria.ids(), field="--weight-order")
        if args.weight:
            raise InputError.single("usage.invalid", "give either --weight or --weight-order, not both")
        # as if the file had said weight_order: rank elicits the weights and notes how
        priorities = priorities.model_copy(
            update={"weight_order": args.weight_order, "weights": {}, "ahp": None}
        )
    weights = _weights(args.weight or [], priorities, criteria.ids())
    try:
        ranking = rank(catalog, criteria, priorities, weights=weights, on_date=args.on, method=args.method)
    except InputError as exc:
        # a bad weight given with --weight belongs to the command line, not the file
        from_cli = [i for i in exc.issues if weights is not None and (i.field or "").startswith("weights")]
        rest = [i for i in exc.issues if i not in from_cli]
        raise InputError([*from_cli, *locate(rest, doc)]) from None
    return _Loaded(catalog, criteria, priorities, priorities_path, ranking, roots)


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
    from engine.policy import validate_policy

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


def _cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
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
    # files are named from their catalog root, as in rank and check (README: "Files are
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
    return 0


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


def _cmd_rank(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.excel and args.format != "csv":
        raise InputError.single("usage.invalid", "--excel applies to --format csv only")
    if args.format == "xlsx" and not args.output:
        raise InputError.single(
            "usage.invalid", "--format xlsx writes a binary workbook, not text: give --output FILE.xlsx"
        )
    loaded = _load(args)
    catalog, ranking = loaded.catalog, loaded.ranking
    if args.record:
        _write(_record(args, loaded), args.record, out)
    if args.format == "csv":
        data: bytes | str = to_csv(ranking, excel=args.excel, top=args.top)
    elif args.format == "json":
        data = to_json(ranking, top=args.top)
    elif args.format == "xlsx":  # the notes are on its Inputs sheet
        data = to_xlsx(ranking, loaded.priorities, catalog, top=args.top, version=__version__)
    else:
        data = to_table(ranking, top=args.top)
    _write(data, args.output, out)
    if args.format == "csv":  # the CSV has no room for notes: say them on stderr
        print(
            f"note: monthly_cost_value is in {ranking.currency} per month; prices on {ranking.on_date.isoformat()}",
            file=err,
        )
        for n in ranking.notes:
            print(terminal(f"note: {n}"), file=err)
    if _vendor_problems(catalog, err, "ranked"):
        return 2
    return 0


def _record(args: argparse.Namespace, loaded: _Loaded) -> str:
    """The decision record (Markdown) of a ranking, with the robustness summary."""
    from engine import __version__
    from engine.record import decision_record
    from engine.sensitivity import sensitivity_with

    ranking = loaded.ranking
    # named from the catalog root (catalog_roots): the same record from any working directory
    digests = dict(loaded.catalog.digests)
    digests.update(file_digests([*loaded.criteria.files, loaded.priorities_path], loaded.roots))
    report = sensitivity_with(ranking, loaded.priorities.robustness) if ranking.ranked else None
    return decision_record(
        ranking,
        loaded.priorities,
        input_digests=digests,
        version=__version__,
        robustness=report,
        top=args.top,
    )


def explain_text(ranking: Ranking, offering_id: str) -> str:
    """Plain-text explanation of one offering: values, utilities, contributions,
    must-haves and the gap to the leader per criterion."""
    row = ranking.row(offering_id)
    leader = ranking.ranked[0] if ranking.ranked else None
    t = terminal  # input text stays on its line, controls made visible
    lines = [f"{t(row.offering_id)} — {t(row.offering)} ({t(row.vendor)})"]
    if row.status == "ranked":
        assert row.score is not None
        lines.append(
            f"Rank {row.rank} of {len(ranking.ranked)} · score {row.score:.2f} / 100 · priorities: {t(ranking.priorities_name)}"
        )
    else:
        lines.append(f"Excluded under priorities: {t(ranking.priorities_name)}")
    lines.append(
        f"Data as of {row.as_of.isoformat()} · prices on {ranking.on_date.isoformat()} · source file {row.file}"
    )
    if leader is not None and row.status == "ranked":
        lines.append(
            f"Leader: {leader.offering_id} (score {leader.score:.2f}); 'leader' and 'gap' are its "
            + (
                "points"
                if ranking.method == "weighted-sum"
                else f"utilities ({ranking.method} has no points)"
            )
            + " and yours minus its"
        )
    lines.append("")
    head = f"{'criterion':<16}{'weight':>7}  {'value':<30}{'utility':>8}{'points':>8}"
    if leader is not None and row.status == "ranked":
        head += f"{'leader':>8}{'gap':>8}"
    lines.append(head)
    for c in ranking.criteria:
        cell = row.cells[c.id]
        if cell.value is None:
            shown = "unknown"
        elif isinstance(cell.value, str):
            shown = t(cell.value)
        else:
            num = f"{cell.value:,.0f}" if abs(cell.value) >= 10_000 else f"{cell.value:,.4g}"
            unit = f"{ranking.currency}/month" if c.id == "monthly_cost" else c.unit
            shown = f"{num} {unit}"
        u = "-" if cell.utility is None else f"{cell.utility:.3f}"
        pts = "-" if cell.contribution is None else f"{cell.contribution:.2f}"
        line = f"{c.id:<16}{ranking.weights[c.id] * 100:>6.1f}%  {shown:<30}{u:>8}{pts:>8}"
        if leader is not None and row.status == "ranked":
            # under a non-additive method (no points) compare utilities instead
            mine, lead = cell.contribution, leader.cells[c.id].contribution
            if mine is None or lead is None:
                mine, lead = cell.utility or 0.0, leader.cells[c.id].utility or 0.0
            line += f"{lead:>8.2f}{mine - lead:>+8.2f}"
        if cell.imputed:
            line += "  (imputed worst)"
        lines.append(line)
    if row.requirements:
        lines.append("")
        lines.append("Must-haves:")
        for q in row.requirements:
            lines.append(f"  [{q.outcome}] {t(q.reason)}")
    if row.reasons:
        lines.append("")
        lines.append("Flags and reasons:")
        lines.extend(f"  - {t(r)}" for r in row.reasons)
    if leader is not None and row.status == "ranked" and leader.offering_id != row.offering_id:
        assert leader.score is not None and row.score is not None
        lines.append("")
        lines.append(f"Gap to the leader {leader.offering_id}: {row.score - leader.score:+.2f} points")
    if ranking.notes:
        lines.append("")
        lines.extend(f"Note: {t(n)}" for n in ranking.notes)
    return terminal_block("\n".join(lines) + "\n")


def robustness_text(ranking: Ranking, offering_id: str, priorities: PrioritiesFile) -> str:
    """Plain-text robustness of one ranked offering: its rank acceptability (SMAA-2
    with the priorities' ``robustness`` settings), the weight interval in which it
    keeps its rank, and what it would take to rank first (weights and price)."""
    from engine.sensitivity import rank_stability, sensitivity_with, what_would_it_take

    row = ranking.row(offering_id)
    if row.status != "ranked":
        return "\nRobustness: not analysed, the offering is excluded.\n"
    rob = priorities.robustness
    report = sensitivity_with(ranking, rob)
    problem, acc = report.problem, report.acceptability
    order = acc.order
    a = acc.acceptability[acc.offering_ids.index(offering_id)]
    top = ", ".join(f"rank {r + 1}: {100 * a[r]:.1f}%" for r in np.argsort(-a, kind="stable")[:3] if a[r] > 0)
    how = (
        f"concentration {rob.concentration:g}"
        if order is None
        else "uniform within the order " + " > ".join(order)
    )
    lines = [
        "",
        f"Robustness ({acc.samples:,} weight samples around your weights, {how}, seed {acc.seed}):",
        f"  rank acceptability: {top}",
        "",
        f"Weight range in which it stays at rank {row.rank} (others rescaled in proportion):",
    ]
    for c, (lo, hi) in rank_stability(problem, offering_id).items():
        w = problem.weights[problem.criteria.index(c)]
        lines.append(f"  {c:<16}{100 * w:>6.1f}%   {100 * lo:.1f}% – {100 * hi:.1f}%")
    wit = what_would_it_take(problem, offering_id, dict(rob.weight_bounds))
    lines += ["", "What would it take to rank first:"]
    lines.append(f"  weights: {terminal(wit.message)}")
    lines.append(f"  price:   {terminal(wit.price_message)}")
    return terminal_block("\n".join(lines) + "\n")


def _cmd_explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    loaded = _load(args)
    catalog, priorities, ranking = loaded.catalog, loaded.priorities, loaded.ranking
    try:
        text = explain_text(ranking, args.offering_id)
    except KeyError:
        hint = suggest(args.offering_id, [r.offering_id for r in ranking.rows])
        broken = (
            f" ({len(catalog.issues)} vendor file problem(s) above: it may be in a file that did not load)"
            if catalog.issues
            else ""
        )
        raise InputError(
            [
                *catalog.issues,
                Issue(
                    "usage.invalid",
                    f"no offering {args.offering_id!r}{hint or ' (shortlist rank lists the offering ids)'}{broken}",
                ),
            ]
        ) from None
    out.write(text + robustness_text(ranking, args.offering_id, priorities))
    if catalog.issues:
        _print_issues(catalog.issues, err)
        return 2
    return 0


def _cmd_compare(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from engine.compare import (
        comparison,
        comparison_csv,
        comparison_json,
        comparison_markdown,
        comparison_table,
    )

    loaded = _load(args)
    catalog, ranking = loaded.catalog, loaded.ranking
    rob = loaded.priorities.robustness
    report = None
    if ranking.ranked:
        from engine.sensitivity import sensitivity_with

        report = sensitivity_with(ranking, rob)
    try:
        comp = comparison(
            ranking, catalog, args.offering_ids, report=report, weight_bounds=dict(rob.weight_bounds)
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


def _cmd_sensitivity(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from engine.export import sensitivity_csv, sensitivity_json, sensitivity_table
    from engine.sensitivity import sensitivity_with

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


def _fold(name: str) -> str:
    """One spelling of an output file name as file systems compare them: Unicode NFC,
    then case-folded (``STRASSE.csv`` and ``straße.csv``, ``café`` composed or not)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


def _output_stems(
    sources: Sequence[str], criteria_dir: Path, suffixes: Sequence[str] = (".csv",)
) -> tuple[list[str], dict[int, Issue]]:
    """The output name (file stem) of each priorities argument, and an issue for each
    argument whose output files (``stem`` + each of ``suffixes``) an earlier one's
    already take, compared without regard to case (``Team.yaml`` and ``team.yaml``
    are one file on macOS and Windows) or Unicode normal form (``café`` written with
    a precomposed ``é`` or with ``e`` and a combining accent are one file on macOS):
    it would overwrite them."""
    stems: list[str] = []
    clashes: dict[int, Issue] = {}
    taken: dict[str, tuple[str, Path | None, str]] = {}  # output name, case-folded → first owner
    for k, src in enumerate(sources):
        try:
            path: Path | None = resolve_priorities(src, criteria_dir).resolve()
        except InputError:
            path = None  # not found: the batch reports it
        stem = path.stem if path is not None else Path(src).stem
        stems.append(stem)
        names = [stem + suffix for suffix in suffixes]
        hit = next((taken[_fold(n)] for n in names if _fold(n) in taken), None)
        if hit is None:
            taken.update({_fold(n): (src, path, n) for n in names})
            continue
        other, other_path, other_name = hit
        if path is not None and path == other_path:
            msg = f"the same priorities file as {other!r}, given twice: it is ranked once"
        else:
            mine = next(n for n in names if _fold(n) == _fold(other_name))
            msg = (
                f"its output files would be named {stem!r}, and {mine!r} is {other!r}'s {other_name!r} "
                "(file names compared without regard to case or Unicode normal form): it would "
                "overwrite it; give each priorities file its own name"
            )
        clashes[k] = Issue("usage.invalid", msg, file=src)
    return stems, clashes


def _summary(rows: Sequence[tuple[str, ...]]) -> str:
    head = ("file", "leader", "score", "ranked", "excluded", "status")
    rows = [tuple(terminal(c) for c in r) for r in rows]
    widths = [max(len(r[j]) for r in (head, *rows)) for j in range(len(head))]
    right = {2, 3, 4}

    def line(r: tuple[str, ...]) -> str:
        cells = [
            c.rjust(w) if j in right else c.ljust(w) for j, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    return "\n".join(line(r) for r in (head, *rows)) + "\n"


def _cmd_batch(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from engine.batch import BatchItem, rank_many, robustness_many
    from engine.export import sensitivity_json

    criteria_dir, vendors_dir = _dirs(args)
    criteria = load_criteria(criteria_dir)
    roots = catalog_roots(vendors_dir, criteria_dir)
    catalog = load_catalog([vendors_dir], currencies=criteria.currencies(), roots=roots)
    if not catalog.offerings:
        raise InputError(
            [*catalog.issues, Issue("catalog.empty", "no valid offering to rank", str(vendors_dir))]
        )
    sources: list[str] = list(args.priorities)
    suffixes = [f".{args.format}", *([".sensitivity.json"] if args.robustness else [])]
    stems, clashes = _output_stems(sources, criteria_dir, suffixes)
    run = robustness_many if args.robustness else rank_many
    todo = [s for k, s in enumerate(sources) if k not in clashes]
    result = run(
        catalog, criteria, todo, on_date=args.on, criteria_dir=criteria_dir, scheduler=args.scheduler
    )
    done = iter(result.items)
    items = [
        BatchItem(s, None, None, None, None, (clashes[k],)) if k in clashes else next(done)
        for k, s in enumerate(sources)
    ]
    out_dir = Path(args.output_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = f"cannot create the output directory: {exc.strerror}"
        raise InputError([*catalog.issues, Issue("io.write_error", msg, str(out_dir))]) from None
    rows: list[tuple[str, ...]] = []
    problems: list[Issue] = []
    for item, stem in zip(items, stems, strict=True):
        issues = list(item.issues)
        ranking = item.ranking
        outputs: dict[str, bytes] = {}
        if ranking is not None:
            outputs[f"{stem}.{args.format}"] = to_csv(ranking) if args.format == "csv" else to_json(ranking)
            if item.report is not None:
                outputs[f"{stem}.sensitivity.json"] = sensitivity_json(item.report, ranking)
        for name, data in outputs.items():
            try:
                (out_dir / name).write_bytes(data)
            except OSError as exc:
                msg = f"cannot write the output file: {exc.strerror}"
                issues.append(Issue("io.write_error", msg, str(out_dir / name)))
        problems += issues
        leader = ranking.ranked[0] if ranking is not None and ranking.ranked else None
        status = "ok" if not issues else f"invalid ({len(issues)} problem{'s' if len(issues) > 1 else ''})"
        rows.append(
            (
                item.source,
                leader.offering_id if leader is not None else "-",
                f"{leader.score:.2f}" if leader is not None and leader.score is not None else "-",
                str(len(ranking.ranked)) if ranking is not None else "-",
                str(len(ranking.excluded)) if ranking is not None else "-",
                status,
            )
        )
    _write(_summary(rows), None, out)
    broken_vendors = _vendor_problems(catalog, err, "ranked")
    if problems:
        _print_issues(problems, err)
        bad = sum(1 for r in rows if r[-1] != "ok")
        print(
            f"{bad} of {len(rows)} priorities file(s) had problems; the others' results are in {out_dir}",
            file=err,
        )
    return 2 if problems or broken_vendors else 0


def _cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from engine.policy import run_policy
    from engine.policy_output import render

    criteria_dir, vendors_dir = _dirs(args)
    criteria = load_criteria(criteria_dir)
    policy_path = resolve_policy(args.policy, criteria_dir)
    roots = catalog_roots(vendors_dir, criteria_dir)  # reports name files from the catalog root
    policy, doc = load_policy_doc(policy_path, input_name(policy_path, roots))
    resolver = LocalResolver(criteria_dir, policy_path)
    if policy.priorities:  # a missing priorities file is reported before the catalog loads
        policy_priorities(policy.priorities, resolver, doc)
    catalog = load_catalog([vendors_dir], currencies=criteria.currencies(), roots=roots)
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


_INIT_README = """# AI vendor catalog

Vendor profiles (`vendors/`), criteria, priorities presets and CI policies
(`criteria/`), checked with the Shortlist CLI:

    shortlist validate
    shortlist rank --priorities regulated-eu-bank
    shortlist check --policy criteria/policies/eu-regulated.yaml

The profiles were copied from Shortlist's bundled examples on {day}: keep their
sources and dates up to date, and add your own vendors. Buyers' priorities files go in
`priorities/` (`shortlist validate` checks them too).

CI: `.github/workflows/shortlist.yml`. It installs the Shortlist {version} that wrote this
catalog, from `.shortlist/` (the wheel, pinned by SHA-256 in `.shortlist/requirements.txt`),
never a package found by name. To run another Shortlist, change the one `run:` line of
its "Install Shortlist" step (e.g. to a git URL of your mirror at an exact commit).
"""


PIN_DIR = ".shortlist"
"""Where ``shortlist init`` puts the Shortlist a catalog's CI installs (its wheel and
the hash-pinned requirements files), relative to the catalog root."""


def _write_pinned_shortlist(target: Path) -> None:
    """Write the running Shortlist into ``target/.shortlist/`` as a wheel, with
    ``requirements.txt`` pinning it by SHA-256 and ``dependencies.txt`` listing its
    dependencies (public packages, by version range): the workflow's install step reads
    both, so CI never installs a package found by the name ``shortlist``."""
    import hashlib

    from engine.bundled import self_wheel, wheel_dependencies

    name, data = self_wheel()
    pin = target / PIN_DIR
    pin.mkdir(parents=True, exist_ok=True)
    (pin / name).write_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    (pin / "requirements.txt").write_text(
        f"# The Shortlist {__version__} this catalog's CI installs: the wheel `shortlist init` wrote\n"
        "# next to this file, pinned by its SHA-256 (pip refuses a changed file). The workflow\n"
        "# installs it with --no-index --no-deps --require-hashes, then dependencies.txt.\n"
        f"{PIN_DIR}/{name} --hash=sha256:{sha}\n",
        encoding="utf-8",
    )
    (pin / "dependencies.txt").write_text(
        f"# What Shortlist {__version__} needs (public packages on the Python Package Index).\n"
        + "".join(f"{d}\n" for d in wheel_dependencies()),
        encoding="utf-8",
    )


def _cmd_init(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import shutil

    target = Path(args.directory)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InputError.single(
            "usage.invalid",
            f"{target} exists and is not an empty directory; choose a new directory",
            file=str(target),
        )
    src = bundled_root()
    try:
        target.mkdir(parents=True, exist_ok=True)
        shutil.copytree(
            src / "vendors", target / "vendors", ignore=shutil.ignore_patterns("*.py", "__pycache__")
        )
        (target / "criteria").mkdir()
        for name in ("criteria.yaml", "fx.yaml"):
            shutil.copy2(src / "criteria" / name, target / "criteria" / name)
        for sub_dir in ("presets", "policies"):
            shutil.copytree(src / "criteria" / sub_dir, target / "criteria" / sub_dir)
        (target / ".github" / "workflows").mkdir(parents=True)
        shutil.copy2(
            src / "examples" / "github-workflow.yml", target / ".github" / "workflows" / "shortlist.yml"
        )
        (target / "README.md").write_text(
            _INIT_README.format(day=dt.date.today().isoformat(), version=__version__), encoding="utf-8"
        )
        _write_pinned_shortlist(target)
    except OSError as exc:
        raise InputError.single(
            "io.write_error", f"cannot create the catalog: {exc.strerror or exc}", file=str(target)
        ) from None
    made = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
    print(f"Created a Shortlist catalog in {target} ({len(made)} files):", file=out)
    for m in made:
        print(f"  {m}", file=out)
    print(
        f"Next: cd {target} && shortlist validate && shortlist check --policy criteria/policies/eu-regulated.yaml",
        file=out,
    )
    return 0


def _cmd_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from engine.importers import genai_prices as gp

    try:
        dataset = gp.load_dataset()
    except gp.MissingPackage as exc:
        print(str(exc), file=err)
        return 2
    result = gp.build_import(dataset, args.on or dt.date.today(), args.as_of)
    others = gp.write_profiles(gp.profile_files(result), args.output)
    out.write(terminal_block(gp.summary_text(result, args.output)))  # names from the dataset
    if others:
        shown = terminal(", ".join(others[:5]) + (", …" if len(others) > 5 else ""))
        print(
            f"note: {args.output} also holds {len(others)} other profile file(s), loaded with the "
            f"imported ones: {shown}",
            file=err,
        )
    return 0


def _cmd_prices(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from engine.importers.genai_prices import MissingPackage, load_dataset
    from engine.price_drift import compare_prices, drift_json, drift_text

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


def _git_checkout(rev: str, paths: Sequence[Path], dest: Path) -> Path:
    """Extract ``paths`` (files or directories) as of git revision ``rev`` under
    ``dest``; return the repository's top directory (paths are relative to it)."""
    import subprocess
    import tarfile

    def git(*a: str) -> subprocess.CompletedProcess[bytes]:
        try:
            return subprocess.run(["git", *a], capture_output=True, check=False)
        except OSError as exc:
            raise InputError.single("usage.invalid", f"--base needs git: {exc.strerror}") from None

    top = git("rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise InputError.single(
            "usage.invalid", "--base needs a git repository: run shortlist diff inside one"
        )
    root = Path(top.stdout.decode().strip()).resolve()
    rel = []
    for p in paths:
        try:
            rel.append(p.resolve().relative_to(root).as_posix())
        except ValueError:
            raise InputError.single(
                "usage.invalid", f"{p} is outside the git repository {root}: use --base-vendors DIR instead"
            ) from None
    if rev.startswith("-"):  # never let a revision be read as a git option
        raise InputError.single("usage.invalid", f"--base expects a git revision, found {rev!r}")
    res = git("-C", str(root), "archive", "--format=tar", rev, "--", *rel)
    if res.returncode != 0:
        msg = res.stderr.decode(errors="replace").strip().splitlines()
        raise InputError.single(
            "usage.invalid",
            f"git cannot read {', '.join(rel)} at {rev!r}: {msg[-1] if msg else 'unknown error'}",
        )
    with tarfile.open(fileobj=io.BytesIO(res.stdout)) as tar:
        tar.extractall(dest, filter="data")
    return root


def _cmd_diff(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import tempfile

    from engine.diff import diff_markdown, diff_rankings
    from engine.policy import check_policy

    criteria_dir, vendors_dir = _dirs(args)
    pr_path = resolve_priorities(args.priorities, criteria_dir)
    with tempfile.TemporaryDirectory() as tmp:
        if args.base is not None:
            root = _git_checkout(args.base, [vendors_dir], Path(tmp))
            base_vendors = Path(tmp) / vendors_dir.resolve().relative_to(root)
            try:  # the criteria catalog as of the base too, when git has it there
                _git_checkout(args.base, [criteria_dir], Path(tmp))
                base_criteria = Path(tmp) / criteria_dir.resolve().relative_to(root)
            except InputError:
                base_criteria = criteria_dir
            base_label, head_label = str(args.base), "working tree"
        else:
            base_vendors, base_criteria = Path(args.base_vendors), criteria_dir
            if not base_vendors.is_dir():
                raise InputError.single(
                    "usage.invalid", "--base-vendors expects a vendors directory", file=str(base_vendors)
                )
            # named from the catalog root, as the files in the report: the same from any cwd
            # (plain text: diff_markdown shows the labels as code)
            head_roots = catalog_roots(vendors_dir, criteria_dir)
            base_label = input_name(base_vendors, head_roots)
            head_label = input_name(vendors_dir, head_roots)
        sides = []
        for vdir, cdir in ((base_vendors, base_criteria), (vendors_dir, criteria_dir)):
            criteria = load_criteria(cdir)
            priorities, pdoc = load_priorities_doc(pr_path)
            roots = catalog_roots(vdir, cdir)
            catalog = load_catalog([vdir], currencies=criteria.currencies(), roots=roots)
            try:
                ranking = rank(catalog, criteria, priorities, on_date=args.on)
            except InputError as exc:
                raise InputError(locate(exc.issues, pdoc)) from None
            report = None
            if args.policy:
                policy_path = resolve_policy(args.policy, criteria_dir)
                policy, doc = load_policy_doc(
                    policy_path, input_name(policy_path, catalog_roots(vendors_dir, criteria_dir))
                )
                pol_pr = priorities
                if policy.priorities:
                    pol_pr, _ = policy_priorities(policy.priorities, LocalResolver(cdir, policy_path), doc)
                try:
                    report = check_policy(
                        policy, catalog, criteria, doc=doc, priorities=pol_pr, today=args.today
                    )
                except InputError as exc:
                    raise InputError(locate(exc.issues, doc)) from None
            sides.append((catalog, ranking, report))
    (bcat, brank, brep), (hcat, hrank, hrep) = sides
    text = diff_markdown(
        diff_rankings(brank, hrank),
        base_label=base_label,
        head_label=head_label,
        priorities_name=hrank.priorities_name,
        policy=(brep, hrep) if brep is not None and hrep is not None else None,
        fail_on=args.fail_on,
    )
    _write(text, args.output, out)
    problems = [*bcat.issues, *hcat.issues]
    if problems:
        _print_issues(problems, err)
        return 2
    return 0


def _cmd_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import json

    from engine.schema import json_schema

    text = json.dumps(json_schema(args.kind), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    _write(text, args.output, out, binary=True)
    return 0


def _decimal(text: str) -> float | None:
    # the one number grammar of the CLI and the app's links (engine.ranges.parse_decimal)
    return parse_decimal(text)


def _number(text: str) -> float:
    # --concentration: the same range as robustness.concentration in a priorities file
    x = _decimal(text)
    if x is None and not _floatish(text):
        raise argparse.ArgumentTypeError(f"expected a number, found {text!r}")
    if x is None or not 0.01 <= x <= 1e6:
        raise argparse.ArgumentTypeError(
            f"expected a finite number > 0 (0.01 to 1000000, a plain decimal such as 2.5), found {text!r}"
        )
    return x


def _floatish(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _percent(text: str) -> float:
    x = _decimal(text.removesuffix("%"))
    if x is None and not _floatish(text.removesuffix("%")):
        raise argparse.ArgumentTypeError(f"expected a number of per cent, found {text!r}")
    if x is None or not 0 <= x <= 1000:
        raise argparse.ArgumentTypeError(
            f"expected a finite number of per cent ≥ 0 and ≤ 1000 (a plain decimal such as 2.5), found {text!r}"
        )
    return x


def _date(text: str) -> dt.date:
    try:
        return parse_date(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _whole(
    low: int,
    high: int | None = None,
    *,
    parse: str = "a whole number",
    noun: str = "a number",
    unit: str = "",
) -> Callable[[str], int]:
    """An argparse type: a whole number in [low, high], with messages in the user's terms."""

    def parse_text(text: str) -> int:
        n = parse_integer(text)  # int() would read "1_000", " 7", "٣"
        if n is None:
            raise argparse.ArgumentTypeError(f"expected {parse}, found {text!r}")
        if n < low:
            raise argparse.ArgumentTypeError(f"expected {noun} ≥ {low}, found {n}")
        if high is not None and n > high:
            raise argparse.ArgumentTypeError(f"expected at most {high} {unit}, found {n}")
        return n

    return parse_text


# every whole-number option has a finite range (engine.ranges; README "Number ranges")
_positive = _whole(1, TOP_MAX, unit="offerings")
_top_k = _whole(1, 1000, unit="places")
_days = _whole(0, MAX_AGE_DAYS, parse="a whole number of days", noun="a number of days", unit="days")
_seed = _whole(0, SEED_MAX, parse="a whole number ≥ 0", noun="a whole number", unit="as a seed")
_samples = _whole(1, 1_000_000, unit="samples")


class UsageError(Exception):
    """A command-line usage mistake (exit code 2)."""


_GIVEN = "_shortlist_given"
"""Namespace attribute: the options given so far on this command line."""


class _Once(argparse.Action):
    """argparse's ``store`` that refuses a second occurrence of its option: argparse's
    own keeps the last value silently (``--vendors a --vendors b`` would use ``b``
    alone). Options meant to repeat say so with ``action="append"``."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[object] | None,
        option_string: str | None = None,
    ) -> None:
        given: dict[str, str] = getattr(namespace, _GIVEN, {})
        this = f"{option_string} {values}" if self.nargs != 0 else str(option_string)
        if self.dest in given:
            raise argparse.ArgumentError(
                self, f"given more than once ({given[self.dest]}, then {this}): give it once"
            )
        setattr(namespace, _GIVEN, {**given, self.dest: this})
        setattr(namespace, self.dest, values if self.nargs != 0 else self.const)


class _OnceTrue(_Once):
    """argparse's ``store_true``, refusing a second occurrence (see :class:`_Once`)."""

    def __init__(
        self, option_strings: Sequence[str], dest: str, default: object = False, **kw: object
    ) -> None:
        super().__init__(option_strings, dest, nargs=0, const=True, default=default, **kw)  # type: ignore[arg-type]


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # every single-valued option, in groups too, refuses a repeat
        self.register("action", None, _Once)
        self.register("action", "store", _Once)
        self.register("action", "store_true", _OnceTrue)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: error: {message} (see {self.prog} --help)")

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        # argparse swallows an OSError here: `shortlist --help > /dev/full` would exit 0
        # with nothing written. Let it reach main(), which reports it (exit 2, or 141).
        if message:
            (file or sys.stderr).write(message)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    parser = _Parser(prog="shortlist", description="Rank AI vendor offerings against a buyer's priorities.")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--vendors",
            metavar="DIR",
            help="vendor profiles directory (default: ./vendors, else the bundled one)",
        )
        p.add_argument(
            "--criteria", metavar="DIR", help="criteria directory (default: ./criteria, else the bundled one)"
        )

    v = sub.add_parser(
        "validate",
        help="validate vendor profiles, the criteria catalog, presets, policies and priorities files",
    )
    v.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="vendor, priorities or policy files, vendors directories, or a priorities/ directory "
        "(default: vendors, criteria, presets, policies and ./priorities/)",
    )
    common(v)

    def scoring(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--priorities",
            metavar="FILE",
            help=f"priorities YAML file or preset name (default: {DEFAULT_PRESET})",
        )
        p.add_argument(
            "--weight", action="append", metavar="CRITERION=VALUE", help="override one weight (repeatable)"
        )
        p.add_argument(
            "--weight-order",
            metavar="'A > B > …'",
            help="rank-order centroid weights from an ordering of criteria (replaces the file's weights)",
        )
        p.add_argument(
            "--method",
            choices=METHODS,
            help="aggregation method (default: the priorities file's, else weighted-sum)",
        )
        p.add_argument(
            "--on",
            type=_date,
            metavar="YYYY-MM-DD",
            help="use prices in force on this date (default: priorities on_date, else today)",
        )
        common(p)

    r = sub.add_parser("rank", help="rank the offerings")
    scoring(r)
    r.add_argument(
        "--format",
        choices=("table", "csv", "json", "xlsx"),
        default="table",
        help="table (default), csv, json, or xlsx: a formatted Excel workbook with Shortlist, Inputs "
        "and Sources sheets (needs --output)",
    )
    r.add_argument(
        "--top",
        type=_positive,
        metavar="N",
        help="only the first N ranked offerings (excluded ones are always listed)",
    )
    r.add_argument(
        "--output", metavar="FILE", help="write to FILE instead of stdout (required with --format xlsx)"
    )
    r.add_argument(
        "--excel",
        action="store_true",
        help="CSV with a UTF-8 byte-order mark for Excel (for a formatted workbook: --format xlsx)",
    )
    r.add_argument(
        "--record",
        metavar="FILE.md",
        help="also write a decision record (Markdown: inputs with SHA-256, weights, must-haves, ranking, "
        "exclusions, data age, robustness)",
    )

    e = sub.add_parser(
        "explain", help="explain one offering's score, its robustness and what would make it first"
    )
    e.add_argument("offering_id", metavar="OFFERING_ID")
    scoring(e)

    cp = sub.add_parser(
        "compare",
        help="compare two to four offerings side by side: values, points won and lost, facts, "
        "what would make each first",
    )
    cp.add_argument(
        "offering_ids", nargs="+", metavar="OFFERING_ID", help="two to four offering ids (the column order)"
    )
    scoring(cp)
    cp.add_argument("--format", choices=("table", "markdown", "csv", "json"), default="table")
    cp.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")

    s = sub.add_parser(
        "sensitivity",
        help="robustness of the ranking: stability intervals, rank acceptability (SMAA-2), Pareto front",
    )
    scoring(s)
    s.add_argument(
        "--samples",
        type=_samples,
        metavar="N",
        help="weight samples (default: the priorities file's, else 10000)",
    )
    s.add_argument(
        "--seed", type=_seed, metavar="S", help="random seed (default: the priorities file's, else 0)"
    )
    s.add_argument(
        "--concentration",
        type=_number,
        metavar="K",
        help="Dirichlet concentration around your weights, > 0; larger is closer (default 50)",
    )
    s.add_argument(
        "--order",
        metavar="'A > B > …'",
        help="sample weights uniformly among those that respect this order of criteria instead",
    )
    s.add_argument("--top-k", type=_top_k, metavar="K", help="track the order of the top K (default 3)")
    s.add_argument("--format", choices=("table", "csv", "json"), default="table")
    s.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")
    s.add_argument("--excel", action="store_true", help="CSV with a UTF-8 byte-order mark for Excel")

    from engine.batch import SCHEDULERS

    b = sub.add_parser(
        "batch",
        help="rank the catalog under many priorities files (and analyse each ranking's robustness), "
        "one output file each, serially or on Dask",
    )
    b.add_argument(
        "priorities",
        nargs="+",
        metavar="PRIORITIES",
        help="priorities YAML files or preset names; each writes DIR/<name>.csv (or .json)",
    )
    b.add_argument(
        "--robustness",
        action="store_true",
        help="also run each file's robustness analysis with its own robustness settings "
        "(DIR/<name>.sensitivity.json, as shortlist sensitivity --format json)",
    )
    b.add_argument(
        "--scheduler",
        choices=SCHEDULERS,
        default="serial",
        help="serial (default: one process, no Dask) or a Dask scheduler: threads, processes, "
        "synchronous (needs pip install 'shortlist[dask]')",
    )
    b.add_argument(
        "--format", choices=("csv", "json"), default="csv", help="of each ranking, as shortlist rank"
    )
    b.add_argument("--output-dir", required=True, metavar="DIR", help="directory for the output files")
    b.add_argument(
        "--on",
        type=_date,
        metavar="YYYY-MM-DD",
        help="use prices in force on this date (default: each file's on_date, else today)",
    )
    common(b)

    from engine.policy_output import FORMATS

    c = sub.add_parser(
        "check",
        help="check the catalog against a CI policy (exit 0 pass, 1 findings, 2 invalid input)",
    )
    c.add_argument(
        "--policy",
        required=True,
        metavar="FILE",
        help="policy YAML file, or the name of one in criteria/policies",
    )
    c.add_argument("--format", choices=FORMATS, default="text")
    c.add_argument("--output", metavar="FILE", help="write the report to FILE instead of stdout")
    c.add_argument(
        "--fail-on",
        choices=("deny", "warn"),
        default="deny",
        help="exit 1 on findings of this severity or worse (default: deny)",
    )
    c.add_argument(
        "--today",
        type=_date,
        metavar="YYYY-MM-DD",
        help="the date waivers and data age are judged on (default: the system date)",
    )
    c.add_argument(
        "--expiring-in",
        type=_days,
        metavar="DAYS",
        help="also report waivers that lapse within DAYS (as warn findings)",
    )
    common(c)

    from engine.schema import SCHEMA_KINDS

    df = sub.add_parser(
        "diff",
        help="how the ranking (and policy findings) change between two catalog versions, as Markdown",
    )
    side = df.add_mutually_exclusive_group(required=True)
    side.add_argument(
        "--base", metavar="REV", help="git revision of the base catalog (vendors/ and criteria/)"
    )
    side.add_argument("--base-vendors", metavar="DIR", help="a vendors directory to compare against instead")
    df.add_argument(
        "--priorities",
        metavar="FILE",
        help=f"priorities file or preset used on both sides (default: {DEFAULT_PRESET})",
    )
    df.add_argument("--policy", metavar="FILE", help="also compare this policy's findings")
    df.add_argument(
        "--on", type=_date, metavar="YYYY-MM-DD", help="price date on both sides (default: today)"
    )
    df.add_argument("--today", type=_date, metavar="YYYY-MM-DD", help="date the policy is judged on")
    df.add_argument("--fail-on", choices=("deny", "warn"), default="deny", help="severity the verdict uses")
    df.add_argument("--output", metavar="FILE", help="write the Markdown to FILE instead of stdout")
    common(df)

    it = sub.add_parser(
        "init",
        help="scaffold a catalog repository: example vendors, criteria, presets, a policy, a CI workflow",
    )
    it.add_argument("directory", metavar="DIR", help="a new (or empty) directory")

    im = sub.add_parser(
        "import",
        help="write vendor profiles from a price dataset installed as a package (genai-prices)",
    )
    im.add_argument("source", choices=("genai-prices",), help="the dataset (pip install 'shortlist[import]')")
    im.add_argument(
        "--output",
        metavar="DIR",
        default="vendors-genai-prices",
        help="directory for the profiles, one per provider (default: ./vendors-genai-prices)",
    )
    im.add_argument(
        "--on",
        type=_date,
        metavar="YYYY-MM-DD",
        help="take the prices in force on this date; later known changes go to prices.schedule "
        "(default: today)",
    )
    im.add_argument(
        "--as-of",
        type=_date,
        metavar="YYYY-MM-DD",
        help="the data date of the profiles (default: the package's release date, when known)",
    )

    pr = sub.add_parser("prices", help="compare the profiles' list prices with a price dataset")
    pr_sub = pr.add_subparsers(dest="prices_command", required=True)
    pc = pr_sub.add_parser(
        "check",
        help="report price drift against genai-prices (exit 0 none, 1 drift, 2 invalid input)",
    )
    pc.add_argument(
        "--tolerance",
        type=_percent,
        default=5.0,
        metavar="PCT",
        help="per cent a price may differ before it counts as drift (default: 5)",
    )
    pc.add_argument(
        "--on",
        type=_date,
        metavar="YYYY-MM-DD",
        help="compare the prices in force on this date (default: today)",
    )
    pc.add_argument("--format", choices=("text", "json"), default="text")
    pc.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")
    pc.add_argument(
        "--vendors",
        metavar="DIR",
        help="vendor profiles directory (default: ./vendors, else the bundled one)",
    )
    pc.set_defaults(criteria=None)

    sc = sub.add_parser("schema", help="print the JSON Schema of a YAML file kind (for editors and CI)")
    sc.add_argument("kind", choices=tuple(SCHEMA_KINDS))
    sc.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")
    return parser


EXIT_WRITE_FAILED = 2
"""Exit code when an output (a file, stdout) cannot be written: as for invalid input."""
EXIT_INTERRUPTED = 130
"""Exit code on Ctrl-C (128 + SIGINT), as a shell reports for Unix tools."""
EXIT_PIPE_CLOSED = 141
"""Exit code when the reader of stdout closed it (128 + SIGPIPE), as a shell reports for
Unix tools (``yes | head -1``): invisible in a pipeline unless ``set -o pipefail``, and
then a failure, so a truncated ``check`` never reads as a pass."""


class _ClosedStream(io.StringIO):
    """Stands in for a standard stream the process was started without (``>&-``)."""

    def write(self, s: str) -> int:
        raise OSError(errno.EBADF, "the stream is closed")


def _tolerant(stream: TextIO) -> None:
    """Let ``stream`` write any text: characters its encoding cannot represent (ASCII
    under ``PYTHONIOENCODING=ascii``, lone surrogates from undecodable file names) become
    backslash escapes instead of a ``UnicodeEncodeError``."""
    if isinstance(stream, io.TextIOWrapper) and stream.errors != "backslashreplace":
        try:
            stream.reconfigure(errors="backslashreplace")
        except (ValueError, OSError):  # closed, or a wrapper that cannot be reconfigured
            pass


def _to_devnull(stream: TextIO) -> None:
    """Point a real standard stream's descriptor at the null device, so what is still in
    its buffer does not fail again when the interpreter flushes it at exit (the recipe of
    the Python documentation for SIGPIPE). Streams given by a caller are left alone."""
    if stream not in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        return
    try:
        fd = stream.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
    except (OSError, ValueError):
        return
    try:
        os.dup2(null, fd)
    except OSError:
        pass
    finally:
        os.close(null)


def _fails(stream: TextIO) -> bool:
    """True when flushing ``stream`` fails (used to tell which channel broke)."""
    try:
        stream.flush()
    except (OSError, ValueError):
        return True
    return False


def _say(err: TextIO, line: str) -> None:
    """One line on stderr, unless stderr itself cannot be written."""
    try:
        print(line, file=err, flush=True)
    except (OSError, ValueError):
        _to_devnull(err)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the CLI; return the exit code.

    0 success; 1 findings (``check``) or drift (``prices check``); 2 invalid input,
    usage, or an output that could not be written (one line per problem on ``err``);
    130 interrupted; 141 ``out`` (or ``err``) closed by its reader (a broken pipe: no message).
    ``out`` and ``err`` default to ``sys.stdout`` and ``sys.stderr``; text they cannot
    encode is written as backslash escapes.
    """
    out = out if out is not None else sys.stdout if sys.stdout is not None else _ClosedStream()
    err = err if err is not None else sys.stderr if sys.stderr is not None else io.StringIO()
    _tolerant(out)
    _tolerant(err)
    try:
        code = _main(argv, out, err)
        out.flush()  # a closed pipe or a full disk shows here, not at interpreter exit
        err.flush()
        return code
    except BrokenPipeError:
        # e.g. `shortlist rank | head -1`: quiet, as Unix tools are
        _to_devnull(out)
        _to_devnull(err)
        return EXIT_PIPE_CLOSED
    except KeyboardInterrupt:
        _say(err, "shortlist: interrupted")
        return EXIT_INTERRUPTED
    except OSError as exc:
        # the commands turn every file they read or write into an InputError: what is
        # left is a standard stream that cannot be written (a full disk, an I/O error)
        channel, broken = ("<stdout>", out) if _fails(out) or not _fails(err) else ("<stderr>", err)
        reason = exc.strerror or str(exc)
        _to_devnull(broken)
        _say(err, str(Issue("io.write_error", f"cannot write the output: {reason}", file=channel)))
        return EXIT_WRITE_FAILED


def _main(argv: Sequence[str] | None, out: TextIO, err: TextIO) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(str(exc), file=err)
        return 2
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    handlers = {
        "validate": _cmd_validate,
        "rank": _cmd_rank,
        "explain": _cmd_explain,
        "compare": _cmd_compare,
        "sensitivity": _cmd_sensitivity,
        "check": _cmd_check,
        "schema": _cmd_schema,
        "init": _cmd_init,
        "diff": _cmd_diff,
        "batch": _cmd_batch,
        "import": _cmd_import,
        "prices": _cmd_prices,
    }
    try:
        return handlers[args.command](args, out, err)
    except InputError as exc:
        _print_issues(exc.issues, err)
        return 2


def main_entry() -> None:
    """Console-script entry point (``shortlist``)."""
    sys.exit(main())
