"""``shortlist import genai-prices`` (engine/catalog/importers/genai_prices.py).

Two kinds of input: small hand-made datasets, one per hazard, built from plain objects
shaped like the package's (``dataset_from_objects`` reads them by attribute, so these
tests run without the package); and the real dataset the installed ``genai-prices``
ships (skipped, with the reason, when it is not installed).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

import engine
import engine.catalog.schema
import engine.catalog.yamlio
from engine.catalog.importers import genai_prices as gp
from engine.catalog.importers.genai_prices import (
    CURRENCY_OVERRIDES,
    INSTALL_HINT,
    RELEASES,
    CurrencyOverride,
    Units,
    build_import,
    make_id,
    price_on,
    profile_files,
    summary_text,
    write_profiles,
)
from engine.catalog.loading import load_vendor_bytes
from engine.mcda.matrix import prices_on
from tests.conftest import CRITERIA, ROOT, run_cli
from tests.genai_prices_fixtures import D, cond, dataset, model, mp, provider, tiered

ON = dt.date(2026, 12, 1)
AS_OF = dt.date(2026, 11, 1)

try:
    import genai_prices  # noqa: F401

    HAVE_PACKAGE = True
except ImportError:
    HAVE_PACKAGE = False

needs_package = pytest.mark.skipif(
    not HAVE_PACKAGE, reason="genai-prices is not installed (pip install 'shortlist[import]')"
)


# --------------------------------------------------------------------------- fixtures


def one_offering(ds: gp.Dataset, on: dt.date = ON, **kw: Any) -> dict[str, Any]:
    result = build_import(ds, on, **kw)
    [profile] = result.profiles
    [off] = profile["offerings"]
    return off


def load_profile(result: gp.ImportResult, vendor_id: str) -> engine.VendorFile:
    """The profile as the strict loader reads it back from the written bytes."""
    name = f"{vendor_id}.yaml"
    vendor, _ = load_vendor_bytes(profile_files(result)[name], name)
    return vendor


# --------------------------------------------------------------------------- the basics


def test_a_profile_per_provider_with_the_facts_the_dataset_has():
    ds = dataset(
        provider(
            "acme",
            model("acme-large", mp(D(2), D(8)), name="Acme Large", context_window=128_000),
            model("acme-small", mp(D("0.1"), D("0.4"))),
            name="Acme Cloud",
            pricing_urls=["https://acme.example/pricing", "https://acme.example/models"],
        )
    )
    result = build_import(ds, ON)
    vendor = load_profile(result, "acme")
    assert (vendor.id, vendor.name, vendor.as_of) == ("acme", "Acme Cloud", AS_OF)
    assert vendor.headquarters is None  # not in the dataset: unknown, never guessed
    assert vendor.sources == (
        "pypi:genai-prices==0.2.3 genai_prices/data.py",
        "https://acme.example/pricing",
        "https://acme.example/models",
    )
    assert "0.2.3 was published in November 2026" in (vendor.notes or "")
    large, small = vendor.offerings
    assert (large.id, large.model, large.model_api_id) == ("acme-acme-large", "Acme Large", "acme-large")
    assert (large.channel, large.deployment, large.operator.name) == ("Acme Cloud API", "api", "Acme Cloud")
    assert large.operator.headquarters is None and large.processing_regions is None
    assert large.prices is not None
    assert (large.prices.input_per_mtok, large.prices.output_per_mtok, large.prices.currency) == (2, 8, "USD")
    assert large.prices.schedule == ()
    assert large.context_window_tokens == 128_000 and large.as_of == AS_OF
    assert small.model == "acme-small" and small.context_window_tokens is None  # absent, not 0
    for off in (large, small):
        assert off.latency is None and off.capability is None and off.openness is None
        assert off.certifications is None and off.zero_data_retention is None
    assert result.imported == 2 and result.skipped == () and result.providers == 1 and result.models == 2


def test_units_per_token_are_converted_to_per_million():
    """A dataset whose registry prices per token (``per: 1``) is scaled by 10^6; per
    1,000 tokens by 10^3; the exact decimal is kept (no 0.30000000000000004)."""
    per_token = dataset(
        provider("acme", model("m", mp(D("3e-7"), D("1.2e-6")))), units=Units(input_per=1, output_per=1)
    )
    off = one_offering(per_token)
    assert (off["prices"]["input_per_mtok"], off["prices"]["output_per_mtok"]) == (0.3, 1.2)
    per_k = dataset(
        provider("acme", model("m", mp(D("0.0003"), D("0.0012")))),
        units=Units(input_per=1000, output_per=1000),
    )
    off = one_offering(per_k)
    assert (off["prices"]["input_per_mtok"], off["prices"]["output_per_mtok"]) == (0.3, 1.2)
    per_m = dataset(provider("acme", model("m", mp(D("0.3"), D("1.2")))))
    assert one_offering(per_m)["prices"]["input_per_mtok"] == 0.3


def test_units_are_read_from_the_package_registry(monkeypatch):
    fake = SimpleNamespace(
        unit_data={
            "input_tokens": {"per": 1, "price_key": "input_ptok"},
            "output_tokens": {"per": 1, "price_key": "output_ptok"},
        }
    )
    monkeypatch.setitem(sys.modules, "genai_prices.data_units", fake)
    assert gp._units() == Units("input_ptok", "output_ptok", 1, 1)
    monkeypatch.setitem(sys.modules, "genai_prices.data_units", None)  # an older package: by name
    assert gp._units() == Units()


# --------------------------------------------------------------------------- prices by date


def dated_model() -> SimpleNamespace:
    return model(
        "m",
        [
            cond(mp(D(1), D(2))),
            cond(mp(D(3), D(4)), start=dt.date(2026, 10, 20)),
            cond(mp(D(3), D(4)), start=dt.date(2026, 12, 15)),  # no change: no step
            cond(mp(D(5), D(6)), start=dt.date(2027, 1, 1)),
        ],
    )


@pytest.mark.parametrize(
    ("on", "base", "since", "steps"),
    [
        (dt.date(2026, 10, 1), (1, 2), None, [("2026-10-20", 3, 4), ("2027-01-01", 5, 6)]),
        (dt.date(2026, 10, 20), (3, 4), "2026-10-20", [("2027-01-01", 5, 6)]),
        (ON, (3, 4), "2026-10-20", [("2027-01-01", 5, 6)]),
        (dt.date(2027, 2, 1), (5, 6), "2027-01-01", []),
    ],
)
def test_the_price_in_force_on_the_date_and_later_changes_in_the_schedule(on, base, since, steps):
    off = one_offering(dataset(provider("acme", dated_model())), on)
    p = off["prices"]
    assert (p["input_per_mtok"], p["output_per_mtok"]) == base
    assert [(s["from"], s["input_per_mtok"], s["output_per_mtok"]) for s in p.get("schedule", [])] == steps
    assert f"in force on {on.isoformat()}" in p["basis"]
    assert (f"(since {since})" in p["basis"]) == (since is not None)


def test_the_engine_prices_the_imported_schedule_like_the_dataset():
    """Round trip: for every day, the engine's price of the imported profile equals the
    dataset's price in force that day."""
    ds = dataset(provider("acme", dated_model()))
    result = build_import(ds, dt.date(2026, 10, 1))
    cat = engine.load_catalog([], extra=[("acme.yaml", profile_files(result)["acme.yaml"])])
    ro = cat.get("acme-m")
    day = dt.date(2026, 10, 1)
    while day < dt.date(2027, 2, 1):
        got = prices_on(ro, day)
        theirs = price_on(ds.providers[0].models[0], day)
        assert not isinstance(theirs, str) and got is not None
        assert (got[0], got[1]) == (float(theirs.input), float(theirs.output)), day
        day += dt.timedelta(days=7)


