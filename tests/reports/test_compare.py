"""Compare two to four offerings (engine/reports/compare.py and ``shortlist compare``).

On the bundled data under the regulated-bank preset, and on small hand-made catalogs
whose answers are known by construction.
"""

from __future__ import annotations

import csv
import io
import json
import math
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import engine
import engine.catalog.schema
from engine.mcda.comparison import FACTS, Comparison, comparison, criterion_provenance
from engine.mcda.sensitivity.report import sensitivity_with
from engine.mcda.sensitivity.what_it_takes import what_would_it_take
from engine.reports.compare import (
    comparison_csv,
    comparison_dict,
    comparison_json,
    comparison_markdown,
    comparison_table,
)
from tests.conftest import CRITERIA, ROOT, VENDORS, offering_yaml, priorities, run_cli, vendor_yaml

BANK = CRITERIA / "presets" / "regulated-eu-bank.yaml"
ON = "2026-11-29"
FROZEN = ("--vendors", str(VENDORS))
"""The CLI compares the catalog that :func:`bank` ranks (the frozen 2026-11-29 copy)."""


# ----------------------------------------------------------------- the bundled data


@pytest.fixture(scope="module")
def bank(bundled, criteria):
    """(priorities, ranking, robustness report) of the bank preset on the bundled data."""
    import datetime as dt

    pr = engine.load_priorities(BANK)
    ranking = engine.rank(bundled, criteria, pr, on_date=dt.date.fromisoformat(ON))
    return pr, ranking, sensitivity_with(ranking, pr.robustness)


def picks(ranking: engine.Ranking) -> list[str]:
    """The leader, the runner-up, a lower-ranked offering and an excluded one."""
    ranked = [r.offering_id for r in ranking.ranked]
    return [ranked[0], ranked[1], ranked[-1], ranking.excluded[0].offering_id]


def compare_bank(bank, bundled, ids=None, **kw) -> Comparison:
    pr, ranking, report = bank
    kw.setdefault("report", report)
    kw.setdefault("weight_bounds", dict(pr.robustness.weight_bounds))
    return comparison(ranking, bundled, ids or picks(ranking), **kw)


def test_values_utilities_and_contributions_are_the_rankings_cells(bank, bundled):
    _, ranking, _ = bank
    ids = picks(ranking)
    comp = compare_bank(bank, bundled, ids)
    assert comp.offering_ids == tuple(ids)
    assert [r.offering_id for r in comp.offerings] == ids
    assert [c.criterion for c in comp.criteria] == [c.id for c in ranking.criteria]
    for row in comp.criteria:
        spec = next(c for c in ranking.criteria if c.id == row.criterion)
        assert (row.label, row.unit, row.direction) == (spec.label, spec.unit, spec.direction)
        assert row.weight == ranking.weights[row.criterion]
        assert [x.offering_id for x in row.cells] == ids
        for x in row.cells:
            cell = ranking.row(x.offering_id).cells[row.criterion]
            assert (x.value, x.utility, x.contribution, x.imputed, x.note) == (
                cell.value,
                cell.utility,
                cell.contribution,
                cell.imputed,
                cell.note,
            )
    for res in comp.offerings:
        r = ranking.row(res.offering_id)
        assert (res.status, res.rank, res.score, res.reasons, res.as_of) == (
            r.status,
            r.rank,
            r.score,
            r.reasons,
            r.as_of,
        )
        assert res.excluded_by + res.flags == r.reasons
    assert comp.leader == ids[0] and comp.leader_score == ranking.ranked[0].score
    assert comp.ranked_count == len(ranking.ranked)
    assert (comp.priorities_name, comp.method, comp.on_date, comp.currency, comp.inputs_digest) == (
        ranking.priorities_name,
        ranking.method,
        ranking.on_date,
        ranking.currency,
        ranking.inputs_digest,
    )


