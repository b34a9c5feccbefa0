"""Vendors' answers to a request for information: read strictly, folded into the catalog.

An *answer file* is the answer template ``shortlist rfi --format yaml`` writes (``kind:
shortlist-rfi-answers``) with ``answer``, ``evidence`` and ``as_of`` filled in, or the
questionnaire workbook (``--format xlsx``) with its ``answer``, ``evidence`` and
``as_of`` columns filled in (one questionnaire per sheet). :func:`read_answers` reads
either, as strictly as a vendor profile: every problem with its file, line (the sheet's
row) and field, and a file with any problem contributes nothing. A workbook is read
sheet by sheet (:func:`read_answer_sheets`): each sheet is a questionnaire of its own,
so a sheet with a problem contributes nothing and the workbook's valid sheets are used
(:func:`read_and_fold`).

What an answer looks like
-------------------------
Each question's ``field`` says which profile field the answer fills
(:data:`engine.catalog.questions.QUESTIONS`):

- one of the allowed values (``allowed``): zero data retention, deployment, the GPAI
  Code status, a certification (``certified``, ``claimed``, ``none``; ``none`` is
  recorded as ``none_found``: the vendor says it holds none);
- a country code: ``operator.headquarters``, ``vendor.headquarters``;
- processing regions: a list of ISO 3166-1 alpha-2 codes or ``EU``/``EEA`` (in the
  workbook, or as text: separated by commas); ``GLOBAL`` (anywhere) too, ``BUYER``
  (wherever the buyer chooses, within every residency rule) only for an offering the
  buyer runs itself;
- a whole number of tokens: ``context_window_tokens``;
- a mapping with the profile block's own keys (in the workbook: the same written as
  YAML, ``{input_per_mtok: 0.4, output_per_mtok: 1.2, currency: EUR}``): ``prices``
  (``input_per_mtok``, ``output_per_mtok``, ``currency``; ``basis`` and ``note``
  optional), ``latency`` (``ttft_s``, ``output_tokens_per_s``, ``ttft_p95_s``, at least
  one), ``capability`` (``metric``, ``value``), ``openness`` (``open_weights``,
  ``licence``), ``vendor.fmti`` (``score``, ``edition``);
- ``offering`` and ``vendor`` ("is the description still current?"): ``yes`` confirms
  it; any other text is a correction, recorded for a person to apply, never folded in.

Every answer needs ``evidence`` (a document reference or URL, one line) and ``as_of``
(``YYYY-MM-DD``); a question left without an answer is simply unanswered.

Who may answer what
-------------------
The file's ``vendor`` is the questionnaire's id: a vendor id, or a channel operator's
id (:func:`engine.catalog.questions.operator_ids`). Each question is checked against
the catalog (:func:`fold_answers`): its offerings exist, and each question on a field
of an offering goes to this questionnaire (:func:`engine.catalog.questions.recipient_of`):
an operator answers for its channels' facts, a model maker for its models and itself.
An answer can never change another company's facts.

Folding in
----------
An accepted answer becomes a fact graded ``vendor-declared`` (:data:`ANSWER_GRADE`),
dated by its ``as_of``, sourced by its ``evidence``; each offering it concerns records
where it came from (:attr:`engine.catalog.loading.ResolvedOffering.answers`), so every
fact, cell and report can say so. Against the public fact it meets
(:class:`AnswerUse`'s ``outcome``):

- no public value (unknown): the answer **fills** it (a search that found none,
  ``none_found``, is a public value like any other);
- the same value: the answer **confirms** it (the public fact stays);
- a different value resting on stronger evidence (``primary``, ``independent``), or on
  a later ``vendor-declared`` fact: the **public fact is kept** and the conflict
  reported, unless the buyer prefers answers (``prefer_answers``), when the answer
  **overrides** it (still reported);
- a different value on weaker evidence (``secondary``, ``aggregator``, ungraded, or an
  earlier ``vendor-declared`` fact): the answer **replaces** it.

A buyer who wants more than the vendor's word says so with ``min_grade`` on a must-have
or policy rule: a vendor-declared fact then counts as unknown there.

An answer to the vendor's own facts (``vendor.…``) reaches every offering of the
vendor's file that reads it: a ``vendor.certifications.…`` answer not the offerings with
a certification block of their own. A certification answer on an offering that
inherits its maker's block meets the maker's item; folded in, the offering gets a copy
of the maker's block (the vendor-level answers in it), each item keeping its date and
grade. Each (offering, field) is answered once across all the files given (a vendor's
own fact: once per vendor), whatever the question ids say. A price is checked against
the exchange-rate table as a profile's is.

Workbook limits
---------------
Besides :data:`MAX_UNZIPPED`, :data:`MAX_PARTS` and :data:`MAX_SHEETS`: a sheet's stated
size is ignored (its rows are read as they are, its first 100 columns only), a row
past Excel's last (1,048,576) is refused, and a sheet's answer columns hold at most
:data:`engine.catalog.yamlio.MAX_BYTES` characters, the size limit of a YAML answer file.
The XML is parsed by openpyxl with defusedxml (a dependency): entity declarations and
external entities are refused.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import math
import re
import zipfile
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Annotated, Any, Literal, TypeGuard

from pydantic import Field, TypeAdapter, ValidationError

from engine.catalog.evidence import UNGRADED, Fact, facts, grade_rank
from engine.catalog.loading import Catalog, ResolvedOffering, _validate
from engine.catalog.questions import FACT_FIELDS, QUESTIONS, operator_ids, recipient_of
from engine.catalog.schema import (
    CertificationBlock,
    Country,
    Date,
    Ident,
    Note,
    Region,
    Source,
    Text,
    VendorFile,
    _Model,
)
from engine.catalog.sovereignty import Sovereignty, parse_answer_field, rule_answers
from engine.catalog.yamlio import MAX_BYTES, LoadedYaml, Path_, load_yaml_bytes
from engine.errors import InputError, Issue, suggest

__all__ = [
    "ANSWER_GRADE",
    "KIND",
    "MAX_FILE_BYTES",
    "OUTCOMES",
    "Answer",
    "AnswerFile",
    "AnswerUse",
    "conflicts_first",
    "fold_answers",
    "not_used",
    "read_and_fold",
    "read_answer_sheets",
    "read_answers",
    "read_answers_workbook",
    "read_answers_yaml",
]

KIND = "shortlist-rfi-answers"
"""The ``kind`` of an answer file (the template's)."""
ANSWER_GRADE = "vendor-declared"
"""The evidence grade of every answer."""
MAX_QUESTIONS = 10_000
"""Most questions one answer file (or sheet) may hold."""
MAX_SHEETS = 500
"""Most sheets an answer workbook may hold."""
MAX_UNZIPPED = 64 * 1024 * 1024
"""Largest total uncompressed size of an answer workbook's parts (64 MiB)."""
MAX_FILE_BYTES = MAX_UNZIPPED
"""Largest answer file read from a path, in bytes (64 MiB, the limit on a workbook's
unpacked parts); a YAML answer file is then held to :data:`engine.catalog.yamlio.MAX_BYTES`."""
MAX_PARTS = 4 * MAX_SHEETS + 100
"""Most parts (zip entries) an answer workbook may hold: a sheet has its XML and a few
related parts; checked before the workbook is opened, so tens of thousands of tiny
sheets cost nothing to refuse."""

Outcome = Literal["fills", "replaces", "confirms", "public kept", "overrides", "not folded"]
OUTCOMES: tuple[str, ...] = ("fills", "replaces", "confirms", "public kept", "overrides", "not folded")
"""What an answer did to the fact it met (module docstring, *Folding in*)."""
USED: frozenset[str] = frozenset({"fills", "replaces", "overrides"})
"""Outcomes where the value the ranking reads is the answer's."""


def conflicts_first(uses: Iterable[AnswerUse]) -> list[AnswerUse]:
    """Answer uses in the order reports list them: conflicts first, then answers that
    replaced weaker evidence, filled an unknown, were corrections for a person, and
    confirmed a fact; then by offering id and field."""
    order = {"public kept": 0, "overrides": 0, "replaces": 1, "fills": 2, "not folded": 3, "confirms": 4}
    return sorted(uses, key=lambda u: (order[u.outcome], u.offering_id, u.answer.field))


# --------------------------------------------------------------------------- the file


class AnsweredQuestion(_Model):
    """One question of an answer file (the template's fields; the descriptive ones are
    read but not used)."""

    id: Text
    offerings: Annotated[tuple[Ident, ...], Field(min_length=1, max_length=10_000)]
    field: Text
    question: Note | None = None
    answer_format: Note | None = None
    allowed: tuple[Text, ...] = ()
    evidence_wanted: Note | None = None
    why: tuple[Note, ...] = ()
    decides: bool | None = None
    answer: Any = None
    evidence: Source | None = None
    as_of: Date | None = None


class AnswerDocument(_Model):
    """An answer file: the questionnaire it answers and its questions."""

    kind: Literal["shortlist-rfi-answers"]
    template: bool | None = None
    vendor: Ident
    vendor_name: Text | None = None
    priorities: Text | None = None
    on_date: Date | None = None
    questions: Annotated[tuple[AnsweredQuestion, ...], Field(max_length=MAX_QUESTIONS)] = ()


@dataclass(frozen=True, slots=True)
class Answer:
    """One answered question.

    Attributes
    ----------
    file : str
        The answer file (for a workbook: ``<file>#<sheet>``).
    question_id : str
    field : str
        The profile field it fills (a :data:`engine.catalog.questions.QUESTIONS` key).
    offering_ids : tuple of str
        The offerings it concerns.
    value : Any
        The answer, normalised: a tuple of region codes, a mapping (a block's keys), a
        whole number, or a text (an allowed value, a country code, ``yes`` or a
        correction).
    evidence : str
        The document reference or URL given as evidence.
    as_of : datetime.date
    line : int or None
        Its line (a workbook: its row).
    index : int or None
        Its place in the file's ``questions`` (problems found when folding name
        ``questions[<index>].<key>``).
    offering_lines : tuple of int or None
        The line of each of its offerings.
    answer_line : int or None
        The line of its answer.
    field_line : int or None
        The line of its field (``None``: the question's line).
    """

    file: str
    question_id: str
    field: str
    offering_ids: tuple[str, ...]
    value: Any
    evidence: str
    as_of: dt.date
    line: int | None
    index: int | None = None
    offering_lines: tuple[int | None, ...] = ()
    answer_line: int | None = None
    field_line: int | None = None

    def where(self, key: str, k: int | None = None) -> tuple[int | None, str]:
        """The line and field of ``key`` (``offerings``: its ``k``-th) in the file."""
        line = self.answer_line if key == "answer" else self.field_line if key == "field" else self.line
        if key == "offerings" and k is not None and k < len(self.offering_lines):
            line = self.offering_lines[k]
        path = f"{key}[{k}]" if k is not None else key
        return (line or self.line), (path if self.index is None else f"questions[{self.index}].{path}")

    @property
    def label(self) -> str:
        """``<file> (<question id>)``: how outputs name the answer."""
        return f"{self.file} ({self.question_id})"

    @property
    def text(self) -> str:
        """The answer as one line of text (regions joined by commas, a mapping as
        ``key: value`` pairs)."""
        v = self.value
        if isinstance(v, tuple):
            return ", ".join(v)
        if isinstance(v, dict):
            return ", ".join(f"{k}: {str(x).lower() if isinstance(x, bool) else x}" for k, x in v.items())
        return str(v)


@dataclass(frozen=True, slots=True)
class AnswerFile:
    """One questionnaire's answers.

    Attributes
    ----------
    file : str
    vendor : str
        The questionnaire id (vendor or operator id).
    digest : str
        SHA-256 of the bytes read (a workbook: of the whole workbook).
    answers : tuple of Answer
    unanswered : int
        Questions left without an answer.
    """

    file: str
    vendor: str
    digest: str
    answers: tuple[Answer, ...]
    unanswered: int
    vendor_line: int | None = None
    """The line of its ``vendor`` (a workbook: row 3)."""
    source: str = ""
    """The file read (a workbook sheet's: the workbook's name; empty: ``file``)."""


@dataclass(frozen=True, slots=True)
class AnswerUse:
    """What one answer did to one offering's fact.

    Attributes
    ----------
    answer : Answer
    offering_id : str
    outcome : str
        One of :data:`OUTCOMES`.
    public : str or None
        The public value it met, as text (``None``: unknown).
    public_grade : str or None
        That value's evidence grade.
    public_sources : tuple of str
    """

    answer: Answer
    offering_id: str
    outcome: Outcome
    public: str | None = None
    public_grade: str | None = None
    public_sources: tuple[str, ...] = ()

    @property
    def used(self) -> bool:
        """Whether the value the ranking reads is the answer's."""
        return self.outcome in USED

    @property
    def conflict(self) -> bool:
        """Whether the answer contradicts a public fact on stronger evidence."""
        return self.outcome in ("public kept", "overrides")

    @property
    def flag(self) -> str | None:
        """The flag a ranking row carries for it (``None``: an answer that confirms a
        fact or is a correction for a person changes nothing the ranking reads).

        ``<field> from the vendor's answer <label> (vendor-declared, <date>)``, saying
        the public value it replaced or overrode; for a conflict won by the public fact,
        the value kept. Conflicts end with ``: conflict``.
        """
        a = self.answer
        base = f"{a.field} from the vendor's answer {a.label} (vendor-declared, {a.as_of.isoformat()})"
        if self.outcome == "fills":
            return base
        if self.outcome == "replaces":
            return f"{base}, replacing {self.public} ({self.public_grade})"
        if self.outcome == "overrides":
            return f"{base}, overriding {self.public} ({self.public_grade}) as the buyer prefers answers: conflict"
        if self.outcome == "public kept":
            return (
                f"{a.field}: the vendor's answer {a.label} contradicts {self.public} ({self.public_grade}); "
                "the stronger public fact is used: conflict"
            )
        return None


# --------------------------------------------------------------------------- answer values


def _words(allowed: Sequence[str]) -> str:
    return ", ".join(allowed)


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"number {value!r}"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


_REGIONS = TypeAdapter(Annotated[tuple[Region, ...], Field(min_length=1, max_length=300)])
_COUNTRY = TypeAdapter(Country)
_NOTE = TypeAdapter(Note)

_BLOCK_KEYS: Mapping[str, tuple[frozenset[str], frozenset[str]]] = {
    # field: (required keys, optional keys)
    "prices": (frozenset({"input_per_mtok", "output_per_mtok", "currency"}), frozenset({"basis", "note"})),
    "latency": (frozenset(), frozenset({"ttft_s", "output_tokens_per_s", "ttft_p95_s", "note"})),
    "capability": (frozenset({"metric", "value"}), frozenset({"note"})),
    "openness": (frozenset({"open_weights"}), frozenset({"licence", "note"})),
    "vendor.fmti": (frozenset({"score", "edition"}), frozenset({"note"})),
}
_MEASURED: Mapping[str, frozenset[str]] = {
    "latency": frozenset({"ttft_s", "output_tokens_per_s", "ttft_p95_s"})
}
"""Blocks whose keys are all optional but at least one of these must be given."""
_ENUMS: Mapping[str, tuple[str, ...]] = {f: q.allowed for f, q in QUESTIONS.items() if q.allowed}
_CONFIRMATIONS = frozenset({"offering", "vendor"})


def _first_error(exc: ValidationError, *, skip: int = 0) -> str:
    """The first error of ``exc`` as ``<key path>: <message>; found <input>`` (the
    path without its first ``skip`` parts; the input left out when the message
    already shows it)."""
    err = exc.errors(include_url=False)[0]
    msg = str(err["msg"])
    msg = msg[len("Value error, ") :] if msg.startswith("Value error, ") else msg
    loc = ".".join(str(x) for x in err["loc"][skip:] if not isinstance(x, int))
    if err["type"] != "value_error" and "input" in err and not isinstance(err["input"], (dict, list, tuple)):
        msg = f"{msg}; found {_shown(err['input'])}"
    return f"{loc}: {msg}" if loc else msg


def _parse_value(field: str, raw: Any, from_text: bool) -> Any:
    """The normalised answer of a question on ``field``; ValueError says what is
    expected and what was found. ``from_text``: a workbook cell, where a mapping is
    written as YAML and a list as comma-separated text."""
    if parse_answer_field(field) is not None:  # a framework criterion: an option number
        if isinstance(raw, float) and from_text and raw.is_integer():
            raw = int(raw)  # a spreadsheet stores whole numbers as floats
        if isinstance(raw, str) and re.fullmatch(r"[0-9]{1,3}", raw.strip()):
            raw = int(raw.strip())  # an option number written as text (a workbook's drop-down gives text)
        if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= 1000:
            raise ValueError(f"expected an option number (a whole number from 1); found {_shown(raw)}")
        return raw
    if field in _ENUMS:
        allowed = _ENUMS[field]
        if not isinstance(raw, str) or raw not in allowed:
            raise ValueError(f"expected one of: {_words(allowed)}; found {_shown(raw)}")
        return raw
    if field == "processing_regions":
        items = raw
        if isinstance(raw, str):
            items = [p.strip() for p in raw.split(",")]
            if any(not p for p in items):
                raise ValueError(f"expected region codes separated by commas (DE, FR, EU); found {raw!r}")
        if not isinstance(items, (list, tuple)) or not all(isinstance(x, str) for x in items):
            raise ValueError(f"expected a list of region codes (DE, FR, EU); found {_shown(raw)}")
        try:
            codes = _REGIONS.validate_python(tuple(items), strict=True)
        except ValidationError as exc:
            raise ValueError(_first_error(exc)) from None
        return tuple(dict.fromkeys(codes))
    if field in ("operator.headquarters", "vendor.headquarters"):
        if not isinstance(raw, str):
            raise ValueError(f"expected an ISO 3166-1 alpha-2 country code; found {_shown(raw)}")
        try:
            return _COUNTRY.validate_python(raw, strict=True)
        except ValidationError as exc:
            raise ValueError(_first_error(exc)) from None
    if field == "context_window_tokens":
        if isinstance(raw, float) and from_text and raw.is_integer():
            raw = int(raw)  # a spreadsheet stores whole numbers as floats
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ValueError(f"expected a whole number of tokens (e.g. 131072); found {_shown(raw)}")
        return raw
    if field in _BLOCK_KEYS:
        value = raw
        if from_text and isinstance(raw, str):
            try:
                value = load_yaml_bytes(raw.encode("utf-8"), "answer").data
            except InputError as exc:
                raise ValueError(
                    f"expected a mapping written as YAML, e.g. {QUESTIONS[field].answer_format}; "
                    f"it does not read as one: {exc.issues[0].message}"
                ) from None
        if not isinstance(value, dict):
            raise ValueError(f"expected a mapping ({QUESTIONS[field].answer_format}); found {_shown(raw)}")
        required, optional = _BLOCK_KEYS[field]
        keys = set(value)
        missing = sorted(required - keys)
        extra = sorted(k for k in keys - required - optional)
        if missing or extra or not keys:
            known = ", ".join(sorted(required | optional))
            said = []
            if missing:
                said.append(f"missing {', '.join(missing)}")
            if extra:
                said.append(f"unknown {', '.join(map(repr, extra))}")
            if not keys:
                said.append("empty")
            raise ValueError(f"expected a mapping with the keys {known}; {'; '.join(said)}")
        measured = _MEASURED.get(field)
        if measured and not keys & measured:
            raise ValueError(f"expected at least one of {', '.join(sorted(measured))}; found none")
        return dict(value)
    if field in _CONFIRMATIONS:
        if not isinstance(raw, str):
            raise ValueError(f"expected yes, or the corrections as text; found {_shown(raw)}")
        try:
            return _NOTE.validate_python(raw, strict=True)
        except ValidationError as exc:
            raise ValueError(_first_error(exc)) from None
    if field.startswith(("certifications.", "vendor.certifications.")):  # pragma: no cover - in _ENUMS
        raise ValueError("expected certified, claimed or none")
    raise ValueError(f"no question on {field!r}")  # pragma: no cover - fields are checked first


def _question_field(field: str) -> str | None:
    if parse_answer_field(field) is not None:  # a sovereignty framework's criterion
        return field
    f = FACT_FIELDS.get(field, field)
    return f if f in QUESTIONS else None


def _expected_id(q: AnsweredQuestion) -> str:
    return f"vendor:{q.field}" if q.field.startswith("vendor") else f"{q.offerings[0]}:{q.field}"


_QUESTION_FIELD = re.compile(r"questions\[(\d+)\]")


def _document(loaded: LoadedYaml, digest: str, *, from_text: bool) -> AnswerFile:
    """Validate a loaded answer document (YAML, or a workbook sheet made into one): every
    problem at once, the answers of the questions the schema takes checked even when
    others (or the document's own fields) have schema problems."""
    doc: AnswerDocument | None = None
    early: list[Issue] = []
    try:
        doc = _validate(AnswerDocument, loaded)
        questions = list(enumerate(doc.questions))
    except InputError as exc:
        early = list(exc.issues)
        raw = loaded.data.get("questions") if isinstance(loaded.data, dict) else None
        if not isinstance(raw, list):
            raise
        named = {int(m.group(1)) for i in early if (m := _QUESTION_FIELD.match(i.field or ""))}
        questions = []
        for k, rq in enumerate(raw[:MAX_QUESTIONS]):
            if k in named:
                continue
            try:
                questions.append((k, AnsweredQuestion.model_validate(rq)))
            except ValidationError:  # pragma: no cover - its problems are among those reported
                continue
    issues: list[Issue] = []
    answers: list[Answer] = []
    unanswered = 0
    seen: dict[str, int] = {}
    file = loaded.file

    def issue(i: int, key: str, msg: str, code: str = "answers.invalid") -> None:
        path: Path_ = ("questions", i, key)
        issues.append(Issue(code, msg, file, loaded.line_of(path), None, f"questions[{i}].{key}"))

    for i, q in questions:
        fld = _question_field(q.field)
        if fld is None:
            issue(i, "field", f"no question of the questionnaire fills {q.field!r}", "answers.unknown_field")
            continue
        if q.id != _expected_id(q):
            issue(
                i,
                "id",
                f"expected the question id {_expected_id(q)!r} (from its field and first offering); "
                f"found {q.id!r}",
            )
        if q.id in seen:
            issue(
                i, "id", f"question {q.id!r} is answered twice (questions[{seen[q.id]}])", "answers.duplicate"
            )
        seen.setdefault(q.id, i)
        if len(set(q.offerings)) != len(q.offerings):
            issue(i, "offerings", "an offering is listed twice")
        empty = q.answer is None or (isinstance(q.answer, str) and not q.answer.strip())
        if empty:
            unanswered += 1
            if q.evidence is not None or q.as_of is not None:
                issue(i, "answer", "evidence or as_of is given but no answer: give the answer, or clear both")
            continue
        try:
            value = _parse_value(fld, q.answer, from_text)
        except ValueError as exc:
            issue(i, "answer", str(exc))
            continue
        if q.evidence is None:
            issue(i, "evidence", "an answer needs its evidence: a document reference or URL")
        if q.as_of is None:
            issue(i, "as_of", "an answer needs the date it is valid on (as_of: YYYY-MM-DD)")
        if q.evidence is None or q.as_of is None:
            continue
        answers.append(
            Answer(
                file,
                q.id,
                fld,
                q.offerings,
                value,
                q.evidence,
                q.as_of,
                loaded.line_of(("questions", i)),
                i,
                tuple(loaded.line_of(("questions", i, "offerings", k)) for k in range(len(q.offerings))),
                loaded.line_of(("questions", i, "answer")),
                loaded.line_of(("questions", i, "field")),
            )
        )
    if issues or early or doc is None:
        raise InputError([*early, *issues])
    return AnswerFile(file, doc.vendor, digest, tuple(answers), unanswered, loaded.line_of(("vendor",)))


def read_answers_yaml(raw: bytes, file: str) -> AnswerFile:
    """Read one filled-in answer template (YAML).

    Parameters
    ----------
    raw : bytes
        The file's bytes (UTF-8; at most :data:`engine.catalog.yamlio.MAX_BYTES`).
    file : str
        Its name in messages and reports.

    Returns
    -------
    AnswerFile

    Raises
    ------
    InputError
        Every problem of the file, with its line and field: YAML syntax (strict loader),
        unknown or missing fields, a question no field of the questionnaire has, a
        question id that is not ``<first offering>:<field>`` (``vendor:<field>``), the
        same question twice, an answer not of its field's form, an answer without
        evidence or date.
    """
    loaded = load_yaml_bytes(raw, file)
    return _document(loaded, hashlib.sha256(raw).hexdigest(), from_text=False)


# --------------------------------------------------------------------------- workbook

_COLUMNS = {"question_id": "id", "offerings": "offerings", "field": "field", "answer": "answer",
            "evidence": "evidence", "as_of": "as_of"}  # fmt: skip
_HEADER_ROW = 4
_META_ROW = 3


def _cell_text(value: Any) -> Any:
    """A workbook cell as the YAML loader would give it: text stripped of the
    spreadsheet's surrounding blanks, dates as dates, empty as None."""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, str):
        value = value.strip(" ")
        return value or None
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def _check_zip(raw: bytes, file: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            infos = z.infolist()
            total = sum(i.file_size for i in infos)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InputError.single(
            "answers.workbook",
            "not an Excel workbook (.xlsx): the file is not a valid zip archive",
            file=file,
        ) from None
    if len(infos) > MAX_PARTS:
        raise InputError.single(
            "answers.workbook",
            f"the workbook holds {len(infos):,} parts, more than the {MAX_PARTS:,} a questionnaire of "
            f"{MAX_SHEETS} sheets may have",
            file=file,
        )
    if total > MAX_UNZIPPED:
        raise InputError.single(
            "answers.workbook",
            f"the workbook unpacks to {total:,} bytes, more than the {MAX_UNZIPPED:,} allowed",
            file=file,
        )


def read_answers_workbook(raw: bytes, file: str) -> tuple[AnswerFile, ...]:
    """Read a filled-in questionnaire workbook, all or nothing: one :class:`AnswerFile`
    per sheet (see :func:`read_answer_sheets`, which keeps the valid sheets).

    Raises
    ------
    InputError
        Every problem of every sheet, as :func:`read_answer_sheets` gives them, or a
        problem of the whole workbook.
    """
    sheets, problems = read_answer_sheets(raw, file)
    if problems:
        raise InputError(problems)
    return sheets


def read_answer_sheets(raw: bytes, file: str) -> tuple[tuple[AnswerFile, ...], tuple[Issue, ...]]:
    """Read a filled-in questionnaire workbook: one :class:`AnswerFile` per sheet.

    Each sheet is one questionnaire as ``shortlist rfi --format xlsx`` writes it: row 3
    names it (``questionnaire``, its id, ``kind``, :data:`KIND`), row 4 holds the column
    names, each later row a question; only ``question_id``, ``offerings``, ``field``,
    ``answer``, ``evidence`` and ``as_of`` are read. A sheet is read like a YAML answer
    file (:func:`read_answers_yaml`), its rows for lines; a mapping answer is written
    as YAML in its cell, a list of regions separated by commas. A formula, in any
    column read, is refused (``answers.formula``: never evaluated, never taken as text,
    so a ``=HYPERLINK(...)`` is no evidence).

    Each sheet is read on its own, as a YAML answer file would be: a sheet with any
    problem contributes nothing, the valid sheets are used.

    Returns
    -------
    sheets : tuple of AnswerFile
        The valid sheets answered; every valid sheet when none is answered and none
        was refused (so the workbook is still listed as read).
    problems : tuple of Issue
        Every problem of the sheets not used (file ``<file>#<sheet>``, the row as the
        line).

    Raises
    ------
    InputError
        A problem of the whole workbook: a file that is not a workbook, unpacks to
        more than :data:`MAX_UNZIPPED` bytes or has more than :data:`MAX_SHEETS` sheets.
    """
    from openpyxl import load_workbook

    _check_zip(raw, file)
    digest = hashlib.sha256(raw).hexdigest()
    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a broken workbook
        cause: BaseException | None = exc
        while cause is not None and type(cause).__module__.split(".")[0] != "defusedxml":
            cause = cause.__cause__ or cause.__context__
        why = (
            "its XML declares entities or a document type (refused: entity expansion, external entities)"
            if cause is not None
            else type(exc).__name__
        )
        raise InputError.single("answers.workbook", f"cannot read the workbook: {why}", file=file) from None
    try:
        if len(wb.sheetnames) > MAX_SHEETS:
            raise InputError.single(
                "answers.workbook",
                f"{len(wb.sheetnames)} sheets, more than the {MAX_SHEETS} allowed",
                file=file,
            )
        out: list[AnswerFile] = []
        issues: list[Issue] = []
        for ws in wb.worksheets:
            name = f"{file}#{ws.title}"
            try:
                out.append(replace(_sheet(ws, name, digest), source=file))
            except InputError as exc:
                issues.extend(exc.issues)
        # the questionnaires answered (a workbook of every vendor's usually has one); all
        # of them when none is and none was refused, so the workbook is still listed as read
        answered = tuple(a for a in out if a.answers)
        return answered or (() if issues else tuple(out)), tuple(issues)
    finally:
        wb.close()


_EXCEL_ROWS = 1_048_576
"""The last row of an Excel sheet."""
_MAX_COLUMNS = 100
"""Columns of a sheet read (the questionnaire has 12; a column further right is not one of
its columns)."""


def _sheet(ws: Any, name: str, digest: str) -> AnswerFile:
    # the sheet's stated size is not trusted: a dimension of A1:XFD1048576 would have
    # openpyxl pad a million rows of 16,384 empty cells; rows missing between two rows
    # still come as empty rows, each of at most _MAX_COLUMNS cells
    ws.reset_dimensions()
    rows = ws.iter_rows(max_col=_MAX_COLUMNS, values_only=True)
    data: dict[str, Any] = {}
    lines: dict[Path_, int] = {}
    header: dict[int, str] = {}
    questions: list[dict[str, Any]] = []
    size = 0  # characters of text read
    formulas: list[Issue] = []  # formula cells among those read
    for r, row in enumerate(rows, start=1):
        if r > _EXCEL_ROWS:  # a row number no spreadsheet writes: never iterate up to it
            raise InputError.single(
                "answers.workbook", f"a row past Excel's last row ({_EXCEL_ROWS:,})", file=name, line=r
            )
        if r > _HEADER_ROW and row.count(None) == len(row):
            continue  # an empty (or missing) row, skipped at C speed
        cells = [_cell_text(v) for v in row]
        if r == _META_ROW:
            if len(cells) < 4 or cells[0] != "questionnaire" or cells[2] != "kind":
                raise InputError.single(
                    "answers.workbook",
                    "row 3 does not name the questionnaire (questionnaire, <id>, kind, "
                    f"{KIND}): is this the workbook shortlist rfi wrote?",
                    file=name,
                    line=r,
                )
            data["vendor"], data["kind"] = cells[1], cells[3]
            lines[("vendor",)] = lines[("kind",)] = r
            for key, v in (("vendor", cells[1]), ("kind", cells[3])):
                if _formula(v):
                    formulas.append(Issue("answers.formula", _formula_msg(v), name, r, None, key))
        elif r == _HEADER_ROW:
            header = {j: str(c) for j, c in enumerate(cells) if isinstance(c, str) and c in _COLUMNS}
            missing = sorted(set(_COLUMNS) - set(header.values()))
            if missing:
                raise InputError.single(
                    "answers.workbook", f"row 4 lacks the columns {', '.join(missing)}", file=name, line=r
                )
        elif r > _HEADER_ROW:
            if len(questions) >= MAX_QUESTIONS:
                raise InputError.single(
                    "answers.workbook", f"more than {MAX_QUESTIONS} questions", file=name, line=r
                )
            got = {header[j]: c for j, c in enumerate(cells) if j in header}
            if all(v is None for v in got.values()):
                continue
            size += sum(len(v) for v in got.values() if isinstance(v, str))
            if size > MAX_BYTES:  # what one YAML answer file may hold
                raise InputError.single(
                    "answers.workbook",
                    f"the sheet's answers hold more than {MAX_BYTES:,} characters of text, the limit of an "
                    "answer file",
                    file=name,
                    line=r,
                )
            if got.get("question_id") == "No open question.":
                continue
            k = len(questions)
            q: dict[str, Any] = {}
            for col, key in _COLUMNS.items():
                v = got.get(col)
                if _formula(v):
                    where = f"questions[{k}].{key}"
                    formulas.append(Issue("answers.formula", _formula_msg(v), name, r, None, where))
                if key == "offerings" and isinstance(v, str):
                    v = [p.strip() for p in v.split(",")]
                if key == "as_of" and isinstance(v, dt.date):
                    v = v.isoformat()
                if key == "evidence" and isinstance(v, (int, float)) and not isinstance(v, bool):
                    # a certificate or document number the spreadsheet stored as a number
                    v = str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
                if v is not None:
                    q[key] = v
                lines[("questions", k, key)] = r
            lines[("questions", k)] = r
            questions.append(q)
    if not header:
        raise InputError.single(
            "answers.workbook", "no header row (row 4): not a questionnaire sheet", file=name
        )
    data["questions"] = questions
    lines[("questions",)] = _HEADER_ROW
    try:
        sheet = _document(LoadedYaml(data, lines, name), digest, from_text=True)
    except InputError as exc:  # the loader's advice is for YAML; a cell's is to hold text
        yaml_hint = " — YAML read this as a number or boolean; put the text in quotes"
        cell_hint = " — the cell holds a number or boolean; enter it as text"
        # a formula cell is reported as one, not as the value its text would be
        done = {i.field for i in formulas}
        rest = [
            replace(i, message=i.message.replace(yaml_hint, cell_hint))
            for i in exc.issues
            if not any(i.field == d or (i.field or "").startswith((f"{d}.", f"{d}[")) for d in done)
        ]
        raise InputError(sorted([*formulas, *rest], key=lambda i: i.line or 0)) from None
    if formulas:
        raise InputError(formulas)
    return sheet


_FORMULA_SHOWN = 200
"""Characters of a formula shown in its problem."""


def _formula_msg(formula: str) -> str:
    """The problem of a formula cell (never evaluated, never taken as text), the
    formula quoted and escaped (``repr``): whole up to :data:`_FORMULA_SHOWN`
    characters, else cut there with ``…``."""
    shown = repr(formula) if len(formula) <= _FORMULA_SHOWN else repr(formula[:_FORMULA_SHOWN]) + "…"
    return f"a formula, not a value: type the value (found {shown})"


def _formula(value: Any) -> TypeGuard[str]:
    """Whether a cell read holds a formula: openpyxl, reading without evaluating
    (``data_only=False``), gives a formula cell as its text, ``=...``. A text cell
    starting with ``=`` is taken for one too (a spreadsheet would compute it when the
    text is retyped; it is never an answer, evidence or date)."""
    return isinstance(value, str) and value.lstrip().startswith("=")


def read_answers(raw: bytes, file: str) -> tuple[AnswerFile, ...]:
    """Read an answer file: a workbook when its bytes are a zip archive (``PK``), else
    YAML. See :func:`read_answers_yaml` and :func:`read_answers_workbook`."""
    if raw[:2] == b"PK":
        return read_answers_workbook(raw, file)
    return (read_answers_yaml(raw, file),)


def _read_usable(raw: bytes, file: str) -> tuple[tuple[AnswerFile, ...], tuple[Issue, ...]]:
    """The usable questionnaires of an answer file and the problems of those not used: a
    workbook sheet by sheet (:func:`read_answer_sheets`), a YAML file whole."""
    try:
        if raw[:2] == b"PK":
            return read_answer_sheets(raw, file)
        return (read_answers_yaml(raw, file),), ()
    except InputError as exc:
        return (), tuple(exc.issues)


# --------------------------------------------------------------------------- folding in

_FACT_OF: Mapping[str, str] = {
    "processing_regions": "residency",
    "context_window_tokens": "offering",
    "operator.headquarters": "offering",
    "deployment": "offering",
    "vendor.headquarters": "vendor",
}
"""The dated fact (:attr:`engine.catalog.evidence.Fact.field`) a public value of a
field rests on, where it is not the field itself."""
PLAIN_FIELDS: frozenset[str] = frozenset(
    {"context_window_tokens", "operator.headquarters", "deployment", "vendor.headquarters"}
)
"""Fields without a block of their own: an answer to one becomes a fact of its own
(:func:`engine.catalog.evidence.facts`)."""


def _cert(ro: ResolvedOffering, fld: str) -> str | None:
    own = fld.startswith("certifications.")
    # an offering without a block of its own reads its maker's: that is the public value
    block = (ro.offering.certifications or ro.vendor.certifications) if own else ro.vendor.certifications
    if block is None:
        return None
    item = next((v for k, v in block.items.items() if k == fld.rsplit(".", 1)[1]), None)
    if item is None or item.status == "unknown":
        return None
    return str(item.status)  # none_found is a fact (a search found none), graded like any other


def _public(ro: ResolvedOffering, fld: str) -> Any:
    """The public value of ``fld`` as an answer would give it (``None``: unknown;
    ``none_found``, a search that found none, is a value: an answer meets it as any
    other fact, so a stronger "none found" is not overridden)."""
    off, ven = ro.offering, ro.vendor
    if fld == "processing_regions":
        return frozenset(off.processing_regions) if off.processing_regions else None
    if fld == "prices":
        p = off.prices
        return None if p is None else (p.input_per_mtok, p.output_per_mtok, p.currency)
    if fld == "latency":
        lt = off.latency
        return None if lt is None else (lt.ttft_s, lt.output_tokens_per_s, lt.ttft_p95_s)
    if fld == "capability":
        c = off.capability
        return None if c is None else (c.metric, c.value)
    if fld == "openness":
        o = off.openness
        return None if o is None else (o.open_weights, o.licence)
    if fld == "vendor.fmti":
        f = ven.fmti
        return None if f is None else (f.score, f.edition)
    if fld == "zero_data_retention":
        z = off.zero_data_retention
        return None if z is None or z.status == "unknown" else z.status
    if fld == "vendor.gpai_code_of_practice":
        g = ven.gpai_code_of_practice
        return None if g is None or g.status == "unknown" else g.status
    if fld == "context_window_tokens":
        return off.context_window_tokens
    if fld == "operator.headquarters":
        return off.operator.headquarters
    if fld == "deployment":
        return off.deployment
    if fld == "vendor.headquarters":
        return ven.headquarters
    if fld.startswith(("certifications.", "vendor.certifications.")):
        return _cert(ro, fld)
    return None  # offering / vendor: descriptions, compared by a person


def _as_answered(fld: str, value: Any) -> Any:
    """An answer's value in :func:`_public`'s form."""
    if fld == "processing_regions":
        return frozenset(value)
    if fld == "prices":
        return (float(value["input_per_mtok"]), float(value["output_per_mtok"]), value["currency"])
    if fld == "latency":
        return tuple(value.get(k) for k in ("ttft_s", "output_tokens_per_s", "ttft_p95_s"))
    if fld == "capability":
        return (value["metric"], value["value"])
    if fld == "openness":
        return (value["open_weights"], value.get("licence"))
    if fld == "vendor.fmti":
        return (value["score"], value["edition"])
    if fld.startswith(("certifications.", "vendor.certifications.")):
        return "none_found" if value == "none" else value
    if fld == "zero_data_retention":
        return "none_found" if value == "none" else value
    return value


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b):
        return all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
    return bool(a == b)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, frozenset):
        return ", ".join(sorted(value))
    if isinstance(value, tuple):
        return ", ".join("—" if v is None else (f"{v:g}" if isinstance(v, float) else str(v)) for v in value)
    return str(value)