def test_a_date_before_every_dated_price_gets_the_first_as_the_package_does():
    m = model(
        "m",
        [cond(mp(D(1), D(2)), start=dt.date(2027, 1, 1)), cond(mp(D(3), D(4)), start=dt.date(2027, 3, 1))],
    )
    p = one_offering(dataset(provider("acme", m)))["prices"]
    assert (p["input_per_mtok"], p["output_per_mtok"]) == (1, 2)
    assert "since" not in p["basis"]
    assert "the dataset's earliest price starts on 2027-01-01, after 2026-12-01" in p["note"]
    assert [s["from"] for s in p["schedule"]] == ["2027-03-01"]


def test_a_future_change_without_a_token_price_is_left_out_and_said():
    m = model("m", [cond(mp(D(1), D(2))), cond(mp(D(1), None), start=dt.date(2027, 1, 1))])
    p = one_offering(dataset(provider("acme", m)))["prices"]
    assert "schedule" not in p
    assert "a change on 2027-01-01 has no token price in the dataset and is left out" in p["note"]


def test_time_of_day_prices_give_the_peak_standard_rate_and_say_so():
    """DeepSeek's layout: the unconstrained entry is the off-peak rate, the daily window
    the standard one (the dataset's own comment says so)."""
    m = model(
        "deepseek-chat",
        [cond(mp(D("0.135"), D("0.55"))), cond(mp(D("0.27"), D("1.1")), daily=("00:30", "16:30"))],
    )
    p = one_offering(dataset(provider("deepseek", m)))["prices"]
    assert (p["input_per_mtok"], p["output_per_mtok"]) == (0.27, 1.1)
    assert "peak (standard) rate of UTC 00:30–16:30 is given" in p["note"]
    assert "at other times input 0.135, output 0.55 USD per 1M" in p["note"]
    assert "schedule" not in p