def test_provenance_is_the_most_specific_block(bank, bundled):
    ro = bundled.get("mistral-large-4-api")  # has a capability block with its own sources
    off = ro.offering
    assert off.capability is not None and off.capability.sources and off.latency is None
    comp = compare_bank(bank, bundled, ["mistral-large-4-api", "mistral-medium-3.5-api"])
    prov = {c.criterion: c.cells[0].provenance for c in comp.criteria}
    assert prov["capability"].block == "offering.capability"
    assert prov["capability"].sources == off.capability.sources != off.sources
    assert prov["capability"].as_of == off.capability.as_of != off.as_of
    assert prov["capability"].file == ro.file
    # no latency block: the offering's own
    assert (prov["response_time"].block, prov["response_time"].sources) == ("offering", off.sources)
    assert prov["transparency"].block == "vendor.fmti"
    assert prov["transparency"].sources == ro.vendor.fmti.sources
    assert prov["transparency"].as_of == ro.vendor.fmti.as_of
    # compliance is computed from the certifications that apply (here the vendor's)
    assert prov["compliance"].block == "vendor.certifications"
    assert prov["compliance"].sources == ro.vendor.certifications.sources
    for c in ("monthly_cost", "context_window", "data_residency", "jurisdiction", "openness"):
        assert (prov[c].block, prov[c].sources, prov[c].as_of) == ("offering", off.sources, off.as_of)
    medium = bundled.get("mistral-medium-3.5-api").offering
    lat = next(c for c in comp.criteria if c.criterion == "response_time").cells[1].provenance
    assert (lat.block, lat.sources, lat.as_of) == (
        "offering.latency",
        medium.latency.sources,
        medium.latency.as_of,
    )


def test_gaps_add_up_to_the_score_difference(bank, bundled):
    _, ranking, _ = bank
    comp = compare_bank(bank, bundled)
    leader = ranking.ranked[0]
    for i, res in enumerate(comp.offerings):
        gaps = [c.cells[i].gap for c in comp.criteria]
        if res.status == "excluded":
            assert res.score_gap is None and all(g is None for g in gaps)
            continue
        assert res.score_gap == pytest.approx(res.score - leader.score, abs=1e-12)
        assert math.fsum(gaps) == pytest.approx(res.score_gap, abs=1e-9)
        for c in comp.criteria:
            x = c.cells[i]
            assert x.gap == pytest.approx(x.contribution - leader.cells[c.criterion].contribution, abs=1e-12)
    assert all(c.cells[0].gap == 0 for c in comp.criteria)  # the leader against itself
    # the runner-up loses points somewhere and wins them somewhere else (or nowhere)
    runner = [c.cells[1].gap for c in comp.criteria]
    assert min(runner) < 0


def test_the_leader_need_not_be_compared(bank, bundled):
    _, ranking, _ = bank
    ranked = [r.offering_id for r in ranking.ranked]
    comp = compare_bank(bank, bundled, ranked[1:3])
    assert comp.leader == ranked[0]
    for i, res in enumerate(comp.offerings):
        assert math.fsum(c.cells[i].gap for c in comp.criteria) == pytest.approx(res.score_gap, abs=1e-9)
        assert res.score_gap < 0 or ranking.row(res.offering_id).rank == 1


def test_what_it_would_take_is_the_sensitivity_modules_answer(bank, bundled):
    pr, ranking, report = bank
    ids = picks(ranking)
    comp = compare_bank(bank, bundled, ids)
    bounds = dict(pr.robustness.weight_bounds)
    for res in comp.offerings[1:3]:
        wit = what_would_it_take(report.problem, res.offering_id, bounds)
        p = res.path_to_first
        assert p is not None
        assert (p.status, p.message, p.price_message, p.price_cut) == (
            wit.status,
            wit.message,
            wit.price_message,
            wit.price_cut,
        )
        assert p.weights == (dict(wit.weights) if wit.weights is not None else None)
    runner = comp.offerings[1].path_to_first
    assert runner.status == "weights" and "percentage points" in runner.message
    # the leader: first, in the same words as what_would_it_take for rank 1
    first = what_would_it_take(report.problem, ids[0], bounds)
    lead = comp.offerings[0].path_to_first
    assert (lead.status, lead.message, lead.price_message) == ("first", first.message, first.price_message)
    # the bounds matter: without them the answer is the unbounded one
    free = compare_bank(bank, bundled, ids, weight_bounds=None).offerings[1].path_to_first
    assert free.message == what_would_it_take(report.problem, ids[1]).message


def test_without_a_report_ranked_offerings_have_no_answer(bank, bundled):
    comp = compare_bank(bank, bundled, report=None)
    assert comp.offerings[0].path_to_first.status == "first"
    assert comp.offerings[1].path_to_first is None and comp.offerings[2].path_to_first is None
    assert comp.offerings[3].path_to_first.status == "excluded"  # needs no report