def _public_fact(ro: ResolvedOffering, fld: str, every: tuple[Fact, ...]) -> Fact | None:
    where = _FACT_OF.get(fld, fld)
    if fld.startswith("certifications.") and ro.offering.certifications is None:
        where = f"vendor.{fld}"  # the maker's item, which the offering inherits
    return next((f for f in every if f.field == where), None)


def _derived(
    ans: Answer, ro: ResolvedOffering, every: tuple[Fact, ...], frameworks: Mapping[str, Sovereignty]
) -> tuple[int, Fact | None] | None:
    """The option a derivation rule gives the criterion a sovereignty answer answers, and
    the weakest fact it read (``None``: no rule answers it, the criterion is a gap)."""
    from engine.catalog.evidence import weakest

    parsed = parse_answer_field(ans.field)
    assert parsed is not None
    model = frameworks[parsed[0]]
    hit = rule_answers(model, ro, every).get(parsed[1])
    if hit is None:
        return None
    rule, used = hit
    return rule.answer, weakest(list(used))


def _outcome(
    ans: Answer,
    ro: ResolvedOffering,
    every: tuple[Fact, ...],
    prefer_answers: bool,
    frameworks: Mapping[str, Sovereignty] | None = None,
) -> AnswerUse:
    fld = ans.field
    if parse_answer_field(fld) is not None and frameworks is not None:
        # against the answer a derivation rule gives: that answer is the public value,
        # graded by the weakest fact its rule read
        derived = _derived(ans, ro, every, frameworks)
        if derived is None:
            return AnswerUse(ans, ro.id, "fills")
        option, weak = derived
        d_grade = weak.grade if weak is not None else UNGRADED
        d_sources = weak.sources if weak is not None else ()
        d_shown = f"option {option} (derived)"
        if option == ans.value:
            return AnswerUse(ans, ro.id, "confirms", d_shown, d_grade, d_sources)
        d_stronger = grade_rank(d_grade) < grade_rank(ANSWER_GRADE)
        d_later = d_grade == ANSWER_GRADE and weak is not None and weak.as_of > ans.as_of
        if d_stronger or d_later:
            return AnswerUse(
                ans, ro.id, "overrides" if prefer_answers else "public kept", d_shown, d_grade, d_sources
            )
        return AnswerUse(ans, ro.id, "replaces", d_shown, d_grade, d_sources)
    if fld in _CONFIRMATIONS:
        yes = isinstance(ans.value, str) and ans.value.strip().casefold() == "yes"
        return AnswerUse(ans, ro.id, "confirms" if yes else "not folded")
    public = _public(ro, fld)
    if public is None:
        return AnswerUse(ans, ro.id, "fills")
    fact = _public_fact(ro, fld, every)
    grade = fact.grade if fact is not None else UNGRADED
    sources = fact.sources if fact is not None else ()
    shown = _text(public)
    if _same(public, _as_answered(fld, ans.value)):
        return AnswerUse(ans, ro.id, "confirms", shown, grade, sources)
    stronger = grade_rank(grade) < grade_rank(ANSWER_GRADE)
    later = grade == ANSWER_GRADE and fact is not None and fact.as_of > ans.as_of
    if stronger or later:
        outcome: Outcome = "overrides" if prefer_answers else "public kept"
        return AnswerUse(ans, ro.id, outcome, shown, grade, sources)
    return AnswerUse(ans, ro.id, "replaces", shown, grade, sources)


