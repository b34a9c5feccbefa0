"""Loading a sovereignty framework and its rules: strict, with file, line and field.

The broken files below are written by the tests from the bundled framework (each test
breaks one thing); they are never shipped.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.catalog.sovereignty import load_framework, load_sovereignty
from engine.errors import InputError
from tests.conftest import CRITERIA

SOV = CRITERIA / "sovereignty"
FRAMEWORK = SOV / "eucsf-1.2.1.yaml"
RULES = SOV / "eucsf-1.2.1.rules.yaml"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A writable criteria/ with the bundled framework and rules."""
    d = tmp_path / "criteria" / "sovereignty"
    d.mkdir(parents=True)
    shutil.copy2(FRAMEWORK, d / FRAMEWORK.name)
    shutil.copy2(RULES, d / RULES.name)
    return d


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line(path: Path, needle: str) -> int:
    return next(i for i, x in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in x)


def _issues(path: Path) -> list[tuple[str, int | None, str | None, str]]:
    with pytest.raises(InputError) as exc:
        load_framework(path)
    return [(i.code, i.line, i.field, i.message) for i in exc.value.issues]


def test_the_bundled_framework_and_rules_load():
    s = load_framework(FRAMEWORK)
    assert s.framework.id == "eucsf-1.2.1" and s.rules is not None and len(s.rules.rules) == 7
    assert s.files == (str(FRAMEWORK), str(RULES))
    assert list(load_sovereignty(CRITERIA)) == ["eucsf-1.2.1"]
    # the two options the calculator leaves without a label stay without one
    assert [o.label_missing for o in s.framework.criterion("SOV-1.6").options] == [
        False,
        True,
        False,
        True,
        False,
    ]


def test_a_missing_directory_loads_no_framework(tmp_path: Path):
    assert load_sovereignty(tmp_path) == {}


def test_an_option_out_of_range_is_named_with_its_line(copy: Path):
    f = copy / FRAMEWORK.name
    _edit(
        f,
        '{value: 125.01, seal: 4, label: "4. Entirely within the EU"}',
        '{value: 125.01, seal: 5, label: "4. Entirely within the EU"}',
    )
    (issue,) = _issues(f)
    code, line, field, msg = issue
    assert code == "schema.invalid" and field == "objectives[0].criteria[0].options[3].seal"
    assert line == _line(f, "seal: 5") and "4" in msg


def test_a_criterion_under_the_wrong_objective_and_a_duplicate_are_refused(copy: Path):
    f = copy / FRAMEWORK.name
    _edit(f, "- id: SOV-1.2\n", "- id: SOV-2.2\n")
    found = {(c, fld) for c, _, fld, _ in _issues(f)}
    assert ("sovereignty.misplaced_criterion", "objectives[0].criteria[1].id") in found
    assert ("sovereignty.duplicate_id", "objectives[1].criteria[1].id") in found


def test_weight_sets_must_weigh_every_objective_and_name_a_known_default(copy: Path):
    f = copy / FRAMEWORK.name
    _edit(f, "SOV-7: 15, SOV-8: 5}", "SOV-7: 15, SOV-9: 5}")
    _edit(f, "default_weight_set: guidance-2026", "default_weight_set: guidance")
    got = {c: (line, fld, msg) for c, line, fld, msg in _issues(f)}
    line, fld, msg = got["sovereignty.invalid_weights"]
    assert fld == "weight_sets[0].weights" and "missing SOV-8" in msg and "SOV-9" in msg
    line, fld, msg = got["sovereignty.unknown_weight_set"]
    assert line == _line(f, "default_weight_set:") and "guidance-2026" in msg


def test_a_label_or_label_missing_not_both(copy: Path):
    f = copy / FRAMEWORK.name
    _edit(
        f,
        "{value: 31.25, seal: 4, label_missing: true}",
        '{value: 31.25, seal: 4, label_missing: true, label: "x"}',
    )
    (issue,) = _issues(f)
    assert issue[2] == "objectives[0].criteria[5].options[1]" and "not both" in issue[3]


def test_rules_are_checked_against_their_framework(copy: Path):
    r = copy / RULES.name
    _edit(r, "criterion: SOV-1.1\n", "criterion: SOV-1.9\n")
    _edit(
        r,
        "criterion: SOV-2.1\n    when:\n      - {fact: operator_hq, op: not_in, value: [EU, EEA, BUYER]}\n    answer: 2",
        "criterion: SOV-2.1\n    when:\n      - {fact: operator_hq, op: not_in, value: [EU, EEA, BUYER]}\n    answer: 4",
    )
    _edit(
        r,
        "{fact: open_weights, op: equals, value: false}\n    answer: 1",
        "{fact: open_weights, op: in, value: [yes]}\n    answer: 1",
    )
    _edit(
        r,
        "{fact: processing_regions, op: none_in, value: [EU, EEA, BUYER]}",
        "{fact: processing_regions, op: none_in, value: [EU, Europe]}",
    )
    got = {(c, fld): (line, msg) for c, line, fld, msg in _issues(copy / FRAMEWORK.name)}
    line, msg = got[("sovereignty.unknown_criterion", "rules[0].criterion")]
    assert line == _line(r, "SOV-1.9") and "did you mean" in msg
    line, msg = got[("sovereignty.unknown_option", "rules[1].answer")]
    assert "1 to 3" in msg and line == _line(r, "answer: 4")
    assert "equals" in got[("sovereignty.invalid_condition", "rules[6].when[0].op")][1]
    assert "'Europe'" in got[("sovereignty.invalid_condition", "rules[3].when[0].value")][1]


def test_rules_for_another_framework_and_bad_yaml_are_refused(copy: Path):
    r = copy / RULES.name
    _edit(r, "framework: eucsf-1.2.1", "framework: c3a-2026")
    (issue,) = _issues(copy / FRAMEWORK.name)
    assert issue[0] == "sovereignty.framework_mismatch" and issue[1] == _line(r, "framework: c3a")
    r.write_text("schema_version: 1\nframework: eucsf-1.2.1\nframework: x\n", encoding="utf-8")
    (issue,) = _issues(copy / FRAMEWORK.name)
    assert issue[0] == "yaml.duplicate_key" and issue[1] == 3


def test_two_files_with_one_id_are_refused(copy: Path):
    shutil.copy2(copy / FRAMEWORK.name, copy / "copy.yaml")
    with pytest.raises(InputError) as exc:
        load_sovereignty(copy.parent)
    (issue,) = exc.value.issues
    assert issue.code == "sovereignty.duplicate_id" and "eucsf-1.2.1" in issue.message
