"""The Sovereignty page and the sidebar's minimum SEALs (issue 16, App) on the frozen
2026-11-29 catalog (AppTest): the page shows the leader's overall SEAL with its
governing criterion, the score as a range while gaps remain, every answer with its
evidence and the gaps; a minimum SEAL set in the sidebar gates the ranking, travels in
the link and is in the exported priorities and the decision record, equal to the CLI's
ranking with those priorities."""

from __future__ import annotations

import dataclasses

import pytest
import yaml

import engine
from engine.reports.escape import streamlit_markdown
from tests.conftest import CRITERIA
from tests.reports.test_escape_outputs import MODEL_A, hostile  # noqa: F401
from tests.test_app import cli_csv, page, ranking_ids, saved_priorities, start
from tests.test_app_escaping import _bodies, _safe
from ui import seal, state

LEADER = (
    "azure-openai-gpt-6-luna-eu-datazone"  # bank preset's leader: SEAL-1 on SOV-1 (operator outside the EEA)
)
HAIKU = "anthropic-claude-haiku-5.5-api"  # SEAL-0 on SOV-3 (SOV-3.4), excluded by the bank's must-haves
MISTRAL = "mistral-large-4-api"  # no criterion answered: every gap open


def _headline(at) -> str:
    return next(m.value for m in at.main.markdown if "Sovereignty score" in m.value)


def _sovereignty(monkeypatch, query: dict | None = None):
    return page(start(monkeypatch, query=query), "sovereignty")


def test_the_page_shows_the_leaders_seal_its_governing_criterion_gaps_and_score_range(monkeypatch):
    at = _sovereignty(monkeypatch)
    assert not at.error and at.title[0].value.startswith("Sovereignty")
    assert at.selectbox(key="p_sovereignty").value == LEADER
    head = _headline(at)
    assert head.startswith("**GPT-6 Luna — Azure OpenAI / Microsoft Foundry - Data Zone (EU)** (the leader")
    assert (
        "overall **SEAL-1 (Jurisdictional sovereignty)**, set by SOV-1.1 (EU/EEA legal entity control)"
        in head
    )
    assert 'answer "Mostly outside the EU"' in head
    assert "Sovereignty score between 3.0% and 92.2%; 43 of 48 criteria unanswered." in head
    # objectives x SEAL: one row per objective, the counts in the cells, the gaps apart
    table = at.main.table[0].value
    assert len(table) == 8 and list(table.columns)[:6] == ["objective SEAL", *(f"SEAL-{s}" for s in range(5))]
    assert table.iloc[0]["objective SEAL"] == "SEAL-1" and table.iloc[0]["SEAL-1"] == "1"
    assert table.iloc[0]["unanswered"] == "7" and table.iloc[3]["objective SEAL"] == "not answered yet"
    # the governing objective opens with its answer, rule and evidence; the gaps are to ask for
    labels = [e.label for e in at.main.expander]
    assert (
        "SOV-1 Strategic sovereignty: SEAL-1 (Jurisdictional sovereignty), set by SOV-1.1 · 1 of 8 answered"
        in labels
    )
    sov1 = at.main.expander[labels.index(next(x for x in labels if x.startswith("SOV-1 ")))]
    text = "\n".join(m.value for m in sov1.markdown)
    assert "rule `operator-outside-eea-control`" in text
    assert (
        "Evidence: offering profile, 2026-11-29" in text
        and "(<https://infercheck.eu/en/provider/azure>)" in text
    )
    assert (
        "**Not answered yet (7): ask the operator.**" in text and "**SOV-1.2** Change of Control Risk" in text
    )
    sov4 = at.main.expander[labels.index(next(x for x in labels if x.startswith("SOV-4 ")))]
    assert sov4.label.endswith("no SEAL yet · 0 of 6 answered")
    assert "**Not answered yet (6): ask the operator.**" in sov4.markdown[0].value
    # every offering at a glance
    overview = at.main.dataframe[0].value
    first = overview.iloc[0]
    assert first["id"] == LEADER and first["rank"] == "1" and first["SEAL"] == "SEAL-1"
    assert first["answered"] == "5 of 48" and first["score %"] == "3.0 to 92.2"
    assert first["minimum SEALs"] == "no minimum set"
    assert overview.set_index("id").loc[MISTRAL, "SEAL"] == "none yet"


