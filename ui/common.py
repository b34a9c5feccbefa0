"""What every page of the app shares: the loaded inputs, the current ranking, and how
problems are shown. Streamlit-side; the decisions are all in ``engine``."""

from __future__ import annotations

import datetime as dt
import inspect
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

import engine
import engine.catalog.loading
from engine.catalog.schema import PrioritiesFile, Robustness
from engine.reports.escape import markdown_code, visible
from engine.reports.escape import streamlit_markdown as md
from ui.plain import counted

if TYPE_CHECKING:
    from engine.mcda.sensitivity.report import SensitivityReport

HERE = Path(__file__).resolve().parent.parent


def _short(p: Path) -> Path:
    """``p`` relative to the working directory when inside it, so that file names in
    messages and reports read as the CLI's (``vendors/openai.yaml``)."""
    try:
        return p.resolve().relative_to(Path.cwd())
    except ValueError:
        return p


def vendors_dir() -> Path:
    """The vendors directory: ``SHORTLIST_VENDORS``, else the bundled ``vendors/`` (read
    on every rerun, so a changed variable takes effect without a restart).

    Set by whoever runs the server, never by the browser: no upload, link parameter or
    widget value names a path. The app reads only the files listed in this directory and
    the criteria directory (presets and policies by their listed names), and resolves
    an uploaded policy's references through :class:`engine.catalog.loading.SessionResolver`."""
    return _short(Path(os.environ.get("SHORTLIST_VENDORS", HERE / "vendors")))


def criteria_dir() -> Path:
    """The criteria directory: ``SHORTLIST_CRITERIA``, else the bundled ``criteria/``."""
    return _short(Path(os.environ.get("SHORTLIST_CRITERIA", HERE / "criteria")))


DEFAULT_PRESET = engine.catalog.loading.DEFAULT_PRESET
ATTRIBUTION = (
    "Data: vendor profiles in `vendors/` built from public sources listed per offering, "
    "each fact with its own date and evidence grade (collected 2026-11-29, re-checked and "
    "extended 2026-12-04). Latency and capability: Artificial Analysis "
    "(artificialanalysis.ai), Intelligence Index v4.3. Transparency: Stanford Foundation "
    "Model Transparency Index 2025 (CC BY 4.0). Prices: genai-prices (MIT), LiteLLM (MIT), "
    "models.dev (MIT) and vendor pages. Exchange rates: ECB reference rates of 2026-10-30."
)
MAX_UPLOAD_BYTES = engine.catalog.yamlio.MAX_BYTES
"""Uploaded profiles and policies: the YAML loader's limit, 1 MiB (1,048,576 bytes) each,
the same as the CLI's. The app checks it before parsing; each uploader also passes
``max_upload_size=UPLOAD_MB`` so that a browser refuses larger files wherever the server
was started (``server.maxUploadSize`` in ``.streamlit/config.toml`` is read only when
the server starts in the repository)."""
UPLOAD_MB = 1
"""The uploaders' limit in Streamlit's megabytes (2^20 bytes: Streamlit multiplies by 1024²)."""
assert UPLOAD_MB * 1024 * 1024 == MAX_UPLOAD_BYTES
UPLOAD_KW: dict[str, Any] = (
    {"max_upload_size": UPLOAD_MB}
    if "max_upload_size" in inspect.signature(st.file_uploader).parameters
    else {}
)
"""The uploaders' own size limit, where this Streamlit has the parameter (1.5x and later);
older versions rely on ``server.maxUploadSize`` and the app's check before parsing."""
UPLOAD_LIMIT = f"1 MiB ({MAX_UPLOAD_BYTES:,} bytes)"
"""The limit in words, in every message and label."""


def keep_uploads(store: str, counter: str, refused: str, replaced: str) -> None:
    """An uploader's ``on_change``: keep its files in the session under ``store`` (file
    name → bytes; the widget forgets them when the page changes), then clear the widget
    (its key is ``<counter without _n>_<n>``, renewed by raising ``counter``).

    A file over :data:`MAX_UPLOAD_BYTES`, or two files of one name in one upload (neither
    silently wins), is refused and said in ``refused``; a name already kept with other
    bytes is replaced and said in ``replaced``.
    """
    ss = st.session_state
    refused_now, replaced_now = [], []
    taken: set[str] = set()
    widget = f"{counter.removesuffix('_n')}_{ss[counter]}"
    for f in ss.get(widget) or []:
        raw = f.getvalue()
        if len(raw) > MAX_UPLOAD_BYTES:
            refused_now.append(f"{f.name}: {len(raw):,} bytes; the limit is {UPLOAD_LIMIT}")
        elif f.name in taken:
            refused_now.append(f"{f.name}: another file of this upload has the same name; rename one")
        else:
            if f.name in ss[store] and ss[store][f.name] != raw:
                replaced_now.append(f.name)
            taken.add(f.name)
            ss[store] = {**ss[store], f.name: raw}
    ss[refused] = refused_now
    ss[replaced] = replaced_now
    ss[counter] += 1


