"""The app in a real browser: ``streamlit run app.py`` in the system Chromium (Playwright).

What the page shows is read from DOM text: the ranking itself is an ``st.dataframe``
drawn on a canvas, so the app writes the leader into ``st.container(key="leader")``
and the excluded offerings into ``st.container(key="excluded")`` (an HTML table).
Expected values come from the CLI run as a subprocess on the same settings.
"""

from __future__ import annotations

import csv
import io
import re
import struct
from pathlib import Path

import pytest

from tests.e2e.conftest import ARTIFACTS, Screenshots, Server, cli, settle, skip_module_without_browser

try:
    from playwright.sync_api import Download, Locator, Page, expect
except ImportError:  # reported by the line below, or (SHORTLIST_E2E_REQUIRED=1) by the fixtures
    pass

skip_module_without_browser()
pytestmark = pytest.mark.e2e

LUNA = "azure-openai-gpt-6-luna-eu-datazone"  # the default preset's leader
ARTIFACTS_README = ARTIFACTS / "shortlist-page.png"  # copied by hand to docs/ once looked at
OPUS_LEADER = re.compile(r"Offering id: (vertex|bedrock)-eu-claude-opus-5\.5$")


def cli_rows(*args: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(cli("rank", "--format", "csv", *args).decode("utf-8"))))


def leader(page: Page) -> Locator:
    return page.locator(".st-key-leader")


def slider_thumb(page: Page, label: str) -> Locator:
    """The keyboard-focusable thumb of the sidebar slider with this label (in Streamlit
    1.67 an ``<input type="range">``, so role "slider" without a ``role`` attribute)."""
    slider = page.get_by_test_id("stSlider").filter(has=page.get_by_text(label, exact=True))
    return slider.get_by_role("slider")


def open_musts(page: Page) -> None:
    """Open the sidebar's "Change must-haves" expander (drawn closed) when it is closed."""
    section = (
        page.get_by_test_id("stSidebar").get_by_test_id("stExpander").filter(has_text="Change must-haves")
    )
    if section.locator("details[open]").count() == 0:
        section.locator("summary").click()
    expect(page.get_by_role("checkbox", name="Open weights only")).to_be_attached()
    # the expander animates open: a click on a label still moving can miss it (flaky under load)
    expect(page.get_by_text("Open weights only", exact=True)).to_be_visible()
    settle(page)


def press(page: Page, thumb: Locator, key: str, value: int, share: str) -> None:
    """Press a key on the focused thumb, see the new value, press "Apply weights", then wait
    for the rerun it causes: ``share`` is a weight's new share of the total, shown under its slider only
    after the rerun (pick one no slider showed before)."""
    thumb.focus()
    thumb.press(key)
    expect(thumb).to_have_value(str(value))
    page.get_by_role("button", name="Apply weights").click()  # the sliders sit in a form
    expect(page.get_by_test_id("stSidebar")).to_contain_text(f"{share} of the total")
    settle(page)


def download(page: Page, button: str) -> tuple[Download, bytes]:
    with page.expect_download() as info:
        page.get_by_role("button", name=button).click()
    dl = info.value
    data = Path(dl.path()).read_bytes()
    settle(page)  # a download button click reruns the script
    return dl, data


def test_the_app_loads_with_title_ranking_and_no_exception(app: Page, server: Server) -> None:
    rows = cli_rows()
    ranked = [r for r in rows if r["status"] == "ranked"]
    top = ranked[0]
    expect(app).to_have_title(re.compile(r"^Shortlist"))
    expect(app.get_by_role("heading", name="Shortlist", exact=True)).to_be_visible()
    expect(
        app.get_by_role("heading", name=f"Ranking — {len(ranked)} ranked, {len(rows) - len(ranked)} excluded")
    ).to_be_visible()
    expect(app.get_by_test_id("stDataFrame").first).to_be_visible()
    expect(leader(app)).to_contain_text(
        # the contracting party is the channel's operator: Microsoft runs Azure OpenAI (the profile)
        f"Leader: {top['offering']} — contracting party Microsoft, model by {top['vendor']}. "
        f"Score {float(top['score']):.1f} of 100"
    )
    expect(leader(app)).to_contain_text(f"Offering id: {top['offering_id']}")
    assert top["offering_id"] == LUNA
    expect(app.get_by_test_id("stException")).to_have_count(0)
    expect(app.locator("body")).not_to_contain_text("was created with a default value")
    server.assert_log_clean()


