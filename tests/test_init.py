"""`shortlist init DIR`: a fresh catalog repository that passes its own checks."""

from __future__ import annotations

import subprocess
import sys

import pytest

from engine import bundled
from tests.conftest import ROOT
from tests.conftest import run_cli as run


def test_init_creates_a_catalog_that_passes_its_own_checks(tmp_path, monkeypatch):
    target = tmp_path / "catalog"
    code, out, _ = run("init", str(target))
    assert code == 0 and "Created a Shortlist catalog" in out
    for f in (
        "vendors/mistral-ai.yaml",
        "criteria/criteria.yaml",
        "criteria/fx.yaml",
        "criteria/presets/regulated-eu-bank.yaml",
        "criteria/policies/eu-regulated.yaml",
        ".github/workflows/shortlist.yml",
        "README.md",
    ):
        assert (target / f).is_file(), f
    assert (target / "vendors" / "openai.yaml").read_bytes() == (
        ROOT / "vendors" / "openai.yaml"
    ).read_bytes()
    monkeypatch.chdir(target)
    code, out, _ = run("validate")
    assert code == 0 and "1 policy file(s)" in out
    code, out, _ = run("check", "--policy", "criteria/policies/eu-regulated.yaml", "--today", "2026-11-29")
    assert code == 0 and "PASSED" in out
    # the catalog is the user's now: an edit shows up in the check
    f = target / "vendors" / "mistral-ai.yaml"
    f.write_text(f.read_text().replace("processing_regions: [EU, US]", "processing_regions: [US]", 1))
    code, out, _ = run("check", "--policy", "criteria/policies/eu-regulated.yaml", "--today", "2026-11-29")
    assert code == 1 and "vendors/mistral-ai.yaml:47" in out


def test_init_refuses_a_non_empty_directory(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    code, out, err = run("init", str(tmp_path))
    assert code == 2 and out == "" and "not an empty directory" in err
    assert (tmp_path / "keep.txt").read_text() == "mine"
    f = tmp_path / "file"
    f.write_text("x")
    assert run("init", str(f))[0] == 2


def test_init_into_an_empty_directory_works_as_a_subprocess(tmp_path):
    target = tmp_path / "empty"
    target.mkdir()
    p = subprocess.run(
        [sys.executable, "-m", "engine", "init", str(target)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert p.returncode == 0, p.stderr
    assert (target / "criteria" / "policies" / "eu-regulated.yaml").is_file()


def test_bundled_root_in_a_checkout_and_in_an_installed_wheel(tmp_path, monkeypatch):
    assert bundled.bundled_root() == ROOT
    site = tmp_path / "site-packages"
    (site / "engine").mkdir(parents=True)
    (site / "shortlist_data" / "vendors").mkdir(parents=True)
    monkeypatch.setattr(bundled, "_CHECKOUT", site)
    assert bundled.bundled_root() == site / "shortlist_data"


@pytest.mark.parametrize("name", ["vendors/*.yaml", "criteria/policies/*.yaml", "examples/*.yml"])
def test_packaging_ships_the_bundled_catalog(name):
    text = (ROOT / "pyproject.toml").read_text()
    assert f'"{name}"' in text and 'shortlist_data = "."' in text
    assert list(ROOT.glob(name))
