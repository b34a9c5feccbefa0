"""Every input file read from a path is a regular file of bounded size: a character device
(``/dev/zero``), a named pipe, a socket or a directory is refused before it is read
(``io.not_a_file``, naming its kind), and never more than the limit plus one byte is read,
whatever size the file reports (``io.too_large``)."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import pytest

from engine.catalog import loading
from engine.catalog.loading import load_catalog, load_policy_doc, read_input
from engine.catalog.yamlio import MAX_BYTES, load_yaml_file, read_regular_file
from engine.errors import InputError
from tests.conftest import CRITERIA, VENDORS, run_cli

pytestmark = pytest.mark.skipif(os.name != "posix", reason="devices and named pipes are POSIX")


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    p = tmp_path / "pipe.yaml"
    os.mkfifo(p)
    return p


@pytest.fixture
def sock(tmp_path: Path):
    p = tmp_path / "s.yaml"
    s = socket.socket(socket.AF_UNIX)
    try:
        s.bind(str(p))
    except OSError:  # pragma: no cover - a path too long for a socket
        pytest.skip("cannot bind a Unix socket here")
    yield p
    s.close()


def special(tmp_path: Path, fifo: Path) -> list[tuple[Path, str]]:
    return [
        (Path("/dev/zero"), "a character device"),
        (fifo, "a named pipe (FIFO)"),
        (tmp_path, "a directory"),
    ]


def refused(path: Path, **kw) -> InputError:
    with pytest.raises(InputError) as exc:
        read_regular_file(path, **kw)
    return exc.value


def test_special_files_are_refused_with_their_kind(tmp_path, fifo, sock):
    for path, kind in [*special(tmp_path, fifo), (sock, "a socket")]:
        (i,) = refused(path).issues  # returns at once: a named pipe never waits for a writer
        assert i.code == "io.not_a_file" and i.file == str(path), i
        assert i.message == f"not a regular file ({kind}): give a file"
    for read in (read_input, load_yaml_file, loading._read, load_policy_doc):
        with pytest.raises(InputError) as exc:
            read(fifo)
        assert exc.value.issues[0].code == "io.not_a_file"


def test_at_most_the_limit_plus_one_byte_is_read(tmp_path, monkeypatch):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: 1\n" + b"x" * 200)
    reads: list[int] = []
    real = os.read

    def counting(fd: int, n: int) -> bytes:
        got = real(fd, n)
        reads.append(len(got))
        return got

    monkeypatch.setattr(os, "read", counting)
    (i,) = refused(big, max_bytes=100).issues
    assert i.code == "io.too_large" and "100 bytes" in i.message and sum(reads) == 101
    assert read_regular_file(big, max_bytes=205) == big.read_bytes()  # exactly the limit: read whole
    (i,) = refused(tmp_path / "gone.yaml").issues
    assert i.code == "io.not_found"


def test_a_file_growing_past_its_reported_size_is_cut_at_the_limit(tmp_path, monkeypatch):
    # /dev/zero reports a size of 0: a reader trusting st_size would read for ever
    grow = tmp_path / "grow.yaml"
    grow.write_bytes(b"")
    real = os.read

    def endless(fd: int, n: int) -> bytes:
        real(fd, n)
        return b"x" * n  # a file that never ends

    monkeypatch.setattr(os, "read", endless)
    (i,) = refused(grow).issues
    assert i.code == "io.too_large" and f"{MAX_BYTES:,} bytes" in i.message


def test_a_special_file_listed_in_a_vendors_directory_is_refused(tmp_path):
    d = tmp_path / "vendors"
    d.mkdir()
    os.mkfifo(d / "pipe.yaml")
    cat = load_catalog([d, Path("/dev/zero")])
    assert {(i.code, Path(i.file or "").name) for i in cat.issues} >= {
        ("io.not_a_file", "pipe.yaml"),
        ("io.not_a_file", "zero"),
    }


def _cli(*args: str) -> tuple[int, str, str]:
    result: list[tuple[int, str, str]] = []
    t = threading.Thread(target=lambda: result.append(run_cli(*args)), daemon=True)
    t.start()
    t.join(30)
    assert result, f"shortlist {' '.join(args)} did not return (blocked on a special file?)"
    return result[0]


def test_cli_refuses_special_files_everywhere(tmp_path, fifo):
    base = ("--vendors", str(VENDORS), "--criteria", str(CRITERIA))
    for path, kind in special(tmp_path, fifo):
        want = f"{path}: io.not_a_file: not a regular file ({kind}): give a file"
        cases = [
            ("rank", *base, "--priorities", "regulated-eu-bank", "--answers", str(path)),
            ("rank", *base, "--priorities", str(path)),
            ("check", *base, "--policy", str(path)),
        ]
        if path != tmp_path:  # a directory of vendor profiles, or of files to validate, is read as one
            cases += [("rank", "--vendors", str(path), "--criteria", str(CRITERIA)), ("validate", str(path))]
        for args in cases:
            code, _, err = _cli(*args)
            assert code == 2 and want in err, (args, err)
            assert "no such file" not in err
    # a named pipe inside a directory given: refused by its kind, the rest read
    code, _, err = _cli("validate", str(tmp_path))
    assert code == 2 and "pipe.yaml: io.not_a_file: not a regular file (a named pipe (FIFO))" in err
