"""Output channels fail cleanly (issue #11, kind 6): a closed pipe, a full disk, an
output path that cannot be written and a stdout whose encoding cannot represent the
text each end a command with (at most) one line on stderr and a documented exit code —
never a traceback. In-process for every command, and as real processes."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine.cli import EXIT_PIPE_CLOSED, EXIT_WRITE_FAILED, main
from tests.conftest import ROOT, VENDORS

TODAY = "2026-11-29"
HOSTILE_NAME = "Aleph Alpha GmbH — Grüße aus Heidelberg, 5 € ≤ ∞ 😀"


@pytest.fixture(scope="module")
def unicode_vendors(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled vendors, with a vendor name no ASCII terminal can show."""
    d = tmp_path_factory.mktemp("uv") / "vendors"
    shutil.copytree(VENDORS, d)
    f = d / "aleph-alpha.yaml"
    text = f.read_text(encoding="utf-8")
    assert "\nname: Aleph Alpha\n" in text
    f.write_text(text.replace("\nname: Aleph Alpha\n", f'\nname: "{HOSTILE_NAME}"\n'), encoding="utf-8")
    return d


def _commands(vendors: Path, tmp: Path) -> dict[str, list[str]]:
    """Every command, with cheap arguments; each writes something to stdout."""
    v = ["--vendors", str(vendors)]
    return {
        "validate": ["validate", *v],
        "rank-table": ["rank", *v, "--on", TODAY],
        "rank-csv": ["rank", *v, "--on", TODAY, "--format", "csv"],
        "rank-json": ["rank", *v, "--on", TODAY, "--format", "json"],
        "explain": ["explain", "aleph-alpha-phariaai-private", *v, "--on", TODAY],
        "compare-table": [
            "compare",
            "aleph-alpha-phariaai-private",
            "mistral-large-4-api",
            *v,
            "--on",
            TODAY,
        ],
        "compare-markdown": [
            "compare",
            "aleph-alpha-phariaai-private",
            "mistral-large-4-api",
            *v,
            "--on",
            TODAY,
            "--format",
            "markdown",
        ],
        "sensitivity": ["sensitivity", *v, "--on", TODAY, "--samples", "200"],
        "check-text": ["check", "--policy", "eu-regulated", *v, "--today", TODAY],
        "check-github": ["check", "--policy", "eu-regulated", *v, "--today", TODAY, "--format", "github"],
        "diff": ["diff", "--base-vendors", str(VENDORS), *v, "--on", TODAY],
        "schema": ["schema", "vendor"],
        "batch": ["batch", "regulated-eu-bank", *v, "--on", TODAY, "--output-dir", str(tmp / "batch")],
        "import": ["import", "genai-prices", "--output", str(tmp / "imported"), "--on", TODAY],
        "prices-check": ["prices", "check", *v, "--on", TODAY],
        "init": ["init", str(tmp / "new-catalog")],
    }


COMMANDS = list(_commands(Path("v"), Path("t")))
DATA = {"rank-csv", "rank-json", "check-github", "schema"}
"""Commands above whose output is data (CSV, JSON, workflow commands): always UTF-8."""


class _Raw(io.RawIOBase):
    """A binary stream whose writes fail with ``error`` (after ``room`` bytes)."""

    def __init__(self, error: int, room: int = 0) -> None:
        self.error, self.room = error, room

    def writable(self) -> bool:
        return True

    def write(self, b: object) -> int:
        n = len(memoryview(b))  # type: ignore[arg-type]
        if n > self.room:
            cls = BrokenPipeError if self.error == errno.EPIPE else OSError
            raise cls(self.error, os.strerror(self.error))
        self.room -= n
        return n


def _failing(error: int, room: int = 0) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BufferedWriter(_Raw(error, room), buffer_size=64), encoding="utf-8")


def _run(argv: list[str], out: io.TextIOBase) -> tuple[int, str]:
    err = io.StringIO()
    code = main(argv, out=out, err=err)  # type: ignore[arg-type]
    assert "Traceback" not in err.getvalue()
    return code, err.getvalue()


@pytest.mark.parametrize("name", COMMANDS)
def test_closed_pipe_is_a_quiet_exit_141(name, unicode_vendors, tmp_path):
    code, err = _run(_commands(unicode_vendors, tmp_path)[name], _failing(errno.EPIPE))
    assert code == EXIT_PIPE_CLOSED == 141
    assert "io.write_error" not in err and "Broken pipe" not in err


@pytest.mark.parametrize("name", COMMANDS)
def test_full_disk_on_stdout_is_one_line_and_exit_2(name, unicode_vendors, tmp_path):
    code, err = _run(_commands(unicode_vendors, tmp_path)[name], _failing(errno.ENOSPC, room=100))
    assert code == EXIT_WRITE_FAILED == 2
    lines = [x for x in err.splitlines() if not x.startswith("note:")]
    assert lines == ["<stdout>: io.write_error: cannot write the output: No space left on device"]


