"""``shortlist prices check`` (engine/policy/price_drift.py): list prices against genai-prices.

Hand-made catalogs and datasets whose answers are known by construction, then the
bundled profiles and an imported catalog against the real dataset (skipped, with the
reason, when the package is not installed).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import engine
from engine.catalog.importers import genai_prices as gp
from engine.catalog.importers.genai_prices import INSTALL_HINT, CurrencyOverride, build_import, profile_files
from engine.policy.price_drift import (
    DEFAULT_TOLERANCE,
    compare_prices,
    match_model,
    match_provider,
)
from engine.reports.price_drift import drift_dict, drift_json, drift_text
from tests.conftest import ROOT, VENDORS, run_cli
from tests.genai_prices_fixtures import D, cond, dataset, model, mp, provider, tiered

ON = dt.date(2026, 11, 29)

try:
    import genai_prices  # noqa: F401

    HAVE_PACKAGE = True
except ImportError:
    HAVE_PACKAGE = False


def offering(
    oid: str,
    operator: str,
    api_id: str | None,
    prices: str | None = "{input_per_mtok: 1.0, output_per_mtok: 2.0, currency: USD}",
    *,
    deployment: str = "api",
    extra: str = "",
    model_name: str | None = None,
) -> str:
    lines = [
        f"  - id: {oid}",
        f"    model: {model_name or 'Model ' + oid}",
        *([f"    model_api_id: {api_id}"] if api_id else []),
        "    channel: Some API",
        f"    operator: {{name: {operator}}}",
        f"    deployment: {deployment}",
        *([f"    prices: {prices}"] if prices else []),
        *([extra] if extra else []),
        "    as_of: 2026-11-01",
        "    sources: [https://example.org/src]",
    ]
    return "\n".join(lines) + "\n"


def catalog(*offerings: str, vendor: str = "buyer-notes") -> engine.Catalog:
    text = (
        "schema_version: 1\n"
        f"id: {vendor}\nname: Notes\nas_of: 2026-11-01\nsources: [https://example.org]\nofferings:\n"
        + "".join(offerings)
    )
    cat = engine.load_catalog([], extra=[(f"{vendor}.yaml", text.encode())])
    assert not cat.issues, cat.issues
    return cat


def clauses(*refs: str) -> Any:
    """A match rule like the package's ``ClauseOr(ClauseEquals…)``."""
    from types import SimpleNamespace

    return SimpleNamespace(is_match=lambda ref: ref in refs)


DS = dataset(
    provider("mistral", model("mistral-large-4", mp(D("0.7"), D("2.1")))),
    provider(
        "azure",
        model("phi-4", mp(D("0.1"), D("0.2"))),
        name="Microsoft Azure",
        fallback_model_providers=["openai"],
    ),
    provider(
        "openai",
        model("gpt-6", mp(D(10), D(50)), match=clauses("gpt-6", "gpt-6-2026-10-01")),
        model("free-one", mp(D(0), D(0))),
        model("embed", mp(D("0.1"))),
    ),
    provider("openai-decisions", model("gpt-6", mp(D(1), D(1))), name="OpenAI Decisions"),
    provider(
        "google",
        model(
            "gemini-x",
            [cond(mp(D(2), D(10))), cond(mp(D(4), D(20)), start=dt.date(2026, 12, 1))],
        ),
        model("big", mp(tiered("5", (200_000, "10")), tiered("25", (200_000, "37.5")))),
    ),
    provider("together", model("m", mp(D(1), D(1))), name="Together AI"),
    provider("togetherx", model("m", mp(D(1), D(1))), name="Together X"),
    provider("ovhcloud", model("q", mp(D("0.7"), D("4.2"))), name="OVHcloud AI Endpoints"),
)


# --------------------------------------------------------------------------- matching


