"""``shortlist committee new | invite | revoke | submit | status | close | record``.

A committee decision kept in a database (:mod:`engine.committee.store`): the URL comes
from ``--database`` or ``SHORTLIST_DATABASE_URL`` (default: the SQLite file
``shortlist-committee.db`` in the working directory). Tokens come from ``--token`` or
``SHORTLIST_COMMITTEE_TOKEN`` (the variable keeps them out of the shell's history and
the process list), never as a positional argument; a token is printed once, by the
command that makes it, and appears in no error message. Every command has
``--format json`` for scripts.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from engine.catalog.loading import (
    catalog_roots,
    input_name,
    read_input,
    resolve_priorities,
    validation_issues,
)
from engine.cli.common import _dirs, _write
from engine.errors import InputError, Issue, shown_path
from engine.reports.escape import terminal

TOKEN_VARIABLE = "SHORTLIST_COMMITTEE_TOKEN"
"""The environment variable a token may come from instead of ``--token``."""


def add_parser(sub: Any) -> None:
    """Add ``committee`` and its subcommands to the top-level subparsers ``sub``."""
    from engine.committee.analysis import AGGREGATIONS
    from engine.committee.store import DATABASE_URL_VARIABLE, DEFAULT_DATABASE_URL
    from engine.mcda.aggregation import METHODS

    cm = sub.add_parser(
        "committee",
        help="committee decisions: members weigh the criteria on their own, the owner closes, "
        "group priorities, consensus and dissent",
    )
    cs = cm.add_subparsers(dest="committee_command", required=True)

    def common(p: argparse.ArgumentParser, *, token: bool = True) -> None:
        p.add_argument(
            "--database",
            metavar="URL",
            help=f"database URL (default: ${DATABASE_URL_VARIABLE}, else {DEFAULT_DATABASE_URL})",
        )
        if token:
            p.add_argument(
                "--token",
                metavar="TOKEN",
                help=f"your token (default: ${TOKEN_VARIABLE}; prefer the variable: a command line is visible to other users)",
            )
        p.add_argument("--format", choices=("text", "json"), default="text")

    from engine.cli.parser import catalog_options as catalog

    n = cs.add_parser("new", help="open a decision; prints the owner's token (once)")
    n.add_argument("name", metavar="NAME", help='the decision\'s name, e.g. "2027 LLM platform tender"')
    n.add_argument(
        "--priorities",
        metavar="FILE",
        help="priorities file or preset: the must-haves and workload every member shares",
    )
    n.add_argument(
        "--criterion",
        action="append",
        metavar="ID",
        help="a criterion the members weigh (repeatable; default: those the priorities weight above 0)",
    )
    n.add_argument("--method", choices=METHODS, help="scoring method (default: the priorities file's)")
    catalog(n)
    common(n, token=False)

    i = cs.add_parser("invite", help="invite members (owner); prints each member's token (once)")
    i.add_argument(
        "members",
        nargs="+",
        metavar="NAME",
        help="a member's name or role, as it should appear in the record",
    )
    i.add_argument(
        "--weight",
        type=float,
        default=1.0,
        metavar="W",
        help="these members' weight in the group (default 1)",
    )
    common(i)

    rv = cs.add_parser(
        "revoke", help="revoke a member's token (owner); invite the member again for a new one"
    )
    rv.add_argument("member", metavar="NAME")
    common(rv)

    s = cs.add_parser("submit", help="submit (or revise) your own priorities (member)")
    g = s.add_mutually_exclusive_group(required=True)
    g.add_argument(
        "--weight", action="append", metavar="CRITERION=VALUE", help="a weight (repeatable; any scale)"
    )
    g.add_argument(
        "--weight-order", metavar="'A > B > …'", help="an order of criteria: rank-order centroid weights"
    )
    g.add_argument(
        "--ahp", metavar="FILE", help="a YAML file with `criteria:` and a pairwise comparison `matrix:`"
    )
    common(s)

    st = cs.add_parser(
        "status", help="the owner: who has submitted (not what); a member: their own submissions"
    )
    st.add_argument(
        "--member",
        metavar="NAME",
        help="that member's submissions and revisions (before the close: your own only)",
    )
    common(st)

    c = cs.add_parser("close", help="close the decision (owner): group priorities, consensus, rankings")
    c.add_argument(
        "--aggregation",
        choices=AGGREGATIONS,
        default="auto",
        help="auto (default): aij when every member gave an AHP matrix, else aip-arithmetic",
    )
    catalog(c)
    common(c)

    r = cs.add_parser("record", help="the committee decision record (Markdown) of a closed decision")
    r.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")
    common(r)


def _token(args: argparse.Namespace) -> str:
    token = args.token if args.token is not None else os.environ.get(TOKEN_VARIABLE, "")
    if not token.strip():
        raise InputError.single(
            "committee.unknown_token", f"no token given: pass --token or set {TOKEN_VARIABLE}"
        )
    return str(token.strip())


def _store(args: argparse.Namespace, *, create: bool = False) -> Any:
    """The store; only ``committee new`` may create a SQLite file (every other command
    needs a decision, so a missing file is a mistyped --database, refused)."""
    from engine.committee.actions import database_url
    from engine.committee.store import Store

    return Store(database_url(args.database, os.environ), create=create)


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _say(args: argparse.Namespace, out: TextIO, data: Mapping[str, Any], lines: Sequence[str]) -> None:
    if args.format == "json":
        _write(_json(data), None, out, binary=True)
    else:
        _write("".join(terminal(x) + "\n" for x in lines), None, out)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    cmd = args.committee_command
    if cmd == "new":
        return _new(args, out)
    with _store(args) as store:
        token = _token(args)
        if cmd == "invite":
            made = store.invite_many(token, args.members, weight=args.weight)
            _say(
                args,
                out,
                {"members": [{"name": m, "token": t} for m, t in made]},
                [f"{m}: {t}" for m, t in made]
                + [
                    "Give each member their own token (shown only now); it lets them submit and read their own priorities."
                ],
            )
        elif cmd == "revoke":
            who, n = store.revoke_member(token, args.member)
            _say(args, out, {"member": who, "revoked": n}, [f"{who}: {n} token(s) revoked"])
        elif cmd == "submit":
            _submit(args, store, token, out, err)
        elif cmd == "status":
            _status(args, store, token, out)
        elif cmd == "close":
            _close(args, store, token, out)
        else:
            from engine._version import __version__
            from engine.committee.record import committee_record

            view, members, revisions = store.closed_record(token)
            _write(committee_record(view, members, revisions, version=__version__), args.output, out)
    return 0


def _new(args: argparse.Namespace, out: TextIO) -> int:
    from engine.committee.actions import open_decision

    criteria_dir, vendors_dir = _dirs(args)
    ppath = resolve_priorities(args.priorities, criteria_dir)
    raw = read_input(ppath)
    with _store(args, create=True) as store:
        try:
            did, token, weighed = open_decision(
                store,
                args.name,
                priorities_yaml=raw,
                priorities_shown=shown_path(ppath),
                # named as the decision record names inputs (catalog_roots): no machine's path in it
                priorities_name=input_name(ppath, catalog_roots(vendors_dir, criteria_dir)),
                vendors_dir=vendors_dir,
                criteria_dir=criteria_dir,
                criteria=args.criterion,
                method=args.method,
            )
        except BaseException:
            store.discard()  # a database file this failed command created goes again
            raise
        url = store.url
    _say(
        args,
        out,
        {"decision": did, "owner_token": token, "database": url, "criteria": weighed},
        [
            f"decision {did} opened in {url}",
            f"owner token (shown only now; keep it secret): {token}",
            "next: shortlist committee invite NAME… (with the owner token in $SHORTLIST_COMMITTEE_TOKEN)",
        ],
    )
    return 0


def _submit(args: argparse.Namespace, store: Any, token: str, out: TextIO, err: TextIO) -> None:
    from engine.cli.common import WEIGHT_EXPECTED, weight_value
    from engine.committee.analysis import member_payload

    view = store.decision(token)
    crit = list(view.criteria)
    if args.weight:
        weights: dict[str, float] = {}
        issues = []
        for pair in args.weight:
            key, sep, val = pair.partition("=")
            x = weight_value(val) if sep else None
            if x is None or key in weights:
                why = "gives a criterion twice" if key in weights else f"expects {WEIGHT_EXPECTED}"
                issues.append(Issue("usage.invalid", f"--weight {why}, found {pair!r}", field="--weight"))
                continue
            weights[key.strip()] = x
        if issues:
            raise InputError(issues)
        kind, payload = "weights", member_payload("weights", crit, weights=weights)
    elif args.weight_order is not None:
        kind, payload = "order", member_payload("order", crit, order=args.weight_order)
    else:
        from pydantic import ValidationError

        from engine.catalog.schema import Ahp
        from engine.catalog.yamlio import load_yaml_bytes

        loaded = load_yaml_bytes(read_input(args.ahp), shown_path(args.ahp))
        try:
            ahp = Ahp.model_validate(loaded.data)
        except ValidationError as exc:
            raise InputError(validation_issues(exc, loaded, Ahp)) from None
        try:
            payload = member_payload("ahp", crit, ahp_criteria=ahp.criteria, matrix=ahp.matrix)
        except InputError as exc:  # named in the file: its line, the field as written there
            from engine.catalog.loading import locate

            plain = [replace(i, field=i.field.removeprefix("ahp.")) if i.field else i for i in exc.issues]
            raise InputError(locate(plain, loaded)) from None
        kind = "ahp"
    revision = store.submit(token, kind, payload)
    derived = dict(zip(crit, payload["derived"], strict=True))
    warnings = [str(payload["consistency_warning"])] if payload.get("consistency_warning") else []
    for w in warnings:  # kept, as `shortlist rank` keeps such priorities, but said
        print(terminal(f"warning: {w} (kept; the record notes it)"), file=err)
    _say(
        args,
        out,
        {"decision": view.id, "revision": revision, "kind": kind, "weights": derived, "warnings": warnings},
        [f"revision {revision} of your priorities kept ({kind}):"]
        + [f"  {c}: {100 * w:.1f}%" for c, w in derived.items()]
        + ["Only you can read it until the owner closes the decision."],
    )


def _revisions(view: Any, rows: Sequence[Any]) -> tuple[list[dict[str, Any]], list[str]]:
    data = [
        {
            "revision": r.revision,
            "kind": r.kind,
            "submitted": r.created_at.isoformat(),
            "weights": dict(zip(view.criteria, r.payload["derived"], strict=True)),
        }
        for r in rows
    ]
    lines = [
        f"  revision {r.revision} {r.created_at:%Y-%m-%d %H:%M:%S} UTC ({r.kind}): "
        + ", ".join(
            f"{c} {100 * float(w):.1f}%" for c, w in zip(view.criteria, r.payload["derived"], strict=True)
        )
        for r in rows
    ]
    return data, lines


def _status(args: argparse.Namespace, store: Any, token: str, out: TextIO) -> None:
    from engine.errors import InputError as _IE

    view = store.decision(token)
    if args.member is not None:
        rows = store.submissions_of(token, args.member)
        revs, rev_lines = _revisions(view, rows)
        _say(
            args,
            out,
            {"decision": view.id, "member": args.member, "submissions": revs},
            [f"{args.member}: {len(rows)} revision(s)", *rev_lines],
        )
        return
    head = {"decision": view.id, "name": view.name, "state": view.state, "criteria": list(view.criteria)}
    lines = [f"decision {view.id}: {view.name} ({view.state}); criteria: {', '.join(view.criteria)}"]
    if view.state == "closed" and view.result:
        first = [g["offering_id"] for g in view.result["group_ranking"] if g["rank"] == 1]
        head["group_first"] = first
        lines.append(
            f"group's first: {', '.join(first) or 'none'} (shortlist committee record for everything)"
        )
    try:
        _, progress = store.progress(token)
    except _IE as exc:
        if exc.issues[0].code != "committee.not_owner":
            raise
        name, rows = store.own_submissions(token)
        revs, rev_lines = _revisions(view, rows)
        data = {**head, "role": "member", "member": name, "submissions": revs}
        lines.append(f"you ({name}): {len(rows)} revision(s)")
        lines += rev_lines
        _say(args, out, data, lines)
        return
    data = {
        **head,
        "role": "owner",
        "members": [
            {
                "name": p.name,
                "weight": p.weight,
                "revisions": p.revisions,
                "last_submitted": p.last_submitted.isoformat() if p.last_submitted else None,
                "revoked": p.revoked,
            }
            for p in progress
        ],
    }
    done = sum(p.revisions > 0 for p in progress)
    lines.append(
        f"{done} of {len(progress)} member(s) submitted (what they submitted stays blind until the close)"
    )
    lines += [
        f"  {p.name}: "
        + (
            f"{p.revisions} revision(s), last {p.last_submitted:%Y-%m-%d %H:%M:%S} UTC"
            if p.last_submitted
            else "not yet"
        )
        + (" [token revoked]" if p.revoked else "")
        for p in progress
    ]
    _say(args, out, data, lines)


def _close(args: argparse.Namespace, store: Any, token: str, out: TextIO) -> None:
    from engine.committee.actions import close_decision

    closed = close_decision(
        store,
        token,
        aggregation=args.aggregation,
        vendors_dir=Path(args.vendors) if args.vendors else None,
        criteria_dir=Path(args.criteria) if args.criteria else None,
    )
    r = closed.result
    assert r is not None  # set by the close
    first = [g["offering_id"] for g in r["group_ranking"] if g["rank"] == 1]
    cons = r["consensus"]
    data = {
        "decision": closed.id,
        "state": closed.state,
        "aggregation": r["aggregation"],
        "group_weights": dict(zip(r["criteria"], r["group_weights"], strict=True)),
        "group_ranking": r["group_ranking"],
        "consensus": cons,
        "kendall_w": r["kendall_w"],
        "spread": r["spread"],
        "acceptability": r["acceptability"],
        "members": r["members"],
    }
    kw = r["kendall_w"]
    lines = [
        f"decision {closed.id} closed; group priorities by {r['aggregation']}:",
        *(f"  {c}: {100 * w:.1f}%" for c, w in zip(r["criteria"], r["group_weights"], strict=True)),
        f"group's first: {', '.join(first) or 'none'}",
        "AHP consensus S*: "
        + (f"{100 * cons['s_star']:.1f}% ({cons['words']})" if cons else "n/a (not all AHP)"),
        "Kendall's W: " + (f"{kw:.3f}" if kw is not None else "n/a"),
        "the record: shortlist committee record --output record.md",
    ]
    _say(args, out, data, lines)
