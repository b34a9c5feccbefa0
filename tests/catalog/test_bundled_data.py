"""The bundled profiles against the reference facts they were built from.

``../shared/reference/`` (the collected facts, 2026-11-29) sits beside the repository
in CI and in the developers' checkouts; where it is absent the cross-check is skipped
and says so. Every number in a profile must be the reference's, and every empty
reference cell must stay absent (never 0, never a guess) — unless the block was re-checked
since and names its own date, sources and evidence grade (issue 13).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import engine
from tests.conftest import BUNDLED_VENDORS, ROOT

REFERENCE = ROOT.parent / "shared" / "reference"
REFERENCE_FILES = ("vendor-facts.csv", "vendor-latency-capability.csv")
needs_reference = pytest.mark.skipif(
    not all((REFERENCE / f).exists() for f in REFERENCE_FILES),
    reason=(
        f"needs the reference facts the bundled profiles were built from: {' and '.join(REFERENCE_FILES)} "
        f"in {REFERENCE} (the project's shared/reference/ beside the repository, as in CI; "
        "not shipped with the repository)"
    ),
)


def _num(cell: str) -> float | None:
    cell = cell.strip()
    if not cell:
        return None
    try:
        return float(cell.split()[0])
    except ValueError:
        return None


@pytest.fixture(scope="module")
def facts() -> dict[str, dict[str, str]]:
    with open(REFERENCE / "vendor-facts.csv", encoding="utf-8") as fh:
        return {r["offering_id"]: r for r in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def measured() -> dict[str, dict[str, str]]:
    with open(REFERENCE / "vendor-latency-capability.csv", encoding="utf-8") as fh:
        return {r["offering_id"]: r for r in csv.DictReader(fh)}


def test_every_bundled_offering_has_provenance(live):
    assert not live.issues
    assert len(live.offerings) >= 60  # issue 13: the market a European buyer shortlists
    for ro in live.offerings:
        assert ro.offering.sources and ro.offering.as_of
        assert Path(ro.file).parent == BUNDLED_VENDORS


@needs_reference
def test_the_reference_offerings_are_all_still_there(live, facts):
    assert set(facts) <= {o.id for o in live.offerings}


def _resourced(block) -> bool:
    """A block that now names its own date, sources and evidence grade (re-checked since
    the reference was collected): its values may differ from the reference's."""
    return bool(block is not None and block.as_of and block.sources and block.evidence)


@needs_reference
def test_prices_match_the_reference_unless_resourced(live, facts):
    for ro in live.offerings:
        if ro.id not in facts:
            continue
        f = facts[ro.id]
        p = ro.offering.prices
        if _resourced(p):
            continue
        usd = (_num(f["input_usd_per_1m"]), _num(f["output_usd_per_1m"]))
        eur = (_num(f["input_eur_per_1m"]), _num(f["output_eur_per_1m"]))
        if usd == (None, None) and eur == (None, None):
            assert p is None, f"{ro.id}: reference has no price"
            continue
        assert p is not None, ro.id
        expected, cur = (usd, "USD") if usd != (None, None) else (eur, "EUR")
        assert (p.input_per_mtok, p.output_per_mtok, p.currency) == (*expected, cur), ro.id


@needs_reference
def test_context_window_and_openness_match_unless_resourced(live, facts):
    for ro in live.offerings:
        if ro.id not in facts:
            continue
        f = facts[ro.id]
        if not ro.offering.evidence:
            assert ro.offering.context_window_tokens == (
                int(f["context_window_tokens"]) if f["context_window_tokens"] else None
            ), ro.id
        ow = f["open_weights"].strip()
        o = ro.offering.openness
        if _resourced(o):
            continue
        if not ow:
            assert o is None, ro.id
        else:
            assert o is not None and o.open_weights == ow.startswith("yes"), ro.id


@needs_reference
def test_latency_and_capability_come_from_the_measurement_file_or_are_resourced(live, measured):
    """A figure may be dropped (its only source could not be opened) or re-sourced; never
    changed without its own graded provenance."""
    for ro in live.offerings:
        if ro.id not in measured:
            continue
        m = measured[ro.id]
        lat, cap = ro.offering.latency, ro.offering.capability
        if lat is not None and not _resourced(lat):
            assert lat.ttft_s == _num(m["ttft_s"]), ro.id
            assert lat.output_tokens_per_s == _num(m["output_tokens_per_s"]), ro.id
        if cap is not None and not _resourced(cap):
            assert cap.value == _num(m["capability_value"]), ro.id


@needs_reference
def test_headquarters_and_fmti_match(live, facts):
    for ro in live.offerings:
        if ro.id not in facts:
            continue
        f = facts[ro.id]
        assert ro.vendor.headquarters == f["vendor_hq_country"], ro.id
        fmti = _num(f["fmti_2025_score"])
        assert (ro.vendor.fmti.score if ro.vendor.fmti else None) == fmti, ro.id
        op = f["channel_operator_hq_country"]
        if not _resourced(ro.offering):
            assert ro.offering.operator.headquarters == ("BUYER" if op == "customer-chosen" else op), ro.id


def test_engine_public_api_is_explicit():
    # the robustness names resolve lazily (PEP 562 __getattr__), so check by access
    for name in engine.__all__:
        assert getattr(engine, name) is not None, name