def test_time_of_day_with_dated_off_peak_rates():
    """DeepSeek V4 Flash: dated off-peak rates and two peak windows; the peak rate is
    given, the off-peak rate in force on the date is in the note."""
    m = model(
        "deepseek-v4-flash",
        [
            cond(mp(D("0.14"), D("0.28"))),
            cond(mp(D("0.22"), D("0.66")), start=dt.date(2026, 8, 17)),
            cond(mp(D("0.15"), D("0.6")), start=dt.date(2026, 9, 10)),
            cond(mp(D("0.3"), D("1.2")), daily=("01:00", "04:00")),
            cond(mp(D("0.3"), D("1.2")), daily=("06:00", "10:00")),
        ],
    )
    p = one_offering(dataset(provider("deepseek", m)))["prices"]
    assert (p["input_per_mtok"], p["output_per_mtok"]) == (0.3, 1.2)
    assert "UTC 01:00–04:00, 06:00–10:00" in p["note"]
    assert "at other times input 0.15, output 0.6" in p["note"]
    p = one_offering(dataset(provider("deepseek", m)), dt.date(2026, 9, 1))["prices"]
    assert "at other times input 0.22, output 0.66" in p["note"]


def test_tiered_prices_give_the_base_rate_and_the_tiers_in_the_note():
    m = model("big", mp(tiered("5", (200_000, "10")), tiered("25", (200_000, "37.5"))))
    p = one_offering(dataset(provider("acme", m)))["prices"]
    assert (p["input_per_mtok"], p["output_per_mtok"]) == (5, 25)
    assert p["note"] == (
        "tiered by prompt size: the base rate is given; input 10 from 200,000 prompt tokens; "
        "output 37.5 from 200,000 prompt tokens (USD per 1M)"
    )


def test_request_variants_keep_the_standard_rate():
    variants = [
        SimpleNamespace(when={"processing": "batch"}, prices=mp(D(1), D(2)), constraint=None),
        SimpleNamespace(when={"service_tier": "flex"}, prices=mp(D(1), D(2)), constraint=None),
    ]
    m = model("m", mp(D(2), D(4)), price_variants=variants)
    p = one_offering(dataset(provider("acme", m)))["prices"]
    assert (p["input_per_mtok"], p["output_per_mtok"]) == (2, 4)
    assert (
        "other request options (processing=batch; service_tier=flex): the standard rate is given" in p["note"]
    )


# --------------------------------------------------------------------------- currency


