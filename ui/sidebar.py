"""The sidebar: the buyer's priorities (preset, weights, must-haves, workload). It is
drawn on every page, so its values hold across page switches."""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

import engine
import engine.mcda.matrix
from engine.catalog.schema import CERTIFICATION_IDS, PrioritiesFile
from engine.reports.escape import streamlit_markdown as md
from ui import seal, state
from ui.plain import cert_name

WEIGHTS_FORM = "weights"
"""Key of the form holding the weight sliders."""
APPLY = "Apply weights"
"""Label of the form's submit button."""
MODE_SLOT = "_mode"
"""Key of the slot under the ordering or the pairwise comparisons."""
REGION_CHOICES = ["EU", "EEA", "GLOBAL", "US", "GB", "CH", "CA", "FR", "DE", "NL", "IE", "CN"]
COMPACT_PAGES = {"catalog": "", "policy": "p_policy_sidebar"}
"""Pages (URL path) that do not use the priorities → the page's switch that makes them use
the sidebar's after all ("" for none): there the sidebar is a short summary (:func:`compact`)."""


def compact(url_path: str) -> bool:
    """Whether the page at ``url_path`` gets the compact sidebar: it is one of
    :data:`COMPACT_PAGES` and its switch to the sidebar's priorities (the Policy page's
    what-if) is off. (The sidebar keeps its width: Streamlit 1.67's
    ``set_page_config(initial_sidebar_state=<pixels>)`` sets it on the first load only, not
    on a page switch — measured in Chromium; the summary is short instead.)"""
    if url_path not in COMPACT_PAGES:
        return False
    switch = COMPACT_PAGES[url_path]
    return not (switch and st.session_state.get(switch))


def apply_preset(presets: dict[str, PrioritiesFile], ids: tuple[str, ...]) -> None:
    """``on_change`` of the preset box: copy the preset into every widget."""
    ss = st.session_state
    seals = [k for k in ss if isinstance(k, str) and k.startswith(state.SEAL_PREFIX)]
    for k in [k for k in ss if isinstance(k, str) and k.startswith(("ahp_", "req_"))]:
        del ss[k]
    stem = ss["preset"]
    new = state.preset_state(presets[stem], ids, stem)
    # A minimum-SEAL box the new preset sets no minimum for is set to "no minimum", not
    # deleted: a deleted widget key came back with the box's old value, so the previous
    # preset's minimums stayed in force (and in the link) under the new preset.
    ss.update({k: None for k in seals if k not in new})
    ss.update(new)
    ss["_currency"] = ss["currency"]


def _convert_budget(criteria: engine.CriteriaCatalog) -> None:
    """``on_change`` of the currency: keep the monthly budget the same amount of money."""
    ss = st.session_state
    old, new = ss.get("_currency", ss["currency"]), ss["currency"]
    if ss["budget"] and old != new:
        ss["budget"] = round(engine.mcda.matrix.convert(ss["budget"], old, new, criteria.fx), 2)
    ss["_currency"] = new


