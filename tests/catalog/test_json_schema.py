"""`shortlist schema KIND`: valid JSON Schema that accepts the bundled files and refuses
what the loader refuses (checked with the jsonschema library)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest

from engine.catalog.yamlio import load_yaml_file
from engine.cli import main
from tests.conftest import CRITERIA, ROOT, VENDORS

FILES = {
    "vendor": sorted(VENDORS.glob("*.yaml")),
    "priorities": sorted((CRITERIA / "presets").glob("*.yaml")),
    "policy": sorted((CRITERIA / "policies").glob("*.yaml")),
    "criteria": [CRITERIA / "criteria.yaml"],
    "sovereignty-framework": sorted(
        f for f in (CRITERIA / "sovereignty").glob("*.yaml") if not f.name.endswith(".rules.yaml")
    ),
    "sovereignty-rules": sorted((CRITERIA / "sovereignty").glob("*.rules.yaml")),
}


def schema(kind: str) -> dict:
    out = io.StringIO()
    assert main(["schema", kind], out=out, err=io.StringIO()) == 0
    return json.loads(out.getvalue())


@pytest.mark.parametrize("kind", sorted(FILES))
def test_schema_is_valid_and_accepts_the_bundled_files(kind):
    s = schema(kind)
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(s)
    validator = jsonschema.Draft202012Validator(s)
    assert FILES[kind]
    for f in FILES[kind]:
        errors = list(validator.iter_errors(load_yaml_file(f).data))
        assert not errors, (f, [e.message for e in errors])


@pytest.mark.parametrize(
    ("kind", "edit"),
    [
        ("vendor", lambda d: d.update(headqurters="FR")),  # unknown field
        ("vendor", lambda d: d["offerings"][0]["prices"].update(input_per_mtok=-1)),
        ("priorities", lambda d: d.update(method="majority-vote")),
        ("policy", lambda d: d["rules"][0].update(severity="fatal")),
        ("policy", lambda d: d.update(max_waiver_days=0)),
        ("sovereignty-framework", lambda d: d["objectives"][0]["criteria"][0]["options"][0].update(seal=5)),
        ("sovereignty-rules", lambda d: d["rules"][0].update(answer=0)),
    ],
)
def test_schema_refuses_what_the_loader_refuses(kind, edit):
    first = VENDORS / "mistral-ai.yaml" if kind == "vendor" else FILES[kind][0]  # priced offerings first
    data = load_yaml_file(first).data
    edit(data)
    assert list(jsonschema.Draft202012Validator(schema(kind)).iter_errors(data))


def test_schema_output_file_and_bad_kind(tmp_path: Path):
    out = tmp_path / "vendor.schema.json"
    assert main(["schema", "vendor", "--output", str(out)], out=io.StringIO(), err=io.StringIO()) == 0
    assert json.loads(out.read_text())["title"] == "VendorFile"
    err = io.StringIO()
    assert main(["schema", "vendors"], out=io.StringIO(), err=err) == 2
    assert "invalid choice" in err.getvalue() and "vendor" in err.getvalue()


def test_docs_modeline_example_matches_the_command():
    # moved with the README's "Editor support" section to the documentation site (issue 15)
    text = (ROOT / "docs" / "ci.md").read_text()
    assert "# yaml-language-server: $schema=" in text and "shortlist schema vendor" in text
