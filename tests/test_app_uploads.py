"""Issue 11 after the merge: every upload's state follows what is on screen, one size
limit (the loader's 1 MiB), and a rerun after an exception keeps the priorities.

- A file removed from an upload widget is no longer used; a file kept in the session
  from an earlier visit is listed with a Remove button; the check names the files it
  reads. (Policy page: the policy and the priorities uploaders; Catalog page: the vendor
  uploads, listed with Remove buttons.)
- The app's limit is ``engine.catalog.yamlio.MAX_BYTES`` (1,048,576 bytes), in one wording.
- ``client.showErrorDetails`` is set by the app, not only by ``.streamlit/config.toml``.
"""

from __future__ import annotations

import pytest
import streamlit as st

from engine.catalog.yamlio import MAX_BYTES
from tests.conftest import CRITERIA, ROOT
from tests.test_app import _newco as newco_profile
from tests.test_app import apply, page, ranking_ids, start

UPLOAD = "(upload a policy file)"
EU = (CRITERIA / "policies" / "eu-regulated.yaml").read_bytes()
FAILING = EU.replace(b"score: 50\n  severity: warn", b"score: 99\n  severity: deny")
assert FAILING != EU
BANK = (CRITERIA / "presets" / "regulated-eu-bank.yaml").read_bytes()
YAML = "application/x-yaml"


def _policy_page(monkeypatch):
    at = page(start(monkeypatch), "policy")
    at.selectbox(key="p_policy").set_value(UPLOAD).run()
    return at


def _shown(at) -> str:
    parts = [e.value for e in (*at.error, *at.warning, *at.info, *at.success, *at.markdown, *at.caption)]
    return "\n".join(parts)


def test_a_removed_policy_file_is_no_longer_checked(monkeypatch):
    at = _policy_page(monkeypatch)
    at.file_uploader(key="policy_upload").set_value(("mine-policy.yaml", FAILING, YAML)).run()
    assert any("EU regulated AI suppliers" in m.value and "fails" in m.value for m in at.markdown)
    assert "mine-policy.yaml" in _shown(at)
    at.file_uploader(key="policy_upload").set_value(None).run()
    assert not at.exception, at.exception
    shown = _shown(at)
    assert "EU regulated AI suppliers" not in shown and "deny finding" not in shown, shown
    assert "mine-policy.yaml" not in shown
    assert "Upload a policy file" in shown


def test_removing_a_priorities_file_stops_using_it(monkeypatch):
    at = _policy_page(monkeypatch)
    policy = EU.replace(b"priorities: regulated-eu-bank", b"priorities: mine.yaml")
    mine = BANK.replace(b"name:", b"name: MINE-PRIORITIES #", 1)
    at.file_uploader(key="policy_priorities_upload").set_value([("mine.yaml", mine, YAML)]).run()
    at.file_uploader(key="policy_upload").set_value(("p.yaml", policy, YAML)).run()
    assert "MINE-PRIORITIES" in _shown(at), _shown(at)
    assert "mine.yaml" in _shown(at)
    at.file_uploader(key="policy_priorities_upload").set_value([]).run()
    assert not at.exception, at.exception
    shown = _shown(at)
    assert "MINE-PRIORITIES" not in shown, shown
    # the policy names a file that is gone: an error naming the reference, nothing checked
    assert at.error and "mine.yaml" in at.error[0].value
    assert not any(" checked under " in m.value for m in at.markdown)


def test_one_of_two_priorities_files_removed_keeps_the_other(monkeypatch):
    at = _policy_page(monkeypatch)
    a = BANK.replace(b"name:", b"name: AAA-PRIO #", 1)
    b = BANK.replace(b"name:", b"name: BBB-PRIO #", 1)
    policy = EU.replace(b"priorities: regulated-eu-bank", b"priorities: b.yaml")
    at.file_uploader(key="policy_priorities_upload").set_value(
        [("a.yaml", a, YAML), ("b.yaml", b, YAML)]
    ).run()
    at.file_uploader(key="policy_upload").set_value(("p.yaml", policy, YAML)).run()
    assert "BBB-PRIO" in _shown(at)
    at.file_uploader(key="policy_priorities_upload").set_value([("b.yaml", b, YAML)]).run()
    assert "BBB-PRIO" in _shown(at) and "a.yaml" not in _shown(at)
    at.file_uploader(key="policy_priorities_upload").set_value([("a.yaml", a, YAML)]).run()
    assert "BBB-PRIO" not in _shown(at) and at.error and "b.yaml" in at.error[0].value