def test_another_offering_by_name_and_by_link(monkeypatch):
    at = _sovereignty(monkeypatch)
    at.selectbox(key="p_sovereignty").set_value(HAIKU).run()
    head = _headline(at)
    assert "(excluded): overall **SEAL-0 (No sovereignty)**, set by SOV-3.4" in head
    assert at.query_params["sovereignty"] == HAIKU
    at = _sovereignty(monkeypatch, {"sovereignty": MISTRAL})
    head = _headline(at)
    assert "no SEAL yet: none of the 48 criteria is answered" in head
    assert "between 0.0% and 100.1%; 48 of 48 criteria unanswered" in head
    at = _sovereignty(monkeypatch, {"sovereignty": "no-such-offering"})
    assert any("'no-such-offering' is not in the catalog now; showing" in w.value for w in at.warning)
    assert at.selectbox(key="p_sovereignty").value == LEADER


def test_a_minimum_seal_in_the_sidebar_excludes_the_offerings_below_it(monkeypatch, tmp_path):
    at = start(monkeypatch)
    assert LEADER in ranking_ids(at)
    at.selectbox(key=state.seal_key("SOV-1")).set_value(2).run()
    assert not at.exception and LEADER not in ranking_ids(at)  # SEAL-1 on SOV-1: below SEAL-2
    assert MISTRAL in ranking_ids(at)  # unanswered: a gap, not a failure (gaps pass by default)
    on = next(c.value for c in at.sidebar.caption if c.value.startswith("On: "))
    assert "minimum SEAL-2 on SOV-1 (gaps pass)" in on
    assert at.query_params["seal"] == "SOV-1:2" and at.query_params["seal_unknown"] == "1"
    # the exported priorities hold it as a priorities file writes it, and the CLI ranks the same
    exported = yaml.safe_load(at.session_state["export_priorities_yaml"])
    rule = next(r for r in exported["requirements"] if r["field"] == "seal.SOV-1")
    assert rule["op"] == "min" and rule["value"] == 2 and rule["allow_unknown"] is True
    assert at.session_state["export_csv"] == cli_csv("--priorities", saved_priorities(at, tmp_path))
    from ui.exports import record_markdown

    record = record_markdown(at.session_state["_ctx"])
    assert "SEAL-2 or above on SOV-1 (Strategic sovereignty)" in record
    # the page says why
    page(at, "sovereignty")
    assert at.selectbox(key="p_sovereignty").value == MISTRAL  # the new leader
    at.selectbox(key="p_sovereignty").set_value(LEADER).run()
    assert "Against your minimum SEALs (sidebar, must-haves): below the minimum on SOV-1." in "\n".join(
        c.value for c in at.main.caption
    )
    overview = at.main.dataframe[0].value.set_index("id")
    assert overview.loc[LEADER, "minimum SEALs"] == "below the minimum on SOV-1"
    assert overview.loc[LEADER, "rank"] == "excluded"
    assert overview.loc[MISTRAL, "minimum SEALs"] == "open: gaps could still be below"
    # gaps fail when the buyer says so: every offering has SOV-1 gaps that could be below SEAL-2
    at.checkbox(key=state.SEAL_UNKNOWN).set_value(False).run()
    ranking = at.session_state["_ctx"].ranking
    assert not at.exception and not ranking.ranked
    assert {r.exclusion for r in ranking.rows if r.offering_id != LEADER} == {"evidence gap", "fails"}
    assert at.query_params["seal_unknown"] == "0"