def test_capability_slider_moved_with_the_keyboard_changes_the_leader(app: Page, server: Server) -> None:
    thumb = slider_thumb(app, "Capability")
    expect(thumb).to_have_value("15")  # the bank preset; the other weights sum to 85
    expect(leader(app)).to_contain_text(f"Offering id: {LUNA}")
    press(app, thumb, "ArrowRight", 16, "15.8%")  # one step: 16 of 101
    expect(leader(app)).to_contain_text(f"Offering id: {LUNA}")
    assert cli_rows("--weight", "capability=16")[0]["offering_id"] == LUNA
    press(app, thumb, "PageUp", 26, "23.4%")  # ten steps: 26 of 111
    expect(leader(app)).to_have_text(OPUS_LEADER)
    press(app, thumb, "End", 100, "54.1%")  # the maximum: 100 of 185
    top = cli_rows("--weight", "capability=100")[0]
    expect(leader(app)).to_contain_text(f"Offering id: {top['offering_id']}")
    expect(leader(app)).to_have_text(OPUS_LEADER)
    press(app, thumb, "Home", 0, "29.4%")  # the minimum: compliance is now 25 of 85
    expect(leader(app)).to_contain_text(
        f"Offering id: {cli_rows('--weight', 'capability=0')[0]['offering_id']}"
    )
    expect(app.get_by_test_id("stException")).to_have_count(0)
    server.assert_log_clean()


def excluded_rows(page: Page) -> Locator:
    """Open the "Excluded offerings (N)" expander, as a user would, and return its table rows
    (the expander is drawn closed, and again closed whenever N changes)."""
    expander = page.get_by_test_id("stExpander").filter(has=page.locator(".st-key-excluded"))
    summary = expander.locator("summary")
    expect(summary).to_contain_text(re.compile(r"Excluded offerings \(\d+\)"))
    if expander.locator("details[open]").count() == 0:
        summary.click()
    rows = page.locator(".st-key-excluded").get_by_role("row")  # only rows a user can see
    expect(rows.first).to_be_visible()
    return rows


def test_open_weights_only_moves_an_offering_to_the_excluded_list(app: Page, server: Server) -> None:
    rows = excluded_rows(app)
    expect(rows.filter(has_text="deepseek-v4-pro-api")).to_be_visible()
    expect(rows.filter(has_text=LUNA)).to_have_count(0)
    expect(leader(app)).to_contain_text(f"Offering id: {LUNA}")
    # the heading also splits the count: "Excluded offerings (12): 4 fail a must-have, 8 only on …"
    before = app.get_by_text(re.compile(r"^Excluded offerings \(\d+\)(: .*)?$")).inner_text()

    open_musts(app)
    app.get_by_text("Open weights only", exact=True).click()  # the label: the input itself is hidden
    expect(app.get_by_role("checkbox", name="Open weights only")).to_be_checked()
    expect(app.get_by_text(before, exact=True)).to_have_count(0)  # the rerun changed N
    settle(app)
    expect(leader(app)).not_to_contain_text(LUNA)
    luna = excluded_rows(app).filter(has_text=LUNA)
    expect(luna).to_be_visible()
    expect(luna).to_contain_text("Open weights")
    expect(app.get_by_test_id("stException")).to_have_count(0)
    server.assert_log_clean()


def test_csv_download_is_byte_identical_to_the_cli(app: Page, server: Server) -> None:
    dl, data = download(app, "Download shortlist (CSV)")
    assert dl.suggested_filename == "shortlist.csv"
    assert data == cli("rank", "--format", "csv")
    server.assert_log_clean()


def test_csv_download_after_moving_a_slider_matches_the_cli(
    app: Page, server: Server, tmp_path: Path
) -> None:
    press(app, slider_thumb(app, "Capability"), "End", 100, "54.1%")
    expect(leader(app)).to_have_text(OPUS_LEADER)
    _, data = download(app, "Download shortlist (CSV)")
    _, prio = download(app, "Priorities (YAML for the CLI)")
    path = tmp_path / "priorities.yaml"
    path.write_bytes(prio)
    assert data != cli("rank", "--format", "csv")  # the slider did change the export
    assert data == cli("rank", "--priorities", str(path), "--format", "csv")
    assert data == cli("rank", "--weight", "capability=100", "--format", "csv")
    server.assert_log_clean()


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return int(width), int(height)


