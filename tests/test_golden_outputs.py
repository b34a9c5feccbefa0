"""The byte-comparison script for refactors (tests/golden_outputs.py) keeps working."""

from __future__ import annotations

from pathlib import Path

from tests import golden_outputs


def test_recordings_of_the_same_tree_are_byte_identical(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert golden_outputs.record(a, only="regulated-eu-bank") >= 12
    golden_outputs.record(b, only="regulated-eu-bank")
    assert golden_outputs.compare(a, b) == []
    # each case keeps its exit code, its output and the files it wrote
    assert (a / "rank-regulated-eu-bank-csv" / "exit").read_text() == "0\n"
    assert (a / "rank-regulated-eu-bank-csv" / "stdout").read_bytes().startswith(b"rank,offering_id,")
    assert (a / "rank-regulated-eu-bank-xlsx" / "files" / "ranking.xlsx").stat().st_size > 1000
    assert (a / "rank-regulated-eu-bank-record" / "files" / "record.md").read_bytes().startswith(b"#")


def test_compare_names_every_difference(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    golden_outputs.record(a, only="schema-")
    golden_outputs.record(b, only="schema-")
    (b / "schema-vendor" / "stdout").write_bytes(b"changed")
    (b / "schema-policy" / "files" / "extra.txt").write_text("new")
    (a / "schema-criteria" / "exit").unlink()
    problems = golden_outputs.compare(a, b)
    assert "schema-vendor: stdout differs" in problems
    assert "schema-policy: files/extra.txt written on one side only" in problems
    assert "schema-criteria: exit written on one side only" in problems
    assert golden_outputs.main(["compare", str(a), str(b)]) == 1
    assert golden_outputs.main(["compare", str(a), str(a)]) == 0
