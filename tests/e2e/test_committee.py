"""A committee decision made in the app, in a real browser, equals the same decision made
with ``shortlist committee`` (issue 17's "done when"), on SQLite and on PostgreSQL.

The owner opens the decision on the Committee page and copies the five members' links;
each member opens their link in a browser context of their own (a separate person: no
shared cookies or session), sets weights and submits; the owner pastes the owner token
back after a reload, sees the progress, closes and downloads the record. The same
decision made through the CLI (a subprocess: ``new`` with the app decision's stored base
priorities, ``invite``, ``submit``, ``close``, ``record``) gives the same group
priorities, group ranking, consensus figures, dissent and record. What legitimately
differs between the two records is normalised before comparing, and only that: the
times (opened, closed, each submission), the decision's number (both live in one
database) and the base priorities' name (the app names them after the sidebar's preset,
the CLI by the file given); the base priorities' SHA-256 must match.

The server runs with ``SHORTLIST_DATABASE_URL`` set (a temporary SQLite file, or the
PostgreSQL test database of ``SHORTLIST_TEST_POSTGRES_URL``, emptied first; skipped
without it, failed under ``SHORTLIST_POSTGRES_REQUIRED=1``). No token may appear in the
server's output (stdout and stderr), nor stay in the address bar once a link is opened.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from engine.catalog.loading import load_criteria
from engine.committee.store import Store
from tests.committee.conftest import POSTGRES_URL, REQUIRED, SKIP_REASON, empty_postgres
from tests.committee.test_cli import CRIT, MEMBERS, WEIGHTS  # the same decision as the CLI tests
from tests.conftest import CRITERIA, ROOT, VENDORS
from tests.e2e.conftest import (
    ARTIFACTS,
    TIMEOUT_MS,
    VIEWPORT,
    Screenshots,
    Server,
    clean_env,
    frozen_env,
    running_streamlit,
    settle,
    skip_module_without_browser,
)
from tests.e2e.test_browser import download, slider_thumb
from tests.e2e.test_live_catalog import axe_problems

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

skip_module_without_browser()
pytestmark = pytest.mark.e2e

NAME = "2027 LLM platform tender"
FIRST_TRY = {"monthly_cost": 50, "capability": 40, "compliance": 0}
"""The IT lead's first revision; the second moves Compliance to 10 with the keyboard."""
TOKEN = re.compile(r"[?&]token=([A-Za-z0-9_-]{43})")
TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def committee_server(
    request: pytest.FixtureRequest, chromium: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, str]]:
    """The app on the frozen catalog with its committee store on SQLite or PostgreSQL."""
    tmp = tmp_path_factory.mktemp(f"committee-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp / 'committee.db'}"
    else:
        if not POSTGRES_URL:
            if REQUIRED:
                pytest.fail(SKIP_REASON + "; required here")
            pytest.skip(SKIP_REASON)
        empty_postgres(POSTGRES_URL)
        url = POSTGRES_URL
    env = {**frozen_env(), "SHORTLIST_DATABASE_URL": url}
    with running_streamlit("app.py", ROOT, env, tmp / "streamlit.log") as (u, proc):
        yield Server(u, tmp / "streamlit.log", proc), url


def weights_query(weights: dict[str, int]) -> str:
    """The sidebar's sliders as link parameters: these weights, every other criterion 0."""
    ids = load_criteria(CRITERIA).ids()
    return "&".join(f"w_{c}={weights.get(c, 0)}" for c in ids)


def new_page(browser: Browser) -> Page:
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors  # type: ignore[attr-defined]
    return page


def member_submits(browser: Browser, link: str, who: str) -> str:
    """A member opens their link in a browser of their own and submits; returns the page's text."""
    from playwright.sync_api import expect

    page = new_page(browser)
    try:
        first = FIRST_TRY if who == "IT lead" else WEIGHTS[who]
        page.goto(f"{link}&{weights_query(first)}")
        expect(page.get_by_text(f"You are {who} on this decision.")).to_be_visible()
        settle(page)
        assert "token=" not in page.url  # taken out of the address bar at once
        page.get_by_role("button", name="Submit my priorities").click()
        expect(page.get_by_text("Revision 1 of your priorities is kept.")).to_be_visible()
        settle(page)
        if who == "IT lead":  # a revision, with the sidebar's slider moved by the keyboard
            thumb = slider_thumb(page, "Compliance")
            thumb.focus()
            for _ in range(10):
                thumb.press("ArrowRight")
            expect(thumb).to_have_value("10")
            page.get_by_role("button", name="Apply weights").click()
            expect(
                page.get_by_text(re.compile(r"What Submit sends now: .*Compliance 10\.0%"))
            ).to_be_visible()
            settle(page)
            page.get_by_role("button", name="Submit my priorities").click()
            expect(page.get_by_text("Revision 2 of your priorities is kept.")).to_be_visible()
            settle(page)
        if who == "Legal":
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "committee-member.png"))
        text = page.locator("body").inner_text()
        assert not page.errors, page.errors  # type: ignore[attr-defined]
        return text
    finally:
        page.context.close()


