"""Browser tests: the real Streamlit server (``streamlit run app.py``) driven in the real
system Chromium through Playwright's sync API.

One server and one browser per session; every test gets a fresh browser context (so a
fresh Streamlit session with the default preset). That server ranks the frozen 2026-11-29
catalog (``tests/conftest.py``: ``VENDORS``, through ``SHORTLIST_VENDORS``), as :func:`cli`
does (``--vendors``), so that the leaders and slider effects pinned in the tests do not
move with every update of the live ``vendors/``; ``live_server`` runs the app on the live
catalog as shipped (tests/e2e/test_live_catalog.py). Without the system Chromium or the
``playwright`` package every test here is skipped with one plain reason; with
``SHORTLIST_E2E_REQUIRED=1`` (CI) that is a failure instead, so the suite never
disappears silently. ``SHORTLIST_CHROMIUM`` names another Chromium binary.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from benchmarks._server import free_port, stop
from tests.conftest import ROOT, VENDORS

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

DEFAULT_CHROMIUM = "/usr/bin/chromium"
# The machine's network is closed: without these Chromium keeps dialling out (updates,
# sync, QUIC probes) and floods the log with refused connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 30_000  # one Streamlit rerun takes up to a few seconds on a busy 2-core machine
STARTUP_S = 90.0  # first start imports pandas, altair, scipy and the engine
VIEWPORT = {"width": 1400, "height": 900}
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"  # gitignored
# Variables that would point the app or the CLI at other data than the bundled catalog.
DATA_ENV = ("SHORTLIST_VENDORS", "SHORTLIST_CRITERIA")
# What must never appear in the server's output: a traceback, a Python warning, or
# Streamlit's widget warning (value set both as a default and through Session State).
BAD_LOG = re.compile(r"Traceback|warning|was created with a default value", re.IGNORECASE)


def _find_chromium() -> tuple[str | None, str]:
    """(path of an executable Chromium or None, where it was looked for)."""
    explicit = os.environ.get("SHORTLIST_CHROMIUM")
    if explicit:
        candidates, where = [explicit], f"{explicit} (SHORTLIST_CHROMIUM)"
    else:
        candidates, where = [DEFAULT_CHROMIUM, shutil.which("chromium")], f"{DEFAULT_CHROMIUM} or on PATH"
    for c in candidates:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return c, where
    return None, where


def browser_problem() -> tuple[str | None, str | None]:
    """(Chromium path, None) when the suite can run, else (None, why it cannot)."""
    path, where = _find_chromium()
    if path is None:
        return None, (f"no Chromium found at {where}; install Debian's chromium to run them")
    if importlib.util.find_spec("playwright") is None:
        return None, (
            "the playwright package is not installed; "
            "install the test extra (pip install -e '.[test]') to run them"
        )
    return path, None


CHROMIUM, PROBLEM = browser_problem()
REQUIRED = os.environ.get("SHORTLIST_E2E_REQUIRED") == "1"


def skip_module_without_browser() -> None:
    """Call at the end of each e2e test module's imports: without a browser the whole module
    is skipped with one reason (one line in ``-ra``); with ``SHORTLIST_E2E_REQUIRED=1``
    it is not skipped, and the ``chromium`` fixture fails every test instead."""
    if PROBLEM is not None and not REQUIRED:
        pytest.skip(f"e2e browser tests skipped: {PROBLEM}", allow_module_level=True)


def clean_env() -> dict[str, str]:
    """This process's environment without the data-directory overrides (the app then ranks
    the live bundled catalog)."""
    return {k: v for k, v in os.environ.items() if k not in DATA_ENV}


def frozen_env() -> dict[str, str]:
    """:func:`clean_env` with the app pointed at the frozen 2026-11-29 catalog."""
    return {**clean_env(), "SHORTLIST_VENDORS": str(VENDORS)}


def cli(*args: str) -> bytes:
    """``python -m engine ARGS --vendors VENDORS`` as a real subprocess from the repository
    root: its stdout (the command must take ``--vendors``; the frozen catalog, as
    :func:`server` ranks)."""
    done = subprocess.run(
        [sys.executable, "-m", "engine", *args, "--vendors", str(VENDORS)],
        cwd=ROOT,
        env=clean_env(),
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


@dataclass
class Server:
    """The running ``streamlit run app.py``: its URL and its captured output."""

    url: str
    log_path: Path
    proc: subprocess.Popen[bytes]

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def assert_log_clean(self) -> None:
        """No traceback and no warning (Python's or Streamlit's widget warning) in the log."""
        bad = [line for line in self.log().splitlines() if BAD_LOG.search(line)]
        assert not bad, "the Streamlit server logged problems (its whole log is below):\n" + "\n".join(bad)


@dataclass
class Screenshots:
    paths: list[Path] = field(default_factory=list)


_SCREENSHOTS = Screenshots()


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium binary; without one every browser test fails when
    ``SHORTLIST_E2E_REQUIRED=1`` (CI), else it is skipped (a module that calls
    ``skip_module_without_browser`` is skipped whole before this)."""
    if PROBLEM is not None:
        if REQUIRED:
            pytest.fail(f"e2e browser tests required (SHORTLIST_E2E_REQUIRED=1): {PROBLEM}", pytrace=False)
        pytest.skip(f"e2e browser tests skipped: {PROBLEM}")
    assert CHROMIUM is not None
    return CHROMIUM


