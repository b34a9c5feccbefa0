"""The robustness commands of the CLI: ``sensitivity``, ``rank --method/--weight-order``,
elicited weights in priorities files, and the robustness part of ``explain``.

In-process on the frozen 2026-11-29 catalog (``--vendors VENDORS``, see tests/conftest.py),
so that the answers pinned here (the runner-up's price answer, the sampling block) do not
move with every update of the live ``vendors/``; the one real subprocess runs on the
default (live) catalog and only checks that it works.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CRITERIA, PRESETS, ROOT, VENDORS
from tests.conftest import run_cli as run

PRESET_NAMES = [p.stem for p in PRESETS]
BANK = CRITERIA / "presets" / "regulated-eu-bank.yaml"
SAMPLES = "2000"  # fast, and every share is a multiple of 1/2000: exact in 6 decimals
FROZEN = ("--vendors", str(VENDORS))  # every command here ranks the frozen catalog


def ok(*args: str) -> str:
    code, out, err = run(*args)
    assert code == 0, err
    return out


def rank_json(preset: str | Path, *extra: str) -> dict[str, Any]:
    return json.loads(ok("rank", "--priorities", str(preset), "--format", "json", *FROZEN, *extra))


def sens_json(preset: str | Path, *extra: str) -> dict[str, Any]:
    # --samples SAMPLES unless the test gives its own (an option may be given once)
    samples = [] if "--samples" in extra else ["--samples", SAMPLES]
    return json.loads(
        ok("sensitivity", "--priorities", str(preset), *samples, "--format", "json", *FROZEN, *extra)
    )


def ranked_ids(doc: dict[str, Any]) -> list[str]:
    return [o["offering_id"] for o in doc["offerings"] if o["status"] == "ranked"]


def bank_text(*drop: str) -> str:
    """The bank preset without the top-level entries ``drop`` (their line and the
    indented lines under it), so that a test can write its own."""
    out: list[str] = []
    skipping = False
    for line in BANK.read_text().splitlines(keepends=True):
        if any(line.startswith(f"{key}:") for key in drop):
            skipping = True
            continue
        if skipping and (line.startswith((" ", "\t")) or not line.strip()):
            continue
        skipping = False
        out.append(line)
    return "".join(out)


def with_weights_block(tmp_path: Path, block: str, name: str = "p.yaml") -> Path:
    """The bank preset (without its robustness settings) with its ``weights:`` block
    replaced by ``block``."""
    text = bank_text("robustness", "method")
    start, end = text.index("weights:\n"), text.index("workload:")
    p = tmp_path / name
    p.write_text(text[:start] + block + text[end:])
    return p


# ----------------------------------------------------------------- sensitivity output


@pytest.mark.parametrize("preset", PRESET_NAMES)
def test_sensitivity_json_on_each_preset(preset):
    doc = sens_json(preset)
    ranking = rank_json(preset)
    assert doc["schema_version"] == 1
    assert doc["method"] == "weighted-sum"
    # the analysed criteria are exactly the weighted ones, with the ranking's weights
    weighted = {c: w for c, w in ranking["weights"].items() if w > 0}
    assert set(doc["criteria"]) == set(weighted)
    assert doc["weights"] == pytest.approx(weighted, abs=1e-6)
    # one stability interval per weighted criterion, containing the current weight
    assert [s["criterion"] for s in doc["stability_intervals"]] == doc["criteria"]
    for s in doc["stability_intervals"]:
        lo, hi = s["first"]
        assert 0.0 <= lo <= s["weight"] <= hi <= 1.0, s
        klo, khi = s["top_k_order"]
        assert lo - 1e-9 <= klo <= s["weight"] <= khi <= hi + 1e-9, s
        assert s["weight"] == pytest.approx(weighted[s["criterion"]], abs=1e-6)
    # acceptability: one row per ranked offering, in rank order, each a distribution
    ids = ranked_ids(ranking)
    assert [o["offering_id"] for o in doc["offerings"]] == ids
    for o in doc["offerings"]:
        assert len(o["acceptability"]) == len(ids)
        assert min(o["acceptability"]) >= 0
        assert sum(o["acceptability"]) == pytest.approx(1.0, abs=1e-6), o["offering_id"]
    # the Pareto front and the dominated offerings partition the ranked offerings
    front, dominated = set(doc["pareto_front"]), set(doc["dominated"])
    assert front and not front & dominated
    assert front | dominated == set(ids)
    assert all(set(by) <= set(ids) and by for by in doc["dominated"].values())
    # the leader is the ranking's first offering
    assert doc["offerings"][0]["offering_id"] == ids[0]
    assert doc["offerings"][0]["rank"] == 1
    assert doc["sampling"]["samples"] == int(SAMPLES) and doc["sampling"]["seed"] == 0


@pytest.mark.parametrize("preset", PRESET_NAMES)
def test_dominance_claims_hold_on_the_utilities(preset):
    """Checked independently on the utilities that ``rank --format json`` reports."""
    doc = sens_json(preset)
    ranking = rank_json(preset)
    util = {
        o["offering_id"]: [o["values"][c]["utility"] for c in doc["criteria"]]
        for o in ranking["offerings"]
        if o["status"] == "ranked"
    }

    def dominates(a: str, b: str) -> bool:
        pairs = list(zip(util[a], util[b], strict=True))
        return all(x >= y - 1e-9 for x, y in pairs) and any(x > y + 1e-9 for x, y in pairs)

    for b, by in doc["dominated"].items():
        for a in by:
            assert dominates(a, b), (a, b)
    for b in doc["pareto_front"]:
        assert not any(dominates(a, b) for a in util if a != b), b


@pytest.mark.parametrize("preset", PRESET_NAMES)
def test_sensitivity_csv_on_each_preset(preset):
    code, out, err = run(
        "sensitivity", "--priorities", preset, "--samples", SAMPLES, "--format", "csv", *FROZEN
    )
    assert code == 0, err
    assert "stability intervals are per criterion" in err  # said on stderr, not in the CSV
    rows = list(csv.DictReader(io.StringIO(out)))
    ids = ranked_ids(rank_json(preset))
    assert [r["offering_id"] for r in rows] == ids
    cols = [k for k in rows[0] if k.startswith("acceptability_rank_")]
    assert cols == [f"acceptability_rank_{r}" for r in range(1, len(ids) + 1)]
    for r in rows:
        assert sum(float(r[c]) for c in cols) == pytest.approx(100.0, abs=0.05), r["offering_id"]
    # the same run as JSON agrees on the Pareto front and the first-rank shares
    doc = sens_json(preset)
    assert {r["offering_id"] for r in rows if r["pareto_front"] == "yes"} == set(doc["pareto_front"])
    for r, o in zip(rows, doc["offerings"], strict=True):
        assert float(r["acceptability_rank_1"]) == pytest.approx(100 * o["acceptability"][0], abs=0.005)


@pytest.mark.parametrize("preset", PRESET_NAMES)
def test_sensitivity_table_on_each_preset(preset):
    out = ok("sensitivity", "--priorities", preset, "--samples", SAMPLES, *FROZEN)
    for heading in ("Stability intervals", "Rank acceptability", "Pareto front"):
        assert heading in out
    leader = ranked_ids(rank_json(preset))[0]
    assert f"before {leader} loses first place" in out
    assert "2,000 weight samples, seed 0" in out


def test_stability_interval_ends_are_where_the_leader_changes():
    """Just inside an end of the interval the leader holds; just beyond it the named
    offering leads (checked with ``rank --weight``, others rescaled in proportion)."""
    preset = "regulated-eu-bank"
    doc = sens_json(preset, "--samples", "100")
    w, leader = doc["weights"], doc["offerings"][0]["offering_id"]

    def leader_at(c: str, t: float) -> str:
        moved = {k: (t if k == c else v * (1 - t) / (1 - w[c])) for k, v in w.items()}
        return ranked_ids(rank_json(preset, *[f"--weight={k}={v!r}" for k, v in moved.items()]))[0]

    checked = 0
    for s in doc["stability_intervals"]:
        (lo, hi), (lost_lo, lost_hi) = s["first"], s["first_lost_to"]
        if hi < 0.99:
            assert leader_at(s["criterion"], hi - 0.003) == leader
            assert leader_at(s["criterion"], hi + 0.003) == lost_hi
            checked += 1
        if lo > 0.01:
            assert leader_at(s["criterion"], lo + 0.003) == leader
            assert leader_at(s["criterion"], lo - 0.003) == lost_lo
            checked += 1
    assert checked >= 5


@pytest.mark.parametrize("preset", ["sovereign-public-admin", "cost-first-startup"])
def test_no_offering_takes_first_place_beyond_weight_100_percent(preset):
    doc = sens_json(preset, "--samples", "100")
    leader = doc["offerings"][0]["offering_id"]
    beaten_by_leader = {b for b, by in doc["dominated"].items() if leader in by}
    for s in doc["stability_intervals"]:
        lo, hi = s["first"]
        lost_lo, lost_hi = s["first_lost_to"]
        assert lost_lo not in beaten_by_leader and lost_hi not in beaten_by_leader, s
        if hi >= 1 - 1e-9:
            assert lost_hi is None, s
        if lo <= 1e-9:
            assert lost_lo is None, s


def test_same_seed_same_bytes_other_seed_other_result():
    args = ("sensitivity", "--samples", "500", "--format", "json", *FROZEN)
    a, b = ok(*args, "--seed", "7"), ok(*args, "--seed", "7")
    assert a == b
    c = ok(*args, "--seed", "8")
    assert c != a
    assert json.loads(c)["sampling"]["seed"] == 8
    # only the sampled parts differ; the deterministic analyses do not
    da, dc = json.loads(a), json.loads(c)
    assert da["stability_intervals"] == dc["stability_intervals"]
    assert da["pareto_front"] == dc["pareto_front"]
    assert [o["acceptability"] for o in da["offerings"]] != [o["acceptability"] for o in dc["offerings"]]


def test_sampling_block_reflects_the_options():
    doc = sens_json("regulated-eu-bank", "--samples", "1500", "--concentration", "7.5", "--seed", "3")
    assert doc["sampling"] == {
        "samples": 1500,
        "seed": 3,
        "concentration": 7.5,
        "order": None,
        "value_uncertainty": False,
    }
    assert any("concentration 7.5" in n for n in doc["notes"])
    # fewer samples: shares are multiples of 1/1500
    for o in doc["offerings"]:
        assert all(abs(x * 1500 - round(x * 1500)) < 1e-3 for x in o["acceptability"])


def test_order_switches_to_uniform_sampling_within_the_order():
    doc = sens_json("regulated-eu-bank", "--order", "capability > monthly_cost")
    assert doc["sampling"]["order"] == ["capability", "monthly_cost"]
    assert doc["sampling"]["concentration"] is None
    assert any("ordered capability > monthly_cost" in n for n in doc["notes"])
    # every sampled weight vector respects the order and leaves the other criteria at 0,
    # so the mean weights under which an offering leads do too
    seen = 0
    for o in doc["offerings"]:
        cw = o["central_weights"]
        if cw is None:
            continue
        seen += 1
        assert cw["capability"] >= cw["monthly_cost"] - 1e-9
        assert cw["capability"] + cw["monthly_cost"] == pytest.approx(1.0, abs=1e-5)
        assert all(v == 0 for c, v in cw.items() if c not in ("capability", "monthly_cost"))
    assert seen >= 1


def test_output_file_and_excel(tmp_path):
    target = tmp_path / "s.json"
    code, out, err = run(
        "sensitivity", "--samples", "500", "--format", "json", "--output", str(target), *FROZEN
    )
    assert code == 0 and out == "", err
    assert target.read_text(encoding="utf-8") == ok(
        "sensitivity", "--samples", "500", "--format", "json", *FROZEN
    )
    plain = ok("sensitivity", "--samples", "500", "--format", "csv", *FROZEN)
    xl = tmp_path / "s.csv"
    code, out, err = run(
        "sensitivity", "--samples", "500", "--format", "csv", "--excel", "--output", str(xl), *FROZEN
    )
    assert code == 0 and out == "", err
    data = xl.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and not plain.startswith("\ufeff")
    assert data[3:].decode("utf-8") == plain


def test_sensitivity_under_topsis_and_weighted_product():
    for method in ("topsis", "weighted-product"):
        doc = sens_json("regulated-eu-bank", "--samples", "500", "--method", method)
        assert doc["method"] == method
        assert (
            doc["offerings"][0]["offering_id"]
            == ranked_ids(rank_json("regulated-eu-bank", "--method", method))[0]
        )
        for s in doc["stability_intervals"]:
            assert s["first"][0] <= s["weight"] <= s["first"][1], (method, s)


# ----------------------------------------------------------------- rank --method


def test_rank_method_flag_sets_the_method_and_changes_the_order():
    orders = {}
    for method in ("weighted-sum", "weighted-product", "topsis"):
        doc = rank_json("regulated-eu-bank", "--method", method)
        assert doc["method"] == method
        orders[method] = ranked_ids(doc)
    assert set(orders["topsis"]) == set(orders["weighted-sum"])  # same gate, other order
    assert orders["weighted-product"] != orders["weighted-sum"]
    assert orders["topsis"] != orders["weighted-sum"]
    assert rank_json("regulated-eu-bank")["method"] == "weighted-sum"  # the default
    table = ok("rank", "--method", "topsis", *FROZEN)
    assert "topsis" in table


def test_method_in_a_priorities_file_is_honoured_and_the_flag_overrides_it(tmp_path):
    p = tmp_path / "p.yaml"
    p.write_text(bank_text("method") + "method: weighted-product\n")
    doc = rank_json(p)
    assert doc["method"] == "weighted-product"
    assert ranked_ids(doc) == ranked_ids(rank_json("regulated-eu-bank", "--method", "weighted-product"))
    over = rank_json(p, "--method", "weighted-sum")
    assert over["method"] == "weighted-sum"
    assert ranked_ids(over) == ranked_ids(rank_json("regulated-eu-bank"))
    assert sens_json(p, "--samples", "200")["method"] == "weighted-product"


# ----------------------------------------------------------------- elicited weights


def test_weight_order_flag_gives_rank_order_centroid_weights():
    doc = rank_json("regulated-eu-bank", "--weight-order", "capability > monthly_cost > compliance")
    w = doc["weights"]
    assert w["capability"] == pytest.approx(0.6111, abs=1e-4)
    assert w["monthly_cost"] == pytest.approx(0.2778, abs=1e-4)
    assert w["compliance"] == pytest.approx(0.1111, abs=1e-4)
    assert sum(v for c, v in w.items() if c not in ("capability", "monthly_cost", "compliance")) == 0
    # the weights replace the preset's: the analysis follows them
    s = sens_json("regulated-eu-bank", "--weight-order", "capability > monthly_cost > compliance")
    assert s["criteria"] == ["monthly_cost", "capability", "compliance"]


def test_weight_order_in_a_priorities_file(tmp_path):
    p = with_weights_block(tmp_path, 'weight_order: "capability > monthly_cost > compliance"\n')
    doc = rank_json(p)
    assert {c: round(v, 4) for c, v in doc["weights"].items() if v} == {
        "capability": 0.6111,
        "monthly_cost": 0.2778,
        "compliance": 0.1111,
    }
    assert any("rank-order centroid" in n for n in doc["notes"])
    # the same ranking as the flag on the preset
    flag = rank_json("regulated-eu-bank", "--weight-order", "capability > monthly_cost > compliance")
    assert ranked_ids(doc) == ranked_ids(flag)


AHP_CONSISTENT = """\
ahp:
  criteria: [capability, monthly_cost, compliance]
  matrix:
    - [1, 1.6667, 2.5]
    - [0.6, 1, 1.5]
    - [0.4, 0.6667, 1]
