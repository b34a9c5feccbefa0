"""The Policy page's uploads in a real browser: removing a file with the widget's own
delete button stops the check on it; a file kept across a page switch is listed by name
with a Remove button (issue 11, kind 8)."""

from __future__ import annotations

import urllib.parse
from typing import TYPE_CHECKING

from tests.conftest import CRITERIA
from tests.e2e.conftest import TIMEOUT_MS, VIEWPORT, Server, settle, skip_module_without_browser

if TYPE_CHECKING:
    from playwright.sync_api import Browser

skip_module_without_browser()

FAILING = (
    (CRITERIA / "policies" / "eu-regulated.yaml")
    .read_bytes()
    .replace(b"score: 50\n  severity: warn", b"score: 99\n  severity: deny")
)


def test_a_removed_policy_upload_is_no_longer_checked(browser: Browser, server: Server) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(f"{server.url}/policy?" + urllib.parse.urlencode({"policy": "(upload a policy file)"}))
        expect(page.get_by_text("Upload a policy file to check it")).to_be_visible()
        settle(page)
        page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(
            files=[{"name": "mine-policy.yaml", "mimeType": "application/x-yaml", "buffer": FAILING}]
        )
        summary = page.locator(".st-key-policy_summary")
        expect(summary).to_contain_text("EU regulated AI suppliers fails")
        expect(page.get_by_text("Checking the uploaded policy file mine-policy.yaml")).to_be_visible()
        settle(page)
        # a page switch: the widget is empty, the kept file is listed by name
        page.get_by_test_id("stTopNavLink").filter(has_text="Catalog").first.click()
        expect(page.get_by_role("heading", name="Catalog", exact=True)).to_be_visible()
        settle(page)
        page.get_by_test_id("stTopNavLink").filter(has_text="Policy").first.click()
        expect(page.get_by_text("In use, uploaded earlier in this session: policy file")).to_be_visible()
        expect(summary).to_contain_text("fails")
        settle(page)
        # upload again, then remove it with the widget's own delete button
        page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(
            files=[{"name": "mine-policy.yaml", "mimeType": "application/x-yaml", "buffer": FAILING}]
        )
        expect(page.get_by_test_id("stFileChipDeleteBtn")).to_have_count(1)
        expect(page.get_by_text("In use, uploaded earlier")).to_have_count(0)
        settle(page)
        page.get_by_test_id("stFileChipDeleteBtn").first.click()
        expect(page.get_by_text("Upload a policy file to check it")).to_be_visible()
        expect(summary).to_have_count(0)
        expect(page.get_by_text("mine-policy.yaml")).to_have_count(0)
        expect(page.get_by_test_id("stException")).to_have_count(0)
    finally:
        context.close()
    server.assert_log_clean()
