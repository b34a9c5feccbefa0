"""The app's Committee page under AppTest: open a decision, members' links, a member's
submission from the sidebar, blind until close (a member sees only their own, the owner
who and when but never what), revocation, the close, the results and the record (the
same bytes as ``shortlist committee record``). The store is a temporary SQLite file
named through ``SHORTLIST_DATABASE_URL``."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from engine.cli import main
from tests.test_app import apply, page, start

CRIT = ["monthly_cost", "capability", "compliance"]
WEIGHTS = {
    "IT lead": {"monthly_cost": 50, "capability": 40, "compliance": 10},
    "Security": {"monthly_cost": 10, "capability": 30, "compliance": 60},
    "Legal": {"monthly_cost": 10, "capability": 20, "compliance": 70},
}
TOKEN = re.compile(r"\?token=([A-Za-z0-9_-]{43})$")


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'committee.db'}"
    monkeypatch.setenv("SHORTLIST_DATABASE_URL", url)
    return url


def committee(monkeypatch: pytest.MonkeyPatch, token: str | None = None) -> AppTest:
    """A fresh session on the Committee page (with a personal link's token, if given)."""
    at = start(monkeypatch, query={"token": token} if token else None)
    return page(at, "committee")


def links(at: AppTest) -> dict[str, str]:
    """The links shown once: who → token."""
    who = [m.value.strip("*") for m in at.markdown if m.value.startswith("**")]
    codes = [c.value for c in at.code]
    tokens = [TOKEN.search(c) for c in codes]
    assert all(tokens), codes
    heads = [w for w in who if w.startswith(("Your owner link", "Member: "))]
    return {
        h.removeprefix("Member: "): t.group(1) for h, t in zip(heads, tokens, strict=True) if t is not None
    }


def frame(at: AppTest, column: str):
    """The first table on the page with ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in at.error] + [s.value for s in at.success] + [w.value for w in at.warning]
    return "\n".join(parts)


def open_decision(monkeypatch: pytest.MonkeyPatch, members: list[str]) -> tuple[str, dict[str, str]]:
    at = committee(monkeypatch)
    at.text_input(key="cm_name").input("2027 LLM platform tender")
    at.multiselect(key="cm_criteria").set_value(CRIT)
    at.text_area(key="cm_members").input("\n".join(members))
    at.button(key="cm_create").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert "shown only once" in at.warning[0].value
    got = links(at)
    owner = got.pop("Your owner link (to follow progress and close the decision)")
    assert sorted(got) == sorted(members)
    # the token is in no URL the app writes
    assert all("token" not in k for k in at.query_params)
    return owner, got


def submit(monkeypatch: pytest.MonkeyPatch, token: str, weights: dict[str, int]) -> AppTest:
    at = committee(monkeypatch, token)
    assert "token" not in at.query_params  # taken out of the address at once
    for s in at.slider:
        crit = next((c for c in weights if s.key == f"w_{c}"), None)
        s.set_value(weights[crit] if crit else 0)
    apply(at)
    assert not at.exception, at.exception
    at.button(key="cm_submit").click().run()
    assert not at.exception, at.exception
    return at


def cli_record(db: str, token: str) -> bytes:
    out = io.StringIO()
    assert main(["committee", "record", "--database", db, "--token", token], out=out, err=io.StringIO()) == 0
    return out.getvalue().encode("utf-8")


def test_a_committee_from_the_app_open_submit_close_record(monkeypatch, db):
    owner, toks = open_decision(monkeypatch, list(WEIGHTS))

    for who, w in WEIGHTS.items():
        at = submit(monkeypatch, toks[who], w)
        assert "Revision 1 of your priorities is kept." in text(at)
        assert f"You are **{who}**" in text(at)
        # the member sees their own revision, nothing of the others'
        table = frame(at, "revision")
        assert list(table["revision"]) == [1]
        others = [m for m in WEIGHTS if m != who]
        assert not any(o in text(at) for o in others)
        assert not any(o in str(d.value) for d in at.dataframe for o in others)

    # a revision: kept, listed with its time
    at = submit(monkeypatch, toks["IT lead"], WEIGHTS["IT lead"])
    assert list(frame(at, "revision")["revision"]) == [1, 2]

    # the owner: who and when, never what
    at = committee(monkeypatch, owner)
    prog = frame(at, "member")
    assert list(prog["member"]) == list(WEIGHTS) and list(prog["revisions"]) == [2, 1, 1]
    assert "3 of 3" in text(at)
    assert not any("%" in str(v) for v in prog.to_numpy().ravel())
    assert not [b for b in at.button if b.key == "cm_record"]  # no record before the close

    at.button(key="cm_close").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert "Closed on" in text(at)
    assert "Kendall's W (rankings)" in [m.label for m in at.metric]
    ranking = frame(at, "group rank")
    assert list(ranking.columns[:3]) == ["group rank", "offering", "score (0–100)"]
    assert set(WEIGHTS) <= set(ranking.columns)
    assert [b for b in at.get("download_button") if b.proto.label.startswith("Committee record")]
    data = at.session_state["export_committee_record"].encode("utf-8")
    assert data == cli_record(db, owner)
    assert data == cli_record(db, toks["Legal"])  # any valid token of the decision after the close

    # after the close a member sees the results too
    at = committee(monkeypatch, toks["Security"])
    assert "closed the decision" in text(at)
    assert frame(at, "group rank").shape[0] >= 1


def test_a_revoked_link_is_refused_and_an_unknown_token_too(monkeypatch, db):
    owner, toks = open_decision(monkeypatch, ["Security", "Legal"])
    at = committee(monkeypatch, owner)
    at.selectbox(key="cm_revoke_who").set_value("Legal").run()
    at.button(key="cm_revoke").click().run()
    assert "Legal's link no longer works." in text(at)
    assert "revoked" in str(list(frame(at, "member")["link"]))

    at = committee(monkeypatch, toks["Legal"])
    assert "this token was revoked" in text(at)
    assert not [b for b in at.button if b.key == "cm_submit"]
    assert at.text_input(key="cm_token_input")  # back to the start: paste another token

    at = committee(monkeypatch, "x" * 43)
    assert "committee.unknown_token" in text(at)


def test_a_pasted_token_opens_the_decision_and_a_member_cannot_close(monkeypatch, db):
    _, toks = open_decision(monkeypatch, ["Security", "Legal"])
    at = committee(monkeypatch)
    field = at.text_input(key="cm_token_input")
    assert field.proto.type == field.proto.PASSWORD
    field.input(toks["Security"])
    at.button(key="cm_open").click().run()
    assert "You are **Security**" in text(at)
    assert not [b for b in at.button if b.key in ("cm_close", "cm_revoke", "cm_invite")]
    assert not [d for d in at.dataframe if "member" in d.value.columns]  # no progress for a member


def test_visiting_the_page_makes_no_database(monkeypatch, tmp_path):
    db = tmp_path / "none.db"
    monkeypatch.setenv("SHORTLIST_DATABASE_URL", f"sqlite:///{db}")
    at = committee(monkeypatch)
    assert not at.error and at.text_input(key="cm_name")
    at = committee(monkeypatch, "y" * 43)  # a token tried against a missing database
    assert "no committee database" in text(at)
    assert not db.exists()


def test_a_member_submits_pairwise_comparisons_from_the_sidebar(monkeypatch, db):
    """The sidebar's AHP way: the comparisons among the decision's criteria are submitted
    as an AHP matrix (the record's AIJ input)."""
    _, toks = open_decision(monkeypatch, ["Security"])
    at = committee(monkeypatch, toks["Security"])
    at.radio(key="mode").set_value("ahp").run()
    at.multiselect(key="ahp_criteria").set_value(CRIT).run()
    at.select_slider(key="ahp_monthly_cost__capability").set_value(-4).run()  # capability 5x
    assert not at.exception, at.exception
    assert "What *Submit* sends now:" in text(at)
    at.button(key="cm_submit").click().run()
    assert "Revision 1 of your priorities is kept." in text(at)
    table = frame(at, "revision")
    assert list(table["given as"]) == ["pairwise comparisons"]
    shares = [float(table[c][0].rstrip("%")) for c in ("Monthly cost", "Capability", "Compliance")]
    assert shares[1] > shares[0] and sum(shares) == pytest.approx(100, abs=0.2)


def test_a_link_token_is_not_reported_as_an_unknown_link_value(monkeypatch, db):
    _, toks = open_decision(monkeypatch, ["Security"])
    at = committee(monkeypatch, toks["Security"])
    assert not [w for w in at.warning if "could not be used" in w.value]
    assert toks["Security"] not in text(at)
    assert at.session_state["cm_token"] == toks["Security"]


def test_names_typed_by_people_are_shown_as_text(monkeypatch, db):
    """A decision or member name holding Markdown or HTML is shown as typed, never rendered."""
    hostile = "[click](https://evil.example) <b>x</b> *y*"
    at = committee(monkeypatch)
    at.text_input(key="cm_name").input(hostile)
    at.multiselect(key="cm_criteria").set_value(CRIT)
    at.text_area(key="cm_members").input(hostile)
    at.button(key="cm_create").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    member = next(m.value for m in at.markdown if m.value.startswith("**Member: "))
    assert "\\[click\\]" in member and "\\*y\\*" in member and "<b>" not in member
    assert any("\\[click\\]" in h.value for h in at.header)


@pytest.mark.parametrize("bad", ["IT lead\nRTL\u202eX", "Legal\nLegal", "x" * 250])
def test_a_bad_member_name_opens_no_decision(monkeypatch, tmp_path, bad):
    """Every member name is checked before the decision opens: a bad one (a control
    character, a name given twice, too long) is refused and nothing is written, rather than
    a decision left open without its members."""
    path = tmp_path / "c.db"
    monkeypatch.setenv("SHORTLIST_DATABASE_URL", f"sqlite:///{path}")
    at = committee(monkeypatch)
    at.text_input(key="cm_name").input("2027 LLM tender")
    at.multiselect(key="cm_criteria").set_value(CRIT)
    at.text_area(key="cm_members").input(bad)
    at.button(key="cm_create").click().run()
    assert not at.exception
    assert at.error and "member" in at.error[0].value
    assert not [m for m in at.markdown if m.value.startswith("**Member: ") or "owner link" in m.value.lower()]
    if path.exists():  # the store may be opened; it then holds no decision
        from engine.committee.store import Store

        with Store(f"sqlite:///{path}", create=False) as s:
            assert s.table_counts()["decisions"] == 0