def _weights(criteria: engine.CriteriaCatalog, labels: dict[str, str]) -> dict[str, DeltaGenerator]:
    """The weight widgets of the chosen mode; returns a caption slot per slider."""
    ss = st.session_state
    ids = criteria.ids()
    with st.expander(f"Method: {state.MODE_LABELS[ss['mode']].lower()}, {ss['method']}", expanded=False):
        st.radio(
            "Give the weights as",
            state.MODES,
            key="mode",
            format_func=state.MODE_LABELS.__getitem__,
            help="Sliders: points per criterion (normalised to 100 %). Rank the criteria: put them in order "
            "of importance and get rank-order-centroid weights (Barron & Barrett 1996). Pairwise: say how "
            "much more one criterion matters than another (AHP, Saaty 1980).",
        )
        st.selectbox(
            "Aggregation method",
            list(engine.METHODS),
            key="method",
            help="weighted sum (additive, default); weighted product (punishes a weak criterion more); "
            "TOPSIS (closeness to the ideal point). All use the same utilities.",
        )
    band: dict[str, DeltaGenerator] = {}
    if ss["mode"] == "direct":
        # A form: moving a slider (26 arrow-key steps, a drag) reruns nothing until Apply,
        # so the ranking is computed once for the weights the buyer settles on.
        with st.form(WEIGHTS_FORM, border=False, enter_to_submit=False):
            wsum = sum(ss[f"w_{c}"] for c in ids)
            for c in criteria.criteria:
                st.slider(
                    md(c.label), 0, 100, key=f"w_{c.id}", help=md(c.description) if c.description else None
                )
                share = 100 * ss[f"w_{c.id}"] / wsum if wsum else 0.0
                band[c.id] = st.empty()
                band[c.id].caption(f"{share:.1f}% of the total")
            st.form_submit_button(APPLY, type="primary", width="stretch")
            st.caption("Moved sliders count once you press Apply weights.")
    elif ss["mode"] == "order":
        st.multiselect(
            "Criteria from most to least important (pick in order)",
            list(ids),
            key="order",
            format_func=labels.__getitem__,
            help="The first criterion you pick is the most important. Unpicked criteria get weight 0.",
        )
        if not ss["order"]:
            st.caption("Pick at least one criterion; until then the sliders' weights are used.")
    else:
        st.multiselect(
            "Criteria to compare (two or more)", list(ids), key="ahp_criteria", format_func=labels.__getitem__
        )
        pairs = state.ahp_pairs(ss["ahp_criteria"], ids)
        if not pairs:
            st.caption("Pick two or more criteria; until then the sliders' weights are used.")
        for a, b in pairs:
            key = state.pair_key(a, b)
            if key not in ss:
                ss[key] = 0
            la, lb = labels[a], labels[b]

            def words(s: int, la: str = la, lb: str = lb) -> str:
                return state.judgement_label(s, la, lb)

            st.select_slider(
                f"{md(la)} vs {md(lb)}",
                # the left end favours the criterion named first, the right end the second
                options=list(range(state.SAATY_MAX - 1, -state.SAATY_MAX, -1)),
                key=key,
                format_func=words,
                help="How many times as important one is as the other (Saaty's 1–9 scale).",
            )
    if ss["mode"] != "direct":
        band[MODE_SLOT] = st.empty()  # the resulting weights (and the AHP consistency), once ranked
    return band


def _summary(presets: dict[str, PrioritiesFile], criteria: engine.CriteriaCatalog) -> None:
    """The compact sidebar: which priorities are set, that this page does not use them,
    and a link to where they are changed. The widgets are not drawn; their values are kept
    in the session state (app.py re-assigns them on every run)."""
    ss = st.session_state
    with st.sidebar:
        st.header("Priorities")
        st.markdown(f"Preset: **{md(presets[ss['preset']].name)}**")
        if ss["mode"] == "direct":
            total = sum(ss[f"w_{c}"] for c in criteria.ids()) or 1
            shares = [(c.label, 100 * ss[f"w_{c.id}"] / total) for c in criteria.criteria]
            st.caption(
                "Weights: "
                + ", ".join(f"{md(lab)} {w:.0f}%" for lab, w in sorted(shares, key=lambda x: -x[1]) if w > 0)
                + "."
            )
        else:
            st.caption(f"Weights given as: {state.MODE_LABELS[ss['mode']].lower()}.")
        st.caption(
            "This page does not use the priorities: they rank the offerings on the Shortlist, Compare, "
            "Robustness and Evidence pages, where this sidebar shows every control."
        )
        st.page_link("ui/pages/shortlist.py", label="Change the priorities", icon=":material/tune:")