@pytest.fixture(autouse=True)
def _needs_browser(chromium: str) -> None:
    """Every test in tests/e2e/ is skipped or failed by ``chromium`` before anything starts."""


def _health(url: str) -> str:
    # no proxy for the loopback server, whatever the environment says
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{url}/_stcore/health", timeout=2) as resp:
            return str(resp.read().decode("utf-8", errors="replace")).strip()
    except (urllib.error.URLError, OSError):
        return ""


@contextlib.contextmanager
def running_streamlit(
    app: str, cwd: Path, env: dict[str, str], log_path: Path
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``streamlit run APP`` headless on a free loopback port, started in ``cwd`` with
    ``env``, its output in ``log_path``; yields (URL, process) once ``/_stcore/health``
    answers ``ok`` and stops the server afterwards. Fails the test, with the log, when
    the server exits or is not healthy within ``STARTUP_S``."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "streamlit", "run", app, "--server.headless", "true"]
    cmd += [
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
    ]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + STARTUP_S
        while _health(url) != "ok":
            if proc.poll() is not None:
                text = log_path.read_text(errors="replace")
                pytest.fail(f"streamlit exited with code {proc.returncode} before it was healthy:\n{text}")
            if time.monotonic() > deadline:
                text = log_path.read_text(errors="replace")
                pytest.fail(
                    f"streamlit was not healthy at {url}/_stcore/health after {STARTUP_S:.0f}s:\n{text}"
                )
            time.sleep(0.25)
        yield url, proc
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def server(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``streamlit run app.py`` on the frozen catalog, on a free loopback port, output in a
    log file; stopped at the end."""
    log_path = tmp_path_factory.mktemp("e2e") / "streamlit.log"
    with running_streamlit("app.py", ROOT, frozen_env(), log_path) as (url, proc):
        yield Server(url, log_path, proc)


@pytest.fixture(scope="module")
def live_server(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``streamlit run app.py`` on the live bundled catalog (no data override), as shipped."""
    log_path = tmp_path_factory.mktemp("e2e-live") / "streamlit.log"
    with running_streamlit("app.py", ROOT, clean_env(), log_path) as (url, proc):
        yield Server(url, log_path, proc)


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[Browser]:
    """The system Chromium, headless, launched once for the session."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def settle(page: Page) -> None:
    """Wait until the script run is over: the app says ``notRunning`` and the "Running…"
    status widget is gone. Call it after seeing the effect of an action (the rerun a key
    press triggers may not have started yet right after the press)."""
    from playwright.sync_api import expect

    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)


@pytest.fixture
def app(browser: Browser, server: Server) -> Iterator[Page]:
    """A fresh page (fresh browser context: fresh Streamlit session) on the app, loaded and
    settled; uncaught page errors fail the test."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(server.url)
        # the export section comes last in the script: once it shows, so does the page
        expect(page.get_by_role("button", name="Download shortlist (CSV)")).to_be_visible()
        expect(page.get_by_test_id("stSlider")).to_have_count(10)  # one per criterion (sovereignty the tenth)
        settle(page)
        yield page
        assert not errors, f"uncaught errors in the page: {errors}"
    finally:
        context.close()


@pytest.fixture
def screenshots() -> Screenshots:
    """Where tests record the screenshots they took (listed at the end of the run)."""
    return _SCREENSHOTS


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for p in _SCREENSHOTS.paths:
        terminalreporter.write_line(f"e2e screenshot: {p}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failed browser test shows the server's log beside its traceback."""
    report: pytest.TestReport = yield
    srv = getattr(item, "funcargs", {}).get("server")
    if report.failed and isinstance(srv, Server):
        report.sections.append(("streamlit server log", srv.log()))
    return report
