"""``shortlist diff``: how the ranking changed between two catalogs (or git revisions)."""

from __future__ import annotations

import argparse
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from engine.catalog.loading import (
    LocalResolver,
    catalog_roots,
    input_name,
    load_catalog,
    load_criteria,
    load_policy_doc,
    load_priorities_doc,
    locate,
    policy_priorities,
    resolve_policy,
    resolve_priorities,
)
from engine.cli.common import _dirs, _print_issues, _write
from engine.errors import InputError
from engine.mcda.scoring import rank


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


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import tempfile

    from engine.policy.rules import check_policy
    from engine.reports.diff import diff_markdown, diff_rankings

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
