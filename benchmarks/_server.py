"""A Streamlit server the benchmarks start: the app and its inputs, a free port, the
command line, waiting until it is healthy, stopping it.

Shared by ``bench_app`` (``--browser``) and ``bench_sessions`` (each starts its own
process, with its own options and output)."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
BUNDLED_VENDORS = ROOT / "vendors"
CRITERIA = ROOT / "criteria"
APPLY = "Apply weights"  # the submit button of the weight sliders' form (ui/sidebar.py)

START_S = 90.0
"""How long a server may take to answer ``/_stcore/health``."""


def free_port() -> int:
    """A loopback port free now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def streamlit_args(port: int) -> list[str]:
    """The options every benchmark server runs with: headless on the loopback at ``port``,
    no usage statistics, no file watcher (a benchmark's server does not watch its files)."""
    return [
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]


def healthy(url: str, proc: subprocess.Popen[bytes], timeout_s: float = START_S) -> bool:
    """Wait until the Streamlit server at ``url`` answers its health check ``ok``;
    ``False`` when ``proc`` exits first or ``timeout_s`` passes (no proxy is used: the
    server is on the loopback)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with opener.open(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return True
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            return False
        time.sleep(0.25)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate the server, killing it when it does not exit within 15 s."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)
