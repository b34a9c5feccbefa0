"""Loading layer: the only part of the engine that touches the file system.

Reads vendor profiles, the criteria catalog, the exchange-rate table and priorities
files strictly (:mod:`engine.catalog.yamlio`), validates them against :mod:`engine.catalog.schema`,
and turns every problem into an :class:`~engine.errors.Issue` with file, line and
field path. A broken vendor file never stops the others from loading: its issues are
collected in :attr:`Catalog.issues` and the valid files are kept.
"""

from __future__ import annotations

import difflib
import hashlib
import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from engine.catalog.evidence import DEFAULT_MAX_AGE_DAYS, certification_status, max_ages
from engine.catalog.ranges import CRITERION_RANGES, check_anchors, int_digits
from engine.catalog.schema import (
    CertificationBlock,
    CriteriaFile,
    CriterionSpec,
    FxFile,
    Offering,
    PolicyFile,
    PrioritiesFile,
    VendorFile,
)
from engine.catalog.text import bad_char, char_name, excerpt
from engine.catalog.yamlio import MAX_BYTES, LoadedYaml, Path_, load_yaml_bytes, read_regular_file
from engine.errors import InputError, Issue, shown_path, suggest

if TYPE_CHECKING:
    from engine.catalog.answers import AnswerFile, AnswerUse
    from engine.catalog.sovereignty import Sovereignty

__all__ = [
    "KNOWN_CRITERIA",
    "KNOWN_LEVELS",
    "Catalog",
    "CriteriaCatalog",
    "LocalResolver",
    "PrioritiesResolver",
    "ResolvedOffering",
    "SessionResolver",
    "catalog_roots",
    "file_digests",
    "format_path",
    "input_name",
    "listed_files",
    "load_catalog",
    "load_criteria",
    "load_policy_doc",
    "load_priorities",
    "load_priorities_bytes_doc",
    "load_priorities_doc",
    "load_vendor_bytes",
    "locate",
    "outside_catalog",
    "policy_priorities",
    "preset_files",
    "read_input",
    "text_issues",
    "validation_issues",
]

M = TypeVar("M", bound=BaseModel)

KNOWN_CRITERIA: tuple[str, ...] = (
    "monthly_cost",
    "response_time",
    "capability",
    "context_window",
    "data_residency",
    "jurisdiction",
    "openness",
    "compliance",
    "transparency",
    "sovereignty",
)
"""Criterion ids the engine knows how to compute (:mod:`engine.mcda.matrix` has one
extractor for each, in this order); a criteria catalog naming another is refused."""

KNOWN_LEVELS: dict[str, tuple[str, ...]] = {"openness": ("closed", "open_restrictive", "open_osi")}
"""The levels of each categorical criterion."""


def format_path(path: Sequence[str | int]) -> str:
    """Format ``('offerings', 2, 'prices')`` as ``offerings[2].prices``.

    A key that is not plain printable ASCII (a newline, a control or bidi character, a
    space …) is shown quoted and escaped, ``weights['cost\\n']``, so a field path never
    carries such a character into a message.
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not (part.isascii() and part.isprintable() and " " not in part and part):
            out += f"[{part!r}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int) and abs(value) > 10**20:  # never printed in full (nor converted)
        return f"an integer of {int_digits(value)} digits"
    if isinstance(value, (int, float)):
        return f"number {value!r}"
    if isinstance(value, str):
        return f"text {value!r}"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing (null)"
    return type(value).__name__


def _model_at(model: type[BaseModel], loc: Sequence[str | int]) -> type[BaseModel] | None:
    """Walk the model tree along ``loc``; return the model holding the last part."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue
        info = current.model_fields.get(part)
        if info is None:
            return None
        ann = info.annotation
        current = _first_model(ann)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _first_model(ann: Any) -> Any:
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    for arg in getattr(ann, "__args__", ()) or ():
        found = _first_model(arg)
        if found is not None:
            return found
    meta = getattr(ann, "__origin__", None)
    if meta is not None and isinstance(meta, type) and issubclass(meta, BaseModel):
        return meta
    return None