def test_full_page_screenshot(app: Page, server: Server, screenshots: Screenshots) -> None:
    """The main area scrolls inside the page, so a full-page screenshot needs a window as
    tall as the content: grow the viewport, then shoot."""
    expect(app.get_by_test_id("stVegaLiteChart")).to_have_count(1)  # where the points come from
    # the README's picture: the top of the Shortlist page as a user first sees it
    ARTIFACTS.mkdir(exist_ok=True)
    app.screenshot(path=str(ARTIFACTS_README))
    screenshots.paths.append(ARTIFACTS_README)
    height = app.evaluate(
        "() => Math.max(...['stMain', 'stSidebarContent'].map("
        "id => document.querySelector(`[data-testid=${id}]`)?.scrollHeight ?? 0))"
    )
    app.set_viewport_size({"width": 1400, "height": int(height)})
    app.wait_for_function(
        "() => { const m = document.querySelector('[data-testid=stMain]'); "
        "return m.clientHeight >= m.scrollHeight; }"
    )
    settle(app)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "main-page.png"
    app.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    screenshots.paths.append(path)
    width, shot_height = _png_size(path)
    assert width == 1400 and shot_height >= int(height) > 1000
    server.assert_log_clean()


def open_page(page: Page, title: str) -> None:
    """Switch page with the navigation at the top, as a user would."""
    page.get_by_test_id("stTopNavLink").filter(has_text=title).first.click()
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    settle(page)


def test_a_broken_upload_shows_its_error_and_the_ranking_stays(app: Page, server: Server) -> None:
    before = leader(app).text_content() or ""  # the box has several paragraphs: as to_have_text reads them
    open_page(app, "Catalog")
    expect(app.get_by_role("heading", name="Catalog", exact=True)).to_be_visible()
    app.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[
            {
                "name": "broken.yml",
                "mimeType": "application/x-yaml",
                "buffer": b"id: broken\nname: x\nname: y\n",
            }
        ]
    )
    uploads = app.locator(".st-key-uploads")
    expect(uploads).to_contain_text("broken.yml was not loaded")
    expect(uploads).to_contain_text("broken.yml:3")
    expect(uploads).to_contain_text("duplicate key")
    settle(app)
    open_page(app, "Shortlist")
    expect(leader(app)).to_have_text(before)  # the valid profiles are still ranked, unchanged
    expect(app.get_by_text(re.compile(r"\d+ problems? in uploaded profiles"))).to_be_visible()
    expect(app.get_by_test_id("stException")).to_have_count(0)
    server.assert_log_clean()


def test_a_shared_link_restores_the_same_state(app: Page, server: Server, browser) -> None:
    press(app, slider_thumb(app, "Capability"), "End", 100, "54.1%")
    open_musts(app)
    app.get_by_text("Open weights only", exact=True).click()
    expect(app.get_by_role("checkbox", name="Open weights only")).to_be_checked()
    settle(app)
    expect(app).to_have_url(re.compile(r"w_capability=100.*must_open=1"))
    settle(app)  # the URL is written early in the run: wait for the download data of this run too
    shown = leader(app).text_content() or ""
    _, mine = download(app, "Download shortlist (CSV)")
    link = app.url

    other = browser.new_context(accept_downloads=True)  # a colleague opening the link
    try:
        page = other.new_page()
        page.goto(link)
        expect(page.get_by_role("button", name="Download shortlist (CSV)")).to_be_visible()
        settle(page)
        expect(slider_thumb(page, "Capability")).to_have_value("100")
        open_musts(page)
        expect(page.get_by_role("checkbox", name="Open weights only")).to_be_checked()
        expect(leader(page)).to_have_text(shown)
        _, theirs = download(page, "Download shortlist (CSV)")
        assert theirs == mine
    finally:
        other.close()
    server.assert_log_clean()


def test_weights_survive_a_page_switch_and_a_download(app: Page, server: Server) -> None:
    press(app, slider_thumb(app, "Capability"), "PageUp", 25, "22.7%")
    shown = leader(app).text_content() or ""
    download(app, "Download shortlist (CSV)")
    expect(slider_thumb(app, "Capability")).to_have_value("25")  # a download does not reset the page
    for title in ("Compare", "Robustness", "Catalog", "Policy", "Shortlist"):
        open_page(app, title)
        expect(app.get_by_test_id("stException")).to_have_count(0)
        if title in ("Catalog", "Policy"):  # pages that do not use the priorities: a summary (issue 15)
            expect(app.get_by_test_id("stSidebar")).to_contain_text("Capability 23%")
        else:
            expect(slider_thumb(app, "Capability")).to_have_value("25")
    expect(leader(app)).to_have_text(shown)
    server.assert_log_clean()
