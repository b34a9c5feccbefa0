"""The app shows coverage warnings, each criterion's coverage, fails apart from evidence
gaps, the buyer's own certifications and each value's evidence grade (issue 13).

The vendor profile is invented test data (Acme AI): one offering with a latency
measurement, two without, one processing in the US only, one self-hosted.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import offering_yaml, vendor_yaml
from tests.test_app import page, start

CERTS = (
    "certifications:\n  as_of: 2026-10-01\n  evidence: primary\n  sources: [https://example.org/trust]\n"
    "  items:\n    iso27001: {status: certified}\n"
)


@pytest.fixture
def vendors(tmp_path: Path) -> str:
    d = tmp_path / "vendors"
    d.mkdir()
    offs = (
        offering_yaml("acme-k0", ttft=0.5, tps=50)
        + offering_yaml("acme-u0")
        + offering_yaml("acme-u1")
        + offering_yaml("acme-us", regions="[US]")
        + offering_yaml("acme-self", op_hq="BUYER", regions="[BUYER]", deployment="self-hosted")
    )
    (d / "acme.yaml").write_text(vendor_yaml("acme", offs, extra=CERTS), encoding="utf-8")
    return str(d)


def _excluded(at: AppTest) -> dict[str, str]:
    frame = at.table[0].value
    return dict(zip(frame.index, frame["excluded as"], strict=True))


def test_coverage_warning_and_table_on_the_shortlist(monkeypatch, vendors):
    at = start(monkeypatch, vendors)
    # the main view says it in plain words, once; the engine's own sentences are under Coverage
    plain = [w.value for w in at.warning if w.value.startswith("Mostly unknown")]
    assert len(plain) == 1
    assert (
        "Response time (unknown for 2 of 3, weight 5%); Transparency (unknown for 3 of 3, weight 10%)"
        in plain[0]
    )
    warned = [c.value.replace("\\_", "_") for c in at.caption if "is unknown for" in c.value]
    assert warned == [
        "response_time is unknown for 2 of 3 ranked offerings and imputed worst: its 5% weight mostly "
        "ranks missing data",
        "transparency is unknown for 3 of 3 ranked offerings and imputed worst: its 10% weight mostly "
        "ranks missing data",  # the invented developer has no FMTI score
    ]
    cov = next(df.value for df in at.dataframe if "share known" in df.value.columns)
    rows = {r["criterion"]: r for _, r in cov.iterrows()}
    assert rows["Response time"]["known"] == "1 of 3" and "mostly imputed" in rows["Response time"]["note"]
    assert rows["Monthly cost"]["known"] == "3 of 3" and rows["Monthly cost"]["note"] == ""
    assert len(rows) == 10  # every criterion, weighted or not (sovereignty the tenth)


def test_excluded_table_says_fails_or_evidence_gap(monkeypatch, vendors):
    at = start(monkeypatch, vendors)
    assert _excluded(at) == {"acme-self": "evidence gap", "acme-us": "fails"}
    labels = [e.label for e in at.expander]
    assert any(
        x.startswith("Excluded offerings (2): 1 fail a must-have, 1 only on unknown facts") for x in labels
    )
    assert any("1 on evidence gaps only" in h.value for h in at.header)
    reason = at.table[0].value.loc["acme-self", "reasons"]
    assert "buyer\\_certifications" in reason or "buyer_certifications" in reason


def test_declaring_the_buyers_certifications_ranks_the_self_hosted_offering(monkeypatch, vendors):
    at = start(monkeypatch, vendors)
    at.multiselect(key="held").set_value(["iso27001"]).run()
    assert not at.exception
    assert "acme-self" in list(at.dataframe[0].value["id"])  # the ranking: names shown, ids kept
    assert _excluded(at) == {"acme-us": "fails"}
    assert at.query_params["held"] in ("iso27001", ["iso27001"])  # the link carries it
    assert "buyer_certifications" in at.session_state["export_priorities_yaml"]
    at.multiselect(key="held").set_value(["soc2_type2"]).run()
    assert _excluded(at) == {"acme-self": "fails", "acme-us": "fails"}


@pytest.mark.parametrize("held", ["iso99999", "iso27001,iso27001", "iso27001\n", "ISO27001"])
def test_a_bad_held_link_value_is_explained(monkeypatch, vendors, held):
    at = start(monkeypatch, vendors, query={"held": held})
    assert not at.exception and not at.error
    assert any("held=" in w.value for w in at.warning)
    assert at.multiselect(key="held").value == []


def test_weakest_grade_on_the_shortlist_and_grades_on_compare(monkeypatch, vendors):
    at = start(monkeypatch, vendors)
    frame = next(d.value for d in at.dataframe if "weakest evidence" in d.value.columns)  # the full table
    assert set(frame["weakest evidence"]) == {
        "ungraded (Monthly cost)"
    }  # compliance is primary, prices ungraded
    page(at, "compare")
    criteria = next(t.value for t in at.table if any("Compliance" in str(i) for i in t.value.index))
    shown = {
        str(i).split(" (")[0]: [str(v).replace("\\", "") for v in criteria.loc[i]] for i in criteria.index
    }
    assert all("[primary]" in v for v in shown["Compliance"])  # the vendor's trust centre
    assert all("[ungraded]" in v for v in shown["Monthly cost"])
    assert not any("[" in v for v in shown["Transparency"])  # unknown: no grade
    assert any(w.value.startswith("Mostly unknown, so counted as worst") for w in at.warning)  # plain words


def test_robustness_page_repeats_the_warning(monkeypatch, vendors):
    at = start(monkeypatch, vendors)
    page(at, "robustness")
    # in plain words, as on the Shortlist page (the engine's wording is under the Shortlist's Coverage)
    assert any(
        w.value.startswith("Mostly unknown, so counted as worst")
        and "Response time (unknown for 2 of 3, weight 5%)" in w.value
        for w in at.warning
    )
