"""The app shows the rank ranges over unknown facts (frozen catalog, AppTest):
the Compare page's "Which unknowns matter" and result row, the Shortlist page's table."""

from __future__ import annotations

import engine
from engine.mcda.unknowns import range_sentence, range_short, ranges_of
from tests.test_app import apply, page, start, text_of
from ui.unknowns import said

GAP = "scaleway-genapi-mistral-medium-3.5"  # out today on an unknown ISO 27001 only


def test_compare_page_lists_each_unknown(monkeypatch):
    at = page(start(monkeypatch), "compare")
    pick = [GAP, "mistral-small-4-api"]
    at.multiselect(key="p_compare").set_value(pick).run()
    assert not at.exception and not at.error
    result = at.table[0].value
    # the columns are named by model — channel (issue 15); the ids are in the caption under the table
    name = {r.offering_id: r.offering for r in at.session_state["_ctx"].ranking.rows}
    row = result.loc["rank range over its unknowns"].rename({name[o]: o for o in pick})
    assert row[GAP].startswith("excluded; ") and "at best" in row[GAP]
    text = text_of(at)
    assert "Which unknowns matter" in " ".join(h.value for h in at.header)
    # the same sentences as the engine's, for the app's ranking (the bank preset by default)
    import datetime as dt

    from engine.catalog.loading import load_priorities_doc
    from tests.conftest import CRITERIA, VENDORS

    p, _ = load_priorities_doc(CRITERIA / "presets" / "regulated-eu-bank.yaml")
    on = p.on_date or dt.date.today()
    ranking = engine.rank(engine.load_catalog([VENDORS]), engine.load_criteria(CRITERIA), p, on_date=on)
    rr = ranges_of(ranking, p)
    labels = at.session_state["_ctx"].labels
    for oid in pick:
        assert range_sentence(rr[oid]).split(";")[0] in text
        assert range_short(rr[oid]) == row[oid]
        for u in rr[oid].unknowns:  # criteria by name (issue 15): ui.unknowns.said
            assert said(u, 3, labels).split(":")[0] in text
    assert "iso27001 (must-have)" in text
    assert any("The shortlist is the top 3" in c.value for c in at.caption)
    # offerings by name, not id, in the main text (issue 15)
    assert not any(
        oid in m.value for oid in pick for m in at.markdown if not m.value.startswith("Same bytes")
    )


def test_shortlist_page_table_of_ranges(monkeypatch):
    at = start(monkeypatch)
    frames = [d.value for d in at.dataframe if "range" in d.value.columns]
    assert len(frames) == 1
    table = frames[0]
    ranked = at.dataframe[0].value["id"].tolist()  # the ranking comes first (names shown, ids kept)
    # offerings by name and criteria by label (issue 15; were ids and "can cross the top-3 cut")
    from ui.plain import display_names

    name = display_names({r.offering_id: r.offering for r in at.session_state["_ctx"].ranking.rows})
    listed = table["offering"].tolist()
    assert listed[: len(ranked)] == [name[o] for o in ranked]  # every ranked offering, in rank order
    assert name[GAP] in listed[len(ranked) :]  # kept out by a gap, could reach the top 3
    assert "can change the top 3" in table.columns
    assert not any("_" in str(v) for v in table["can change the top 3"])  # no criterion ids
    # a weight change re-ranks, and the ranges follow
    apply(at.slider(key="w_capability").set_value(0))
    assert not at.exception
    again = next(d.value for d in at.dataframe if "range" in d.value.columns)
    assert again["offering"].tolist()[: len(ranked)] != listed[: len(ranked)] or not again.equals(table)
