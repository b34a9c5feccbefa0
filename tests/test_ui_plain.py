"""Plain words of the app's main view (ui/plain.py), on the frozen 2026-11-29 catalog."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

import engine
from engine.catalog.evidence import Age, Fact
from engine.mcda.scoring import Coverage
from tests.conftest import CRITERIA, VENDORS
from ui import plain


@pytest.fixture(scope="module")
def ranking() -> engine.Ranking:
    criteria = engine.load_criteria(str(CRITERIA))
    catalog = engine.load_catalog([str(VENDORS)])
    priorities = engine.load_priorities(str(CRITERIA / "presets" / "regulated-eu-bank.yaml"))
    return engine.rank(catalog, criteria, priorities)


def spec(ranking: engine.Ranking, cid: str):  # type: ignore[no-untyped-def]
    return next(c for c in ranking.criteria if c.id == cid)


LABELS = {"response_time": "Response time", "capability": "Capability", "compliance": "Compliance"}


def test_values_carry_their_unit_and_currency(ranking: engine.Ranking) -> None:
    cell = engine.Cell(53.7057, 0.9, 9.9)
    assert plain.value_text(spec(ranking, "monthly_cost"), cell, "EUR") == "EUR 53.71 / month"
    big = engine.Cell(5370.57, 0.3, 3.2)
    assert plain.value_text(spec(ranking, "monthly_cost"), big, "CHF") == "CHF 5,371 / month"
    assert plain.value_text(spec(ranking, "response_time"), engine.Cell(3.488, 0.9, 4.5), "EUR") == "3.5 s"
    assert plain.value_text(spec(ranking, "context_window"), engine.Cell(262144.0, 0.7, 3.6), "EUR") == (
        "262,144 tokens"
    )
    assert plain.value_text(spec(ranking, "transparency"), engine.Cell(35.0, 0.35, 3.5), "EUR") == (
        "35 of 100 (FMTI)"
    )


def test_levels_and_shares_read_as_a_buyer_would(ranking: engine.Ranking) -> None:
    openness = spec(ranking, "openness")
    assert plain.value_text(openness, engine.Cell("open_osi", 1.0, 0.0), "EUR") == "open weights, OSI licence"
    assert plain.value_text(openness, engine.Cell("closed", 0.0, 0.0), "EUR") == "closed weights"
    compliance = spec(ranking, "compliance")
    wanted = ("iso27001", "soc2_type2", "iso42001", "c5")
    assert plain.value_text(compliance, engine.Cell(0.75, 0.75, 18.75), "EUR", wanted) == (
        "3 of 4 wanted certifications"
    )
    assert plain.value_text(compliance, engine.Cell(0.875, 0.875, 21.9), "EUR", wanted) == (
        "3.5 of 4 wanted certifications (a claim counts half)"
    )
    jur = spec(ranking, "jurisdiction")
    assert plain.value_text(jur, engine.Cell(0.5, 0.5, 5.0), "EUR") == "1 of 2 (developer, operator) trusted"


def test_unknown_says_how_it_counts(ranking: engine.Ranking) -> None:
    cap = spec(ranking, "capability")
    assert (
        plain.value_text(cap, engine.Cell(None, 0.0, 0.0, imputed=True), "EUR")
        == "unknown (counted as worst)"
    )
    assert plain.value_text(cap, engine.Cell(None, None, None), "EUR") == "unknown"
    assert plain.value_text(cap, None, "EUR") == "unknown"


def test_certification_names_not_ids() -> None:
    assert plain.cert_name("iso27001") == "ISO/IEC 27001"
    assert plain.cert_name("soc2_type2") == "SOC 2 Type II"
    assert plain.cert_name("c5") == "BSI C5"
    assert set(plain.CERT_NAMES) == set(engine.catalog.schema.CERTIFICATION_IDS)  # every id has a name
    assert plain.cert_name("made_up") == "made_up"


def test_caveats_name_unknowns_and_group_stale_facts(ranking: engine.Ranking) -> None:
    lead = ranking.ranked[0]
    assert plain.caveats(lead, LABELS) == ["Response time unknown (counted as worst)"]
    assert plain.caveats(lead, LABELS, short=True) == ["Response time unknown"]
    fact = Fact("certifications", "certifications.iso27001", dt.date(2024, 1, 1), "primary", (), False)
    old = replace(
        lead, stale=(Age(fact, 400, 365), Age(fact, 500, 365)), reasons=(*lead.reasons, "stale data: x")
    )
    assert plain.caveats(old, LABELS)[1:] == ["certifications out of date (2 facts)"]


def test_why_the_leader_leads_names_the_criteria_it_gains_and_loses_on(ranking: engine.Ranking) -> None:
    lead, runner = ranking.ranked[0], ranking.ranked[1]
    why = plain.why_leads(lead, runner, LABELS)
    gains = {c: lead.cells[c].contribution - runner.cells[c].contribution for c in lead.cells}  # type: ignore[operator]
    best = max(gains, key=lambda c: gains[c])
    assert why.startswith(f"gains on {LABELS.get(best, best)} (+{gains[best]:.1f} points)")
    if min(gains.values()) < -0.05:
        assert "; loses on " in why
    assert plain.why_leads(lead, None, LABELS) == ""


def test_deciders_leave_out_criteria_that_give_everyone_the_same_points(ranking: engine.Ranking) -> None:
    same = plain.constant(ranking.ranked)
    assert "data_residency" in same  # the bank's must-have keeps only EU processing: all 1
    lead = ranking.ranked[0]
    assert "data_residency" not in plain.deciders(lead, {}, 3, same)
    assert plain.deciders(lead, {}, 3).count(" · ") == 2


def test_the_two_criterion_front_is_the_front_of_that_picture() -> None:
    pts = {
        "cheap-weak": (10.0, 30.0),
        "dear-strong": (1000.0, 60.0),
        "middle": (500.0, 40.0),  # dearer than cheap-weak but stronger, cheaper than dear-strong
        "beaten-both": (2000.0, 50.0),  # dear-strong is cheaper and stronger
        "twin": (10.0, 30.0),  # equal to cheap-weak: neither beats the other
    }
    assert plain.front_2d(pts) == {"cheap-weak", "dear-strong", "middle", "twin"}
    assert plain.front_2d({}) == set()


def test_coverage_warning_in_plain_words() -> None:
    cov = [
        Coverage("response_time", 3, 58, 0.05),
        Coverage("capability", 4, 58, 0.15),
        Coverage("monthly_cost", 58, 58, 0.10),
    ]
    assert plain.coverage_warning(cov, LABELS) == (
        "Mostly unknown, so counted as worst for most offerings: Response time (unknown for 55 of 58, "
        "weight 5%); Capability (unknown for 54 of 58, weight 15%). These criteria mostly rank missing data."
    )
    assert plain.coverage_warning(cov[1:], LABELS) == (
        "Mostly unknown, so counted as worst for most offerings: Capability (unknown for 54 of 58, "
        "weight 15%). This criterion mostly ranks missing data."
    )
    assert plain.coverage_warning(cov[2:], LABELS) is None


def test_a_lead_resting_on_the_runner_ups_unknowns_says_so(ranking: engine.Ranking) -> None:
    lead, runner = ranking.ranked[0], ranking.ranked[1]
    cells = dict(runner.cells)
    c = next(k for k, cell in lead.cells.items() if cell.contribution and not cell.imputed)
    gained = lead.cells[c].contribution or 0.0
    # the runner-up's value on c unknown, counted as worst: the leader gains all of c's points
    cells[c] = replace(cells[c], value=None, utility=0.0, contribution=0.0, imputed=True)
    close = replace(runner, cells=cells, score=(lead.score or 0.0) - gained / 2)
    text = plain.lead_on_unknowns(lead, close, LABELS)
    assert text.startswith(f"its lead rests on missing data: the runner-up's {LABELS.get(c, c)} is unknown")
    assert f"worth {gained:.1f} points to the leader, more than its {gained / 2:.1f}-point lead" in text
    far = replace(close, score=(lead.score or 0.0) - 2 * gained - 1)  # the lead holds without those points
    assert plain.lead_on_unknowns(lead, far, LABELS) == ""
    assert plain.lead_on_unknowns(lead, None, LABELS) == ""


# ----------------------------------------------------------------------------- issue 15, other pages


def test_first_more_often_says_when_the_lead_is_not_robust() -> None:
    from ui.plain import first_more_often

    names = {"a": "A — x", "b": "B — y"}
    said = first_more_often("a", {"a": 0.28, "b": 0.30}, names, 10_000)
    assert said == (
        "A — x leads on your weights, but B — y is first more often (30% vs 28% of 10,000 variations of "
        "your weights): the lead is not robust."
    )
    assert "(30.4% vs 29.8%" in first_more_often(
        "a", {"a": 0.298, "b": 0.304}, names, 100
    )  # never 30% vs 30%
    assert first_more_often("a", {"a": 0.64, "b": 0.22}, names, 10_000).endswith(
        "stays first in 64% of 10,000 variations of them."
    )
    assert "but not in most" in first_more_often("a", {"a": 0.4, "b": 0.3}, names, 10)
    assert first_more_often("a", {"a": 1.0}, names, 10).startswith("A — x leads")  # one offering


def test_plain_advice_names_criteria_and_gives_amounts_their_currency() -> None:
    from ui.plain import plain_advice

    labels = {"monthly_cost": "Monthly cost", "capability": "Capability", "cost": "Cost"}
    assert (
        plain_advice(
            "move 2.21 percentage points of weight: monthly_cost 10.00% → 7.79%, capability 15.00% → 17.21%",
            labels,
            "EUR",
        )
        == "move 2.21 percentage points of weight: Monthly cost 10.00% → 7.79%, Capability 15.00% → 17.21%"
    )
    assert plain_advice(
        "a monthly cost 73.8% lower, at most 619.12 instead of 2,363.05, would make it first", labels, "CHF"
    ) == (
        "a monthly cost 73.8% lower, at most CHF 619.12 a month instead of CHF 2,363.05, would make it first"
    )


def test_finding_words_never_reads_as_if_the_requirement_held() -> None:
    from ui.plain import finding_words

    rule = "Processing regions rest on primary evidence"
    outcome, found = finding_words(
        "rule.unknown",
        f"{rule}: residency (processing regions) records no evidence grade; primary or stronger required",
        rule,
    )
    assert outcome == "not confirmed: evidence too weak"
    assert (
        found
        == "residency (processing regions) has no evidence grade; this rule accepts only primary evidence or stronger"
    )
    outcome, found = finding_words(
        "rule.unknown",
        "ISO: vendor.certifications.iso27001 rests on aggregator evidence; primary or stronger required",
        "ISO",
    )
    assert found.startswith("the ISO/IEC 27001 certification rests only on aggregator evidence")
    assert finding_words("rule.failed", "EU only: processing in US", "EU only") == (
        "broken",
        "processing in US",
    )
    assert finding_words("min_score.below", "score 40 below 60", None) == (
        "score below the minimum",
        "score 40 below 60",
    )
    assert (
        finding_words("some.new_code", "x", None)[0] == "new code"
    )  # a code without words: never the raw code


def test_name_ids_and_unknown_text_name_criteria() -> None:
    from ui.plain import display_names, name_ids, unknown_text

    assert name_ids("response_time weighs 5%; c5 is not recorded", {"response_time": "Response time"}) == (
        "Response time weighs 5%; BSI C5 is not recorded"
    )
    assert name_ids("openai-gpt-c5-api and x.c5", {}) == "openai-gpt-c5-api and x.c5"  # inside ids: kept
    assert unknown_text("response_time", "criterion", 1, 3, False, 3, {"response_time": "Response time"}) == (
        "Response time (unknown value): rank 1 if it is the best possible, 3 if the worst · cannot change the top 3"
    )
    assert unknown_text("iso27001", "must-have", None, None, True, 3, {}) == (
        "iso27001 (must-have): still excluded if it passes, excluded if it fails"
    )
    assert display_names({"a": "X", "b": "X", "c": "Y"}) == {"a": "X (a)", "b": "X (b)", "c": "Y"}


def test_a_refused_value_is_echoed_cut():
    from ui.plain import ECHO_CHARS, echoed

    assert echoed("abc") == "'abc'"
    huge = "x" * 200_000
    said = echoed(huge)
    assert len(said) < ECHO_CHARS + 40 and said.endswith("… (200,000 characters)")
    assert echoed("x" * ECHO_CHARS) == repr("x" * ECHO_CHARS)  # at the limit: whole


def test_a_huge_link_value_makes_a_short_message(monkeypatch):
    # every refused link value is echoed cut (ui.plain.echoed), whichever parameter it is
    from tests.test_app import start

    for query in ({"sovereignty": "x" * 200_000}, {"preset": "y" * 100_000}, {"w_capability": "9" * 50_000}):
        at = start(monkeypatch, query=query)
        assert not at.exception
        said = [w.value for w in at.warning] + [c.value for c in at.caption]
        assert said and all(len(x) < 2_000 for x in said), [len(x) for x in said]
