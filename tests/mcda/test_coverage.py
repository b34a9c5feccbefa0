"""Coverage warnings, unknown vs fails at the gate, the buyer's own certifications and
each value's evidence grade (issue 13, section 4).

Every vendor profile here is invented test data (Acme, Beta, Gamma …): the numbers are
chosen to hit each threshold, not taken from any vendor.
"""

from __future__ import annotations

import dataclasses
import io
import json

import pytest
from openpyxl import load_workbook

import engine
from engine.catalog.loading import load_catalog
from engine.cli.explain import explain_text
from engine.mcda.comparison import comparison
from engine.mcda.scoring import COVERAGE_WARNING_SHARE, EVIDENCE_GAP, FAILS, excluded_summary
from engine.reports.compare import comparison_csv, comparison_json, comparison_markdown, comparison_table
from engine.reports.record import decision_record
from tests.conftest import offering_yaml, priorities, run_cli, vendor_yaml

WEIGHTS = {"monthly_cost": 1, "capability": 1, "response_time": 1}


def _catalog(write_vendors, *offerings: str, extra: str = "") -> engine.Catalog:
    d = write_vendors({"acme.yaml": vendor_yaml("acme", "".join(offerings), extra=extra)})
    return load_catalog([d])


def _latency_catalog(write_vendors, known: int, unknown: int) -> engine.Catalog:
    """``known`` offerings with a latency measurement, ``unknown`` without (invented)."""
    offs = [offering_yaml(f"acme-k{i}", ttft=0.5, tps=50) for i in range(known)]
    offs += [offering_yaml(f"acme-u{i}") for i in range(unknown)]
    return _catalog(write_vendors, *offs)


# --------------------------------------------------------------------------- coverage


@pytest.mark.parametrize(
    ("known", "unknown", "warns", "how"),
    [
        (3, 0, False, None),
        (3, 1, False, None),  # 1 of 4: below a third
        (2, 1, True, "ranks in large part"),  # exactly a third
        (2, 2, True, "ranks in large part"),  # a half is not "mostly"
        (1, 3, True, "mostly ranks"),
        (0, 1, True, "mostly ranks"),  # a single ranked offering, unknown
    ],
)
def test_warning_from_a_third_of_the_ranked_offerings(write_vendors, criteria, known, unknown, warns, how):
    cat = _latency_catalog(write_vendors, known, unknown)
    r = engine.rank(cat, criteria, priorities(weights=WEIGHTS))
    cov = {c.criterion: c for c in r.coverage}
    assert (cov["response_time"].known, cov["response_time"].ranked) == (known, known + unknown)
    assert cov["monthly_cost"].known == known + unknown
    assert cov["response_time"].warns is warns
    if warns:
        (w,) = r.warnings
        assert w == (
            f"response_time is unknown for {unknown} of {known + unknown} ranked offerings and imputed "
            f"worst: its 33.3% weight {how} missing data"
        )
    else:
        assert r.warnings == ()
    assert COVERAGE_WARNING_SHARE == pytest.approx(1 / 3)


def test_an_unweighted_criterion_never_warns_but_its_coverage_is_counted(write_vendors, criteria):
    cat = _latency_catalog(write_vendors, 0, 3)
    r = engine.rank(cat, criteria, priorities(weights={"monthly_cost": 1, "response_time": 0}))
    assert r.warnings == ()
    cov = {c.criterion: c for c in r.coverage}
    assert (cov["response_time"].known, cov["response_time"].ranked, cov["response_time"].warns) == (
        0,
        3,
        False,
    )


def test_no_ranked_offering_no_warning(write_vendors, criteria):
    cat = _latency_catalog(write_vendors, 0, 2)
    req = [{"id": "cheap", "field": "monthly_cost", "op": "max", "value": 0}]
    r = engine.rank(cat, criteria, priorities(weights=WEIGHTS, requirements=req))
    assert not r.ranked and r.warnings == ()
    assert all(c.ranked == 0 for c in r.coverage)