def test_an_override_to_eur_keeps_the_amounts_and_says_why():
    ds = dataset(provider("eurocloud", model("m", mp(D("0.9"), D("0.9")))))
    override = {
        "eurocloud": CurrencyOverride("EUR", "the provider bills in EUR", "https://eurocloud.example/faq")
    }
    result = build_import(ds, ON, overrides=override)
    vendor = load_profile(result, "eurocloud")
    p = vendor.offerings[0].prices
    assert p is not None and (p.currency, p.input_per_mtok) == ("EUR", 0.9)
    assert "amounts in EUR although the dataset labels them USD: the provider bills in EUR" in (p.note or "")
    assert "https://eurocloud.example/faq" in (vendor.notes or "")
    cat = engine.load_catalog([], extra=[("eurocloud.yaml", profile_files(result)["eurocloud.yaml"])])
    crit = engine.load_criteria(CRITERIA)
    assert not engine.load_catalog(
        [], extra=[("x.yaml", profile_files(result)["eurocloud.yaml"])], currencies=crit.currencies()
    ).issues
    assert cat.get("eurocloud-m").offering.prices.currency == "EUR"  # type: ignore[union-attr]


def test_an_unsettled_currency_skips_the_provider_rather_than_guess():
    ds = dataset(
        provider("ovhcloud", model("a", mp(D(1), D(1))), model("b", mp(D(2), D(2)))),
        provider("acme", model("m", mp(D(1), D(2)))),
    )
    result = build_import(ds, ON)  # the real override table
    assert [p["id"] for p in result.profiles] == ["acme"]
    assert result.empty_providers == ("ovhcloud",)
    assert [(s.label, s.reason) for s in result.skipped] == [
        ("ovhcloud/a", "currency_unsettled"),
        ("ovhcloud/b", "currency_unsettled"),
    ]


def test_the_override_table_is_small_explicit_and_sourced():
    assert set(CURRENCY_OVERRIDES) == {"ovhcloud"}
    for pid, o in CURRENCY_OVERRIDES.items():
        assert o.reason and o.source, pid
        assert o.currency is None or len(o.currency) == 3


# --------------------------------------------------------------------------- skipped models


def test_models_without_a_usable_price_are_skipped_and_counted():
    ds = dataset(
        provider(
            "acme",
            model("chat", mp(D(1), D(2))),
            model("embed-1", mp(D("0.1"))),
            model("embed-2", mp(D("0.2"))),
            model("whisper", mp(audio_hours=D("0.1"))),
            model("empty", mp()),
            model("none", []),
            model("out-only", mp(None, D(1))),
        ),
        provider("voyage", model("embed-3", mp(D("0.1")))),
    )
    result = build_import(ds, ON)
    assert result.imported == 1 and result.models == 8
    by = {code: [s.label for s in items] for code, items in result.skipped_by_reason().items()}
    assert by == {
        "no_prices": ["acme/empty", "acme/none"],
        "no_token_prices": ["acme/whisper"],
        "input_only": ["acme/embed-1", "acme/embed-2", "voyage/embed-3"],
        "output_only": ["acme/out-only"],
    }
    assert result.empty_providers == ("voyage",)
    text = summary_text(result, "out", examples=2)
    assert (
        "genai-prices 0.2.3: 2 providers, 8 models; prices in force on 2026-12-01; as_of 2026-11-01" in text
    )
    assert "Imported 1 offerings from 1 providers into out" in text
    assert "Skipped 7 models:" in text
    row = next(line for line in text.splitlines() if "no output-token price" in line)
    assert row.split()[-4:] == ["3", "acme/embed-1,", "acme/embed-2,", "…"]
    assert "Providers with no importable model (no file written): voyage" in text


