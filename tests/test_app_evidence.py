"""The Evidence page (issue 14, App): per offering its rank range over unknown facts and
the questions that decide it, whom to ask, the questionnaire downloads (byte-identical
to ``shortlist rfi``), the selection in the link, and hostile names shown as text
(frozen catalog, AppTest)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

import engine
from engine.catalog.loading import load_priorities_doc
from engine.cli import main
from engine.cli.rfi import SUFFIXES as CLI_SUFFIXES
from engine.cli.rfi import WORKBOOK as CLI_WORKBOOK
from engine.mcda.unknowns import range_sentence, ranges_of
from engine.reports.escape import streamlit_markdown
from tests.conftest import CRITERIA, VENDORS, offering_yaml, vendor_yaml
from tests.test_app import apply, page, start
from tests.test_app_escaping import _bodies, _safe
from ui import evidence as ev_mod
from ui.exports import priorities_yaml
from ui.unknowns import said

SCALEWAY = "scaleway-genapi-mistral-medium-3.5"  # out today on an unknown ISO 27001 only
OVH = "ovhcloud-ai-endpoints-qwen3.5-397b"  # rank 14 today, 2 at best: its certifications decide
FAILS = "deepseek-v4-pro-api"  # fails a must-have on a known fact: not listed


def _evidence(monkeypatch, query: dict | None = None):
    return page(start(monkeypatch, query=query), "evidence")


def _texts(at) -> str:
    return "\n".join(_bodies(at) + [e.label for e in at.expander])


def _bank_ranges():
    p, _ = load_priorities_doc(CRITERIA / "presets" / "regulated-eu-bank.yaml")
    ranking = engine.rank(engine.load_catalog([VENDORS]), engine.load_criteria(CRITERIA), p)
    return ranges_of(ranking, p)


def test_the_bank_preset_shows_scaleway_with_the_questions_that_decide_it(monkeypatch):
    at = _evidence(monkeypatch)
    assert not at.error and at.title[0].value.startswith("Evidence")
    at.selectbox(key="p_evidence").set_value(SCALEWAY).run()
    assert not at.exception
    rr = _bank_ranges()[SCALEWAY]
    shown = next(m.value for m in at.markdown if f"`{SCALEWAY}`" in m.value and "today" in m.value)
    assert shown.startswith("**Mistral Medium 3.5 128B — Scaleway Generative APIs - Serverless**")
    assert streamlit_markdown(range_sentence(rr)) in shown
    assert "excluded today; rank 1 at best if the 3 unknowns below are answered favourably" in shown
    text = _texts(at)
    labels = at.session_state["_ctx"].labels
    for u in rr.unknowns:  # criteria by name, in plain words (issue 15): ui.unknowns.said
        assert streamlit_markdown(said(u, 3, labels)) in text
    # the deciding questions go to the operator, the must-have's first, with why it matters
    deciding = next(m.value for m in at.markdown if m.value.startswith("**Ask Scaleway (operator"))
    assert "questionnaire `operator-scaleway`" in deciding
    first = deciding.split("\n- ")[1]
    assert first.startswith("**Q1. Does this offering hold ISO/IEC 27001")
    assert (
        # ids by name in the main view (issue 15): the questionnaire files keep "must-have iso27001"
        "must-have ISO/IEC 27001 (Processor holds (or claims) ISO 27001) is unknown, so the offering is excluded"
        in first
    )
    assert "Evidence wanted: ISO/IEC 27001 certificate" in first and "Answer: one of: certified" in first
    for cert in ("BSI C5", "ISO/IEC 42001", "SOC 2 Type II"):
        assert cert in deciding
    assert "4 questions whose answer can change the shortlist or a must-have" in text
    # the one that cannot change the shortlist is collapsed, and says so
    labels = [e.label for e in at.expander]
    assert "1 question that cannot change the shortlist (asked for the record)" in labels
    rest = at.expander[labels.index("1 question that cannot change the shortlist (asked for the record)")]
    assert any("time to first token" in m.value for m in rest.markdown)
    assert "time to first token" not in deciding


def test_ovhcloud_channel_lists_its_operator_and_model_maker(monkeypatch):
    at = _evidence(monkeypatch, {"evidence": OVH})
    assert at.selectbox(key="p_evidence").value == OVH
    text = _texts(at)
    assert "rank 14 today; 2 to 14 depending on the 3 unknowns below" in text
    ovh = next(
        m.value for m in at.markdown if m.value.startswith("**Ask OVHcloud (operator of the channel)**")
    )
    assert "ISO/IEC 27001" in ovh and "BSI C5" in ovh
    # the model's capability goes to its maker, and cannot change the shortlist
    assert any("**Ask Alibaba (Qwen team) (model maker)**" in m.value for m in at.expander[0].markdown)


def test_the_summary_lists_ranked_offerings_then_excluded_ones_that_could_reach_the_cut(monkeypatch):
    at = _evidence(monkeypatch)
    table = at.dataframe[0].value
    ranges = _bank_ranges()
    ranked = [o for o, rr in ranges.items() if rr.rank is not None]
    listed = table["id"].tolist()
    assert listed[: len(ranked)] == ranked  # rank order
    assert SCALEWAY in listed[len(ranked) :] and FAILS not in listed
    assert set(listed) == {o for o, rr in ranges.items() if rr.rank is not None or (rr.best_rank or 99) <= 3}
    row = table.set_index("id").loc[SCALEWAY]
    # the model and whom you contract with, so the row fits at 1440 px (issue 15); the selectbox
    # and the offering's section below give model — channel
    assert row["offering"] == "Mistral Medium 3.5 128B (Scaleway)"
    assert (
        row["today"] == "excluded"
        and row["rank range over its unknowns"] == "excluded; 1 at best (3 unknowns)"
    )
    assert row["questions that can change the shortlist"] == 4
    assert row["ask"] == "Scaleway (operator of the channel)"
    left = len(ranges) - len(listed)
    assert any(
        f"{left} excluded offering{'' if left == 1 else 's'} {'is' if left == 1 else 'are'} not listed"
        in c.value
        for c in at.caption
    )
    # the selectbox offers the same offerings, human names first
    box = at.selectbox(key="p_evidence")
    assert box.options[0].startswith("GPT-6 Luna — Azure OpenAI") and len(box.options) == len(listed)


def test_the_offering_shown_first_is_one_whose_answers_can_cross_the_cut(monkeypatch):
    at = _evidence(monkeypatch)
    ranges = _bank_ranges()
    first = at.selectbox(key="p_evidence").value
    assert any(u.crosses_cut for u in ranges[first].unknowns)
    assert not any(
        any(u.crosses_cut for u in rr.unknowns)
        for o, rr in ranges.items()
        if list(ranges).index(o) < list(ranges).index(first)
    )


def _cli_rfi(tmp_path: Path, priorities: str, fmt: str) -> Path:
    out = tmp_path / f"cli-{fmt}"
    code = main(
        ["rfi", "--vendors", str(VENDORS), "--priorities", priorities, "--format", fmt, "--output", str(out)],
        out=io.StringIO(),
        err=io.StringIO(),
    )
    assert code == 0
    return out


def test_downloads_are_byte_identical_to_shortlist_rfi(monkeypatch, tmp_path):
    assert ev_mod.SUFFIXES == CLI_SUFFIXES and ev_mod.WORKBOOK == CLI_WORKBOOK  # the same file names
    at = _evidence(monkeypatch)
    apply(at.slider(key="w_capability").set_value(40))  # not the preset: the downloads follow the sidebar
    at.selectbox(key="p_rfi").set_value("operator-scaleway").run()
    ctx = at.session_state["_ctx"]
    prio = tmp_path / "priorities.yaml"
    prio.write_text(priorities_yaml(ctx), encoding="utf-8")
    vid, md_bytes, yaml_bytes = at.session_state["export_rfi"]
    assert vid == "operator-scaleway"
    md_dir, yaml_dir = _cli_rfi(tmp_path, str(prio), "markdown"), _cli_rfi(tmp_path, str(prio), "yaml")
    assert md_bytes == (md_dir / "operator-scaleway.md").read_bytes()
    assert yaml_bytes == (yaml_dir / "operator-scaleway.rfi.yaml").read_bytes()
    # every questionnaire, and the workbook the button builds when clicked
    evid = ev_mod.evidence(ctx.ranking, ctx.catalog, ctx.priorities)
    assert sorted(p.name for p in md_dir.iterdir()) == sorted(f"{v.vendor_id}.md" for v in evid.rfi.vendors)
    for v in evid.rfi.vendors:
        assert ev_mod.questionnaire_markdown(evid.rfi, v) == (md_dir / f"{v.vendor_id}.md").read_bytes()
        assert ev_mod.answer_template(evid.rfi, v) == (yaml_dir / f"{v.vendor_id}.rfi.yaml").read_bytes()
    xlsx_dir = _cli_rfi(tmp_path, str(prio), "xlsx")
    assert ev_mod.workbook(evid.rfi) == (xlsx_dir / "rfi.xlsx").read_bytes()
    # the slider changed the questionnaires (the bank preset's differ)
    bank = _cli_rfi(tmp_path / "bank", str(CRITERIA / "presets" / "regulated-eu-bank.yaml"), "markdown")
    assert any((bank / p.name).read_bytes() != p.read_bytes() for p in md_dir.iterdir())


def test_the_selection_is_in_the_link_and_a_link_restores_it(monkeypatch):
    at = _evidence(monkeypatch)
    at.selectbox(key="p_evidence").set_value(OVH).run()
    at.selectbox(key="p_rfi").set_value("operator-ovhcloud").run()
    flat = {k: v[0] if isinstance(v, list) else v for k, v in dict(at.query_params).items()}
    assert flat["evidence"] == OVH and flat["rfi"] == "operator-ovhcloud"
    opened = _evidence(monkeypatch, flat)
    assert not opened.warning
    assert opened.selectbox(key="p_evidence").value == OVH
    assert opened.selectbox(key="p_rfi").value == "operator-ovhcloud"
    assert opened.session_state["export_rfi"] == at.session_state["export_rfi"]
    page(opened, "shortlist")  # a page switch keeps the choice
    page(opened, "evidence")
    assert opened.selectbox(key="p_evidence").value == OVH


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (FAILS, "is not among the offerings listed here now"),  # exists, but cannot reach the cut
        ("no-such-offering", "is not among the offerings listed here now"),
        ("[x](http://e)<img/src=x>:red[y]**bold**", "is not among the offerings listed here now"),
        (f"{SCALEWAY}\u200b", "ZERO WIDTH SPACE"),  # an invisible character: not used at all
        ("scaleway\u202egnp.exe", "RIGHT-TO-LEFT OVERRIDE"),
    ],
)
def test_a_hostile_link_value_is_explained_and_a_listed_offering_shown(monkeypatch, value, said):
    at = _evidence(monkeypatch, {"evidence": value, "rfi": value})
    assert not at.exception and not at.error
    warnings = "\n".join(w.value for w in at.warning)
    assert said in warnings
    assert at.selectbox(key="p_evidence").value in list(at.dataframe[0].value["id"])
    assert at.selectbox(key="p_rfi").value in {
        v.vendor_id
        for v in ev_mod.evidence(
            at.session_state["_ctx"].ranking,
            at.session_state["_ctx"].catalog,
            at.session_state["_ctx"].priorities,
        ).rfi.vendors
    }
    for body in _bodies(at):
        _safe(body)
    assert "\u202e" not in warnings and "\u200b" not in warnings


HOSTILE_VENDOR = "[x](http://e) <img src=x onerror=alert(1)> :red[boo] | a | b |"
HOSTILE_OPERATOR = "**Op** [o](http://e) :material/home: <b>x</b> $x$"
HOSTILE_MODEL = "![](http://e/i.png) **bold** @everyone"


def _hostile_upload() -> bytes:
    offerings = offering_yaml("hostile-a", inp=0.05, out=0.1, ttft=None, capability=None)
    offerings = offerings.replace("model: Model hostile-a", f'model: "{HOSTILE_MODEL}"')
    offerings = offerings.replace("operator: {name: Op,", f'operator: {{name: "{HOSTILE_OPERATOR}",')
    text = vendor_yaml("hostile", offerings).replace("name: Hostile AI", f'name: "{HOSTILE_VENDOR}"')
    return text.encode("utf-8")


def test_a_hostile_vendor_in_an_uploaded_profile_is_shown_as_text(monkeypatch):
    at = start(monkeypatch, query={"preset": "cost-first-startup"})
    at.session_state["uploads"] = {"hostile.yaml": _hostile_upload()}
    at.run()
    at = page(at, "evidence")
    assert not at.error, [e.value for e in at.error]
    at.selectbox(key="p_evidence").set_value("hostile-a").run()
    ctx = at.session_state["_ctx"]
    assert any(r.offering_id == "hostile-a" for r in ctx.ranking.ranked)
    text = _texts(at)
    assert streamlit_markdown(HOSTILE_OPERATOR) in text  # asked: the operator of its channel
    assert streamlit_markdown(HOSTILE_MODEL) in text
    assert f"**Ask {streamlit_markdown(HOSTILE_VENDOR)} (model maker)**" in text
    for body in _bodies(at):
        _safe(body)
    for box in at.selectbox:
        for option in box.options:
            assert not re.search(r"[\x00-\x1f\u202a-\u202e]", option)
    # the table shows names as plain text (st.dataframe renders no Markdown)
    row = at.dataframe[0].value.set_index("id").loc["hostile-a"]
    assert row["offering"].startswith(HOSTILE_MODEL)
    assert row["ask"] == f"{HOSTILE_VENDOR} (model maker)"  # its unknown capability can cross the cut
    # the downloads escape for their formats (engine.reports.rfi_output)
    at.selectbox(key="p_rfi").set_value("hostile").run()
    _, md_bytes, yaml_bytes = at.session_state["export_rfi"]
    assert b"<img" not in md_bytes and b"&lt;img" in md_bytes
    assert yaml_bytes.decode("utf-8").count(f'vendor_name: "{HOSTILE_VENDOR}"') == 1


def test_with_nothing_ranked_the_page_shows_the_answers_that_could_change_that(monkeypatch):
    at = _evidence(monkeypatch, {"budget": "0.01"})  # no offering within 0.01 EUR a month
    assert not at.exception and not at.error
    assert any("No offering passes the must-haves today" in w.value for w in at.warning)
    listed = at.dataframe[0].value
    assert len(listed) and set(listed["today"]) == {"excluded"}
    assert "app-budget (must-have): rank 1 if it passes, excluded if it fails" in _texts(at)


def test_with_nothing_listed_every_questionnaire_still_downloads(monkeypatch):
    at = _evidence(monkeypatch, {"must_trusted": "1", "trusted": "AQ"})  # every maker fails on a known fact
    assert not at.exception and not at.error
    assert any("No offering is ranked or could reach the top 3" in i.value for i in at.info)
    assert not at.dataframe and "p_evidence" not in [s.key for s in at.selectbox]
    vid, md_bytes, _ = at.session_state["export_rfi"]
    assert vid == at.selectbox(key="p_rfi").value and md_bytes.startswith(b"# Request for information: ")


def test_the_page_opens_with_its_answer_in_one_sentence(monkeypatch):
    # issue 15: the first thing on the page says whether answers can change the shortlist
    # and who decides it (the benchmark's first meaningful content, bench_app --browser)
    at = _evidence(monkeypatch)
    p, _ = load_priorities_doc(CRITERIA / "presets" / "regulated-eu-bank.yaml")
    catalog = engine.load_catalog([VENDORS])
    ev = ev_mod.evidence(engine.rank(catalog, engine.load_criteria(CRITERIA), p), catalog, p)
    deciding = {
        (a.to.vendor_id, a.number) for o in ev.listed for a in ev_mod.asks(ev.rfi, o) if a.question.decides
    }
    companies = {vid for vid, _ in deciding}
    head = at.markdown[0].value
    assert head.startswith("**The vendors' answers can change your shortlist**"), head
    assert f"**{len(deciding)} questions to {len(companies)} companies** decide it" in head
    enter = [
        o
        for o in ev.listed
        if ev.ranges[o].best_rank is not None
        and ev.ranges[o].best_rank <= ev.cut
        and (ev.ranges[o].rank or ev.cut + 1) > ev.cut
    ]
    assert f"{len(enter)} offerings outside the top {ev.cut} could enter it" in head
