"""`shortlist diff`: ranking and policy changes between two catalog versions."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import CRITERIA, VENDORS
from tests.conftest import run_cli as run

POLICY = CRITERIA / "policies" / "eu-regulated.yaml"


def us_only(vendors: Path) -> None:
    f = vendors / "mistral-ai.yaml"
    f.write_text(f.read_text().replace("processing_regions: [EU, US]", "processing_regions: [US]", 1))


def test_diff_of_two_vendor_directories(tmp_path):
    base = tmp_path / "base"
    shutil.copytree(VENDORS, base)
    head = tmp_path / "head"
    shutil.copytree(VENDORS, head)
    us_only(head)
    code, out, _ = run(
        "diff",
        "--base-vendors",
        str(base),
        "--vendors",
        str(head),
        "--policy",
        str(POLICY),
        "--on",
        "2026-11-29",
        "--today",
        "2026-11-29",
    )
    assert code == 0
    assert out.startswith("## Shortlist: `base` → `head`")  # named from the catalog root (tmp_path)
    assert "The leader stays azure-openai-gpt-6-luna-eu-datazone." in out
    assert "| mistral-large-4-api | #10 (58.20) | excluded | – |" in out
    assert "| mistral-small-4-api | #11 (55.58) | #10 (55.58) | +0.00 |" in out
    assert "### Policy EU regulated AI suppliers: fails at 'deny'" in out
    assert "**New findings (2)**" in out and "`head/mistral-ai.yaml:47`" in out  # from the catalog root
    # the same directory on both sides: nothing changes
    code, out, _ = run("diff", "--base-vendors", str(base), "--vendors", str(base), "--on", "2026-11-29")
    assert code == 0 and "### Ranking: no change" in out


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """A git repository made by ``shortlist init``, its vendors/ replaced by the frozen
    2026-11-29 copy (init copies the live catalog, which the expectations here do not
    describe)."""
    r = tmp_path / "catalog"
    assert run("init", str(r))[0] == 0
    shutil.rmtree(r / "vendors")
    shutil.copytree(VENDORS, r / "vendors")
    git(r, "init", "-q")
    git(r, "add", "-A")
    git(r, "commit", "-q", "-m", "catalog")
    monkeypatch.chdir(r)
    return r


def test_diff_against_a_git_revision(repo):
    us_only(repo / "vendors")
    code, out, _ = run(
        "diff",
        "--base",
        "HEAD",
        "--policy",
        "criteria/policies/eu-regulated.yaml",
        "--on",
        "2026-11-29",
        "--today",
        "2026-11-29",
    )
    assert code == 0
    assert out.startswith("## Shortlist: `HEAD` → `working tree`")
    assert "| mistral-large-4-api | #10 (58.20) | excluded | – |" in out
    assert "New findings (2)" in out and "vendors/mistral-ai.yaml:47" in out
    # once the change is stashed, the working tree equals HEAD again
    git(repo, "stash", "-q")
    code, out, _ = run("diff", "--base", "HEAD", "--on", "2026-11-29", "--output", "pr-comment.md")
    assert code == 0 and out == ""
    assert "### Ranking: no change" in (repo / "pr-comment.md").read_text()


def test_diff_bad_revision_and_outside_git(repo, tmp_path):
    code, out, err = run("diff", "--base", "no-such-rev")
    assert code == 2 and out == "" and "git cannot read" in err and "no-such-rev" in err
    other = tmp_path / "elsewhere"
    shutil.copytree(VENDORS, other)
    code, _, err = run("diff", "--base", "HEAD", "--vendors", str(other))
    assert code == 2 and "outside the git repository" in err and "--base-vendors" in err


def test_diff_needs_exactly_one_base():
    code, _, err = run("diff")
    assert code == 2 and "--base" in err
    code, _, err = run("diff", "--base", "HEAD", "--base-vendors", "vendors")
    assert code == 2 and "not allowed with argument" in err


def test_a_revision_that_looks_like_an_option_is_refused(repo, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("important")
    code, out, err = run("diff", f"--base=--output={victim}")
    assert code == 2 and out == "" and "--base expects a git revision" in err
    assert victim.read_text() == "important"  # git never saw it as its --output option


def test_base_vendors_must_be_a_directory():
    code, _, err = run("diff", "--base-vendors", str(VENDORS / "openai.yaml"))
    assert code == 2 and "--base-vendors expects a vendors directory" in err