def test_duplicate_ids_after_slugging():
    """``Org/Model`` and ``org-model`` make the same id: kept once when their prices
    agree, all left out when they differ (a person decides) — never two offerings with
    one id, never a silent pick."""
    same = dataset(provider("acme", model("Org/Model", mp(D(1), D(2))), model("org-model", mp(D(1), D(2)))))
    result = build_import(same, ON)
    [profile] = result.profiles
    assert [o["model_api_id"] for o in profile["offerings"]] == ["Org/Model"]
    assert [(s.label, s.reason) for s in result.skipped] == [("acme/org-model", "duplicate_same")]
    assert result.skipped[0].detail == "acme/Org/Model, acme/org-model → acme-org-model"
    differ = dataset(
        provider(
            "acme",
            model("Org/Model", mp(D(1), D(2))),
            model("org-model", mp(D(3), D(2))),
            model("x", mp(D(1), D(1))),
        )
    )
    result = build_import(differ, ON)
    assert [o["id"] for o in result.profiles[0]["offerings"]] == ["acme-x"]
    assert {(s.label, s.reason) for s in result.skipped} == {
        ("acme/Org/Model", "duplicate_conflict"),
        ("acme/org-model", "duplicate_conflict"),
    }
    # across providers too: provider "a-b" model "c" and provider "a" model "b-c"
    across = dataset(provider("a", model("b-c", mp(D(1), D(2)))), provider("a-b", model("c", mp(D(1), D(3)))))
    result = build_import(across, ON)
    assert result.imported == 0 and {s.reason for s in result.skipped} == {"duplicate_conflict"}


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (
            ("openrouter", "meta-llama/llama-3.1-8b-instruct:free"),
            "openrouter-meta-llama-llama-3.1-8b-instruct-free",
        ),
        (("huggingface_fireworks-ai", "Qwen/Qwen3-32B"), "huggingface_fireworks-ai-qwen-qwen3-32b"),
        (("aws", "eu.anthropic.claude-haiku-5-5"), "aws-eu.anthropic.claude-haiku-5-5"),
        (("x", "  Model ✨ (beta)  "), "x-model-beta"),
        (("", "///"), ""),
    ],
)
def test_make_id(parts, expected):
    assert make_id(*parts) == expected
    if expected:
        assert engine.catalog.schema._ID.fullmatch(expected)


def test_a_model_the_schema_refuses_is_skipped_with_the_reason():
    m = model("huge", mp(D(2_000_000), D(1)))  # beyond the schema's plausible 1,000,000 per 1M
    result = build_import(dataset(provider("acme", m, model("ok", mp(D(1), D(1))))), ON)
    [skip] = result.skipped
    assert skip.reason == "invalid" and "prices.input_per_mtok" in (skip.detail or "")
    assert result.imported == 1


# --------------------------------------------------------------------------- dates, files


def test_as_of_from_the_release_table_or_given():
    ds = dataset(provider("acme", model("m", mp(D(1), D(2)))), version="0.2.3")
    assert build_import(ds, ON).as_of == RELEASES["0.2.3"].as_of == AS_OF
    given = build_import(ds, ON, dt.date(2026, 11, 20))
    assert given.as_of == dt.date(2026, 11, 20) and "--as-of" in given.as_of_note
    unknown = dataset(provider("acme", model("m", mp(D(1), D(2)))), version="9.9.9")
    with pytest.raises(engine.InputError) as exc:
        build_import(unknown, ON)
    assert exc.value.issues[0].code == "import.unknown_release"
    assert "give --as-of" in exc.value.issues[0].message


def test_text_that_yaml_1_2_reads_as_a_number_stays_text():
    """Model ids such as ``0o17``, ``1e3``, ``true`` or ``2026-11-01`` are quoted, so
    the strict loader gives back the same text."""
    ids = ["0o17", "1e3", "0x1f", "true", "null", "3.10", "2026-11-01", "22:22", "-x", "a: b", "#tag"]
    ds = dataset(provider("acme", *(model(i, mp(D(1), D(2)), name=i) for i in ids)))
    result = build_import(ds, ON)
    vendor = load_profile(result, "acme")
    assert sorted(o.model_api_id or "" for o in vendor.offerings) == sorted(ids)
    assert sorted(o.model for o in vendor.offerings) == sorted(ids)


def test_deterministic_bytes_and_a_header(tmp_path):
    ds = dataset(
        provider("b", dated_model()), provider("a", model("z", mp(D(1), D(2))), model("y", mp(D(1), D(2))))
    )
    first = profile_files(build_import(ds, ON))
    assert first == profile_files(build_import(ds, ON))
    assert list(first) == ["a.yaml", "b.yaml"]
    text = first["a.yaml"].decode("utf-8")
    assert text.startswith("# Shortlist vendor profile generated by `shortlist import genai-prices` from\n")
    assert text.index("id: a-y") < text.index("id: a-z")  # offerings sorted by id
    assert "&" not in text and "*" not in text  # no anchors or aliases
    assert profile_files(build_import(ds, dt.date(2027, 2, 1))) != first
    assert write_profiles(first, tmp_path / "out") == []
    (tmp_path / "out" / "mine.yaml").write_text("x: 1\n")
    assert write_profiles(first, tmp_path / "out") == ["mine.yaml"]
    assert (tmp_path / "out" / "a.yaml").read_bytes() == first["a.yaml"]