def _provenance(ans: Answer) -> dict[str, Any]:
    return {"as_of": ans.as_of, "evidence": ANSWER_GRADE, "sources": (ans.evidence,)}


def _pinned_block(ven: Mapping[str, Any]) -> dict[str, Any]:
    """The vendor's certification block (``ven``: its data, with the vendor-level
    answers already written in), with the date, grade and sources its items inherit
    written on it (so it means the same copied onto an offering)."""
    block = ven.get("certifications") or {}
    d = copy.deepcopy(dict(block))
    d.setdefault("items", {})
    own = bool(block.get("as_of") or block.get("sources"))
    d["as_of"] = block.get("as_of") or ven["as_of"]
    d["sources"] = block.get("sources") or ven["sources"]
    grade = block.get("evidence") or (None if own else ven.get("evidence"))
    if grade is not None:
        d["evidence"] = grade
    else:
        d.pop("evidence", None)
    return d


def _patch(fld: str, value: Any, ans: Answer, off: dict[str, Any], ven: dict[str, Any]) -> None:
    """Write an answer into an offering's (``off``) or its vendor's (``ven``) data."""
    prov = _provenance(ans)
    if fld == "processing_regions":
        off["processing_regions"] = tuple(value)
        off["residency"] = prov
    elif fld in ("prices", "latency", "capability", "openness"):
        off[fld] = {**value, **prov}
    elif fld == "vendor.fmti":
        ven["fmti"] = {**value, **prov}
    elif fld == "zero_data_retention":
        off[fld] = {"status": _as_answered(fld, value), **prov}
    elif fld == "vendor.gpai_code_of_practice":
        ven["gpai_code_of_practice"] = {"status": value, **prov}
    elif fld == "context_window_tokens":
        off[fld] = value
    elif fld == "operator.headquarters":
        off["operator"] = {**off["operator"], "headquarters": value}
    elif fld == "deployment":
        off["deployment"] = value
    elif fld == "vendor.headquarters":
        ven["headquarters"] = value
    elif fld.startswith("certifications."):
        if "certifications" not in off:  # the offering inherited its maker's block: now its own
            off["certifications"] = _pinned_block(ven)
        block = off["certifications"]
        block["items"] = {
            **block.get("items", {}),
            fld.split(".", 1)[1]: {"status": _as_answered(fld, value), **prov},
        }
    elif fld.startswith("vendor.certifications."):
        block = ven.setdefault("certifications", {"items": {}})
        block["items"] = {
            **block.get("items", {}),
            fld.split(".", 2)[2]: {"status": _as_answered(fld, value), **prov},
        }