def kept_uploader(label: str, types: list[str], help_text: str, keys: tuple[str, str, str, str]) -> None:
    """A multi-file uploader whose files :func:`keep_uploads` keeps in the session, and
    the messages of its last upload (files refused, files replaced).

    Parameters
    ----------
    label : str
    types : list of str
        File name extensions accepted.
    help_text : str
    keys : (store, counter, refused, replaced)
        The session keys :func:`keep_uploads` takes.
    """
    ss = st.session_state
    store, counter, refused, replaced = keys
    ss.setdefault(store, {})
    ss.setdefault(counter, 0)
    ss.setdefault(refused, [])
    st.file_uploader(
        label,
        type=types,
        **UPLOAD_KW,
        accept_multiple_files=True,
        key=f"{counter.removesuffix('_n')}_{ss[counter]}",
        on_change=keep_uploads,
        args=keys,
        help=help_text,
    )
    for msg in ss[refused]:
        st.error(f"Not uploaded — {md(msg)}.")
    for name in ss.get(replaced, []):
        st.warning(f"{md(name)} replaced the earlier upload of the same name.")


def too_big(name: str, size: int) -> str:
    """The message for an upload over :data:`MAX_UPLOAD_BYTES` (Markdown-escaped name)."""
    return f"{md(name)} is {size:,} bytes; the limit is {UPLOAD_LIMIT}"


@dataclass(frozen=True)
class Context:
    """The inputs and results of one rerun, shared by the pages.

    Attributes
    ----------
    criteria : CriteriaCatalog
    catalog : Catalog
        Bundled profiles plus the valid uploads.
    presets : dict
        Preset stem → PrioritiesFile.
    preset : PrioritiesFile
        The chosen preset.
    priorities : PrioritiesFile
        What the sidebar describes (the preset with the widgets' values).
    ranking : Ranking or None
        ``None`` when the priorities cannot be scored (``problems`` says why).
    problems : tuple of Issue
        Why there is no ranking.
    labels : dict
        Criterion id → label.
    """

    criteria: engine.CriteriaCatalog
    catalog: engine.Catalog
    presets: dict[str, PrioritiesFile]
    preset: PrioritiesFile
    priorities: PrioritiesFile | None
    ranking: engine.Ranking | None
    problems: tuple[engine.Issue, ...]
    labels: dict[str, str]


def context() -> Context:
    """The context the entry point (app.py) computed for this rerun."""
    ctx: Context = st.session_state["_ctx"]
    return ctx


def mtimes(d: Path) -> tuple[tuple[str, float], ...]:
    """A stamp of a directory's YAML files, so cached loads see edits on disk."""
    if not d.is_dir():
        return ()
    return tuple(sorted((str(p), p.stat().st_mtime) for p in d.rglob("*.y*ml")))


# The ``stamp`` arguments (file names and modification times) are part of each cache key,
# so an edited file on disk is loaded again on the next rerun.
RANKINGS_KEPT = 16
"""How many rankings :func:`rank` keeps for all sessions (about 0.6 MB each on the bundled
catalog). A committee meeting tries a new weight vector with every slider move, each
asked for once: a larger cache only holds memory after the meeting ends (64 held 36 MB,
17 % of the server's memory, in ``benchmarks/bench_sessions.py``)."""


@st.cache_resource(show_spinner=False)
def load_criteria(d: str, stamp: tuple[tuple[str, float], ...]) -> engine.CriteriaCatalog:
    return engine.load_criteria(d)


