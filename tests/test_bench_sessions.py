"""The sessions benchmark's driver works (benchmarks/bench_sessions.py; no timing is judged here).

The end-to-end test starts the real Streamlit server on the app and drives two sessions of
two weight moves each over Streamlit's websocket protocol with ``--quick --no-peer``: about
15 s on an idle 2-core machine, 30 s at load average 14, the slowest test outside
tests/e2e (the peer server runs the same code on another script; its rows are checked on
made-up figures below, without a server).
It needs no browser, only the app's packages (streamlit, which brings websockets) and the
POSIX signals the benchmark's launcher uses to run ``gc.collect()`` inside the server.
"""

from __future__ import annotations

import importlib.util
import json
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import bench_sessions as bs

ROOT = Path(__file__).resolve().parent.parent

needs_server = pytest.mark.skipif(
    importlib.util.find_spec("streamlit") is None or importlib.util.find_spec("websockets") is None,
    reason="the app's packages (streamlit, websockets) are not installed: pip install -e '.[app]'",
)
needs_posix_signals = pytest.mark.skipif(
    not hasattr(signal, "SIGUSR1"),
    reason="the benchmark's server launcher runs gc.collect() on SIGUSR1, which this platform lacks",
)


@needs_server
@needs_posix_signals
def test_quick_run_drives_real_sessions_and_prints_every_row(tmp_path: Path) -> None:
    out_json = tmp_path / "sessions.json"
    args = ["--quick", "--no-peer", "--sessions", "2", "--moves", "2", "--ttl", "1", "--json", str(out_json)]
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_sessions", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = proc.stdout
    for row in (
        "Shortlist: weight move",
        "Shortlist: first run (opening)",
        "Store.submit, 2 threads at once",
        "start: warm-up session expired, after gc",
        "2 sessions open (first run done)",
        "… and gc.collect() in the server",
        "per session: (open − start) / N",
        "after close vs start (≤ +10%)",
        "AppSession objects alive",
        "4 of 4 weight moves taken by the app",
        "every revision kept and numbered in turn: True",
        "machine ",
        "load avg",
        "targets: not judged",
    ):
        assert row in text, f"{row!r} missing from:\n{text}"
    doc = json.loads(out_json.read_text(encoding="utf-8"))
    assert [ld["label"] for ld in doc["loads"]] == ["Shortlist"]
    for ld in doc["loads"]:
        assert len(ld["reruns_s"]) == 4 and all(t > 0 for t in ld["reruns_s"])
        assert len(ld["first_runs_s"]) == 2
        assert set(ld["memory_mb"]) == {"fresh", "start", "open", "peak", "closed", "expired", "gc", "trim"}
        assert ld["gc"].startswith("gc ") and ld["trim"].startswith("trim ")
        assert "sessions=" in ld["gc"] and "blocks=" in ld["server_at_start"]
        assert len(ld["rounds"]) == 1
    assert doc["submissions"]["kept"] is True and len(doc["submissions"]["times_s"]) == 4
    assert doc["ttl_s"] == 1 and doc["rounds"] == 1 and doc["targets"]["judged"] is False
    assert doc["problems"] == [] and doc["checks_failed"] == []


def test_committee_is_refused_without_a_committee_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "app.py").write_text("import streamlit as st\n", encoding="utf-8")
    assert bs.main(["--committee", "--app", str(tmp_path / "app.py")]) == 1
    assert "no Committee page (ui/pages/committee.py)" in capsys.readouterr().err


def test_a_weight_move_sets_the_sliders_then_presses_apply() -> None:
    action = bs.move_weights({"capability": 40, "price": 5})
    assert action.steps == (
        bs.SetWidget("w_capability", 40),
        bs.SetWidget("w_price", 5),
        bs.Press(bs.APPLY),
    )
    submit = bs.committee_submit()
    assert submit.steps == (bs.Press(key="cm_submit"),) and submit.name == "submit"


def test_widget_states_are_encoded_as_the_frontend_sends_them() -> None:
    s = bs.Session("http://127.0.0.1:1", "t")
    s.widgets["w_capability"] = bs.Widget("$$ID-ab12-w_capability", "slider", "Capability", "weights")
    s.widgets["must_open"] = bs.Widget("$$ID-ab13-must_open", "checkbox", "Open weights only", "")
    slider = s._state(bs.SetWidget("w_capability", 40))
    assert slider.id == "$$ID-ab12-w_capability" and list(slider.double_array_value.data) == [40.0]
    assert s._state(bs.SetWidget("must_open", True)).bool_value is True
    with pytest.raises(bs.CannotMeasure, match="no widget with key 'w_nope'"):
        s._state(bs.SetWidget("w_nope", 1))
    with pytest.raises(bs.CannotMeasure, match="cannot set the slider"):
        s._state(bs.SetWidget("w_capability", "forty"))


def test_element_ids_give_the_user_keys() -> None:
    m = bs._ID.match("$$ID-159fc5642ea2b039d58be4bc912976df-req_eu-processing")
    assert m is not None and m["key"] == "req_eu-processing"


def test_a_move_counts_as_taken_when_the_link_carries_the_new_weights() -> None:
    s = bs.Session("http://127.0.0.1:1", "t")
    s.query = "preset=regulated-eu-bank&w_capability=40&w_price=5"
    assert bs.applied(s, {"capability": 40, "price": 5})
    assert not bs.applied(s, {"capability": 41})
    s.query = ""  # an app that writes no link (the empty peer app) is not checked
    assert bs.applied(s, {"capability": 41})


def test_slider_values_are_seeded_and_in_range() -> None:
    keys = [f"w_{c}" for c in "abcdef"]
    a = bs._values(random.Random(1), keys)
    assert a == bs._values(random.Random(1), keys)
    assert 2 <= len(a) <= 4 and all(0 <= v <= 100 for v in a.values())
    assert all(f"w_{c}" in keys for c in a)


def test_the_report_shows_the_peer_and_the_ratios(capsys: pytest.CaptureFixture[str]) -> None:
    def load(label: str, rerun: float, start: float, open_: float, end: float) -> bs.Load:
        ld = bs.Load(label, 2, first_runs=[0.5, 0.6], reruns=[rerun] * 4, rerun_bytes=[1000] * 4)
        ld.first_bytes = [2000, 2000]
        ld.memory = dict.fromkeys(("fresh", "peak", "closed", "expired", "trim"), start)
        ld.memory |= {"start": start, "open": open_, "gc": end}
        ld.rounds = [(end, "10")]
        ld.cpu_s, ld.wall_s, ld.moves = 0.4, 2.0, 4
        ld.start_note = "gc 1 blocks=5 objects=7 sessions=2"
        ld.gc_note = "gc 2 blocks=6 objects=8 sessions=2 grown=a.B:+3"
        return ld

    app, peer = load("Shortlist", 0.3, 200.0, 202.0, 230.0), load("empty app", 0.1, 50.0, 50.1, 50.5)
    args = bs.argparse.Namespace(sessions=2, moves=2, ttl=1, rounds=1)
    bs.print_report([app, peer], None, args, judge=False)
    text = capsys.readouterr().out
    assert "empty app: weight move" in text and "ratio Shortlist / empty app, weight move" in text
    assert "3.0×" in text  # 300 ms / 100 ms
    assert "20.0×" in text  # per session: 1 MB / 0.05 MB
    assert "+15.0%" in text and "+1.0%" in text  # 230 / 200, 50.5 / 50
    assert "2 → 2" in text and "a.B:+3" in text
    assert "server CPU 100 ms per weight move" in text and "busy 20% of one core" in text