def _validate_patch(vendor: VendorFile, index: int | None, fld: str, ans: Answer) -> str | None:
    """The schema's objection to ``vendor`` with the answer written in (``None``: none)."""
    ven = vendor.model_dump(by_alias=True, exclude_none=True)
    offs = ven["offerings"]
    off = offs[index] if index is not None else {}
    _patch(fld, ans.value, ans, off, ven)
    try:
        VendorFile.model_validate(ven)
        return None
    except ValidationError as exc:
        return _first_error(exc, skip=2 if index is not None else 0)  # an offering's: from its key


def _sovereignty_problem(
    ans: Answer, frameworks: Mapping[str, Sovereignty] | None
) -> tuple[str, str, str] | None:
    """What is wrong with an answer to a framework criterion: ``(key, code, message)``
    (the key its line is read from), or ``None``."""
    parsed = parse_answer_field(ans.field)
    assert parsed is not None
    fw_id, cid = parsed
    if not frameworks:
        return (
            "field",
            "answers.unknown_framework",
            f"{ans.field}: no sovereignty framework is loaded "
            "(criteria/sovereignty/) to check the answer against",
        )
    model = frameworks.get(fw_id)
    if model is None:
        known = sorted(frameworks)
        return (
            "field",
            "answers.unknown_framework",
            f"{ans.field}: expected a framework of criteria/sovereignty/ ({', '.join(known)}); "
            f"found {fw_id!r}{suggest(fw_id, known)}",
        )
    ids = [c.id for c in model.framework.criteria()]
    if cid not in ids:
        return (
            "field",
            "answers.unknown_criterion",
            f"{ans.field}: expected a criterion of {fw_id} (SOV-1.1 … {ids[-1]}); found {cid!r}{suggest(cid, ids)}",
        )
    n = len(model.framework.criterion(cid).options)
    if not 1 <= ans.value <= n:
        return (
            "answer",
            "answers.invalid",
            f"{ans.field}: expected an option number from 1 to {n} ({cid} has {n} options); found {ans.value}",
        )
    return None


