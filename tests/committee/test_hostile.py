"""``shortlist committee`` under hostile or mistaken input (found by a fresh tester):
invitations are all or none, member names are compared ignoring case and spacing, a bad
database URL is exit 2 without its password, the SQLite file is private and never made
by a command that only reads, ``--weight`` says its range, an inconsistent AHP matrix is
kept with a warning the record repeats, a revoked member's row says so. Member names and
weights here are invented for the tests."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from engine.committee.store import Store, name_key
from engine.errors import InputError
from tests.committee.helpers import CRITERIA, clock, open_decision
from tests.committee.test_cli import CRIT, cli, ok_json, open_with_members
from tests.conftest import VENDORS, run_cli


def _code(e: pytest.ExceptionInfo[InputError]) -> str:
    return e.value.issues[0].code


# ---------------------------------------------------------------- 1. all or none


def test_an_invitation_with_one_bad_name_adds_no_one(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    new = ok_json(
        db, "new", "tender", "--vendors", str(VENDORS), *[a for c in CRIT for a in ("--criterion", c)]
    )
    owner = new["owner_token"]
    bad = ["Ana (IT)", "Security", "Legal", "Evil\x1b[31mRED", "Tab\there"]
    code, out, err = cli(db, "invite", *bad, token=owner)
    assert code == 2 and out == ""  # no token printed: none was made
    assert "member name 4" in err and "member name 5" in err  # every bad name, at once
    assert "\x1b" not in err
    code, _, err = cli(db, "invite", "Ana", "x" * 5000, token=owner)  # a long bad name, shortened
    assert code == 2 and "member name 2" in err and len(err) < 400
    assert ok_json(db, "status", token=owner)["members"] == []  # no one was added
    # the retry without the bad names works: nothing half-done is in the way
    made = ok_json(db, "invite", "Ana (IT)", "Security", "Legal", token=owner)["members"]
    assert [m["name"] for m in made] == ["Ana (IT)", "Security", "Legal"]
    # a second invitation of an invited member names that member, and adds no one else
    code, out, err = cli(db, "invite", "Finance", "Security", token=owner)
    assert code == 2 and out == ""
    assert "committee.duplicate_member" in err and "'Security'" in err
    assert [m["name"] for m in ok_json(db, "status", token=owner)["members"]] == [
        "Ana (IT)",
        "Security",
        "Legal",
    ]


# ---------------------------------------------------------------- 2. one member, one name


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Ana (IT)", "ana (it)"),
        ("Ana (IT)", "Ana  (IT)"),
        ("Ana (IT)", "ANA\u00a0(IT)"),  # a no-break space
        ("Ana (IT)", "\uff21na (IT)"),  # a fullwidth A (NFKC)
        ("Straße", "STRASSE"),  # case folding, not lower()
    ],
)
def test_names_differing_only_in_case_or_spacing_are_one_member(db_url: str, first: str, second: str) -> None:
    assert name_key(first) == name_key(second)
    with Store(db_url, clock=clock()) as store:
        owner, _ = open_decision(store, [first])
        with pytest.raises(InputError) as e:
            store.invite(owner, second)
        assert _code(e) == "committee.duplicate_member" and repr(first) in str(e.value)
        with pytest.raises(InputError) as e:  # within one invitation as well
            store.invite_many(owner, ["Someone", second.upper(), second])
        assert _code(e) == "committee.duplicate_member"
        assert [p.name for p in store.progress(owner)[1]] == [first]
        # revoking and re-inviting under another spelling is the same member, as first named
        assert store.revoke_member(owner, second) == (first, 1)
        assert store.invite_many(owner, [second])[0][0] == first
        assert [p.name for p in store.progress(owner)[1]] == [first]


def test_distinct_names_stay_distinct(db_url: str) -> None:
    with Store(db_url, clock=clock()) as store:
        _, toks = open_decision(store, ["Ana", "Ana B", "Anna"])
        assert len({t for t in toks.values()}) == 3


# ---------------------------------------------------------------- 3. database URLs


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://u:S3CRETPW@[::1:bad/x",  # an unclosed IPv6 host
        "postgresql://u:S3CRETPW@host:notaport/x",
        "postgresql://u:S3CRETPW@host:99999999999/x",
        "://u:S3CRETPW@host/x",
        "not a url S3CRETPW",
        "mysql://u:S3CRETPW@host/x",  # a database the store does not support
        "postgresql+nodriver://u:S3CRETPW@host/x",
        "oracle+cx_oracle://u:S3CRETPW@host/x",
        # the password as a query parameter (libpq reads it there too): a server that refuses
        "postgresql+psycopg://bob@127.0.0.1:1/db?password=S3CRETPW",
        "postgresql+psycopg:///db?host=127.0.0.1&port=1&user=bob&password=S3CRETPW",
        "postgresql+psycopg://bob@127.0.0.1:1/db?sslpassword=S3CRETPW&connect_timeout=2",
    ],
)
def test_an_unusable_database_url_is_exit_2_without_its_password(url: str) -> None:
    for args in (
        ("status", "--token", "x"),
        ("record", "--token", "x"),
        ("new", "n", "--vendors", str(VENDORS)),
    ):
        code, out, err = run_cli("committee", *args, "--database", url)
        assert code == 2 and out == ""
        assert "committee.database" in err and "S3CRETPW" not in err


def test_the_url_variable_is_checked_as_the_option_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHORTLIST_DATABASE_URL", "postgresql://u:S3CRETPW@[::1:bad/x")
    code, _, err = run_cli("committee", "status", "--token", "x")
    assert code == 2 and "committee.database" in err and "S3CRETPW" not in err


# ---------------------------------------------------------------- 4. the SQLite file


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_the_sqlite_file_and_its_wal_are_private(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    old = os.umask(0o022)  # a usual umask: world-readable files by default
    try:
        with Store(f"sqlite:///{path}", clock=clock()) as store:
            _, toks = open_decision(store, ["Ana"])
            store.submit(toks["Ana"], "weights", {"weights": {}, "derived": [1, 0, 0]})
            made = [p for p in tmp_path.iterdir() if p.name.startswith("c.db")]
            assert {p.name for p in made} >= {"c.db", "c.db-wal", "c.db-shm"}
            assert {p.name: _mode(p) for p in made} == {p.name: 0o600 for p in made}
    finally:
        os.umask(old)
    assert _mode(path) == 0o600


def test_commands_other_than_new_never_create_a_database(tmp_path: Path) -> None:
    path = tmp_path / "missing.db"
    db = f"sqlite:///{path}"
    for args in (
        ("status",),
        ("record",),
        ("invite", "Ana"),
        ("revoke", "Ana"),
        ("close",),
        ("submit", "--weight", "capability=1"),
    ):
        code, out, err = cli(db, *args, token="x")
        assert code == 2 and out == "", args
        assert "no committee database at" in err and str(path) in err
        assert not path.exists()
    code, _, err = cli("sqlite://", "status", token="x")  # in memory: never holds a decision
    assert code == 2 and "in-memory" in err
    for memory in ("sqlite://", "sqlite:///:memory:", "sqlite:///file:x.db?mode=memory&uri=true"):
        # nor may `new` open one there: the owner would get a token for a decision gone at exit
        code, out, err = cli(memory, "new", "n", "--vendors", str(VENDORS), "--criterion", "capability")
        assert code == 2 and out == "" and "in-memory" in err, memory
    assert list(tmp_path.iterdir()) == []


def test_a_failed_new_leaves_no_database_behind(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    db = f"sqlite:///{path}"
    for name in ("bad\x1bname", " spaced ", "x" * 201):
        code, out, _ = cli(db, "new", name, "--vendors", str(VENDORS), "--criterion", "capability")
        assert code == 2 and out == ""
        assert list(tmp_path.iterdir()) == []
    # an existing database is never removed by a failed new
    ok_json(db, "new", "first", "--vendors", str(VENDORS), "--criterion", "capability")
    code, _, _ = cli(db, "new", "bad\x1bname", "--vendors", str(VENDORS), "--criterion", "capability")
    assert code == 2 and path.exists()
    with Store(db) as store:
        assert store.table_counts()["decisions"] == 1


# ---------------------------------------------------------------- 5. --weight's range


@pytest.mark.parametrize("value", ["1e308", "1e6", "2000000", "-1", "inf", "nan", "1" + "0" * 400])
def test_a_weight_outside_the_range_says_the_range(tmp_path: Path, value: str) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    _, toks = open_with_members(db)
    code, out, err = cli(db, "submit", "--weight", f"capability={value}", token=toks["Legal"])
    assert code == 2 and out == ""
    assert "≥ 0 and ≤ 1000000" in err
    # rank's --weight: the same range (a plain decimal out of it: the schema's message)
    code, _, err = run_cli("rank", "--vendors", str(VENDORS), "--weight", f"capability={value}")
    assert code == 2 and any(x in err for x in ("≥ 0 and ≤ 1000000", "≤ 1e+06", "≥ 0"))


def test_weights_in_the_range_are_kept(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    _, toks = open_with_members(db)
    got = ok_json(
        db,
        "submit",
        *("--weight", "capability=1000000", "--weight", "compliance=0", "--weight", "monthly_cost=0.5"),
        token=toks["Legal"],
    )
    assert got["revision"] == 1 and got["warnings"] == []


# ---------------------------------------------------------------- 6 and 7. the record


INCONSISTENT = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]  # a cycle: each beats the next


def test_an_inconsistent_ahp_matrix_is_kept_said_and_recorded(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    owner, toks = open_with_members(db)
    f = tmp_path / "ahp.yaml"
    f.write_text(
        "criteria: ["
        + ", ".join(CRIT)
        + "]\nmatrix:\n"
        + "".join(f"  - {json.dumps(r)}\n" for r in INCONSISTENT)
    )
    code, out, err = cli(db, "submit", "--ahp", str(f), token=toks["Security"])
    assert code == 0 and "revision 1" in out
    assert "warning: AHP consistency ratio" in err and "above 0.10" in err
    got = ok_json(db, "submit", "--ahp", str(f), token=toks["Security"])
    assert got["revision"] == 2 and "consistency ratio" in got["warnings"][0]
    ok_json(db, "submit", "--weight", "capability=1", token=toks["Legal"])
    ok_json(db, "close", token=owner)
    code, record, _ = cli(db, "record", token=owner)
    assert code == 0
    row = next(x for x in record.splitlines() if x.startswith("| Security |"))
    assert "latest AHP matrix inconsistent" in row and "above 0.10" in row
    legal = next(x for x in record.splitlines() if x.startswith("| Legal |"))
    assert "inconsistent" not in legal


def test_a_revoked_member_is_recorded_as_revoked(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    owner, toks = open_with_members(db)
    ok_json(db, "submit", "--weight", "capability=1", token=toks["Security"])
    ok_json(db, "submit", "--weight", "capability=1", token=toks["Legal"])
    assert ok_json(db, "revoke", "security", token=owner) == {"member": "Security", "revoked": 1}
    ok_json(db, "revoke", "Finance", token=owner)
    ok_json(db, "close", token=owner)
    code, record, _ = cli(db, "record", token=owner)
    assert code == 0
    rows = {x.split(" | ")[0].removeprefix("| "): x for x in record.splitlines() if x.startswith("| ")}
    assert "token revoked on 20" in rows["Security"] and "after submitting 1 revision(s)" in rows["Security"]
    assert "did not submit" in rows["Finance"] and "token revoked on 20" in rows["Finance"]
    assert "before submitting anything" in rows["Finance"]
    assert "revoked" not in rows["Legal"] and "revoked" not in rows["Business"]


def test_the_store_reports_when_a_member_was_revoked(db_url: str) -> None:
    with Store(db_url, clock=clock()) as store:
        owner, _ = open_decision(store, ["Ana", "Ben"])
        store.revoke(owner, "Ana")
        progress = {p.name: p for p in store.progress(owner)[1]}
        assert progress["Ana"].revoked and progress["Ana"].revoked_at is not None
        assert progress["Ana"].revoked_at.tzinfo is not None
        assert not progress["Ben"].revoked and progress["Ben"].revoked_at is None
        store.invite(owner, "ana")  # a new token: no longer revoked
        assert next(p for p in store.progress(owner)[1] if p.name == "Ana").revoked_at is None


assert CRITERIA == CRIT  # the helpers' decision and the CLI's weigh the same criteria
