"""Strict YAML loading: safe, YAML 1.2 core scalars, and every value's line.

Why not ``yaml.safe_load``: it follows YAML 1.1, where ``NO`` is ``False``, ``22:22``
is ``1342`` and a bare date becomes a ``datetime.date``; duplicate keys silently keep
the last value; anchors and aliases allow "billion laughs" expansion. This module walks
PyYAML's *event* stream (the libyaml C parser when present) and builds plain Python
values itself:

* plain scalars are resolved with the YAML 1.2 core schema: ``true``/``false``,
  ``null``/``~``, decimal/octal(``0o``)/hex(``0x``) integers, floats (``1e3`` is a
  float), everything else a string — so ``NO``, ``on``, ``22:22`` and ``2026-11-29``
  stay strings and the schema layer decides what they may become;
* quoted scalars are always strings; explicit tags (``!!python/object/apply`` …) are
  refused, as are anchors and aliases;
* duplicate keys, multi-document streams, empty files, files whose top level is not a
  mapping, files over a size limit, non-UTF-8 bytes and syntax errors (a tab in
  indentation among them) become :class:`~engine.errors.Issue` objects that name the
  file, line and column.

Reference: YAML 1.2.2 specification, §10.3 "Core Schema" (yaml.org/spec/1.2.2).
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from typing import Any

import yaml

from engine.errors import InputError, shown_path

__all__ = ["MAX_BYTES", "LoadedYaml", "Path_", "load_yaml_bytes", "load_yaml_file", "read_regular_file"]

MAX_BYTES = 1_048_576
"""Largest file accepted, in bytes (1 MiB)."""

Path_ = tuple[str | int, ...]
"""A path into a loaded document: mapping keys and sequence indices."""

try:  # the C parser is ~10x faster; fall back to pure Python where libyaml is absent
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_INT10 = re.compile(r"^[-+]?[0-9]+$")
_INT8 = re.compile(r"^0o[0-7]+$")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")


_WORDS: dict[str, Any] = {
    **dict.fromkeys(("", "~", "null", "Null", "NULL")),
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
}
"""The core schema's null and boolean spellings (what ``_NULL``, ``_TRUE``, ``_FALSE`` match)."""
_NUMERIC_START = frozenset("0123456789+-.")
"""Every integer, float, ``.inf`` and ``.nan`` spelling starts with one of these."""
_NOT_A_WORD = object()


def resolve_plain_scalar(text: str) -> Any:
    """Resolve an unquoted scalar with the YAML 1.2 core schema.

    Parameters
    ----------
    text : str
        The scalar exactly as written.

    Returns
    -------
    None, bool, int, float or str
    """
    # fast paths, same answers: most scalars are words that cannot be a number, null or
    # boolean. (The patterns' ``$`` also matches before a final newline, which a plain
    # scalar never ends with; such a text still takes the patterns below.)
    word = _WORDS.get(text, _NOT_A_WORD)
    if word is not _NOT_A_WORD:
        return word
    if text[:1] not in _NUMERIC_START and not text.endswith("\n"):
        return text
    if _NULL.match(text):
        return None
    if _TRUE.match(text):
        return True
    if _FALSE.match(text):
        return False
    if _INT10.match(text):
        return int(text)
    if _INT8.match(text):
        return int(text[2:], 8)
    if _INT16.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.match(text):
        return float("nan")
    return text


@dataclass(frozen=True)
class LoadedYaml:
    """A loaded YAML document with the line of every value.

    Attributes
    ----------
    data : dict
        The top-level mapping, built from plain Python values.
    lines : dict
        Maps a path (tuple of keys/indices) to the 1-based line where its value starts
        (for a mapping entry: the line of its key).
    file : str
        The file name used in messages.
    """

    data: dict[str, Any]
    lines: dict[Path_, int] = field(repr=False)
    file: str

    def line_of(self, path: Path_) -> int | None:
        """Return the line of ``path``, or of its nearest known ancestor."""
        p = tuple(path)
        while True:
            if p in self.lines:
                return self.lines[p]
            if not p:
                return None
            p = p[:-1]


