"""Shortlist — the browser app (Streamlit). A thin layer over ``engine``.

Run: ``streamlit run app.py``. This entry point loads the inputs, draws the sidebar
(the buyer's priorities, on every page), ranks, keeps the URL's query parameters equal
to the state (so a link restores the view), and runs the chosen page from
``ui/pages/``: Shortlist, Compare, Sovereignty, Robustness, Catalog, Policy, Evidence.

The vendor and criteria directories default to the bundled ``vendors/`` and
``criteria/``; ``SHORTLIST_VENDORS`` / ``SHORTLIST_CRITERIA`` point at others. Every
number shown comes from ``engine.rank``; the CSV download is ``engine.to_csv`` of the
same ranking, so it is byte-identical to ``shortlist rank --format csv`` with the
same settings.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st
from pydantic import ValidationError

import engine
from engine.catalog.schema import PrioritiesFile
from engine.reports.escape import streamlit_markdown as md
from ui import sidebar, state
from ui.answers import ANSWERS_PREFIX, PREFER_KEY
from ui.committee import take_token
from ui.common import (
    DEFAULT_PRESET,
    Context,
    criteria_dir,
    load_catalog,
    load_criteria,
    load_preset,
    mtimes,
    rank,
    show_issues,
    style,
    vendors_dir,
)

# SECURITY.md's promise holds wherever the server is started: Streamlit reads
# .streamlit/config.toml from the working directory (1.67, tested here, also from
# app.py's own directory; an older Streamlit may not), so the app sets it itself.
st.set_option("client.showErrorDetails", "none")
st.set_page_config(page_title="Shortlist — AI vendor decisions", layout="wide")
style()
ss = st.session_state

# ----------------------------------------------------------------------------- inputs

CRITERIA, VENDORS = criteria_dir(), vendors_dir()
criteria_key = (str(CRITERIA), mtimes(CRITERIA))
try:
    criteria = load_criteria(*criteria_key)
except engine.InputError as exc:
    st.title("Shortlist")
    show_issues(exc.issues, "the criteria catalog")
    st.stop()

presets: dict[str, PrioritiesFile] = {}
preset_issues: list[engine.Issue] = []
for path in criteria.presets(CRITERIA):
    try:
        presets[path.stem] = load_preset(str(path), path.stat().st_mtime)
    except engine.InputError as exc:
        preset_issues.extend(exc.issues)
if not presets:
    st.title("Shortlist")
    show_issues(
        preset_issues or [engine.Issue("io.not_found", "no preset found", str(CRITERIA / "presets"))],
        "the presets",
    )
    st.stop()

ids = criteria.ids()
labels = {c.id: c.label for c in criteria.criteria}

# ----------------------------------------------------------------------------- state

default = DEFAULT_PRESET if DEFAULT_PRESET in presets else next(iter(presets))


def from_link() -> tuple[dict[str, object], list[str]]:
    """The priorities state the current link describes, and what in it could not be used."""
    params = st.query_params.to_dict()
    return state.decode_query(
        params,
        presets,
        ids,
        default_preset=default,
        currencies=sorted({criteria.fx.base, *criteria.fx.rates}),
        regions=state.known_regions(),
        repeated=[k for k in params if len(st.query_params.get_all(k)) > 1],
    )


take_token()  # a personal link's ?token= goes into the session, never into the URL the app writes
if "_init" not in ss:  # a new session: the link's state, else the default preset
    params = st.query_params.to_dict()
    start, url_problems = from_link()
    ss["_state_keys"] = tuple(start)
    pages_state, page_problems = state.decode_pages(params)
    ss.update(start)
    ss.update(pages_state)
    url_problems += page_problems
    ss["_url_problems"] = url_problems
    ss["uploads"] = {}  # uploaded vendor profiles: file name → bytes
    ss["answer_uploads"] = {}  # uploaded answer files (ui/answers.py): file name → bytes
    ss["_init"] = True
elif any(k not in ss for k in ss["_state_keys"]):
    # A rerun after an uncaught exception in a widget callback (e.g. a forged upload of a
    # file type the uploader refuses) can lose widget values: they come back from the
    # link, which the last complete run wrote, instead of failing on every later rerun.
    for k, v in from_link()[0].items():
        ss.setdefault(k, v)
# Streamlit forgets a widget's value when a rerun does not draw it (another weight
# mode, another page): re-assigning keeps every priorities value and page selection.
for key in [
    *state.state_keys({k: None for k in ss if isinstance(k, str)}),
    *(k for k in ss if str(k).startswith("p_")),
]:
    ss[key] = ss[key]

pages = [
    st.Page("ui/pages/shortlist.py", title="Shortlist", icon=":material/leaderboard:", default=True),
    st.Page("ui/pages/compare.py", title="Compare", icon=":material/compare_arrows:", url_path="compare"),
    st.Page("ui/pages/sovereignty.py", title="Sovereignty", icon=":material/flag:", url_path="sovereignty"),
    st.Page(
        "ui/pages/robustness.py", title="Robustness", icon=":material/query_stats:", url_path="robustness"
    ),
    st.Page("ui/pages/catalog.py", title="Catalog", icon=":material/inventory_2:", url_path="catalog"),
    st.Page("ui/pages/policy.py", title="Policy", icon=":material/policy:", url_path="policy"),
    st.Page("ui/pages/evidence.py", title="Evidence", icon=":material/fact_check:", url_path="evidence"),
    st.Page("ui/pages/committee.py", title="Committee", icon=":material/groups:", url_path="committee"),
]
# the page is known before the sidebar is drawn: pages that do not use the priorities get
# a short summary there instead of every control (sidebar.compact)
nav = st.navigation(pages, position="top")
band = sidebar.draw(presets, criteria, labels, compact=sidebar.compact(nav.url_path))
preset = presets[ss["preset"]]

# ----------------------------------------------------------------------------- ranking

extra = tuple((f"upload:{name}", raw) for name, raw in ss["uploads"].items())
answers = tuple((f"{ANSWERS_PREFIX}{name}", raw) for name, raw in ss["answer_uploads"].items())
catalog_key = (
    str(VENDORS),
    mtimes(VENDORS),
    extra,
    criteria.currencies(),
    str(CRITERIA),
    answers,
    bool(ss.get(PREFER_KEY, False)),
)
catalog = load_catalog(*catalog_key)
values = sidebar.widget_state()  # the priorities part of the session state, read once
ss["_state_keys"] = tuple(values)  # what a later rerun must find (see above)
priorities: PrioritiesFile | None = None
ranking: engine.Ranking | None = None
problems: tuple[engine.Issue, ...] = ()
try:
    priorities = state.priorities_from_state(values, preset, ids, criteria)
    day = priorities.on_date or dt.date.today()  # engine.rank's date, named in the cache key
    ranking = rank(
        catalog_key, criteria_key, priorities.model_dump_json(), day, catalog, criteria, priorities
    )
except engine.InputError as exc:
    problems = exc.issues
except ValidationError as exc:  # a value no widget produces (a hand-edited link): say it plainly
    problems = tuple(
        engine.Issue("app.invalid", e["msg"], field=".".join(map(str, e["loc"]))) for e in exc.errors()
    )

ss["_ctx"] = Context(criteria, catalog, presets, preset, priorities, ranking, problems, labels)

if ranking is not None and ranking.ranked and ss["mode"] == "direct":
    from engine.mcda.sensitivity.problem import DecisionProblem
    from engine.mcda.sensitivity.stability import stability_intervals

    for s_int in stability_intervals(DecisionProblem.from_ranking(ranking), preset.robustness.top_k):
        if s_int.criterion not in band:  # a compact sidebar draws no slider
            continue
        band[s_int.criterion].caption(
            f"{100 * s_int.weight:.1f}% of the total; the leader stays first from "
            f"{100 * s_int.first_low:.0f}% to {100 * s_int.first_high:.0f}%.",
            help=f"With the other weights rescaled in proportion, today's leader stays first while this "
            f"criterion's share of the total is between {100 * s_int.first_low:.1f}% and "
            f"{100 * s_int.first_high:.1f}% (a stability interval; the Robustness page draws them all).",
        )

if ranking is not None and sidebar.MODE_SLOT in band:
    shares = ", ".join(f"{md(labels[c])} {100 * w:.1f}%" for c, w in ranking.weights.items() if w > 0)
    with band[sidebar.MODE_SLOT].container():
        st.caption(f"Weights: {shares}.")
        for note in ranking.notes:
            if note.startswith("AHP weights"):
                st.caption(md(note) + " — below 0.10 the judgements are consistent enough (Saaty 1980).")
            elif "consistency ratio" in note:
                st.warning(md(note))

# the URL holds the whole state, so the address bar is always a shareable link
query = {
    **state.encode_query(values, preset, ids),
    **state.encode_pages({k: ss[k] for k in state.PAGE_PARAMS.values() if k in ss}),
}
if st.query_params.to_dict() != query:
    st.query_params.from_dict(query)

if ss["_url_problems"]:
    st.warning(
        "Some values in this link could not be used:\n\n"
        + "\n".join(f"- {md(p)}" for p in ss["_url_problems"])
    )
show_issues(preset_issues, "the presets")

nav.run()