def test_an_excluded_offering_is_told_which_must_haves_exclude_it(bank, bundled):
    _, ranking, _ = bank
    cohere = ranking.row("cohere-command-a-api")  # US processing only
    assert cohere.status == "excluded"
    comp = compare_bank(bank, bundled, [ranking.ranked[0].offering_id, "cohere-command-a-api"])
    res = comp.offerings[1]
    assert res.failed_must_haves == ("eu-processing",)
    assert res.excluded_by == cohere.reasons and res.flags == ()
    assert res.excluded_by[0].startswith("fails must-have Processing can be kept in the EU/EEA")
    p = res.path_to_first
    assert p.status == "excluded" and res.excluded_by[0] in p.message
    assert all(x.utility is None and x.gap is None and not x.best for c in comp.criteria for x in c.cells[1:])
    # an unknown outcome that is not allowed excludes too, and is named
    aleph = ranking.row("aleph-alpha-phariaai-private")
    res = compare_bank(bank, bundled, ["cohere-command-a-api", aleph.offering_id]).offerings[1]
    assert res.failed_must_haves == ("iso27001",) and res.excluded_by[0].startswith("unknown: ")


def test_facts_a_committee_compares(bank, bundled):
    comp = compare_bank(
        bank, bundled, ["mistral-large-4-api", "azure-openai-gpt-6-luna-eu-datazone", "cohere-command-a-api"]
    )
    assert [f.key for f in comp.facts] == [k for k, _ in FACTS]
    facts = {f.key: f for f in comp.facts}
    mistral, azure, cohere = (bundled.get(o) for o in comp.offering_ids)
    assert facts["vendor"].values == ("Mistral AI", azure.vendor.name, cohere.vendor.name)
    assert facts["developer_hq"].values == ("FR", "US", "CA") and facts["developer_hq"].differs
    assert facts["operator"].values[1] == azure.offering.operator.name
    assert facts["operator_hq"].values == ("FR", azure.offering.operator.headquarters, "CA")
    assert facts["channel"].values[0] == mistral.offering.channel
    assert facts["deployment"].values == ("api", "cloud", "api")
    assert facts["processing_regions"].values[0] == ("EU", "US")
    assert facts["residency_note"].values[0] == mistral.offering.residency_note
    assert facts["open_weights"].values == (True, False, True)
    assert facts["licence"].values[0] == "LicenseRef-Mistral-Large-4" and facts["licence"].values[1] is None
    assert facts["zero_data_retention"].values[0] == "on_request"
    assert facts["certification.iso27001"].values[0] == "claimed"
    assert facts["certification.iso27001"].provenance[0].block == "vendor.certifications"
    assert facts["certification.secnumcloud"].values == (None, None, None)
    assert not facts["certification.secnumcloud"].differs
    for cert in engine.catalog.schema.CERTIFICATION_IDS:
        assert f"certification.{cert}" in facts
    assert facts["gpai_code_of_practice"].values[0] == "signatory"
    assert facts["gpai_code_of_practice"].provenance[0].block == "vendor.gpai_code_of_practice"
    assert facts["price_input_per_mtok"].values[0] == 0.7 and facts["price_output_per_mtok"].values[0] == 2.1
    assert facts["price_currency"].values == ("USD", "USD", "USD") and not facts["price_currency"].differs
    assert facts["context_window_tokens"].values[0] == 1048576
    assert facts["vendor"].provenance[0].block == "vendor"


# ----------------------------------------------------------------- hand-made catalogs


def _catalog(write_vendors, criteria, files: dict[str, str]) -> engine.Catalog:
    cat = engine.load_catalog([write_vendors(files)], currencies=criteria.currencies())
    assert not cat.issues, cat.issues
    return cat


