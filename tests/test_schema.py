"""Schemas (engine/schema.py)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from engine.schema import EEA_MEMBERS, EU_MEMBERS, PrioritiesFile, VendorFile
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
