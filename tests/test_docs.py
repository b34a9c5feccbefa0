"""The documentation (issue 15): the MkDocs site builds strictly with no warning, its CLI
reference is generated from the parser and lists every option, and the README stays a
short page whose two commands are the ones CI runs."""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from engine.cli.parser import build_parser
from tests.conftest import ROOT

DOCS = ROOT / "docs"
README = ROOT / "README.md"
APP_COMMAND = (
    "python3 -m venv .venv && .venv/bin/pip install -q -e '.[app]' && .venv/bin/streamlit run app.py"
)
TEST_COMMAND = "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest"


def _hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("shortlist_docs_hooks", DOCS / "hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ("shortlist",)):
    """(path, parser) of the program and every (nested) sub-command."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, (*path, name))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The site built once with ``mkdocs build --strict``: (directory, its log)."""
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # the theme's notice of its end of life
    p = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    log = p.stdout + p.stderr
    assert p.returncode == 0, log
    return out, log


def test_the_site_builds_strictly_with_no_warning(site):
    _, log = site
    assert not re.search(r"WARNING|ERROR|Traceback", log), log


def test_no_page_loads_anything_from_another_site(site):
    """Fonts and scripts come with the site: a reader's browser asks no third party."""
    out, _ = site
    pages = list(out.rglob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<(script|link)[^>]+(src|href)=\"(https?:)?//", text), page


def test_every_page_in_the_nav_exists_and_every_page_is_in_the_nav():
    # mkdocs.yml has no custom tags: safe_load reads it
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))

    def pages(nav):
        for item in nav:
            for value in item.values():
                yield from pages(value) if isinstance(value, list) else [value]

    listed = set(pages(config["nav"]))
    on_disk = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    assert listed == on_disk


def test_the_cli_reference_lists_every_command_and_option(site):
    out, _ = site
    html = (out / "cli-reference" / "index.html").read_text(encoding="utf-8")
    generated = _hooks().cli_reference()
    for path, parser in _commands(build_parser()):
        assert f"## `{' '.join(path)}`" in generated
        assert " ".join(path) in html
        for action in parser._actions:
            for option in action.option_strings:
                assert f"`{option}" in generated, (path, option)
                assert option in html, (path, option)
    assert "<!-- cli-reference -->" not in html


def test_the_cli_reference_follows_the_parser(monkeypatch):
    """Generated, not copied: an option added to the parser appears on the page."""
    import engine.cli.parser as parser_module

    real = parser_module.build_parser

    def with_extra() -> argparse.ArgumentParser:
        p = real()
        p.add_argument(
            "--made-up-for-the-test", action="store_true", help="a help text | with a pipe and *stars*"
        )
        return p

    monkeypatch.setattr(parser_module, "build_parser", with_extra)
    text = _hooks().cli_reference()
    assert "`--made-up-for-the-test`" in text
    assert r"a help text \| with a pipe and \*stars\*" in text  # escaped for a Markdown table


def test_the_api_reference_is_rendered_from_the_docstrings(site):
    out, _ = site
    html = (out / "reference" / "scoring" / "index.html").read_text(encoding="utf-8")
    for name in (
        "elicitation.roc_weights",
        "elicitation.ahp_weights",
        "aggregation.aggregate",
        "scoring.rank",
    ):
        assert f'id="engine.mcda.{name}"' in html, name
    assert "Barron" in html and "Saaty" in html  # the references the docstrings give
    robust = (out / "reference" / "robustness" / "index.html").read_text(encoding="utf-8")
    assert "smaa" in robust and "Lahdelma" in robust  # the reference from the docstring


def test_security_page_is_the_repository_security_policy(site):
    out, _ = site
    html = (out / "security" / "index.html").read_text(encoding="utf-8")
    first = next(line for line in (ROOT / "SECURITY.md").read_text().splitlines()[1:] if line.strip())
    assert first.split()[0] in html and "--8&lt;--" not in html and "--8<--" not in html


def test_readme_is_short_and_keeps_its_two_commands():
    text = README.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) < 8_000  # a page a newcomer reads in two minutes
    assert len(text.split()) < 900
    assert f"```bash\n{APP_COMMAND}\n```" in text
    assert f"```bash\n{TEST_COMMAND}\n```" in text
    # CI runs exactly the README's test command
    assert TEST_COMMAND in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_links_resolve():
    text = README.read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
    local = [link for link in links if not re.match(r"https?:", link)]
    assert local
    for link in local:
        assert (ROOT / link).exists(), link


def test_readme_names_where_every_old_section_went():
    """Profiles and comments cite README sections by name ("README.md, 'Vendor
    profiles'"): the README says where each one is now, and the page has it."""
    text = " ".join(README.read_text(encoding="utf-8").split())
    moved = {
        "Vendor profiles": "catalog.md",
        "Number ranges": "catalog.md",
        "Evidence: every fact graded and dated": "catalog.md",
        "Priorities": "buyers-guide.md",
        "Which unknowns matter": "method.md",
        "Known limits of the bundled data": "data.md",
    }
    for section, page in moved.items():
        assert f"*{section}*" in text, section
        assert section in (DOCS / page).read_text(encoding="utf-8"), (section, page)
