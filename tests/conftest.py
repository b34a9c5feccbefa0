"""Shared fixtures: the bundled data, and small hand-made catalogs on disk."""

from __future__ import annotations

import io
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

import engine
from engine.cli import main

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_VENDORS = ROOT / "vendors"
"""The live bundled catalog (changes whenever the data is updated)."""
VENDORS = ROOT / "tests" / "fixtures" / "catalog-2026-11-29" / "vendors"
"""A frozen copy of the bundled profiles of 2026-11-29 (26 offerings): what the tests of
the engine, reports and CLI rank, so that a data update never changes their expected
outputs (see the README beside it)."""
CRITERIA = ROOT / "criteria"
PRESETS = sorted((CRITERIA / "presets").glob("*.yaml"))


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run the CLI in-process: (exit code, stdout, stderr); a traceback is always a failure."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err)
    assert "Traceback" not in err.getvalue() and "Traceback" not in out.getvalue()
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def vendors_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled vendors directory."""
    d = tmp_path / "vendors"
    shutil.copytree(VENDORS, d)
    return d


def vendor_yaml(
    vid: str = "acme",
    offerings: str | None = None,
    hq: str = "FR",
    extra: str = "",
) -> str:
    """A minimal valid vendor file; ``offerings`` is the YAML list body."""
    if offerings is None:
        offerings = offering_yaml("acme-api")
    return (
        textwrap.dedent(
            f"""\
        schema_version: 1
        id: {vid}
        name: {vid.title()} AI
        headquarters: {hq}
        as_of: 2026-11-01
        sources: [https://example.org/{vid}]
        """
        )
        + extra
        + "offerings:\n"
        + offerings
    )


def offering_yaml(
    oid: str,
    *,
    inp: float | None = 1.0,
    out: float | None = 2.0,
    regions: str = "[EU]",
    op_hq: str = "FR",
    capability: float | None = 40.0,
    context: int | None = 128000,
    open_weights: str | None = "false",
    licence: str | None = None,
    ttft: float | None = None,
    tps: float | None = None,
    deployment: str = "api",
    as_of: str = "2026-11-01",
) -> str:
    """One offering as a YAML list item (indented for ``offerings:``)."""
    lines = [
        f"  - id: {oid}",
        f"    model: Model {oid}",
        "    channel: Test API",
        f"    operator: {{name: Op, headquarters: {op_hq}}}",
        f"    deployment: {deployment}",
        f"    processing_regions: {regions}",
    ]
    if inp is not None and out is not None:
        lines.append(f"    prices: {{input_per_mtok: {inp}, output_per_mtok: {out}, currency: USD}}")
    if context is not None:
        lines.append(f"    context_window_tokens: {context}")
    if capability is not None:
        lines.append(
            f"    capability: {{metric: Artificial Analysis Intelligence Index v4.3, value: {capability}}}"
        )
    if ttft is not None or tps is not None:
        parts = []
        if ttft is not None:
            parts.append(f"ttft_s: {ttft}")
        if tps is not None:
            parts.append(f"output_tokens_per_s: {tps}")
        lines.append(f"    latency: {{{', '.join(parts)}}}")
    if open_weights is not None:
        lic = f", licence: {licence}" if licence else ""
        lines.append(f"    openness: {{open_weights: {open_weights}{lic}}}")
    lines.append(f"    as_of: {as_of}")
    lines.append("    sources: [https://example.org/src]")
    return "\n".join(lines) + "\n"


@pytest.fixture
def write_vendors(tmp_path: Path) -> Callable[..., Path]:
    """Write ``{filename: text}`` into a fresh vendors directory and return it."""

    def _write(files: dict[str, str]) -> Path:
        d = tmp_path / "vendors"
        d.mkdir(exist_ok=True)
        for name, text in files.items():
            (d / name).write_text(text, encoding="utf-8")
        return d

    return _write


@pytest.fixture(scope="session")
def criteria() -> engine.CriteriaCatalog:
    return engine.load_criteria(CRITERIA)


@pytest.fixture(scope="session")
def bundled() -> engine.Catalog:
    """The frozen 2026-11-29 catalog (see :data:`VENDORS`): what behaviour tests rank."""
    return engine.load_catalog([VENDORS])


@pytest.fixture(scope="session")
def live() -> engine.Catalog:
    """The live bundled catalog in ``vendors/`` (tests of the data itself)."""
    return engine.load_catalog([BUNDLED_VENDORS])


def priorities(**over: object) -> engine.PrioritiesFile:
    """A small priorities object; keyword arguments replace fields."""
    data: dict[str, object] = {
        "schema_version": 1,
        "name": "test",
        "weights": {"monthly_cost": 1, "capability": 1},
        "workload": {
            "input_tokens_per_month": 1e8,
            "output_tokens_per_month": 2e7,
            "answer_tokens": 500,
            "currency": "USD",
        },
        "on_date": "2026-11-29",
    }
    data.update(over)
    return engine.PrioritiesFile.model_validate(data)