def test_best_and_differs(write_vendors, criteria):
    offerings = (
        offering_yaml("a", capability=40.0, inp=1.0, out=2.0)
        + offering_yaml("b", capability=60.0, inp=1.0, out=2.0, op_hq="DE")
        + offering_yaml("c", capability=60.0, inp=3.0, out=6.0)
        + offering_yaml("d", capability=None)
        + offering_yaml("e", capability=None)
        + offering_yaml("f", capability=10.0)  # the worst anchor: utility 0
        + offering_yaml("us", capability=60.0, regions="[US]")
    )
    cat = _catalog(write_vendors, criteria, {"acme.yaml": vendor_yaml(offerings=offerings)})
    eu = {"id": "eu", "field": "processing_regions", "op": "within", "value": ["EU"]}
    ranking = engine.rank(cat, criteria, priorities(requirements=[eu]))
    assert ranking.row("us").status == "excluded"
    comp = comparison(ranking, cat, ["a", "b", "c"])
    row = {c.criterion: c for c in comp.criteria}
    assert row["capability"].best == ("b", "c") and row["capability"].differs  # a tie: both best
    assert [x.best for x in row["capability"].cells] == [False, True, True]
    assert row["monthly_cost"].best == ("a", "b")  # cheaper is better (direction min)
    assert row["context_window"].best == () and not row["context_window"].differs  # all equal: no best
    # no FMTI score for anyone (and no weight): all unknown, no best, no difference
    assert row["transparency"].best == () and not row["transparency"].differs
    assert all(x.value is None for x in row["transparency"].cells)
    facts = {f.key: f for f in comp.facts}
    assert not facts["vendor"].differs and facts["operator_hq"].differs
    assert facts["operator_hq"].values == ("FR", "DE", "FR")
    # an unknown value imputed worst is never best, and differs from a known one
    comp = comparison(ranking, cat, ["a", "d"])
    cap = next(c for c in comp.criteria if c.criterion == "capability")
    assert cap.cells[1].imputed and cap.best == ("a",) and cap.differs
    # both unknown: no best, no difference
    comp = comparison(ranking, cat, ["d", "e"])
    cap = next(c for c in comp.criteria if c.criterion == "capability")
    assert cap.best == () and not cap.differs
    # a known worst value and an unknown one have the same utility (0): no best
    comp = comparison(ranking, cat, ["f", "d"])
    cap = next(c for c in comp.criteria if c.criterion == "capability")
    assert [x.utility for x in cap.cells] == [0.0, 0.0] and cap.best == () and cap.differs
    # an excluded offering has no utility: the ranked ones are best among themselves,
    # but an unknown value imputed worst is never best
    comp = comparison(ranking, cat, ["b", "a", "us"])
    cap = next(c for c in comp.criteria if c.criterion == "capability")
    assert cap.cells[2].utility is None and cap.best == ("b",)
    comp = comparison(ranking, cat, ["d", "us"])
    cap = next(c for c in comp.criteria if c.criterion == "capability")
    assert cap.cells[0].imputed and cap.best == ()


PROV_VENDOR = """\
schema_version: 1
id: prov
name: Prov AI
headquarters: FR
as_of: 2026-10-01
sources: [https://example.org/vendor]
fmti: {score: 40, edition: FMTI 2025}
offerings:
  - id: with-blocks
    model: M1
    channel: API
    operator: {name: Op, headquarters: FR}
    deployment: api
    processing_regions: [EU]
    prices: {input_per_mtok: 1, output_per_mtok: 2, currency: USD}
    capability:
      metric: Artificial Analysis Intelligence Index v4.3
      value: 50
      sources: [https://example.org/capability]
    latency: {ttft_s: 1, output_tokens_per_s: 100, as_of: 2026-09-01}
    certifications:
      as_of: 2026-08-01
      sources: [https://example.org/certs]
      items: {iso27001: {status: certified}}
    as_of: 2026-11-01
    sources: [https://example.org/offering]
  - id: bare
    model: M2
    channel: API
    operator: {name: Op, headquarters: FR}
    deployment: api
    processing_regions: [EU]
    as_of: 2026-11-02
    sources: [https://example.org/bare]
"""


def test_provenance_falls_back_to_the_offerings_when_a_block_has_none(write_vendors, criteria):
    cat = _catalog(write_vendors, criteria, {"prov.yaml": PROV_VENDOR})
    ranking = engine.rank(
        cat,
        criteria,
        priorities(weights={"capability": 1, "response_time": 1, "transparency": 1, "compliance": 1}),
    )
    comp = comparison(ranking, cat, ["with-blocks", "bare"])
    prov = {c.criterion: (c.cells[0].provenance, c.cells[1].provenance) for c in comp.criteria}
    got = {k: (p.block, p.sources, p.as_of.isoformat()) for k, (p, _) in prov.items()}
    offering = ("https://example.org/offering",)
    # capability states sources but no date: its sources, the offering's date
    assert got["capability"] == ("offering.capability", ("https://example.org/capability",), "2026-11-01")
    # latency states a date but no sources: the offering's sources, its date
    assert got["response_time"] == ("offering", offering, "2026-09-01")
    # FMTI without sources or date: the offering's
    assert got["transparency"] == ("offering", offering, "2026-11-01")
    assert got["compliance"] == ("offering.certifications", ("https://example.org/certs",), "2026-08-01")
    # no blocks at all: the offering's own
    for k, (_, p) in prov.items():
        assert (p.block, p.sources, p.as_of.isoformat()) == (
            "offering",
            ("https://example.org/bare",),
            "2026-11-02",
        ), k
    ro = cat.get("with-blocks")
    assert criterion_provenance("capability", ro) == prov["capability"][0]


