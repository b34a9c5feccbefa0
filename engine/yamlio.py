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

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from engine.errors import InputError

__all__ = ["MAX_BYTES", "LoadedYaml", "Path_", "load_yaml_bytes", "load_yaml_file"]

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
    __slots__ = ("container", "key_lines", "path", "pending_key")

    def __init__(self, container: dict[str, Any] | list[Any], path: Path_) -> None:
        self.container = container
        self.path = path
        self.pending_key: str | None = None
        self.key_lines: dict[str, int] = {}


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

    lines: dict[Path_, int] = {}
    stack: list[_Frame] = []
    root: Any = None
    documents = 0

    def place(value: Any, mark: Any) -> Path_ | None:
        """Attach value to the current container; return its path (None at root)."""
        nonlocal root
        if not stack:
            root = value
            lines[()] = mark.line + 1
            return ()
        top = stack[-1]
        if isinstance(top.container, list):
            path = (*top.path, len(top.container))
            top.container.append(value)
            lines[path] = mark.line + 1
            return path
        assert top.pending_key is not None
        key = top.pending_key
        top.pending_key = None
        path = (*top.path, key)
        top.container[key] = value
        return path

    try:
        for event in yaml.parse(text, Loader=_Loader):
            anchor = getattr(event, "anchor", None)
            if isinstance(event, yaml.AliasEvent) or anchor is not None:
                raise fail(
                    "yaml.alias",
                    "anchors and aliases (&name / *name) are not allowed: write the value out in full",
                    event.start_mark,
                )
            tag = getattr(event, "tag", None)
            if tag is not None and tag != "!":
                raise fail(
                    "yaml.tag",
                    f"explicit tag {tag!r} is not allowed (only plain values, mappings and lists)",
                    event.start_mark,
                )
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise fail(
                        "yaml.multi_document",
                        "more than one YAML document (---) in one file; keep one per file",
                        event.start_mark,
                    )
                continue
            if isinstance(event, yaml.ScalarEvent):
                mark = event.start_mark
                assert mark is not None
                if not event.style and event.implicit[0] and tag is None:
                    value: Any = resolve_plain_scalar(event.value)
                else:
                    value = event.value
                top = stack[-1] if stack else None
                if top is not None and isinstance(top.container, dict) and top.pending_key is None:
                    key = event.value
                    if key in top.key_lines:
                        raise fail(
                            "yaml.duplicate_key",
                            f"duplicate key {key!r}: first on line {top.key_lines[key]}, "
                            f"again on line {mark.line + 1}",
                            mark,
                        )
                    top.key_lines[key] = mark.line + 1
                    top.pending_key = key
                    lines[(*top.path, key)] = mark.line + 1
                    continue
                place(value, event.start_mark)
                continue
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                top = stack[-1] if stack else None
                if top is not None and isinstance(top.container, dict) and top.pending_key is None:
                    raise fail(
                        "yaml.syntax",
                        "a mapping key must be a plain value, not a list or mapping",
                        event.start_mark,
                    )
                container: dict[str, Any] | list[Any] = (
                    {} if isinstance(event, yaml.MappingStartEvent) else []
                )
                path = place(container, event.start_mark)
                assert path is not None
                stack.append(_Frame(container, path))
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
                continue
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


def load_yaml_file(path: str | Any, *, max_bytes: int = MAX_BYTES) -> LoadedYaml:
    """Read and strictly load one YAML file (see :func:`load_yaml_bytes`).

    Raises
    ------
    InputError
        ``io.not_found`` when the file cannot be read, or a ``yaml.*`` issue.
    """
    name = str(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError.single("io.not_found", f"cannot read file: {exc.strerror}", file=name) from None
    return load_yaml_bytes(raw, name, max_bytes=max_bytes)
