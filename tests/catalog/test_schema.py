"""Schemas (engine/catalog/schema.py)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from engine.catalog.schema import EEA_MEMBERS, EU_MEMBERS, PrioritiesFile, VendorFile
from tests.conftest import priorities


def test_eu_and_eea():
    assert len(EU_MEMBERS) == 27 and "GR" in EU_MEMBERS and "GB" not in EU_MEMBERS
    assert EEA_MEMBERS - EU_MEMBERS == {"IS", "LI", "NO"}


def test_json_schema_is_generated():
    assert "offerings" in VendorFile.model_json_schema()["properties"]
    assert "weights" in PrioritiesFile.model_json_schema()["properties"]


@pytest.mark.parametrize("region", ["eu", "XX", "Europe"])
def test_bad_region_tokens(region):
    with pytest.raises(ValidationError):
        priorities(allowed_regions=[region])


def test_models_are_frozen():
    p = priorities()
    with pytest.raises(ValidationError):
        p.name = "x"  # type: ignore[misc]


def test_bad_currency_code():
    with pytest.raises(ValidationError) as exc:
        priorities(workload={"input_tokens_per_month": 1, "output_tokens_per_month": 1, "currency": "EURO"})
    assert "ISO 4217" in str(exc.value)


# --- facts a profile may leave out (unknown, never a default) -------------------------------

UNKNOWN_FACTS = """\
schema_version: 1
id: acme
name: Acme
as_of: 2026-11-01
sources: [pypi:some-dataset==1.0]
offerings:
  - id: acme-x
    model: X
    channel: Acme API
    operator: {name: Acme}
    deployment: api
    as_of: 2026-11-01
    sources: [pypi:some-dataset==1.0]
"""


def test_headquarters_and_regions_may_be_unknown():
    """Vendor and operator headquarters and processing regions are optional: absent is None."""
    import yaml

    v = VendorFile.model_validate(yaml.safe_load(UNKNOWN_FACTS))
    assert v.headquarters is None
    off = v.offerings[0]
    assert off.operator.headquarters is None and off.processing_regions is None
    required = VendorFile.model_json_schema()["required"]
    assert "headquarters" not in required and {"id", "name", "as_of", "sources", "offerings"} <= set(required)


def test_an_empty_region_list_is_still_an_error():
    """``processing_regions: []`` would say "nowhere": leave the field out for unknown."""
    import yaml

    data = yaml.safe_load(UNKNOWN_FACTS)
    data["offerings"][0]["processing_regions"] = []
    with pytest.raises(ValidationError, match="at least 1 item"):
        VendorFile.model_validate(data)
    data["headquarters"] = "Europe"
    with pytest.raises(ValidationError, match="ISO 3166-1"):
        VendorFile.model_validate(data)


@pytest.mark.parametrize("field", ["wanted_certifications", "buyer_certifications"])
def test_a_certification_listed_twice_is_refused(field):
    with pytest.raises(ValidationError) as exc:
        priorities(**{field: ["iso27001", "c5", "iso27001"]})
    assert f"{field} lists iso27001 more than once" in str(exc.value)
