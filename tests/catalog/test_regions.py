"""Region containment (engine/catalog/regions.py)."""

from engine.catalog.regions import all_within, any_within, region_within


def test_country_inside_group():
    assert region_within("FR", ["EU"])
    assert region_within("NO", ["EEA"]) and not region_within("NO", ["EU"])


def test_group_inside_group_or_country():
    assert region_within("EU", ["EEA"])
    assert not region_within("EU", ["DE"])


def test_global_and_buyer():
    assert not region_within("GLOBAL", ["EU"])
    assert region_within("CN", ["GLOBAL"])
    assert region_within("BUYER", ["DE"])


def test_any_and_all():
    assert any_within(["GLOBAL", "US", "EU"], ["EU"])
    assert not all_within(["GLOBAL", "US", "EU"], ["EU"])
    assert not any_within(["CN"], ["EU", "EEA"])