def test_the_import_never_overwrites_a_profile_it_did_not_write(tmp_path, monkeypatch):
    """Importing into a hand-kept vendors directory (the bundled one has anthropic.yaml,
    openai.yaml …) is refused whole; a profile an earlier import wrote is replaced."""
    import shutil

    from tests.conftest import VENDORS

    mine = tmp_path / "vendors"
    shutil.copytree(VENDORS, mine)
    before = {p.name: p.read_bytes() for p in mine.iterdir()}
    ds = dataset(
        provider("anthropic", model("m", mp(D(1), D(2)))), provider("newco", model("m", mp(D(1), D(2))))
    )
    monkeypatch.setattr(gp, "load_dataset", lambda: ds)
    code, out, err = run_cli("import", "genai-prices", "--output", str(mine))
    assert code == 2 and out == ""
    assert f"{mine / 'anthropic.yaml'}: io.would_overwrite: exists and was not written by" in err
    with pytest.raises(engine.InputError):
        write_profiles(profile_files(build_import(ds, ON)), mine)
    assert {p.name: p.read_bytes() for p in mine.iterdir()} == before  # nothing written, not even newco
    fresh = tmp_path / "fresh"
    write_profiles(profile_files(build_import(ds, ON)), fresh)
    again = profile_files(build_import(ds, dt.date(2027, 1, 1)))
    write_profiles(again, fresh)
    assert (fresh / "anthropic.yaml").read_bytes() == again["anthropic.yaml"]


def test_the_written_directory_validates_and_ranks(tmp_path):
    ds = dataset(
        provider("acme", dated_model(), model("cheap", mp(D("0.1"), D("0.2")), context_window=32_000)),
        provider("zeta", model("big", mp(tiered("5", (200_000, "10")), tiered("25", (200_000, "37.5"))))),
    )
    out = tmp_path / "imported"
    write_profiles(profile_files(build_import(ds, ON)), out)
    code, text, err = run_cli("validate", "--vendors", str(out))
    assert code == 0, err
    assert "2 vendor file(s) with 3 offering(s)" in text
    code, text, err = run_cli(
        "rank",
        "--vendors",
        str(out),
        "--priorities",
        "cost-first-startup",
        "--format",
        "csv",
        "--on",
        "2026-12-01",
    )
    assert code == 0, err
    rows = text.splitlines()[1:]
    assert [r.split(",")[1] for r in rows] == ["acme-cheap", "acme-m", "zeta-big"]
    assert all(",ranked," in r for r in rows)
    # the regulated bank wants EU processing: unknown regions exclude every offering
    code, text, err = run_cli("rank", "--vendors", str(out), "--on", "2026-12-01")
    assert code == 0, err
    assert "No offering passes the must-haves." in text
    assert "processing_regions is not known for this offering" in text


# --------------------------------------------------------------------------- the CLI


def test_the_cli_says_how_to_install_the_package(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "genai_prices.data", None)  # as if not installed
    code, out, err = run_cli("import", "genai-prices", "--output", str(tmp_path / "x"))
    assert (code, out, err) == (2, "", INSTALL_HINT + "\n")
    assert not (tmp_path / "x").exists()


def test_the_cli_on_a_fixture_dataset(monkeypatch, tmp_path):
    ds = dataset(provider("acme", dated_model(), model("embed", mp(D("0.1")))))
    monkeypatch.setattr(gp, "load_dataset", lambda: ds)
    out = tmp_path / "out"
    code, text, err = run_cli("import", "genai-prices", "--output", str(out), "--on", "2026-12-01")
    assert code == 0, err
    assert text == summary_text(build_import(ds, ON), str(out))
    assert sorted(p.name for p in out.iterdir()) == ["acme.yaml"]
    code, text, err = run_cli("import", "genai-prices", "--output", str(out), "--as-of", "2026-11-15")
    assert code == 0 and "as_of 2026-11-15" in text
    assert "as_of: '2026-11-15'" in (out / "acme.yaml").read_text()
    code, _, err = run_cli("import", "genai-prices", "--on", "01.12.2026")
    assert code == 2 and "expected a date YYYY-MM-DD" in err
    code, _, err = run_cli("import", "litellm")
    assert code == 2 and "invalid choice" in err


