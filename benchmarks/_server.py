"""A Streamlit server the benchmarks start: wait until it is healthy, stop it.

Shared by ``bench_app --browser`` and ``bench_sessions`` (each starts its own process,
with its own options and output)."""

from __future__ import annotations

import subprocess
import time
import urllib.request

START_S = 90.0
"""How long a server may take to answer ``/_stcore/health``."""


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
