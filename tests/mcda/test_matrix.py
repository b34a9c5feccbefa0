"""Performance values (engine/mcda/matrix.py) on the bundled real profiles."""

from __future__ import annotations

import datetime as dt

import pytest

import engine
from engine.mcda.matrix import Context, convert, performance, prices_on
from tests.conftest import priorities


@pytest.fixture(scope="module")
def ctx(criteria):
    p = priorities(
        workload={
            "input_tokens_per_month": 3e8,
            "output_tokens_per_month": 6e7,
            "answer_tokens": 400,
            "currency": "USD",
        },
        allowed_regions=["EU", "EEA"],
        trusted_jurisdictions=["EU", "EEA"],
        wanted_certifications=["iso27001", "soc2_type2"],
    )
    return Context(p, criteria.fx, dt.date(2026, 11, 29), "Artificial Analysis Intelligence Index v4.3")


def test_monthly_cost_from_real_prices(bundled, ctx):
    # mistral-large-4-api: 0.7 / 2.1 USD per 1M tokens (vendors/mistral-ai.yaml)
    v = performance("monthly_cost", bundled.get("mistral-large-4-api"), ctx).value
    assert v == pytest.approx(300 * 0.7 + 60 * 2.1)


def test_eur_price_converted_with_the_dated_rate(bundled, ctx, criteria):
    # scaleway: 1.5 / 7.5 EUR; workload in USD
    v = performance("monthly_cost", bundled.get("scaleway-genapi-mistral-medium-3.5"), ctx).value
    assert v == pytest.approx((300 * 1.5 + 60 * 7.5) * criteria.fx.rates["USD"])


def test_unresolved_currency_stays_unknown(bundled, ctx):
    p = performance("monthly_cost", bundled.get("ovhcloud-ai-endpoints-qwen3.5-397b"), ctx)
    assert p.value is None and p.note


def test_self_hosted_cost_is_unknown_with_advice(bundled, ctx):
    p = performance("monthly_cost", bundled.get("mistral-large-3-selfhosted"), ctx)
    assert p.value is None and "monthly_fixed" in (p.note or "")


def test_gemini_argon_price_doubles_on_2026_12_01(bundled):
    ro = bundled.get("google-gemini-4-argon-vertex")
    before = prices_on(ro, dt.date(2026, 11, 30))
    after = prices_on(ro, dt.date(2026, 12, 1))
    assert before is not None and after is not None
    assert after[0] == 2 * before[0] and after[1] == 2 * before[1]


def test_response_time_needs_both_figures(bundled, ctx):
    v = performance("response_time", bundled.get("mistral-small-4-api"), ctx).value
    assert v == pytest.approx(0.80 + 400 / 148.8)
    p = performance("response_time", bundled.get("openai-gpt-6-astra-api"), ctx)
    assert p.value is None and "time to first token" in (p.note or "")


def test_residency_jurisdiction_openness_compliance(bundled, ctx):
    azure = bundled.get("azure-openai-gpt-6-luna-eu-datazone")
    assert performance("data_residency", azure, ctx).value == 1.0
    assert performance("jurisdiction", azure, ctx).value == 0.0
    assert performance("openness", azure, ctx).value == "closed"
    deepseek = bundled.get("deepseek-v4-pro-api")
    assert performance("data_residency", deepseek, ctx).value == 0.0
    assert performance("openness", deepseek, ctx).value == "open_osi"  # MIT
    mistral = bundled.get("mistral-large-4-api")
    assert performance("jurisdiction", mistral, ctx).value == 1.0
    assert performance("openness", mistral, ctx).value == "open_restrictive"
    assert performance("compliance", mistral, ctx).value == pytest.approx(0.5)  # both claimed
    selfhosted = bundled.get("qwen3.6-27b-selfhosted")
    assert performance("data_residency", selfhosted, ctx).value == 1.0
    assert performance("jurisdiction", selfhosted, ctx).value == 0.5  # developer CN, operator the buyer


def test_transparency_missing_when_not_rated(bundled, ctx):
    assert performance("transparency", bundled.get("cohere-command-a-api"), ctx).value is None
    assert performance("transparency", bundled.get("anthropic-claude-haiku-5.5-api"), ctx).value == 46


def test_convert_unknown_currency(criteria):
    with pytest.raises(engine.InputError) as exc:
        convert(1.0, "XAU", "EUR", criteria.fx)
    assert exc.value.issues[0].code == "fx.unknown_currency"


def test_unknown_criterion(bundled, ctx):
    with pytest.raises(KeyError):
        performance("vibes", bundled.get("mistral-large-4-api"), ctx)


def test_unknown_headquarters_and_regions_stay_unknown(ctx):
    """Absent headquarters or processing regions give no value (the criterion's missing
    policy decides), with a note naming what is not known — never 0 or a guess."""
    from tests.conftest import vendor_yaml

    off = (
        "  - id: x\n    model: X\n    channel: Acme API\n    operator: {name: Acme}\n"
        "    deployment: api\n    as_of: 2026-11-01\n    sources: [s]\n"
        "  - id: y\n    model: Y\n    channel: Acme API\n    operator: {name: Acme, headquarters: FR}\n"
        "    deployment: api\n    processing_regions: [EU]\n    as_of: 2026-11-01\n    sources: [s]\n"
    )
    text = vendor_yaml(offerings=off).replace("headquarters: FR\n", "", 1)
    cat = engine.load_catalog([], extra=[("acme.yaml", text.encode())])
    assert not cat.issues
    x, y = cat.get("x"), cat.get("y")
    res = performance("data_residency", x, ctx)
    assert res.value is None and res.note == "processing regions not published"
    jur = performance("jurisdiction", x, ctx)
    assert jur.value is None and jur.note == "developer and operator headquarters not known"
    assert performance("data_residency", y, ctx).value == 1.0
    jur = performance("jurisdiction", y, ctx)
    assert jur.value is None and jur.note == "developer headquarters not known"