@pytest.mark.parametrize("error", [errno.EIO, errno.EBADF, errno.ENOSPC])
def test_other_stream_errors_are_one_line(error):
    code, err = _run(["schema", "policy"], _failing(error))
    assert code == 2 and err == (f"<stdout>: io.write_error: cannot write the output: {os.strerror(error)}\n")


def test_real_dev_full_in_process():
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    full = open("/dev/full", "w", encoding="utf-8")
    try:
        code, err = _run(["schema", "criteria"], full)  # type: ignore[arg-type]
    finally:
        with contextlib.suppress(OSError):
            full.close()
    assert code == 2 and "No space left on device" in err and err.count("\n") == 1


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "cp1252"])
def test_narrow_encoding_escapes_instead_of_failing(name, encoding, unicode_vendors, tmp_path):
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding=encoding)
    code, err = _run(_commands(unicode_vendors, tmp_path)[name], out)
    assert code in (0, 1), err  # check and prices check may report findings
    written = raw.getvalue()
    assert written  # something was written
    if name in DATA:  # data formats: UTF-8 bytes whatever the terminal
        text = written.decode("utf-8")
        assert name not in ("rank-csv", "rank-json") or HOSTILE_NAME in text
    else:
        written.decode(encoding)  # only what the terminal's encoding can show


def test_ascii_table_escapes_the_vendor_name(unicode_vendors):
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="ascii")
    code, _ = _run(["explain", "aleph-alpha-phariaai-private", "--vendors", str(unicode_vendors)], out)
    text = raw.getvalue().decode("ascii")
    assert code == 0
    assert (
        "Aleph Alpha GmbH \\u2014 Gr\\xfc\\xdfe aus Heidelberg, 5 \\u20ac \\u2264 \\u221e \\U0001f600" in text
    )


def test_undecodable_file_name_in_the_record(tmp_path, unicode_vendors):
    """A file name with bytes that are not UTF-8 (a lone surrogate in Python) reaches the
    record's inputs and stderr: both are written, with the byte escaped."""
    vendors = tmp_path / "vendors"
    shutil.copytree(unicode_vendors, vendors)
    bad = os.fsdecode(b"stray-\xff.yaml")
    shutil.copy(vendors / "aleph-alpha.yaml", vendors / bad)
    record = tmp_path / "r.md"
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # strict, as a UTF-8 terminal
    code = main(
        ["rank", "--vendors", str(vendors), "--on", TODAY, "--record", str(record)],
        out=io.StringIO(),
        err=err,
    )
    err.flush()
    shown = err.buffer.getvalue().decode("utf-8")  # type: ignore[attr-defined]
    assert code == 2 and "stray-\\xff" in shown and "udc" not in shown and "Traceback" not in shown
    assert record.read_text(encoding="utf-8")  # valid UTF-8


# --------------------------------------------------------------------------- output files


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("missing-dir/out.txt", "No such file or directory"),
        (".", "Is a directory"),
        ("/dev/full", "No space left on device"),
        ("file.txt/below", "Not a directory"),
        ("x" * 300, "File name too long"),
    ],
)
@pytest.mark.parametrize(
    "argv",
    [
        ["rank", "--format", "csv", "--output"],
        ["rank", "--format", "xlsx", "--output"],
        ["rank", "--record"],
        ["compare", "mistral-large-4-api", "aleph-alpha-phariaai-private", "--output"],
        ["sensitivity", "--samples", "50", "--output"],
        ["check", "--policy", "eu-regulated", "--output"],
        ["schema", "priorities", "--output"],
    ],
)
def test_unwritable_output_file_is_one_line_naming_it(argv, target, reason, tmp_path, monkeypatch):
    if target == "/dev/full" and not Path(target).exists():
        pytest.skip("no /dev/full")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "file.txt").write_text("x")
    code, err = _run([*argv, target], io.StringIO())
    assert code == 2
    problem = [x for x in err.splitlines() if "io.write_error" in x]
    assert problem == [f"{target}: io.write_error: cannot write the output file: {reason}"]


def test_output_name_with_nul_byte(tmp_path):
    code, err = _run(["schema", "vendor", "--output", str(tmp_path / "a\0b")], io.StringIO())
    assert code == 2 and "io.write_error" in err and err.count("\n") == 1


def test_xlsx_to_stdout_is_a_usage_error():
    code, err = _run(["rank", "--format", "xlsx"], _failing(errno.EPIPE))
    assert code == 2 and "--output" in err and err.count("\n") == 1


# --------------------------------------------------------------------------- real processes