def _decode(raw: bytes, file: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError.single(
            "yaml.encoding",
            f"file is not UTF-8 text: byte 0x{raw[exc.start]:02x} cannot be decoded (save the file as UTF-8)",
            file=file,
            line=line,
            column=col,
        ) from None


class _Frame:
    __slots__ = ("container", "is_list", "path", "pending_key")

    def __init__(self, container: dict[str, Any] | list[Any], path: Path_) -> None:
        self.container: Any = container  # a dict or a list, as is_list says
        self.is_list = isinstance(container, list)
        self.path = path
        self.pending_key: str | None = None


_Scalar = yaml.ScalarEvent
_MappingStart = yaml.MappingStartEvent
_SequenceStart = yaml.SequenceStartEvent
_MappingEnd = yaml.MappingEndEvent
_SequenceEnd = yaml.SequenceEndEvent
_Alias = yaml.AliasEvent
_DocumentStart = yaml.DocumentStartEvent
_StreamEnd = yaml.StreamEndEvent


def load_yaml_bytes(raw: bytes, file: str, *, max_bytes: int = MAX_BYTES) -> LoadedYaml:
    """Load one YAML document strictly from bytes.

    Parameters
    ----------
    raw : bytes
        File content (UTF-8, an optional BOM is accepted).
    file : str
        Name used in error messages.
    max_bytes : int, optional
        Size limit in bytes (default 1 MiB).

    Returns
    -------
    LoadedYaml

    Raises
    ------
    InputError
        With one issue (``yaml.*`` codes) naming file, line and column.
    """
    if len(raw) > max_bytes:
        raise InputError.single(
            "yaml.too_large",
            f"file is {len(raw):,} bytes; the limit is {max_bytes:,} bytes",
            file=file,
        )
    text = _decode(raw, file)
    if not text.strip() or all((not ln.strip()) or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise InputError.single("yaml.empty", "file is empty (expected a mapping)", file=file)

    def fail(code: str, msg: str, mark: Any) -> InputError:
        return InputError.single(code, msg, file=file, line=mark.line + 1, column=mark.column + 1)

    def alias(event: Any) -> InputError:
        return fail(
            "yaml.alias",
            "anchors and aliases (&name / *name) are not allowed: write the value out in full",
            event.start_mark,
        )

    def bad_tag(event: Any) -> InputError:
        return fail(
            "yaml.tag",
            f"explicit tag {event.tag!r} is not allowed (only plain values, mappings and lists)",
            event.start_mark,
        )

    lines: dict[Path_, int] = {}
    stack: list[_Frame] = []
    top: _Frame | None = None  # stack[-1]
    root: Any = None
    documents = 0
    loader: Any = None

    # The event loop below is the hot path of loading a catalog (a vendor file is a few
    # hundred events): events are told apart by their exact class, most frequent first,
    # and attached to their container inline. Same checks, same order, as event by event:
    # an anchor or alias, then an explicit tag, on every event that can carry one.
    try:
        loader = _Loader(text)
        get_event = loader.get_event
        while True:
            event = get_event()
            cls = event.__class__
            if cls is _Scalar:
                if event.anchor is not None:
                    raise alias(event)
                tag = event.tag
                if tag is not None and tag != "!":
                    raise bad_tag(event)
                mark = event.start_mark
                if top is not None and not top.is_list and top.pending_key is None:
                    key = event.value
                    container = top.container
                    if key in container:  # a key is in its mapping once its value is placed
                        first = lines[(*top.path, key)]
                        raise fail(
                            "yaml.duplicate_key",
                            f"duplicate key {key!r}: first on line {first}, again on line {mark.line + 1}",
                            mark,
                        )
                    top.pending_key = key
                    lines[(*top.path, key)] = mark.line + 1
                    continue
                if not event.style and event.implicit[0] and tag is None:
                    try:
                        value: Any = resolve_plain_scalar(event.value)
                    except ValueError:  # int() refuses > 4300 digits; far beyond every range
                        where: list[str | int] = [*top.path] if top is not None else []
                        if top is not None:
                            where.append(len(top.container) if top.is_list else str(top.pending_key))
                        field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in where)
                        raise InputError.single(
                            "yaml.number_too_long",
                            f"expected a number within its field's range, found an integer of "
                            f"{len(event.value)} characters",
                            file=file,
                            line=mark.line + 1,
                            column=mark.column + 1,
                            field=field.lstrip(".") or None,
                        ) from None
                else:
                    value = event.value
                if top is None:
                    root = value
                    lines[()] = mark.line + 1
                elif top.is_list:
                    seq: Any = top.container
                    lines[(*top.path, len(seq))] = mark.line + 1
                    seq.append(value)
                else:
                    assert top.pending_key is not None
                    top.container[top.pending_key] = value
                    top.pending_key = None
            elif cls is _MappingEnd or cls is _SequenceEnd:
                stack.pop()
                top = stack[-1] if stack else None
            elif cls is _MappingStart or cls is _SequenceStart:
                if event.anchor is not None:
                    raise alias(event)
                if event.tag is not None and event.tag != "!":
                    raise bad_tag(event)
                mark = event.start_mark
                if top is not None and not top.is_list and top.pending_key is None:
                    raise fail(
                        "yaml.syntax",
                        "a mapping key must be a plain value, not a list or mapping",
                        mark,
                    )
                container_: dict[str, Any] | list[Any] = {} if cls is _MappingStart else []
                path: Path_
                if top is None:
                    root = container_
                    path = ()
                    lines[()] = mark.line + 1
                elif top.is_list:
                    seq = top.container
                    path = (*top.path, len(seq))
                    lines[path] = mark.line + 1
                    seq.append(container_)
                else:
                    key = top.pending_key
                    assert key is not None
                    path = (*top.path, key)
                    top.container[key] = container_
                    top.pending_key = None
                top = _Frame(container_, path)
                stack.append(top)
            elif cls is _Alias:
                raise alias(event)
            elif cls is _DocumentStart:
                documents += 1
                if documents > 1:
                    raise fail(
                        "yaml.multi_document",
                        "more than one YAML document (---) in one file; keep one per file",
                        event.start_mark,
                    )
            elif cls is _StreamEnd or event is None:
                break
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        if mark is not None:
            bad_line = text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else ""
            if "\t" in bad_line[: mark.column + 1]:
                problem += " (a tab is not allowed in indentation; indent with spaces)"
        raise InputError.single(
            "yaml.syntax",
            f"YAML syntax error: {problem}",
            file=file,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        pos = exc.position
        line = text.count("\n", 0, pos) + 1
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        raise InputError.single(
            "yaml.syntax",
            f"character U+{exc.character:04X} is not allowed in YAML ({exc.reason})",
            file=file,
            line=line,
            column=col,
        ) from None
    except yaml.YAMLError as exc:  # pragma: no cover - other errors carry a mark
        raise InputError.single("yaml.syntax", f"YAML error: {exc}".splitlines()[0], file=file) from None
    finally:
        if loader is not None:
            loader.dispose()

    if root is None:
        raise InputError.single("yaml.empty", "file holds no value (expected a mapping)", file=file)
    if not isinstance(root, dict):
        kind = "a list" if isinstance(root, list) else f"a single value ({type(root).__name__})"
        raise InputError.single(
            "yaml.not_mapping",
            f"top level is {kind}; expected a mapping of field: value",
            file=file,
            line=1,
        )
    return LoadedYaml(data=root, lines=lines, file=file)


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(mode: int, name: str) -> InputError:
    kind = next((what for test, what in _KINDS if test(mode)), "not a file")
    return InputError.single("io.not_a_file", f"not a regular file ({kind}): give a file", file=name)


def read_regular_file(
    path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES, name: str | None = None
) -> bytes:
    """The bytes of one input file: a regular file of at most ``max_bytes`` bytes.

    Every input file the tool reads from a path comes through here. A path that is not a
    regular file (a directory, a character device such as ``/dev/zero``, a named pipe, a
    socket) is refused before it is read, and at most ``max_bytes + 1`` bytes are ever
    read, whatever size the file reports: a file growing as it is read, or a special
    file swapped in after the check (opened without blocking, checked again on the open
    descriptor), cannot make the tool read without end or wait for a writer.

    Parameters
    ----------
    path : path
        The file (symbolic links followed).
    max_bytes : int, optional
        Size limit in bytes (default :data:`MAX_BYTES`, 1 MiB).
    name : str, optional
        The file's name in an issue (default: the path, :func:`engine.errors.shown_path`).

    Raises
    ------
    InputError
        ``io.not_found`` (no such file), ``io.not_a_file`` (not a regular file, naming
        its kind), ``io.too_large`` (more than ``max_bytes`` bytes) or ``io.read_error``
        (any other system error, with its reason), naming the file.
    """
    shown = name if name is not None else shown_path(path)
    try:
        before = os.stat(path)
        if not stat.S_ISREG(before.st_mode):
            raise _not_regular(before.st_mode, shown)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        try:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):
                raise _not_regular(mode, shown)
            chunks: list[bytes] = []
            got = 0
            while got <= max_bytes:
                chunk = os.read(fd, min(max_bytes + 1 - got, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                got += len(chunk)
        finally:
            os.close(fd)
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
        code = "io.not_found" if isinstance(exc, FileNotFoundError) else "io.read_error"
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InputError.single(code, f"cannot read file: {reason}", file=shown) from None
    if got > max_bytes:
        raise InputError.single(
            "io.too_large", f"file is larger than the limit of {max_bytes:,} bytes", file=shown
        )
    return b"".join(chunks)


def load_yaml_file(path: str | Any, *, max_bytes: int = MAX_BYTES) -> LoadedYaml:
    """Read and strictly load one YAML file (see :func:`load_yaml_bytes` and
    :func:`read_regular_file`).

    Raises
    ------
    InputError
        An ``io.*`` issue when the file cannot be read (missing, not a regular file, too
        large), or a ``yaml.*`` issue.
    """
    name = shown_path(str(path))
    raw = read_regular_file(path, max_bytes=max_bytes, name=name)
    return load_yaml_bytes(raw, name, max_bytes=max_bytes)