def test_every_criterion_mostly_unknown_gives_one_warning_each(write_vendors, criteria):
    cat = _catalog(
        write_vendors,
        offering_yaml("acme-a", capability=None, context=None),
        offering_yaml("acme-b", capability=None, context=None, inp=None, out=None),
    )
    w = {"monthly_cost": 1, "capability": 1, "context_window": 1, "response_time": 1}
    r = engine.rank(cat, criteria, priorities(weights=w))
    said = [x.split(" is unknown")[0] for x in r.warnings]
    assert said == ["monthly_cost", "response_time", "capability", "context_window"]  # catalog order


@pytest.fixture
def warned(write_vendors, criteria):
    cat = _latency_catalog(write_vendors, 1, 3)
    return cat, engine.rank(cat, criteria, priorities(weights=WEIGHTS))


def test_every_output_says_so_where_the_ranking_is_shown(warned, tmp_path):
    cat, r = warned
    (w,) = r.warnings
    table = engine.to_table(r)
    head = table.split("\n\n")[0]
    assert f"Warning: {w}" in head  # above the ranked rows, not in a footnote
    doc = json.loads(engine.to_json(r))
    assert doc["warnings"] == [w]
    assert doc["coverage"]["response_time"] == {"known": 1, "ranked": 4, "warns": True}
    assert f"Warning: {w}" in explain_text(r, "acme-u0")
    comp = comparison(r, cat, ["acme-k0", "acme-u0"])
    assert f"Warning: {w}" in comparison_table(comp)
    assert w in comparison_markdown(comp)
    assert json.loads(comparison_json(comp))["warnings"] == [w]
    record = decision_record(r, priorities(weights=WEIGHTS), input_digests={}, version="t")
    ranking_part = record.split("## Ranking")[1].split("| rank |")[0]
    assert w in ranking_part
    assert "| response_time | 33.3 % | 1 of 4 ranked |" in record
    wb = load_workbook(io.BytesIO(engine.to_xlsx(r, priorities(weights=WEIGHTS), cat, version="t")))
    texts = [c.value for row in wb["Inputs"].iter_rows() for c in row if isinstance(c.value, str)]
    assert w in texts
    assert "1 of 4" in texts  # the coverage column of the weights table


def test_cli_rank_and_explain_and_csv_say_so(tmp_path):
    vend = tmp_path / "vendors"
    vend.mkdir()
    offs = offering_yaml("acme-k0", ttft=0.5, tps=50) + offering_yaml("acme-u0") + offering_yaml("acme-u1")
    (vend / "acme.yaml").write_text(vendor_yaml("acme", offs), encoding="utf-8")
    pr = tmp_path / "p.yaml"
    pr.write_text(
        "schema_version: 1\nname: p\nweights: {monthly_cost: 1, response_time: 1}\n"
        "workload: {input_tokens_per_month: 1000000, output_tokens_per_month: 100000, currency: USD}\n"
        "on_date: 2026-11-29\n",
        encoding="utf-8",
    )
    base = ["--vendors", str(vend), "--priorities", str(pr)]
    code, out, _ = run_cli("rank", *base)
    assert code == 0 and "Warning: response_time is unknown for 2 of 3 ranked offerings" in out
    code, out, err = run_cli("rank", *base, "--format", "csv")
    assert code == 0 and "warning: response_time is unknown for 2 of 3" in err
    code, out, _ = run_cli("explain", "acme-u0", *base)
    assert code == 0 and "Warning: response_time is unknown" in out
    code, out, _ = run_cli("compare", "acme-u0", "acme-k0", *base)
    assert code == 0 and "Warning: response_time is unknown" in out


