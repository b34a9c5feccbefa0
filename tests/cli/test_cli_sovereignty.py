"""The sovereignty gate and score through the CLI: rank, explain, check and validate."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

from tests.conftest import CRITERIA, VENDORS, run_cli

PIN = ("--vendors", str(VENDORS), "--criteria", str(CRITERIA), "--on", "2026-12-01")
US = "openai-gpt-6-astra-api"  # operated from the US
EU = "mistral-large-4-api"  # operated from France


def _rank_json(*extra: str) -> dict[str, object]:
    code, out, err = run_cli(
        "rank", "--priorities", "sovereign-public-admin", "--format", "json", *PIN, *extra
    )
    assert code == 0, err
    doc: dict[str, object] = json.loads(out)
    return doc


def test_the_public_admin_preset_gates_on_seal_2_and_names_the_governing_criterion():
    doc = _rank_json()
    offerings = doc["offerings"]
    assert isinstance(offerings, list)
    ranked = [o for o in offerings if o["status"] == "ranked"]
    assert ranked and doc["weights"]["sovereignty"] > 0  # type: ignore[index]
    for o in ranked:  # nothing below SEAL-2 on any objective is ranked
        assert all(ob["seal"] is None or ob["seal"] >= 2 for ob in o["sovereignty"]["objectives"]), o[
            "offering_id"
        ]
    us = next(o for o in offerings if o["offering_id"] == US)
    assert us["status"] == "excluded" and us["exclusion"] == "fails"
    (sov1,) = [q for q in us["requirements"] if q["id"] == "seal2-sov-1"]
    assert sov1["outcome"] == "fail" and "governed by SOV-1.1" in sov1["reason"]
    assert us["sovereignty"]["seal"] == 1 and us["sovereignty"]["governing"] == "SOV-1.1"
    facts = next(a for a in us["sovereignty"]["answers"] if a["criterion"] == "SOV-1.1")["facts"]
    assert facts[0]["field"] == "offering" and facts[0]["sources"] and facts[0]["grade"]
    eu = next(o for o in offerings if o["offering_id"] == EU)
    gates = {q["id"]: q["outcome"] for q in eu["requirements"] if q["id"].startswith("seal2")}
    assert set(gates.values()) <= {"pass", "unknown"}  # gaps, allowed (allow_unknown), not failures


def test_the_score_is_a_criterion_with_its_seal_and_gaps_in_the_note():
    doc = _rank_json()
    us = next(o for o in doc["offerings"] if o["offering_id"] == US)  # type: ignore[attr-defined]
    cell = us["values"]["sovereignty"]
    # gaps remain, so the score is unknown: a range from the answered points to every gap at its best
    assert cell["value"] is None and us["sovereignty"]["score"] > 0
    assert cell["range"] == [us["sovereignty"]["score"], us["sovereignty"]["score_max"]]
    assert "overall SEAL-1 (governed by SOV-1.1)" in cell["note"] and "gaps" in cell["note"]
    code, out, _ = run_cli("rank", "--priorities", "sovereign-public-admin", "--format", "csv", *PIN)
    assert code == 0 and "sovereignty_value" in out.splitlines()[0]


def test_the_table_shows_the_seal_and_explain_every_answer_with_its_evidence():
    code, out, _ = run_cli("rank", "--priorities", "sovereign-public-admin", *PIN)
    assert code == 0 and "SEAL" in out and "governed by SOV-1.1" in out
    code, out, _ = run_cli("explain", US, "--priorities", "sovereign-public-admin", *PIN)
    assert code == 0
    assert "Sovereignty (eucsf-1.2.1, weights guidance-2026): overall SEAL-1, governed by SOV-1.1" in out
    assert 'SOV-1.1 option 2 "Mostly outside the EU"' in out and "fact: offering as of" in out
    assert "Gaps (" in out


def test_the_decision_record_has_a_sovereignty_section(tmp_path: Path):
    rec = tmp_path / "record.md"
    code, _, err = run_cli(
        "rank", "--priorities", "sovereign-public-admin", "--format", "csv", "--record", str(rec), *PIN
    )
    assert code == 0, err
    text = rec.read_text(encoding="utf-8")
    assert "## Sovereignty" in text and "| offering | SEAL | SOV-1 |" in text


def _policy(tmp_path: Path, allow_unknown: bool) -> Path:
    p = tmp_path / "policy.yaml"
    p.write_text(
        textwrap.dedent(
            f"""\
            schema_version: 1
            name: sovereign suppliers
            approved: [{US}, {EU}]
            rules:
              - id: seal-strategic
                severity: deny
                message: SEAL-2 or above on SOV-1
                field: seal.SOV-1
                op: min
                value: 2
                allow_unknown: {str(allow_unknown).lower()}
            """
        ),
        encoding="utf-8",
    )
    return p


def test_check_denies_below_the_minimum_naming_the_criterion(tmp_path: Path):
    args = (
        "--vendors",
        str(VENDORS),
        "--criteria",
        str(CRITERIA),
        "--today",
        "2026-12-01",
        "--format",
        "json",
    )
    code, out, err = run_cli("check", "--policy", str(_policy(tmp_path, True)), *args)
    assert code == 1, err
    found = [f for f in json.loads(out)["findings"] if f.get("rule") == "seal-strategic"]
    bad = [f for f in found if f["offering"] == US]
    assert (
        bad
        and "SOV-1.1" in bad[0]["message"]
        and all(f["offering"] != EU for f in found if f["status"] != "pass")
    )


def test_bad_seal_requirements_are_input_errors(tmp_path: Path):
    base = (CRITERIA / "presets" / "sovereign-public-admin.yaml").read_text(encoding="utf-8")
    for old, new, needle in (
        (
            "field: seal.SOV-1\n    op: min\n    value: 2",
            "field: seal.SOV-1\n    op: min\n    value: 7",
            "SEAL level",
        ),
        ("field: seal.SOV-8", "field: seal.SOV-9", "no objective SOV-9"),
        ("field: seal.SOV-1\n    op: min", "field: seal.SOV-1\n    op: max", "operator 'max'"),
        ("sovereignty_weights: guidance-2026", "sovereignty_weights: guidance", "guidance-2026"),
        (
            "sovereignty_framework: eucsf-1.2.1",
            "sovereignty_framework: c3a",
            "no sovereignty framework 'c3a'",
        ),
    ):
        assert old in base
        p = tmp_path / "p.yaml"
        p.write_text(base.replace(old, new, 1), encoding="utf-8")
        code, _out, err = run_cli("rank", "--priorities", str(p), *PIN)
        assert code == 2 and needle in err and "Traceback" not in err, (new, err)


def test_validate_reports_a_broken_framework_with_file_and_line(tmp_path: Path):
    crit = tmp_path / "criteria"
    shutil.copytree(CRITERIA, crit)
    f = crit / "sovereignty" / "eucsf-1.2.1.yaml"
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("nominal_points: 1000", "nominal_points: 0", 1), encoding="utf-8")
    code, _out, err = run_cli("validate", "--vendors", str(VENDORS), "--criteria", str(crit))
    line = next(i for i, x in enumerate(f.read_text().splitlines(), 1) if x.startswith("nominal_points"))
    assert code == 2 and f"eucsf-1.2.1.yaml:{line}" in err and "nominal_points" in err


def test_validate_checks_a_framework_or_rules_file_given_by_name(tmp_path: Path):
    sov = CRITERIA / "sovereignty"
    code, out, err = run_cli("validate", str(sov / "eucsf-1.2.1.rules.yaml"), "--criteria", str(CRITERIA))
    assert code == 0 and "OK" in out, err
    d = tmp_path / "mine"  # an adaptation outside the criteria directory: checked on its own
    shutil.copytree(sov, d)
    r = d / "eucsf-1.2.1.rules.yaml"
    r.write_text(
        r.read_text(encoding="utf-8").replace("criterion: SOV-6.3", "criterion: SOV-6.9"), encoding="utf-8"
    )
    code, _out, err = run_cli("validate", str(r), "--criteria", str(CRITERIA))
    assert code == 2 and "sovereignty.unknown_criterion" in err and err.count("SOV-6.9") == 1


def test_a_seal_minimum_passing_only_because_unknown_is_allowed_is_flagged_everywhere():
    flag = "SEAL minimum passes only because unknown is allowed: SEAL-2 on all 8 objectives, SOV-1 to SOV-8"
    doc = _rank_json()
    eu = next(o for o in doc["offerings"] if o["offering_id"] == EU)  # type: ignore[attr-defined]
    assert any(r.startswith(flag) and "seal2-sov-1" in r for r in eu["reasons"])
    code, out, _ = run_cli("rank", "--priorities", "sovereign-public-admin", *PIN)
    assert code == 0 and flag in out.split("Flags:", 1)[1]
    code, out, _ = run_cli("rank", "--priorities", "sovereign-public-admin", "--format", "csv", *PIN)
    assert code == 0 and flag in out
    code, out, _ = run_cli("explain", EU, "--priorities", "sovereign-public-admin", *PIN)
    assert code == 0 and flag in out
    # a minimum that does not allow unknown keeps the offering out instead: no such flag
    code, out, _ = run_cli(
        "rank", "--priorities", "sovereign-public-admin", "--format", "json", *PIN, "--top", "50"
    )
    us = next(o for o in json.loads(out)["offerings"] if o["offering_id"] == US)
    assert not any(r.startswith("SEAL minimum passes only") and "SOV-1," in r for r in us["reasons"])


def test_the_seal_flag_names_a_few_objectives_one_by_one_and_all_of_them_in_one_phrase():
    """One readable line on the first screen: "all 8 objectives, SOV-1 to SOV-8 (8
    must-haves, first … last)" when every objective has the minimum; each objective and
    must-have named when a few do."""
    from engine.catalog.schema import RequirementSpec
    from engine.mcda.requirements import RequirementResult
    from engine.mcda.scoring import _seal_allowed_flags

    objectives = [f"SOV-{i}" for i in range(1, 9)]

    def spec(o: str, level: int = 2) -> RequirementSpec:
        rid = f"seal{level}-{o.lower()}"
        return RequirementSpec.model_validate(
            {"id": rid, "field": f"seal.{o}", "op": "min", "value": level, "allow_unknown": True}
        )

    def unknown(sp: RequirementSpec) -> RequirementResult:
        return RequirementResult(sp.id, "unknown", "gaps")

    every = [spec(o) for o in objectives]
    (flag,) = _seal_allowed_flags(every, [unknown(x) for x in every], objectives)
    assert "SEAL-2 on all 8 objectives, SOV-1 to SOV-8 (8 must-haves, seal2-sov-1 … seal2-sov-8)" in flag
    two = [spec("SOV-1"), spec("SOV-4", 3)]
    (flag,) = _seal_allowed_flags(two, [unknown(x) for x in two], objectives)
    assert "SEAL-2 on SOV-1 (seal2-sov-1); SEAL-3 on SOV-4 (seal3-sov-4)" in flag
    seven = every[1:]
    (flag,) = _seal_allowed_flags(seven, [unknown(x) for x in seven], objectives)
    assert (
        "SEAL-2 on SOV-2, SOV-3, SOV-4, SOV-5, SOV-6, SOV-7, SOV-8 (7 must-haves, seal2-sov-2 … seal2-sov-8)"
        in flag
    )
    passed = [RequirementResult(x.id, "pass", "ok") for x in every]
    assert _seal_allowed_flags(every, passed, objectives) == []