@pytest.mark.parametrize(
    ("operator", "expected"),
    [
        ("Mistral AI", "mistral"),  # the provider's name begins the operator's
        ("mistral", "mistral"),  # the id, any case
        ("Microsoft", "azure"),  # the operator's name begins the provider's
        ("Microsoft Azure", "azure"),
        ("OpenAI", "openai"),  # exact beats the longer "OpenAI Decisions"
        ("Google Cloud", "google"),
        ("OVHcloud", "ovhcloud"),
        ("Scaleway", None),
        ("Toge", None),  # two providers begin with it: no guess
        ("AI", None),  # too short to match by prefix
    ],
)
def test_match_provider_by_operator_name(operator, expected):
    ro = catalog(offering("x", operator, "m")).get("x")
    found, how = match_provider(ro, DS)
    assert (found.id if found else None) == expected, how
    if operator == "Toge":
        assert "several providers" in how and "together, togetherx" in how


def test_match_model_by_id_rule_name_and_fallback():
    cat = catalog(
        offering("a", "OpenAI", "GPT-6"),  # the id, any case
        offering("b", "OpenAI", "gpt-6-2026-10-01"),  # the dataset's own match rule
        offering("c", "OpenAI", None, model_name="gpt-6"),  # no api id: the model name
        offering("d", "Microsoft", "gpt-6"),  # Azure falls back to OpenAI's list
        offering("e", "Microsoft", "phi-4"),
        offering("f", "Microsoft", "gpt-7"),
    )
    azure = DS.provider("azure")
    openai = DS.provider("openai")
    assert azure is not None and openai is not None
    for oid in "abc":
        found = match_model(openai, cat.get(oid), DS)
        assert found is not None and (found[0].id, found[1].id) == ("gpt-6", "openai"), oid
    found = match_model(azure, cat.get("d"), DS)
    assert found is not None and (found[0].id, found[1].id) == ("gpt-6", "openai")
    found = match_model(azure, cat.get("e"), DS)
    assert found is not None and found[1].id == "azure"
    assert match_model(azure, cat.get("f"), DS) is None


# --------------------------------------------------------------------------- drift


def price(inp: float, out: float, cur: str = "USD") -> str:
    return f"{{input_per_mtok: {inp}, output_per_mtok: {out}, currency: {cur}}}"


def test_drift_within_and_beyond_the_tolerance():
    cat = catalog(
        offering("same", "Mistral AI", "mistral-large-4", price(0.7, 2.1)),
        offering("close", "Mistral AI", "mistral-large-4", price(0.73, 2.2)),  # +4.3 %, +4.8 %
        offering("over", "Mistral AI", "mistral-large-4", price(0.7, 2.22)),  # output +5.7 %
        offering("under", "Mistral AI", "mistral-large-4", price(0.6, 2.1)),  # input −14.3 %
        offering("edge", "Mistral AI", "mistral-large-4", price(0.735, 2.205)),  # exactly +5 %
    )
    report = compare_prices(cat.offerings, DS, ON)
    assert report.tolerance_pct == DEFAULT_TOLERANCE == 5.0
    status = {c.offering_id: c.status for c in report.checks}
    assert status == {
        "close": "matched",
        "edge": "matched",
        "over": "drifted",
        "same": "matched",
        "under": "drifted",
    }
    over = report.check("over")
    assert over.drift_pct == (0.0, pytest.approx(100 * 0.12 / 2.1))
    assert over.profile == (0.7, 2.22) and over.dataset == (0.7, 2.1)
    assert over.field == "offerings[2].prices.output_per_mtok"  # the side that drifted
    assert over.line is not None and over.file == "buyer-notes.yaml"
    assert "beyond the 5% tolerance" in over.reason and "+5.7%" in over.reason
    under = report.check("under")
    assert under.drift_pct is not None and under.drift_pct[0] == pytest.approx(-100 / 7)
    assert under.field == "offerings[3].prices.input_per_mtok"
    assert [c.offering_id for c in report.drifted] == ["over", "under"]
    loose = compare_prices(cat.offerings, DS, ON, 20)
    assert not loose.drifted and loose.count("matched") == 5
    with pytest.raises(ValueError, match="tolerance"):
        compare_prices(cat.offerings, DS, ON, -1)