def test_two_priorities_files_of_one_name_use_neither(monkeypatch):
    at = _policy_page(monkeypatch)
    a = BANK.replace(b"name:", b"name: AAA-PRIO #", 1)
    b = BANK.replace(b"name:", b"name: BBB-PRIO #", 1)
    at.file_uploader(key="policy_priorities_upload").set_value(
        [("x.yaml", a, YAML), ("x.yaml", b, YAML)]
    ).run()
    at.file_uploader(key="policy_upload").set_value(
        ("p.yaml", EU.replace(b"priorities: regulated-eu-bank", b"priorities: x.yaml"), YAML)
    ).run()
    shown = _shown(at)
    assert "Two priorities files are named x.yaml" in shown
    assert "AAA-PRIO" not in shown and "BBB-PRIO" not in shown


def test_an_upload_kept_across_a_page_switch_is_on_screen_and_removable(monkeypatch):
    at = _policy_page(monkeypatch)
    policy = EU.replace(b"priorities: regulated-eu-bank", b"priorities: mine.yaml")
    mine = BANK.replace(b"name:", b"name: MINE-PRIORITIES #", 1)
    at.file_uploader(key="policy_priorities_upload").set_value([("mine.yaml", mine, YAML)]).run()
    at.file_uploader(key="policy_upload").set_value(("kept.yaml", policy, YAML)).run()
    page(at, "catalog")
    page(at, "policy")
    shown = _shown(at)
    # the widgets are empty after the switch: the files in use are listed, by name
    assert "In use, uploaded earlier in this session: policy file **kept.yaml**" in shown, shown
    assert "priorities file **mine.yaml**" in shown and "MINE-PRIORITIES" in shown
    at.button(key="rm_policy_1").click().run()  # the priorities file
    assert "MINE-PRIORITIES" not in _shown(at) and at.error
    at.button(key="rm_policy_0").click().run()  # the policy file
    shown = _shown(at)
    assert "kept.yaml" not in shown and "Upload a policy file" in shown
    # switching to a bundled policy and back does not bring anything back
    at.selectbox(key="p_policy").set_value("eu-regulated").run()
    at.selectbox(key="p_policy").set_value(UPLOAD).run()
    assert "Upload a policy file" in _shown(at) and "kept.yaml" not in _shown(at)


def test_a_new_upload_after_a_page_switch_keeps_the_earlier_priorities_file(monkeypatch):
    at = _policy_page(monkeypatch)
    mine = BANK.replace(b"name:", b"name: MINE-PRIORITIES #", 1)
    at.file_uploader(key="policy_priorities_upload").set_value([("mine.yaml", mine, YAML)]).run()
    page(at, "catalog")
    page(at, "policy")
    other = BANK.replace(b"name:", b"name: OTHER #", 1)
    at.file_uploader(key="policy_priorities_upload").set_value([("other.yaml", other, YAML)]).run()
    policy = EU.replace(b"priorities: regulated-eu-bank", b"priorities: mine.yaml")
    at.file_uploader(key="policy_upload").set_value(("p.yaml", policy, YAML)).run()
    shown = _shown(at)
    assert "MINE-PRIORITIES" in shown and "priorities file **mine.yaml**" in shown, shown


# ----------------------------------------------------------------------------- vendor uploads


def test_a_removed_vendor_upload_leaves_every_page(monkeypatch):
    at = page(start(monkeypatch), "catalog")
    at.file_uploader[0].set_value(("newco.yaml", newco_profile(), YAML)).run()
    assert "newco-eu-api" in _shown(at)
    at.button(key="rm_newco.yaml").click().run()
    assert "newco.yaml" not in _shown(at)
    page(at, "shortlist")
    assert "newco-eu-api" not in ranking_ids(at)
    page(at, "policy")
    assert "newco-eu-api" not in at.session_state["export_policy_json"]


# ----------------------------------------------------------------------------- one size limit


