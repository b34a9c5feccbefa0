"""The downloads: exactly what is on screen, in the formats the CLI writes.

- CSV: ``engine.to_csv`` of the ranking on screen, byte-identical to ``shortlist rank
  --format csv --priorities priorities.yaml`` with the downloaded priorities;
- Excel: ``engine.to_xlsx`` (the ranking, a sheet of inputs, a sheet of sources);
- the decision record: ``engine.reports.record.decision_record`` with the robustness summary;
- the priorities as YAML that ``shortlist rank --priorities`` and CI accept unchanged
  (the price date pinned, so the CLI reproduces the same bytes on another day).

The record and the workbook are built when their button is clicked (the record needs
the SMAA sampling), so a slider move never pays for them; no download reruns the page.
"""

from __future__ import annotations

import hashlib

import streamlit as st

import engine
from engine.catalog.loading import catalog_roots, file_digests
from engine.reports.record import decision_record
from ui.common import Context, criteria_dir, robustness, vendors_dir


def priorities_yaml(ctx: Context) -> str:
    """The current priorities as YAML, with the price date pinned."""
    assert ctx.priorities is not None and ctx.ranking is not None
    return engine.priorities_yaml(ctx.priorities.model_copy(update={"on_date": ctx.ranking.on_date}))


def workbook(ctx: Context) -> bytes:
    """The Excel workbook of what is on screen (same bytes as ``shortlist rank --format
    xlsx`` with the downloaded priorities)."""
    assert ctx.ranking is not None and ctx.priorities is not None
    return engine.to_xlsx(ctx.ranking, ctx.priorities, ctx.catalog)


def record_markdown(ctx: Context) -> str:
    """The decision record of what is on screen (Markdown).

    Input digests: each vendor profile (named from the catalog root as the CLI names
    it, uploads ``upload:…``), the criteria files, and the priorities as downloaded
    (``priorities.yaml``).
    """
    ranking, priorities = ctx.ranking, ctx.priorities
    assert ranking is not None and priorities is not None
    digests = dict(ctx.catalog.digests)  # named when loaded (ui.common.load_catalog)
    digests.update(file_digests(ctx.criteria.files, catalog_roots(vendors_dir(), criteria_dir())))
    digests["priorities.yaml"] = hashlib.sha256(priorities_yaml(ctx).encode("utf-8")).hexdigest()
    report = robustness(ranking.inputs_digest, ranking, priorities.robustness)[0] if ranking.ranked else None
    return decision_record(
        ranking,
        priorities,
        input_digests=digests,
        version=engine.__version__,
        robustness=report,
        answer_files=ctx.catalog.answer_files,
        answer_uses=ctx.catalog.answer_uses,
        answer_problems=ctx.catalog.answer_problems,
    )


def export_buttons(ctx: Context) -> None:
    """Draw the download buttons of the Shortlist page."""
    ranking = ctx.ranking
    assert ranking is not None
    ss = st.session_state
    st.subheader("Export")
    csv_bytes = engine.to_csv(ranking)
    prio_yaml = priorities_yaml(ctx)
    c1, c2, c3 = st.columns(3)
    c1.download_button(
        "Download shortlist (CSV)", csv_bytes, "shortlist.csv", "text/csv", key="dl_csv", on_click="ignore"
    )
    c1.download_button(
        "CSV for Excel (UTF-8 BOM)",
        lambda: engine.to_csv(ranking, excel=True),
        "shortlist-excel.csv",
        "text/csv",
        key="dl_csv_excel",
        on_click="ignore",
    )
    c2.download_button(
        "Excel workbook (ranking, inputs, sources)",
        lambda: workbook(ctx),
        "shortlist.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="dl_xlsx",
        on_click="ignore",
    )
    c2.download_button(
        "Decision record (Markdown)",
        lambda: record_markdown(ctx),
        "decision-record.md",
        "text/markdown",
        key="dl_record",
        on_click="ignore",
    )
    c3.download_button(
        "Priorities (YAML for the CLI)",
        prio_yaml,
        "priorities.yaml",
        "application/x-yaml",
        key="dl_yaml",
        on_click="ignore",
    )
    ss["export_csv"] = csv_bytes  # what the buttons hold (read by the tests)
    ss["export_priorities_yaml"] = prio_yaml
    st.caption(
        "Same bytes as `shortlist rank --priorities priorities.yaml --format csv` with the downloaded "
        f"priorities. Inputs digest {ranking.inputs_digest[:16]}… · prices on {ranking.on_date.isoformat()}."
    )