def _env(**extra: str) -> dict[str, str]:
    return {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", **extra}


def _closed_pipe_run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """Run with stdout a pipe whose reader has gone (as ``| head -1`` once head exits)."""
    r, w = os.pipe()
    os.close(r)
    try:
        return subprocess.run(
            [sys.executable, "-m", "engine", *argv],
            stdout=w,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=_env(),
            timeout=120,
            check=False,
        )
    finally:
        os.close(w)


@pytest.mark.parametrize(
    "argv",
    [["rank", "--on", TODAY], ["check", "--policy", "eu-regulated", "--today", TODAY, "--format", "github"]],
)
def test_process_closed_pipe(argv, tmp_path):
    proc = _closed_pipe_run(argv, tmp_path)
    assert proc.returncode == 141
    assert proc.stderr == b""  # no "Exception ignored" at interpreter exit


def test_process_head_reads_one_line(tmp_path):
    """``shortlist rank --format json | head -1`` as a shell runs it: whether or not
    head has gone before shortlist writes, nothing reaches stderr."""
    proc = subprocess.run(
        f"{sys.executable} -m engine rank --format json --on {TODAY} | head -1",
        shell=True,
        capture_output=True,
        cwd=tmp_path,
        env=_env(),
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0 and proc.stdout == b"{\n" and proc.stderr == b""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize(
    "argv", [["rank", "--on", TODAY], ["schema", "vendor"], ["--help"], ["check", "--help"]]
)
def test_process_full_disk(argv, tmp_path):
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "engine", *argv],
            stdout=full,
            stderr=subprocess.PIPE,
            cwd=tmp_path,
            env=_env(),
            timeout=120,
            check=False,
        )
    assert proc.returncode == 2
    assert proc.stderr == b"<stdout>: io.write_error: cannot write the output: No space left on device\n"


def test_process_closed_stdout(tmp_path):
    """Started without a stdout at all (``>&-``)."""
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, runpy, sys; os.close(1); sys.argv=['shortlist','schema','vendor'];"
            " runpy.run_module('engine', run_name='__main__')",
        ],
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=_env(),
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.decode().splitlines()[-1].startswith("<stdout>: io.write_error:")
    assert b"Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("env", "argv"),
    [
        ({"PYTHONIOENCODING": "ascii"}, ["explain", "aleph-alpha-phariaai-private"]),
        (
            {"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": "ascii"},
            ["rank", "--format", "csv"],
        ),
        ({"PYTHONIOENCODING": "latin-1"}, ["compare", "aleph-alpha-phariaai-private", "mistral-large-4-api"]),
    ],
)
def test_process_narrow_encoding(env, argv, unicode_vendors, tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "engine", *argv, "--vendors", str(unicode_vendors), "--on", TODAY],
        capture_output=True,
        cwd=tmp_path,
        env=_env(**env),
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert b"Traceback" not in proc.stderr and b"UnicodeEncodeError" not in proc.stderr
    if "csv" in argv:
        assert HOSTILE_NAME.encode("utf-8") in proc.stdout  # data: UTF-8 bytes
    else:
        assert b"Gr" in proc.stdout and b"\\u20ac" in proc.stdout


def test_process_stderr_closed_pipe(tmp_path):
    """Diagnostics into a closed pipe: the exit code still tells."""
    r, w = os.pipe()
    os.close(r)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "engine", "rank", "--weight", "nope=1"],
            stdout=subprocess.PIPE,
            stderr=w,
            cwd=tmp_path,
            env=_env(),
            timeout=120,
            check=False,
        )
    finally:
        os.close(w)
    assert proc.returncode in (2, 141)


def test_stderr_that_cannot_be_written_still_gives_the_exit_code():
    """Diagnostics into a full disk: nothing to say it on, the exit code still tells."""
    code = main(["rank", "--weight", "nope=1"], out=io.StringIO(), err=_failing(errno.ENOSPC))
    assert code == 2
    code = main(["rank", "--weight", "nope=1"], out=io.StringIO(), err=_failing(errno.EPIPE))
    assert code == EXIT_PIPE_CLOSED


def test_interrupt_is_one_line_and_exit_130(monkeypatch):
    import engine.cli.common

    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(engine.cli.common, "load_criteria", interrupted)  # what rank loads with
    code, err = _run(["rank"], io.StringIO())
    assert code == 130 and err == "shortlist: interrupted\n"


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--policy", "eu-regulated", "--today", TODAY, "--format", "json"],
        ["check", "--policy", "eu-regulated", "--today", TODAY, "--format", "sarif"],
        ["check", "--policy", "eu-regulated", "--today", TODAY, "--format", "junit"],
        ["compare", "aleph-alpha-phariaai-private", "mistral-large-4-api", "--on", TODAY, "--format", "json"],
        ["rank", "--on", TODAY, "--format", "json"],
        ["sensitivity", "--on", TODAY, "--samples", "100", "--format", "json"],
        ["prices", "check", "--on", TODAY, "--format", "json"],
        ["schema", "vendor"],
    ],
)
def test_data_formats_stay_valid_on_an_ascii_stdout(argv, unicode_vendors):
    """A backslash escape would break JSON (``\\xe4``) and XML: data goes out as UTF-8."""
    import json
    import xml.etree.ElementTree as ET

    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="ascii")
    vendors = [] if argv[0] == "schema" else ["--vendors", str(unicode_vendors)]
    code, err = _run([*argv, *vendors], out)
    assert code in (0, 1), err
    text = raw.getvalue().decode("utf-8")
    if "junit" in argv:
        ET.fromstring(text)
    else:
        json.loads(text)
    if argv[0] in ("compare", "rank"):
        assert HOSTILE_NAME in text