def validation_issues(exc: ValidationError, loaded: LoadedYaml, model: type[BaseModel]) -> list[Issue]:
    """Turn a pydantic ``ValidationError`` into issues with file, line and field.

    Parameters
    ----------
    exc : pydantic.ValidationError
    loaded : LoadedYaml
        The document that was validated (for line numbers).
    model : type
        The top-level model (to suggest field names for unknown fields).
    """
    issues: list[Issue] = []
    errors = exc.errors(include_url=False)
    locs = [tuple(e["loc"]) for e in errors]
    for err in errors:
        here = tuple(err["loc"])
        if err["type"] == "too_short" and any(len(o) > len(here) and o[: len(here)] == here for o in locs):
            continue  # a list emptied by its own failing items: the items are the news
        loc: Path_ = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
        # pydantic adds the validator name to loc for Annotated/function validators
        loc = tuple(p for p in loc if not (isinstance(p, str) and p.startswith("function-")))
        key_error = loc[-1:] == ("[key]",)  # a mapping's key failed its own check
        if key_error:
            loc = loc[:-1]
        kind = err["type"]
        value = err.get("input")
        line = loaded.line_of(loc)
        where = format_path(loc)
        if kind == "extra_forbidden":
            holder = _model_at(model, loc)
            known = list(holder.model_fields) if holder else []
            aliases = [f.alias for f in holder.model_fields.values() if f.alias] if holder else []
            close = difflib.get_close_matches(str(loc[-1]), known + aliases, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            if known:
                hint += f" (known fields: {', '.join(sorted(set(known) | set(aliases)))})"
            issues.append(
                Issue(
                    "schema.unknown_field", f"unknown field {loc[-1]!r}{hint}", loaded.file, line, None, where
                )
            )
            continue
        if kind == "missing":
            issues.append(
                Issue(
                    "schema.missing_field",
                    f"required field {loc[-1]!r} is missing",
                    loaded.file,
                    line,
                    None,
                    where,
                )
            )
            continue
        msg = str(err["msg"])
        plain = {
            "tuple_type": "expected a list",
            "list_type": "expected a list",
            "dict_type": "expected a mapping (field: value)",
            "model_type": "expected a mapping (field: value)",
        }
        if kind in plain:
            msg = plain[kind]
        if key_error:
            msg = f"key: {msg}"
        if kind == "text_character":
            issues.append(Issue("text.invalid_character", msg, loaded.file, line, None, where))
            continue
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        else:
            msg = f"{msg}; found {_describe(value)}"
        if kind == "string_type" and isinstance(value, (bool, int, float)):
            msg += " — YAML read this as a number or boolean; put the text in quotes"
        issues.append(Issue("schema.invalid", msg, loaded.file, line, None, where))
    return issues


def text_issues(loaded: LoadedYaml) -> list[Issue]:
    """Characters no input text may hold, anywhere in a document (keys included).

    Every string value is checked as multi-line text and every key as one line of text
    (:mod:`engine.catalog.text`): control characters other than line feed and tab, bidi
    embeddings, overrides and isolates, line/paragraph separators, lone surrogates.
    Fields whose schema is stricter (one-line text, ids, codes) say more when validated.

    Returns
    -------
    list of Issue
        ``text.invalid_character``, one per offending key or value, with its line.
    """
    keys: list[str] = []
    values: list[str] = []
    stack: list[Any] = [loaded.data]
    while stack:  # fast path: one search over all keys and one over all values
        node = stack.pop()
        if isinstance(node, dict):
            keys.extend(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str):
            values.append(node)
    if bad_char("".join(keys)) is None and bad_char("".join(values), multiline=True) is None:
        return []
    issues: list[Issue] = []

    def visit(value: Any, path: Path_) -> None:
        if isinstance(value, str):
            check(value, path, multiline=True, what="value")
        elif isinstance(value, dict):
            for k, v in value.items():
                check(k, (*path, k), multiline=False, what="key")
                visit(v, (*path, k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                visit(v, (*path, i))

    def check(text: str, path: Path_, *, multiline: bool, what: str) -> None:
        found = bad_char(text, multiline=multiline)
        if found is None:
            return
        pos, ch = found
        msg = (
            f"the {what} holds {char_name(ch)} at position {pos + 1} of {excerpt(text, pos)}: control characters, "
            "bidi embeddings/overrides/isolates and line separators are not allowed in input text"
        )
        issues.append(
            Issue("text.invalid_character", msg, loaded.file, loaded.line_of(path), None, format_path(path))
        )

    visit(loaded.data, ())
    return issues


def _validate(model: type[M], loaded: LoadedYaml) -> M:
    bad_text = text_issues(loaded)
    try:
        result = model.model_validate(loaded.data)
    except ValidationError as exc:
        found = validation_issues(exc, loaded, model)
        # a value already reported for its characters is not reported again
        done = {i.field for i in bad_text}
        found = [
            i
            for i in found
            if not any(i.field == d or (i.field or "").startswith((f"{d}.", f"{d}[")) for d in done)
        ]
        raise InputError([*bad_text, *found]) from None
    if bad_text:
        raise InputError(bad_text)
    return result


def _read(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """:func:`engine.catalog.yamlio.read_regular_file`, the file named as given."""
    return read_regular_file(path, max_bytes=max_bytes, name=str(path))


def outside_catalog(path: str | Path, root: str | Path, name: str | None = None) -> Issue | None:
    """``io.outside_catalog`` when ``path``, a file found by listing a catalog directory,
    leads outside the catalog ``root`` once symbolic links are resolved (a link to a
    file elsewhere, or a file in a linked directory); else ``None``.

    Such a file is never read: a vendors directory under review (a pull request) could
    otherwise make CI read, and echo in its annotations, any file on the runner. A link
    that stays inside the catalog is fine, and a file the user names on the command line
    is not listed, so not checked (opening it is the user's choice).

    Parameters
    ----------
    path : path
    root : path
        The catalog root: the directory holding the listed directory (``vendors/``,
        ``criteria/``, ``priorities/``), as given (not resolved).
    name : str, optional
        The file's name in the issue (default: ``path``).
    """
    real = Path(os.path.realpath(path))
    base = Path(os.path.realpath(os.path.abspath(root)))
    if base == real or base in real.parents:
        return None
    msg = (
        "this file leads outside the catalog (a symbolic link, or a file in a linked directory): "
        "it was not read; put the file itself in the catalog, or name it on the command line"
    )
    return Issue("io.outside_catalog", msg, name if name is not None else shown_path(path))


def listed_files(
    directory: str | Path, root: str | Path, *, recursive: bool = False
) -> tuple[list[Path], list[Issue]]:
    """The ``*.yaml``/``*.yml`` files of a catalog directory, sorted, and an
    ``io.outside_catalog`` issue for each one that leads outside the catalog ``root``
    (see :func:`outside_catalog`). A missing directory lists nothing.

    Parameters
    ----------
    directory : path
    root : path
        The catalog root the files must stay in.
    recursive : bool
        Subdirectories too.
    """
    d = Path(directory)
    try:
        found = sorted((d.rglob("*") if recursive else d.glob("*")) if d.is_dir() else ())
    except OSError:
        return [], []
    files: list[Path] = []
    issues: list[Issue] = []
    for p in found:
        if not (p.is_symlink() and p.is_dir()) and (p.suffix not in (".yaml", ".yml") or not p.is_file()):
            continue
        problem = outside_catalog(p, root)
        if problem is not None:
            issues.append(problem)
        elif p.is_file():
            files.append(p)
    return files, issues


# --------------------------------------------------------------------------- vendors


@dataclass(frozen=True)
class ResolvedOffering:
    """An offering with the vendor facts it inherits.

    Attributes
    ----------
    offering : Offering
    vendor : VendorFile
    file : str
        The vendor file it came from.
    index : int
        Its position in the file's ``offerings`` list.
    certifications : CertificationBlock
        The offering's own block when it has one, else the vendor's, else empty.
    lines : LoadedYaml
        The loaded document (to point at lines in reports).
    answers : mapping of str to AnswerUse
        The answers folded into it, by field (see below).
    """

    offering: Offering
    vendor: VendorFile
    file: str
    index: int
    certifications: CertificationBlock
    source: LoadedYaml = field(repr=False, compare=False)
    answers: Mapping[str, AnswerUse] = field(default_factory=dict, repr=False, compare=False)
    """What the vendors' answers did to this offering, by field
    (:func:`engine.catalog.answers.fold_answers`): the facts whose values they gave
    (``used``), and those they confirm or contradict; empty without answers."""

    @property
    def id(self) -> str:
        return self.offering.id

    @property
    def label(self) -> str:
        """Human name: model and channel."""
        return f"{self.offering.model} — {self.offering.channel}"

    @property
    def certification_statuses(self) -> dict[str, str]:
        """Each certification's status as it counts: ``certified`` on secondary or
        aggregator evidence alone counts as ``claimed``
        (:func:`engine.catalog.evidence.certification_status`)."""
        block = self.certifications
        return {k: certification_status(block, v) for k, v in block.items.items()}

    def line_of(self, *path: str | int) -> int | None:
        """Line of a field of this offering in its vendor file."""
        return self.source.line_of(("offerings", self.index, *path))


def load_vendor_bytes(raw: bytes, file: str, *, check_name: bool = True) -> tuple[VendorFile, LoadedYaml]:
    """Load and validate one vendor profile from bytes (e.g. an uploaded file).

    Parameters
    ----------
    raw : bytes
    file : str
        Name used in messages.
    check_name : bool
        Require the vendor ``id`` to equal the file name's stem (true for files in a
        vendors directory; false for uploads, whose names the user does not control).

    Raises
    ------
    InputError
        All problems of the file, each with file, line and field.
    """
    loaded = load_yaml_bytes(raw, file)
    vendor = _validate(VendorFile, loaded)
    stem = Path(file).stem
    issues = []
    if check_name and stem != vendor.id:
        issues.append(
            Issue(
                "catalog.id_mismatch",
                f"vendor id {vendor.id!r} does not match the file name {stem!r}",
                file,
                loaded.line_of(("id",)),
                None,
                "id",
            )
        )
    seen: dict[str, int] = {}
    for i, off in enumerate(vendor.offerings):
        if off.id in seen:
            issues.append(
                Issue(
                    "catalog.duplicate_id",
                    f"offering id {off.id!r} is used twice in this file (offerings[{seen[off.id]}])",
                    file,
                    loaded.line_of(("offerings", i, "id")),
                    None,
                    f"offerings[{i}].id",
                )
            )
        seen[off.id] = i
    if issues:
        raise InputError(issues)
    return vendor, loaded


def _resolve(vendor: VendorFile, loaded: LoadedYaml) -> list[ResolvedOffering]:
    out = []
    for i, off in enumerate(vendor.offerings):
        certs = off.certifications or vendor.certifications or CertificationBlock()
        out.append(ResolvedOffering(off, vendor, loaded.file, i, certs, loaded))
    return out


# --------------------------------------------------------------------------- criteria


@dataclass(frozen=True)
class CriteriaCatalog:
    """The criteria catalog and the exchange-rate table."""

    criteria: tuple[CriterionSpec, ...]
    fx: FxFile
    files: tuple[str, ...]
    max_age_days: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_MAX_AGE_DAYS))
    """Maximum age in days per kind of fact: the defaults with the catalog's
    ``max_age_days`` over them (:mod:`engine.catalog.evidence`)."""
    sovereignty: Mapping[str, Sovereignty] = field(default_factory=dict)
    """The sovereignty frameworks under ``<criteria_dir>/sovereignty/`` by id, each with
    its derivation rules (:mod:`engine.catalog.sovereignty`)."""

    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.criteria)

    def get(self, criterion_id: str) -> CriterionSpec:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    def currencies(self) -> frozenset[str]:
        """Currencies the rate table can convert (base included)."""
        return frozenset({self.fx.base, *self.fx.rates})

    def presets(self, criteria_dir: str | Path) -> list[Path]:
        """The preset files under ``<criteria_dir>/presets``, sorted by name (a file that
        leads outside the catalog is left out: see :func:`listed_files`)."""
        return listed_files(Path(criteria_dir, "presets"), Path(os.path.abspath(criteria_dir)).parent)[0]


def load_criteria(criteria_dir: str | Path) -> CriteriaCatalog:
    """Load ``criteria.yaml`` and ``fx.yaml`` from ``criteria_dir``, and the sovereignty
    frameworks under its ``sovereignty/`` directory when there is one.

    Raises
    ------
    InputError
        When either file is missing or invalid, or names a criterion the engine
        cannot compute (``catalog.unknown_criterion``).
    """

    from engine.catalog.sovereignty import load_sovereignty  # it validates through this module

    d = Path(criteria_dir)
    issues: list[Issue] = []
    crit: CriteriaFile | None = None
    fx: FxFile | None = None
    cpath, fpath = d / "criteria.yaml", d / "fx.yaml"
    root = Path(os.path.abspath(d)).parent
    outside = [i for i in (outside_catalog(f, root) for f in (cpath, fpath) if f.is_file()) if i is not None]
    if outside:  # never read, and so never quoted
        raise InputError(outside)
    try:
        loaded = load_yaml_bytes(_read(cpath), str(cpath))
        crit = _validate(CriteriaFile, loaded)
        seen: set[str] = set()
        for i, c in enumerate(crit.criteria):
            line = loaded.line_of(("criteria", i, "id"))
            fld = f"criteria[{i}].id"
            if c.id not in KNOWN_CRITERIA:
                hint = suggest(c.id, KNOWN_CRITERIA)
                msg = (
                    f"the engine cannot compute criterion {c.id!r}{hint} (known: {', '.join(KNOWN_CRITERIA)})"
                )
                issues.append(Issue("catalog.unknown_criterion", msg, str(cpath), line, None, fld))
            if c.id in seen:
                msg = f"criterion {c.id!r} is defined twice"
                issues.append(Issue("catalog.duplicate_id", msg, str(cpath), line, None, fld))
            seen.add(c.id)
            vf = c.value_function
            vloc = ("criteria", i, "value_function")
            vfield = f"criteria[{i}].value_function"
            problem = check_anchors(vf.type, c.direction, vf.worst, vf.best, CRITERION_RANGES.get(c.id))
            if problem:
                issues.append(
                    Issue(
                        "catalog.invalid_value_function",
                        problem,
                        str(cpath),
                        loaded.line_of(vloc),
                        None,
                        vfield,
                    )
                )
            if vf.type == "levels":
                need = set(KNOWN_LEVELS.get(c.id, ()))
                have = set(vf.levels or {})
                if not vf.levels or need - have:
                    missing = ", ".join(sorted(need - have)) or "(any)"
                    msg = f"the 'levels' mapping must give a utility for every level; missing: {missing}"
                    issues.append(
                        Issue(
                            "catalog.invalid_value_function",
                            msg,
                            str(cpath),
                            loaded.line_of(vloc),
                            None,
                            vfield,
                        )
                    )
            elif c.id in KNOWN_LEVELS:
                msg = f"criterion {c.id!r} is categorical: use a 'levels' value function ({', '.join(KNOWN_LEVELS[c.id])})"
                issues.append(
                    Issue(
                        "catalog.invalid_value_function", msg, str(cpath), loaded.line_of(vloc), None, vfield
                    )
                )
    except InputError as exc:
        issues.extend(exc.issues)
    try:
        floaded = load_yaml_bytes(_read(fpath), str(fpath))
        fx = _validate(FxFile, floaded)
        if fx.base in fx.rates:
            msg = f"the base currency {fx.base} must not be listed in 'rates' (it is 1 by definition)"
            issues.append(
                Issue(
                    "schema.invalid",
                    msg,
                    str(fpath),
                    floaded.line_of(("rates", fx.base)),
                    None,
                    f"rates.{fx.base}",
                )
            )
    except InputError as exc:
        issues.extend(exc.issues)
    frameworks: dict[str, Sovereignty] = {}
    try:
        frameworks = load_sovereignty(d)
    except InputError as exc:
        issues.extend(exc.issues)
    if issues:
        raise InputError(issues)
    assert crit is not None and fx is not None
    return CriteriaCatalog(
        crit.criteria, fx, (str(cpath), str(fpath)), max_ages(crit.max_age_days), frameworks
    )


# --------------------------------------------------------------------------- catalog


@dataclass(frozen=True)
class Catalog:
    """All valid offerings, plus the problems of the files that were not valid.

    Attributes
    ----------
    offerings : tuple of ResolvedOffering
        Sorted by offering id.
    vendors : tuple of VendorFile
    issues : tuple of Issue
        Problems found; the files they name contributed nothing (or, for a duplicate
        offering id across files, the later offering was dropped).
    files : tuple of str
        Every vendor file read (valid or not), sorted.
    digests : dict
        SHA-256 hex digest of each file read, by file name (answer files included).
    answer_files : tuple of AnswerFile
        The vendors' answer files folded in (:func:`engine.catalog.answers.fold_answers`).
    answer_uses : tuple of AnswerUse
        What each of their answers did to each offering's fact.
    answer_problems : tuple of Issue
        The problems of the answer files (or workbook sheets) given but not used: not
        readable, not valid, or refused when folded in; each is in ``issues`` too. A
        decision record lists them (:func:`engine.reports.record.decision_record`).
    """

    offerings: tuple[ResolvedOffering, ...]
    vendors: tuple[VendorFile, ...]
    issues: tuple[Issue, ...]
    files: tuple[str, ...]
    digests: dict[str, str]
    answer_files: tuple[AnswerFile, ...] = ()
    answer_uses: tuple[AnswerUse, ...] = ()
    answer_problems: tuple[Issue, ...] = ()

    def get(self, offering_id: str) -> ResolvedOffering:
        for o in self.offerings:
            if o.id == offering_id:
                return o
        raise KeyError(offering_id)


def _vendor_paths(
    paths: Iterable[str | Path], roots: Sequence[tuple[str, Path]] | None = None
) -> tuple[list[Path], list[Issue]]:
    files: list[Path] = []
    issues: list[Issue] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():  # its files must stay in the catalog (the directory holding it)
            root = Path(os.path.abspath(p)).parent
            try:
                found = sorted(
                    x for x in p.rglob("*") if x.suffix.lower() in (".yaml", ".yml") or x.is_symlink()
                )
            except OSError as exc:
                issues.append(Issue("io.read_error", f"cannot list directory: {exc.strerror}", str(p)))
                continue
            for x in found:
                name = shown_path(x) if roots is None else input_name(x, roots)
                try:
                    problem = outside_catalog(x, root, name) if x.exists() else None
                except OSError as exc:  # a link into a place this process may not look
                    issues.append(Issue("io.read_error", f"cannot read: {exc.strerror}", name))
                    continue
                if problem is not None:  # a file or a directory (a link) leading out of the catalog
                    issues.append(problem)
                    continue
                if x.suffix.lower() not in (".yaml", ".yml"):
                    continue
                if x.is_file() or (x.exists() and not x.is_dir()):
                    files.append(x)  # a device, a named pipe, a socket: refused, with its kind, when read
                elif not x.is_dir():  # a dangling link
                    issues.append(Issue("io.read_error", "not a readable file (broken link?)", str(x)))
            if not any(x.suffix.lower() in (".yaml", ".yml") or x.is_dir() for x in found):
                issues.append(
                    Issue("catalog.empty", "no vendor profiles (*.yaml, *.yml) in this directory", str(p))
                )
        elif p.exists():  # a file, or a special file (refused, with its kind, when read)
            files.append(p)
        else:
            issues.append(Issue("io.not_found", "no such file or directory", str(p)))
    return files, issues


def load_catalog(
    paths: str | os.PathLike[str] | Iterable[str | Path],
    extra: Iterable[tuple[str, bytes]] = (),
    *,
    currencies: Collection[str] | None = None,
    roots: Sequence[tuple[str, Path]] | None = None,
) -> Catalog:
    """Load every vendor profile under ``paths`` (directories or files).

    Parameters
    ----------
    paths : str, Path or iterable of str or Path
        Directories (their ``*.yaml``/``*.yml`` files, recursively) or single files; a
        single str or Path is one path.
    extra : iterable of (name, bytes)
        In-memory profiles (e.g. uploads), validated like files except that the
        vendor id need not match the name.
    currencies : collection of str, optional
        Currencies the exchange-rate table knows; an offering priced in another one
        is reported (``fx.unknown_currency``, with its line) and left out.
    roots : sequence of (prefix, directory), optional
        Name each file by its :func:`input_name` under these roots (from
        :func:`catalog_roots`), in the offerings, the issues and the digests, so
        reports do not depend on the working directory; default: as given.

    Returns
    -------
    Catalog
        Never raises for a bad vendor file: its problems go to ``Catalog.issues``.
        An offering id defined in two files is left out of both, and both places are
        reported: which one is right is for a person to decide.
    """
    if isinstance(paths, (str, os.PathLike)):  # one path, not its characters
        paths = [Path(paths)]
    files, issues = _vendor_paths(paths, roots)
    sources: list[tuple[str, bytes, bool]] = []
    for f in files:
        try:
            name = shown_path(f) if roots is None else input_name(f, roots)
            sources.append((name, read_regular_file(f, name=str(f)), True))
        except InputError as exc:
            issues.extend(exc.issues)
    sources.extend((name, raw, False) for name, raw in extra)
    found: dict[str, list[ResolvedOffering]] = {}
    vendors: list[VendorFile] = []
    vendor_ids: dict[str, str] = {}
    digests: dict[str, str] = {}
    for name, raw, check_name in sources:
        digests[name] = hashlib.sha256(raw).hexdigest()
        try:
            vendor, loaded = load_vendor_bytes(raw, name, check_name=check_name)
        except InputError as exc:
            issues.extend(exc.issues)
            continue
        if vendor.id in vendor_ids:
            msg = f"vendor id {vendor.id!r} is also defined in {vendor_ids[vendor.id]}; this file was skipped"
            issues.append(Issue("catalog.duplicate_id", msg, name, loaded.line_of(("id",)), None, "id"))
            continue
        vendor_ids[vendor.id] = name
        vendors.append(vendor)
        for ro in _resolve(vendor, loaded):
            prices = ro.offering.prices
            if currencies is not None and prices is not None and prices.currency not in currencies:
                msg = (
                    f"offering {ro.id!r} is priced in {prices.currency}, which the exchange-rate table "
                    f"does not have ({', '.join(sorted(currencies))}); the offering was left out"
                )
                where = f"offerings[{ro.index}].prices.currency"
                issues.append(
                    Issue("fx.unknown_currency", msg, name, ro.line_of("prices", "currency"), None, where)
                )
                continue
            found.setdefault(ro.id, []).append(ro)
    offerings: dict[str, ResolvedOffering] = {}
    for oid, ros in found.items():
        if len(ros) == 1:
            offerings[oid] = ros[0]
            continue
        places = ", ".join(f"{r.file}:{r.line_of('id')}" for r in ros)
        for r in ros:
            msg = f"offering id {oid!r} is defined more than once ({places}); all of them were left out"
            issues.append(
                Issue("catalog.duplicate_id", msg, r.file, r.line_of("id"), None, f"offerings[{r.index}].id")
            )
    return Catalog(
        offerings=tuple(offerings[k] for k in sorted(offerings)),
        vendors=tuple(vendors),
        issues=tuple(issues),
        files=tuple(sorted(digests)),
        digests=digests,
    )


# --------------------------------------------------------------------------- priorities


def load_priorities_bytes(raw: bytes, file: str) -> PrioritiesFile:
    """Load and validate a priorities file from bytes.

    Raises
    ------
    InputError
        Every problem of the file, with file, line and field.
    """
    return _validate(PrioritiesFile, load_yaml_bytes(raw, file))


def load_priorities(path: str | Path) -> PrioritiesFile:
    """Load and validate a priorities file (see :func:`load_priorities_bytes`)."""
    return load_priorities_doc(path)[0]


def load_priorities_doc(path: str | Path) -> tuple[PrioritiesFile, LoadedYaml]:
    """Load a priorities file and keep its document (to locate later problems).

    Raises
    ------
    InputError
        Every problem of the file, with file, line and field.
    """
    return _load_doc(PrioritiesFile, path)


def load_priorities_bytes_doc(raw: bytes, file: str) -> tuple[PrioritiesFile, LoadedYaml]:
    """Load a priorities file from bytes and keep its document (to locate later problems).

    :mod:`engine.batch` reads each file where the batch starts and parses it where it
    runs (a Dask worker need not see the files).

    Raises
    ------
    InputError
        Every problem of the file, with file, line and field.
    """
    return _load_bytes_doc(PrioritiesFile, raw, file)


def read_input(path: str | Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of one input file: a regular file of at most ``max_bytes`` bytes
    (:func:`engine.catalog.yamlio.read_regular_file`; never more is read).

    Raises
    ------
    InputError
        ``io.not_found``, ``io.not_a_file`` (a directory, a device, a named pipe, a
        socket), ``io.too_large`` or ``io.read_error``, naming the file.
    """
    return _read(Path(path), max_bytes)


def _load_doc(model: type[M], path: str | Path) -> tuple[M, LoadedYaml]:
    """Read, strictly load and validate one file, keeping its document for lines."""
    p = Path(path)
    return _load_bytes_doc(model, _read(p), shown_path(p))


def _load_bytes_doc(model: type[M], raw: bytes, file: str) -> tuple[M, LoadedYaml]:
    """Strictly load and validate one file's bytes, keeping its document for lines."""
    loaded = load_yaml_bytes(raw, file)
    return _validate(model, loaded), loaded


def input_name(path: str | Path, roots: Sequence[tuple[str, Path]]) -> str:
    """The name of an input file in records and reports: independent of the working
    directory and of how the path was typed.

    Parameters
    ----------
    path : path
    roots : sequence of (prefix, directory)
        The first directory holding the file names it: ``prefix`` + the file's path
        relative to it, with ``/`` (see :func:`catalog_roots`). A file in none of them
        is named by its absolute path (the same from any working directory).

    Returns
    -------
    str
        Valid Unicode: undecodable bytes of a file name are shown as ``\\xff``
        (:func:`~engine.errors.shown_path`), so JSON, SARIF and XML can hold it.
    """
    full = Path(os.path.abspath(path))
    for prefix, root in roots:
        try:
            return shown_path(prefix + full.relative_to(os.path.abspath(root)).as_posix())
        except ValueError:
            continue
    return shown_path(full.as_posix())


def catalog_roots(vendors_dir: str | Path, criteria_dir: str | Path) -> tuple[tuple[str, Path], ...]:
    """Where the names of the inputs of one run start (:func:`input_name`).

    The *catalog root* is the directory holding the vendors directory: a vendor file
    is ``vendors/openai.yaml`` whatever the working directory or the spelling of
    ``--vendors``. A file outside it but in the bundled data is ``shortlist:`` + its
    path there (``shortlist:criteria/fx.yaml``); else it is named relative to the
    directory holding the criteria directory (``criteria/presets/x.yaml``); else by
    its absolute path.
    """
    from engine.catalog.bundled import bundled_root

    return (
        ("", Path(os.path.abspath(vendors_dir)).parent),
        ("shortlist:", bundled_root()),
        ("", Path(os.path.abspath(criteria_dir)).parent),
    )


def file_digests(paths: Iterable[str | Path], roots: Sequence[tuple[str, Path]] = ()) -> dict[str, str]:
    """SHA-256 hex digest of each file, by its :func:`input_name` under ``roots`` (a
    name that depends neither on the machine nor on the working directory).

    Parameters
    ----------
    paths : iterable of path
    roots : sequence of (prefix, directory)
        See :func:`input_name` and :func:`catalog_roots`.

    Raises
    ------
    InputError
        ``io.not_found`` / ``io.read_error`` for a file that cannot be read.
    """
    return {input_name(p, roots): hashlib.sha256(_read(Path(p))).hexdigest() for p in paths}


def load_policy_doc(path: str | Path, name: str | None = None) -> tuple[PolicyFile, LoadedYaml]:
    """Load a CI policy file (:class:`~engine.catalog.schema.PolicyFile`) and keep its document.

    Parameters
    ----------
    path : path
    name : str, optional
        The file's name in reports and messages (default: ``path`` as given), e.g.
        its :func:`input_name`.

    Raises
    ------
    InputError
        Every problem of the file, with file, line and field.
    """
    return _load_bytes_doc(PolicyFile, _read(Path(path)), name or shown_path(path))


def _path_of(field: str, loaded: LoadedYaml) -> Path_:
    """Resolve a dotted field path (``requirements[0].value``, ``weights.x``) against
    the document's keys; keys may themselves contain dots (offering ids)."""
    path: Path_ = ()
    rest = field
    while rest:
        if rest.startswith("["):
            end = rest.find("]")
            if end < 0 or not rest[1:end].isdigit():
                break
            path = (*path, int(rest[1:end]))
            rest = rest[end + 1 :].lstrip(".")
            continue
        keys = sorted(
            (
                k[-1]
                for k in loaded.lines
                if len(k) == len(path) + 1 and k[:-1] == path and isinstance(k[-1], str)
            ),
            key=len,
            reverse=True,
        )
        match = next(
            (k for k in keys if rest == k or rest.startswith(k + ".") or rest.startswith(k + "[")), None
        )
        if match is None:
            break
        path = (*path, match)
        rest = rest[len(match) :].lstrip(".")
    return path


def locate(issues: Iterable[Issue], loaded: LoadedYaml) -> list[Issue]:
    """Give issues that name no file the file and line of their field in ``loaded``."""
    out = []
    for i in issues:
        if i.file is None and i.field is not None:
            line = loaded.line_of(_path_of(i.field, loaded))
            out.append(Issue(i.code, i.message, loaded.file, line, None, i.field))
        elif i.file is None:
            out.append(Issue(i.code, i.message, loaded.file, None, None, i.field))
        else:
            out.append(i)
    return out


# --------------------------------------------------------------------------- names → files

DEFAULT_PRESET = "regulated-eu-bank"
"""Preset used when no priorities file is named."""


def _named_files(directory: Path) -> dict[str, Path]:
    """The YAML files directly in ``directory`` by name: ``x`` and ``x.yaml`` (or
    ``x.yml``) both name ``x.yaml``. A name is looked up in this listing, never joined
    to a path, so no spelling of a name (``../x``, ``/etc/x``, a NUL byte) reaches a file
    outside ``directory``. A file that leads outside the catalog is listed: the
    lookups refuse it (:func:`_inside`)."""
    try:
        found = sorted(p for p in directory.glob("*.y*ml") if p.suffix in (".yaml", ".yml") and p.is_file())
    except OSError:
        return {}
    out: dict[str, Path] = {}
    for p in found:
        out.setdefault(p.stem, p)
        out.setdefault(p.name, p)
    return out


def preset_files(criteria_dir: Path) -> dict[str, Path]:
    """The bundled presets of ``<criteria_dir>/presets``: name (file stem) → file (a file
    that leads outside the catalog is left out: see :func:`outside_catalog`)."""
    root = Path(os.path.abspath(criteria_dir)).parent
    return {
        k: v
        for k, v in _named_files(criteria_dir / "presets").items()
        if k == v.stem and outside_catalog(v, root) is None
    }


def _inside(path: Path, criteria_dir: Path) -> Path:
    """``path``, a file listed in a directory of ``criteria_dir``, when it stays in the
    catalog (the directory holding ``criteria_dir``).

    Raises
    ------
    InputError
        ``io.outside_catalog`` (see :func:`outside_catalog`).
    """
    problem = outside_catalog(path, Path(os.path.abspath(criteria_dir)).parent)
    if problem is not None:
        raise InputError([problem])
    return path


def resolve_priorities(arg: str | None, criteria_dir: Path) -> Path:
    """Map a priorities argument typed on the command line to a file: a path, or the
    name of a preset in ``<criteria>/presets`` (with or without ``.yaml``); default
    :data:`DEFAULT_PRESET`.

    Only for values a person typed on this machine (the CLI): documents name their
    priorities through a :class:`PrioritiesResolver`.

    Raises
    ------
    InputError
        ``io.not_found``, listing the presets.
    """
    listed = ", ".join(sorted(preset_files(criteria_dir)))
    return _typed_or_named(
        arg or DEFAULT_PRESET, criteria_dir, "presets", "priorities file or preset", listed
    )


def resolve_policy(arg: str, criteria_dir: Path) -> Path:
    """A policy argument typed on the command line: a file, or the name of a policy in
    ``<criteria>/policies``.

    Raises
    ------
    InputError
        ``io.not_found``, listing the bundled policies.
    """
    names = ", ".join(sorted({x.stem for x in _named_files(criteria_dir / "policies").values()})) or "none"
    return _typed_or_named(arg, criteria_dir, "policies", "policy file or bundled policy", names)


def _typed_or_named(arg: str, criteria_dir: Path, folder: str, what: str, listed: str) -> Path:
    """``arg`` as a file typed on the command line, else as a name looked up (never
    joined into a path) in ``<criteria>/<folder>`` and kept inside the catalog.

    Raises
    ------
    InputError
        ``io.not_found``, naming ``what`` was looked for and ``listed`` (the names there).
    """
    p = Path(arg)
    if p.is_file():
        return p
    named = _named_files(criteria_dir / folder)
    if arg in named:
        return _inside(named[arg], criteria_dir)
    if p.exists():  # a directory, a device, a named pipe: refused as such when read
        return p
    raise InputError.single("io.not_found", f"no {what} named {arg!r} ({folder}: {listed})", file=arg)


class PrioritiesResolver(Protocol):
    """What a document's reference to a priorities file (a policy's ``priorities:``)
    may name, given by the adapter that runs the document.

    The engine never turns such a reference into a path itself: the command line
    passes a :class:`LocalResolver` (relative paths inside the catalog, and presets),
    the app a :class:`SessionResolver` (presets by name and the documents uploaded in
    the same session, nothing else).
    """

    def __call__(self, ref: str) -> tuple[bytes, str]:
        """The referenced document's bytes and the name to show for it.

        Raises
        ------
        InputError
            ``policy.priorities_not_found`` (field ``priorities``, not yet located).
        """
        ...


_MAX_REF_SHOWN = 80


def _shown(ref: str) -> str:
    """The reference as the user wrote it, quoted and cut short (never file content)."""
    cut = ref if len(ref) <= _MAX_REF_SHOWN else ref[:_MAX_REF_SHOWN] + "…"
    return repr(cut)


def _ref_issue(message: str) -> InputError:
    return InputError([Issue("policy.priorities_not_found", message, field="priorities")])


def _plain_ref(ref: str) -> bool:
    """True for a relative path in plain form: no drive, no root, no ``~``, no URL
    scheme, no backslash, no control character (NUL included)."""
    if not ref or ref != ref.strip() or any(ord(ch) < 32 or ord(ch) == 127 for ch in ref):
        return False
    if "\\" in ref or ref.startswith(("/", "~")) or ":" in ref:
        return False  # Windows paths and drives, home directories, file:// and other URLs
    return True


@dataclass(frozen=True)
class SessionResolver:
    """The app's namespace: bundled presets by name and documents uploaded in this
    session by file name (with or without ``.yaml``/``.yml``). A reference is looked
    up in these two listings and never reaches the file system, so every other value
    (a path, ``../…``, ``~``, a URL) gets the same message, whether or not a file of
    that name exists on the server, and the message shows no server path.

    Parameters
    ----------
    presets : mapping of str to Path
        Preset name → file (from :func:`preset_files`, listed by the server).
    uploads : mapping of str to bytes
        Uploaded file name → its bytes.
    """

    presets: Mapping[str, Path]
    uploads: Mapping[str, bytes] = field(default_factory=dict)

    def __call__(self, ref: str) -> tuple[bytes, str]:
        stem = ref.rsplit(".", 1)[0] if ref.endswith((".yaml", ".yml")) else ref
        if stem in self.presets:  # `regulated-eu-bank` or `regulated-eu-bank.yaml`, as in the CLI
            return _read(self.presets[stem]), f"preset:{stem}"
        for name, raw in self.uploads.items():
            if ref == name or (ref == name.rsplit(".", 1)[0] and name.endswith((".yaml", ".yml"))):
                return raw, f"upload:{name}"
        ups = ", ".join(sorted(self.uploads)) or "none"
        raise _ref_issue(
            f"the policy's priorities {_shown(ref)} is neither a bundled preset "
            f"({', '.join(sorted(self.presets)) or 'none'}) nor a priorities file uploaded in this "
            f"session (uploaded: {ups}); an uploaded policy cannot name any other file"
        )


@dataclass(frozen=True)
class LocalResolver:
    """The command line's namespace for a policy on disk: a relative path from the
    policy file's directory that stays, symbolic links resolved, inside the catalog
    (the directory holding the criteria directory) or the directory above the policy's
    own (a catalog's ``policies/`` sits below it); else the name of a preset. Absolute
    paths, ``~``, URLs, Windows paths and control characters are refused in the
    document (a path typed on the command line is another matter: see
    :func:`resolve_priorities`).

    Parameters
    ----------
    criteria_dir : Path
    policy_file : Path or None
        The policy's file (``None``: presets only).
    """

    criteria_dir: Path
    policy_file: Path | None = None

    def __call__(self, ref: str) -> tuple[bytes, str]:
        presets = preset_files(self.criteria_dir)
        if self.policy_file is not None and _plain_ref(ref):
            base = self.policy_file.parent
            roots = [self.criteria_dir.resolve().parent, base.resolve().parent]
            cand = (base / ref).resolve()
            inside = any(cand == r or r in cand.parents for r in roots)
            if inside and cand.is_file():
                return _read(cand), shown_path(base / ref)
        named = _named_files(self.criteria_dir / "presets")
        if ref in named:
            return _read(_inside(named[ref], self.criteria_dir)), shown_path(named[ref])
        raise _ref_issue(
            f"the policy's priorities {_shown(ref)} is neither a preset ({', '.join(sorted(presets)) or 'none'}) "
            "nor a priorities file inside the catalog, given as a path relative to the policy file"
        )


def policy_priorities(
    ref: str, resolver: PrioritiesResolver, doc: LoadedYaml
) -> tuple[PrioritiesFile, LoadedYaml]:
    """Load the priorities a policy names, through the adapter's ``resolver``.

    Raises
    ------
    InputError
        ``policy.priorities_not_found`` at the line of ``priorities:`` in the policy, or
        the problems of the priorities file itself.
    """
    try:
        raw, name = resolver(ref)
    except InputError as exc:
        raise InputError(locate(exc.issues, doc)) from None
    return _load_bytes_doc(PrioritiesFile, raw, name)


def load_policy_bytes_doc(raw: bytes, file: str) -> tuple[PolicyFile, LoadedYaml]:
    """Load a CI policy from bytes (e.g. an upload in the app) and keep its document.

    Raises
    ------
    InputError
        Every problem of the file, with file, line and field.
    """
    return _load_bytes_doc(PolicyFile, raw, file)