def test_compliance_with_nothing_looked_up_is_unknown_not_zero(write_vendors, criteria):
    certs = "certifications:\n  as_of: 2026-10-01\n  sources: [https://example.org/trust]\n  items:\n"
    graded = certs + "    iso27001: {status: none_found}\n"
    cat = _catalog(write_vendors, offering_yaml("acme-api"))
    pr = priorities(weights={"monthly_cost": 1, "compliance": 1}, wanted_certifications=["iso27001"])
    cell = engine.rank(cat, criteria, pr).row("acme-api").cells["compliance"]
    assert cell.value is None and cell.imputed and "no evidence either way for iso27001" in (cell.note or "")
    cat = _catalog(write_vendors, offering_yaml("acme-api"), extra=graded)
    cell = engine.rank(cat, criteria, pr).row("acme-api").cells["compliance"]
    assert cell.value == 0.0 and not cell.imputed  # looked up, none found: a known 0


# --------------------------------------------------------------------------- unknown vs fails


CERT_REQ = {"id": "iso", "field": "certifications", "op": "includes_all", "value": ["iso27001"]}
REGION_REQ = {"id": "eu", "field": "processing_regions", "op": "within", "value": ["EU"]}


def test_unknown_must_have_is_an_evidence_gap_a_failing_one_fails(write_vendors, criteria):
    cat = _catalog(
        write_vendors,
        offering_yaml("acme-gap"),  # no certifications at all: unknown
        offering_yaml("acme-us", regions="[US]"),  # fails the region must-have (and unknown on ISO)
        offering_yaml("acme-ok"),
        extra="",
    )
    cat_ok = _catalog(
        write_vendors,
        offering_yaml("acme-gap"),
        offering_yaml("acme-us", regions="[US]"),
        extra="",
    )
    assert cat_ok  # the same files load either way
    r = engine.rank(cat, criteria, priorities(requirements=[CERT_REQ, REGION_REQ]))
    kinds = {x.offering_id: x.exclusion for x in r.excluded}
    assert kinds == {"acme-gap": EVIDENCE_GAP, "acme-ok": EVIDENCE_GAP, "acme-us": FAILS}
    assert excluded_summary(r.excluded) == (
        "Excluded (3): 1 fail a must-have, 2 only on unknown facts (evidence gaps)"
    )
    gap = r.row("acme-gap")
    assert gap.reasons[0].startswith("unknown: ")  # the reason says unknown, not "fails"
    assert all(x.exclusion is None for x in r.ranked)


def test_allowed_unknown_does_not_exclude_and_missing_exclude_policy_is_a_gap(
    write_vendors, criteria, tmp_path
):
    cat = _catalog(write_vendors, offering_yaml("acme-a"), offering_yaml("acme-b", capability=None))
    allowed = {**CERT_REQ, "allow_unknown": True}
    r = engine.rank(cat, criteria, priorities(requirements=[allowed]))
    assert not r.excluded
    # a criterion whose missing policy is `exclude`: an unknown value is an evidence gap
    crit = dataclasses.replace(
        criteria,
        criteria=tuple(
            c.model_copy(update={"missing": "exclude"}) if c.id == "capability" else c
            for c in criteria.criteria
        ),
    )
    r = engine.rank(cat, crit, priorities())
    assert [(x.offering_id, x.exclusion) for x in r.excluded] == [("acme-b", EVIDENCE_GAP)]


