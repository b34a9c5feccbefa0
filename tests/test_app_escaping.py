"""Issue 11, kind 3 in the app: vendor, offering, note, policy and upload names with
Markdown, HTML and Streamlit directives are shown as text (AppTest reads the Markdown
body each element sends to the browser)."""

from __future__ import annotations

import re

from engine.reports.escape import streamlit_markdown
from tests.conftest import CRITERIA
from tests.reports.test_escape_outputs import MODEL_A, NOTES, POLICY_NAME, VENDOR_NAME, hostile  # noqa: F401
from tests.test_app import page, start

STARTUP = {"preset": "cost-first-startup"}
# an unescaped opener of a link/image, HTML, an autolink, a directive, emphasis, LaTeX
LIVE = [
    re.compile(r"(?<!\\)\]\((?!<https?://)"),  # our own links to plain URLs are <…> targets
    re.compile(r"<(img|script|b)\b"),
    re.compile(r"https?://e\b"),
    re.compile(r":(red|material)"),
    re.compile(r"(?<!\\)\*\*bold"),
    re.compile(r"(?<!\\)\$x"),
    re.compile(r"@everyone"),
]


def _safe(body: str) -> None:
    body = re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", body, flags=re.S)  # code spans are inert
    for pattern in LIVE:
        assert not pattern.search(body), (pattern.pattern, body)


def _bodies(at) -> list[str]:
    return [
        *(m.value for m in at.markdown),
        *(m.value for m in at.caption),
        *(e.value for e in (*at.error, *at.warning, *at.info, *at.success)),
    ]


def test_leader_line_shows_a_hostile_vendor_name_as_text(monkeypatch, hostile):  # noqa: F811
    at = start(monkeypatch, str(hostile), query=STARTUP)
    line = next(m.value for m in at.markdown if m.value.startswith("Leader: **"))
    assert streamlit_markdown(VENDOR_NAME) in line and streamlit_markdown(MODEL_A) in line
    _safe(line)
    for body in _bodies(at):
        _safe(body)


def test_catalog_details_show_names_and_notes_as_text(monkeypatch, hostile):  # noqa: F811
    at = page(start(monkeypatch, str(hostile), query=STARTUP), "catalog")
    at.selectbox(key="p_cat_offering").set_value("hostile-a").run()
    details = next(m.value for m in at.markdown if "- Notes:" in m.value)
    assert streamlit_markdown(NOTES) in details and streamlit_markdown(VENDOR_NAME) in details
    # a plain https source stays a link; javascript: and a broken URL are text
    assert "](<https://example.org/hostile>)" in details
    assert (
        "javascript:\u2060alert(1)" in details
        and "](<javascript" not in details
        and "](<http://e" not in details
    )
    for body in _bodies(at):
        _safe(body)


def test_compare_tables_escape_every_cell(monkeypatch, hostile):  # noqa: F811
    at = start(monkeypatch, str(hostile), query=STARTUP)
    at.session_state["p_compare"] = ["hostile-a", "hostile-b"]
    at = page(at, "compare")
    assert at.table, "the comparison tables"
    for table in at.table:
        frame = table.value
        cells = [str(x) for x in (*frame.index, *frame.columns, *frame.to_numpy().ravel())]
        for cell in cells:
            _safe(cell)
            assert not re.search(r"(?<!\\)\|", cell)  # no cell boundary inside a cell
    for body in _bodies(at):
        _safe(body)


def test_policy_page_shows_a_hostile_policy_and_file_name_as_text(monkeypatch, hostile):  # noqa: F811
    at = page(start(monkeypatch, str(hostile), query=STARTUP), "policy")
    at.selectbox(key="p_policy").set_value("(upload a policy file)").run()
    policy = (CRITERIA / "policies" / "eu-regulated.yaml").read_text(encoding="utf-8")
    policy = policy.replace("name: EU regulated AI suppliers", f'name: "{POLICY_NAME}"')
    policy = policy.replace(
        "description: >-", 'description: "**desc** [d](http://e) :red[d]"\nold_description: >-', 1
    )
    policy = re.sub(r"old_description: >-\n(  .*\n)+", "", policy)
    at.file_uploader(key="policy_upload").set_value(
        ("[f](http://e) <img src=x>.yaml", policy.encode(), "application/x-yaml")
    ).run()
    assert not at.exception
    summary = next(m.value for m in at.markdown if "the CI check would" in m.value)
    assert summary.startswith(f"**{streamlit_markdown(POLICY_NAME)}**")
    for body in _bodies(at):
        _safe(body)
    for table in at.table:
        for cell in (str(x) for x in table.value.to_numpy().ravel()):
            _safe(cell)


def test_uploaded_profile_with_a_hostile_file_name(monkeypatch):
    at = page(start(monkeypatch, query=STARTUP), "catalog")
    at.session_state["uploads"] = {
        "[x](http://e) :red[boo] <img src=x>.yaml": b"schema_version: 1\nid: [x]\n"
    }
    at.run()
    assert not at.exception
    shown = [e.value for e in at.error if "was not loaded" in e.value]
    assert shown and streamlit_markdown("[x](http://e) :red[boo] <img src=x>.yaml") in shown[0]
    for body in _bodies(at):
        _safe(body)


def test_frames_for_tables_and_dataframes_escape_every_text_cell():
    import pandas as pd

    from ui.common import md_frame, text_frame

    frame = pd.DataFrame(
        {"[c](http://e)": ["<img src=x>", "a\u202eb\x1b[2J"], "n": [1, 3]}, index=["**i**", ":red[j]"]
    )
    shown = md_frame(frame)
    assert list(shown.columns) == [streamlit_markdown("[c](http://e)"), "n"]
    assert list(shown.index) == [streamlit_markdown("**i**"), streamlit_markdown(":red[j]")]
    assert shown.iloc[0, 0] == "&lt;img src=x&gt;" and shown.iloc[1, 1] == 3
    plain = text_frame(frame.reset_index(drop=True))
    assert plain.iloc[1, 0] == "a\\u202eb\\x1b[2J" and plain.iloc[0, 0] == "<img src=x>"
