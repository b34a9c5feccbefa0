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
from streamlit.testing.v1 import AppTest

from engine.cli import main
from engine.errors import Issue, shown_path
from tests.conftest import CRITERIA, ROOT, VENDORS

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


# ----------------------------------------------------------------------------- links out of the catalog

SECRET = "ghp_SECRET_TOKEN_123"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside every catalog, holding a secret a YAML error would quote."""
    f = tmp_path / "elsewhere" / "out.yaml"
    f.parent.mkdir()
    f.write_text(f"id: {SECRET}\nschema_version: 1\nweights: {{{SECRET}: 1}}\n", encoding="utf-8")
    return f


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    """A real catalog: the bundled vendors and criteria, and a priorities/ directory."""
    cat = tmp_path / "cat"
    shutil.copytree(VENDORS, cat / "vendors")
    shutil.copytree(CRITERIA, cat / "criteria")
    (cat / "priorities").mkdir()
    shutil.copy(CRITERIA / "presets" / "regulated-eu-bank.yaml", cat / "priorities" / "team.yaml")
    return cat


def _refused(code: int, out: bytes | str, err: str, name: str) -> None:
    text = (out.decode("utf-8") if isinstance(out, bytes) else out) + err
    assert code == 2 and "Traceback" not in err
    assert SECRET not in text, text
    assert "io.outside_catalog" in text and name in text, text


@pytest.mark.parametrize("fmt", ["text", "github", "json", "sarif", "junit"])
def test_check_refuses_a_vendor_file_linked_out_of_the_catalog(catalog, secret, fmt):
    (catalog / "vendors" / "leak.yaml").symlink_to(secret)
    code, out, err = _run(["check", "--policy", "eu-regulated", "--today", TODAY, "--format", fmt], catalog)
    _refused(code, out, err, "vendors/leak.yaml")


def test_a_linked_subdirectory_of_vendors_is_refused(catalog, secret):
    (catalog / "vendors" / "more").symlink_to(secret.parent, target_is_directory=True)
    for argv in (
        ["validate"],
        ["rank", "--on", TODAY],
        ["check", "--policy", "eu-regulated", "--format", "github"],
    ):
        code, out, err = _run(argv, catalog)
        _refused(code, out, err, "vendors/more")
        # the valid profiles still load
    code, out, _ = _run(["rank", "--on", TODAY, "--format", "json"], catalog)
    assert json.loads(out)["offerings"]


def test_presets_policies_priorities_and_criteria_linked_out_are_refused(catalog, secret):
    (catalog / "criteria" / "presets" / "leak.yaml").symlink_to(secret)
    (catalog / "criteria" / "policies" / "leak.yaml").symlink_to(secret)
    (catalog / "priorities" / "leak.yaml").symlink_to(secret)
    (catalog / "priorities" / "sub").mkdir()
    (catalog / "priorities" / "sub" / "deeper.yml").symlink_to(secret)
    (catalog / "priorities" / "linked").symlink_to(secret.parent, target_is_directory=True)
    code, out, err = _run(["validate"], catalog)
    names = (
        "presets/leak.yaml",
        "policies/leak.yaml",
        "priorities/leak.yaml",
        "priorities/sub/deeper.yml",
        "priorities/linked",
    )
    for name in names:
        _refused(code, out, err, name)
    _refused(*_run(["validate", "priorities"], catalog), "priorities/leak.yaml")
    _refused(*_run(["rank", "--priorities", "leak", "--on", TODAY], catalog), "presets/leak.yaml")
    _refused(*_run(["check", "--policy", "leak", "--format", "github"], catalog), "policies/leak.yaml")
    _refused(
        *_run(["diff", "--base-vendors", "vendors", "--priorities", "leak"], catalog), "presets/leak.yaml"
    )
    # a policy naming the linked preset by name
    (catalog / "criteria" / "policies" / "p.yaml").write_text(
        "schema_version: 1\nname: probe\npriorities: leak\nmin_score: {score: 1}\n", encoding="utf-8"
    )
    _refused(*_run(["check", "--policy", "p", "--today", TODAY], catalog), "presets/leak.yaml")


def test_criteria_files_linked_out_are_refused(catalog, secret):
    (catalog / "criteria" / "fx.yaml").unlink()
    (catalog / "criteria" / "fx.yaml").symlink_to(secret)
    for argv in (["validate"], ["rank", "--on", TODAY], ["check", "--policy", "eu-regulated"]):
        _refused(*_run(argv, catalog), "fx.yaml")


def test_links_inside_the_catalog_and_typed_paths_are_fine(catalog, secret, tmp_path):
    # a link that stays in the catalog: a shared file, a linked subdirectory of the catalog
    store = catalog / "store"
    store.mkdir()
    (catalog / "vendors" / "openai.yaml").rename(store / "openai.yaml")
    (catalog / "vendors" / "openai.yaml").symlink_to("../store/openai.yaml")
    (catalog / "priorities" / "shared").symlink_to(store, target_is_directory=True)
    shutil.copy(CRITERIA / "presets" / "cost-first-startup.yaml", store / "buyer.yaml")
    code, out, err = _run(["validate"], catalog)
    assert code == 0, err
    code, out, err = _run(["rank", "--on", TODAY, "--format", "json"], catalog)
    assert code == 0 and "openai" in out.decode()
    # a path typed on the command line is the user's choice: opened (and its problems shown)
    code, out, err = _run(["validate", str(secret)], catalog)
    assert code == 2 and "io.outside_catalog" not in err
    outside = tmp_path / "mine.yaml"
    shutil.copy(CRITERIA / "presets" / "cost-first-startup.yaml", outside)
    code, out, err = _run(["rank", "--priorities", str(outside), "--on", TODAY], catalog)
    assert code == 0, err


def _app_text(at: AppTest) -> str:
    """Every text the page shows (elements, tables, options, labels)."""
    parts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "text",
        "code",
        "error",
        "warning",
        "info",
        "success",
    ):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [str(e.label) for e in at.expander]
    parts += [e.value.to_string() for e in [*at.dataframe, *at.table]]
    parts += [str(o) for e in at.selectbox for o in e.options]
    return "\n".join(parts)


def test_app_refuses_catalog_files_linked_out(catalog, secret, monkeypatch):
    (catalog / "vendors" / "leak.yaml").symlink_to(secret)
    (catalog / "criteria" / "policies" / "leak.yaml").symlink_to(secret)
    (catalog / "criteria" / "presets" / "leak.yaml").symlink_to(secret)
    monkeypatch.setenv("SHORTLIST_VENDORS", str(catalog / "vendors"))
    monkeypatch.setenv("SHORTLIST_CRITERIA", str(catalog / "criteria"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    shown = _app_text(at)
    for name in ("catalog", "policy"):
        at.switch_page(f"ui/pages/{name}.py").run()
        assert not at.exception, at.exception
        shown += _app_text(at)
    assert SECRET not in shown and "io.outside_catalog" in shown and "leak.yaml" in shown
    assert "leak" not in [o for sb in at.selectbox for o in sb.options]  # the linked policy is not offered


# ----------------------------------------------------------------------------- validate's names and summary


@pytest.fixture
def broken(catalog: Path) -> Path:
    """The catalog with one broken vendor file and one broken priorities file."""
    (catalog / "vendors" / "zz.yaml").write_text("schema_version: 1\nid: zz\n", encoding="utf-8")
    (catalog / "priorities" / "bad.yaml").write_text("weights: [\n", encoding="utf-8")
    return catalog


@pytest.mark.parametrize(
    "typed",
    [
        ["./vendors/../vendors"],
        ["vendors/../vendors/zz.yaml"],
        ["vendors/zz.yaml", "./priorities/../priorities"],
        ["vendors/./zz.yaml", "priorities/bad.yaml"],
        ["vendors//", "priorities/./bad.yaml"],
    ],
)
def test_validate_names_files_from_the_catalog_root_however_typed(broken, typed):
    code, _, err = _run(["validate", *typed], broken)
    assert code == 2 and "vendors/zz.yaml:1: " in err, err
    assert ".." not in err and "./" not in err and "//" not in err and str(broken) not in err
    if any("priorities" in t for t in typed):
        assert "priorities/bad.yaml:" in err


@pytest.mark.parametrize("where", ["elsewhere", "vendors", "priorities", "criteria/presets"])
def test_validate_names_files_the_same_from_any_directory(broken, tmp_path, where):
    """Absolute paths, relative paths from a subdirectory: the same names as from the root."""
    cwd = tmp_path / "elsewhere" if where == "elsewhere" else broken / where
    cwd.mkdir(exist_ok=True)
    _, _, at_root = _run(["validate", "vendors", "priorities"], broken)
    for typed in (
        [str(broken / "vendors"), str(broken / "priorities")],
        [os.path.relpath(broken / "vendors", cwd), os.path.relpath(broken / "priorities", cwd)],
    ):
        code, _, err = _run(["validate", *typed], cwd)
        assert code == 2 and err.splitlines()[:-1] == at_root.splitlines()[:-1], (err, at_root)
    assert "vendors/zz.yaml:1: " in at_root and "priorities/bad.yaml:" in at_root


def test_validate_from_a_subdirectory_says_it_used_the_bundled_catalog(broken):
    for sub in ("priorities", "criteria", "vendors"):
        code, out, err = _run(["validate"], broken / sub)
        text = out.decode()
        assert code == 0, err  # the bundled catalog is valid: the point is that it says so
        assert "Validated: the bundled vendors/" in text and "the bundled criteria/" in text
        assert "Note: no ./vendors or ./criteria here" in text and "--vendors/--criteria" in text


def test_validate_names_the_directories_it_validated(broken):
    code, out, err = _run(["validate"], broken)
    assert code == 2 and "bundled" not in err and "note" not in err
    (broken / "vendors" / "zz.yaml").unlink()
    (broken / "priorities" / "bad.yaml").unlink()
    code, out, err = _run(["validate"], broken)
    lines = out.decode().splitlines()
    assert code == 0 and lines[0].startswith("OK: "), err
    assert lines[1] == "Validated: vendors/, criteria/ (with presets and policies), priorities/"
    # no note: nothing came from the bundled catalog (the coverage report follows a blank line)
    assert len(out.decode().split("\n\n")[0].splitlines()) == 2 and "Note:" not in out.decode()
    # only ./vendors here: the criteria came from the bundled catalog, and that is said
    shutil.rmtree(broken / "criteria")
    code, out, err = _run(["validate"], broken)
    text = out.decode()
    assert code == 0 and "the bundled criteria/" in text and "no ./criteria here" in text, err
    code, out, err = _run(["validate", "vendors"], broken)
    assert code == 0 and "Validated: vendors, with the criteria of the bundled criteria/" in out.decode()


def test_other_commands_keep_their_stdout_when_falling_back(tmp_path):
    """rank from a directory without a catalog: the same bytes as from the bundled root."""
    code, here, _ = _run(["rank", "--on", TODAY, "--format", "json"], tmp_path)
    code2, there, _ = _run(["rank", "--on", TODAY, "--format", "json"], ROOT)
    assert code == code2 == 0 and here == there


def test_a_file_outside_any_catalog_is_named_by_its_absolute_path(tmp_path):
    """A directory above holding some vendors/ does not make a loose file part of it."""
    (tmp_path / "vendors").mkdir()
    loose = tmp_path / "loose" / "p.yaml"
    loose.parent.mkdir()
    loose.write_text("weights: [\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for typed in (str(loose), os.path.relpath(loose, elsewhere)):
        code, _, err = _run(["validate", typed], elsewhere)
        assert code == 2 and err.startswith(f"{loose}:"), err