# --------------------------------------------------------------------------- the real dataset


@pytest.fixture(scope="module")
def real() -> gp.Dataset:
    if not HAVE_PACKAGE:
        pytest.skip("genai-prices is not installed (pip install 'shortlist[import]')")
    return gp.load_dataset()


@pytest.fixture(scope="module")
def real_import(real: gp.Dataset) -> gp.ImportResult:
    as_of = None if real.version in RELEASES else AS_OF
    return build_import(real, ON, as_of)


@needs_package
def test_real_dataset_units_are_per_million_tokens():
    """The registry says per 1,000,000 tokens, and the package's own calculator agrees
    with the imported price: 1,000 input tokens cost input_per_mtok / 1,000."""
    from genai_prices.data_units import unit_data

    assert unit_data["input_tokens"]["per"] == unit_data["output_tokens"]["per"] == 1_000_000
    assert gp._units() == Units("input_mtok", "output_mtok", 1_000_000, 1_000_000)


@needs_package
def test_real_dataset_prices_agree_with_the_packages_calculator(real, real_import):
    """For every imported offering without time-of-day prices: the package's
    ``ModelPrice.calc_price`` on the import date, for 1,000 input and 1,000 output
    tokens (below every tier), equals the imported price / 1,000; and on the date of
    each schedule step, the step's price."""
    from genai_prices.data import providers
    from genai_prices.types import Usage

    by_id = {(p.id, m.id): m for p in providers for m in p.models}
    usage = Usage(input_tokens=1000, output_tokens=1000)
    checked = 0
    for profile in real_import.profiles:
        for off in profile["offerings"]:
            m = by_id[(profile["id"], off["model_api_id"])]
            if "time-of-day" in off["prices"].get("note", ""):
                continue
            days = [(ON, off["prices"])] + [
                (dt.date.fromisoformat(s["from"]), s) for s in off["prices"].get("schedule", [])
            ]
            for day, p in days:
                ts = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
                calc = m.get_prices(ts).calc_price(usage)
                assert float(calc["input_price"] * 1000) == pytest.approx(p["input_per_mtok"], rel=1e-12), (
                    off["id"]
                )
                assert float(calc["output_price"] * 1000) == pytest.approx(p["output_per_mtok"], rel=1e-12), (
                    off["id"]
                )
                checked += 1
    assert checked > 1500


@needs_package
def test_real_dataset_deepseek_peak_rate_is_what_the_package_charges_at_peak(real_import):
    from genai_prices.data import providers

    ds = next(p for p in providers if p.id == "deepseek")
    profile = next(p for p in real_import.profiles if p["id"] == "deepseek")
    timed = [o for o in profile["offerings"] if "time-of-day" in o["prices"].get("note", "")]
    assert timed, "the dataset's DeepSeek models have peak/off-peak prices"
    for off in timed:
        m = next(x for x in ds.models if x.id == off["model_api_id"])
        windows = [c.constraint for c in m.prices if hasattr(c.constraint, "start_time")]
        peak_time = max(windows, key=lambda w: w.start_time).start_time
        ts = dt.datetime.combine(ON, peak_time.replace(tzinfo=None), tzinfo=dt.UTC) + dt.timedelta(minutes=1)
        at_peak = m.get_prices(ts)
        assert float(at_peak.input_mtok) == off["prices"]["input_per_mtok"]
        assert float(at_peak.output_mtok) == off["prices"]["output_per_mtok"]


@needs_package
def test_real_dataset_names_no_provider_billing_in_eur(real):
    """The finding behind CURRENCY_OVERRIDES: nothing in the package says EUR. If a
    version starts to, this fails and the table needs a look."""
    for p in real.providers:
        texts = [p.name, p.comments or "", *(m.comments or "" for m in p.models)]
        assert not any(" EUR" in t or "€" in t or "euro " in t.lower() for t in texts), p.id
    assert all(pid in {p.id for p in real.providers} for pid in CURRENCY_OVERRIDES)