def fold_answers(
    catalog: Catalog,
    files: Iterable[AnswerFile],
    *,
    prefer_answers: bool = False,
    currencies: Collection[str] | None = None,
    frameworks: Mapping[str, Sovereignty] | None = None,
) -> Catalog:
    """The catalog with the vendors' answers folded in.

    Parameters
    ----------
    catalog : Catalog
    files : iterable of AnswerFile
        From :func:`read_answers`, in the order given (a question answered in two
        files is a problem of the later one).
    prefer_answers : bool
        The buyer's choice: an answer overrides a contradicting public fact on stronger
        evidence (default: the public fact is kept; the conflict is reported either way).
    currencies : collection of str, optional
        The currencies the exchange-rate table knows (as for
        :func:`engine.catalog.loading.load_catalog`): a price answered in another one
        is a problem of its file.
    frameworks : mapping, optional
        The sovereignty frameworks by id (:attr:`engine.catalog.loading.CriteriaCatalog.sovereignty`):
        an answer to a framework criterion (field ``sovereignty.<framework>.<criterion>``,
        the answer an option number) is checked against its framework (the framework,
        the criterion and the option must exist) and met with the answer the framework's
        derivation rules give, as a public fact is (its grade: the weakest fact the rule
        read). Without them such an answer is a problem of its file.

    Returns
    -------
    Catalog
        Offerings whose facts answers fill or replace re-resolved, with
        :attr:`~engine.catalog.loading.ResolvedOffering.answers` saying which; the
        vendors likewise; ``answer_files`` every file read (valid ones), ``answer_uses``
        what each answer did to each offering (:class:`AnswerUse`, also for answers
        that confirm a fact, lose a conflict or are corrections for a person), the
        answer files' digests in ``digests``; and in ``issues`` the problems of every
        file that contributed nothing (in ``answer_problems`` too): an unknown questionnaire id, an offering not in
        the catalog, a question that is another company's to answer
        (:func:`engine.catalog.questions.recipient_of`), an answer the profile schema
        refuses once written in, a question answered in an earlier file too.
    """
    by_id = {ro.id: ro for ro in catalog.offerings}
    op_ids = operator_ids(catalog)
    vendor_ids = {ro.vendor.id for ro in catalog.offerings}
    issues: list[Issue] = list(catalog.issues)
    taken: dict[tuple[str, str], str] = {}  # (offering, field) → the file answering it
    kept_files: list[AnswerFile] = []
    uses: list[AnswerUse] = []
    digests = dict(catalog.digests)
    every: dict[str, tuple[Fact, ...]] = {}  # each answered offering's facts, read once
    for af in files:
        problems: list[Issue] = []
        if af.vendor not in vendor_ids and af.vendor not in op_ids.values():
            known = sorted(vendor_ids | set(op_ids.values()))
            problems.append(
                Issue(
                    "answers.unknown_vendor",
                    f"no vendor nor channel operator of the catalog has the questionnaire id {af.vendor!r} "
                    f"(known: {', '.join(known)})",
                    af.file,
                    af.vendor_line,
                    None,
                    "vendor",
                )
            )
        here: dict[tuple[str, str], Answer] = {}  # what this file answers, and where
        # an unknown questionnaire is the one problem: every answer would be "not theirs"
        for ans in af.answers if not problems else ():
            where = f"{ans.question_id}"
            vendor_level = ans.field.startswith("vendor")
            checked = False
            for k, oid in enumerate(ans.offering_ids):
                line, path = ans.where("offerings", k)
                ro = by_id.get(oid)
                if ro is None:
                    problems.append(
                        Issue(
                            "answers.unknown_offering",
                            f"question {where}: no offering {oid!r} in the catalog"
                            f"{suggest(oid, list(by_id))}",
                            af.file,
                            line,
                            None,
                            path,
                        )
                    )
                    continue
                to = recipient_of(ro, ans.field, op_ids)
                if to != af.vendor:
                    problems.append(
                        Issue(
                            "answers.not_theirs",
                            f"question {where}: {ans.field} of {oid} is for {to} to answer, not {af.vendor}",
                            af.file,
                            line,
                            None,
                            path,
                        )
                    )
                    continue
                # a vendor's own fact is one question whichever of its offerings it lists
                key = (ro.vendor.id if vendor_level else oid, ans.field)
                if key in taken or (key in here and here[key] is not ans):
                    earlier = taken.get(key) or f"this file (question {here[key].question_id})"
                    whose = ro.vendor.id if vendor_level else oid
                    problems.append(
                        Issue(
                            "answers.duplicate",
                            f"question {where}: {ans.field} of {whose} is already answered in {earlier}",
                            af.file,
                            line,
                            None,
                            path,
                        )
                    )
                    continue
                here[key] = ans
                if parse_answer_field(ans.field) is not None:
                    bad_sov = _sovereignty_problem(ans, frameworks)
                    if bad_sov is not None and not checked:
                        checked = True
                        line, path = ans.where(bad_sov[0])
                        problems.append(
                            Issue(bad_sov[1], f"question {where}: {bad_sov[2]}", af.file, line, None, path)
                        )
                    continue
                if ans.field not in _CONFIRMATIONS and not (vendor_level and checked):
                    checked = True
                    bad = _validate_patch(ro.vendor, None if vendor_level else ro.index, ans.field, ans)
                    if (
                        bad is None
                        and ans.field == "processing_regions"
                        and "BUYER" in ans.value
                        and ro.offering.operator.headquarters != "BUYER"
                    ):  # BUYER passes every residency rule: only the buyer's own infrastructure is
                        bad = (
                            "processing_regions: BUYER (wherever the buyer chooses) is for an offering the "
                            f"buyer runs itself; {oid} is run by {ro.offering.operator.name}: name the "
                            "countries, EU or EEA the processing may reach"
                        )
                    if bad is None and ans.field == "prices" and currencies is not None:
                        if ans.value["currency"] not in currencies:
                            bad = (
                                f"prices.currency: the exchange-rate table does not have {ans.value['currency']} "
                                f"({', '.join(sorted(currencies))})"
                            )
                    if bad is not None:
                        line, path = ans.where("answer")
                        problems.append(
                            Issue("answers.invalid", f"question {where}: {bad}", af.file, line, None, path)
                        )
        if problems:
            issues.extend(problems)
            continue
        taken.update(dict.fromkeys(here, af.file))
        kept_files.append(af)
        digests[af.source or af.file] = af.digest
        for ans in af.answers:
            concerned = list(ans.offering_ids)
            if ans.field.startswith("vendor"):  # the vendor's fact: every offering of its file rests on it
                vid = by_id[concerned[0]].vendor.id
                concerned += [
                    ro.id for ro in catalog.offerings if ro.vendor.id == vid and ro.id not in concerned
                ]
            if ans.field.startswith("vendor.certifications."):
                # an offering with a certification block of its own never reads its maker's
                concerned = [oid for oid in concerned if by_id[oid].offering.certifications is None]
            for oid in concerned:
                if oid not in every:
                    every[oid] = facts(by_id[oid])
                uses.append(_outcome(ans, by_id[oid], every[oid], prefer_answers, frameworks))
    refused = (*catalog.answer_problems, *issues[len(catalog.issues) :])
    if not uses:
        return replace(
            catalog,
            issues=tuple(issues),
            answer_files=tuple(kept_files),
            digests=digests,
            answer_problems=refused,
        )
    return replace(
        _rebuilt(catalog, uses, tuple(issues), tuple(kept_files), digests), answer_problems=refused
    )