@pytest.mark.parametrize("where", ["catalog", "policy", "priorities"])
def test_the_upload_limit_is_the_loaders(monkeypatch, where):
    at = _policy_page(monkeypatch) if where != "catalog" else page(start(monkeypatch), "catalog")
    pad = b"# padding\n"
    body = EU + b"\n" + b"#" * (MAX_BYTES - len(EU) - 2) + b"\n"
    assert len(body) == MAX_BYTES
    for raw, ok in ((body, True), (body + b"#", False)):
        if where == "catalog":
            raw = newco_profile() + pad + b"#" * (len(raw) - len(newco_profile()) - len(pad) - 1) + b"\n"
            at.file_uploader[0].set_value(("big.yaml", raw, YAML)).run()
        elif where == "policy":
            at.file_uploader(key="policy_upload").set_value(("big.yaml", raw, YAML)).run()
        else:
            at.file_uploader(key="policy_upload").set_value(("p.yaml", EU, YAML)).run()
            prio = BANK + b"#" * (len(raw) - len(BANK) - 1) + b"\n"
            at.file_uploader(key="policy_priorities_upload").set_value([("big.yaml", prio, YAML)]).run()
        assert not at.exception, at.exception
        shown = _shown(at)
        assert ("1 MiB (1,048,576 bytes)" in shown) is not ok, shown
        if not ok:
            assert f"{MAX_BYTES + 1:,} bytes" in shown and "1,000,000" not in shown


def test_labels_say_the_same_limit(monkeypatch):
    at = _policy_page(monkeypatch)
    assert "1 MiB (1,048,576 bytes)" in at.file_uploader(key="policy_upload").label
    page(at, "catalog")
    assert "1 MiB (1,048,576 bytes)" in at.file_uploader[0].label


def test_config_toml_upload_size_agrees():
    import tomllib

    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert cfg["server"]["maxUploadSize"] * 1024 * 1024 == MAX_BYTES  # Streamlit's MB is 2^20 bytes
    assert cfg["client"]["showErrorDetails"] == "none"


# ----------------------------------------------------------------------------- started anywhere


def test_the_app_sets_show_error_details_itself(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .streamlit/config.toml here
    st.set_option("client.showErrorDetails", "full")
    start(monkeypatch)
    assert st.get_option("client.showErrorDetails") == "none"


def test_a_rerun_after_a_callback_exception_keeps_the_priorities(monkeypatch, tmp_path):
    """A forged upload of a refused file type makes Streamlit raise in the upload
    callback, before the script runs; the next rerun used to fail with a KeyError on a
    lost slider value. The values come back from the link instead."""
    monkeypatch.chdir(tmp_path)
    at = start(monkeypatch)
    apply(at.slider(key="w_capability").set_value(37))
    page(at, "catalog")
    at.file_uploader[0].set_value(("x.txt", b"id: x\n", "text/plain")).run()
    assert at.exception  # Streamlit's own refusal of the file type
    for name in ("shortlist", "compare", "catalog", "policy"):
        page(at, name)  # asserts no exception
    assert at.session_state["w_capability"] == 37
    page(at, "shortlist")
    assert ranking_ids(at)


def test_a_new_file_of_a_kept_name_supersedes_it_and_two_use_neither(monkeypatch):
    at = _policy_page(monkeypatch)
    old = BANK.replace(b"name:", b"name: OLD-PRIO #", 1)
    at.file_uploader(key="policy_priorities_upload").set_value([("mine.yaml", old, YAML)]).run()
    page(at, "catalog")
    page(at, "policy")
    policy = EU.replace(b"priorities: regulated-eu-bank", b"priorities: mine.yaml")
    at.file_uploader(key="policy_upload").set_value(("p.yaml", policy, YAML)).run()
    assert "OLD-PRIO" in _shown(at)
    a = BANK.replace(b"name:", b"name: AAA-PRIO #", 1)
    b = BANK.replace(b"name:", b"name: BBB-PRIO #", 1)
    at.file_uploader(key="policy_priorities_upload").set_value(
        [("mine.yaml", a, YAML), ("mine.yaml", b, YAML)]
    ).run()
    shown = _shown(at)
    assert "Two priorities files are named mine.yaml" in shown
    assert not any(x in shown for x in ("OLD-PRIO", "AAA-PRIO", "BBB-PRIO")), shown
    at.file_uploader(key="policy_priorities_upload").set_value([("mine.yaml", a, YAML)]).run()
    assert "AAA-PRIO" in _shown(at) and "OLD-PRIO" not in _shown(at)