@st.cache_resource(show_spinner=False, max_entries=32)
def load_catalog(
    d: str,
    stamp: tuple[tuple[str, float], ...],
    extra: tuple[tuple[str, bytes], ...],
    currencies: frozenset[str],
    criteria: str,
    answers: tuple[tuple[str, bytes], ...] = (),
    prefer_answers: bool = False,
) -> engine.Catalog:
    """The catalog, its files named from the catalog root as the CLI names them
    (:func:`engine.catalog.loading.catalog_roots`), with the uploaded answer files
    (``answers:<name>``) folded in as the CLI's ``--answers`` does
    (:func:`engine.catalog.answers.read_and_fold`)."""
    roots = engine.catalog.loading.catalog_roots(d, criteria)
    catalog = engine.load_catalog([d], extra=extra, currencies=currencies, roots=roots)
    if not answers:
        return catalog
    from engine.catalog.answers import read_and_fold
    from engine.catalog.sovereignty import load_sovereignty

    # answers to sovereignty framework criteria are checked against the catalog's frameworks
    frameworks = load_sovereignty(criteria)
    return read_and_fold(
        catalog, answers, prefer_answers=prefer_answers, currencies=currencies, frameworks=frameworks
    )


@st.cache_resource(show_spinner=False)
def load_preset(path: str, stamp: float) -> PrioritiesFile:
    return engine.load_priorities(path)


@st.cache_resource(show_spinner=False, max_entries=RANKINGS_KEPT)
def rank(
    catalog_key: tuple[Any, ...],
    criteria_key: tuple[Any, ...],
    priorities_json: str,
    day: dt.date,
    _catalog: engine.Catalog,
    _criteria: engine.CriteriaCatalog,
    _priorities: PrioritiesFile,
) -> engine.Ranking:
    """``engine.rank(_catalog, _criteria, _priorities)`` on ``day``, computed once for all
    sessions with the same inputs: a new visitor, a new tab and a page switch find the
    ranking ready instead of gating and scoring again before the page's first content.

    The key names the inputs completely: ``catalog_key`` and ``criteria_key`` are the
    arguments :func:`load_catalog` and :func:`load_criteria` were called with (directories,
    file stamps, uploaded bytes), ``priorities_json`` the priorities as JSON and ``day``
    the date whose prices apply (``priorities.on_date``, else today). A
    :class:`~engine.Ranking` is immutable, so sessions share the object.

    The offerings' sovereignty assessments come from :func:`assessments` (they do not
    depend on the weights, so a slider move does not assess 90 offerings again), which
    makes a ranking cheap to compute again (about 25 ms on the bundled catalog): the cache
    keeps the :data:`RANKINGS_KEPT` most recent, not every weight vector a meeting tried.

    Raises
    ------
    InputError
        As :func:`engine.rank` (not cached: the next call tries again).
    """
    sov = assessments(
        catalog_key,
        criteria_key,
        id(_catalog),
        id(_criteria),
        _priorities.sovereignty_framework,
        _priorities.sovereignty_weights,
        _catalog,
        _criteria,
        _priorities,
    )
    if sov is not None and not sov.made_for(_catalog, _criteria):
        sov = None  # never another load's assessments: engine.rank would refuse them
    return engine.rank(_catalog, _criteria, _priorities, on_date=day, assessments=sov)


@st.cache_resource(show_spinner=False, max_entries=8)
def assessments(
    catalog_key: tuple[Any, ...],
    criteria_key: tuple[Any, ...],
    catalog_id: int,
    criteria_id: int,
    framework: str | None,
    weight_set: str | None,
    _catalog: engine.Catalog,
    _criteria: engine.CriteriaCatalog,
    _priorities: PrioritiesFile,
) -> engine.Assessments | None:
    """``engine.sovereignty_assessments`` of the catalog, computed once for all sessions
    and every weight vector: about two thirds of a ranking's time on the bundled catalog.

    The key names everything an assessment depends on: the catalog and criteria (as in
    :func:`rank`; the vendors' answers and the prefer-answers choice are part of
    ``catalog_key``), the very objects loaded for them (``catalog_id``, ``criteria_id``:
    :func:`load_catalog` may have loaded the same files again into a new object, and
    :func:`engine.rank` takes assessments only with the objects they were made from;
    the entry holds those objects, so their ids cannot be reused while it lives) and
    the priorities' sovereignty framework and weight set (the only fields of the
    priorities it reads). Assessments are immutable, so sessions share them. At most 8
    are kept: each holds its catalog.

    ``None`` for a framework or weight set the catalog lacks: :func:`engine.rank` then
    assesses itself and reports that problem with every other one of the priorities.
    """
    try:
        return engine.sovereignty_assessments(_catalog, _criteria, _priorities)
    except engine.InputError:
        return None