def _rebuilt(
    catalog: Catalog,
    uses: list[AnswerUse],
    issues: tuple[Issue, ...],
    files: tuple[AnswerFile, ...],
    digests: dict[str, str],
) -> Catalog:
    """Write the used answers into the vendors' data, validate, re-resolve."""
    used = [u for u in uses if u.used]
    by_vendor: dict[str, list[AnswerUse]] = {}
    by_id = {ro.id: ro for ro in catalog.offerings}
    for u in used:
        by_vendor.setdefault(by_id[u.offering_id].vendor.id, []).append(u)
    new_vendor: dict[str, VendorFile] = {}
    for vid, vuses in by_vendor.items():
        vendor = by_id[vuses[0].offering_id].vendor
        ven = vendor.model_dump(by_alias=True, exclude_none=True)
        offs = ven["offerings"]
        done_vendor: set[str] = set()
        # the vendor's own facts first: an offering given a certification block of its own
        # by an answer copies its maker's block with the vendor-level answers in it
        for u in sorted(vuses, key=lambda u: not u.answer.field.startswith("vendor")):
            ro = by_id[u.offering_id]
            fld = u.answer.field
            if fld.startswith("vendor"):
                if fld in done_vendor:
                    continue  # one vendor-level answer, many offerings
                done_vendor.add(fld)
            _patch(fld, u.answer.value, u.answer, offs[ro.index], ven)
        new_vendor[vid] = VendorFile.model_validate(ven)  # each answer was validated on its own
    marks: dict[str, dict[str, AnswerUse]] = {}
    for u in uses:
        marks.setdefault(u.offering_id, {})[u.answer.field] = u
    offerings = []
    for ro in catalog.offerings:
        v = new_vendor.get(ro.vendor.id)
        if v is None:
            offerings.append(replace(ro, answers=marks[ro.id]) if ro.id in marks else ro)
            continue
        off = v.offerings[ro.index]
        certs = off.certifications or v.certifications or CertificationBlock()
        offerings.append(
            replace(ro, offering=off, vendor=v, certifications=certs, answers=marks.get(ro.id, {}))
        )
    vendors = tuple(new_vendor.get(v.id, v) for v in catalog.vendors)
    return replace(
        catalog,
        offerings=tuple(offerings),
        vendors=vendors,
        issues=issues,
        answer_files=files,
        answer_uses=tuple(uses),
        digests=digests,
    )


