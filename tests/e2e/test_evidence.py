"""The Evidence page in a real browser (frozen catalog, bank preset): a link opens it on an
offering, the offering's range and deciding questions show, the questionnaire downloads
equal ``shortlist rfi``'s files, and axe-core finds no violation beyond the app's known
ones (:func:`tests.e2e.test_live_catalog.known`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import Server, cli, settle, skip_module_without_browser
from tests.e2e.test_browser import open_page
from tests.e2e.test_live_catalog import axe_problems

if TYPE_CHECKING:
    from playwright.sync_api import Page

skip_module_without_browser()
pytestmark = pytest.mark.e2e

SCALEWAY = "scaleway-genapi-mistral-medium-3.5"


def _download(page: Page, button: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role("button", name=button, exact=True).click()
    dl = info.value
    return dl.suggested_filename, Path(dl.path()).read_bytes()


def test_a_link_opens_the_evidence_of_an_offering_and_its_questionnaires_download(
    app: Page, server: Server, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    app.goto(f"{server.url}/evidence?evidence={SCALEWAY}&rfi=operator-scaleway")
    expect(app.get_by_role("heading", level=1)).to_have_text("Evidence: which unknowns decide the ranking")
    offering = app.locator(".st-key-evidence_offering")
    expect(offering).to_contain_text(
        "excluded today; rank 1 at best if the 3 unknowns below are answered favourably"
    )
    questions = app.locator(".st-key-evidence_questions")
    expect(questions).to_contain_text("Ask Scaleway (operator of the channel)")
    expect(questions).to_contain_text("Q1. Does this offering hold ISO/IEC 27001")
    app.get_by_text("1 question that cannot change the shortlist").click()  # open the collapsed ones
    expect(questions).to_contain_text("time to first token")
    settle(app)
    expect(app.get_by_test_id("stException")).to_have_count(0)

    unexpected = axe_problems(app, "the Evidence page")
    assert not unexpected, "accessibility violations (axe-core):\n" + "\n".join(unexpected)

    for fmt in ("markdown", "yaml", "xlsx"):
        cli("rfi", "--format", fmt, "--output", str(tmp_path / fmt))
    name, data = _download(app, "Questionnaire (Markdown)")
    assert name == "operator-scaleway.md" and data == (tmp_path / "markdown" / name).read_bytes()
    name, data = _download(app, "Answer template (YAML)")
    assert name == "operator-scaleway.rfi.yaml" and data == (tmp_path / "yaml" / name).read_bytes()
    name, data = _download(app, "Every questionnaire (Excel workbook)")
    assert name == "rfi.xlsx" and data == (tmp_path / "xlsx" / name).read_bytes()
    settle(app)
    assert app.url.startswith(
        f"{server.url}/evidence?"
    )  # the downloads left the page and its link as they were
    assert f"evidence={SCALEWAY}" in app.url and "rfi=operator-scaleway" in app.url
    server.assert_log_clean()


def test_an_answer_file_uploaded_in_the_browser_moves_scaleway_into_the_ranking(
    app: Page, server: Server, tmp_path: Path
) -> None:
    """Issue 14 "done when", in the app: the operator's filled-in answer template (built
    from the CLI's template, INVENTED TEST DATA) uploaded on the Evidence page; Scaleway,
    excluded on an unknown ISO 27001 before, is ranked (the AppTest twin,
    tests/test_app_answers.py, checks the rows); the Shortlist page's decision record
    download names the file and the values it gave."""
    from playwright.sync_api import expect

    from tests.test_app_answers import SCALEWAY_ANSWERS

    answers = tmp_path / "scaleway-answers.yaml"
    answers.write_bytes(SCALEWAY_ANSWERS)
    app.goto(f"{server.url}/evidence")
    expect(app.get_by_role("heading", name="Vendors' answers")).to_be_visible()
    app.locator("input[type=file]").last.set_input_files(str(answers))
    done = app.locator(".st-key-answer_files")
    expect(done).to_contain_text("scaleway-answers.yaml (operator-scaleway): 2 answers used")
    settle(app)
    open_page(app, "Shortlist")
    expect(app.get_by_test_id("stException")).to_have_count(0)
    record = app.get_by_role("button", name="Decision record (Markdown)")
    with app.expect_download() as info:
        record.click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert "## Vendors' answers" in text and "answers:scaleway-answers.yaml" in text
    assert f"| {SCALEWAY} | `certifications.iso27001` | certified |" in text
    server.assert_log_clean()
