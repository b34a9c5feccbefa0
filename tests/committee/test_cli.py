"""``shortlist committee``: a decision from the command line, end to end, on SQLite and
PostgreSQL; the group result equals engine.mcda.group on the same inputs; access
refusals exit 2 with no data; the record is the same bytes every time."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from engine.catalog.loading import (
    catalog_roots,
    load_catalog,
    load_criteria,
    load_priorities,
    resolve_priorities,
)
from engine.mcda.elicitation import ahp_weights
from engine.mcda.group import aggregate_judgements, aggregate_priorities, ahp_consensus, kendall_w
from engine.mcda.scoring import rank
from tests.conftest import CRITERIA, VENDORS, run_cli

CRIT = ["monthly_cost", "capability", "compliance"]
MEMBERS = ["IT lead", "Security", "Legal", "Business", "Finance"]


def cli(db: str, *args: str, token: str | None = None) -> tuple[int, str, str]:
    extra = ["--token", token] if token is not None else []
    return run_cli("committee", *args, "--database", db, *extra)


def ok_json(db: str, *args: str, token: str | None = None) -> Any:
    code, out, err = cli(db, *args, "--format", "json", token=token)
    assert code == 0, err
    return json.loads(out)


def open_with_members(db: str, vendors: Path = VENDORS) -> tuple[str, dict[str, str]]:
    crit = [a for c in CRIT for a in ("--criterion", c)]
    new = ok_json(db, "new", "2027 LLM platform tender", "--vendors", str(vendors), *crit)
    assert new["criteria"] == CRIT
    owner = new["owner_token"]
    inv = ok_json(db, "invite", *MEMBERS, token=owner)
    return owner, {m["name"]: m["token"] for m in inv["members"]}


WEIGHTS = {
    "IT lead": {"monthly_cost": 50, "capability": 40, "compliance": 10},
    "Security": {"monthly_cost": 10, "capability": 30, "compliance": 60},
    "Legal": {"monthly_cost": 10, "capability": 20, "compliance": 70},
    "Business": {"monthly_cost": 30, "capability": 60, "compliance": 10},
    "Finance": {"monthly_cost": 70, "capability": 20, "compliance": 10},
}


def submit_weights(db: str, token: str, w: dict[str, int]) -> Any:
    pairs = [a for c, x in w.items() for a in ("--weight", f"{c}={x}")]
    return ok_json(db, "submit", *pairs, token=token)


def test_a_five_member_decision_end_to_end(db_url: str, tmp_path: Path) -> None:
    owner, toks = open_with_members(db_url)
    # a first, later revised submission by the IT lead
    assert (
        submit_weights(db_url, toks["IT lead"], {"monthly_cost": 1, "capability": 1, "compliance": 1})[
            "revision"
        ]
        == 1
    )
    for m, w in WEIGHTS.items():
        got = submit_weights(db_url, toks[m], w)
        assert got["revision"] == (2 if m == "IT lead" else 1)
    status = ok_json(db_url, "status", token=owner)
    assert [(m["name"], m["revisions"]) for m in status["members"]] == [
        ("IT lead", 2),
        ("Security", 1),
        ("Legal", 1),
        ("Business", 1),
        ("Finance", 1),
    ]
    assert "weights" not in json.dumps(status["members"])  # who, not what
    closed = ok_json(db_url, "close", token=owner)
    assert closed["aggregation"] == "aip-arithmetic"
    W = np.array([[WEIGHTS[m][c] / 100 for c in CRIT] for m in MEMBERS])
    expected = aggregate_priorities(W)
    got = np.array([closed["group_weights"][c] for c in CRIT])
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    # the group ranking is the engine's ranking with the group weights
    criteria = load_criteria(CRITERIA)
    catalog = load_catalog(
        [VENDORS], currencies=criteria.currencies(), roots=catalog_roots(VENDORS, CRITERIA)
    )
    base = load_priorities(resolve_priorities(None, CRITERIA))
    full = {c: 0.0 for c in criteria.ids()} | dict(zip(CRIT, expected, strict=True))
    ranking = rank(catalog, criteria, base, weights=full)
    assert [g["offering_id"] for g in closed["group_ranking"]] == [r.offering_id for r in ranking.ranked]
    np.testing.assert_allclose(
        [g["score"] for g in closed["group_ranking"]], [r.score for r in ranking.ranked], atol=1e-9
    )
    # each member's own ranking is the engine's ranking with that member's weights
    for k, m in enumerate(MEMBERS):
        alone = rank(catalog, criteria, base, weights={c: 0.0 for c in criteria.ids()} | WEIGHTS[m])
        assert closed["members"][k]["first"] == sorted(r.offering_id for r in alone.ranked if r.rank == 1)
    # Kendall's W over the members' scores, from engine.mcda.group
    ids = [g["offering_id"] for g in closed["group_ranking"]]
    scores = [
        [
            next(
                r.score
                for r in rank(
                    catalog, criteria, base, weights={c: 0.0 for c in criteria.ids()} | WEIGHTS[m]
                ).ranked
                if r.offering_id == o
            )
            for o in ids
        ]
        for m in MEMBERS
    ]
    assert closed["kendall_w"] == pytest.approx(kendall_w(np.array(scores)), abs=1e-9)
    assert closed["consensus"] is None  # S* is for AHP judgements
    acc = closed["acceptability"]
    assert sum(len(v) for v in acc["first_for_members"].values()) >= len(MEMBERS)
    assert sum(acc["hull_first"].values()) >= 1.0 - 1e-9
    # the record: the same bytes twice, every revision with its time
    one, two = tmp_path / "one.md", tmp_path / "two.md"
    for path, who in ((one, owner), (two, toks["Legal"])):
        code, _, err = cli(db_url, "record", "--output", str(path), token=who)
        assert code == 0, err
    assert one.read_bytes() == two.read_bytes()
    text = one.read_text()
    for m in MEMBERS:
        assert f"| {m} |" in text
    assert "IT lead, revision 1" in text and "IT lead, revision 2" in text
    assert "aip-arithmetic" in text and "Kendall's W" in text


AHP = {  # three members' reciprocal matrices over CRIT
    "IT lead": [[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]],
    "Security": [[1, 1 / 3, 1 / 5], [3, 1, 1 / 2], [5, 2, 1]],
    "Legal": [[1, 1, 1 / 3], [1, 1, 1 / 2], [3, 2, 1]],
}


def test_ahp_members_give_aij_and_the_ahp_consensus(db_url: str, tmp_path: Path) -> None:
    owner, toks = open_with_members(db_url)
    for m in ("Business", "Finance"):
        ok_json(db_url, "revoke", m, token=owner)
    for m, mat in AHP.items():
        f = tmp_path / f"{m}.yaml"
        f.write_text(
            "criteria: [" + ", ".join(CRIT) + "]\nmatrix:\n" + "".join(f"  - {json.dumps(r)}\n" for r in mat)
        )
        assert ok_json(db_url, "submit", "--ahp", str(f), token=toks[m])["kind"] == "ahp"
    closed = ok_json(db_url, "close", token=owner)
    assert closed["aggregation"] == "aij"
    mats = np.array([AHP[m] for m in AHP], dtype=float)
    group = ahp_weights(CRIT, aggregate_judgements(mats).tolist())
    np.testing.assert_allclose(
        [closed["group_weights"][c] for c in CRIT], [group.weights[c] for c in CRIT], atol=1e-12
    )
    W = np.array([[ahp_weights(CRIT, AHP[m]).weights[c] for c in CRIT] for m in AHP])
    cons = ahp_consensus(W)
    assert closed["consensus"]["s_star"] == pytest.approx(cons.consensus, abs=1e-12)
    assert closed["consensus"]["words"] == cons.words


def test_aij_needs_every_member_to_give_a_matrix(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    owner, toks = open_with_members(db)
    submit_weights(db, toks["Legal"], WEIGHTS["Legal"])
    code, out, err = cli(db, "close", "--aggregation", "aij", token=owner)
    assert code == 2 and out == "" and "committee.invalid_aggregation" in err and "Legal" in err
    geo = ok_json(db, "close", "--aggregation", "aip-geometric", token=owner)
    assert geo["aggregation"] == "aip-geometric"


def test_refusals_exit_2_with_no_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    owner, toks = open_with_members(db)
    submit_weights(db, toks["Legal"], WEIGHTS["Legal"])
    secret = "compliance=70"  # nothing of Legal's submission may show to anyone else before the close

    def refused(args: list[str], token: str | None, reason: str) -> None:
        code, out, err = cli(db, *args, token=token)
        assert code == 2, (args, out, err)
        assert out == "" and reason in err and "Traceback" not in err
        assert "70" not in err and secret not in err
        for t in toks.values():
            assert t not in err
        assert owner not in err

    refused(["record"], toks["Security"], "committee.not_closed")
    # another member's submission: refused, the same way whether the name exists or not
    refused(["status", "--member", "Legal"], toks["Security"], "committee.blind")
    refused(["status", "--member", "Nobody"], toks["Security"], "committee.blind")
    refused(["status", "--member", "Legal"], owner, "committee.blind")  # the owner sees progress only
    code, out, _ = cli(db, "status", "--member", "Legal", "--format", "json", token=toks["Legal"])
    assert code == 0 and json.loads(out)["submissions"][0]["weights"]["compliance"] == 0.7
    refused(["record"], owner, "committee.not_closed")
    refused(["close"], toks["Security"], "committee.not_owner")
    refused(["invite", "Eve"], toks["Security"], "committee.not_owner")
    refused(["revoke", "Legal"], toks["Security"], "committee.not_owner")
    refused(["submit", "--weight", "capability=1"], owner, "committee.not_member")
    refused(["status"], "wrong-token", "committee.unknown_token")
    refused(["submit", "--weight", "nonsense=1"], toks["Security"], "committee.invalid_submission")
    # a member's status shows their own submission only
    code, out, _ = cli(db, "status", "--format", "json", token=toks["Security"])
    assert code == 0 and json.loads(out)["submissions"] == [] and "70" not in out
    # the token from the environment, not the command line
    monkeypatch.setenv("SHORTLIST_COMMITTEE_TOKEN", toks["Legal"])
    code, out, _ = cli(db, "status", "--format", "json")
    assert code == 0 and json.loads(out)["member"] == "Legal"
    monkeypatch.delenv("SHORTLIST_COMMITTEE_TOKEN")
    refused(["status"], None, "no token given")
    ok_json(db, "revoke", "Security", token=owner)
    refused(["status"], toks["Security"], "committee.revoked_token")
    ok_json(db, "close", token=owner)
    refused(["submit", "--weight", "capability=1"], toks["Legal"], "committee.closed")
    # after the close every member's revisions are open to the decision's tokens
    code, out, _ = cli(db, "status", "--member", "Legal", "--format", "json", token=toks["Business"])
    assert code == 0 and len(json.loads(out)["submissions"]) == 1
    refused(["close"], owner, "committee.closed")


def test_a_changed_catalog_refuses_the_close(tmp_path: Path) -> None:
    vendors = tmp_path / "vendors"
    shutil.copytree(VENDORS, vendors)
    db = f"sqlite:///{tmp_path / 'c.db'}"
    owner, toks = open_with_members(db, vendors)
    submit_weights(db, toks["Legal"], WEIGHTS["Legal"])
    changed = sorted(vendors.glob("*.yaml"))[0]
    changed.write_bytes(changed.read_bytes() + b"\n# edited\n")
    code, out, err = cli(db, "close", token=owner)
    assert code == 2 and out == ""
    assert "committee.catalog_changed" in err and f"vendors/{changed.name}: changed" in err
    assert ok_json(db, "status", token=owner)["state"] == "open"
    # the original files elsewhere close it
    ok_json(db, "close", "--vendors", str(VENDORS), token=owner)


def test_text_output_and_default_database_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SHORTLIST_DATABASE_URL", raising=False)
    code, out, err = run_cli("committee", "new", "tender", "--vendors", str(VENDORS))
    assert code == 0, err
    assert "owner token" in out and (tmp_path / "shortlist-committee.db").is_file()


def test_names_are_printable_and_escaped_in_the_record(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    new = ok_json(
        db,
        "new",
        "tender",
        "--vendors",
        str(VENDORS),
        "--criterion",
        "capability",
        "--criterion",
        "compliance",
    )
    owner = new["owner_token"]
    for bad in ("Eve\n# forged heading", "Mallory\u200b", " padded", ""):
        code, out, err = cli(db, "invite", bad, token=owner)
        assert code == 2 and out == "" and "committee.invalid" in err, bad
    hostile = "[click](http://evil.example) | <b>x</b>"
    tok = ok_json(db, "invite", hostile, token=owner)["members"][0]["token"]
    ok_json(db, "submit", "--weight", "capability=1", token=tok)
    ok_json(db, "close", token=owner)
    code, out, _ = cli(db, "record", token=owner)
    assert code == 0
    assert "<b>" not in out and "](http://" not in out and "| <" not in out
    assert "\\[click\\]" in out


def test_sqlite_and_postgresql_give_the_same_result(tmp_path: Path) -> None:
    from .conftest import POSTGRES_URL, REQUIRED, SKIP_REASON, empty_postgres

    if not POSTGRES_URL:
        if REQUIRED:
            pytest.fail(SKIP_REASON)
        pytest.skip(SKIP_REASON)
    empty_postgres(POSTGRES_URL)
    results = []
    for db in (f"sqlite:///{tmp_path / 'c.db'}", POSTGRES_URL):
        owner, toks = open_with_members(db)
        for m, w in WEIGHTS.items():
            submit_weights(db, toks[m], w)
        results.append(ok_json(db, "close", token=owner))
    assert results[0] == results[1]


def test_a_bad_ahp_file_is_named_with_its_line(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    owner, toks = open_with_members(db)
    f = tmp_path / "ahp.yaml"
    f.write_text(
        "criteria: [monthly_cost, capability, compliance]\nmatrix:\n  - [1, 3, 5]\n  - [0.5, 1, 2]\n  - [0.2, 0.5, 1]\n"
    )
    code, out, err = cli(db, "submit", "--ahp", str(f), token=toks["Legal"])
    assert code == 2 and out == ""
    assert f"{f}:4: elicitation.ahp_not_reciprocal [matrix[1][0]]" in err
    f.write_text("criteria: [monthly_cost, capability]\nmatrix: [[1, 3], [0.3333, 1]]\n")
    code, out, err = cli(db, "submit", "--ahp", str(f), token=toks["Legal"])
    assert code == 2 and f"{f}:1: committee.invalid_submission [criteria]" in err
    assert ok_json(db, "status", token=owner)["members"][2]["revisions"] == 0