def not_used(problems: Iterable[Issue], files: Collection[str] = ()) -> dict[str, tuple[str, ...]]:
    """The answer files not used, from their problems (:attr:`Catalog.answer_problems`):
    file name → the names of its sheets not used (a workbook whose other sheets were
    read), or ``()`` for a file not used at all; in the order of the problems.

    A problem's file ``<file>#<sheet>`` names a sheet, unless the whole name is among
    ``files`` (the answer files read, whose own name may hold a ``#``) or the problem is
    that the file could not be read (``io.*``)."""
    out: dict[str, list[str]] = {}
    whole: set[str] = set()
    for i in problems:
        if i.file is None:
            continue
        base, sep, sheet = i.file.partition("#")
        if sep and base and sheet and i.file not in files and not i.code.startswith("io."):
            out.setdefault(base, [])
            if sheet not in out[base]:
                out[base].append(sheet)
        else:
            out.setdefault(i.file, [])
            whole.add(i.file)
    return {f: () if f in whole else tuple(sheets) for f, sheets in out.items()}


def read_and_fold(
    catalog: Catalog,
    inputs: Iterable[tuple[str, bytes]],
    *,
    prefer_answers: bool = False,
    currencies: Collection[str] | None = None,
    frameworks: Mapping[str, Sovereignty] | None = None,
) -> Catalog:
    """Read answer files (name, bytes) and fold the valid ones into ``catalog``; the
    problems of the others go to its ``issues`` (as :func:`fold_answers`, ``frameworks``
    checking answers to sovereignty framework criteria). A workbook's
    valid sheets are folded in, its other sheets refused (:func:`read_answer_sheets`)."""
    read: list[AnswerFile] = []
    problems: list[Issue] = []
    digests: dict[str, str] = {}
    for name, raw in inputs:
        digests[name] = hashlib.sha256(raw).hexdigest()  # every answer file read, valid or not
        usable, refused = _read_usable(raw, name)  # a workbook's valid sheets are used
        read.extend(usable)
        problems.extend(refused)
    folded = fold_answers(
        catalog, read, prefer_answers=prefer_answers, currencies=currencies, frameworks=frameworks
    )
    return replace(
        folded,
        issues=(*folded.issues, *problems),
        digests={**folded.digests, **digests},
        answer_problems=(*folded.answer_problems, *problems),
    )
