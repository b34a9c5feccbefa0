"""Concurrent submissions and a writer killed mid-write: nothing committed is lost, no
one overwrites another, the database stays consistent (SQLite file and PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import sqlalchemy as sa

from engine.committee.store import Store

from .helpers import open_decision

ROOT = Path(__file__).resolve().parents[2]
MEMBERS = 25
"""Members submitting at once; each submits twice: 50 concurrent submissions."""


def test_fifty_concurrent_submissions(db_url: str) -> None:
    with Store(db_url) as store:
        owner, toks = open_decision(store, [f"member {i:02d}" for i in range(MEMBERS)])
    start = threading.Barrier(2 * MEMBERS)
    errors: list[BaseException] = []
    revisions: list[int] = []
    lock = threading.Lock()

    def submit(i: int, token: str) -> None:
        try:
            with Store(db_url) as mine:  # one store (engine, connections) per writer
                start.wait(timeout=30)
                rev = mine.submit(
                    token, "weights", {"weights": {"capability": float(i)}, "derived": [0, 1, 0]}
                )
            with lock:
                revisions.append(rev)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=submit, args=(i, t)) for i, t in enumerate(list(toks.values()) * 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert sorted(revisions) == [1] * MEMBERS + [2] * MEMBERS
    with Store(db_url) as store:
        assert store.table_counts()["submissions"] == 2 * MEMBERS
        _, progress = store.progress(owner)
        assert all(p.revisions == 2 for p in progress)
        with store.engine.connect() as conn:  # each member's revisions numbered 1, 2: no overwrite
            pairs = conn.execute(
                sa.text("SELECT member_id, revision FROM submissions ORDER BY member_id, revision")
            ).all()
        assert len(set(pairs)) == 2 * MEMBERS


WRITER = """
import sys
from engine.committee.store import Store
store = Store(sys.argv[1])
k = 0
while True:
    k += 1
    rev = store.submit(sys.argv[2], "weights", {"weights": {"capability": float(k)}, "derived": [0, 1, 0]})
    print(rev, flush=True)
"""


def test_a_writer_killed_mid_write_loses_nothing_committed(db_url: str) -> None:
    with Store(db_url) as store:
        _owner, toks = open_decision(store, ["Ana"])
    committed = []
    with subprocess.Popen(
        [sys.executable, "-c", WRITER, db_url, toks["Ana"]],
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        text=True,
    ) as proc:
        assert proc.stdout is not None
        try:
            for line in proc.stdout:
                committed.append(int(line))
                if len(committed) == 40:
                    break
        finally:
            proc.send_signal(signal.SIGKILL)  # while it is in its next write
            proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert committed == list(range(1, 41))
    with Store(db_url) as store:
        if store.engine.dialect.name == "sqlite":
            with store.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
        _, rows = store.own_submissions(toks["Ana"])
        revs = [r.revision for r in rows]
        # every committed revision is there; at most the one in flight more, whole or not at all
        assert revs == list(range(1, len(revs) + 1)) and len(revs) in (40, 41)
        assert [r.payload["weights"]["capability"] for r in rows] == [float(k) for k in revs]
        assert (
            store.submit(toks["Ana"], "weights", {"weights": {"capability": 1.0}, "derived": [0, 1, 0]})
            == len(revs) + 1
        )
