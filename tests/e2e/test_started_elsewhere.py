"""The app's guarantees hold wherever the server is started (issue 11, SECURITY.md).

Streamlit reads ``.streamlit/config.toml`` from the working directory only: a server
started as ``cd /tmp && streamlit run /path/app.py`` has Streamlit's defaults
(``client.showErrorDetails = "full"``, 200 MB uploads). This starts the real server in
an empty directory and checks in Chromium that a bug shows no details and that the
upload widgets refuse a file over the 1 MiB limit.

The bug is injected by a ``sitecustomize`` on the server's ``PYTHONPATH``: with
``?boom=1`` in the link, ``ui.sidebar.widget_state`` raises (after app.py's first lines
ran, as any bug in a page would).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from engine.catalog.yamlio import MAX_BYTES
from tests.conftest import ROOT
from tests.e2e.conftest import (
    TIMEOUT_MS,
    VIEWPORT,
    clean_env,
    running_streamlit,
    settle,
    skip_module_without_browser,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser

skip_module_without_browser()

SECRET = "SECRET-DETAIL-4711"
HOOK = f'''
import streamlit as st
import ui.sidebar as sidebar

_orig = sidebar.widget_state


def _boom():
    if "boom" in st.query_params:
        raise RuntimeError("{SECRET} /etc/passwd")
    return _orig()


sidebar.widget_state = _boom
'''


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``streamlit run /abs/app.py`` started in an empty directory; its URL."""
    cwd = tmp_path_factory.mktemp("elsewhere")
    hook = tmp_path_factory.mktemp("hook")
    (hook / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
    env = {**clean_env(), "PYTHONPATH": f"{hook}:{ROOT}", "HOME": str(cwd)}  # no ~/.streamlit either
    with running_streamlit(str(ROOT / "app.py"), cwd, env, cwd / "streamlit.log") as (url, _proc):
        yield url


def _page(browser: Browser, url: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(url)
    return context, page


def test_a_bug_shows_no_details_when_started_elsewhere(browser: Browser, elsewhere: str) -> None:
    from playwright.sync_api import expect

    context, page = _page(browser, f"{elsewhere}/?boom=1")
    try:
        expect(page.get_by_test_id("stException")).to_have_count(1)
        settle(page)
        shown = page.get_by_test_id("stException").inner_text()
        assert SECRET not in shown and "RuntimeError" not in shown and "passwd" not in shown, shown
        assert SECRET not in page.content()
    finally:
        context.close()


def test_the_upload_limit_holds_when_started_elsewhere(
    browser: Browser, elsewhere: str, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    context, page = _page(browser, elsewhere)
    try:
        expect(page.get_by_role("button", name="Download shortlist (CSV)")).to_be_visible()
        settle(page)
        page.get_by_test_id("stTopNavLink").filter(has_text="Catalog").first.click()
        expect(page.get_by_role("heading", name="Catalog", exact=True)).to_be_visible()
        settle(page)
        expect(page.get_by_text("1 MiB (1,048,576 bytes)").first).to_be_visible()
        big = b"id: big\n" + b"#" * (MAX_BYTES + 1 - len(b"id: big\n") - 1) + b"\n"
        assert len(big) == MAX_BYTES + 1
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
            files=[{"name": "big.yaml", "mimeType": "application/x-yaml", "buffer": big}]
        )
        # the widget refuses it in the browser (per-widget max_upload_size, not config.toml)
        expect(page.get_by_text(re.compile(r"File must be .* or smaller"))).to_be_visible()
        settle(page)
        # never sent to the app: no verdict on it below the widget
        expect(page.get_by_text("Not uploaded", exact=False)).to_have_count(0)
        expect(page.get_by_text("was not loaded", exact=False)).to_have_count(0)
    finally:
        context.close()
