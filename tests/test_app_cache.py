"""What the app computes once for every session (issue 15, fast to first content): the
ranking (``ui.common.rank``) and the Evidence page's data (``ui.evidence.evidence_of``)
are shared across sessions with the same inputs and never across different ones; the
first meaningful content each page is measured by (``benchmarks/bench_app.py
--browser``) is drawn where the benchmark looks for it."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

import engine
from benchmarks.bench_app import BROWSER_PAGES
from tests.conftest import priorities
from tests.test_app import apply, page, start
from ui.common import RANKINGS_KEPT, assessments, rank
from ui.evidence import evidence, evidence_of


def ranking_of(at: AppTest) -> engine.Ranking:
    r: engine.Ranking = at.session_state["_ctx"].ranking
    return r


def keys(node: Any) -> set[str]:
    """The keys of every keyed container under ``node`` of an AppTest tree."""
    out: set[str] = set()
    for child in getattr(node, "children", {}).values():
        if getattr(child, "key", None):
            out.add(child.key)
        out |= keys(child)
    return out


def test_two_sessions_with_the_same_inputs_share_one_ranking(monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = start(monkeypatch), start(monkeypatch)
    shared = ranking_of(a)
    assert ranking_of(b) is shared
    ctx = a.session_state["_ctx"]
    fresh = engine.rank(ctx.catalog, ctx.criteria, ctx.priorities)  # what the app did before the cache
    assert engine.to_csv(fresh) == engine.to_csv(shared)
    assert fresh.inputs_digest == shared.inputs_digest


def test_other_weights_get_their_own_ranking_and_the_first_stays_cached(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a = start(monkeypatch)
    before = ranking_of(a)
    slider = a.slider(key="w_capability")
    slider.set_value(slider.value - 10 if slider.value >= 10 else slider.value + 10)
    apply(a)
    after = ranking_of(a)
    assert after is not before
    assert after.weights != before.weights and after.inputs_digest != before.inputs_digest
    assert ranking_of(start(monkeypatch)) is before  # a new session on the default inputs


def test_the_date_is_part_of_the_ranking_key(
    bundled: engine.Catalog, criteria: engine.CriteriaCatalog
) -> None:
    p = priorities()
    args = (("test", "catalog"), ("test", "criteria"), p.model_dump_json())
    one = rank(*args, dt.date(2026, 12, 1), bundled, criteria, p)
    two = rank(*args, dt.date(2026, 12, 2), bundled, criteria, p)
    assert (one.on_date, two.on_date) == (dt.date(2026, 12, 1), dt.date(2026, 12, 2))
    assert one.inputs_digest != two.inputs_digest
    assert rank(*args, dt.date(2026, 12, 1), bundled, criteria, p) is one


def test_evidence_is_computed_once_per_inputs_digest(
    bundled: engine.Catalog, criteria: engine.CriteriaCatalog
) -> None:
    p = priorities()
    r = engine.rank(bundled, criteria, p)
    first = evidence_of(r.inputs_digest, r, bundled, p)
    assert evidence_of(r.inputs_digest, r, bundled, p) is first
    assert first == evidence(r, bundled, p)
    other = engine.rank(bundled, criteria, p, on_date=r.on_date + dt.timedelta(days=1))
    assert evidence_of(other.inputs_digest, other, bundled, p) is not first


@pytest.mark.parametrize("path", [p for p, (_, sel) in BROWSER_PAGES.items() if sel.startswith(".st-key-")])
def test_the_benchmarked_first_content_is_drawn_in_its_keyed_container(
    monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    at = start(monkeypatch)
    name, selector = BROWSER_PAGES[path]
    if path:
        page(at, name.lower())
    key = selector.removeprefix(".st-key-").split()[0]
    assert key in keys(at.main), f"{name}: no container keyed {key!r}"


def test_a_weight_move_does_not_assess_the_catalog_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sovereignty assessments (two thirds of a ranking's time) do not depend on the
    weights: computed once for every session and slider move (issue 17, load)."""
    calls: list[int] = []
    real = engine.sovereignty_assessments

    def counting(*a: Any, **kw: Any) -> Any:
        calls.append(1)
        return real(*a, **kw)

    monkeypatch.setattr(engine, "sovereignty_assessments", counting)
    assessments.clear()
    rank.clear()  # a ranking cached by an earlier test would not ask for assessments at all
    at = start(monkeypatch)
    assert len(calls) == 1
    for step in (10, 20):
        slider = at.slider(key="w_capability")
        slider.set_value((slider.value + step) % 100)
        apply(at)
        assert not at.exception
    start(monkeypatch)  # another session
    assert len(calls) == 1
    ctx = at.session_state["_ctx"]
    assert engine.to_csv(ranking_of(at)) == engine.to_csv(
        engine.rank(ctx.catalog, ctx.criteria, ctx.priorities)
    )


def test_the_ranking_cache_is_bounded() -> None:
    """A meeting tries a new weight vector per slider move: the shared cache keeps the most
    recent few, so memory comes back once the meeting ends (benchmarks/bench_sessions.py)."""
    assert rank._info.max_entries == RANKINGS_KEPT <= 16  # type: ignore[attr-defined]


def test_the_server_runs_no_full_garbage_collection_after_each_rerun() -> None:
    """Streamlit's ``runner.postScriptGC`` walks every object the server holds after each
    run: 37% of the server's CPU with 20 sessions moving weights."""
    conf = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text())
    assert conf["runner"]["postScriptGC"] is False