def test_drift_against_a_free_dataset_price():
    cat = catalog(
        offering("free", "OpenAI", "free-one", price(0, 0)),
        offering("paid", "OpenAI", "free-one", price(0.1, 0)),
    )
    report = compare_prices(cat.offerings, DS, ON)
    assert report.check("free").status == "matched"
    paid = report.check("paid")
    assert paid.status == "drifted" and paid.drift_pct == (None, 0.0)
    assert "n/a (dataset price 0)" in paid.reason


def test_the_prices_in_force_on_the_date_on_both_sides():
    """The profile's schedule and the dataset's dated prices are both applied; the
    finding points at the schedule entry in force."""
    prices = (
        "\n      input_per_mtok: 2\n      output_per_mtok: 10\n      currency: USD\n"
        "      schedule:\n        - {from: 2026-12-01, input_per_mtok: 4, output_per_mtok: 20}"
    )
    cat = catalog(offering("g", "Google", "gemini-x", prices))
    before = compare_prices(cat.offerings, DS, dt.date(2026, 11, 30)).check("g")
    assert before.status == "matched" and before.dataset == (2, 10)
    assert before.field == "offerings[0].prices.input_per_mtok"
    after = compare_prices(cat.offerings, DS, dt.date(2026, 12, 1)).check("g")
    assert after.status == "matched" and after.dataset == (4, 20)
    assert after.field == "offerings[0].prices.schedule[0].input_per_mtok"
    no_step = catalog(offering("g", "Google", "gemini-x", price(2, 10)))
    late = compare_prices(no_step.offerings, DS, dt.date(2026, 12, 1)).check("g")
    assert late.status == "drifted" and late.drift_pct == (-50.0, -50.0)


def test_tiered_dataset_prices_compare_on_the_base_rate():
    cat = catalog(offering("b", "Google", "big", price(5, 25)))
    assert compare_prices(cat.offerings, DS, ON).check("b").status == "matched"


def test_what_is_not_compared_and_why():
    cat = catalog(
        offering("self", "customer", "gpt-6", None, deployment="self-hosted"),
        offering("noprice", "OpenAI", "gpt-6", None),
        offering("eur", "OpenAI", "gpt-6", price(9, 45, "EUR")),
        offering("ovh", "OVHcloud", "q", price(0.7, 4.2)),
        offering("embed", "OpenAI", "embed", price(0.1, 0.1)),
        offering("scaleway", "Scaleway", "m", price(1, 1)),
        offering("unknown-model", "OpenAI", "gpt-9", price(1, 1)),
    )
    report = compare_prices(cat.offerings, DS, ON)
    got = {c.offering_id: (c.status, c.reason) for c in report.checks}
    assert got["self"] == ("not_compared", "self-hosted: no list price")
    assert got["noprice"][0] == "not_compared" and got["noprice"][1].startswith(
        "no list price in the profile"
    )
    assert got["eur"] == ("not_compared", "the profile's price is in EUR, the dataset's in USD: not compared")
    assert (
        got["ovh"][0] == "not_compared"
        and "currency of 'ovhcloud' in the dataset is not settled" in got["ovh"][1]
    )
    assert got["embed"][0] == "not_compared" and "no output-token price" in got["embed"][1]
    assert got["scaleway"] == ("unmatched", "no provider of genai-prices 0.2.3 is the operator 'Scaleway'")
    assert got["unknown-model"][0] == "unmatched"
    assert "provider 'openai' of genai-prices 0.2.3 has no model 'gpt-9'" in got["unknown-model"][1]
    assert (report.count("matched"), report.count("drifted")) == (0, 0)
    # with an override to EUR, an EUR profile price is compared
    eur = compare_prices(cat.offerings, DS, ON, overrides={"openai": CurrencyOverride("EUR", "r", "s")})
    assert eur.check("eur").status == "drifted" and eur.check("eur").currency == "EUR"