def test_exclusion_kind_in_every_export(write_vendors, criteria):
    cat = _catalog(write_vendors, offering_yaml("acme-gap"), offering_yaml("acme-us", regions="[US]"))
    pr = priorities(requirements=[CERT_REQ, REGION_REQ])
    r = engine.rank(cat, criteria, pr)
    table = engine.to_table(r)
    assert "Excluded (2): 1 fail a must-have, 1 only on unknown facts (evidence gaps):" in table
    assert "acme-gap [evidence gap]:" in table and "acme-us [fails]:" in table
    rows = list(__import__("csv").reader(io.StringIO(engine.to_csv(r).decode())))
    col = rows[0].index("exclusion")
    assert {x[1]: x[col] for x in rows[1:]} == {"acme-gap": "evidence gap", "acme-us": "fails"}
    doc = json.loads(engine.to_json(r))
    assert doc["excluded"] == {"total": 2, "fails": 1, "evidence_gaps": 1}
    assert {o["offering_id"]: o["exclusion"] for o in doc["offerings"]} == {
        "acme-gap": "evidence gap",
        "acme-us": "fails",
    }
    wb = load_workbook(io.BytesIO(engine.to_xlsx(r, pr, cat, version="t")))
    ws = wb["Shortlist"]
    head = [c.value for c in ws[1]]
    got = {
        ws.cell(i, 2).value: ws.cell(i, head.index("exclusion") + 1).value for i in range(2, ws.max_row + 1)
    }
    assert got == {"acme-gap": "evidence gap", "acme-us": "fails"}
    record = decision_record(r, pr, input_digests={}, version="t")
    assert "| acme-gap | Acme AI | evidence gap |" in record and "| acme-us | Acme AI | fails |" in record
    assert "1 fail a must-have, 1 only on unknown facts (evidence gaps)" in record
    assert "(evidence gap: only unknown facts keep it out)" in explain_text(r, "acme-gap")
    assert "(fails a must-have)" in explain_text(r, "acme-us")
    comp = comparison(r, cat, ["acme-gap", "acme-us"])
    assert "excluded (evidence gap):" in comparison_table(comp)
    assert "| Excluded as | evidence gap | fails |" in comparison_markdown(comp)
    assert (
        "result.exclusion,Excluded as (fails / evidence gap),evidence gap,fails"
        in comparison_csv(comp).decode()
    )


# --------------------------------------------------------------------------- the buyer's certifications


def _self_hosted(write_vendors) -> engine.Catalog:
    certs = (
        "certifications:\n  as_of: 2026-10-01\n  evidence: primary\n  sources: [https://example.org/trust]\n"
        "  items:\n    iso27001: {status: certified}\n"
    )
    return _catalog(
        write_vendors,
        offering_yaml("acme-api"),
        offering_yaml("acme-self", op_hq="BUYER", regions="[BUYER]", deployment="self-hosted"),
        extra=certs,  # the vendor's certification is about its own API, not the buyer's servers
    )


@pytest.mark.parametrize(
    ("held", "outcome", "words"),
    [
        (None, "unknown", "buyer_certifications"),
        ([], "fail", "lack iso27001"),
        (["soc2_type2"], "fail", "lack iso27001"),
        (["iso27001"], "pass", "the buyer holds iso27001"),
        (["soc2_type2", "iso27001"], "pass", "the buyer holds iso27001"),
    ],
)
def test_self_hosted_certification_must_have_is_the_buyers(write_vendors, criteria, held, outcome, words):
    cat = _self_hosted(write_vendors)
    r = engine.rank(cat, criteria, priorities(requirements=[CERT_REQ], buyer_certifications=held))
    (q,) = r.row("acme-self").requirements
    assert q.outcome == outcome and words in q.reason
    assert r.row("acme-api").requirements[0].outcome == "pass"  # the vendor's own API: its own evidence
    if outcome == "unknown":
        assert r.row("acme-self").exclusion == EVIDENCE_GAP
        assert "not a" not in q.reason and "the buyer's own infrastructure" in q.reason
    elif outcome == "fail":
        assert r.row("acme-self").exclusion == FAILS


def test_self_hosted_compliance_is_the_buyers(write_vendors, criteria):
    cat = _self_hosted(write_vendors)
    w = {"monthly_cost": 1, "compliance": 1}
    wanted = ["iso27001", "soc2_type2"]
    pr = priorities(weights=w, wanted_certifications=wanted)
    cell = engine.rank(cat, criteria, pr).row("acme-self").cells["compliance"]
    assert cell.value is None and cell.imputed and "buyer_certifications" in (cell.note or "")
    pr = priorities(weights=w, wanted_certifications=wanted, buyer_certifications=["iso27001"])
    r = engine.rank(cat, criteria, pr)
    assert r.row("acme-self").cells["compliance"].value == 0.5
    assert r.row("acme-self").cells["compliance"].evidence is None  # the buyer's word, not a graded fact
    assert r.row("acme-api").cells["compliance"].evidence == "primary"