@needs_package
def test_real_dataset_import_accounts_for_every_model(real, real_import):
    r = real_import
    assert r.imported + len(r.skipped) == r.models == sum(len(p.models) for p in real.providers)
    assert r.providers == len(real.providers)
    assert len(r.profiles) + len(r.empty_providers) == r.providers
    assert {s.reason for s in r.skipped} <= set(gp.SKIP_REASONS)
    assert "ovhcloud" in r.empty_providers  # its models with a token price: currency_unsettled
    assert any(s.reason == "currency_unsettled" for s in r.skipped if s.provider == "ovhcloud")
    ids = [o["id"] for p in r.profiles for o in p["offerings"]]
    assert len(ids) == len(set(ids))
    if real.version == "0.2.3":  # the version the bundled profiles cite
        assert (r.providers, r.models, r.imported, len(r.profiles)) == (47, 2330, 2028, 43)
        assert {k: len(v) for k, v in r.skipped_by_reason().items()} == {
            "no_prices": 179,
            "no_token_prices": 26,
            "input_only": 81,
            "currency_unsettled": 16,
        }
        assert r.empty_providers == ("openai-decisions", "ovhcloud", "typesafe", "voyageai")


@needs_package
def test_real_dataset_writes_a_catalog_that_validates_and_ranks(real, real_import, tmp_path):
    out = tmp_path / "genai"
    files = profile_files(real_import)
    assert write_profiles(files, out) == []
    assert max(len(b) for b in files.values()) < engine.catalog.yamlio.MAX_BYTES  # the loader's limit
    code, text, err = run_cli("validate", "--vendors", str(out))
    assert code == 0, err
    assert f"{len(files)} vendor file(s) with {real_import.imported} offering(s)" in text
    code, text, err = run_cli(
        "rank",
        "--vendors",
        str(out),
        "--priorities",
        "cost-first-startup",
        "--format",
        "json",
        "--on",
        "2026-12-01",
    )
    assert code == 0, err
    got = json.loads(text)
    assert len(got["offerings"]) == real_import.imported
    assert sum(r["status"] == "ranked" for r in got["offerings"]) > 1000
    for p in real_import.profiles:  # the schedule the engine sees is the dataset's
        vendor, _ = load_vendor_bytes(files[f"{p['id']}.yaml"], f"{p['id']}.yaml")
        assert [o.id for o in vendor.offerings] == [o["id"] for o in p["offerings"]]


@needs_package
def test_real_dataset_import_is_byte_identical_in_a_subprocess(real_import, tmp_path):
    """One real process: ``python -m engine import genai-prices`` twice gives the same
    files, equal to the in-process result; the summary goes to stdout."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    outs = []
    for name in ("one", "two"):
        out = tmp_path / name
        args = [
            sys.executable,
            "-m",
            "engine",
            "import",
            "genai-prices",
            "--output",
            str(out),
            "--on",
            "2026-12-01",
        ]
        if real_import.version not in RELEASES:
            args += ["--as-of", AS_OF.isoformat()]
        res = subprocess.run(
            args, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=False
        )
        assert res.returncode == 0, res.stderr
        assert res.stdout == summary_text(real_import, str(out))
        outs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert outs[0] == outs[1] == profile_files(real_import)


@needs_package
def test_the_bundled_profiles_cite_the_version_the_release_table_knows():
    text = (ROOT / "vendors" / "mistral-ai.yaml").read_text(encoding="utf-8")
    cited = {line.split("==")[1].split()[0] for line in text.splitlines() if "pypi:genai-prices==" in line}
    assert cited <= set(RELEASES)


def test_profiles_are_plain_yaml_data():
    """The written YAML is plain data PyPI's safe loader reads too (no tags, no aliases)."""
    ds = dataset(provider("acme", dated_model()))
    data = yaml.safe_load(profile_files(build_import(ds, ON))["acme.yaml"])
    assert data["offerings"][0]["prices"]["schedule"][0]["from"] == "2027-01-01"
