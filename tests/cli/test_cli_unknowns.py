"""``explain``, ``compare`` and the decision record show the rank range over unknowns
(frozen catalog, bank preset, prices on the catalog's date)."""

from __future__ import annotations

import csv
import io
import json

import pytest

import engine
from engine.catalog.loading import load_priorities_doc
from engine.cli import main
from engine.mcda.unknowns import describe, range_sentence, range_short, rank_ranges
from tests.conftest import CRITERIA, VENDORS, offering_yaml, priorities, vendor_yaml

ON = "2026-11-29"
BASE = [
    "--priorities",
    "regulated-eu-bank",
    "--vendors",
    str(VENDORS),
    "--criteria",
    str(CRITERIA),
    "--on",
    ON,
]
GAP = "scaleway-genapi-mistral-medium-3.5"  # out today on an unknown ISO 27001 only


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def ranges():
    import datetime as dt

    p, _ = load_priorities_doc(CRITERIA / "presets" / "regulated-eu-bank.yaml")
    cat = engine.load_catalog([VENDORS])
    return p, rank_ranges(cat, engine.load_criteria(CRITERIA), p, on_date=dt.date.fromisoformat(ON))


def test_explain_text_lists_each_unknown(ranges):
    p, rr = ranges
    ranked = next(
        r for r in rr.values() if r.rank is not None and len(r.unknowns) >= 1 and r.best_rank != r.rank
    )
    for oid in (ranked.offering_id, GAP):
        code, out, err = run("explain", oid, *BASE)
        assert code == 0, err
        assert "Which unknowns matter (shortlist cut: top 3" in out
        assert range_sentence(rr[oid]) in out
        for u in rr[oid].unknowns:
            assert describe(u, p.robustness.top_k) in out
    gap = rr[GAP]
    assert gap.rank is None and gap.best_rank is not None
    assert "excluded today; rank" in range_sentence(gap)
    assert any(
        u.kind == "must-have" and u.field == "iso27001" and u.rank_if_worst is None for u in gap.unknowns
    )


def test_explain_json_and_output_file(ranges, tmp_path):
    _, rr = ranges
    code, out, err = run("explain", GAP, *BASE, "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["offering"]["offering_id"] == GAP and doc["offering"]["status"] == "excluded"
    got = doc["rank_range"]
    assert (got["rank"], got["best_rank"], got["worst_rank"], got["cut"]) == (
        None,
        rr[GAP].best_rank,
        None,
        3,
    )
    assert [u["field"] for u in got["unknowns"]] == [u.field for u in rr[GAP].unknowns]
    assert got["summary"] == range_sentence(rr[GAP])
    target = tmp_path / "e.json"
    code, printed, err = run("explain", GAP, *BASE, "--format", "json", "--output", str(target))
    assert code == 0 and printed == ""
    assert target.read_text(encoding="utf-8") == out


@pytest.mark.parametrize(
    "extra",
    [["--format", "yaml"], ["--format"], ["--format", "json", "--output", "/nonexistent-dir/x/e.json"]],
)
def test_explain_bad_format_or_output_is_exit_2(extra):
    code, out, err = run("explain", GAP, *BASE, *extra)
    assert code == 2 and "Traceback" not in err and err and out == ""


def test_compare_rank_range_row_in_every_format(ranges):
    _, rr = ranges
    ids = [GAP, "mistral-small-4-api"]
    code, out, err = run("compare", *ids, *BASE)
    assert code == 0, err
    assert "rank range (top-3 cut)" in out and "excluded; " in out
    code, out, err = run("compare", *ids, *BASE, "--format", "csv")
    rows = {r["item"]: r for r in csv.DictReader(io.StringIO(out))}
    assert "result.rank_range" in rows
    code, out, err = run("compare", *ids, *BASE, "--format", "json")
    doc = json.loads(out)
    for o in doc["offerings"]:
        want = rr[o["offering_id"]]
        assert (o["rank_range"]["best_rank"], o["rank_range"]["worst_rank"]) == (
            want.best_rank,
            want.worst_rank,
        )
    code, out, err = run("compare", *ids, *BASE, "--format", "markdown")
    assert "| Rank range over its unknowns (top-3 cut) |" in out


def test_decision_record_section(tmp_path, ranges):
    _, rr = ranges
    record = tmp_path / "r.md"
    code, _, err = run("rank", *BASE, "--record", str(record))
    assert code == 0, err
    text = record.read_text(encoding="utf-8")
    section = text.split("## Which unknowns matter", 1)[1].split("\n## ", 1)[0]
    assert "| offering | today | range | can cross the top-3 cut | cannot |" in section
    assert (
        f"| {GAP} | excluded | {range_short(rr[GAP])} |" in section
    )  # kept out by a gap, could reach the top 3
    line = next(x for x in section.splitlines() if x.startswith(f"| {GAP} |"))
    assert "compliance (best: " in line and "iso27001" in line  # can cross / cannot cross alone
    assert (
        "other ranked offering(s) listed in this record have unknowns whose answers alone cannot move them across the cut"
        in section
    )
    assert "| mistral-small-4-api | 11 | 1–11 (1 unknown) | capability (best: 1; worst: 11) | – |" in section


def test_bad_cut_is_a_clear_error(write_vendors, criteria):
    """Invented catalog: a cut of 0, a negative or a fractional one is refused."""
    cat = engine.load_catalog(
        [write_vendors({"a.yaml": vendor_yaml(offerings=offering_yaml("a") + offering_yaml("b"))})]
    )
    for bad in (0, -1, 2.5, True):
        with pytest.raises(engine.InputError) as exc:
            rank_ranges(cat, criteria, priorities(), cut=bad)  # type: ignore[arg-type]
        assert exc.value.issues[0].code == "usage.invalid" and "cut" in exc.value.issues[0].message
    with pytest.raises(engine.InputError):
        rank_ranges(cat, criteria, priorities(), method="borda")