@pytest.mark.parametrize(
    "bad",
    [
        "iso99999",
        "iso27001\n",
        "ISO27001",
        27001,
        "iso27001",
        {"iso27001": True},
        ["iso27001 "],
        ["\u200biso27001"],
    ],
)
def test_buyer_certifications_must_be_a_list_of_known_ids(bad, tmp_path):
    pr = tmp_path / "p.yaml"
    pr.write_text(
        "schema_version: 1\nname: p\nweights: {monthly_cost: 1}\n"
        "workload: {input_tokens_per_month: 1000, output_tokens_per_month: 100, currency: USD}\n"
        f"buyer_certifications: {json.dumps(bad)}\n",
        encoding="utf-8",
    )
    code, _, err = run_cli("validate", str(pr))
    assert code == 2 and "buyer_certifications" in err and "Traceback" not in err


def test_policy_check_judges_self_hosted_on_the_policy_priorities(tmp_path):
    vend = tmp_path / "vendors"
    vend.mkdir()
    offs = offering_yaml("acme-self", op_hq="BUYER", regions="[BUYER]", deployment="self-hosted")
    (vend / "acme.yaml").write_text(vendor_yaml("acme", offs), encoding="utf-8")
    for held, expect in ((None, 1), ("[iso27001]", 0)):
        pr = tmp_path / "p.yaml"
        pr.write_text(
            "schema_version: 1\nname: p\nweights: {monthly_cost: 1}\n"
            "workload: {input_tokens_per_month: 1000, output_tokens_per_month: 100, currency: USD}\n"
            + (f"buyer_certifications: {held}\n" if held else ""),
            encoding="utf-8",
        )
        pol = tmp_path / "policy.yaml"
        pol.write_text(
            "schema_version: 1\nname: pol\npriorities: p.yaml\nrules:\n"
            "  - {id: iso, field: certifications, op: includes_all, value: [iso27001]}\n",
            encoding="utf-8",
        )
        code, out, err = run_cli(
            "check", "--policy", str(pol), "--vendors", str(vend), "--today", "2026-12-01"
        )
        assert code == expect, out + err


# --------------------------------------------------------------------------- evidence grades


def test_each_value_carries_its_weakest_grade(write_vendors, criteria):
    off = offering_yaml("acme-api").replace(
        "    prices: {input_per_mtok: 1.0, output_per_mtok: 2.0, currency: USD}",
        "    prices: {input_per_mtok: 1.0, output_per_mtok: 2.0, currency: USD, evidence: aggregator, "
        "as_of: 2026-10-01, sources: ['pypi:genai-prices==0.0.1']}",
    )
    certs = (
        "certifications:\n  as_of: 2026-10-01\n  evidence: primary\n  sources: [https://example.org/trust]\n"
        "  items:\n    iso27001: {status: certified}\n"
        "    soc2_type2: {status: certified, evidence: secondary, as_of: 2026-09-01, sources: [https://news.example]}\n"
    )
    cat = _catalog(write_vendors, off, offering_yaml("acme-bare", capability=None), extra=certs)
    pr = priorities(
        weights={"monthly_cost": 1, "capability": 1, "compliance": 1},
        wanted_certifications=["iso27001", "soc2_type2"],
    )
    r = engine.rank(cat, criteria, pr)
    cells = r.row("acme-api").cells
    assert cells["monthly_cost"].evidence == "aggregator"
    assert cells["compliance"].evidence == "secondary"  # the weaker of primary and secondary
    assert cells["capability"].evidence == "ungraded"
    assert r.row("acme-bare").cells["capability"].evidence is None  # unknown: no grade
    rows = list(__import__("csv").reader(io.StringIO(engine.to_csv(r).decode())))
    head = rows[0]
    by = {x[1]: x for x in rows[1:]}
    assert by["acme-api"][head.index("monthly_cost_evidence")] == "aggregator"
    assert by["acme-bare"][head.index("capability_evidence")] == ""
    doc = json.loads(engine.to_json(r))
    assert doc["offerings"][0]["values"]["compliance"]["evidence"] in ("secondary", "ungraded")
    assert "[aggregator]" in explain_text(r, "acme-api")
    comp = comparison(r, cat, ["acme-api", "acme-bare"])
    assert "[aggregator]" in comparison_table(comp) and "[aggregator]" in comparison_markdown(comp)
    assert (
        "criterion.monthly_cost.evidence,Monthly cost: evidence grade,aggregator"
        in comparison_csv(comp).decode()
    )
    wb = load_workbook(io.BytesIO(engine.to_xlsx(r, pr, cat, version="t")))
    ws = wb["Shortlist"]
    hd = [c.value for c in ws[1]]
    assert "monthly_cost_evidence" in hd


