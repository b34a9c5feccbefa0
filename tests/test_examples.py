"""The CI examples users copy: the GitHub Actions workflow in ``examples/`` and the
pre-commit hook. Their ``shortlist`` commands are run for real on a copy of the
bundled catalog."""

from __future__ import annotations

import io
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from engine.catalog.yamlio import load_yaml_file
from engine.cli import main
from tests.conftest import CRITERIA, ROOT, VENDORS

WORKFLOW = ROOT / "examples" / "github-workflow.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"


def workflow_steps(path: Path = WORKFLOW) -> list[dict]:
    doc = load_yaml_file(path).data  # YAML 1.2: the key `on` stays the text "on"
    assert set(doc["on"]) == {"pull_request", "push", "schedule"}
    steps: list[dict] = doc["jobs"]["shortlist"]["steps"]
    return steps


def workflow_commands(path: Path = WORKFLOW, *, event: str = "pull_request") -> list[list[str]]:
    """Every `shortlist …` command line of the workflow's `run:` steps that runs on
    ``event``, as arguments, with the step's environment expanded as the runner would
    (``github.base_ref`` is ``main``; the job summary file is ``job-summary.md``)."""
    cmds = []
    for step in workflow_steps(path):
        cond = step.get("if", "")
        if "github.event_name" in cond and f"'{event}'" not in cond:
            continue
        env = {k: v.replace("${{ github.base_ref }}", "main") for k, v in step.get("env", {}).items()}
        env["GITHUB_STEP_SUMMARY"] = "job-summary.md"
        for line in str(step.get("run", "")).splitlines():
            line = line.strip()
            if line.startswith("shortlist "):
                args = shlex.split(re.sub(r"\s*\|\|\s*true$", "", line))[1:]
                cmds.append([env[a[1:]] if re.fullmatch(r"\$\w+", a) else a for a in args])
    return cmds


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def as_pull_request(repo: Path) -> None:
    """Make ``repo`` a git repository whose `origin/main` is its current state, as the
    checkout of a pull request with `fetch-depth: 0` has it."""
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "catalog")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")


@pytest.fixture
def catalog_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(VENDORS, tmp_path / "vendors")
    shutil.copytree(CRITERIA, tmp_path / "criteria")
    as_pull_request(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_all(cmds: list[list[str]]) -> None:
    assert len(cmds) >= 5
    for args in cmds:
        out, err = io.StringIO(), io.StringIO()
        code = main(args, out=out, err=err)
        assert code == 0, (args, err.getvalue())
        assert "Traceback" not in err.getvalue()


ARTIFACTS = ("shortlist.sarif", "shortlist-junit.xml", "decision-record.md", "shortlist.csv")


def test_workflow_commands_run_clean_on_the_bundled_catalog(catalog_repo):
    run_all(workflow_commands())
    for artifact in (*ARTIFACTS, "job-summary.md"):
        assert (catalog_repo / artifact).stat().st_size > 0, artifact


def test_workflow_posts_the_diff_on_pull_requests_only(catalog_repo):
    steps = workflow_steps()
    checkout = next(s for s in steps if str(s.get("uses", "")).startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # the base branch's history is there
    (diff_step,) = [s for s in steps if "shortlist diff" in str(s.get("run", ""))]
    assert diff_step["if"] == "github.event_name == 'pull_request'"
    # the branch name reaches the shell through the environment, never pasted into the script
    assert "${{" not in diff_step["run"] and diff_step["env"]["BASE"] == "origin/${{ github.base_ref }}"
    assert not any(c[0] == "diff" for c in workflow_commands(event="push"))
    (diff,) = [c for c in workflow_commands() if c[0] == "diff"]
    assert diff[diff.index("--base") + 1] == "origin/main"
    # a pull request that moves an offering out of the EU: the summary says what changed
    f = catalog_repo / "vendors" / "mistral-ai.yaml"
    f.write_text(f.read_text().replace("processing_regions: [EU, US]", "processing_regions: [US]", 1))
    out, err = io.StringIO(), io.StringIO()
    assert main(diff, out=out, err=err) == 0, err.getvalue()
    summary = (catalog_repo / "job-summary.md").read_text()
    assert "origin/main" in summary and "mistral" in summary and "vendors/mistral-ai.yaml" in summary


def test_workflow_validate_step_covers_priorities_files(catalog_repo):
    (validate,) = [c for c in workflow_commands() if c[0] == "validate"]
    (catalog_repo / "priorities").mkdir()
    good = (CRITERIA / "presets" / "cost-first-startup.yaml").read_text()
    (catalog_repo / "priorities" / "unit-a.yaml").write_text(good)
    out, err = io.StringIO(), io.StringIO()
    assert main(validate, out=out, err=err) == 0 and "4 priorities file(s)" in out.getvalue()
    (catalog_repo / "priorities" / "unit-b.yaml").write_text(good.replace("capability:", "capabilty:", 1))
    out, err = io.StringIO(), io.StringIO()
    assert main(validate, out=out, err=err) == 2
    assert "priorities/unit-b.yaml:" in err.getvalue() and "capabilty" in err.getvalue()


def test_workflow_check_step_fails_the_build_on_a_policy_violation(catalog_repo):
    f = catalog_repo / "vendors" / "mistral-ai.yaml"
    f.write_text(f.read_text().replace("processing_regions: [EU, US]", "processing_regions: [US]", 1))
    check = next(c for c in workflow_commands() if "github" in c)
    out = io.StringIO()
    assert main([*check, "--today", "2026-11-29"], out=out, err=io.StringIO()) == 1
    assert "::error file=vendors/mistral-ai.yaml,line=47" in out.getvalue()


def test_workflow_commands_run_clean_in_a_catalog_made_by_init(tmp_path, monkeypatch):
    target = tmp_path / "catalog"
    assert main(["init", str(target)], out=io.StringIO(), err=io.StringIO()) == 0
    workflow = target / ".github" / "workflows" / "shortlist.yml"
    assert workflow.read_bytes() == WORKFLOW.read_bytes()
    as_pull_request(target)
    monkeypatch.chdir(target)
    run_all(workflow_commands(workflow))
    for artifact in (*ARTIFACTS, "job-summary.md"):
        assert (target / artifact).stat().st_size > 0, artifact


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


def test_validate_takes_a_priorities_directory_and_files_explicitly(catalog_repo):
    pr = catalog_repo / "priorities"
    (pr / "retail").mkdir(parents=True)
    good = (CRITERIA / "presets" / "regulated-eu-bank.yaml").read_text()
    (pr / "a.yaml").write_text(good)
    (pr / "retail" / "b.yml").write_text(good)
    out, err = io.StringIO(), io.StringIO()
    assert main(["validate", "priorities"], out=out, err=err) == 0, err.getvalue()
    assert "2 priorities file(s)" in out.getvalue()
    for bad in ("weights: [1, 2]\n", "schema_version: 1\nname: x\nname: y\n", "\x00\x01", ""):
        (pr / "retail" / "b.yml").write_text(bad)
        err = io.StringIO()
        assert main(["validate", "priorities"], out=io.StringIO(), err=err) == 2
        assert "priorities/retail/b.yml" in err.getvalue() and "Traceback" not in err.getvalue()
        err = io.StringIO()
        assert main(["validate"], out=io.StringIO(), err=err) == 2  # the default covers it too
        assert "priorities/retail/b.yml" in err.getvalue()
    err = io.StringIO()
    assert main(["validate", "priorities/a.yaml"], out=io.StringIO(), err=err) == 0, err.getvalue()
