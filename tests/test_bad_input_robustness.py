"""Bad input to the robustness features (sensitivity options, orderings, AHP, the
``robustness:`` section): each is a clear error with exit code 2 that names what was
expected and what was found, with the file and line for a priorities file — never a
traceback."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from engine.cli import main
from tests.conftest import CRITERIA
from tests.conftest import run_cli as run

BANK = CRITERIA / "presets" / "regulated-eu-bank.yaml"


def fails(*args: str) -> str:
    """Run a command that must fail with exit 2 and print nothing on stdout."""
    code, out, err = run(*args)
    assert code == 2, (code, err)
    assert out == ""
    assert err.strip()
    return err


def line_of(p: Path, marker: str) -> int:
    """1-based number of the first line of ``p`` containing ``marker``."""
    return next(n for n, line in enumerate(p.read_text().splitlines(), 1) if marker in line)


def without_top_level(text: str, key: str) -> str:
    """``text`` without the top-level ``key:`` entry (its line and the indented lines
    under it), so that a test can write its own."""
    out: list[str] = []
    skipping = False
    for line in text.splitlines(keepends=True):
        if line.startswith(f"{key}:"):
            skipping = True
            continue
        if skipping and (line.startswith((" ", "\t")) or not line.strip()):
            continue
        skipping = False
        out.append(line)
    return "".join(out)


def bank_text() -> str:
    """The bank preset without its own ``robustness`` and ``method`` settings."""
    return without_top_level(without_top_level(BANK.read_text(), "robustness"), "method")


def bank_with_weights(tmp_path: Path, block: str) -> Path:
    """The bank preset with its ``weights:`` block replaced by ``block``."""
    text = bank_text()
    start, end = text.index("weights:\n"), text.index("workload:")
    p = tmp_path / "p.yaml"
    p.write_text(text[:start] + block + text[end:])
    return p


def bank_plus(tmp_path: Path, extra: str) -> Path:
    """The bank preset with ``extra`` (e.g. a ``robustness:`` section) appended."""
    p = tmp_path / "p.yaml"
    p.write_text(bank_text() + extra)
    return p


# ----------------------------------------------------------------- sensitivity options


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["--concentration", "0"], ["--concentration", "expected a finite number > 0", "found '0'"]),
        (["--concentration", "-1"], ["--concentration", "expected a finite number > 0", "found '-1'"]),
        (["--concentration", "abc"], ["--concentration", "expected a number", "found 'abc'"]),
        (["--concentration", "nan"], ["--concentration", "expected a finite number > 0", "found 'nan'"]),
        (["--samples", "0"], ["--samples", "expected a number ≥ 1", "found 0"]),
        (["--samples", "x"], ["--samples", "expected a whole number", "found 'x'"]),
        (["--seed", "1.5"], ["--seed", "expected a whole number", "found '1.5'"]),
        (["--top-k", "0"], ["--top-k", "expected a number ≥ 1", "found 0"]),
        (["--format", "xml"], ["--format", "invalid choice", "'xml'"]),
    ],
)
def test_bad_sensitivity_option(args, needles):
    err = fails("sensitivity", *args)
    assert err.startswith("shortlist sensitivity: error: argument ")
    assert len(err.strip().splitlines()) == 1
    for n in needles:
        assert n in err


def test_negative_seed_on_the_command_line():
    code, _, err = run("sensitivity", "--samples", "10", "--seed", "-1")
    assert code in (0, 2)
    if code == 2:
        assert "--seed" in err and "-1" in err


def test_negative_seed_in_a_priorities_file(tmp_path):
    p = bank_plus(tmp_path, "robustness: {seed: -1, samples: 10}\n")
    code, _, err = run("sensitivity", "--priorities", str(p))
    vcode, _, verr = run("validate", str(p))
    assert code in (0, 2) and code == vcode, (err, verr)
    if code == 2:
        assert f"{p}:" in err and "robustness.seed" in err


@pytest.mark.parametrize(
    ("extra", "field", "needles"),
    [
        (
            "robustness: {concentration: 0}\n",
            "robustness.concentration",
            ["greater than or equal to 0.01", "found number 0"],
        ),
        (
            "robustness: {samples: 0}\n",
            "robustness.samples",
            ["greater than or equal to 1", "found number 0"],
        ),
        ("robustness: {top_k: 0}\n", "robustness.top_k", ["greater than or equal to 1", "found number 0"]),
        ("robustness: {samples: many}\n", "robustness.samples", ["integer", "many"]),
        ("robustness: {concentration: 5, spread: 2}\n", "robustness.spread", ["spread"]),
    ],
)
@pytest.mark.parametrize("command", ["sensitivity", "rank", "validate"])
def test_bad_robustness_settings_in_a_file(tmp_path, extra, field, needles, command):
    p = bank_plus(tmp_path, extra)
    args = ["validate", str(p)] if command == "validate" else [command, "--priorities", str(p)]
    err = fails(*args)
    assert f"{p}:{line_of(p, 'robustness:')}:" in err
    assert f"[{field}]" in err
    for n in needles:
        assert n in err


# ----------------------------------------------------------------- orderings

ORDERINGS = [
    # (ordering, reason code, key words)
    (
        "capabilty > monthly_cost",
        "elicitation.unknown_criterion",
        ["'capabilty'", "did you mean 'capability'"],
    ),
    (
        "capability > monthly_cost > capability",
        "elicitation.repeated_criterion",
        ["'capability' appears more than once", "positions 1 and 3"],
    ),
    ("capability > > monthly_cost", "elicitation.invalid_order", ["is empty", "expected one criterion id"]),
    (
        "capability = monthly_cost",
        "elicitation.invalid_order",
        ["ties with '=' are not supported", "'>' only"],
    ),
    ("capability < monthly_cost", "elicitation.invalid_order", ["'<' is not supported"]),
]


@pytest.mark.parametrize(("order", "code", "needles"), ORDERINGS)
def test_bad_order_on_the_command_line(order, code, needles):
    err = fails("sensitivity", "--samples", "10", "--order", order)
    assert f"{code} [--order]" in err
    for n in needles:
        assert n in err


@pytest.mark.parametrize(("order", "code", "needles"), ORDERINGS)
def test_bad_weight_order_on_the_command_line(order, code, needles):
    for command in ("rank", "sensitivity", "explain"):
        args = ["explain", "mistral-large-4-api"] if command == "explain" else [command]
        err = fails(*args, "--weight-order", order)
        assert f"{code} [--weight-order]" in err
        for n in needles:
            assert n in err


@pytest.mark.parametrize(("order", "code", "needles"), ORDERINGS)
@pytest.mark.parametrize("command", ["rank", "validate"])
def test_bad_weight_order_in_a_file(tmp_path, order, code, needles, command):
    p = bank_with_weights(tmp_path, f'weight_order: "{order}"\n')
    err = fails(*(["validate", str(p)] if command == "validate" else [command, "--priorities", str(p)]))
    assert f"{p}:{line_of(p, 'weight_order:')}: {code} [weight_order]" in err
    for n in needles:
        assert n in err


@pytest.mark.parametrize(("order", "code", "needles"), ORDERINGS)
@pytest.mark.parametrize("command", ["sensitivity", "validate"])
def test_bad_robustness_weight_order_in_a_file(tmp_path, order, code, needles, command):
    p = bank_plus(tmp_path, f'robustness:\n  weight_order: "{order}"\n')
    err = fails(*(["validate", str(p)] if command == "validate" else [command, "--priorities", str(p)]))
    assert f"{p}:{line_of(p, 'weight_order:')}: {code} [robustness.weight_order]" in err
    for n in needles:
        assert n in err


def test_empty_weight_order():
    err = fails("rank", "--weight-order", "  ")
    assert "elicitation.invalid_order [--weight-order]" in err and "found an empty ordering" in err


def test_empty_weight_order_in_a_file(tmp_path):
    p = bank_with_weights(tmp_path, 'weight_order: ""\n')
    err = fails("validate", str(p))
    assert f"{p}:{line_of(p, 'weight_order:')}:" in err and "[weight_order]" in err and "found text ''" in err


def test_empty_order_on_the_command_line():
    err = fails("sensitivity", "--samples", "10", "--order", "")
    assert "elicitation.invalid_order [--order]" in err and "empty ordering" in err


def test_order_naming_a_criterion_without_weight_samples_it():
    # openness has weight 0 in the bank preset: an order may still bring it into the
    # rank-acceptability sampling (the order sets the criteria sampled)
    out = io.StringIO()
    code = main(
        ["sensitivity", "--samples", "200", "--format", "json", "--order", "openness > capability"],
        out=out,
        err=io.StringIO(),
    )
    assert code == 0
    d = json.loads(out.getvalue())
    assert d["sampling"]["order"] == ["openness", "capability"]
    firsts = [o for o in d["offerings"] if o["central_weights"]]
    assert firsts and all(set(o["central_weights"]) == {"openness", "capability"} for o in firsts)
    assert all(o["central_weights"]["openness"] >= o["central_weights"]["capability"] for o in firsts)


def test_robustness_weight_order_naming_an_unweighted_criterion(tmp_path):
    p = bank_plus(tmp_path, 'robustness:\n  weight_order: "openness > capability"\n')
    code, _, err = run("sensitivity", "--samples", "10", "--priorities", str(p))
    vcode, _, _ = run("validate", str(p))
    assert code == vcode
    if code == 2:
        assert f"{p}:{line_of(p, 'weight_order:')}:" in err


def test_weight_and_weight_order_together():
    err = fails("rank", "--weight", "capability=1", "--weight-order", "capability > monthly_cost")
    assert "usage.invalid" in err and "either --weight or --weight-order, not both" in err


# ----------------------------------------------------------------- AHP


def ahp_block(rows: list[str], criteria: str = "[capability, monthly_cost, compliance]") -> str:
    return f"ahp:\n  criteria: {criteria}\n  matrix:\n" + "".join(f"    - {r}\n" for r in rows)


GOOD_ROWS = ["[1, 2, 3]", "[0.5, 1, 2]", "[0.3333, 0.5, 1]"]

AHP_CASES = [
    # (id, block, [(reason code, field, line marker)], key words)
    (
        "not-reciprocal",
        ahp_block(["[1, 3, 2]", "[0.5, 1, 1]", "[0.5, 1, 1]"]),
        [("elicitation.ahp_not_reciprocal", "ahp.matrix[1][0]", "- [0.5, 1, 1]")],
        ["a[0][1] = 3 but a[1][0] = 0.5", "expected a[1][0] = 1/3"],
    ),
    (
        "non-positive",
        ahp_block(["[1, 0, 2]", "[1, 1, -2]", "[0.5, 1, 1]"]),
        [
            ("elicitation.ahp_non_positive", "ahp.matrix[0][1]", "- [1, 0, 2]"),
            ("elicitation.ahp_non_positive", "ahp.matrix[1][2]", "- [1, 1, -2]"),
        ],
        ["expected a positive finite number", "found a[0][1] = 0", "found a[1][2] = -2"],
    ),
    (
        "wrong-shape",
        ahp_block(["[1, 2, 3]", "[0.5, 1, 2]"]),
        [("elicitation.ahp_shape", "ahp.matrix", "matrix:")],
        ["expected a 3×3 matrix", "found 2 rows"],
    ),
    (
        "ragged-row",
        ahp_block(["[1, 2, 3]", "[0.5, 1]", "[0.3333, 0.5, 1]"]),
        [("elicitation.ahp_shape", "ahp.matrix[1]", "- [0.5, 1]")],
        ["expected 3 entries in row 1", "found 2"],
    ),
    (
        "diagonal",
        ahp_block(["[2, 2, 3]", "[0.5, 1, 2]", "[0.3333, 0.5, 1]"]),
        [("elicitation.ahp_diagonal", "ahp.matrix[0][0]", "- [2, 2, 3]")],
        ["expected 1 on the diagonal", "found a[0][0] = 2"],
    ),
    (
        "repeated-criterion",
        ahp_block(GOOD_ROWS, "[capability, monthly_cost, capability]"),
        [("elicitation.repeated_criterion", "ahp.criteria[2]", "criteria:")],
        ["'capability' appears more than once", "positions 1 and 3"],
    ),
]


@pytest.mark.parametrize(
    ("block", "issues", "needles"), [c[1:] for c in AHP_CASES], ids=[c[0] for c in AHP_CASES]
)
@pytest.mark.parametrize("command", ["rank", "validate"])
def test_bad_ahp_in_a_file(tmp_path, block, issues, needles, command):
    p = bank_with_weights(tmp_path, block)
    err = fails(*(["validate", str(p)] if command == "validate" else [command, "--priorities", str(p)]))
    for code, field, marker in issues:
        assert f"{p}:{line_of(p, marker)}: {code} [{field}]" in err
    for n in needles:
        assert n in err


def test_ahp_unknown_criterion_is_an_error(tmp_path):
    p = bank_with_weights(tmp_path, ahp_block(GOOD_ROWS, "[capabilty, monthly_cost, compliance]"))
    for args in (["rank", "--priorities", str(p)], ["validate", str(p)]):
        err = fails(*args)
        assert f"{p}:" in err and "'capabilty'" in err and "did you mean 'capability'" in err


def test_ahp_unknown_criterion_names_its_code_and_field(tmp_path):
    p = bank_with_weights(tmp_path, ahp_block(GOOD_ROWS, "[capabilty, monthly_cost, compliance]"))
    err = fails("validate", str(p))
    assert f"{p}:{line_of(p, 'criteria:')}: elicitation.unknown_criterion [ahp.criteria[0]]" in err
    assert "in weights" not in err


# ----------------------------------------------------------------- weight sources


@pytest.mark.parametrize(
    ("block", "found"),
    [
        ('weights: {capability: 1}\nweight_order: "capability > monthly_cost"\n', "weights and weight_order"),
        ("weights: {capability: 1}\n" + ahp_block(GOOD_ROWS), "weights and ahp"),
        ('weight_order: "capability > monthly_cost"\n' + ahp_block(GOOD_ROWS), "weight_order and ahp"),
        ("", "none"),
    ],
    ids=["weights+order", "weights+ahp", "order+ahp", "none"],
)
@pytest.mark.parametrize("command", ["rank", "validate"])
def test_exactly_one_weight_source(tmp_path, block, found, command):
    p = bank_with_weights(tmp_path, block)
    err = fails(*(["validate", str(p)] if command == "validate" else [command, "--priorities", str(p)]))
    assert f"{p}:" in err and "schema.invalid" in err
    assert "give exactly one of weights, weight_order or ahp" in err and f"(found {found})" in err


# ----------------------------------------------------------------- weight bounds


@pytest.mark.parametrize(
    ("bounds", "code", "needles"),
    [
        (
            "{capabilty: [0.1, 0.3]}",
            "priorities.unknown_criterion [robustness.weight_bounds.capabilty]",
            ["'capabilty'", "did you mean 'capability'"],
        ),
        (
            "{capability: [0.3, 0.1]}",
            "priorities.invalid_bounds [robustness.weight_bounds.capability]",
            ["0 ≤ low ≤ high ≤ 1", "found [0.3, 0.1]"],
        ),
        (
            "{capability: [0.1, 1.5]}",
            "priorities.invalid_bounds [robustness.weight_bounds.capability]",
            ["0 ≤ low ≤ high ≤ 1", "found [0.1, 1.5]"],
        ),
        (
            "{capability: [-0.1, 0.2]}",
            "schema.invalid [robustness.weight_bounds.capability[0]]",
            ["greater than or equal to 0", "-0.1"],
        ),
        (
            "{capability: [0.1, 0.2, 0.3]}",
            "schema.invalid [robustness.weight_bounds.capability]",
            ["at most 2 items"],
        ),
    ],
    ids=["unknown", "low>high", "above-1", "negative", "three"],
)
@pytest.mark.parametrize("command", ["explain", "sensitivity", "validate"])
def test_bad_weight_bounds(tmp_path, bounds, code, needles, command):
    p = bank_plus(tmp_path, f"robustness:\n  weight_bounds: {bounds}\n")
    args = {
        "explain": ["explain", "vertex-eu-claude-opus-5.5", "--priorities", str(p)],
        "sensitivity": ["sensitivity", "--samples", "10", "--priorities", str(p)],
        "validate": ["validate", str(p)],
    }[command]
    err = fails(*args)
    assert f"{p}:{line_of(p, 'weight_bounds:')}: {code}" in err
    for n in needles:
        assert n in err


def test_weight_bounds_for_an_unweighted_criterion(tmp_path):
    p = bank_plus(tmp_path, "robustness:\n  weight_bounds: {openness: [0, 0.2]}\n")
    code, _, err = run("explain", "vertex-eu-claude-opus-5.5", "--priorities", str(p))
    vcode, _, _ = run("validate", str(p))
    assert code == vcode
    if code == 2:
        assert f"{p}:{line_of(p, 'weight_bounds:')}:" in err


# ----------------------------------------------------------------- other usage


def test_unknown_method():
    for command in ("rank", "sensitivity"):
        err = fails(command, "--method", "foo")
        assert "argument --method: invalid choice: 'foo'" in err
        assert "'weighted-sum', 'weighted-product', 'topsis'" in err


def test_unknown_method_in_a_file(tmp_path):
    p = bank_plus(tmp_path, "method: borda\n")
    err = fails("validate", str(p))
    assert f"{p}:{line_of(p, 'method:')}:" in err and "[method]" in err
    assert "'weighted-sum', 'weighted-product' or 'topsis'" in err and "borda" in err


def test_explain_unknown_offering():
    err = fails("explain", "no-such-offering")
    assert "usage.invalid" in err and "no offering 'no-such-offering'" in err
    err = fails("explain", "mistral-large-4", "--weight-order", "capability > monthly_cost")
    assert "no offering 'mistral-large-4'; did you mean 'mistral-large-4-api'?" in err


def test_excel_without_csv_in_sensitivity():
    err = fails("sensitivity", "--samples", "10", "--format", "json", "--excel")
    assert "--excel applies to --format csv only" in err


# ----------------------------------------------------------------- found by a new user


def test_huge_weights_do_not_overflow():
    # issue 11: weights have a documented finite range (0 to 1e6); 1e308 is refused, the limit ranks
    # (written in plain digits: exponents are outside the one number grammar, engine.catalog.ranges)
    big = "1" + "0" * 308
    code, out, err = run("rank", "--weight", f"compliance={big}", "--weight", f"capability={big}")
    assert code == 2 and out == "" and "weight of 'compliance'" in err and "≤ 1e+06" in err
    code, out, _ = run(
        "rank", "--format", "json", "--weight", "compliance=1000000", "--weight", "capability=1000000"
    )
    assert code == 0
    w = json.loads(out)["weights"]
    # the bank's other weights (100 points in all) are negligible next to 2e6
    assert w["compliance"] == pytest.approx(0.5, rel=1e-4) and w["capability"] == pytest.approx(0.5, rel=1e-4)
    code, out, _ = run(
        "sensitivity", "--samples", "50", "--weight", "compliance=1000000", "--weight", "capability=1000000"
    )
    assert code == 0 and "Rank acceptability" in out


def test_lower_weight_bounds_above_one_are_refused_with_their_line(tmp_path):
    p = bank_plus(
        tmp_path, "robustness:\n  weight_bounds:\n    compliance: [0.6, 0.9]\n    capability: [0.5, 0.9]\n"
    )
    for cmd in (("validate", str(p)), ("rank", "--priorities", str(p))):
        err = fails(*cmd)
        assert f"{p}:{line_of(p, 'weight_bounds:')}:" in err
        assert "priorities.invalid_bounds" in err and "sum to 1.1, above 1" in err


@pytest.mark.parametrize(
    ("field", "value", "needle"),
    [
        ("input_per_mtok", "1.7e308", "less than or equal to 1000000"),
        ("output_tokens_per_s", "1e-320", "greater than or equal to 0.01"),
        ("ttft_s", "1e9", "less than or equal to 3600"),
    ],
)
def test_implausible_vendor_values_are_refused(tmp_path, write_vendors, field, value, needle):
    from tests.conftest import offering_yaml, vendor_yaml

    text = vendor_yaml("acme", offering_yaml("acme-api", ttft=1.0, tps=50.0))
    if field == "input_per_mtok":
        text = text.replace("input_per_mtok: 1.0", f"input_per_mtok: {value}", 1)
    else:
        text = text.replace(f"{field}: {'1.0' if field == 'ttft_s' else '50.0'}", f"{field}: {value}", 1)
    assert value in text
    d = write_vendors({"acme.yaml": text})
    err = fails("validate", str(d))
    assert field in err and needle in err


def test_ahp_warning_reaches_validate_sensitivity_and_explain(tmp_path):
    p = bank_with_weights(
        tmp_path,
        "ahp:\n  criteria: [compliance, capability, monthly_cost]\n"
        "  matrix: [[1, 9, 0.111111], [0.111111, 1, 9], [9, 0.111111, 1]]\n",
    )
    code, _, err = run("validate", str(p))
    assert code == 0 and "warning: AHP consistency ratio" in err and "above 0.10" in err
    code, out, _ = run("sensitivity", "--samples", "50", "--priorities", str(p))
    assert code == 0 and "Note: AHP consistency ratio" in out
    code, out, _ = run("explain", "mistral-large-4-api", "--priorities", str(p))
    assert code == 0 and "Note: AHP consistency ratio" in out


def test_concentration_with_an_order_is_said_to_be_ignored():
    code, _, err = run(
        "sensitivity", "--samples", "50", "--order", "capability > compliance", "--concentration", "5"
    )
    assert code == 0 and "--concentration does not apply" in err
