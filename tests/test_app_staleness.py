"""The app shows each stale fact by name, date, age and its kind's limit (Streamlit AppTest).

The ``acme`` profile added to the bundled vendors is an invented test fixture, not vendor
data: its prices are dated 2020-01-01, older than the 90-day price limit on any day the
tests run, while the rest of the profile is recent.
"""

from __future__ import annotations

import datetime as dt

from tests.test_app import page, start, text_of

# invented test data
ACME = """\
schema_version: 1
id: acme-stale
name: Acme Stale
headquarters: FR
as_of: {day}
sources: [https://acme.example/about]
certifications:
  items:
    iso27001: {{status: certified}}
offerings:
  - id: acme-stale-api
    model: Stale
    channel: Acme API
    operator: {{name: Acme, headquarters: FR}}
    deployment: api
    processing_regions: [EU]
    prices:
      input_per_mtok: 1
      output_per_mtok: 2
      currency: EUR
      as_of: 2020-01-01
      sources: [https://acme.example/pricing]
    capability: {{metric: Artificial Analysis Intelligence Index v4.3, value: 40}}
    context_window_tokens: 128000
    as_of: {day}
    sources: [https://acme.example/models]
"""


def _vendors(vendors_copy):
    day = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    (vendors_copy / "acme-stale.yaml").write_text(ACME.format(day=day), encoding="utf-8")
    return str(vendors_copy)


def test_shortlist_page_flags_the_stale_prices_block(monkeypatch, vendors_copy):
    at = start(monkeypatch, _vendors(vendors_copy))
    assert not at.exception
    day = at.session_state["_ctx"].ranking.on_date
    age = (day - dt.date(2020, 1, 1)).days
    flag = f"stale data: prices 2020-01-01 is {age} days old (limit 90 days for prices)"
    shown = [str(v) for d in at.dataframe for v in d.value.get("flags", [])]
    shown += [str(v) for t in at.table for v in t.value.get("reasons", [])]
    assert any(flag in s for s in shown), shown


def test_catalog_page_lists_stale_facts_with_their_kinds_limit(monkeypatch, vendors_copy):
    at = page(start(monkeypatch, _vendors(vendors_copy)), "catalog")
    table = at.dataframe[0].value
    row = table[table["id"] == "acme-stale-api"].iloc[0]  # the "offering" column has its name (issue 15)
    assert row["stale"] == "stale"
    assert row["stale facts"].startswith("prices 2020-01-01: ") and row["stale facts"].endswith(", limit 90")
    # the caption names every kind's limit
    assert any("prices 90" in c.value for c in at.caption)
    at.selectbox(key="p_cat_offering").set_value("acme-stale-api").run()
    assert "Stale facts (1): prices 2020-01-01: " in text_of(at)


def test_compare_page_flags_the_stale_prices_block(monkeypatch, vendors_copy):
    at = page(start(monkeypatch, _vendors(vendors_copy)), "compare")
    # the options read "name · id (rank n)" (issue 15): the other offering is taken from the ranking
    other = next(
        r.offering_id for r in at.session_state["_ctx"].ranking.rows if r.offering_id != "acme-stale-api"
    )
    at.multiselect(key="p_compare").set_value(["acme-stale-api", other]).run()
    assert not at.exception, at.exception
    # the row is "caveats", in plain words (issue 15; was "flags": "stale data: prices 2020-01-01")
    flags = [str(v) for t in at.table if "caveats" in t.value.index for v in t.value.loc["caveats"].tolist()]
    assert any("prices out of date (" in s and " days old)" in s for s in flags), flags


def test_policy_page_lists_stale_facts_and_fails_a_kind_age_rule(monkeypatch, vendors_copy):
    at = page(start(monkeypatch, _vendors(vendors_copy)), "policy")
    at.selectbox(key="p_policy").set_value("(upload a policy file)").run()
    policy = (  # invented: one approved offering, prices at most 90 days old
        b"schema_version: 1\nname: fresh prices\napproved: [acme-stale-api]\n"
        b"rules:\n  - {id: fresh-prices, field: prices.as_of, op: max_age_days, value: 90}\n"
    )
    at.file_uploader(key="policy_upload").set_value(("fresh.yaml", policy, "application/x-yaml")).run()
    assert not at.exception, at.exception
    findings = [str(v) for t in at.table for v in t.value.get("found", [])]  # what was found, in words
    assert any("prices 2020-01-01 is" in m and "over the 90-day limit" in m for m in findings), findings
    stale = next(d.value for d in at.dataframe if "fact" in d.value.columns)
    row = stale[stale["fact"] == "prices"].iloc[0]
    assert (row["offering"], row["kind"], row["as of"], row["limit (days)"]) == (
        "Stale — Acme API",  # the offering by name (model — channel), issue 15
        "prices",
        "2020-01-01",
        90,
    )
