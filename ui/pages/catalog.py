"""Catalog page: browse the vendors and offerings with their sources and data age
(stale values flagged), and upload extra vendor profiles, validated on the spot and
ranked with the rest when valid."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from engine.catalog.dates import FUTURE_FLAG
from engine.catalog.staleness import flagged, limits, stale_label
from engine.reports.escape import markdown_code, markdown_url, safe_url, visible
from engine.reports.escape import streamlit_markdown as md
from ui.common import UPLOAD_LIMIT, context, kept_uploader, text_frame
from ui.plain import FACT_KINDS, contracting_party, counted

ctx = context()
ss = st.session_state
st.title("Catalog")
catalog = ctx.catalog
day = ctx.ranking.on_date if ctx.ranking else dt.date.today()
# each kind of fact has its own maximum age: the criteria catalog's, then the priorities'
lims = (
    ctx.ranking.max_age_days
    if ctx.ranking
    else limits(ctx.criteria.max_age_days, ctx.priorities or ctx.preset)
)

bundled_issues = [i for i in catalog.issues if not (i.file or "").startswith("upload:")]
if bundled_issues:
    st.error(
        f"{counted(len(bundled_issues), 'problem')} in the vendor profiles on disk — an invalid file is left out, "
        "an offering id defined in two files is left out of both (a person decides which is right):\n\n"
        + "\n".join(f"- {markdown_code(str(i))}" for i in bundled_issues)
    )

# ----------------------------------------------------------------------------- browse

st.header(f"{len(catalog.vendors)} vendors, {len(catalog.offerings)} offerings")
st.caption(
    f"Every profile says when it was last checked against its sources; “checked 12 days ago” counts to the "
    f"price date, {day.isoformat()}. Each kind of fact is out of date after its own limit "
    f"({', '.join(f'{FACT_KINDS.get(k, k)} {n} days' for k, n in lims.items())}); such facts, and facts "
    "dated after the price date, are listed under *out-of-date facts*. You can add vendor profiles at "
    "the bottom of the page.",
    help="The limits are the criteria catalog's `max_age_days`, then the priorities'.",
)
vendors = sorted({o.vendor.name for o in catalog.offerings})
f1, f2 = st.columns([2, 3])
query = f1.text_input("Search (model, channel or id)", key="p_cat_search")
chosen = f2.multiselect("Vendors", vendors, key="p_cat_vendors")


def _age(d: dt.date | None) -> int | None:
    return (day - d).days if d else None


def _ago(days: int) -> str:
    """``checked 12 days ago`` in words (a date after the price date said so)."""
    if days < 0:
        return f"dated {-days} day{'s' if days < -1 else ''} after the price date"
    return "today" if days == 0 else f"{days} day{'s' if days > 1 else ''} ago"


rows = []
for ro in catalog.offerings:
    o, v = ro.offering, ro.vendor
    text = f"{o.id} {o.model} {o.channel}".lower()
    if (query and query.lower() not in text) or (chosen and v.name not in chosen):
        continue
    age = _age(o.as_of) or 0
    old = flagged(ro, day, lims)
    status = [
        "stale" if any(a.stale for a in old) else "",
        FUTURE_FLAG.removeprefix("data ") if any(a.future for a in old) else "",
    ]
    rows.append(
        {
            "offering": ro.label,
            "model by": v.name,
            "contracting party": contracting_party(o.operator.name, o.deployment),
            "checked": _ago(age),
            "stale": "; ".join(x for x in status if x),
            "stale facts": "; ".join(stale_label(a) for a in old),
            "source": o.sources[0] if o.sources else None,
            # a link only when the source is a plain http(s) URL, never javascript: or free text
            "link": safe_url(o.sources[0]) if o.sources else None,
            "deployment": o.deployment,
            "processing regions": ", ".join(o.processing_regions or ("unknown",)),
            "developer HQ": v.headquarters or "unknown",
            "operator (HQ)": f"{o.operator.name} ({o.operator.headquarters or 'unknown'})",
            "file": ro.file.rsplit("/", 1)[-1],
            "checked on": o.as_of.isoformat(),
            "id": o.id,
        }
    )
st.dataframe(
    text_frame(pd.DataFrame(rows)),
    hide_index=True,
    width="stretch",
    column_config={
        "offering": st.column_config.TextColumn(
            "offering (model — channel)",
            width=300,
            pinned=True,
            help="The model and the channel you buy it through",
        ),
        "checked": st.column_config.TextColumn(
            "profile last checked",
            help="When the profile was last checked against its sources, counted to the price date",
        ),
        "stale": st.column_config.TextColumn(
            "facts out of date",
            help="Some fact of this profile is past its kind's age limit (listed in the next column), "
            "or dated after the price date, however recently the profile as a whole was checked",
        ),
        "stale facts": st.column_config.TextColumn("out-of-date facts"),
        "id": st.column_config.TextColumn("offering id"),
        "source": st.column_config.TextColumn("source", help="the offering's first source"),
        "link": st.column_config.LinkColumn(
            "link", display_text="open", help="the first source, when a web address"
        ),
    },
)

# ----------------------------------------------------------------------------- one offering

ids = [str(r["id"]) for r in rows]
label_of = {str(r["id"]): str(r["offering"]) for r in rows}
if ids:
    if ss.get("p_cat_offering") not in ids:
        ss["p_cat_offering"] = ids[0]
    st.header("One offering")
    oid = st.selectbox(
        "Offering details",
        ids,
        key="p_cat_offering",
        format_func=lambda i: visible(f"{label_of[i]} ({i})"),
    )
    ro = catalog.get(str(oid))
    o, v = ro.offering, ro.vendor

    def _src(sources: tuple[str, ...], as_of: dt.date | None, kind: str = "profile") -> str:
        links = ", ".join(markdown_url(s) for s in sources) or "the offering's sources"
        if as_of is None:
            return links
        age = _age(as_of) or 0
        if age < 0:
            flag = f" — **{FUTURE_FLAG.removeprefix('data ')}**"
        else:
            flag = f" — **stale** (limit {lims[kind]} days for {kind})" if age > lims[kind] else ""
        return f"{links} · as of {as_of.isoformat()}" + (f" (checked {_ago(age)})" if age >= 0 else "") + flag

    # every input text through md(): a name, note or source never renders as markup
    lines = [
        f"**{md(o.model)}** through {md(o.channel)} ({md(o.deployment)}) — vendor {md(v.name)}, "
        + (f"headquartered in {md(v.headquarters)}" if v.headquarters else "headquarters unknown")
        + (f", parent {md(v.parent)}" if v.parent else ""),
        f"- Operator: {md(o.operator.name)} ({md(o.operator.headquarters or 'headquarters unknown')}); "
        f"processing regions {md(', '.join(o.processing_regions or ('unknown',)))}"
        + (f" — {md(o.residency_note)}" if o.residency_note else ""),
    ]
    if o.prices:
        p = o.prices
        lines.append(
            f"- Prices: {p.input_per_mtok:g} input / {p.output_per_mtok:g} output {md(p.currency)} per 1M tokens"
            + (f" ({md(p.basis)})" if p.basis else "")
            + (f" — {md(p.note)}" if p.note else "")
            + "".join(
                f"; from {s.from_.isoformat()}: {s.input_per_mtok:g} / {s.output_per_mtok:g}"
                for s in p.schedule
            )
        )
    else:
        lines.append("- Prices: not published for this channel")
    if o.context_window_tokens:
        lines.append(f"- Context window: {o.context_window_tokens:,} tokens")
    if o.capability:
        c = o.capability
        lines.append(f"- Capability: {c.value:g} ({md(c.metric)}) — {_src(c.sources, c.as_of, 'capability')}")
    if o.latency:
        la = o.latency
        parts = [
            f"time to first token {la.ttft_s:g} s" if la.ttft_s is not None else "",
            f"{la.output_tokens_per_s:g} tokens/s" if la.output_tokens_per_s is not None else "",
        ]
        lines.append(
            f"- Latency: {', '.join(x for x in parts if x)} — {_src(la.sources, la.as_of, 'latency')}"
        )
    if o.openness:
        lines.append(
            f"- Open weights: {'yes' if o.openness.open_weights else 'no'}"
            + (f", licence {md(o.openness.licence)}" if o.openness.licence else "")
        )
    if o.zero_data_retention:
        lines.append(f"- Zero data retention: {o.zero_data_retention.status.replace('_', ' ')}")
    certs = ro.certifications
    if certs.items:
        lines.append(
            "- Certifications (of whoever processes the data): "
            + ", ".join(f"{md(k)} {md(e.status.replace('_', ' '))}" for k, e in sorted(certs.items.items()))
            + (f" — {_src(certs.sources, certs.as_of, 'certifications')}" if certs.sources else "")
        )
    if v.gpai_code_of_practice:
        g = v.gpai_code_of_practice
        lines.append(
            f"- EU GPAI Code of Practice: {g.status.replace('_', ' ')} — {_src(g.sources, g.as_of, 'gpai')}"
        )
    if v.fmti:
        lines.append(
            f"- Transparency (FMTI {md(str(v.fmti.edition))}): {v.fmti.score:g} — {_src(v.fmti.sources, v.fmti.as_of, 'transparency')}"
        )
    lines.append(f"- Sources: {_src(o.sources, o.as_of)}")
    old = flagged(ro, day, lims)
    if old:
        lines.append(f"- Stale facts ({len(old)}): " + "; ".join(md(stale_label(a)) for a in old))
    if o.notes:
        lines.append(f"- Notes: {md(o.notes)}")
    lines.append(f"- File: {markdown_code(ro.file)}")
    st.markdown("\n".join(lines))
else:
    st.info("No offering matches the search.")

# ----------------------------------------------------------------------------- uploads

st.header("Add vendor profiles")
kept_uploader(
    f"Add vendor profiles (.yaml/.yml, {UPLOAD_LIMIT} each)",
    ["yaml", "yml"],
    "One vendor per file, in the format of the bundled profiles (see `shortlist schema vendor`). "
    "A valid profile joins the ranking on every page; an invalid one is shown here with its problems.",
    ("uploads", "uploader_n", "upload_refused", "upload_replaced"),
)


def _remove(name: str) -> None:
    ss["uploads"] = {k: v for k, v in ss["uploads"].items() if k != name}


with st.container(key="uploads"):
    for name in ss["uploads"]:
        file = f"upload:{name}"
        problems = [i for i in catalog.issues if i.file == file]
        offered = [o for o in catalog.offerings if o.file == file]
        listed = "\n".join(f"- {markdown_code(str(i))}" for i in problems)
        joined = md(", ".join(o.id for o in offered))
        shown = md(name)  # the browser's file name: text, never markup
        c1, c2 = st.columns([5, 1])
        if offered and problems:
            c1.warning(
                f"**{shown}**: {counted(len(offered), 'offering')} joined the ranking ({joined}), "
                f"but {counted(len(problems), 'problem')} left the rest out:\n\n{listed}"
            )
        elif problems:
            c1.error(f"**{shown}** was not loaded — {counted(len(problems), 'problem')}:\n\n{listed}")
        elif offered:
            c1.success(f"**{shown}**: {counted(len(offered), 'offering')} joined the ranking: {joined}")
        else:
            c1.warning(f"**{shown}**: no offering loaded")
        vid = offered[0].vendor.id if offered else None
        if vid and name.rsplit(".", 1)[0] != vid:
            c1.caption(
                f"Its vendor id is {markdown_code(vid)}: in a catalog repository save it as "
                f"{markdown_code(f'vendors/{vid}.yaml')} "
                "(`shortlist validate` requires the file name to match the id)."
            )
        c2.button("Remove", key=f"rm_{name}", on_click=_remove, args=(name,))
