"""A committee meeting on one server: N live sessions moving weight sliders at once (issue 17, "Load").

Run from the repository root::

    python -m benchmarks.bench_sessions                  # 20 sessions, 5 moves each, 2 rounds (about 5 minutes)
    python -m benchmarks.bench_sessions --sessions 40 --moves 8 --rounds 3
    python -m benchmarks.bench_sessions --quick          # 2 sessions, 2 moves, 1 round (~40 s): targets not judged
    python -m benchmarks.bench_sessions --ttl 120        # Streamlit's default session TTL (waits 2 minutes)
    python -m benchmarks.bench_sessions --server-env MALLOC_ARENA_MAX=2   # experiment: glibc's arenas
    python -m benchmarks.bench_sessions --committee --app ../checkout-with-committee-page/app.py --no-peer
    python -m benchmarks.bench_sessions --json bench-sessions.json

Targets (issue 17): with 20 members online at once on one server process, the **p95 of
the rerun latency ≤ 500 ms**, and the server's **memory back within 10 % of its start**
once the sessions have closed.

How it measures:

* **The real server.** ``streamlit run app.py`` headless on a free loopback port (as
  ``benchmarks.bench_app._server``, whose code is copied here in :func:`serve` because
  that helper neither exposes the process, which the memory readings need, nor takes
  another script or options), with ``SHORTLIST_VENDORS`` on the bundled ``vendors/`` and
  ``SHORTLIST_DATABASE_URL`` on a SQLite file in a temporary directory. The server runs
  under a small launcher (:data:`LAUNCHER`) that adds two signal handlers and nothing
  else: ``SIGUSR1`` runs ``gc.collect()`` and ``SIGUSR2`` glibc's ``malloc_trim(0)``
  inside the server, so "after gc" is a reading of the server itself.
* **Real sessions over Streamlit's own protocol**, as the browser speaks it: a websocket
  on ``/_stcore/stream`` (subprotocol ``streamlit``), protobuf ``BackMsg`` up and
  ``ForwardMsg`` down, from the installed ``streamlit.proto``. A session opens with a
  ``rerun_script`` ``ClientState`` carrying the query string and page; each later rerun
  sends the ``ClientState`` the frontend sends: the current query string (the one the
  app wrote, from ``page_info_changed``), the current page's ``page_script_hash`` (from
  ``navigation``) and the widget states. Widgets are found in the deltas by their user
  key (the element id ``$$ID-<hash>-<key>``) or a button by its label. A weight move
  sets the form's sliders (``double_array_value``) and presses *Apply weights* (the form
  submit button's ``trigger_value``), exactly what the frontend sends when the form is
  submitted. The driver sends the states of the widgets it has set; every other widget
  keeps the value the server holds for it (a browser sends those too: a few hundred
  bytes more per message, no other difference to the server).
* **Rerun latency** is the time from sending the ``BackMsg`` to receiving the
  ``ForwardMsg`` ``script_finished`` of that run (a run finished early for another rerun
  does not count as the end); an exception element or an error alert in a run makes the
  app "not measurable" (exit 1). All sessions live in one asyncio loop of this process;
  they open at once (the first run of each is reported apart), wait for each other,
  then each makes ``--moves`` weight moves (random slider values, seeded) with a think
  time drawn uniformly from ``--think`` seconds before each. p50/p95/p99 are over all
  moves of all sessions and rounds (numpy's linear percentiles). Beside them: the
  server's CPU seconds per weight move (its user + system time over the moving phase /
  moves), the share of one core it was busy then (the script runs hold the GIL: near
  100 % the reruns queue), and the protobuf bytes the server sent per run. A check: the
  app took every move (the link it wrote carries the new weights).
* **Memory**: the server process's RSS (psutil; ``/proc`` without it): (0) fresh; (1)
  *start*: after one warm-up session (page opened, two moves, closed; the caches are
  filled as on a server in use) has expired and the server has run ``gc.collect()``;
  (2) with all N sessions open (per session = (2 − 1) / N); (3) peak while they move
  (sampled every 0.2 s); (4) right after they close (Streamlit keeps a disconnected
  session for ``server.disconnectedSessionTTL`` so that a reconnecting tab gets it back);
  (5) after that TTL: the bench waits TTL + 1 s, then opens and closes one probe
  session (Streamlit's session store drops expired sessions only on a write; the next
  visitor's disconnect is one, and the probe session itself runs no script); (6) after
  ``gc.collect()`` in the server: **judged** against (1); (7) after ``malloc_trim(0)``
  (information: memory glibc kept but the Python objects gave back). The TTL is 10 s by
  default here (``--ttl``; Streamlit's default is 120 s: the same cleanup, later).
  ``--rounds`` repeats the meeting (open, move, close, TTL, gc) on the same server: a
  leak grows round after round, a high-water mark does not; the judged figure is the
  worst round. With each ``gc.collect()`` the server also writes a census: Python's
  allocated blocks (``sys.getallocatedblocks``), gc-tracked objects, ``AppSession``
  objects alive, the media files (the download buttons' data) and the sessions that
  reference them, and the object types that grew most since the start (Streamlit
  internals read privately: ``?`` where a version moved them).
* **Peer row**: the same driver on an empty Streamlit app (:data:`EMPTY_APP`: one form with
  one slider and a submit button), so the framework's own per-session memory and rerun
  latency are visible; the ratios are Shortlist / empty app. The two servers run one after
  the other, never at once.
* **Submission latency on the store**: a decision with N members in a temporary SQLite
  file, then N threads submit ``--moves`` revisions each, all released at once by a
  barrier (the "submit now" moment of a meeting); latency of each ``Store.submit`` (one
  write transaction); p50/p95/p99, and a check that every revision was kept and
  numbered 1..moves per member. Information only: the issue sets no target for it.
* **Submission through the app** (``--committee``): the sessions are the members of one
  decision (opened and invited with the app checkout's own CLI, ``shortlist committee
  new`` and ``invite``, in the server's database) and open their personal links (the
  Committee page, ``/committee?token=…``, as a browser does: page name and query string
  in the first ``ClientState``); after each weight move a member presses *Submit my
  priorities* (key ``cm_submit``), a pluggable :class:`Action` that :meth:`Session.act`
  times like a move; the check: the database then holds every submission. ``--committee``
  needs ``ui/pages/committee.py`` beside the app (``--app`` may name another checkout: the
  server runs in the app's directory, so that checkout's own ``engine`` and ``ui`` are
  used) and is refused otherwise.

It is a report, not a test: the exit code is 0 even when a target is missed (missed
targets are listed at the end); it is 1 only when something cannot be measured (the server
does not start, a session sees an exception or error, a widget is missing, a submission
is lost).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import datetime as dt
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._report import (
    load_averages,
    load_span,
    machine,
    machine_line,
    print_verdict,
    versions,
    write_json,
)
from benchmarks._server import APP, APPLY, BUNDLED_VENDORS, CRITERIA, free_port, healthy, stop, streamlit_args

SOFTWARE = ("streamlit", "websockets", "protobuf", "sqlalchemy")  # versions printed and written
SLIDER_PREFIX = "w_"  # the weight sliders' keys: w_<criterion id>

P95_RERUN_MAX_MS = 500.0
MEMORY_BACK_MAX = 0.10  # (after close, TTL and gc) / start − 1


@dataclasses.dataclass(frozen=True)
class Size:
    sessions: int
    moves: int
    think: tuple[float, float]  # seconds, uniform
    ttl: int  # server.disconnectedSessionTTL, seconds
    stagger: float  # the sessions open within this many seconds
    rounds: int  # meetings one after the other on the same server


FULL = Size(sessions=20, moves=5, think=(2.0, 6.0), ttl=10, stagger=1.0, rounds=2)
QUICK = Size(sessions=2, moves=2, think=(0.1, 0.3), ttl=2, stagger=0.1, rounds=1)
SEED = 20_261_204

EMPTY_APP = '''"""An empty Streamlit app for bench_sessions: one form, one slider, one submit button."""
import streamlit as st

with st.form("weights", border=False):
    st.slider("Weight", 0, 100, 50, key="w_x")
    st.form_submit_button("Apply weights")
'''

LAUNCHER = r"""
import collections, ctypes, gc, os, signal, sys

