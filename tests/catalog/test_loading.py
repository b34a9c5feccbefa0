"""Loading and schema validation (engine/catalog/loading.py, engine/catalog/schema.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import engine
from engine.catalog.loading import load_catalog, load_vendor_bytes
from tests.conftest import CRITERIA, VENDORS, offering_yaml, vendor_yaml


def problems(text: str, name: str = "acme.yaml") -> list[engine.Issue]:
    with pytest.raises(engine.InputError) as exc:
        load_vendor_bytes(text.encode(), name)
    return list(exc.value.issues)


def test_minimal_vendor_loads():
    vendor, _ = load_vendor_bytes(vendor_yaml().encode(), "acme.yaml")
    assert vendor.offerings[0].prices is not None
    assert vendor.offerings[0].prices.input_per_mtok == 1.0


def test_norway_region_is_kept():
    text = vendor_yaml(offerings=offering_yaml("acme-api", regions="[DE, FR, NO]"))
    vendor, _ = load_vendor_bytes(text.encode(), "acme.yaml")
    assert vendor.offerings[0].processing_regions == ("DE", "FR", "NO")


def test_boolean_where_text_expected_names_file_line_field():
    text = vendor_yaml().replace("    model: Model acme-api", "    model: true")
    (i,) = problems(text)
    assert i.code == "schema.invalid"
    assert i.field == "offerings[0].model"
    assert i.file == "acme.yaml" and i.line == 9
    assert "boolean true" in i.message and "quotes" in i.message


def test_version_like_number_where_text_expected_fails_with_hint():
    text = vendor_yaml().replace("    model: Model acme-api", "    model: 3.10")
    (i,) = problems(text)
    assert i.field == "offerings[0].model" and "number 3.1" in i.message and "quotes" in i.message


def test_text_where_number_expected():
    text = vendor_yaml(offerings=offering_yaml("acme-api")).replace(
        "input_per_mtok: 1.0", "input_per_mtok: cheap"
    )
    (i,) = problems(text)
    assert i.field == "offerings[0].prices.input_per_mtok" and "cheap" in i.message


def test_scientific_notation_number_loads():
    text = vendor_yaml(offerings=offering_yaml("acme-api", context=None)).replace(
        "    as_of: 2026-11-01\n    sources",
        "    context_window_tokens: 1e3\n    as_of: 2026-11-01\n    sources",
    )
    # 1e3 is a float under YAML 1.2; a token count must be an integer
    (i,) = problems(text)
    assert i.field == "offerings[0].context_window_tokens"


def test_bare_date_loads_as_date_and_bad_date_fails():
    vendor, _ = load_vendor_bytes(vendor_yaml().encode(), "acme.yaml")
    assert vendor.as_of.isoformat() == "2026-11-01"
    (i,) = problems(vendor_yaml().replace("as_of: 2026-11-01\nsources", "as_of: 2026-13-01\nsources"))
    assert i.field == "as_of" and "YYYY-MM-DD" in i.message and i.line == 5


def test_per_1k_price_field_is_unknown_and_suggests_the_real_one():
    text = vendor_yaml().replace("input_per_mtok: 1.0", "input_per_ktok: 1.0")
    found = problems(text)
    codes = {i.code for i in found}
    assert "schema.unknown_field" in codes and "schema.missing_field" in codes
    unknown = next(i for i in found if i.code == "schema.unknown_field")
    assert "input_per_mtok" in unknown.message


def test_bad_country_code():
    (i,) = problems(vendor_yaml(hq="XX"))
    assert i.field == "headquarters" and "ISO 3166-1" in i.message


def test_all_problems_of_a_file_are_reported_together():
    text = vendor_yaml(hq="XX").replace("    deployment: api", "    deployment: mainframe")
    assert len(problems(text)) == 2


def test_file_name_must_match_vendor_id():
    (i,) = problems(vendor_yaml(), name="other.yaml")
    assert i.code == "catalog.id_mismatch"


def test_catalog_keeps_valid_files_and_reports_broken_ones(write_vendors):
    d = write_vendors(
        {
            "acme.yaml": vendor_yaml(),
            "broken.yaml": "id: broken\n\tname: x\n",
            "beta.yaml": vendor_yaml("beta", offering_yaml("beta-api")),
        }
    )
    cat = engine.load_catalog([d])
    assert [o.id for o in cat.offerings] == ["acme-api", "beta-api"]
    assert len(cat.issues) == 1 and cat.issues[0].file.endswith("broken.yaml")


def test_duplicate_offering_across_files_is_reported(write_vendors):
    d = write_vendors(
        {"acme.yaml": vendor_yaml(), "beta.yaml": vendor_yaml("beta", offering_yaml("acme-api"))}
    )
    cat = engine.load_catalog([d])
    assert len(cat.offerings) == 0  # which one is right is for a person to decide
    assert [i.code for i in cat.issues] == ["catalog.duplicate_id"] * 2
    assert {Path(i.file).name for i in cat.issues} == {"acme.yaml", "beta.yaml"}
    assert all(i.line == 8 for i in cat.issues)


def test_offering_inherits_vendor_certifications_unless_it_declares_its_own(write_vendors):
    certs = "certifications:\n  items:\n    iso27001: {status: certified}\n"
    own = offering_yaml("acme-cloud").rstrip("\n") + "\n    certifications: {items: {}}\n"
    d = write_vendors({"acme.yaml": vendor_yaml(offerings=offering_yaml("acme-api") + own, extra=certs)})
    cat = engine.load_catalog([d])
    assert cat.get("acme-api").certifications.items["iso27001"].status == "certified"
    assert cat.get("acme-cloud").certifications.items == {}


def test_criteria_catalog_loads():
    assert engine.load_criteria(CRITERIA).ids() == engine.KNOWN_CRITERIA


def test_unknown_criterion_in_catalog(tmp_path):
    (tmp_path / "criteria.yaml").write_text(
        (CRITERIA / "criteria.yaml").read_text().replace("id: transparency", "id: transparancy")
    )
    (tmp_path / "fx.yaml").write_text((CRITERIA / "fx.yaml").read_text())
    with pytest.raises(engine.InputError) as exc:
        engine.load_criteria(tmp_path)
    (i,) = exc.value.issues
    assert i.code == "catalog.unknown_criterion" and "transparency" in i.message and i.line is not None


def test_presets_load():
    for p in sorted((CRITERIA / "presets").glob("*.yaml")):
        assert engine.load_priorities(p).weights


@pytest.mark.parametrize("as_given", [str, Path])
def test_a_single_path_is_one_path_not_its_characters(as_given):
    # a str is iterable: read character by character, "tests/…" became "t", "e", …, "/"
    # and walked the whole file system (a PermissionError traceback on /proc)
    one = load_catalog(as_given(VENDORS))
    assert not one.issues
    assert [o.id for o in one.offerings] == [o.id for o in load_catalog([VENDORS]).offerings]


def test_an_entry_the_process_may_not_look_at_is_an_issue_not_a_traceback(tmp_path, monkeypatch):
    shutil.copytree(VENDORS, tmp_path / "vendors")
    (tmp_path / "vendors" / "locked.yaml").write_text("schema_version: 1\n")
    real = Path.exists

    def exists(self: Path, *a, **k):  # an unreadable link target raises instead of answering
        if self.name == "locked.yaml":
            raise PermissionError(13, "Permission denied")
        return real(self, *a, **k)

    monkeypatch.setattr(Path, "exists", exists)
    cat = load_catalog([tmp_path / "vendors"])
    assert any(i.code == "io.read_error" and "locked.yaml" in i.file for i in cat.issues)
    assert len(cat.offerings) == len(load_catalog([VENDORS]).offerings)
