"""The bundled catalog against issue 13's evidence targets.

Coverage of the market a European buyer shortlists (offerings, model makers, channels,
the EU-operated channels), every fact graded, certifications / processing regions /
GPAI status mostly on primary evidence, no certification counted ``certified`` on
aggregator evidence alone, every source one a reader can open, and no offering excluded
by the bank preset only because a fact was never looked up.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from engine.catalog.evidence import UNGRADED, facts

OPENABLE = re.compile(
    r"(https?://\S+|pypi:[A-Za-z0-9._-]+==\S+|github:[\w.-]+/[\w.-]+(@[0-9a-f]{7,40})?( |$)|doi:\S+)"
)
"""A source a reader can open: a web address, a pinned package, a GitHub repository
(at a commit where given) or a DOI — at the start of the source text."""

EU_CHANNELS = ("Mistral", "Scaleway", "OVHcloud", "STACKIT", "IONOS", "T-Systems", "SAP")
"""Operators of the EU-operated channels the issue names (matched in operator names)."""
HYPERSCALERS_EU = ("Azure", "Bedrock", "Vertex")
MAKERS = ("xai", "amazon", "microsoft", "ibm", "nvidia", "ai21")


def _channel(ro) -> str:
    return ro.offering.channel


def test_the_catalog_covers_the_market(live):
    offerings = live.offerings
    makers = {ro.vendor.id for ro in offerings}
    channels = {_channel(ro) for ro in offerings}
    assert len(offerings) >= 60, len(offerings)
    assert len(makers) >= 15, sorted(makers)
    assert len(channels) >= 15, sorted(channels)
    operators = " | ".join(ro.offering.operator.name for ro in offerings)
    for name in EU_CHANNELS:
        assert name in operators, f"no offering operated by {name}"
    for name in HYPERSCALERS_EU:
        eu = [ro for ro in offerings if name in _channel(ro) and ro.offering.processing_regions]
        assert eu, f"no {name} offering with processing regions"
    for m in MAKERS:
        assert m in makers, f"model maker {m} missing"


def test_every_fact_is_graded(live):
    ungraded = [
        f"{ro.id}: {f.field}"
        for ro in live.offerings
        for f in facts(ro)
        if f.grade == UNGRADED and not f.inherited
    ]
    assert not ungraded, ungraded[:20]


@pytest.mark.parametrize("kind", ["certifications", "residency", "gpai"])
def test_compliance_facts_rest_mostly_on_primary_evidence(live, kind):
    mix = Counter(f.grade for ro in live.offerings for f in facts(ro) if f.kind == kind)
    total = sum(mix.values())
    assert total, kind
    assert mix["primary"] / total >= 0.8, (kind, dict(mix))


def test_no_certification_is_certified_on_aggregator_evidence_alone(live):
    from engine.catalog.evidence import certification_grade

    for ro in live.offerings:
        block = ro.certifications
        for cid, item in block.items.items():
            if item.status == "certified":
                assert certification_grade(block, item) in ("primary", "independent"), (ro.id, cid)


def test_every_source_can_be_opened(live):
    bad = set()
    for ro in live.offerings:
        for f in facts(ro):
            for s in f.sources:
                if not OPENABLE.match(s):
                    bad.add(s)
    assert not bad, sorted(bad)[:20]


def test_the_bank_preset_excludes_nothing_only_because_a_fact_was_never_looked_up(live):
    """Every evidence-gap exclusion on the bank preset is a search that found nothing
    (a recorded *none found*: where and when) or the buyer's own input (the
    certifications of infrastructure the buyer runs), never a fact nobody looked up."""
    import engine
    from tests.conftest import CRITERIA

    crit = engine.load_criteria(CRITERIA)
    prio = engine.load_priorities(CRITERIA / "presets" / "regulated-eu-bank.yaml")
    ranking = engine.rank(live, crit, prio)
    gaps = [r for r in ranking.excluded if r.exclusion == "evidence gap"]
    for row in gaps:
        for res in row.requirements:
            if res.outcome != "unknown":
                continue
            assert "none found" in res.reason or "buyer_certifications" in res.reason, (
                row.offering_id,
                res.reason,
            )
