"""The CI examples users copy: the GitHub Actions workflow in ``examples/`` and the
pre-commit hook. Their ``shortlist`` commands are run for real on a copy of the
bundled catalog."""

from __future__ import annotations

import io
import re
import shlex
import shutil
from pathlib import Path

import pytest
import yaml

from engine.cli import main
from engine.yamlio import load_yaml_file
from tests.conftest import CRITERIA, ROOT, VENDORS

WORKFLOW = ROOT / "examples" / "github-workflow.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"


def workflow_commands() -> list[str]:
    """Every `shortlist …` command line of the workflow's `run:` steps."""
    doc = load_yaml_file(WORKFLOW).data  # YAML 1.2: the key `on` stays the text "on"
    assert set(doc["on"]) == {"pull_request", "push", "schedule"}
    cmds = []
    for step in doc["jobs"]["shortlist"]["steps"]:
        for line in str(step.get("run", "")).splitlines():
            line = line.strip()
            if line.startswith("shortlist "):
                cmds.append(re.sub(r"\s*\|\|\s*true$", "", line))
    return cmds


@pytest.fixture
def catalog_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(VENDORS, tmp_path / "vendors")
    shutil.copytree(CRITERIA, tmp_path / "criteria")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_workflow_commands_run_clean_on_the_bundled_catalog(catalog_repo):
    cmds = workflow_commands()
    assert len(cmds) >= 5
    for cmd in cmds:
        args = shlex.split(cmd)[1:]
        out, err = io.StringIO(), io.StringIO()
        code = main(args, out=out, err=err)
        assert code == 0, (cmd, err.getvalue())
    for artifact in ("shortlist.sarif", "shortlist-junit.xml", "decision-record.md", "shortlist.csv"):
        assert (catalog_repo / artifact).stat().st_size > 0, artifact


def test_workflow_check_step_fails_the_build_on_a_policy_violation(catalog_repo):
    f = catalog_repo / "vendors" / "mistral-ai.yaml"
    f.write_text(f.read_text().replace("processing_regions: [EU, US]", "processing_regions: [US]", 1))
    check = next(c for c in workflow_commands() if "--format github" in c)
    out = io.StringIO()
    assert main([*shlex.split(check)[1:], "--today", "2026-11-29"], out=out, err=io.StringIO()) == 1
    assert "::error file=vendors/mistral-ai.yaml,line=47" in out.getvalue()


def test_pre_commit_hook_validates_catalog_files(catalog_repo):
    hooks = yaml.safe_load(HOOKS.read_text())  # pre-commit's format: a list of hooks
    (hook,) = hooks
    assert hook["id"] == "shortlist-validate" and hook["language"] == "python" and hook["pass_filenames"]
    entry, pattern = hook["entry"], re.compile(hook["files"])
    assert entry == "shortlist validate"
    files = sorted(
        str(p.relative_to(catalog_repo))
        for p in catalog_repo.rglob("*.y*ml")
        if pattern.search(str(p.relative_to(catalog_repo)))
    )
    assert "vendors/openai.yaml" in files and "criteria/policies/eu-regulated.yaml" in files
    assert main([*shlex.split(entry)[1:], *files], out=io.StringIO(), err=io.StringIO()) == 0
    (catalog_repo / "vendors" / "openai.yaml").write_text("id: x\nid: y\n")
    err = io.StringIO()
    assert main([*shlex.split(entry)[1:], *files], out=io.StringIO(), err=err) == 2
    assert "vendors/openai.yaml:2" in err.getvalue()
