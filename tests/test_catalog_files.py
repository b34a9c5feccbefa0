"""How the CLI finds and names catalog files (issue #11, follow-up of kinds 3, 6, 8, 9).

- A file name that is not valid UTF-8 (its undecodable bytes reach Python as lone
  surrogates) is shown with visible escapes (``\\xff``) in every output: JSON, SARIF,
  JUnit and workflow commands stay valid UTF-8, and nothing crashes.
- A file found by listing a catalog directory whose real path leaves the catalog (a
  symbolic link, or a linked subdirectory) is refused with ``io.outside_catalog`` and
  none of its content; a link inside the catalog is fine; a path typed on the command
  line is opened.
- ``validate`` names files from the catalog root, as ``rank`` and ``check`` do.
- ``validate`` says which directories it validated, and when it used the bundled ones.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from engine.cli import main
from engine.errors import Issue, shown_path
from tests.conftest import CRITERIA, VENDORS

TODAY = "2026-11-29"
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="POSIX file names and links")


def _run(argv: list[str], cwd: Path | None = None) -> tuple[int, bytes, str]:
    """Run the CLI with a UTF-8 stdout that keeps its bytes; return (code, stdout, stderr)."""
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    err = io.StringIO()
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        code = main(argv, out, err)
    finally:
        os.chdir(old)
    out.flush()
    return code, raw.getvalue(), err.getvalue()


def _strings(doc: object) -> str:
    """Every string of a JSON document, joined (percent-escapes of URIs decoded)."""
    from urllib.parse import unquote

    if isinstance(doc, dict):
        return " ".join(_strings(v) for v in doc.values())
    if isinstance(doc, list):
        return " ".join(_strings(v) for v in doc)
    return unquote(doc) if isinstance(doc, str) else ""


def _clean(data: bytes | str) -> str:
    """The text, checked: valid UTF-8, no lone surrogate and no escape of one."""
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    text.encode("utf-8")  # a lone surrogate raises here
    assert "\\udc" not in text and "\\\\udc" not in text, text[:500]
    return text


# ----------------------------------------------------------------------------- undecodable names

# file names (as os.fsdecode gives them) that are not valid UTF-8
BAD_NAMES = ["\udcff\udcfe.yaml", "caf\udce9.yaml", "x\udc80y.yml", "\udcc3(.yaml"]


def test_shown_path_escapes_undecodable_bytes_only():
    assert shown_path("vendors/\udcff\udcfe.yaml") == "vendors/\\xff\\xfe.yaml"
    assert shown_path("vendors/café.yaml") == "vendors/café.yaml"
    assert shown_path(Path("a") / "\udce9") == "a/\\xe9"
    assert shown_path("\ud800") == "\\ud800"  # not from a file name, still never lone
    issue = Issue("x", "found \udcff", file="v/\udcff.yaml", field="a\udcff")
    assert (issue.file, issue.message, issue.field) == ("v/\\xff.yaml", "found \\xff", "a\\xff")


@pytest.fixture
def bad_catalog(tmp_path: Path) -> Path:
    """A catalog with the bundled criteria, a valid vendor in a subdirectory whose name is
    not UTF-8 and broken vendor files whose names are not UTF-8."""
    cat = tmp_path / "cat"
    shutil.copytree(CRITERIA, cat / "criteria")
    (cat / "vendors" / "sub\udce9").mkdir(parents=True)
    shutil.copy(VENDORS / "mistral-ai.yaml", cat / "vendors" / "sub\udce9" / "mistral-ai.yaml")
    for name in BAD_NAMES:
        (cat / "vendors" / name).write_text("schema_version: 1\nid: x\n", encoding="utf-8")
    return cat


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_check_with_undecodable_file_names_writes_valid_output(bad_catalog, fmt):
    code, out, err = _run(
        ["check", "--policy", "eu-regulated", "--today", TODAY, "--format", fmt], bad_catalog
    )
    assert code == 2 and "Traceback" not in err
    text = _clean(out)
    _clean(err)
    if fmt in ("json", "sarif"):
        text = _strings(json.loads(text))
    assert "vendors/\\xff\\xfe.yaml" in text and "vendors/caf\\xe9.yaml" in text
    assert "vendors/x\\x80y.yml" in text and "vendors/\\xc3(.yaml" in text
    if fmt == "junit":
        import xml.etree.ElementTree as ET

        ET.fromstring(out)


def test_check_output_file_with_undecodable_names(bad_catalog):
    code, _, err = _run(
        ["check", "--policy", "eu-regulated", "--format", "sarif", "--output", "r.sarif"], bad_catalog
    )
    assert code == 2 and "Traceback" not in err
    json.loads(_clean((bad_catalog / "r.sarif").read_bytes()))


def test_rank_json_and_record_with_undecodable_names(bad_catalog, tmp_path):
    pri = tmp_path / "pri\udcfe.yaml"
    shutil.copy(CRITERIA / "presets" / "regulated-eu-bank.yaml", pri)
    argv = ["rank", "--format", "json", "--on", TODAY, "--priorities", str(pri), "--record", "rec.md"]
    code, out, err = _run(argv, bad_catalog)
    assert code == 2 and "Traceback" not in err  # the broken vendor files
    doc = json.loads(_clean(out))
    assert doc["offerings"] and "\\xff" in _clean(err)
    record = _clean((bad_catalog / "rec.md").read_bytes()).replace("\\\\", "\\")  # Markdown's escape
    assert "pri\\xfe.yaml" in record and "vendors/sub\\xe9/mistral-ai.yaml" in record


def test_validate_with_undecodable_names(bad_catalog):
    code, out, err = _run(["validate"], bad_catalog)
    assert code == 2 and "Traceback" not in err
    _clean(out)
    assert "vendors/\\xff\\xfe.yaml:1:" in _clean(err)
    code, out, err = _run(["validate", "vendors/caf\udce9.yaml"], bad_catalog)
    assert code == 2 and "vendors/caf\\xe9.yaml:1:" in _clean(err)