def test_flags_and_exclusions_are_told_apart(write_vendors, criteria):
    offerings = (
        offering_yaml("fresh")
        + offering_yaml("old", as_of="2024-01-01", capability=None)
        + offering_yaml("us-old", regions="[US]", as_of="2024-01-01")
    )
    cat = _catalog(write_vendors, criteria, {"acme.yaml": vendor_yaml(offerings=offerings)})
    eu = {"id": "eu", "field": "processing_regions", "op": "within", "value": ["EU"]}
    ranking = engine.rank(cat, criteria, priorities(requirements=[eu]))
    comp = comparison(ranking, cat, ["fresh", "old", "us-old"])
    fresh, old, us = comp.offerings
    assert fresh.flags == () and fresh.excluded_by == ()
    assert old.status == "ranked" and old.excluded_by == ()
    assert any("imputed worst" in f for f in old.flags) and any(
        f.startswith("stale data:") for f in old.flags
    )
    assert us.status == "excluded" and us.failed_must_haves == ("eu",)
    assert len(us.excluded_by) == 1 and us.excluded_by[0].startswith("fails must-have")
    # one flag per stale fact (issue 13): the profile and each block dated by it, no other flag
    assert len(us.flags) == 5 and all(f.startswith("stale data:") for f in us.flags)
    assert (
        us.flags[0] == "stale data: offering profile 2024-01-01 is 1063 days old (limit 365 days for profile)"
    )
    assert any(
        f.startswith("stale data: prices 2024-01-01 (undated: the offering's as_of)") for f in us.flags
    )
    assert "stale" not in us.path_to_first.message


def test_a_method_that_is_not_additive_has_no_points_or_gaps(bank, bundled, criteria):
    pr, _, _ = bank
    ranking = engine.rank(bundled, criteria, pr, method="topsis")
    report = sensitivity_with(ranking, pr.robustness)
    ids = picks(ranking)
    ids[1] = next(
        r.offering_id for r in ranking.ranked[1:] if r.offering_id not in report.dominance.dominated_by
    )
    comp = comparison(ranking, bundled, ids, report=report)
    assert not comp.additive
    assert all(x.contribution is None and x.gap is None for c in comp.criteria for x in c.cells)
    assert comp.offerings[1].score_gap == pytest.approx(comp.offerings[1].score - ranking.ranked[0].score)
    md = comparison_markdown(comp)
    assert "## Utilities" in md and "## Where the points are won and lost" not in md
    table = comparison_table(comp)
    assert "topsis is not additive: no points per criterion" in table and "utility · points" not in table
    assert "linear in the weights" in comp.offerings[1].path_to_first.message


# ----------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("ids", "code", "needle"),
    [
        (["mistral-large-4-api"], "compare.offering_count", "2 to 4 offerings, found 1"),
        (
            [
                "mistral-large-4-api",
                "mistral-small-4-api",
                "ministral-3-14b-api",
                "mistral-medium-3.5-api",
                "cohere-command-a-api",
            ],
            "compare.offering_count",
            "found 5",
        ),
        (
            ["mistral-large-4-api", "mistral-large-4-api"],
            "compare.duplicate_offering",
            "named more than once",
        ),
        (
            ["mistral-large-4-api", "mistral-large-4"],
            "compare.unknown_offering",
            "did you mean 'mistral-large-4-api'?",
        ),
        (
            ["mistral-large-4-api", "zzzzzz"],
            "compare.unknown_offering",
            "shortlist rank lists the offering ids",
        ),
    ],
)
def test_bad_ids_are_input_errors(bank, bundled, ids, code, needle):
    with pytest.raises(engine.InputError) as exc:
        compare_bank(bank, bundled, ids)
    assert [i.code for i in exc.value.issues] == [code]
    assert needle in exc.value.issues[0].message


def test_all_problems_are_reported_together(bank, bundled):
    with pytest.raises(engine.InputError) as exc:
        compare_bank(bank, bundled, ["nope"])
    assert [i.code for i in exc.value.issues] == ["compare.offering_count", "compare.unknown_offering"]