def cli(db: str, *args: str, token: str | None = None) -> Any:
    """``python -m engine committee ARGS --database DB --format json`` as a subprocess (the
    token through the environment, as the CLI prefers)."""
    env = clean_env()
    if token is not None:
        env["SHORTLIST_COMMITTEE_TOKEN"] = token
    done = subprocess.run(
        [sys.executable, "-m", "engine", "committee", *args, "--database", db],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


def comparable(record: bytes) -> str:
    """The record with what legitimately differs between the app's and the CLI's
    decisions replaced (see the module docstring)."""
    text = record.decode("utf-8")
    text = TIME.sub("<time>", text)
    text = re.sub(r"^- Decision: \d+;", "- Decision: <n>;", text, flags=re.M)
    return re.sub(
        r"^(- Base priorities \(must-haves, workload\): ).*?(, as stored in the decision)",
        r"\1<name>\2",
        text,
        flags=re.M,
    )


def test_five_members_in_the_app_equal_the_cli(
    browser: Browser,
    committee_server: tuple[Server, str],
    tmp_path: Path,
    screenshots: Screenshots,
) -> None:
    from playwright.sync_api import expect

    server, db = committee_server
    owner_page = new_page(browser)
    try:
        # --- the owner opens the decision (sidebar: the three criteria weighted, the others 0)
        owner_page.goto(f"{server.url}/committee?{weights_query(dict.fromkeys(CRIT, 1))}")
        expect(owner_page.get_by_role("heading", name="Open a decision")).to_be_visible()
        settle(owner_page)
        owner_page.get_by_role("textbox", name="Decision name").fill(NAME)
        owner_page.get_by_role("textbox", name="Members (one name or role per line)").fill("\n".join(MEMBERS))
        owner_page.get_by_role("button", name="Open the decision").click()
        expect(owner_page.get_by_text("Copy these links now: they are shown only once.")).to_be_visible()
        settle(owner_page)
        expect(owner_page.get_by_test_id("stCode")).to_have_count(1 + len(MEMBERS))
        codes = owner_page.get_by_test_id("stCode").all_inner_texts()
        ARTIFACTS.mkdir(exist_ok=True)
        owner_page.screenshot(path=str(ARTIFACTS / "committee-links.png"))
        assert len(codes) == 1 + len(MEMBERS), codes
        tokens = [TOKEN.search(c) for c in codes]
        assert all(tokens), codes
        owner = tokens[0].group(1)  # type: ignore[union-attr]
        links = dict(zip(MEMBERS, (c.strip() for c in codes[1:]), strict=True))
        assert all(link.startswith(f"{server.url}/committee?token=") for link in links.values())
        assert "token=" not in owner_page.url
        expect(owner_page.get_by_role("heading", name=NAME)).to_be_visible()
        owner_page.get_by_role("button", name="I have copied the links").click()
        expect(owner_page.get_by_test_id("stCode")).to_have_count(0)  # shown once: gone now
        settle(owner_page)

        # --- each member in a browser of their own; none sees another's
        for who in MEMBERS:
            text = member_submits(browser, links[who], who)
            assert not [o for o in MEMBERS if o != who and o in text], text

        # --- the owner comes back (a reload forgets the token: paste it), sees who, not what
        owner_page.goto(f"{server.url}/committee")
        field = owner_page.get_by_label("Your token")
        expect(field).to_have_attribute("type", "password")
        field.fill(owner)
        owner_page.get_by_role("button", name="Open with this token").click()
        expect(owner_page.get_by_text("5 of 5 members have submitted.")).to_be_visible()
        settle(owner_page)
        owner_page.get_by_role("button", name="Close the decision").click()
        expect(owner_page.get_by_role("heading", name="The group ranking")).to_be_visible()
        settle(owner_page)
        expect(owner_page.get_by_test_id("stException")).to_have_count(0)
        expect(owner_page.get_by_test_id("stMetric")).to_have_count(2)
        expect(owner_page.get_by_test_id("stMetric").first).to_contain_text("not applicable")
        expect(
            owner_page.locator("[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg")
        ).not_to_have_count(0)
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / f"committee-results-{db.split(':')[0]}.png"
        height = owner_page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
        owner_page.set_viewport_size({"width": VIEWPORT["width"], "height": int(height)})
        settle(owner_page)
        owner_page.screenshot(path=str(shot), full_page=True)
        owner_page.set_viewport_size(VIEWPORT)
        screenshots.paths.append(shot)
        unexpected = axe_problems(owner_page, "/committee (closed, owner)")
        assert not unexpected, "accessibility violations (axe-core):\n" + "\n".join(unexpected)
        _, app_record = download(owner_page, "Committee record (Markdown, as shortlist committee record)")
        assert not owner_page.errors  # type: ignore[attr-defined]
    finally:
        owner_page.context.close()

    # --- the app's decision as stored, and its record as the CLI renders it: the same bytes
    with Store(db, create=False) as store:
        app_view = store.decision(owner)
    assert app_view.state == "closed" and app_view.result is not None
    assert cli(db, "record", token=owner) == app_record
    for t in [owner, *(TOKEN.search(link).group(1) for link in links.values())]:  # type: ignore[union-attr]
        assert t not in server.log(), "a token is in the server's output"
    server.assert_log_clean()

    # --- the same decision through the CLI
    prio = tmp_path / "priorities.yaml"
    prio.write_text(app_view.priorities_yaml, encoding="utf-8")
    new = json.loads(
        cli(db, "new", NAME, "--priorities", str(prio), "--vendors", str(VENDORS), "--format", "json")
    )
    assert new["criteria"] == CRIT
    invited = json.loads(cli(db, "invite", *MEMBERS, "--format", "json", token=new["owner_token"]))
    toks = {m["name"]: m["token"] for m in invited["members"]}
    for who in MEMBERS:
        tries = [FIRST_TRY, WEIGHTS[who]] if who == "IT lead" else [WEIGHTS[who]]
        for w in tries:
            pairs = [a for c in CRIT for a in ("--weight", f"{c}={w[c]}")]
            cli(db, "submit", *pairs, token=toks[who])
    closed = json.loads(cli(db, "close", "--format", "json", token=new["owner_token"]))
    cli_record = cli(db, "record", token=new["owner_token"])

    r = app_view.result
    assert closed["aggregation"] == r["aggregation"] == "aip-arithmetic"
    assert closed["group_weights"] == dict(zip(CRIT, r["group_weights"], strict=True))
    assert closed["group_ranking"] == r["group_ranking"]
    assert closed["consensus"] == r["consensus"]  # None: no member gave pairwise comparisons
    assert closed["kendall_w"] == r["kendall_w"] and r["kendall_w"] is not None
    assert closed["spread"] == r["spread"]
    assert closed["acceptability"] == r["acceptability"]
    assert closed["members"] == r["members"]
    assert comparable(cli_record) == comparable(app_record)
    assert cli_record != app_record  # the times do differ: the comparison above did normalise them