def test_the_sovereign_preset_fills_the_minimums_and_exports_them_unchanged(monkeypatch, tmp_path):
    at = start(monkeypatch)
    at.selectbox(key="preset").set_value("sovereign-public-admin").run()
    for o in range(1, 9):
        assert at.selectbox(key=state.seal_key(f"SOV-{o}")).value == 2
    assert at.checkbox(key=state.SEAL_UNKNOWN).value is True
    assert not [c for c in at.sidebar.checkbox if c.key and c.key.startswith("req_seal2")]  # not twice
    on = next(c.value for c in at.sidebar.caption if c.value.startswith("On: "))
    assert "minimum SEAL-2 on all 8 sovereignty objectives (gaps pass)" in on
    exported = yaml.safe_load(at.session_state["export_priorities_yaml"])
    ids = [r["id"] for r in exported["requirements"]]
    assert ids == [
        "eu-processing",
        "eu-operator",
        *(f"seal2-sov-{o}" for o in range(1, 9)),
    ]  # the preset's own
    assert at.session_state["export_csv"] == cli_csv("--priorities", "sovereign-public-admin")
    # one minimum removed and one raised: the others stay the preset's
    at.selectbox(key=state.seal_key("SOV-3")).set_value(None).run()
    at.selectbox(key=state.seal_key("SOV-2")).set_value(3).run()
    exported = yaml.safe_load(at.session_state["export_priorities_yaml"])
    seals = {
        r["field"]: (r["id"], r["value"]) for r in exported["requirements"] if r["field"].startswith("seal")
    }
    assert "seal.SOV-3" not in seals and seals["seal.SOV-2"] == ("app-seal-sov-2", 3)
    assert seals["seal.SOV-1"] == ("seal2-sov-1", 2)
    assert at.session_state["export_csv"] == cli_csv("--priorities", saved_priorities(at, tmp_path))
    assert at.query_params["seal"] == "SOV-1:2,SOV-2:3,SOV-4:2,SOV-5:2,SOV-6:2,SOV-7:2,SOV-8:2"


def test_a_link_sets_the_minimums_and_a_bad_one_is_explained(monkeypatch):
    at = start(monkeypatch, query={"seal": "SOV-1:2"})
    assert at.selectbox(key=state.seal_key("SOV-1")).value == 2 and LEADER not in ranking_ids(at)
    at = start(monkeypatch, query={"seal": "SOV-1:7,SOV-2:2"})
    assert at.selectbox(key=state.seal_key("SOV-1")).value is None and LEADER in ranking_ids(at)
    said = streamlit_markdown("seal='SOV-1:7,SOV-2:2' is not a comma-separated list <objective>:<SEAL 0-4>")
    assert any(said in w.value for w in at.warning)
    at = start(monkeypatch, query={"seal": "SOV-9:2"})  # not an objective of the framework: said, ignored
    assert not at.exception and LEADER in ranking_ids(at)
    said = streamlit_markdown("'SOV-9' is not an objective of eucsf-1.2.1: ignored.")  # quoted, cut if long
    assert any(said in c.value for c in at.sidebar.caption), [c.value for c in at.sidebar.caption]


@pytest.mark.parametrize("level", sorted(seal.SEAL_COLOURS))
def test_the_heat_map_colours_pass_wcag_aa_contrast(level):
    bg, fg = seal.SEAL_COLOURS[level]
    assert seal.contrast(bg, fg) >= 4.5
    assert seal.contrast("#ffffff", "#000000") == pytest.approx(21.0)


def test_plain_words_of_an_assessment(bundled, criteria):
    """The page's sentences and tables (ui.seal), on the bank preset's leader."""
    p = engine.load_priorities(CRITERIA / "presets" / "regulated-eu-bank.yaml")
    ranking = engine.rank(bundled, criteria, p)
    sov = seal.framework_of(criteria, p)
    assert sov is not None
    a = ranking.rows[0].sovereignty
    assert a is not None and ranking.rows[0].offering_id == LEADER
    assert seal.score_range(a) == "between 3.0% and 92.2%; 43 of 48 criteria unanswered"
    assert seal.score_range(dataclasses.replace(a, gaps=())) == "3.0% (all 5 criteria answered)"
    assert seal.seal_sentence(sov.framework, a).startswith("overall **SEAL-1 (Jurisdictional sovereignty)**")
    nothing = dataclasses.replace(a, answers=(), seal=None, governing=None)
    assert seal.seal_sentence(sov.framework, nothing).startswith("no SEAL yet")
    assert seal.short_label("2. Mostly outside the EU", 2) == "Mostly outside the EU"
    assert seal.short_label(None, 3) == "option 3 (no label in the source)"
    frame, levels = seal.heat_map(sov.framework, a)
    assert frame.shape == (8, 9) and [len(r) for r in levels] == [9] * 8
    assert levels[0][:3] == [1, None, 1]  # SOV-1: SEAL-1, no SEAL-0 answer, one SEAL-1 answer
    assert seal.cell_style(None) == seal.GAP_STYLE
    assert seal.gate_outcome(ranking.rows[0], seal.seal_requirements(p)) == "no minimum set"


