"""The Streamlit app (app.py) under Streamlit's AppTest: real script, no browser."""

from __future__ import annotations

import io

import pytest
from streamlit.testing.v1 import AppTest

from engine.cli import main
from tests.conftest import ROOT, VENDORS

APP = str(ROOT / "app.py")


def start(monkeypatch: pytest.MonkeyPatch, vendors: str | None = None) -> AppTest:
    if vendors:
        monkeypatch.setenv("SHORTLIST_VENDORS", vendors)
    else:
        monkeypatch.delenv("SHORTLIST_VENDORS", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def ranking_ids(at: AppTest) -> list[str]:
    return list(at.dataframe[0].value["offering"])


def cli_csv(*args: str) -> bytes:
    out = io.StringIO()
    assert main(["rank", "--format", "csv", *args], out=out, err=io.StringIO()) == 0
    return out.getvalue().encode("utf-8")


def test_app_starts_clean(monkeypatch):
    at = start(monkeypatch)
    assert not at.error
    assert len(at.slider) == 9
    assert len(ranking_ids(at)) >= 10
    assert any("Artificial Analysis" in c.value for c in at.caption)


def test_preset_sets_the_sliders(monkeypatch):
    at = start(monkeypatch)
    assert at.slider(key="w_compliance").value == 25
    at.selectbox(key="preset").set_value("cost-first-startup").run()
    assert at.slider(key="w_monthly_cost").value == 40
    assert at.slider(key="w_compliance").value == 5
    assert ranking_ids(at)[0] == "anthropic-claude-haiku-5.5-api"


def test_moving_a_slider_changes_the_ranking(monkeypatch):
    at = start(monkeypatch)
    before = ranking_ids(at)
    at.slider(key="w_capability").set_value(100).run()
    after = ranking_ids(at)
    assert after != before
    assert after[0] in ("vertex-eu-claude-opus-5.5", "bedrock-eu-claude-opus-5.5")


def test_weights_survive_other_widget_changes(monkeypatch):
    at = start(monkeypatch)
    at.slider(key="w_capability").set_value(77).run()
    at.number_input(key="in_m").set_value(5.0).run()
    at.checkbox(key="must_open").check().run()
    assert at.slider(key="w_capability").value == 77


def test_must_have_moves_offerings_to_excluded(monkeypatch):
    at = start(monkeypatch)
    assert "azure-openai-gpt-6-luna-eu-datazone" in ranking_ids(at)
    at.checkbox(key="must_open").check().run()
    ids = ranking_ids(at) if at.dataframe else []
    assert "azure-openai-gpt-6-luna-eu-datazone" not in ids
    excluded = at.table[0].value
    assert "azure-openai-gpt-6-luna-eu-datazone" in list(excluded["offering"])


def test_download_csv_is_byte_identical_to_the_cli(monkeypatch):
    at = start(monkeypatch)
    for preset in ("regulated-eu-bank", "sovereign-public-admin"):
        at.selectbox(key="preset").set_value(preset).run()
        assert at.session_state["export_csv"] == cli_csv("--priorities", preset)


def test_broken_bundled_profile_shows_error_and_the_rest_ranks(monkeypatch, tmp_path):
    vend = tmp_path / "vendors"
    vend.mkdir()
    for f in VENDORS.glob("*.yaml"):
        (vend / f.name).write_bytes(f.read_bytes())
    broken = (
        (VENDORS / "openai.yaml")
        .read_text()
        .replace("headquarters: US\nas_of", "headquarters: USA\nas_of", 1)
    )
    (vend / "openai.yaml").write_text(broken)
    at = start(monkeypatch, str(vend))
    assert at.error, "the broken file must be shown"
    msg = at.error[0].value
    assert "openai.yaml" in msg and "headquarters" in msg and "USA" in msg
    ids = ranking_ids(at)
    assert ids and not any(i.startswith("openai-") for i in ids)
    assert "mistral-large-4-api" in ids


def test_priorities_download_round_trips_through_the_cli(monkeypatch, tmp_path):
    """Change weights, a must-have and the workload; the downloaded priorities YAML
    fed to ``shortlist rank`` gives the same CSV bytes as the app's download."""
    at = start(monkeypatch)
    at.slider(key="w_capability").set_value(60).run()
    at.checkbox(key="must_open").check().run()
    at.number_input(key="in_m").set_value(42.0).run()
    at.selectbox(key="currency").set_value("USD").run()
    path = tmp_path / "priorities.yaml"
    path.write_text(at.session_state["export_priorities_yaml"], encoding="utf-8")
    assert at.session_state["export_csv"] == cli_csv("--priorities", str(path))


def test_uploaded_profile_joins_the_ranking(monkeypatch):
    from tests.conftest import offering_yaml, vendor_yaml

    at = start(monkeypatch)
    profile = vendor_yaml(
        "newco", offering_yaml("newco-eu-api", regions="[EU]", capability=60, inp=0.1, out=0.1)
    )
    profile = profile.replace(
        "sources: [https://example.org/newco]",
        "sources: [https://example.org/newco]\ncertifications:\n  items:\n    iso27001: {status: certified}",
    )
    at.file_uploader[0].set_value(("my-upload.yaml", profile.encode(), "application/x-yaml")).run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert "newco-eu-api" in ranking_ids(at)


def test_broken_upload_shows_its_error_and_the_ranking_stays(monkeypatch):
    at = start(monkeypatch)
    before = ranking_ids(at)
    at.file_uploader[0].set_value(
        ("broken.yml", b"id: broken\nname: x\nname: y\n", "application/x-yaml")
    ).run()
    assert not at.exception
    msg = at.error[0].value
    assert "broken.yml:3" in msg and "duplicate key" in msg
    assert ranking_ids(at) == before


def test_budget_and_trusted_jurisdiction_must_haves(monkeypatch):
    at = start(monkeypatch)
    at.number_input(key="budget").set_value(100.0).run()
    excluded = list(at.table[0].value["offering"])
    assert "vertex-eu-claude-opus-5.5" in excluded  # 2,363 EUR/month
    assert "azure-openai-gpt-6-luna-eu-datazone" in ranking_ids(at)  # 64 EUR/month
    at.checkbox(key="must_trusted").check().run()
    assert set(ranking_ids(at)) <= {
        "mistral-large-4-api",
        "mistral-small-4-api",
        "ministral-3-14b-api",
        "mistral-medium-3.5-api",
    }


def cli_sensitivity_json(*args: str) -> bytes:
    out = io.StringIO()
    assert main(["sensitivity", "--format", "json", *args], out=out, err=io.StringIO()) == 0
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("preset", ["regulated-eu-bank", "cost-first-startup", "sovereign-public-admin"])
def test_robustness_view_agrees_with_cli_sensitivity(monkeypatch, tmp_path, preset):
    """The app's robustness analysis is byte-identical to `shortlist sensitivity` run on
    the priorities the app exports, for every preset."""
    at = start(monkeypatch)
    at.selectbox(key="preset").set_value(preset).run()
    path = tmp_path / "priorities.yaml"
    path.write_text(at.session_state["export_priorities_yaml"], encoding="utf-8")
    assert at.session_state["export_sensitivity_json"] == cli_sensitivity_json("--priorities", str(path))
    # the stability band beside each weighted slider
    bands = [c.value for c in at.caption if "the leader stays first from" in c.value]
    assert len(bands) == sum(1 for s in at.slider if s.value > 0)


def test_sampling_settings_change_the_analysis_and_reach_the_export(monkeypatch, tmp_path):
    at = start(monkeypatch)
    before = at.session_state["export_sensitivity_json"]
    at.number_input(key="samples").set_value(2000).run()
    at.number_input(key="concentration").set_value(5.0).run()
    at.number_input(key="seed").set_value(7).run()
    after = at.session_state["export_sensitivity_json"]
    assert after != before
    assert b'"samples": 2000' in after and b'"seed": 7' in after and b'"concentration": 5.0' in after
    path = tmp_path / "priorities.yaml"
    path.write_text(at.session_state["export_priorities_yaml"], encoding="utf-8")
    assert after == cli_sensitivity_json("--priorities", str(path))


def test_what_would_it_take_in_plain_words(monkeypatch):
    at = start(monkeypatch)
    at.selectbox(key="wwit").set_value("vertex-eu-claude-opus-5.5").run()
    text = " ".join(m.value for m in at.markdown)
    assert "move 2.21 percentage points of weight" in text
    assert "a monthly cost 73.8% lower" in text
    at.selectbox(key="wwit").set_value("bedrock-eu-claude-opus-5.5").run()
    text = " ".join(m.value for m in at.markdown)
    assert "dominated by vertex-eu-claude-opus-5.5" in text


def test_method_switch_reranks_and_matches_the_cli(monkeypatch, tmp_path):
    at = start(monkeypatch)
    at.selectbox(key="method").set_value("weighted-product").run()
    assert not at.exception
    assert ranking_ids(at)[0] == "google-gemini-3.8-flash-vertex"
    assert any("not additive" in c.value for c in at.caption)
    path = tmp_path / "priorities.yaml"
    path.write_text(at.session_state["export_priorities_yaml"], encoding="utf-8")
    assert "method: weighted-product" in path.read_text()
    assert at.session_state["export_csv"] == cli_csv("--priorities", str(path))


def test_only_one_weighted_criterion_keeps_the_page_working(monkeypatch):
    """The bank preset caps compliance at 50 % for "what would it take"; with compliance
    the only weighted criterion those bounds cannot hold: the page says so, no traceback."""
    at = start(monkeypatch)
    for s in at.slider:
        if s.key != "w_compliance":
            s.set_value(0)
    at.run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    text = " ".join(m.value for m in at.markdown)
    # with a single criterion every non-leader is dominated (or tied): said in words
    assert "Weights:** cannot rank first under any weights" in text
    assert at.session_state["export_sensitivity_json"]


def test_leader_and_excluded_are_page_text(monkeypatch):
    """The leader line and the excluded table are DOM text (the browser tests read them)."""
    at = start(monkeypatch)
    leader = [m.value for m in at.markdown if m.value.startswith("Leader: ")]
    assert leader and leader[0].startswith(f"Leader: **{ranking_ids(at)[0]}** — ")
    assert "azure-openai-gpt-6-luna-eu-datazone" in leader[0]
    excluded = at.table[0].value
    assert list(excluded.columns) == ["offering", "vendor", "reasons"]
    assert "deepseek-v4-pro-api" in list(excluded["offering"])