def test_an_imported_catalog_matches_its_own_dataset():
    """Self-consistency: a catalog imported from a dataset drifts from it nowhere, on
    the import date and on the dates of its schedule."""
    ds = dataset(
        provider(
            "acme",
            model("m", [cond(mp(D(1), D(2))), cond(mp(D(3), D(4)), start=dt.date(2027, 1, 1))]),
            model("t", mp(tiered("5", (200_000, "10")), tiered("25", (200_000, "37.5")))),
            model("e", mp(D(1))),
        ),
        provider(
            "deepseek",
            model(
                "chat",
                [cond(mp(D("0.135"), D("0.55"))), cond(mp(D("0.27"), D("1.1")), daily=("00:30", "16:30"))],
            ),
        ),
    )
    files = profile_files(build_import(ds, ON))
    cat = engine.load_catalog([], extra=list(files.items()))
    for day in (ON, dt.date(2027, 1, 1)):
        report = compare_prices(cat.offerings, ds, day)
        assert {c.offering_id: c.status for c in report.checks} == {
            "acme-m": "matched",
            "acme-t": "matched",
            "deepseek-chat": "matched",
        }
        assert all(c.drift_pct == (0.0, 0.0) for c in report.checks)


# --------------------------------------------------------------------------- renderings


def test_text_and_json_reports():
    cat = catalog(
        offering("over", "Mistral AI", "mistral-large-4", price(0.7, 2.5)),
        offering("ok", "Mistral AI", "mistral-large-4", price(0.7, 2.1)),
        offering("scaleway", "Scaleway", "m", price(1, 1)),
    )
    report = compare_prices(cat.offerings, DS, ON)
    text = drift_text(report)
    assert text.splitlines()[0] == (
        "Prices on 2026-11-29 against genai-prices 0.2.3 (tolerance 5%): 3 offerings — "
        "1 drifted, 1 matched, 1 unmatched, 0 not compared"
    )
    assert text.index("Drifted:") < text.index("Matched:") < text.index("Unmatched:")
    assert (
        "  over  input 0.7 / output 2.5 USD per 1M on 2026-11-29; genai-prices 0.2.3 mistral/mistral-large-4"
        in text
    )
    data = json.loads(drift_json(report))
    assert data == drift_dict(report)
    assert data["summary"] == {"drifted": 1, "matched": 1, "unmatched": 1, "not_compared": 0}
    over = next(o for o in data["offerings"] if o["offering_id"] == "over")
    assert over["profile"] == {"input_per_mtok": 0.7, "output_per_mtok": 2.5}
    assert over["dataset"] == {"input_per_mtok": 0.7, "output_per_mtok": 2.1}
    assert over["drift_pct"] == {"input": 0.0, "output": pytest.approx(19.047619, abs=1e-6)}
    assert [o["offering_id"] for o in data["offerings"]] == ["ok", "over", "scaleway"]
    assert drift_json(compare_prices(cat.offerings, DS, ON)) == drift_json(report)


# --------------------------------------------------------------------------- the CLI


@pytest.fixture
def fixture_vendors(tmp_path: Path) -> Path:
    d = tmp_path / "vendors"
    d.mkdir()
    text = (
        "schema_version: 1\nid: notes\nname: Notes\nas_of: 2026-11-01\nsources: [https://example.org]\nofferings:\n"
        + offering("over", "Mistral AI", "mistral-large-4", price(0.7, 2.5))
        + offering("ok", "Mistral AI", "mistral-large-4", price(0.7, 2.1))
    )
    (d / "notes.yaml").write_text(text, encoding="utf-8")
    return d


def test_cli_exit_codes_and_formats(monkeypatch, fixture_vendors, tmp_path):
    monkeypatch.setattr(gp, "load_dataset", lambda: DS)
    args = ("prices", "check", "--vendors", str(fixture_vendors), "--on", "2026-11-29")
    code, out, err = run_cli(*args)
    assert (code, err) == (1, "")  # drift found
    assert out.startswith(
        "Prices on 2026-11-29 against genai-prices 0.2.3 (tolerance 5%): 2 offerings — 1 drifted"
    )
    code, out, _ = run_cli(*args, "--tolerance", "25")
    assert code == 0 and "0 drifted, 2 matched" in out
    code, out, _ = run_cli(*args, "--format", "json", "--output", str(tmp_path / "d.json"))
    assert code == 1 and out == ""
    got = json.loads((tmp_path / "d.json").read_text())
    assert got["tolerance_pct"] == 5.0 and got["summary"]["drifted"] == 1
    code, _, err = run_cli(*args, "--tolerance", "-3")
    assert code == 2 and "expected a finite number of per cent ≥ 0" in err
    (fixture_vendors / "broken.yaml").write_text("schema_version: 1\nid: broken\n", encoding="utf-8")
    code, out, err = run_cli(*args, "--tolerance", "25")
    assert code == 2 and "2 matched" in out and "broken.yaml" in err