def test_hostile_names_and_sources_are_shown_as_text(monkeypatch, hostile):  # noqa: F811
    at = start(monkeypatch, str(hostile), query={"preset": "cost-first-startup"})
    at.session_state["p_sovereignty"] = "hostile-a"
    at = page(at, "sovereignty")
    head = _headline(at)
    assert streamlit_markdown(MODEL_A) in head
    for body in [*_bodies(at), *(e.label for e in at.expander)]:
        _safe(body)
    frame = at.main.table[0].value
    for cell in [str(x) for x in (*frame.index, *frame.columns, *frame.to_numpy().ravel())]:
        _safe(cell)


def _decode(params: dict[str, str]):
    presets = {p.stem: engine.load_priorities(p) for p in (CRITERIA / "presets").glob("*.yaml")}
    return state.decode_query(
        params,
        presets,
        engine.load_criteria(CRITERIA).ids(),
        default_preset="regulated-eu-bank",
        currencies=["EUR"],
        regions=state.known_regions(),
    )


def test_changed_minimums_survive_the_url_and_give_the_same_priorities(criteria):
    stem = "sovereign-public-admin"
    preset = engine.load_priorities(CRITERIA / "presets" / f"{stem}.yaml")
    ids = criteria.ids()
    s = state.preset_state(preset, ids, stem)
    s.update({state.seal_key("SOV-3"): None, state.seal_key("SOV-2"): 3, state.SEAL_UNKNOWN: False})
    q = state.encode_query(s, preset, ids)
    assert q["seal"] == "SOV-1:2,SOV-2:3,SOV-4:2,SOV-5:2,SOV-6:2,SOV-7:2,SOV-8:2" and q["seal_unknown"] == "0"
    assert "seal2" not in q["req"]  # the minimums are not checkboxes
    back, problems = _decode(q)
    assert problems == []
    a = state.priorities_from_state(s, preset, ids, criteria)
    assert a == state.priorities_from_state(back, preset, ids, criteria)
    rules = {r.field: r for r in a.requirements if r.field.startswith("seal")}
    assert "seal.SOV-3" not in rules and not rules["seal.SOV-1"].allow_unknown  # the switch applies to all
    assert rules["seal.SOV-2"].message == "SEAL-3 or above on SOV-2 (Legal and jurisdictional sovereignty)"


@pytest.mark.parametrize("bad", ["SOV-1:2,SOV-1:3", "SOV-1:5", "SOV-1", "sov-1:2", "SOV-1:2 ", "SOV-0:1"])
def test_a_bad_seal_parameter_is_explained_and_the_presets_minimums_stay(bad):
    s, problems = _decode({"preset": "sovereign-public-admin", "seal": bad})
    assert len(problems) == 1 and problems[0].startswith("seal=")
    assert all(s[state.seal_key(f"SOV-{o}")] == 2 for o in range(1, 9))


@pytest.mark.parametrize("back_to", ["regulated-eu-bank", "cost-first-startup"])
def test_a_preset_without_seal_minimums_clears_the_previous_presets(monkeypatch, back_to):
    """The trial's case: after the sovereign preset (SEAL-2 on every objective), choosing a
    preset with no minimum kept all eight in force, in the sidebar and the link, and the
    ranking was no longer the preset's."""
    at = start(monkeypatch)
    at.selectbox(key="preset").set_value("sovereign-public-admin").run()
    assert at.query_params.get("seal")
    at.selectbox(key="preset").set_value(back_to).run()
    assert not at.exception
    assert [s.value for s in at.selectbox if s.key and s.key.startswith(state.SEAL_PREFIX)] == [None] * 8
    assert not at.query_params.get("seal")
    assert at.session_state["export_csv"] == cli_csv("--priorities", back_to)
