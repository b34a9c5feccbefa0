"""Command-line interface: ``shortlist validate | rank | explain | compare | sensitivity | batch | check | diff | schema | init | import | prices | rfi | committee``.

Exit codes: 0 success; 1 findings (``check``) or price drift (``prices check``); 2
invalid input or usage, or output that could not be written (one line per problem on
stderr, in the form ``file:line:column: code [field]: message``; standard output is
named ``<stdout>``); 130 interrupted (Ctrl-C); 141 standard output closed by its reader
(``shortlist rank | head -1``: no message, as ``128 + SIGPIPE`` from a Unix tool). Data
goes to stdout (or ``--output``), diagnostics to stderr. When some vendor files are
invalid, ``rank`` and ``explain`` still work on the valid ones, print the problems and
exit 2.

Output channels: data formats (CSV, JSON, XML, SARIF, workflow commands) go to stdout
as UTF-8 bytes whatever the terminal's encoding; text for people follows the encoding of stdout and stderr, and a
character it cannot represent is written as a backslash escape (``\\xe4``), never an
error. Files are written as UTF-8.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import io
import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from engine.errors import InputError, Issue

__all__ = ["EXIT_INTERRUPTED", "EXIT_PIPE_CLOSED", "EXIT_WRITE_FAILED", "main", "main_entry"]

EXIT_WRITE_FAILED = 2
"""Exit code when an output (a file, stdout) cannot be written: as for invalid input."""
EXIT_INTERRUPTED = 130
"""Exit code on Ctrl-C (128 + SIGINT), as a shell reports for Unix tools."""
EXIT_PIPE_CLOSED = 141
"""Exit code when the reader of stdout closed it (128 + SIGPIPE), as a shell reports for
Unix tools (``yes | head -1``): invisible in a pipeline unless ``set -o pipefail``, and
then a failure, so a truncated ``check`` never reads as a pass."""


class _ClosedStream(io.StringIO):
    """Stands in for a standard stream the process was started without (``>&-``)."""

    def write(self, s: str) -> int:
        raise OSError(errno.EBADF, "the stream is closed")


def _tolerant(stream: TextIO) -> None:
    """Let ``stream`` write any text: characters its encoding cannot represent (ASCII
    under ``PYTHONIOENCODING=ascii``, lone surrogates from undecodable file names) become
    backslash escapes instead of a ``UnicodeEncodeError``."""
    if isinstance(stream, io.TextIOWrapper) and stream.errors != "backslashreplace":
        try:
            stream.reconfigure(errors="backslashreplace")
        except (ValueError, OSError):  # closed, or a wrapper that cannot be reconfigured
            pass


def _to_devnull(stream: TextIO) -> None:
    """Point a real standard stream's descriptor at the null device, so what is still in
    its buffer does not fail again when the interpreter flushes it at exit (the recipe of
    the Python documentation for SIGPIPE). Streams given by a caller are left alone."""
    if stream not in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        return
    try:
        fd = stream.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
    except (OSError, ValueError):
        return
    try:
        os.dup2(null, fd)
    except OSError:
        pass
    finally:
        os.close(null)


def _fails(stream: TextIO) -> bool:
    """True when flushing ``stream`` fails (used to tell which channel broke)."""
    try:
        stream.flush()
    except (OSError, ValueError):
        return True
    return False


def _say(err: TextIO, line: str) -> None:
    """One line on stderr, unless stderr itself cannot be written."""
    try:
        print(line, file=err, flush=True)
    except (OSError, ValueError):
        _to_devnull(err)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the CLI; return the exit code.

    0 success; 1 findings (``check``) or drift (``prices check``); 2 invalid input,
    usage, or an output that could not be written (one line per problem on ``err``);
    130 interrupted; 141 ``out`` (or ``err``) closed by its reader (a broken pipe: no message).
    ``out`` and ``err`` default to ``sys.stdout`` and ``sys.stderr``; text they cannot
    encode is written as backslash escapes.
    """
    out = out if out is not None else sys.stdout if sys.stdout is not None else _ClosedStream()
    err = err if err is not None else sys.stderr if sys.stderr is not None else io.StringIO()
    _tolerant(out)
    _tolerant(err)
    try:
        code = _main(argv, out, err)
        out.flush()  # a closed pipe or a full disk shows here, not at interpreter exit
        err.flush()
        return code
    except BrokenPipeError:
        # e.g. `shortlist rank | head -1`: quiet, as Unix tools are
        _to_devnull(out)
        _to_devnull(err)
        return EXIT_PIPE_CLOSED
    except KeyboardInterrupt:
        _say(err, "shortlist: interrupted")
        return EXIT_INTERRUPTED
    except OSError as exc:
        # the commands turn every file they read or write into an InputError: what is
        # left is a standard stream that cannot be written (a full disk, an I/O error)
        channel, broken = ("<stdout>", out) if _fails(out) or not _fails(err) else ("<stderr>", err)
        reason = exc.strerror or str(exc)
        _to_devnull(broken)
        _say(err, str(Issue("io.write_error", f"cannot write the output: {reason}", file=channel)))
        return EXIT_WRITE_FAILED


_COMMANDS = {
    "validate": "engine.cli.validate",
    "rank": "engine.cli.rank",
    "explain": "engine.cli.explain",
    "compare": "engine.cli.compare",
    "sensitivity": "engine.cli.sensitivity",
    "check": "engine.cli.check",
    "schema": "engine.cli.schema",
    "init": "engine.cli.init",
    "diff": "engine.cli.diff",
    "batch": "engine.cli.batch",
    "import": "engine.cli.import_genai_prices",
    "prices": "engine.cli.prices",
    "rfi": "engine.cli.rfi",
    "committee": "engine.cli.committee",
}
"""The module of each command; each has ``run(args, out, err) -> exit code``."""


def _main(argv: Sequence[str] | None, out: TextIO, err: TextIO) -> int:
    from engine.cli.common import _print_issues
    from engine.cli.parser import UsageError, build_parser

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(str(exc), file=err)
        return 2
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    # One module per command, imported when the command runs: a command loads only what it needs.
    module = _COMMANDS[args.command]
    try:
        run: Callable[[argparse.Namespace, TextIO, TextIO], int] = importlib.import_module(module).run
        return run(args, out, err)
    except InputError as exc:
        _print_issues(exc.issues, err)
        return 2


def main_entry() -> None:
    """Console-script entry point (``shortlist``)."""
    sys.exit(main())
