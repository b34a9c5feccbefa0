"""The app's main views in plain words (issue 15), under AppTest on the frozen catalog:
the Shortlist leader box, the Policy page's priorities, the Robustness page's words."""

from __future__ import annotations

import json

import pytest

from tests.test_app import leader, page, start, text_of


def test_leader_box_names_contracting_party_why_and_caveat(monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(monkeypatch)
    ranking = at.session_state["_ctx"].ranking
    lead = ranking.ranked[0]
    assert leader(at) == lead.offering_id
    box = text_of(at)
    # the human name first, the contracting party (Azure's operator) beside the model maker
    assert f"Leader: **{lead.offering}** — contracting party **Microsoft**, model by OpenAI." in box
    assert "**Why it leads:** against the runner-up, it gains on " in box
    assert "**Caveat:** Response time unknown (counted as worst)" in box
    assert "Compliance (25%): 3.5 of 4 wanted certifications (a claim counts half)" in box
    assert f"Monthly cost (10%): {ranking.currency} " in box and " / month" in box
    table = at.dataframe[0].value
    assert list(table.columns[:5]) == ["rank", "offering", "contracting party", "model by", "score"]
    assert table["offering"].iloc[0] == lead.offering and table["id"].iloc[0] == lead.offering_id
    assert "None" not in " ".join(table["caveats"].astype(str))


def test_policy_page_says_whose_priorities_and_checks_under_the_sidebars(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    at = start(monkeypatch, query={"preset": "cost-first-startup"})
    page(at, "policy")
    info = " ".join(i.value for i in at.info)
    assert "Checked under **the policy's own priorities: Regulated EU bank**" in info
    assert "The sidebar's priorities are Cost-first start-up." in info
    own = json.loads(at.session_state["export_policy_json"])
    at.toggle(key="p_policy_sidebar").set_value(True).run()
    assert not at.exception
    assert any(
        "What-if: checked under the sidebar's priorities (Cost-first start-up)" in w.value for w in at.warning
    )
    mine = json.loads(at.session_state["export_policy_json"])
    assert own != mine


def test_robustness_main_view_speaks_plainly(monkeypatch: pytest.MonkeyPatch) -> None:
    at = page(start(monkeypatch), "robustness")
    assert "variations of your weights" in text_of(at) and "in this picture" in text_of(at)
    outside = [m.value for m in at.markdown] + [c.value for c in at.caption]
    inside = {m.value for e in at.expander for m in (*e.markdown, *e.caption)}
    assert not any(("Dirichlet" in v or "concentration 50" in v) for v in outside if v not in inside)