def test_a_report_of_another_ranking_is_refused(bank, bundled, criteria):
    pr, ranking, _ = bank
    other = engine.rank(bundled, criteria, pr, weights={"capability": 1})
    with pytest.raises(engine.InputError) as exc:
        comparison(ranking, bundled, picks(ranking), report=sensitivity_with(other, pr.robustness))
    assert [i.code for i in exc.value.issues] == ["compare.report_mismatch"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["mistral-large-4-api"], "compare.offering_count: compare takes 2 to 4 offerings, found 1"),
        (["a1", "a2", "a3", "a4", "a5"], "found 5"),
        (["mistral-large-4-api", "mistral-large-4-api"], "compare.duplicate_offering"),
        (
            ["mistral-large-4-api", "mistral-large-4"],
            "no offering 'mistral-large-4'; did you mean 'mistral-large-4-api'?",
        ),
    ],
)
def test_cli_errors_exit_2_with_one_line_each(args, needle):
    code, out, err = run_cli("compare", *args, *FROZEN)
    assert code == 2 and out == ""
    assert needle in err
    assert all(
        line.count(": ") >= 1 and line.split(": ")[0].startswith("compare.") for line in err.splitlines()
    )


def test_cli_without_ids_is_a_usage_error():
    code, _, err = run_cli("compare")
    assert code == 2 and "the following arguments are required: OFFERING_ID" in err


# ----------------------------------------------------------------- renderers and CLI


def cli_ok(*args: str) -> str:
    code, out, err = run_cli(*args)
    assert code == 0, err
    return out


def test_cli_json_is_byte_identical_and_the_engines(bank, bundled, tmp_path):
    _, ranking, _ = bank
    ids = picks(ranking)
    # the same vendor directory as the `bundled` fixture, so that the files named agree
    args = ["compare", *ids, "--priorities", "regulated-eu-bank", "--on", ON, "--format", "json"]
    args += ["--vendors", str(VENDORS), "--criteria", str(CRITERIA)]
    first = cli_ok(*args)
    second = cli_ok(*args, "--output", str(tmp_path / "c.json"))
    assert second == ""
    assert (tmp_path / "c.json").read_bytes() == first.encode("utf-8")
    doc = json.loads(first)
    assert doc["offering_ids"] == ids
    assert first == json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    # the CLI computes what the engine computes (weight bounds from the preset), with the
    # files named as the CLI names them: from the catalog root (engine.catalog_roots)
    import datetime as dt

    from engine.catalog.loading import catalog_roots

    named = engine.load_catalog([VENDORS], roots=catalog_roots(VENDORS, CRITERIA))
    pr = bank[0]
    ranking = engine.rank(named, engine.load_criteria(CRITERIA), pr, on_date=dt.date.fromisoformat(ON))
    bank_named = (pr, ranking, sensitivity_with(ranking, pr.robustness))
    from engine.mcda.unknowns import ranges_of

    ranges = ranges_of(ranking, pr, cut=pr.robustness.top_k)  # the CLI shows each one's rank range
    got = compare_bank(bank_named, named, ids, ranges=ranges, cut=pr.robustness.top_k)
    assert first.encode("utf-8") == comparison_json(got)
    assert all(o["rank_range"] is not None for o in doc["offerings"])


def test_json_content(bank, bundled):
    comp = compare_bank(bank, bundled)
    doc = comparison_dict(comp)
    assert doc["schema_version"] == 1 and doc["leader"] == comp.leader
    assert [c["id"] for c in doc["criteria"]] == [c.criterion for c in comp.criteria]
    cap = next(c for c in doc["criteria"] if c["id"] == "capability")
    row = next(c for c in comp.criteria if c.criterion == "capability")
    assert cap["best"] == list(row.best) and cap["differs"] == row.differs
    x = row.cells[0]
    got = cap["values"][x.offering_id]
    assert got["value"] == pytest.approx(x.value) and got["utility"] == pytest.approx(x.utility, abs=1e-6)
    assert got["provenance"]["sources"] == list(x.provenance.sources)
    runner = doc["offerings"][1]
    assert runner["path_to_first"]["message"] == comp.offerings[1].path_to_first.message
    regions = next(f for f in doc["facts"] if f["key"] == "processing_regions")
    assert all(isinstance(v, list) for v in regions["values"].values())


def test_cli_what_it_would_take_matches_explain(bank):
    _, ranking, _ = bank
    ids = picks(ranking)
    doc = json.loads(cli_ok("compare", *ids, "--on", ON, "--format", "json", *FROZEN))
    out = cli_ok("explain", ids[1], "--on", ON, *FROZEN)
    weights = next(line for line in out.splitlines() if line.strip().startswith("weights:"))
    price = next(line for line in out.splitlines() if line.strip().startswith("price:"))
    p = doc["offerings"][1]["path_to_first"]
    assert weights.strip() == f"weights: {p['message']}"
    assert price.strip() == f"price:   {p['price_message']}"