def md_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell, index label and column name escaped for
    Streamlit's Markdown (:func:`engine.reports.escape.streamlit_markdown`), for ``st.table``,
    which renders its cells as Markdown. Numbers and ``None`` are kept."""

    def cell(v: object) -> object:
        return md(v) if isinstance(v, str) else v

    out = frame.map(cell)
    out.index = pd.Index([cell(x) for x in frame.index], name=frame.index.name)
    out.columns = pd.Index([cell(x) for x in frame.columns])
    return out


def text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with control characters and bidirectional overrides in its text cells
    and column names shown as visible escapes (:func:`engine.reports.escape.visible`), for
    ``st.dataframe``, which shows text as it is (no Markdown)."""

    def cell(v: object) -> object:
        return visible(v) if isinstance(v, str) else v

    out = frame.map(cell)
    out.columns = pd.Index([cell(x) for x in frame.columns])
    return out


def show_issues(
    issues: tuple[engine.Issue, ...] | list[engine.Issue], what: str, consequence: str | None = None
) -> None:
    """Show input problems in plain words, one line each (file:line: code [field]: message)."""
    if issues:
        tail = consequence or "the files named below were left out; everything else is used"
        st.error(
            f"{counted(len(issues), 'problem')} in {what} — {tail}:\n\n"
            + "\n".join(f"- {markdown_code(str(i))}" for i in issues)
        )


def ranked_inputs(ctx: Context, what: str) -> tuple[engine.Ranking, PrioritiesFile]:
    """The ranking and the priorities a page reads; when the priorities cannot be ranked,
    the page says why (their problems, "fix them in the sidebar to see ``what``") and stops."""
    if ctx.ranking is None or ctx.priorities is None:
        show_issues(ctx.problems, "the current priorities", f"fix them in the sidebar to see {what}")
        st.stop()
    return ctx.ranking, ctx.priorities


def no_ranking(ctx: Context) -> bool:
    """Say why nothing is ranked (on pages that need a ranking); True when so."""
    if ctx.ranking is None:
        show_issues(ctx.problems, "the current priorities", "fix them in the sidebar to see a ranking")
        return True
    if not ctx.ranking.ranked:
        st.warning("No offering passes the must-haves. Relax one in the sidebar.")
        return True
    return False


@st.cache_data(show_spinner=False, max_entries=64)
def robustness(
    digest: str, _ranking: engine.Ranking, _settings: Robustness
) -> tuple[SensitivityReport, bytes]:
    """The sensitivity report of the ranking with this inputs digest (which covers the
    robustness settings) and its JSON, cached so SMAA sampling runs once per state and
    never on the slider path of the Shortlist page.

    Raises
    ------
    InputError
        Invalid sampling settings (see ``engine.mcda.sensitivity.report.sensitivity``).
    """
    from engine.mcda.sensitivity.report import sensitivity_with

    rep = sensitivity_with(_ranking, _settings)
    return rep, engine.sensitivity_json(rep, _ranking)


CSS = """<style>
/* Captions and help text in a grey that passes WCAG AA (4.5:1; Streamlit's is about 3.8:1). */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] small { color: #50525c !important; opacity: 1 !important; }
[data-testid="stCaptionContainer"] code { color: #000 !important; }
/* Page sections (h2) at the size of Streamlit's h3. */
[data-testid="stMain"] h2 { font-size: 1.75rem; }
/* A compact sidebar: less space between its elements, no min/max labels under the sliders. */
[data-testid="stSidebar"] [data-testid="stVerticalBlock"] { gap: 0.45rem; }
[data-testid="stSidebar"] [data-testid="stSliderTickBar"] { display: none; }
/* The upload widgets' own size line says "1MB" for 1,048,576 bytes: their labels give the limit
   as 1 MiB (1,048,576 bytes) and the file types, so the app uses one unit everywhere. */
[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
/* Less empty space above the page title, so the answer is on the first screen. */
[data-testid="stMainBlockContainer"] { padding-top: 3.5rem; }
</style>"""
"""The app's few style rules (app.py writes them once per run)."""


def style() -> None:
    """Write :data:`CSS` into the page (an ``st.html`` holding only a style sheet takes no space)."""
    st.html(CSS)
