"""The committee store on SQLite and PostgreSQL: migrations, lifecycle, access, append-only."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from engine.committee.store import TABLES, Store, hash_token
from engine.errors import InputError

from .helpers import CRITERIA, clock, open_decision

W = {"weights": {"capability": 1.0}, "derived": [0.0, 1.0, 0.0]}


def code(exc: pytest.ExceptionInfo[InputError]) -> str:
    return exc.value.issues[0].code


def test_migrations_create_the_schema_on_an_empty_database(db_url: str) -> None:
    engine = sa.create_engine(db_url)
    try:
        assert not set(TABLES) & set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
    with Store(db_url) as store:
        names = set(sa.inspect(store.engine).get_table_names())
        assert set(TABLES) | {"alembic_version"} <= names
        with store.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one() == "0001"
        assert store.table_counts() == dict.fromkeys(TABLES, 0)
    with Store(db_url) as again:  # a second open finds the schema at head and changes nothing
        assert again.table_counts() == dict.fromkeys(TABLES, 0)


def test_tokens_are_stored_hashed_only(db_url: str) -> None:
    with Store(db_url) as store:
        owner, toks = open_decision(store, ["Ana"])
        with store.engine.connect() as conn:
            stored = set(conn.execute(sa.text("SELECT token_hash FROM tokens")).scalars())
            dump = "\n".join(
                str(tuple(r)) for t in TABLES for r in conn.execute(sa.text(f"SELECT * FROM {t}"))
            )
        assert stored == {hash_token(owner), hash_token(toks["Ana"])}
        assert owner not in dump and toks["Ana"] not in dump
        assert len(owner) >= 43 and owner != toks["Ana"]  # token_urlsafe(32): 256 bits


def test_lifecycle_and_progress_without_content(db_url: str) -> None:
    with Store(db_url, clock=clock()) as store:
        owner, toks = open_decision(store, ["Ana", "Ben"])
        assert store.submit(toks["Ana"], "weights", W) == 1
        view, progress = store.progress(owner)
        assert view.state == "open" and view.criteria == tuple(CRITERIA)
        assert [(p.name, p.revisions) for p in progress] == [("Ana", 1), ("Ben", 0)]
        assert not any(hasattr(p, "payload") for p in progress)  # who, not what

        def compute(v, latest, weights):  # type: ignore[no-untyped-def]
            assert [s.member for s in latest] == ["Ana"] and weights == {"Ana": 1.0, "Ben": 1.0}
            return "aip-arithmetic", {"criteria": CRITERIA}

        closed = store.close_decision(owner, compute)
        assert closed.state == "closed" and closed.aggregation == "aip-arithmetic"
        assert closed.result == {"criteria": CRITERIA}
        view, _members, revisions = store.closed_record(toks["Ben"])  # after close: open to members
        assert [r.member for r in revisions] == ["Ana"]
        assert [r.revision for r in store.submissions_of(toks["Ben"], "Ana")] == [1]
        with pytest.raises(InputError) as e:
            store.submissions_of(owner, "Nobody")
        assert code(e) == "committee.unknown_member"


def test_access_rules(db_url: str) -> None:
    with Store(db_url) as store:
        owner, toks = open_decision(store, ["Ana", "Ben"])
        store.submit(toks["Ana"], "weights", W)
        # a member reads only their own submission
        name, rows = store.own_submissions(toks["Ben"])
        assert name == "Ben" and rows == ()
        name, rows = store.own_submissions(toks["Ana"])
        assert name == "Ana" and len(rows) == 1
        assert len(store.submissions_of(toks["Ana"], "Ana")) == 1
        for t, name in ((toks["Ben"], "Ana"), (owner, "Ana"), (toks["Ben"], "Nobody")):
            with pytest.raises(InputError) as e:
                store.submissions_of(t, name)
            assert code(e) == "committee.blind"
        # nothing of anyone's before the close
        for t in (owner, toks["Ben"], toks["Ana"]):
            with pytest.raises(InputError) as e:
                store.closed_record(t)
            assert code(e) == "committee.not_closed"
        # a member cannot close, invite, revoke or see progress
        for action in (
            lambda: store.close_decision(toks["Ben"], lambda *a: ("x", {})),
            lambda: store.invite(toks["Ben"], "Eve"),
            lambda: store.revoke(toks["Ben"], "Ana"),
            lambda: store.progress(toks["Ben"]),
        ):
            with pytest.raises(InputError) as e:
                action()
            assert code(e) == "committee.not_owner"
        with pytest.raises(InputError) as e:
            store.submit(owner, "weights", W)
        assert code(e) == "committee.not_member"
        with pytest.raises(InputError) as e:
            store.submit("not-a-token", "weights", W)
        assert code(e) == "committee.unknown_token"
        assert "not-a-token" not in str(e.value)


def test_revoked_tokens_and_reinvitation(db_url: str) -> None:
    with Store(db_url) as store:
        owner, toks = open_decision(store, ["Ana"])
        store.submit(toks["Ana"], "weights", W)
        with pytest.raises(InputError) as e:
            store.invite(owner, "Ana")  # still valid: no second token silently
        assert code(e) == "committee.duplicate_member"
        assert store.revoke(owner, "Ana") == 1
        for action in (
            lambda: store.submit(toks["Ana"], "weights", W),
            lambda: store.own_submissions(toks["Ana"]),
        ):
            with pytest.raises(InputError) as e:
                action()
            assert code(e) == "committee.revoked_token"
        new = store.invite(owner, "Ana")
        assert store.submit(new, "weights", W) == 2  # the same member: the revisions go on
        _, progress = store.progress(owner)
        assert [(p.name, p.revisions, p.revoked) for p in progress] == [("Ana", 2, False)]
        with pytest.raises(InputError) as e:
            store.revoke(owner, "Nobody")
        assert code(e) == "committee.unknown_member"


def test_submissions_are_append_only(db_url: str) -> None:
    with Store(db_url, clock=clock()) as store:
        _owner, toks = open_decision(store, ["Ana"])
        for k in range(3):
            payload = {"weights": {"capability": float(k + 1)}, "derived": [0.0, 1.0, 0.0]}
            assert store.submit(toks["Ana"], "weights", payload) == k + 1
        _, rows = store.own_submissions(toks["Ana"])
        assert [r.revision for r in rows] == [1, 2, 3]
        assert [r.payload["weights"]["capability"] for r in rows] == [1.0, 2.0, 3.0]
        assert rows[0].created_at < rows[1].created_at < rows[2].created_at
        for stmt in ("UPDATE submissions SET kind = 'order'", "DELETE FROM submissions"):
            with pytest.raises(sa.exc.DBAPIError, match="append-only"), store.engine.begin() as conn:
                conn.execute(sa.text(stmt))
        assert store.table_counts()["submissions"] == 3


def test_no_submission_after_close_and_no_second_close(db_url: str) -> None:
    with Store(db_url) as store:
        owner, toks = open_decision(store, ["Ana", "Ben"])
        with pytest.raises(InputError) as e:
            store.close_decision(owner, lambda *a: ("x", {}))
        assert code(e) == "committee.no_submissions"
        store.submit(toks["Ana"], "weights", W)
        store.close_decision(owner, lambda *a: ("aip-arithmetic", {}))
        for action in (
            lambda: store.submit(toks["Ben"], "weights", W),
            lambda: store.close_decision(owner, lambda *a: ("x", {})),
            lambda: store.invite(owner, "Eve"),
        ):
            with pytest.raises(InputError) as e:
                action()
            assert code(e) == "committee.closed"
        assert store.table_counts()["submissions"] == 1


def test_a_failing_close_changes_nothing(db_url: str) -> None:
    with Store(db_url) as store:
        owner, toks = open_decision(store, ["Ana"])
        store.submit(toks["Ana"], "weights", W)

        def fails(*_: object) -> tuple[str, dict[str, object]]:
            raise InputError.single("committee.catalog_changed", "x")

        with pytest.raises(InputError):
            store.close_decision(owner, fails)
        assert store.decision(owner).state == "open"
        assert store.submit(toks["Ana"], "weights", W) == 2


def test_bad_urls_and_unreachable_databases_are_input_errors(tmp_path: object) -> None:
    for url, shown in (
        ("not a url", "expected a database URL"),
        ("postgresql+psycopg://u:s3cret@127.0.0.1:1/db", "cannot open the database"),
        ("sqlite:////nonexistent-dir/x/y.db", "cannot open the database"),
    ):
        with pytest.raises(InputError) as e:
            Store(url)
        assert code(e) == "committee.database" and shown in str(e.value)
        assert "s3cret" not in str(e.value)


def test_a_database_migrated_by_a_newer_version_is_an_input_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    Store(url).close()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(InputError) as e:
        Store(url)
    assert code(e) == "committee.database" and "does not know" in str(e.value)
