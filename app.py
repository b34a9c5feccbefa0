"""Shortlist — the browser app (Streamlit). A thin layer over ``engine``.

Run: ``streamlit run app.py``. The vendor and criteria directories default to the
bundled ``vendors/`` and ``criteria/``; set ``SHORTLIST_VENDORS`` / ``SHORTLIST_CRITERIA``
to use others. Every number shown comes from ``engine.rank``; the CSV download is
``engine.to_csv`` of the same ranking, so it is byte-identical to
``shortlist rank --format csv`` with the same settings.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

import engine
from engine.schema import CERTIFICATION_IDS, PrioritiesFile, RequirementSpec, Robustness
from engine.sensitivity import SensitivityReport, sensitivity_with, what_would_it_take

HERE = Path(__file__).resolve().parent
VENDORS = Path(os.environ.get("SHORTLIST_VENDORS", HERE / "vendors"))
CRITERIA = Path(os.environ.get("SHORTLIST_CRITERIA", HERE / "criteria"))
DEFAULT_PRESET = "regulated-eu-bank"
REGION_CHOICES = ["EU", "EEA", "GLOBAL", "US", "GB", "CH", "CA", "FR", "DE", "NL", "IE", "CN"]
ATTRIBUTION = (
    "Data: vendor profiles in `vendors/` built from public sources listed per offering "
    "(collected 2026-11-29). Latency and capability: Artificial Analysis "
    "(artificialanalysis.ai), Intelligence Index v4.3. Transparency: Stanford Foundation "
    "Model Transparency Index 2025 (CC BY 4.0). Prices: genai-prices (MIT), LiteLLM (MIT), "
    "models.dev (MIT) and vendor pages. Exchange rates: ECB reference rates of 2026-10-30."
)

st.set_page_config(page_title="Shortlist — AI vendor decisions", layout="wide")


def _mtimes(d: Path) -> tuple[tuple[str, float], ...]:
    if not d.is_dir():
        return ()
    return tuple(sorted((str(p), p.stat().st_mtime) for p in d.rglob("*.y*ml")))


@st.cache_resource(show_spinner=False)
def _criteria(d: str, _stamp: tuple[tuple[str, float], ...]) -> engine.CriteriaCatalog:
    return engine.load_criteria(d)


@st.cache_resource(show_spinner=False)
def _catalog(
    d: str,
    _stamp: tuple[tuple[str, float], ...],
    extra: tuple[tuple[str, bytes], ...],
    currencies: frozenset[str],
) -> engine.Catalog:
    return engine.load_catalog([d], extra=extra, currencies=currencies)


@st.cache_resource(show_spinner=False)
def _preset(path: str, _stamp: float) -> PrioritiesFile:
    return engine.load_priorities(path)


def _show_issues(
    issues: tuple[engine.Issue, ...] | list[engine.Issue], what: str, consequence: str | None = None
) -> None:
    """Show input problems in plain words, one line each (file:line: code [field]: message)."""
    if issues:
        tail = consequence or "the files named below were left out; everything else is used"
        st.error(f"{len(issues)} problem(s) in {what} — {tail}:\n\n" + "\n".join(f"- `{i}`" for i in issues))


# ----------------------------------------------------------------------------- inputs

try:
    criteria = _criteria(str(CRITERIA), _mtimes(CRITERIA))
except engine.InputError as exc:
    st.title("Shortlist")
    _show_issues(exc.issues, "the criteria catalog")
    st.stop()

preset_paths = {p.stem: p for p in criteria.presets(CRITERIA)}
presets: dict[str, PrioritiesFile] = {}
preset_issues: list[engine.Issue] = []
for stem, path in preset_paths.items():
    try:
        presets[stem] = _preset(str(path), path.stat().st_mtime)
    except engine.InputError as exc:
        preset_issues.extend(exc.issues)
if not presets:
    st.title("Shortlist")
    _show_issues(
        preset_issues or [engine.Issue("io.not_found", "no preset found", str(CRITERIA / "presets"))],
        "the presets",
    )
    st.stop()

ids = criteria.ids()
labels = {c.id: c.label for c in criteria.criteria}
ss = st.session_state


def _apply_preset() -> None:
    """Copy the chosen preset into the widgets (weights, workload, must-haves)."""
    p = presets[ss["preset"]]
    try:
        weights, _ = engine.elicited_weights(p, ids)  # direct, rank-order or AHP weights
    except engine.InputError:
        weights = {}
    total = sum(weights.values()) or 1.0
    for c in ids:
        ss[f"w_{c}"] = round(100 * weights.get(c, 0.0) / total)
    ss["method"] = p.method
    ss["samples"] = p.robustness.samples
    ss["concentration"] = float(p.robustness.concentration)
    ss["seed"] = p.robustness.seed
    ss["in_m"] = p.workload.input_tokens_per_month / 1e6
    ss["out_m"] = p.workload.output_tokens_per_month / 1e6
    ss["answer"] = int(p.workload.answer_tokens)
    ss["currency"] = p.workload.currency
    ss["allowed"] = list(p.allowed_regions)
    ss["trusted"] = list(p.trusted_jurisdictions)
    ss["wanted"] = list(p.wanted_certifications)
    for r in p.requirements:
        ss[f"req_{r.id}"] = True
    for k in ("must_region", "must_trusted", "must_open"):
        ss[k] = False
    ss["must_certs"] = []
    ss["budget"] = 0.0


if "preset" not in ss:
    ss["preset"] = DEFAULT_PRESET if DEFAULT_PRESET in presets else next(iter(presets))
    _apply_preset()

with st.sidebar:
    st.header("Priorities")
    st.selectbox(
        "Preset", list(presets), key="preset", on_change=_apply_preset, format_func=lambda s: presets[s].name
    )
    preset = presets[ss["preset"]]
    if preset.description:
        st.caption(preset.description)

    st.subheader("Weights")
    st.selectbox(
        "Aggregation method",
        list(engine.METHODS),
        key="method",
        help="weighted sum (additive, default); weighted product (punishes a weak criterion more); "
        "TOPSIS (closeness to the ideal point). All use the same utilities.",
    )
    wsum = sum(ss[f"w_{c}"] for c in ids)
    band: dict[str, Any] = {}  # filled once the ranking is known: the band where the leader holds
    for c in criteria.criteria:
        st.slider(c.label, 0, 100, key=f"w_{c.id}", help=c.description)
        share = 100 * ss[f"w_{c.id}"] / wsum if wsum else 0.0
        band[c.id] = st.empty()
        band[c.id].caption(f"{share:.1f}% of the total")

    st.subheader("Must-haves")
    for r in preset.requirements:
        st.checkbox(r.message or r.id, key=f"req_{r.id}", help=f"{r.field} {r.op} {r.value}")
    st.multiselect(
        "Allowed processing regions",
        REGION_CHOICES + [x for x in ss["allowed"] if x not in REGION_CHOICES],
        key="allowed",
    )
    st.checkbox("Processing must be possible in the allowed regions", key="must_region")
    st.multiselect(
        "Trusted jurisdictions",
        REGION_CHOICES + [x for x in ss["trusted"] if x not in REGION_CHOICES],
        key="trusted",
    )
    st.checkbox("Developer and operator must be in trusted jurisdictions", key="must_trusted")
    st.multiselect("Wanted certifications (compliance criterion)", list(CERTIFICATION_IDS), key="wanted")
    st.multiselect(
        "Required certifications (claimed or certified)", list(CERTIFICATION_IDS), key="must_certs"
    )
    st.checkbox("Open weights only", key="must_open")
    st.number_input(f"Monthly budget ({ss['currency']}, 0 = none)", min_value=0.0, step=1000.0, key="budget")

    st.subheader("Workload")
    st.number_input("Input tokens per month (millions)", min_value=0.0, step=10.0, key="in_m")
    st.number_input("Output tokens per month (millions)", min_value=0.0, step=10.0, key="out_m")
    st.number_input("Typical answer length (tokens)", min_value=1, step=50, key="answer")
    currencies = sorted({criteria.fx.base, *criteria.fx.rates})
    st.selectbox("Currency", currencies, key="currency")

    st.subheader("Extra profiles")
    uploads = st.file_uploader(
        "Add vendor profiles (.yaml/.yml, 1 MB max)", type=["yaml", "yml"], accept_multiple_files=True
    )


def current_priorities() -> PrioritiesFile:
    """The priorities the widgets describe (preset + adjustments)."""
    reqs = [r for r in preset.requirements if ss.get(f"req_{r.id}", True)]
    extra: list[RequirementSpec] = []

    def must(rid: str, field: str, op: str, value: Any, message: str) -> None:
        spec = {"id": rid, "field": field, "op": op, "value": value, "message": message}
        extra.append(RequirementSpec.model_validate(spec, strict=False))

    if ss["must_region"] and ss["allowed"]:
        must(
            "app-region",
            "processing_regions",
            "within",
            list(ss["allowed"]),
            "Processing possible in the allowed regions",
        )
    if ss["must_trusted"] and ss["trusted"]:
        must(
            "app-developer", "developer_hq", "in", list(ss["trusted"]), "Developer in a trusted jurisdiction"
        )
        must("app-operator", "operator_hq", "in", list(ss["trusted"]), "Operator in a trusted jurisdiction")
    if ss["must_certs"]:
        must(
            "app-certifications",
            "certifications",
            "includes_all",
            list(ss["must_certs"]),
            "Required certifications",
        )
    if ss["must_open"]:
        must("app-open-weights", "open_weights", "equals", True, "Open weights")
    if ss["budget"] > 0:
        must("app-budget", "monthly_cost", "max", float(ss["budget"]), "Within the monthly budget")
    data = preset.model_dump(mode="python", by_alias=True)
    data.update(
        method=ss["method"],
        weights={c: float(ss[f"w_{c}"]) for c in ids},
        weight_order=None,  # the sliders hold the weights now, whatever the preset used
        ahp=None,
        robustness={
            **preset.robustness.model_dump(),
            # the sampling widgets are drawn only when something is ranked: fall back to the preset
            "samples": int(ss.get("samples", preset.robustness.samples)),
            "seed": int(ss.get("seed", preset.robustness.seed)),
            "concentration": float(ss.get("concentration", preset.robustness.concentration)),
        },
        workload={
            "input_tokens_per_month": float(ss["in_m"]) * 1e6,
            "output_tokens_per_month": float(ss["out_m"]) * 1e6,
            "answer_tokens": float(ss["answer"]),
            "currency": ss["currency"],
        },
        allowed_regions=tuple(ss["allowed"]),
        trusted_jurisdictions=tuple(ss["trusted"]),
        wanted_certifications=tuple(ss["wanted"]),
        requirements=(*reqs, *extra),
    )
    return PrioritiesFile.model_validate(data, strict=False)


# ----------------------------------------------------------------------------- ranking

st.title("Shortlist")
st.caption("Gate on must-haves, rank on weighted priorities, explain every score. " + ATTRIBUTION)

extra = tuple((f"upload:{u.name}", u.getvalue()) for u in (uploads or []))
catalog = _catalog(str(VENDORS), _mtimes(VENDORS), extra, criteria.currencies())
_show_issues(list(catalog.issues), "the vendor profiles")
_show_issues(preset_issues, "the presets")

try:
    priorities = current_priorities()
    ranking = engine.rank(catalog, criteria, priorities)
except engine.InputError as exc:
    _show_issues(
        exc.issues, "the current priorities", "fix them in the sidebar (or the preset file) to see a ranking"
    )
    st.stop()

for n in ranking.notes:
    st.info(n)

cur = ranking.currency
ranked = ranking.ranked
st.subheader(f"Ranking — {len(ranked)} ranked, {len(ranking.excluded)} excluded")


def _rounded(v: float | str | None) -> float | None:
    return round(v, 2) if isinstance(v, float) else None


table = pd.DataFrame(
    [
        {
            "rank": r.rank,
            "offering": r.offering_id,
            "vendor": r.vendor,
            "score": round(r.score or 0.0, 2),
            f"cost ({cur}/month)": _rounded(r.cells["monthly_cost"].value)
            if "monthly_cost" in r.cells
            else None,
            "response (s)": r.cells["response_time"].value if "response_time" in r.cells else None,
            "capability": r.cells["capability"].value if "capability" in r.cells else None,
            "context (tokens)": r.cells["context_window"].value if "context_window" in r.cells else None,
            "openness": r.cells["openness"].value if "openness" in r.cells else None,
            "as of": r.as_of.isoformat(),
            "flags": "; ".join(r.reasons),
        }
        for r in ranked
    ]
)
if not table.empty:
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "score": st.column_config.ProgressColumn("score", min_value=0, max_value=100, format="%.1f"),
            f"cost ({cur}/month)": st.column_config.NumberColumn(format="localized"),
            "response (s)": st.column_config.NumberColumn(format="%.1f"),
            "context (tokens)": st.column_config.NumberColumn(format="localized"),
        },
    )
    st.caption(
        "An empty cell (None) means the value is not published for this channel; the criterion's "
        "missing-data policy applies and the flags column says so. Hover a column for its full name."
    )
    # the leader and the excluded list as DOM text (the dataframe draws on a canvas): for
    # people who copy from the page, and for the browser tests (tests/e2e/)
    with st.container(key="leader"):
        st.markdown(
            f"Leader: **{ranked[0].offering_id}** — {ranked[0].offering}, score {ranked[0].score or 0.0:.1f}"
        )
else:
    st.warning("No offering passes the must-haves. Relax one in the sidebar.")

if ranking.excluded:
    with st.expander(f"Excluded offerings ({len(ranking.excluded)})", expanded=False):
        with st.container(key="excluded"):
            st.table(
                pd.DataFrame(
                    [
                        {"offering": r.offering_id, "vendor": r.vendor, "reasons": "; ".join(r.reasons)}
                        for r in ranking.excluded
                    ]
                ),
                hide_index=True,
            )

if ranked and ranking.method != "weighted-sum":
    st.subheader("Where the points come from")
    st.caption(
        f"{ranking.method} is not additive, so a score does not split into points per criterion; "
        "switch the method to weighted-sum to see the contributions."
    )
elif ranked:
    st.subheader("Where the points come from (top 10)")
    top = ranked[:10]
    contrib = pd.DataFrame(
        [
            {
                "offering": r.offering_id,
                "criterion": labels[c],
                "points": round(r.cells[c].contribution or 0.0, 3),
            }
            for r in top
            for c in ids
            if ranking.weights[c] > 0
        ]
    )
    chart = (
        alt.Chart(contrib)
        .mark_bar()
        .encode(
            x=alt.X("points:Q", title="points (0–100)"),
            y=alt.Y(
                "offering:N", sort=[r.offering_id for r in top], title=None, axis=alt.Axis(labelLimit=320)
            ),
            color=alt.Color("criterion:N"),
            tooltip=["offering", "criterion", "points"],
        )
    )
    st.altair_chart(chart, width="stretch")

# ----------------------------------------------------------------------------- robustness


@st.cache_data(show_spinner=False, max_entries=64)
def _robustness(digest: str, _r: engine.Ranking, _settings: Robustness) -> tuple[SensitivityReport, bytes]:
    """Sensitivity report of the ranking with this inputs digest, which covers the
    priorities' robustness settings (cached: SMAA stays off the slider path)."""
    rep = sensitivity_with(_r, _settings)
    return rep, engine.sensitivity_json(rep, _r)