def test_cli_table_and_markdown(bank):
    _, ranking, _ = bank
    ids = picks(ranking)
    table = cli_ok("compare", *ids, "--on", ON, *FROZEN)
    assert table.startswith("Comparison · priorities: Regulated EU bank · method weighted-sum")
    for k, oid in zip("ABCD", ids, strict=True):
        assert f"  {k}  {oid} — " in table
    for needle in ("Result", "Criteria (* best", "Facts", "What would it take to rank first:", "Data as of:"):
        assert needle in table
    assert f"2 of {len(ranking.ranked)}" in table
    md = cli_ok("compare", *ids, "--on", ON, "--format", "markdown", *FROZEN)
    assert md.startswith("# Comparison: " + " vs ".join(f"`{o}`" for o in ids))
    for heading in (
        "## Result",
        "## Criteria",
        "## Where the points are won and lost",
        "## Facts",
        "## Sources",
    ):
        assert heading in md
    assert f"| criterion | weight | {' | '.join(f'`{o}`' for o in ids)} |" in md
    # every criterion and every fact has a row
    comp_doc = json.loads(cli_ok("compare", *ids, "--on", ON, "--format", "json", *FROZEN))
    for c in comp_doc["criteria"]:
        assert f"| {c['label']}" in md
    for f in comp_doc["facts"]:
        assert f"| {f['label']}" in md


def test_cli_csv_one_row_per_item_one_column_per_offering(bank):
    _, ranking, _ = bank
    ids = picks(ranking)
    text = cli_ok("compare", *ids, "--on", ON, "--format", "csv", *FROZEN)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["item", "label", *ids, "differs", "best"]
    assert all(len(r) == len(rows[0]) for r in rows)
    items = [r[0] for r in rows[1:]]
    assert len(items) == len(set(items))
    by = {r[0]: r for r in rows[1:]}
    for c in ranking.criteria:
        for k in ("value", "utility", "points", "gap", "as_of", "sources"):
            assert f"criterion.{c.id}.{k}" in by
    assert by["result.status"][2:6] == ["ranked", "ranked", "ranked", "excluded"]
    score = float(by["result.score"][2])
    assert score == pytest.approx(ranking.ranked[0].score, abs=1e-4)
    assert by["fact.developer_hq"][-2] in ("yes", "no")


def test_csv_neutralises_text_a_spreadsheet_would_run(write_vendors, criteria):
    evil = vendor_yaml(
        "evil",
        offerings=offering_yaml("evil-api").replace("model: Model evil-api", 'model: "=HYPERLINK(1)"')
        + "    residency_note: '@SUM(A1)'\n",
    ).replace("name: Evil AI", 'name: "=cmd|calc"')
    cat = _catalog(
        write_vendors,
        criteria,
        {"evil.yaml": evil, "acme.yaml": vendor_yaml(offerings=offering_yaml("acme-api"))},
    )
    ranking = engine.rank(cat, criteria, priorities())
    comp = comparison(ranking, cat, ["evil-api", "acme-api"])
    assert comp.facts[0].values[0] == "=cmd|calc"  # the engine keeps the text as it is
    rows = {r[0]: r for r in csv.reader(io.StringIO(comparison_csv(comp).decode("utf-8")))}
    assert rows["result.vendor"][2] == "'=cmd|calc"
    assert rows["fact.vendor"][2] == "'=cmd|calc"
    assert rows["result.offering"][2].startswith("'=HYPERLINK(1)")
    assert rows["fact.residency_note"][2] == "'@SUM(A1)"
    assert rows["fact.vendor"][3] == "Acme AI"
    assert not any(cell.startswith(("=", "+", "@")) for r in rows.values() for cell in r)
    assert comparison_csv(comp, excel=True).startswith("\ufeff".encode())
    # Markdown escapes the pipe in a table cell
    assert "=cmd\\|calc" in comparison_markdown(comp)


def test_renderers_are_deterministic(bank, bundled):
    a, b = compare_bank(bank, bundled), compare_bank(bank, bundled)
    assert a == b
    for render in (comparison_table, comparison_markdown, comparison_csv, comparison_json):
        assert render(a) == render(b)