def test_batch_summary_counts_gaps_and_warns(tmp_path):
    vend = tmp_path / "vendors"
    vend.mkdir()
    offs = offering_yaml("acme-k0", ttft=0.5, tps=50) + offering_yaml("acme-u0") + offering_yaml("acme-u1")
    (vend / "acme.yaml").write_text(vendor_yaml("acme", offs), encoding="utf-8")
    body = (
        "schema_version: 1\nname: p\nweights: {monthly_cost: 1, response_time: 1}\n"
        "workload: {input_tokens_per_month: 1000000, output_tokens_per_month: 100000, currency: USD}\n"
        "on_date: 2026-11-29\n"
    )
    gated = tmp_path / "gated.yaml"
    gated.write_text(
        body + "requirements:\n  - {id: iso, field: certifications, op: includes_all, value: [iso27001]}\n",
        encoding="utf-8",
    )
    open_ = tmp_path / "open.yaml"
    open_.write_text(body, encoding="utf-8")
    code, out, err = run_cli(
        "batch", str(gated), str(open_), "--vendors", str(vend), "--output-dir", str(tmp_path / "o")
    )
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["file", "leader", "score", "ranked", "excluded", "gaps", "status"]
    assert lines[1].split()[-4:] == ["0", "3", "3", "ok"]  # ranked, excluded, evidence gaps
    assert lines[2].split()[-4:] == ["3", "0", "0", "ok"]
    assert any(
        x.endswith(
            "open.yaml: warning: response_time is unknown for 2 of 3 ranked offerings and "
            "imputed worst: its 50% weight mostly ranks missing data"
        )
        for x in lines
    )
    assert not any("gated.yaml: warning" in x for x in lines)


@pytest.mark.parametrize(
    ("weight", "shown"),
    [(1e-12, "<0.1%"), (0.0004, "<0.1%"), (0.0526, "5.3%"), (0.05, "5%"), (1.0, "100%"), (1 / 3, "33.3%")],
)
def test_warning_weight_is_a_plain_percentage(weight, shown):
    from engine.mcda.scoring import Coverage, coverage_warning

    text = coverage_warning(Coverage("capability", 0, 2, weight))
    assert f"its {shown} weight mostly ranks missing data" in text
    assert "e-" not in text and "e+" not in text


@pytest.mark.parametrize("huge", [1e6, 1e-300])
def test_extreme_weights_still_warn_in_plain_words(write_vendors, criteria, huge):
    cat = _latency_catalog(write_vendors, 0, 2)
    r = engine.rank(cat, criteria, priorities(weights={"monthly_cost": 1, "response_time": huge}))
    (w,) = r.warnings
    assert w.startswith("response_time is unknown for 2 of 2 ranked offerings") and "e-" not in w


@pytest.mark.parametrize(
    ("held", "said"), [(None, "not declared"), ([], "none"), (["iso27001", "c5"], "iso27001, c5")]
)
def test_record_states_the_buyers_declaration(write_vendors, criteria, held, said):
    cat = _self_hosted(write_vendors)
    pr = priorities(requirements=[CERT_REQ], buyer_certifications=held)
    record = decision_record(engine.rank(cat, criteria, pr), pr, input_digests={}, version="t")
    assert f"Certifications of the buyer's own infrastructure (self-hosted offerings): {said}." in record