report: SensitivityReport | None = None
if ranked:
    st.subheader("Robustness: how sure is this ranking?")
    rob = priorities.robustness
    with st.expander("Sampling settings", expanded=False):
        r1, r2, r3 = st.columns(3)
        r1.number_input("Weight samples", min_value=1, max_value=200_000, step=1000, key="samples")
        r2.number_input(
            "Concentration (> 0; larger = closer to your weights)",
            min_value=0.01,
            step=10.0,
            key="concentration",
        )
        r3.number_input("Seed", min_value=0, step=1, key="seed")
    try:
        report, sens_json = _robustness(ranking.inputs_digest, ranking, rob)
    except engine.InputError as exc:
        _show_issues(exc.issues, "the robustness settings", "fix them to see the robustness analysis")
    if report is not None:
        ss["export_sensitivity_json"] = sens_json
        leader = report.problem.offering_ids[0]
        for s_int in report.stability:
            cur_share = 100 * s_int.weight
            band[s_int.criterion].caption(
                f"{cur_share:.1f}% of the total · the leader stays first from "
                f"{100 * s_int.first_low:.1f}% to {100 * s_int.first_high:.1f}%"
            )
        acc = report.acceptability
        st.markdown(
            f"**Rank acceptability** — share of {acc.samples:,} weight vectors sampled around your weights "
            f"in which each offering takes each rank (SMAA-2). {leader} is first in "
            f"{100 * acc.acceptability[0, 0]:.0f}% of them."
        )
        n_show = min(report.problem.n, 10)  # ranks beyond 10 are pooled in one column
        rank_labels = [str(r + 1) for r in range(n_show)]
        if report.problem.n > n_show:
            rank_labels.append(f"{n_show + 1}+")
        heat = pd.DataFrame(
            [
                {
                    "offering": o,
                    "rank": rank_labels[min(r, n_show)],
                    "share": round(
                        100
                        * float(acc.acceptability[i, r:].sum() if r == n_show else acc.acceptability[i, r]),
                        1,
                    ),
                }
                for i, o in enumerate(report.problem.offering_ids)
                for r in range(len(rank_labels))
            ]
        )
        st.altair_chart(
            alt.Chart(heat)
            .mark_rect()
            .encode(
                x=alt.X("rank:O", title="rank", sort=rank_labels),
                y=alt.Y(
                    "offering:N",
                    sort=list(report.problem.offering_ids),
                    title=None,
                    axis=alt.Axis(labelLimit=320),
                ),
                color=alt.Color("share:Q", title="% of samples", scale=alt.Scale(scheme="blues")),
                tooltip=["offering", "rank", "share"],
            ),
            width="stretch",
        )
        st.markdown(
            "**Stability intervals** — how far each weight can move (the others rescaled in proportion) "
            f"before {leader} loses first place; the tick is your weight."
        )
        bands = pd.DataFrame(
            [
                {
                    "criterion": labels[s_int.criterion],
                    "low": round(100 * s_int.first_low, 1),
                    "high": round(100 * s_int.first_high, 1),
                    "weight": round(100 * s_int.weight, 1),
                    "then first": " / ".join(x or "-" for x in (s_int.first_low_by, s_int.first_high_by)),
                }
                for s_int in report.stability
            ]
        )
        base = alt.Chart(bands).encode(y=alt.Y("criterion:N", title=None, sort=None))
        st.altair_chart(
            base.mark_bar(opacity=0.5).encode(
                x=alt.X("low:Q", title="weight (% of the total)", scale=alt.Scale(domain=[0, 100])),
                x2="high:Q",
                tooltip=["criterion", "low", "high", "weight", "then first"],
            )
            + base.mark_tick(thickness=3, size=18, color="black").encode(x="weight:Q"),
            width="stretch",
        )
        st.markdown(
            "**Pareto front** on cost versus capability — an offering is on the front when no other is at "
            "least as good on every weighted criterion and better on one."
        )
        front = set(report.dominance.pareto_front)
        points = pd.DataFrame(
            [
                {
                    "offering": r.offering_id,
                    "cost": r.cells["monthly_cost"].value,
                    "capability": r.cells["capability"].value,
                    "status": "Pareto front" if r.offering_id in front else "dominated",
                    "dominated by": ", ".join(report.dominance.dominated_by.get(r.offering_id, ())),
                }
                # dominated first, so a front point sharing its spot is drawn on top
                for r in sorted(ranked, key=lambda r: r.offering_id in front)
                if "monthly_cost" in r.cells
                and "capability" in r.cells
                and isinstance(r.cells["monthly_cost"].value, float)
                and isinstance(r.cells["capability"].value, float)
                and r.cells["monthly_cost"].value > 0
            ]
        )
        if not points.empty:
            st.altair_chart(
                alt.Chart(points)
                .mark_circle(size=90)
                .encode(
                    x=alt.X("cost:Q", title=f"monthly cost ({cur}, log scale)", scale=alt.Scale(type="log")),
                    y=alt.Y("capability:Q", title="capability (index points)", scale=alt.Scale(zero=False)),
                    color=alt.Color("status:N", title=None),
                    tooltip=["offering", "cost", "capability", "status", "dominated by"],
                ),
                width="stretch",
            )
            missing = len(ranked) - len(points)
            if missing:
                st.caption(
                    f"{missing} ranked offering(s) without a monthly cost or capability value are not drawn."
                )
        st.markdown("**What would it take** for another offering to rank first?")
        others = list(report.problem.offering_ids[1:])
        if others:
            target = st.selectbox("Offering", others, key="wwit")
            try:
                wit = what_would_it_take(report.problem, target, dict(rob.weight_bounds))
            except engine.InputError as exc:
                _show_issues(exc.issues, "the weight bounds", "fix them to see this answer")
            else:
                st.write(f"**Weights:** {wit.message}.")
                st.write(f"**Price:** {wit.price_message}.")
        for note in report.notes:
            st.caption(note)