def test_cli_with_nothing_ranked_still_compares(write_vendors, criteria, tmp_path):
    d = write_vendors(
        {
            "acme.yaml": vendor_yaml(
                offerings=offering_yaml("us-1", regions="[US]") + offering_yaml("us-2", regions="[US]")
            )
        }
    )
    p = tmp_path / "p.yaml"
    p.write_text(
        textwrap.dedent(
            """\
            schema_version: 1
            name: eu only
            weights: {capability: 1}
            workload: {input_tokens_per_month: 1000000, output_tokens_per_month: 100000}
            requirements:
              - {id: eu, field: processing_regions, op: within, value: [EU]}
            """
        )
    )
    doc = json.loads(
        cli_ok("compare", "us-1", "us-2", "--vendors", str(d), "--priorities", str(p), "--format", "json")
    )
    assert doc["leader"] is None
    assert [o["path_to_first"]["status"] for o in doc["offerings"]] == ["excluded", "excluded"]
    assert "there is no leader" in cli_ok(
        "compare", "us-1", "us-2", "--vendors", str(d), "--priorities", str(p)
    )


def test_cli_unknown_offering_mentions_files_that_did_not_load(write_vendors):
    d = write_vendors(
        {
            "acme.yaml": vendor_yaml(offerings=offering_yaml("acme-1") + offering_yaml("acme-2")),
            "broken.yaml": "id: [\n",
        }
    )
    code, out, err = run_cli("compare", "acme-1", "broken-1", "--vendors", str(d))
    assert code == 2 and out == ""
    assert (
        "broken.yaml" in err
        and "no offering 'broken-1'" in err
        and "may be in a file that did not load" in err
    )
    # with valid ids the comparison is printed, and the broken file still makes it exit 2
    code, out, err = run_cli("compare", "acme-1", "acme-2", "--vendors", str(d))
    assert code == 2 and out.startswith("Comparison") and "broken.yaml" in err


def test_comparison_without_a_report_does_not_import_scipy():
    """The engine and a comparison without a report stay off scipy (one real process)."""
    code = textwrap.dedent(
        """\
        import sys
        import engine
        from engine.reports.compare import comparison_json
        from engine.mcda.comparison import comparison
        cat = engine.load_catalog(["vendors"])
        crit = engine.load_criteria("criteria")
        pr = engine.load_priorities("criteria/presets/regulated-eu-bank.yaml")
        r = engine.rank(cat, crit, pr)
        comparison_json(comparison(r, cat, [r.ranked[0].offering_id, r.excluded[0].offering_id]))
        assert "scipy" not in sys.modules, "scipy was imported"
        print("ok")
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0 and proc.stdout == "ok\n", proc.stderr


def test_the_package_exports_the_comparison():
    assert engine.comparison is comparison and engine.Comparison is Comparison
    for name in (
        "comparison",
        "Comparison",
        "comparison_csv",
        "comparison_json",
        "comparison_markdown",
        "comparison_table",
    ):
        assert name in engine.__all__


def test_the_output_file_is_written(tmp_path, bank):
    _, ranking, _ = bank
    out = tmp_path / "c.md"
    assert cli_ok("compare", *picks(ranking)[:2], "--format", "markdown", "--output", str(out), *FROZEN) == ""
    assert Path(out).read_text(encoding="utf-8").startswith("# Comparison: ")


def test_unknown_headquarters_and_regions_are_shown_as_unknown(write_vendors, criteria):
    """Facts a profile leaves out are None in the comparison and 'unknown' in every format."""
    off = (
        "  - id: u\n    model: U\n    channel: Acme API\n    operator: {name: Acme}\n"
        "    deployment: api\n    prices: {input_per_mtok: 1, output_per_mtok: 2, currency: USD}\n"
        "    as_of: 2026-11-01\n    sources: [s]\n"
    )
    text = vendor_yaml(offerings=off + offering_yaml("k")).replace("headquarters: FR\n", "", 1)
    cat = engine.load_catalog([write_vendors({"acme.yaml": text})])
    ranking = engine.rank(cat, criteria, priorities())
    comp = comparison(ranking, cat, ["u", "k"])
    facts = {f.key: f for f in comp.facts}
    assert facts["developer_hq"].values == (None, None)
    assert facts["operator_hq"].values == (None, "FR")
    assert facts["processing_regions"].values == (None, ("EU",))
    table, md = comparison_table(comp), comparison_markdown(comp)
    assert "Processing regions" in table and "not stated" in table and "not stated" in md
    rows = {r[0]: r for r in csv.reader(io.StringIO(comparison_csv(comp).decode("utf-8")))}
    assert rows["fact.processing_regions"][2:4] == ["", "EU"]
    got = json.loads(comparison_json(comp))
    regions = next(f for f in got["facts"] if f["key"] == "processing_regions")
    assert regions["values"] == {"u": None, "k": ["EU"]}