_DONE = os.environ["SHORTLIST_BENCH_SIGNAL_FILE"]
_COUNT = [0]

def _done(what):
    _COUNT[0] += 1
    with open(_DONE, "w") as f:
        f.write(f"{_COUNT[0]} {what}")

_TYPES = []

def _census():
    # what the server still holds (private Streamlit internals: "?" where they moved);
    # the types of gc-tracked objects that grew most since the first census
    objs = gc.get_objects()
    types = collections.Counter(f"{type(o).__module__}.{type(o).__qualname__}" for o in objs)
    out = [f"blocks={sys.getallocatedblocks()}", f"objects={len(objs)}"]
    if _TYPES:
        grown = sorted(((n - _TYPES[0].get(t, 0), t) for t, n in types.items()), reverse=True)[:6]
        out.append("grown=" + ",".join(f"{t}:{d:+d}" for d, t in grown if d > 0))
    else:
        _TYPES.append(types)
    del objs
    try:
        from streamlit.runtime.app_session import AppSession
        out.append(f"sessions={sum(isinstance(o, AppSession) for o in gc.get_objects())}")
    except Exception:
        out.append("sessions=?")
    try:
        from streamlit.runtime import Runtime
        mgr = Runtime.instance().media_file_mgr
        files = getattr(mgr._storage, "_files_by_id", {})
        out.append(f"media_files={len(files)}")
        out.append(f"media_bytes={sum(len(f.content) for f in files.values())}")
        out.append(f"media_sessions={len(mgr._files_by_session_and_coord)}")
    except Exception:
        out.append("media_files=?")
    return " ".join(out)

def _collect(signum, frame):
    n = gc.collect()
    try:
        census = _census()
    except Exception as exc:
        census = f"census-failed={type(exc).__name__}"
    _done(f"gc {n} {census}")

def _trim(signum, frame):
    try:
        freed = ctypes.CDLL("libc.so.6").malloc_trim(0)
    except OSError:
        freed = -1
    _done(f"trim {freed}")

