"""The Sovereignty page in a real browser (frozen catalog, bank preset, issue 16): it shows
the leader's overall SEAL with its governing criterion and the score range; a minimum
SEAL chosen in the sidebar's must-haves excludes the leader (SEAL-1 on SOV-1) and the
page says why; axe-core finds no violation beyond the app's known ones
(:func:`tests.e2e.test_live_catalog.known`), with every expander open."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import Server, settle, skip_module_without_browser
from tests.e2e.test_browser import open_musts, open_page
from tests.e2e.test_live_catalog import axe_problems

if TYPE_CHECKING:
    from playwright.sync_api import Page

skip_module_without_browser()
pytestmark = pytest.mark.e2e


def test_the_sovereignty_page_and_a_minimum_seal_in_the_sidebar(app: Page, server: Server) -> None:
    from playwright.sync_api import expect

    open_page(app, "Sovereignty")
    expect(app.get_by_role("heading", level=1)).to_have_text("Sovereignty: SEAL and score")
    head = app.locator(".st-key-sovereignty_headline")
    expect(head).to_contain_text(
        "(the leader of the ranking): overall SEAL-1 (Jurisdictional sovereignty), set by SOV-1.1"
    )
    expect(head).to_contain_text("between 3.0% and 92.2%; 43 of 48 criteria unanswered")
    expect(app.locator(".st-key-sovereignty_heatmap table tbody tr")).to_have_count(8)
    expect(app.get_by_test_id("stException")).to_have_count(0)

    open_musts(app)
    box = app.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(has_text="SOV-1 Strategic")
    box.scroll_into_view_if_needed()
    box.click()
    app.get_by_role("option", name="SEAL-2 (Data sovereignty)").click()
    expect(head).to_contain_text("GPT-6 Luna")  # the page keeps the offering chosen
    expect(head).to_contain_text("(excluded)")
    expect(head).to_contain_text("below the minimum on SOV-1")
    settle(app)
    assert "seal=SOV-1%3A2" in app.url or "seal=SOV-1:2" in app.url

    for summary in app.locator("[data-testid=stExpander] summary").all():
        if summary.locator("xpath=..").get_attribute("open") is None:
            summary.click()
    settle(app)
    expect(app.get_by_text("Not answered yet (7): ask the operator.").first).to_be_visible()
    unexpected = axe_problems(app, "the Sovereignty page (expanders open)")
    assert not unexpected, "accessibility violations (axe-core):\n" + "\n".join(unexpected)
    server.assert_log_clean()
