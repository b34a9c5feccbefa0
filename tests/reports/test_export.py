"""Exports (engine/reports/export.py): CSV safety, determinism, JSON content."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json

import numpy as np
import pytest

import engine
from engine.mcda.sensitivity.report import sensitivity
from engine.reports.export import CSV_HEAD, neutralise
from tests.conftest import CRITERIA, offering_yaml, priorities, vendor_yaml


@pytest.fixture
def nasty(write_vendors):
    off = offering_yaml("acme-api").replace("model: Model acme-api", 'model: "=HYPERLINK(\\"http://x\\")"')
    off2 = offering_yaml("acme-two").replace("channel: Test API", 'channel: "-cmd"')
    cat = engine.load_catalog([write_vendors({"acme.yaml": vendor_yaml(offerings=off + off2)})])
    # a model name with a line break: the loader refuses it (tests/test_invisible.py), the
    # exports stay safe for a catalog built in code all the same
    two = cat.get("acme-two")
    broken = dataclasses.replace(two, offering=two.offering.model_copy(update={"model": "Two\nlines"}))
    return dataclasses.replace(cat, offerings=tuple(broken if o is two else o for o in cat.offerings))


def rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("bad", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised(bad):
    assert neutralise(bad) == "'" + bad


def test_plain_text_is_untouched():
    assert neutralise("Mistral AI") == "Mistral AI"


def test_csv_columns_and_neutralisation(nasty, criteria):
    r = engine.rank(nasty, criteria, priorities())
    table = rows(engine.to_csv(r))
    head = table[0]
    assert tuple(head[:8]) == CSV_HEAD
    assert head[6] == "exclusion"  # fails / evidence gap, beside the status
    assert head[8:11] == ["monthly_cost_value", "monthly_cost_contribution", "monthly_cost_evidence"]
    # the data date, then (issue 15) the currency of the money columns, a companion column
    assert head[-2:] == ["as_of", "currency"]
    assert {t[-1] for t in table[1:]} == {r.currency}
    assert len(table) == 3  # a name with a line break stays one record
    by_id = {t[1]: t for t in table[1:]}
    assert by_id["acme-api"][3].startswith("'=HYPERLINK")
    assert by_id["acme-two"][3] == "Two\nlines — -cmd"
    assert float(by_id["acme-api"][4]) > 0  # numbers stay numbers


def test_negative_numbers_stay_numbers(write_vendors, criteria):
    off = offering_yaml("neg", capability=-5)
    cat = engine.load_catalog([write_vendors({"acme.yaml": vendor_yaml(offerings=off)})])
    table = rows(engine.to_csv(engine.rank(cat, criteria, priorities())))
    i = table[0].index("capability_value")
    assert table[1][i] == "-5"


def test_excel_variant_has_bom(nasty, criteria):
    r = engine.rank(nasty, criteria, priorities())
    assert engine.to_csv(r, excel=True).startswith(b"\xef\xbb\xbf")
    assert engine.to_csv(r, excel=True)[3:] == engine.to_csv(r)


def test_same_inputs_same_bytes(nasty, criteria):
    a = engine.rank(nasty, criteria, priorities())
    b = engine.rank(nasty, criteria, priorities())
    assert engine.to_csv(a) == engine.to_csv(b)
    assert engine.to_json(a) == engine.to_json(b)


def test_json_has_weights_digest_and_rows(nasty, criteria):
    r = engine.rank(nasty, criteria, priorities())
    doc = json.loads(engine.to_json(r))
    assert doc["schema_version"] == 1
    assert sum(doc["weights"].values()) == pytest.approx(1.0)
    assert len(doc["inputs_digest"]) == 64
    assert {o["offering_id"] for o in doc["offerings"]} == {"acme-api", "acme-two"}
    assert set(doc["offerings"][0]["values"]) == set(criteria.ids())


def test_top_keeps_excluded_rows(write_vendors, criteria):
    offs = "".join(
        offering_yaml(f"o{i}", regions="[EU]" if i else "[US]", capability=20 + i) for i in range(4)
    )
    cat = engine.load_catalog([write_vendors({"acme.yaml": vendor_yaml(offerings=offs)})])
    req = [{"id": "eu", "field": "processing_regions", "op": "within", "value": ["EU"]}]
    r = engine.rank(cat, criteria, priorities(requirements=req))
    table = rows(engine.to_csv(r, top=1))
    assert [t[5] for t in table[1:]] == ["ranked", "excluded"]
    assert "o0" in engine.to_table(r, top=1) and "o2" not in engine.to_table(r, top=1)


def test_top_never_splits_a_tie(write_vendors, criteria):
    offs = (
        offering_yaml("a", capability=50)
        + offering_yaml("b", capability=50)
        + offering_yaml("c", capability=20)
    )
    cat = engine.load_catalog([write_vendors({"acme.yaml": vendor_yaml(offerings=offs)})])
    r = engine.rank(cat, criteria, priorities(weights={"capability": 1}))
    table = rows(engine.to_csv(r, top=1))
    assert [(t[0], t[1]) for t in table[1:]] == [("1", "a"), ("1", "b")]


def test_priorities_yaml_round_trips(tmp_path):
    from tests.conftest import PRESETS

    for preset in PRESETS:
        p = engine.load_priorities(preset)
        text = engine.priorities_yaml(p)
        assert engine.load_priorities_bytes(text.encode(), "p.yaml") == p


def _plain_sensitivity_json(report, ranking) -> bytes:
    d = engine.sensitivity_dict(report, ranking)
    return (json.dumps(d, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n").encode(
        "utf-8"
    )


@pytest.mark.parametrize("preset", ["regulated-eu-bank", "cost-first-startup", "sovereign-public-admin"])
@pytest.mark.parametrize("method", engine.METHODS)
def test_sensitivity_json_is_json_dumps_of_the_dict(bundled, criteria, preset, method):
    # sensitivity_json writes the acceptability rows itself (json's indenting encoder is
    # slow): the bytes must be exactly json.dumps(sensitivity_dict(...), indent=2, ...)
    prio = engine.load_priorities(CRITERIA / "presets" / f"{preset}.yaml")
    ranking = engine.rank(bundled, criteria, prio, method=method, on_date=dt.date(2026, 11, 29))
    report = sensitivity(ranking, samples=400, seed=1)
    assert engine.sensitivity_json(report, ranking) == _plain_sensitivity_json(report, ranking)


def test_sensitivity_json_one_offering_and_non_finite_values(write_vendors, criteria):
    cat = engine.load_catalog(
        [write_vendors({"acme.yaml": vendor_yaml(offerings=offering_yaml("acme-api"))})]
    )
    ranking = engine.rank(cat, criteria, priorities())
    report = sensitivity(ranking, samples=50, seed=0)
    assert engine.sensitivity_json(report, ranking) == _plain_sensitivity_json(report, ranking)
    acc = report.acceptability
    odd = np.array([[float("nan")], [float("inf")], [float("-inf")], [-0.0], [1e-7]])
    for row in odd:
        weird = dataclasses.replace(
            report, acceptability=dataclasses.replace(acc, acceptability=row[None, :])
        )
        if np.isfinite(row).all():
            assert engine.sensitivity_json(weird, ranking) == _plain_sensitivity_json(weird, ranking)
        else:  # JSON is written strictly (issue 11): a NaN/infinity leak is an error, never "NaN"
            with pytest.raises(ValueError, match="JSON compliant"):
                engine.sensitivity_json(weird, ranking)


def test_stale_flags_sharing_a_date_and_limit_are_said_once():
    from engine.reports.export import flag_text

    flags = [
        "price 1.0 imputed",
        "stale data: certifications.iso27017 2024-07-18 is 869 days old (limit 365 days for certifications)",
        "stale data: certifications.iso27018 2024-07-18 is 869 days old (limit 365 days for certifications)",
        "stale data: prices 2026-06-01 (undated: the offering's as_of) is 186 days old (limit 90 days for prices)",
    ]
    assert flag_text(flags) == (
        "price 1.0 imputed; stale data: certifications.iso27017, certifications.iso27018 2024-07-18 is 869 days "
        "old (limit 365 days for certifications); stale data: prices 2026-06-01 (undated: the offering's as_of) "
        "is 186 days old (limit 90 days for prices)"
    )
