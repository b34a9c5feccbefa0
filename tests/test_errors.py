"""The error types (engine/errors.py)."""

import pytest

from engine.errors import InputError, Issue, suggest


def test_issue_formats_location_code_field_and_message():
    i = Issue("yaml.duplicate_key", "duplicate key 'a'", "v.yaml", 4, 3, "prices")
    assert str(i) == "v.yaml:4:3: yaml.duplicate_key [prices]: duplicate key 'a'"
    assert str(Issue("usage.invalid", "bad")) == "usage.invalid: bad"


def test_input_error_carries_all_issues():
    err = InputError([Issue("a", "one"), Issue("b", "two")])
    assert [i.code for i in err.issues] == ["a", "b"]
    assert "one" in str(err) and "two" in str(err)
    with pytest.raises(ValueError):
        InputError([])


def test_suggest():
    assert "capability" in suggest("capabilty", ["capability", "compliance"])
    assert "processing_regions" in suggest("regions", ["processing_regions"])
    assert suggest("zzz", ["capability"]) == ""
