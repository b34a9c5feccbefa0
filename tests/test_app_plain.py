"""The app's main views in plain words (issue 15), under AppTest on the frozen catalog:
the Shortlist leader box, the Policy page's priorities, the Robustness page's words."""

from __future__ import annotations

import json

import pytest

from tests.test_app import apply, leader, page, start, text_of


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


def test_robustness_opening_names_the_offering_first_more_often(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 15: when another offering is first in more weight variations than the leader,
    the page's opening sentence says so, with both shares (frozen catalog, bank preset with
    response time at 17 points: the leader first in 36%, Mistral Small 4 in 44%)."""
    at = start(monkeypatch)
    apply(at.slider(key="w_response_time").set_value(17))
    page(at, "robustness")
    opening = next(m.value for m in at.markdown if "leads on your weights" in m.value)
    assert opening.startswith("GPT-6 Luna — Azure OpenAI")
    assert (
        "but Mistral Small 4 — Mistral La Plateforme" in opening
        and "is first more often (44% vs 36%" in opening
    )
    assert opening.endswith("the lead is not robust.")
    assert at.markdown[0].value == opening  # the page's first sentence


def test_robustness_opening_on_a_robust_lead(monkeypatch: pytest.MonkeyPatch) -> None:
    at = page(start(monkeypatch), "robustness")
    opening = at.markdown[0].value
    assert (
        opening.startswith("GPT-6 Luna — Azure OpenAI")
        and "stays first in 64% of 10,000 variations" in opening
    )
    assert "first more often" not in opening


def test_policy_main_text_has_no_codes_ids_or_exit_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 15: the Policy page speaks to a buyer: no reason codes (``rule.unknown``), no
    CLI words in the summary, offerings by name, no row-number column, and a ``min_grade``
    finding says the rule is not confirmed (never that the requirement holds)."""
    at = page(start(monkeypatch), "policy")
    findings = next(t.value for t in at.table if "found" in t.value.columns)
    cells = [str(x) for x in (*findings.index, *findings.columns, *findings.to_numpy().ravel())]
    assert not any("rule." in c or "min_score." in c for c in cells)
    assert (
        findings.index.name == "offering"
        and "GPT-6 Luna — Azure OpenAI / Microsoft Foundry - Data Zone (EU)" in set(findings.index)
    )
    assert not any(c.endswith(("-api", "-datazone", "-vertex")) for c in findings.index)
    regions = findings[findings["rule"] == "Processing regions rest on primary evidence"]
    assert set(regions["outcome"]) == {"not confirmed: evidence too weak"}
    assert all("this rule accepts only primary evidence or stronger" in f for f in regions["found"])
    assert not any(f.startswith("Processing regions rest on") for f in regions["found"])
    main = [m.value for m in at.markdown] + [i.value for i in at.info]
    assert not any("would exit" in v or "rule." in v for v in main)
    assert any("No rule that blocks approval is broken: the CI check would pass" in v for v in main)
    for t in at.table:  # no 0, 1, 2… column
        assert not isinstance(t.value.index, __import__("pandas").RangeIndex)


def test_catalog_shows_the_catalog_before_the_upload_and_plain_ages(monkeypatch: pytest.MonkeyPatch) -> None:
    at = page(start(monkeypatch), "catalog")
    heads = [h.value for h in at.header]
    assert heads.index("Add vendor profiles") > 0 and heads[0].endswith("offerings")
    table = at.dataframe[0].value
    assert table["offering"].iloc[0] != table["id"].iloc[0]  # names first, ids kept
    assert all(a == "today" or a.endswith(" ago") or a.startswith("dated ") for a in table["checked"])
    assert "1 MiB (1,048,576 bytes)" in at.file_uploader[0].label