def test_cli_says_how_to_install_the_package(monkeypatch):
    monkeypatch.setitem(sys.modules, "genai_prices.data", None)
    assert run_cli("prices", "check") == (2, "", INSTALL_HINT + "\n")
    code, _, err = run_cli("prices")
    assert code == 2 and "required" in err


# --------------------------------------------------------------------------- the real dataset


needs_package = pytest.mark.skipif(
    not HAVE_PACKAGE, reason="genai-prices is not installed (pip install 'shortlist[import]')"
)


@pytest.fixture(scope="module")
def real() -> gp.Dataset:
    if not HAVE_PACKAGE:
        pytest.skip("genai-prices is not installed (pip install 'shortlist[import]')")
    return gp.load_dataset()


@needs_package
def test_bundled_profiles_against_the_real_dataset(real):
    report = compare_prices(engine.load_catalog([VENDORS]).offerings, real, ON)
    assert len(report.checks) == 26
    statuses = {c.offering_id: c.status for c in report.checks}
    # the self-hosted and unpriced offerings are never compared
    for oid, st in statuses.items():
        if "selfhosted" in oid:
            assert st == "not_compared", oid
    if real.version != "0.2.3":
        return
    # the version the bundled profiles were built from: every direct-API price agrees
    for oid in (
        "mistral-large-4-api",
        "mistral-small-4-api",
        "anthropic-claude-haiku-5.5-api",
        "openai-gpt-6-luna-api",
        "deepseek-v4-pro-api",  # the peak rate on both sides
        "google-gemini-4-argon-vertex",
        "bedrock-eu-claude-opus-5.5",  # AWS's regional (EU) rate
    ):
        assert statuses[oid] == "matched", oid
    # the EU uplifts the profiles carry and the dataset's global rates lack
    assert [c.offering_id for c in report.drifted] == [
        "azure-openai-gpt-6-astra-eu-datazone",
        "azure-openai-gpt-6-luna-eu-datazone",
        "vertex-eu-claude-opus-5.5",
    ]
    azure = report.check("azure-openai-gpt-6-luna-eu-datazone")
    assert (azure.provider, azure.via, azure.drift_pct) == ("azure", "openai", (20.0, 20.0))
    vertex = report.check("vertex-eu-claude-opus-5.5")
    assert (vertex.provider, vertex.model, vertex.drift_pct) == ("google", "claude-opus-5-5", (10.0, 10.0))
    assert statuses["scaleway-genapi-mistral-medium-3.5"] == "unmatched"
    assert report.check("ovhcloud-ai-endpoints-qwen3.5-397b").status == "not_compared"


@needs_package
def test_the_real_imported_catalog_matches_the_real_dataset(real):
    as_of = None if real.version in gp.RELEASES else dt.date(2026, 11, 1)
    result = build_import(real, dt.date(2026, 12, 1), as_of)
    cat = engine.load_catalog([], extra=list(profile_files(result).items()))
    report = compare_prices(cat.offerings, real, dt.date(2026, 12, 1), 0)
    assert report.count("matched") == result.imported == len(cat.offerings)


@needs_package
def test_cli_in_a_subprocess_on_the_bundled_profiles(real, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [
        sys.executable,
        "-m",
        "engine",
        "prices",
        "check",
        "--vendors",
        str(VENDORS),
        "--on",
        ON.isoformat(),
    ]
    res = subprocess.run(
        [*args, "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    expected = compare_prices(engine.load_catalog([VENDORS]).offerings, real, ON)
    assert res.returncode == (1 if expected.drifted else 0), res.stderr
    assert json.loads(res.stdout)["summary"] == drift_dict(expected)["summary"]
