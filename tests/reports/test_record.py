"""The decision record (`shortlist rank --record FILE.md`, engine.reports.record)."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
from pathlib import Path

import pytest

from engine.cli import main
from tests.conftest import BUNDLED_VENDORS, CRITERIA, ROOT, VENDORS


def record(tmp_path: Path, *args: str, name: str = "record.md") -> str:
    out_file = tmp_path / name
    out, err = io.StringIO(), io.StringIO()
    code = main(["rank", "--on", "2026-11-29", "--record", str(out_file), *args], out=out, err=err)
    assert code == 0, err.getvalue()
    assert "Rank" not in err.getvalue()
    return out_file.read_text(encoding="utf-8")


FROZEN = ("--vendors", str(VENDORS))
"""The frozen 2026-11-29 catalog that the pinned rows below were written for."""


def test_record_has_every_part_and_is_byte_identical(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    first = record(tmp_path, *FROZEN)
    second = record(tmp_path, *FROZEN, name="again.md")
    assert first == second
    for heading in (
        "# Decision record: Regulated EU bank",
        "## Weights",
        "## Must-haves",
        "## Ranking",
        "## Excluded",
        "## Robustness",
        "## Inputs",
    ):
        assert heading in first
    assert "- Date (prices in force): 2026-11-29" in first
    assert re.search(r"- Tool: Shortlist \d+\.\d+\.\d+", first)
    assert (
        "**eu-processing**: Processing can be kept in the EU/EEA — `processing_regions within EU, EEA`"
        in first
    )
    assert "| 1 | azure-openai-gpt-6-luna-eu-datazone | OpenAI | 67.54 | 2026-11-29 | 0 |" in first
    assert (
        "| 10 | mistral-large-4-api | Mistral AI | 58.20 | 2026-10-29 | 31 |" in first
    )  # data age per offering
    assert "Weight range in which azure-openai-gpt-6-luna-eu-datazone stays first" in first
    # excluded offerings with reasons
    excluded = first.split("## Excluded")[1].split("##")[0]
    row = next(line for line in excluded.splitlines() if line.startswith("| aleph-alpha-phariaai-private |"))
    assert "fails must-have" in row or "unknown:" in row


def test_record_digests_are_the_files_sha256(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    text = record(tmp_path)  # the default inputs, run from the repository root
    rows = dict(re.findall(r"^\| (\S+) \| `([0-9a-f]{64})` \|$", text, re.M))
    expected = {
        "criteria/criteria.yaml",
        "criteria/fx.yaml",
        "criteria/presets/regulated-eu-bank.yaml",
        # the live catalog: every file of it, whatever it holds (nothing pinned here)
        *(f"vendors/{p.name}" for p in BUNDLED_VENDORS.glob("*.yaml")),
    }
    assert set(rows) == expected
    for name, digest in rows.items():
        assert hashlib.sha256((ROOT / name).read_bytes()).hexdigest() == digest


def test_record_changes_with_an_input_and_names_bundled_files_portably(tmp_path, monkeypatch):
    vend = tmp_path / "vendors"
    shutil.copytree(VENDORS, vend)
    monkeypatch.chdir(tmp_path)
    before = record(tmp_path, "--vendors", "vendors")
    assert "| vendors/openai.yaml |" in before
    assert "| shortlist:criteria/criteria.yaml |" in before  # the bundled criteria, outside the cwd
    f = vend / "openai.yaml"
    f.write_text(f.read_text() + "\n# reviewed\n")
    after = record(tmp_path, "--vendors", "vendors", name="after.md")
    assert after != before
    changed = [a for a, b in zip(after.splitlines(), before.splitlines(), strict=True) if a != b]
    # the file's digest, and the digest over all inputs; nothing else
    assert len(changed) == 2
    assert changed[0].startswith("- Inputs digest") and changed[1].startswith("| vendors/openai.yaml |")


def test_record_respects_top_and_method(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    text = record(tmp_path, "--top", "3", "--method", "topsis")
    ranking = text.split("## Ranking")[1].split("##")[0]
    assert len(re.findall(r"^\| \d+ \|", ranking, re.M)) == 3
    assert "- Method: topsis" in text


def test_record_write_error_is_exit_2(tmp_path):
    err = io.StringIO()
    code = main(["rank", "--record", str(tmp_path / "missing" / "r.md")], out=io.StringIO(), err=err)
    assert code == 2 and "io.write_error" in err.getvalue() and "Traceback" not in err.getvalue()


@pytest.mark.parametrize("preset", [p.stem for p in sorted((CRITERIA / "presets").glob("*.yaml"))])
def test_record_for_every_preset(tmp_path, monkeypatch, preset):
    monkeypatch.chdir(ROOT)
    text = record(tmp_path, "--priorities", preset)
    assert text.startswith("# Decision record: ") and "## Inputs" in text