signal.signal(signal.SIGUSR1, _collect)
signal.signal(signal.SIGUSR2, _trim)
from streamlit.web.cli import main
sys.argv = ["streamlit", *sys.argv[1:]]
sys.exit(main())
"""
"""Runs ``streamlit`` with two signal handlers (gc.collect, malloc_trim) and nothing else."""


class CannotMeasure(Exception):
    """Something the benchmark needs is missing: the server, a widget, a clean run."""


# --------------------------------------------------------------------------- the server


@dataclasses.dataclass
class Server:
    url: str
    proc: subprocess.Popen[bytes]
    signal_file: Path
    log: Path
    ttl: int

    def rss_mb(self) -> float:
        return rss_mb(self.proc.pid)

    def signal(self, signum: int, timeout: float = 30) -> str:
        """Send ``signum`` to the server and wait until its handler has written its line."""
        before = self.signal_file.read_text() if self.signal_file.exists() else ""
        os.kill(self.proc.pid, signum)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            now = self.signal_file.read_text() if self.signal_file.exists() else ""
            if now and now != before:
                return now.split(" ", 1)[1]
            time.sleep(0.05)
        raise CannotMeasure(f"the server did not answer signal {signum} within {timeout:g} s")

    def log_tail(self, lines: int = 15) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        return ""


def rss_mb(pid: int) -> float:
    """Resident set size of process ``pid`` in MB (psutil; else Linux's /proc)."""
    try:
        import psutil  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise CannotMeasure("cannot read the server's memory: no psutil and no /proc") from None
    return float(psutil.Process(pid).memory_info().rss) / 2**20


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) process ``pid`` has used (psutil; else Linux's /proc)."""
    try:
        import psutil  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    t = psutil.Process(pid).cpu_times()
    return float(t.user + t.system)


@contextlib.contextmanager
def serve(app: Path, env: dict[str, str], ttl: int, workdir: Path) -> Iterator[Server]:
    """``streamlit run app`` headless on a free loopback port under :data:`LAUNCHER`.

    The options of :func:`benchmarks._server.streamlit_args` (as ``bench_app --browser``),
    with the process exposed, another script (run in its own directory),
    ``--server.disconnectedSessionTTL`` and the server's output in a log file (shown
    when it does not start).
    """
    port = free_port()
    signal_file = workdir / f"signals-{port}"
    log = workdir / f"server-{port}.log"
    full_env = {**os.environ, **env, "SHORTLIST_BENCH_SIGNAL_FILE": str(signal_file)}
    cmd = [sys.executable, "-c", LAUNCHER, "run", str(app), *streamlit_args(port)]
    cmd += ["--server.disconnectedSessionTTL", str(ttl)]
    with log.open("wb") as out:
        # in the app's directory: its own engine/ and ui/ come first on sys.path (another checkout's too)
        proc = subprocess.Popen(cmd, cwd=app.parent, env=full_env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    server = Server(url, proc, signal_file, log, ttl)
    try:
        if not healthy(url, proc):
            raise CannotMeasure(f"streamlit did not start at {url}:\n{server.log_tail()}")
        yield server
    finally:
        stop(proc)


# --------------------------------------------------------------------------- what a session does


@dataclasses.dataclass(frozen=True)
class SetWidget:
    """Give the widget with user key ``key`` the value ``value`` (as the frontend would)."""

    key: str
    value: float | bool | str


@dataclasses.dataclass(frozen=True)
class Press:
    """Press the button labelled ``label``, or the one with user key ``key`` (a form's submit
    button submits the form)."""

    label: str = ""
    key: str = ""


Step = SetWidget | Press


@dataclasses.dataclass(frozen=True)
class Action:
    """What a member does in one rerun: widgets set, then at most one button pressed."""

    name: str
    steps: tuple[Step, ...]


def move_weights(values: dict[str, int]) -> Action:
    """Move the weight sliders (``criterion id → points``) and press *Apply weights*."""
    steps: list[Step] = [SetWidget(SLIDER_PREFIX + c, v) for c, v in values.items()]
    return Action("weights", (*steps, Press(APPLY)))


COMMITTEE_PAGE = "committee"
"""URL path of the Committee page (``ui/pages/committee.py``)."""
COMMITTEE_SUBMIT_KEY = "cm_submit"
"""Key of its *Submit my priorities* button (docs/committee.md, "In the app")."""


def committee_submit(key: str = COMMITTEE_SUBMIT_KEY) -> Action:
    """A member's submission on the Committee page: press *Submit my priorities*, which
    sends the sidebar's weights as applied (a :func:`move_weights` comes first)."""
    return Action("submit", (Press(key=key),))


_ID = re.compile(r"^\$\$ID-[0-9a-f]+-(?P<key>.+)$")


@dataclasses.dataclass
class Widget:
    id: str
    kind: str  # the Element's oneof: slider, button, checkbox, ...
    label: str
    form_id: str


class Session:
    """One browser tab, spoken for over Streamlit's websocket protocol."""

    def __init__(self, url: str, name: str) -> None:
        self.ws_url = url.replace("http://", "ws://", 1) + "/_stcore/stream"
        self.name = name
        self.ws: Any = None
        self.query = ""
        self.page_hash = ""
        self.widgets: dict[str, Widget] = {}  # by user key
        self.buttons: dict[str, Widget] = {}  # by label
        self.states: dict[str, Any] = {}  # widget id → WidgetState the session has set
        self.problems: list[str] = []
        self.runs = 0
        self.received: list[int] = []  # bytes of ForwardMsg per run

    async def open(self, query: str = "", page_name: str = "") -> float:
        """Connect and run the page (the first run of a new tab); returns its seconds."""
        import websockets

        self.ws = await websockets.connect(
            self.ws_url, subprotocols=[websockets.Subprotocol("streamlit")], max_size=None, proxy=None
        )
        self.query = query
        return await self._rerun(page_name=page_name)

    async def act(self, action: Action) -> float:
        """Do ``action`` in one rerun; returns the seconds from sending it to its end."""
        trigger = None
        for step in action.steps:
            if isinstance(step, SetWidget):
                self.states[self._widget(step.key).id] = self._state(step)
            elif step.key:
                trigger = self._widget(step.key).id
            else:
                if step.label not in self.buttons:
                    raise CannotMeasure(
                        f"{self.name}: no button labelled {step.label!r} on the page "
                        f"(buttons: {', '.join(sorted(self.buttons)) or 'none'})"
                    )
                trigger = self.buttons[step.label].id
        return await self._rerun(trigger=trigger)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    def _widget(self, key: str) -> Widget:
        if key not in self.widgets:
            raise CannotMeasure(
                f"{self.name}: no widget with key {key!r} on the page "
                f"(keys: {', '.join(sorted(self.widgets)) or 'none'})"
            )
        return self.widgets[key]

    def _state(self, step: SetWidget) -> Any:
        from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: TID251

        w = self._widget(step.key)
        st = WidgetState(id=w.id)
        if w.kind == "slider" and isinstance(step.value, (int, float)):
            st.double_array_value.data.append(float(step.value))
        elif w.kind == "checkbox" and isinstance(step.value, bool):
            st.bool_value = step.value
        elif w.kind == "number_input" and isinstance(step.value, (int, float)):
            st.double_value = float(step.value)
        elif w.kind == "text_input" and isinstance(step.value, str):
            st.string_value = step.value
        else:
            raise CannotMeasure(f"{self.name}: cannot set the {w.kind} {step.key!r} to {step.value!r}")
        return st

    async def _rerun(self, *, trigger: str | None = None, page_name: str = "") -> float:
        from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: TID251
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: TID251
        from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: TID251

        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query
        cs.page_script_hash = self.page_hash
        cs.page_name = page_name
        cs.widget_states.widgets.extend(self.states.values())
        if trigger is not None:
            cs.widget_states.widgets.append(WidgetState(id=trigger, trigger_value=True))
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        received = 0
        while True:
            fwd = ForwardMsg()
            raw = await self.ws.recv()
            received += len(raw)
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "delta":
                self._delta(fwd)
            elif kind == "page_info_changed":
                self.query = fwd.page_info_changed.query_string
            elif kind == "navigation":
                self.page_hash = fwd.navigation.page_script_hash
            elif kind == "new_session" and not self.page_hash:
                self.page_hash = fwd.new_session.page_script_hash
            elif kind == "script_finished":
                status = fwd.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # another run follows at once: its end is this rerun's end
                seconds = time.perf_counter() - t0
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    self.problems.append("the script did not compile")
                self.runs += 1
                self.received.append(received)
                return seconds

    def _delta(self, fwd: Any) -> None:
        from streamlit.proto.Alert_pb2 import Alert  # noqa: TID251

        if fwd.delta.WhichOneof("type") != "new_element":
            return
        el = fwd.delta.new_element
        kind = el.WhichOneof("type")
        if kind is None:
            return
        sub = getattr(el, kind)
        if kind == "exception":
            self.problems.append(f"exception in the app: {sub.type}: {sub.message}")
        elif kind == "alert" and sub.format == Alert.ERROR:
            self.problems.append(f"error shown by the app: {sub.body[:200]}")
        wid = getattr(sub, "id", "")
        if not isinstance(wid, str) or not wid.startswith("$$ID-"):
            return
        w = Widget(wid, kind, str(getattr(sub, "label", "")), str(getattr(sub, "form_id", "")))
        m = _ID.match(wid)
        if m and m["key"] != "None":
            self.widgets[m["key"]] = w
        if kind in ("button", "download_button") and w.label:
            self.buttons[w.label] = w


# --------------------------------------------------------------------------- one server under load


@dataclasses.dataclass
class Load:
    """What the sessions on one server measured."""

    label: str
    sessions: int
    first_runs: list[float] = dataclasses.field(default_factory=list)
    reruns: list[float] = dataclasses.field(default_factory=list)
    memory: dict[str, float] = dataclasses.field(default_factory=dict)  # reading → MB
    problems: list[str] = dataclasses.field(default_factory=list)
    submits: list[float] = dataclasses.field(default_factory=list)  # Committee page: submit reruns
    submissions_stored: int | None = None  # … and the submissions the database then holds
    first_bytes: list[int] = dataclasses.field(default_factory=list)  # ForwardMsg bytes of each first run
    rerun_bytes: list[int] = dataclasses.field(default_factory=list)  # … of each weight move
    cpu_s: float = 0.0  # server CPU seconds while the sessions moved (all open, first runs done)
    wall_s: float = 0.0  # … and the wall seconds of that phase
    moves: int = 0
    applied: int = 0  # moves the app took (see :func:`applied`)
    rounds: list[tuple[float, str]] = dataclasses.field(default_factory=list)  # RSS MB, blocks after gc
    start_note: str = ""  # the server's gc line at the start: "gc <collected> sessions=… media_files=…"
    gc_note: str = ""  # … after the sessions closed and expired
    trim_note: str = ""

    def census(self, when: str) -> dict[str, str]:
        """What the server held at ``when`` ("start" or "gc"): AppSession objects alive, the
        media files (the download buttons' data) and the sessions referencing them."""
        note = self.start_note if when == "start" else self.gc_note
        return dict(t.split("=", 1) for t in note.split() if "=" in t)

    def pct(self, q: float, xs: Sequence[float] | None = None) -> float:
        xs = self.reruns if xs is None else xs
        return 1000 * float(np.percentile(np.asarray(xs, dtype=np.float64), q)) if xs else float("nan")

    @property
    def per_session_mb(self) -> float:
        return (self.memory["open"] - self.memory["start"]) / self.sessions

    @property
    def back(self) -> float:
        """(after close, TTL and gc) / start − 1, the worst round."""
        return max(rss for rss, _ in self.rounds) / self.memory["start"] - 1


class Sampler:
    """Samples a process's RSS every ``every`` seconds in a thread; keeps the peak."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        self.pid, self.every, self.peak = pid, every, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(Exception):
                self.peak = max(self.peak, rss_mb(self.pid))
            self._stop.wait(self.every)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


async def _probe(url: str) -> None:
    """Open and close one session that runs no script: its disconnect writes to the
    session store, which drops the expired sessions then."""
    import websockets

    async with websockets.connect(
        url.replace("http://", "ws://", 1) + "/_stcore/stream",
        subprotocols=[websockets.Subprotocol("streamlit")],
        proxy=None,
    ):
        await asyncio.sleep(0.2)


def applied(s: Session, values: dict[str, int]) -> bool:
    """Whether the app took the move: the link it wrote carries the new weights (Shortlist
    keeps the URL's query equal to its state); apps that write no query are not checked."""
    if not s.query:
        return True
    query = dict(urllib.parse.parse_qsl(s.query))
    return all(query.get(SLIDER_PREFIX + c) == str(v) for c, v in values.items())


def _values(rng: random.Random, keys: Sequence[str]) -> dict[str, int]:
    """New points for two to four sliders (a member adjusting a few of their weights)."""
    chosen = rng.sample(list(keys), k=min(len(keys), rng.randint(2, 4)))
    return {k.removeprefix(SLIDER_PREFIX): rng.randint(0, 100) for k in chosen}


async def _member(
    s: Session,
    rng: random.Random,
    moves: int,
    think: tuple[float, float],
    everyone_open: asyncio.Barrier,
    out: Load,
    stagger: float,
    link: tuple[str, str] | None,
) -> None:
    await asyncio.sleep(rng.uniform(0, stagger))  # members join within a second of each other
    out.first_runs.append(await s.open(*link) if link else await s.open())
    out.first_bytes.append(s.received[-1])
    await everyone_open.wait()
    keys = [k for k, w in s.widgets.items() if k.startswith(SLIDER_PREFIX) and w.kind == "slider"]
    if not keys:
        raise CannotMeasure(f"{s.name}: no weight slider ({SLIDER_PREFIX}…) on the page")
    for _ in range(moves):
        await asyncio.sleep(rng.uniform(*think))
        values = _values(rng, keys)
        out.reruns.append(await s.act(move_weights(values)))
        out.rerun_bytes.append(s.received[-1])
        out.moves += 1
        out.applied += applied(s, values)
        if link:  # a committee member: submit what was just applied
            out.submits.append(await s.act(committee_submit()))


async def _drive(
    url: str,
    n: int,
    moves: int,
    think: tuple[float, float],
    stagger: float,
    seed: int,
    out: Load,
    on_open: Callable[[], None],
    on_done: Callable[[], None],
    links: list[tuple[str, str]] | None = None,
) -> list[Session]:
    sessions = [Session(url, f"session {i + 1}") for i in range(n)]
    everyone_open = asyncio.Barrier(n + 1)
    tasks = [
        asyncio.create_task(
            _member(
                s,
                random.Random(seed + i),
                moves,
                think,
                everyone_open,
                out,
                stagger,
                links[i] if links else None,
            )
        )
        for i, s in enumerate(sessions)
    ]
    waiter = asyncio.create_task(everyone_open.wait())
    done, _ = await asyncio.wait([waiter, *tasks], return_when=asyncio.FIRST_COMPLETED)
    if waiter in done:
        on_open()  # every session has had its first run: the memory with N sessions open
        await asyncio.gather(*tasks)
        on_done()
    else:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for d in done:
            d.result()  # a session failed before all were open: its error
    return sessions


def open_decision(app: Path, env: dict[str, str], members: int) -> list[str]:
    """A decision with ``members`` members in the server's database, opened with the CLI of
    the app's own checkout (``shortlist committee new`` and ``invite``); the members' tokens."""
    base = [sys.executable, "-m", "engine", "committee"]
    full_env = {**os.environ, **env}

    def cli(*argv: str, token: str | None = None) -> Any:
        run_env = full_env | ({"SHORTLIST_COMMITTEE_TOKEN": token} if token else {})
        proc = subprocess.run(
            [*base, *argv, "--format", "json"], cwd=app.parent, env=run_env, capture_output=True, text=True
        )
        if proc.returncode != 0:
            raise CannotMeasure(f"shortlist committee {argv[0]} failed: {proc.stderr.strip()[-500:]}")
        return json.loads(proc.stdout)

    owner = cli("new", "bench_sessions: a committee meeting")["owner_token"]
    invited = cli("invite", *[f"member {i + 1}" for i in range(members)], token=owner)
    return [str(m["token"]) for m in invited["members"]]


def stored_submissions(env: dict[str, str]) -> int:
    """Rows in the submissions table of the server's SQLite database."""
    import sqlite3

    path = env["SHORTLIST_DATABASE_URL"].removeprefix("sqlite:///")
    with contextlib.closing(sqlite3.connect(path)) as db:
        return int(db.execute("SELECT count(*) FROM submissions").fetchone()[0])


def run_load(
    label: str,
    app: Path,
    env: dict[str, str],
    args: argparse.Namespace,
    workdir: Path,
    committee: bool = False,
) -> Load:
    """Start a server on ``app``, warm it, take the readings with N sessions, close them.
    With ``committee``, the sessions are members of one decision on the Committee page and
    submit after each weight move."""
    out = Load(label, args.sessions)
    with serve(app, env, args.ttl, workdir) as server:
        out.memory["fresh"] = server.rss_mb()
        tokens = open_decision(app, env, args.sessions + 1) if committee else []
        links = [(f"token={t}", COMMITTEE_PAGE) for t in tokens]

        # warm-up: one member opens the page and moves twice (the caches hot), then leaves
        async def warm() -> None:
            s = Session(server.url, "warm-up")
            await (s.open(*links[0]) if links else s.open())
            keys = [k for k, w in s.widgets.items() if k.startswith(SLIDER_PREFIX) and w.kind == "slider"]
            if not keys:
                raise CannotMeasure(f"{label}: no weight slider ({SLIDER_PREFIX}…) on the page")
            rng = random.Random(args.seed - 1)
            for _ in range(2):
                await s.act(move_weights(_values(rng, keys)))
                if links:
                    await s.act(committee_submit())
            await s.close()
            out.problems += s.problems

        asyncio.run(warm())
        expire(server)
        out.start_note = server.signal(signal.SIGUSR1)
        out.memory["start"] = server.rss_mb()

        for r in range(args.rounds):  # the same meeting again on the same server: a leak grows
            sessions: list[Session] = []

            clock: list[tuple[float, float]] = []  # (wall, server CPU) when all are open, when all moved

            def at_open(first: bool = r == 0, clock: list[tuple[float, float]] = clock) -> None:
                if first:
                    out.memory["open"] = server.rss_mb()
                clock.append((time.perf_counter(), cpu_s(server.proc.pid)))

            def at_done(clock: list[tuple[float, float]] = clock) -> None:
                clock.append((time.perf_counter(), cpu_s(server.proc.pid)))

            async def meeting(seed: int) -> None:
                nonlocal sessions
                sessions = await _drive(
                    server.url,
                    args.sessions,
                    args.moves,
                    args.think,
                    args.stagger,
                    seed,
                    out,
                    at_open,
                    at_done,
                    links[1:] or None,
                )
                for s in sessions:
                    await s.close()

            with Sampler(server.proc.pid) as sampler:
                asyncio.run(meeting(args.seed + 1000 * r))
            if len(clock) == 2:
                out.cpu_s += clock[1][1] - clock[0][1]
                out.wall_s += clock[1][0] - clock[0][0]
            out.memory["peak"] = max(sampler.peak, out.memory.get("open", 0.0), out.memory.get("peak", 0.0))
            for s in sessions:
                out.problems += [f"{s.name}: {p}" for p in s.problems]
            time.sleep(0.5)  # the server has seen the websockets close
            if r == 0:
                out.memory["closed"] = server.rss_mb()
            expire(server)
            if r == 0:
                out.memory["expired"] = server.rss_mb()
            out.gc_note = server.signal(signal.SIGUSR1)
            out.rounds.append((server.rss_mb(), out.census("gc").get("blocks", "?")))
            if r == 0:
                out.memory["gc"] = out.rounds[0][0]
        out.trim_note = server.signal(signal.SIGUSR2)
        out.memory["trim"] = server.rss_mb()
        if committee:
            out.submissions_stored = stored_submissions(env)
        if server.proc.poll() is not None:
            out.problems.append(f"the server stopped:\n{server.log_tail()}")
    return out


def expire(server: Server) -> None:
    """Wait out the disconnected-session TTL, then let the session store drop the expired ones."""
    time.sleep(server.ttl + 1)
    asyncio.run(_probe(server.url))
    time.sleep(0.3)


# --------------------------------------------------------------------------- submissions (the store)


@dataclasses.dataclass
class Submissions:
    times: list[float]
    kept: bool
    note: str


def time_store_submissions(n: int, per_member: int, db: Path) -> Submissions:
    """N threads submit ``per_member`` revisions each to one decision in a SQLite file,
    released together by a barrier; the seconds of each ``Store.submit``."""
    import engine
    from engine.committee.analysis import member_payload
    from engine.committee.store import Store

    ids = list(engine.load_criteria(CRITERIA).ids())
    with Store(f"sqlite:///{db}") as store:
        _, owner = store.create_decision(
            "bench_sessions: concurrent submissions",
            criteria=ids,
            snapshot={},  # not part of what is timed: a decision's snapshot is fixed at opening
            priorities_name="bench",
            priorities_yaml="",
            method="weighted-sum",
            vendors_dir=str(BUNDLED_VENDORS),
            criteria_dir=str(CRITERIA),
        )
        tokens = store.invite_many(owner, [f"member {i + 1}" for i in range(n)])
    member_tokens = [t for _, t in tokens]
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(n)

    def member(i: int, token: str) -> None:
        rng = random.Random(SEED + i)
        with Store(f"sqlite:///{db}", create=False) as mine:  # each member's own connection pool
            barrier.wait()
            for _ in range(per_member):
                payload = member_payload("weights", ids, weights={c: rng.randint(1, 100) for c in ids})
                t0 = time.perf_counter()
                try:
                    mine.submit(token, "weights", payload)
                except Exception as exc:  # reported, never raised in a thread
                    with lock:
                        errors.append(f"member {i + 1}: {exc}")
                    continue
                with lock:
                    times.append(time.perf_counter() - t0)

    threads = [threading.Thread(target=member, args=(i, t)) for i, t in enumerate(member_tokens)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with Store(f"sqlite:///{db}", create=False) as store:
        counts = store.table_counts()
        revisions_ok = True
        for token in member_tokens:
            _, rows = store.own_submissions(token)
            revisions_ok &= [r.revision for r in rows] == list(range(1, per_member + 1))
    kept = not errors and counts.get("submissions") == n * per_member and revisions_ok
    note = "; ".join(errors[:3]) if errors else ""
    return Submissions(times, kept, note)


# --------------------------------------------------------------------------- the report


def _ratio(a: float, b: float) -> str:
    """``a / b`` as ``"4.2×"``; ``"—"`` where a ratio means nothing: a zero or negative
    figure (a memory difference within the noise of a short run) or a missing one."""
    return f"{a / b:.1f}×" if a > 0 and b > 0 and np.isfinite(a) and np.isfinite(b) else "—"


def print_report(loads: list[Load], subs: Submissions | None, args: argparse.Namespace, judge: bool) -> None:
    app, peer = loads[0], (loads[1] if len(loads) > 1 else None)
    print()
    print(f"{'rerun latency (ms)':<44} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} {'n':>5} {'target':>8}")
    for ld in loads:
        xs = ld.reruns
        mx = 1000 * max(xs) if xs else float("nan")
        target = f"p95≤{P95_RERUN_MAX_MS:g}" if ld is app else ""
        print(
            f"  {ld.label + ': weight move':<42} {ld.pct(50):>7.0f} {ld.pct(95):>7.0f} {ld.pct(99):>7.0f} "
            f"{mx:>7.0f} {len(xs):>5} {target:>8}"
        )
        print(
            f"  {ld.label + ': first run (opening)':<42} {ld.pct(50, ld.first_runs):>7.0f} "
            f"{ld.pct(95, ld.first_runs):>7.0f} {ld.pct(99, ld.first_runs):>7.0f} "
            f"{1000 * max(ld.first_runs, default=float('nan')):>7.0f} {len(ld.first_runs):>5}"
        )
    for ld in loads:
        if ld.moves and ld.wall_s:
            print(
                f"  {ld.label}: server CPU {1000 * ld.cpu_s / ld.moves:.0f} ms per weight move; the server was busy "
                f"{100 * ld.cpu_s / ld.wall_s:.0f}% of one core while the sessions moved "
                f"({ld.moves / ld.wall_s:.1f} moves/s)"
            )
        if ld.rerun_bytes and ld.first_bytes:
            print(
                f"  {ld.label}: the server sent {np.median(ld.rerun_bytes) / 1000:.1f} kB per weight move, "
                f"{np.median(ld.first_bytes) / 1000:.1f} kB per first run (medians; protobuf, before compression)"
            )
    if peer:
        print(
            f"  {'ratio ' + app.label + ' / empty app, weight move':<42} {_ratio(app.pct(50), peer.pct(50)):>7} "
            f"{_ratio(app.pct(95), peer.pct(95)):>7} {_ratio(app.pct(99), peer.pct(99)):>7}"
        )
    if app.submits:
        print(
            f"  {app.label + ': Submit my priorities':<42} {app.pct(50, app.submits):>7.0f} "
            f"{app.pct(95, app.submits):>7.0f} {app.pct(99, app.submits):>7.0f} "
            f"{1000 * max(app.submits):>7.0f} {len(app.submits):>5} {'info':>8}"
        )
    if subs is not None:
        xs = subs.times
        print(
            f"  {f'Store.submit, {args.sessions} threads at once (no app)':<42} "
            f"{1000 * float(np.percentile(xs, 50)) if xs else float('nan'):>7.1f} "
            f"{1000 * float(np.percentile(xs, 95)) if xs else float('nan'):>7.1f} "
            f"{1000 * float(np.percentile(xs, 99)) if xs else float('nan'):>7.1f} "
            f"{1000 * max(xs, default=float('nan')):>7.1f} {len(xs):>5} {'info':>8}"
        )
    W = 20  # the width of a memory column
    print()
    print(
        f"{'server RSS (MB)':<44} "
        + " ".join(f"{ld.label[:W]:>{W}}" for ld in loads)
        + (f" {'ratio':>7}" if peer else "")
    )
    rows = [
        ("fresh", "fresh server, no session"),
        ("start", "start: warm-up session expired, after gc"),
        ("open", f"{args.sessions} sessions open (first run done)"),
        ("peak", "peak while they move"),
        ("closed", "right after they close (kept for the TTL)"),
        ("expired", f"after the TTL ({args.ttl} s) and a probe"),
        ("gc", "… and gc.collect() in the server"),
    ]
    for key, label in rows:
        cells = " ".join(f"{ld.memory.get(key, float('nan')):>{W}.1f}" for ld in loads)
        print(f"  {label:<42} {cells}")
    for r in range(1, args.rounds):
        cells = " ".join(f"{ld.rounds[r][0] if r < len(ld.rounds) else float('nan'):>{W}.1f}" for ld in loads)
        print(f"  {f'round {r + 1}: the same again, after gc':<42} {cells}")
    cells = " ".join(f"{ld.memory.get('trim', float('nan')):>{W}.1f}" for ld in loads)
    print(f"  {'… then malloc_trim(0) (info)':<42} {cells}")
    per = " ".join(f"{ld.per_session_mb:>{W}.2f}" for ld in loads)
    ratio = f" {_ratio(app.per_session_mb, peer.per_session_mb):>7}" if peer else ""
    print(f"  {'per session: (open − start) / N':<42} {per}{ratio}")
    back = " ".join(f"{100 * ld.back:>+{W - 1}.1f}%" for ld in loads)
    worst = ", worst round" if args.rounds > 1 else ""
    print(f"  {f'after close vs start{worst} (≤ +{100 * MEMORY_BACK_MAX:g}%)':<42} {back}")
    print(
        f"  {'after trim vs start (info)':<42} "
        + " ".join(f"{100 * (ld.memory['trim'] / ld.memory['start'] - 1):>+{W - 1}.1f}%" for ld in loads)
    )
    print(f"  {'what the server holds: start → after the last round':<42}")
    for what, label in (
        ("blocks", "Python memory blocks (getallocatedblocks)"),
        ("objects", "gc-tracked objects"),
        ("sessions", "AppSession objects alive"),
        ("media_files", "media files (download buttons' data)"),
        ("media_bytes", "media bytes"),
        ("media_sessions", "sessions referencing media files"),
    ):
        cells = " ".join(
            f"{ld.census('start').get(what, '?') + ' → ' + ld.census('gc').get(what, '?'):>{W}}"
            for ld in loads
        )
        print(f"    {label:<40} {cells}")
    for ld in loads:
        grown = ld.census("gc").get("grown", "")
        print(f"  {ld.label}: object types grown most since the start: {grown.replace(',', ', ') or 'none'}")
    if subs is not None:
        print()
        print(
            f"submissions on the store alone (no app): {len(subs.times)} Store.submit calls "
            f"({args.sessions} members × {args.moves}), every "
            f"revision kept and numbered in turn: {subs.kept}" + (f" ({subs.note})" if subs.note else "")
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--sessions", type=int, help="concurrent sessions (default 20; 2 with --quick)")
    ap.add_argument("--moves", type=int, help="weight moves per session (default 5; 2 with --quick)")
    ap.add_argument(
        "--think",
        type=float,
        nargs=2,
        metavar=("MIN", "MAX"),
        help="think time before each move, seconds (default 2 6; 0.1 0.3 with --quick)",
    )
    ap.add_argument(
        "--ttl",
        type=int,
        help="server.disconnectedSessionTTL in seconds (default 10; 2 with --quick; "
        "Streamlit's own default is 120)",
    )
    ap.add_argument(
        "--rounds",
        type=int,
        help="meetings one after the other on the same server, each N sessions that open, move and close "
        "(default 2; 1 with --quick): memory that grows round after round is a leak",
    )
    ap.add_argument("--seed", type=int, default=SEED, help="seed of the slider values and think times")
    ap.add_argument("--quick", action="store_true", help="smoke run: 2 sessions, 2 moves; targets not judged")
    ap.add_argument("--no-peer", action="store_true", help="skip the empty-app peer row")
    ap.add_argument("--app", type=Path, default=APP, help="the app script (default: app.py)")
    ap.add_argument(
        "--committee",
        action="store_true",
        help="the sessions are the members of one decision on the Committee page and submit after each move "
        "(needs ui/pages/committee.py next to --app)",
    )
    ap.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="EXPERIMENT: an environment variable for both servers (repeatable), e.g. MALLOC_ARENA_MAX=2",
    )
    ap.add_argument("--json", metavar="FILE", help="also write every time, reading and the machine as JSON")
    args = ap.parse_args(argv)
    size = QUICK if args.quick else FULL
    args.sessions = max(1, args.sessions or size.sessions)
    args.moves = max(1, args.moves or size.moves)
    args.think = tuple(sorted(args.think)) if args.think else size.think
    args.ttl = max(1, args.ttl if args.ttl is not None else size.ttl)
    args.stagger = size.stagger
    args.rounds = max(1, args.rounds or size.rounds)
    bad_env = [kv for kv in args.server_env if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", kv)]
    if bad_env:
        ap.error(f"--server-env expects NAME=VALUE, found {bad_env[0]!r}")
    if args.committee and not (args.app.resolve().parent / "ui" / "pages" / "committee.py").is_file():
        print(
            f"--committee: no Committee page (ui/pages/committee.py) next to {args.app}; "
            "run with --app on a checkout that has it",
            file=sys.stderr,
        )
        return 1
    judge = not args.quick and args.sessions >= 20
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    load_start = load_averages()
    print(
        f"Shortlist sessions benchmark — {args.sessions} concurrent sessions over Streamlit's websocket protocol, "
        f"{args.moves} weight moves each (think time {args.think[0]:g}–{args.think[1]:g} s), one server process"
        f"{' (QUICK: targets not judged)' if args.quick else ''}"
    )
    page = (
        "the Committee page, each session a member of one decision"
        if args.committee
        else "the page it opens by default"
    )
    peer = "no peer (--no-peer)" if args.no_peer else "peer: an empty app (one form, one slider)"
    print(f"app      {args.app} ({page}) on the bundled vendors/; {peer}")
    if args.server_env:
        print(f"EXPERIMENT the servers run with {' '.join(args.server_env)}")
    print(
        f"server   streamlit run, headless, loopback; server.disconnectedSessionTTL {args.ttl} s "
        "(Streamlit's default 120 s); file watcher off"
    )

    loads: list[Load] = []
    problems: list[str] = []
    subs: Submissions | None = None
    with tempfile.TemporaryDirectory(prefix="shortlist-bench-sessions-") as tmp:
        work = Path(tmp)
        (work / "empty_app.py").write_text(EMPTY_APP, encoding="utf-8")
        env = {
            "SHORTLIST_VENDORS": str(BUNDLED_VENDORS),
            "SHORTLIST_DATABASE_URL": f"sqlite:///{work / 'committee.db'}",
            **dict(kv.partition("=")[::2] for kv in args.server_env),
        }
        # the row names the page the sessions drive: the Shortlist page, or the Committee page
        app_label = "Committee page" if args.committee else "Shortlist"
        todo = [(app_label, args.app.resolve())]
        if not args.no_peer:
            todo.append(("empty app", work / "empty_app.py"))
        for label, app in todo:
            t0 = time.perf_counter()
            try:
                ld = run_load(label, app, env, args, work, committee=args.committee and label == app_label)
            except CannotMeasure as exc:
                problems.append(f"{label}: {exc}")
                break
            except Exception as exc:  # a closed websocket, a server gone: named, exit 1
                problems.append(f"{label}: {type(exc).__name__}: {exc}")
                break
            print(f"measured {label} in {time.perf_counter() - t0:.0f} s")
            loads.append(ld)
            problems += [f"{label}: {p}" for p in ld.problems]
        if loads and not problems:
            try:
                subs = time_store_submissions(args.sessions, args.moves, work / "submissions.db")
            except Exception as exc:  # the report names it
                problems.append(f"submissions: {type(exc).__name__}: {exc}")
    info_m = machine()
    load_end = load_averages()
    print(f"date     {now.isoformat()}")
    print(machine_line(info_m, load_span(load_start, load_end) + " (cores shared with other jobs)"))
    print(
        "software "
        + f"Python {info_m['python']}, "
        + ", ".join(f"{k} {v}" for k, v in versions(SOFTWARE).items())
    )
    if loads:
        print_report(loads, subs, args, judge)
    missed: list[str] = []
    bad: list[str] = []
    if loads and judge:
        app = loads[0]
        if app.pct(95) > P95_RERUN_MAX_MS:
            missed.append(
                f"p95 rerun {app.pct(95):.0f} ms > {P95_RERUN_MAX_MS:g} ms with {args.sessions} sessions"
            )
        if app.back > MEMORY_BACK_MAX:
            missed.append(
                f"memory after the sessions closed {100 * app.back:+.1f}% of the start "
                f"(> +{100 * MEMORY_BACK_MAX:g}%)"
            )
    if subs is not None and not subs.kept:
        bad.append("every submission kept")
    if loads and loads[0].submissions_stored is not None:
        app = loads[0]
        expected = len(app.submits) + 2  # the warm-up member submitted twice
        print(
            f"checks: through the app, the database holds {app.submissions_stored} submissions, {expected} were "
            f"made ({len(app.submits)} by the members, 2 by the warm-up member)"
        )
        if app.submissions_stored != expected:
            bad.append(f"every submission through the app stored ({app.submissions_stored}/{expected})")
    if loads:
        app = loads[0]
        print(
            f"checks: {app.applied} of {app.moves} weight moves taken by the app (the link it wrote carries "
            "the new weights)"
        )
        if app.applied != app.moves:
            bad.append(f"{app.label}: every weight move taken ({app.applied}/{app.moves})")
    print()
    if problems:
        print("COULD NOT BE MEASURED:")
        for p in problems:
            print(f"  - {p}")
    print_verdict(judge, "not judged (--quick or fewer than 20 sessions)", missed, bad)
    if args.json:
        doc = {
            "date": now.isoformat(),
            "machine": info_m,
            "load_average": {"start": load_start, "end": load_end},
            "versions": versions(SOFTWARE),
            "sessions": args.sessions,
            "moves": args.moves,
            "think_s": list(args.think),
            "ttl_s": args.ttl,
            "rounds": args.rounds,
            "server_env": args.server_env,
            "seed": args.seed,
            "targets": {"p95_rerun_ms": P95_RERUN_MAX_MS, "memory_back": MEMORY_BACK_MAX, "judged": judge},
            "loads": [
                {
                    "label": ld.label,
                    "reruns_s": ld.reruns,
                    "first_runs_s": ld.first_runs,
                    "rerun_bytes": ld.rerun_bytes,
                    "committee_submits_s": ld.submits,
                    "submissions_stored": ld.submissions_stored,
                    "server_cpu_s_moving": ld.cpu_s,
                    "wall_s_moving": ld.wall_s,
                    "moves": ld.moves,
                    "first_run_bytes": ld.first_bytes,
                    "rerun_ms": {"p50": ld.pct(50), "p95": ld.pct(95), "p99": ld.pct(99)},
                    "memory_mb": ld.memory,
                    "per_session_mb": ld.per_session_mb if "open" in ld.memory else None,
                    "back": ld.back if ld.rounds else None,
                    "rounds": [{"rss_mb": rss, "blocks": blocks} for rss, blocks in ld.rounds],
                    "server_at_start": ld.start_note,
                    "gc": ld.gc_note,
                    "trim": ld.trim_note,
                }
                for ld in loads
            ],
            "submissions": None
            if subs is None
            else {"times_s": subs.times, "kept": subs.kept, "note": subs.note or None},
            "missed": missed,
            "problems": problems,
            "checks_failed": bad,
        }
        write_json(args.json, doc)
    return 1 if problems or bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