"""

AHP_INCONSISTENT = """\
ahp:
  criteria: [capability, monthly_cost, compliance]
  matrix:
    - [1, 9, 0.1111]
    - [0.1111, 1, 9]
    - [9, 0.1111, 1]
"""


def test_ahp_in_a_priorities_file(tmp_path):
    p = with_weights_block(tmp_path, AHP_CONSISTENT)
    doc = rank_json(p)
    w = {c: v for c, v in doc["weights"].items() if v}
    assert w == pytest.approx({"capability": 0.5, "monthly_cost": 0.3, "compliance": 0.2}, abs=1e-3)
    assert any("consistency ratio 0.000" in n for n in doc["notes"])
    assert not any("above 0.10" in n for n in doc["notes"])
    assert sens_json(p, "--samples", "200")["criteria"] == ["monthly_cost", "capability", "compliance"]


def test_inconsistent_ahp_ranks_with_a_warning_note(tmp_path):
    p = with_weights_block(tmp_path, AHP_INCONSISTENT)
    code, out, err = run("rank", "--priorities", str(p), *FROZEN)
    assert code == 0, err
    note = next(line for line in out.splitlines() if "consistency ratio" in line and "above" in line)
    assert note.startswith("Note: AHP consistency ratio")
    assert "above 0.10" in note and "revise them" in note
    doc = rank_json(p)
    assert any("above 0.10" in n for n in doc["notes"])
    code, _, err = run("rank", "--priorities", str(p), "--format", "csv", *FROZEN)
    assert code == 0 and "note: AHP consistency ratio" in err


# ----------------------------------------------------------------- explain


def explain(offering: str, *extra: str) -> str:
    return ok("explain", offering, "--priorities", "regulated-eu-bank", *FROZEN, *extra)


def test_explain_runner_up_shows_robustness_and_what_it_would_take():
    ids = ranked_ids(rank_json("regulated-eu-bank"))
    runner_up = ids[1]
    out = explain(runner_up)
    for needle in ("Robustness", "rank acceptability", "stays at rank 2", "What would it take to rank first"):
        assert needle in out
    weights_line = next(line for line in out.splitlines() if line.strip().startswith("weights:"))
    price_line = next(line for line in out.splitlines() if line.strip().startswith("price:"))
    assert "move" in weights_line and "percentage points" in weights_line and "→" in weights_line
    assert "a monthly cost" in price_line and "% lower" in price_line and "would make it first" in price_line
    # its acceptability is the sensitivity report's (same default settings)
    doc = json.loads(ok("sensitivity", "--format", "json", *FROZEN))
    acc = next(o["acceptability"] for o in doc["offerings"] if o["offering_id"] == runner_up)
    shown = dict(re.findall(r"rank (\d+): ([\d.]+)%", out.split("rank acceptability:")[1].splitlines()[0]))
    # both sides are rounded (the text to 0.1 %, the JSON to 0.01 %): they may differ by 0.05 + 0.005
    assert shown and all(
        float(v) == pytest.approx(100 * acc[int(r) - 1], abs=0.056) for r, v in shown.items()
    )
    # each "stays at rank" interval contains the current weight
    section = out.split("stays at rank 2")[1].split("What would it take")[0]
    rows = re.findall(r"^\s+(\w+)\s+([\d.]+)%\s+([\d.]+)% – ([\d.]+)%", section, re.M)
    assert len(rows) == len(doc["criteria"])
    for _, w, lo, hi in rows:
        assert float(lo) <= float(w) <= float(hi)


def test_explain_weight_answer_is_right():
    """Acting on the weight answer exactly as printed makes the runner-up first; short of it, not."""
    runner_up = ranked_ids(rank_json("regulated-eu-bank"))[1]
    out = explain(runner_up)
    weights_line = next(line for line in out.splitlines() if line.strip().startswith("weights:"))
    moves = re.findall(r"(\w+) ([\d.]+)% → ([\d.]+)%", weights_line)
    assert moves
    base = rank_json("regulated-eu-bank")["weights"]
    new = {c: 100 * w for c, w in base.items()}
    for c, a, b in moves:
        assert float(a) == pytest.approx(100 * base[c], abs=0.05)
        new[c] = float(b)  # as printed (the engine asks for a lead, so rounding is safe)
    doc = rank_json("regulated-eu-bank", *[f"--weight={c}={v}" for c, v in new.items()])
    assert next(o["rank"] for o in doc["offerings"] if o["offering_id"] == runner_up) == 1
    # and short of the answer (a third of the shift) it is not first yet
    short = {c: 100 * w for c, w in base.items()}
    for c, a, b in moves:
        short[c] = float(a) + (float(b) - float(a)) / 3
    doc = rank_json("regulated-eu-bank", *[f"--weight={c}={v}" for c, v in short.items()])
    assert next(o["rank"] for o in doc["offerings"] if o["offering_id"] == runner_up) > 1


@pytest.mark.parametrize(("delta", "first"), [(0.0, True), (-5.0, False)])
def test_explain_price_answer_is_right(tmp_path, delta, first):
    runner_up = ranked_ids(rank_json("regulated-eu-bank"))[1]
    out = explain(runner_up)
    price_line = next(line for line in out.splitlines() if line.strip().startswith("price:"))
    cut = float(re.search(r"a monthly cost ([\d.]+)% lower", price_line).group(1))
    p = tmp_path / "p.yaml"
    p.write_text(
        bank_text("price_adjustments")
        + f"price_adjustments:\n  {runner_up}: {{discount_pct: {cut + delta}}}\n"
    )
    leader = ranked_ids(rank_json(p))[0]
    assert (leader == runner_up) is first


def test_explain_dominated_offering_cannot_rank_first():
    doc = sens_json("regulated-eu-bank", "--samples", "100")
    assert doc["dominated"]
    victim, by = next(iter(doc["dominated"].items()))
    out = explain(victim)
    assert "cannot rank first under any weights" in out
    assert f"dominated by {by[0]}" in out
    assert "Robustness" in out and "price:" in out


def test_explain_leader_already_ranks_first():
    leader = ranked_ids(rank_json("regulated-eu-bank"))[0]
    out = explain(leader)
    assert "stays at rank 1" in out
    assert "it already ranks first" in out and "it is already first" in out
    assert "Gap to the leader" not in out


def test_explain_excluded_offering_is_not_analysed():
    doc = rank_json("regulated-eu-bank")
    excluded = next(o["offering_id"] for o in doc["offerings"] if o["status"] == "excluded")
    out = explain(excluded)
    assert "Excluded under priorities" in out
    assert "Robustness: not analysed, the offering is excluded" in out
    assert "What would it take" not in out


def test_explain_under_topsis_says_the_weight_analysis_needs_a_linear_method():
    doc = rank_json("regulated-eu-bank", "--method", "topsis")
    dominated = set(sens_json("regulated-eu-bank", "--samples", "100")["dominated"])
    target = next(i for i in ranked_ids(doc)[1:] if i not in dominated)
    out = explain(target, "--method", "topsis")
    assert "What would it take to rank first" in out
    weights_line = next(line for line in out.splitlines() if line.strip().startswith("weights:"))
    assert "linear in the weights" in weights_line and "topsis is not" in weights_line
    assert "price:" in out  # the price answer is still given


def test_explain_with_a_weight_order_on_the_bank_preset():
    order = "capability > monthly_cost"
    runner_up = ranked_ids(rank_json("regulated-eu-bank", "--weight-order", order))[1]
    code, out, err = run(
        "explain", runner_up, "--priorities", "regulated-eu-bank", "--weight-order", order, *FROZEN
    )
    assert code == 0, err
    assert "What would it take to rank first" in out


# ----------------------------------------------------------------- validate


def test_validate_accepts_the_bundled_presets():
    code, out, err = run("validate", "--vendors", str(VENDORS), "--criteria", str(CRITERIA))
    assert code == 0, err
    assert f"{len(PRESETS)} priorities file(s)" in out
    code, out, err = run("validate", *[str(p) for p in PRESETS])
    assert code == 0, err
    assert f"{len(PRESETS)} priorities file(s) valid" in out


def test_validate_accepts_weight_order_and_ahp_files(tmp_path):
    order = with_weights_block(tmp_path, 'weight_order: "capability > monthly_cost > compliance"\n', "o.yaml")
    ahp = with_weights_block(tmp_path, AHP_CONSISTENT, "a.yaml")
    code, out, err = run("validate", str(order), str(ahp))
    assert code == 0, err
    assert "2 priorities file(s) valid" in out


# ----------------------------------------------------------------- one real process


def test_subprocess_sensitivity(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "engine", "sensitivity", "--samples", "500"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    out = proc.stdout
    assert out.startswith("Sensitivity · priorities: Regulated EU bank")
    assert "500 weight samples, seed 0" in out
    for heading in ("Stability intervals", "Rank acceptability", "Pareto front"):
        assert heading in out