st.subheader("Export")
csv_bytes = engine.to_csv(ranking)
c1, c2, c3 = st.columns(3)
c1.download_button(
    "Download shortlist (CSV)", csv_bytes, file_name="shortlist.csv", mime="text/csv", key="dl_csv"
)
c2.download_button(
    "CSV for Excel (UTF-8 BOM)",
    engine.to_csv(ranking, excel=True),
    file_name="shortlist-excel.csv",
    mime="text/csv",
    key="dl_csv_excel",
)
# pin the price date so the CLI reproduces these exact bytes on another day
prio_yaml = engine.priorities_yaml(priorities.model_copy(update={"on_date": ranking.on_date}))
c3.download_button(
    "Priorities (YAML for the CLI)",
    prio_yaml,
    file_name="priorities.yaml",
    mime="application/x-yaml",
    key="dl_yaml",
)
if report is not None:
    st.download_button(
        "Robustness analysis (JSON, as `shortlist sensitivity --format json`)",
        ss["export_sensitivity_json"],
        file_name="sensitivity.json",
        mime="application/json",
        key="dl_sensitivity",
    )
ss["export_csv"] = csv_bytes  # what the download buttons hold (read by tests)
ss["export_priorities_yaml"] = prio_yaml
st.caption(
    f"Same bytes as `shortlist rank --priorities priorities.yaml --format csv` with the downloaded priorities. "
    f"Inputs digest {ranking.inputs_digest[:16]}… · prices on {ranking.on_date.isoformat()}."
)