def draw(
    presets: dict[str, PrioritiesFile],
    criteria: engine.CriteriaCatalog,
    labels: dict[str, str],
    compact: bool = False,
) -> dict[str, DeltaGenerator]:
    """Draw the priorities controls; returns a caption slot under each weight slider
    (filled with its stability interval once the ranking is known). ``compact``: a page
    that does not use the priorities; only a summary is drawn (no slot)."""
    ss = st.session_state
    ids = criteria.ids()
    if compact:
        _summary(presets, criteria)
        return {}
    with st.sidebar:
        st.header("Priorities")
        st.selectbox(
            "Preset",
            list(presets),
            key="preset",
            on_change=apply_preset,
            args=(presets, ids),
            format_func=lambda s: presets[s].name,
        )
        preset = presets[ss["preset"]]
        if preset.description:
            st.caption(md(preset.description))

        st.subheader("Weights")
        band = _weights(criteria, labels)

        sov = seal.framework_of(criteria, preset)
        on = [md(r.message or r.id) for r in state.checkbox_requirements(preset) if ss.get(f"req_{r.id}")]
        on += [
            text
            for key, text in (
                ("must_region", "processing in the allowed regions"),
                ("must_trusted", "developer and operator in trusted jurisdictions"),
                ("must_open", "open weights only"),
            )
            if ss.get(key)
        ]
        on += [f"requires {cert_name(c)}" for c in ss.get("must_certs") or ()]
        on += seal.minimums_on(sov.framework if sov else None)
        if ss.get("budget"):
            on.append(f"budget {ss['currency']} {ss['budget']:,.0f} a month")
        st.markdown("**Must-haves**")
        st.caption(("On: " + "; ".join(on) + ".") if on else "None on: every offering is ranked.")
        with st.expander("Change must-haves", expanded=False):
            for r in state.checkbox_requirements(preset):
                st.checkbox(md(r.message or r.id), key=f"req_{r.id}", help=md(f"{r.field} {r.op} {r.value}"))
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
            st.multiselect(
                "Wanted certifications (compliance criterion)",
                list(CERTIFICATION_IDS),
                key="wanted",
                format_func=cert_name,
            )
            st.multiselect(
                "Required certifications (claimed or certified)",
                list(CERTIFICATION_IDS),
                key="must_certs",
                format_func=cert_name,
            )
            st.multiselect(
                "Certifications your own infrastructure holds",
                list(CERTIFICATION_IDS),
                key="held",
                format_func=cert_name,
                help="Self-hosted offerings run on your infrastructure: certification must-haves and the "
                "compliance criterion judge them on these. Empty: not declared (their certifications "
                "stay unknown, an evidence gap that is yours to fill).",
            )
            st.checkbox("Open weights only", key="must_open")
            st.number_input(
                f"Monthly budget ({ss['currency']}, 0 = none)",
                min_value=0.0,
                max_value=1e15,
                step=1000.0,
                key="budget",
            )
            seal.draw_minimums(sov.framework if sov else None)

        ss.setdefault("_currency", ss["currency"])
        st.markdown("**Workload**")
        st.caption(
            f"{ss['in_m']:,.0f} M input and {ss['out_m']:,.0f} M output tokens a month, answers of "
            f"{ss['answer']:,} tokens; amounts in {ss['currency']}."
        )
        with st.expander("Change workload and currency", expanded=False):
            st.number_input(
                "Input tokens per month (millions)", min_value=0.0, max_value=1e9, step=10.0, key="in_m"
            )
            st.number_input(
                "Output tokens per month (millions)", min_value=0.0, max_value=1e9, step=10.0, key="out_m"
            )
            st.number_input(
                "Typical answer length (tokens)", min_value=1, max_value=10_000_000, step=50, key="answer"
            )
            currencies = sorted({criteria.fx.base, *criteria.fx.rates})
            st.selectbox("Currency", currencies, key="currency", on_change=_convert_budget, args=(criteria,))
            if ss["currency"] != preset.workload.currency:
                st.caption(
                    f"The preset's amounts ({preset.workload.currency}: cost anchors, budget must-haves) are "
                    f"converted at the ECB rate of {criteria.fx.as_of.isoformat()}, so the ranking stays the same."
                )

        with st.expander("Robustness sampling", expanded=False):
            st.number_input("Weight samples", min_value=1, max_value=200_000, step=1000, key="samples")
            st.number_input(
                "Concentration (> 0; larger = closer to your weights)",
                min_value=0.01,
                max_value=1e6,
                step=10.0,
                key="concentration",
            )
            st.number_input("Seed", min_value=0, max_value=2**32 - 1, step=1, key="seed")
    return band


def widget_state() -> dict[str, Any]:
    """The priorities part of the session state (see :mod:`ui.state`)."""
    ss = st.session_state
    return {k: ss[k] for k in state.state_keys({k: None for k in ss if isinstance(k, str)})}
