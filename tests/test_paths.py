"""Issue 11, kinds 1, 8 and 9: the browser never makes the server open a path; nothing
is substituted silently; the same inputs give the same bytes from any directory.

Kind 1 is structural: a policy's ``priorities:`` is resolved by the adapter's
namespace (``LocalResolver`` for the CLI, ``SessionResolver`` for an upload in the
app), so these tests throw hostile references at both and at the app's Policy page.
"""

from __future__ import annotations

import io
import os
import unicodedata
from pathlib import Path

import pytest

from engine.catalog.loading import LocalResolver, SessionResolver, preset_files
from engine.cli import main
from engine.errors import InputError
from tests.conftest import CRITERIA, ROOT, VENDORS

SECRET = "TOPSECRET-7f3a9c"
BANK = CRITERIA / "presets" / "regulated-eu-bank.yaml"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file on the 'server' that no upload may read, YAML-looking so a loader would
    echo its keys if it ever opened it."""
    f = tmp_path / "secret" / "passwd.yaml"
    f.parent.mkdir()
    f.write_text(f"{SECRET}: root\nweights: {SECRET}\n", encoding="utf-8")
    return f


def hostile_refs(secret: Path) -> list[str]:
    """References an uploaded document must never turn into a file read."""
    rel_from_cwd = os.path.relpath(secret)
    rel_from_presets = os.path.relpath(secret, CRITERIA / "presets")
    rel_from_policies = os.path.relpath(secret, CRITERIA / "policies")
    return [
        str(secret),  # absolute, existing
        str(secret.with_name("missing.yaml")),  # absolute, missing
        "/etc/passwd",
        "/etc/no-such-file-" + SECRET,
        rel_from_cwd,
        rel_from_presets,
        rel_from_policies,
        "../" * 12 + "etc/passwd",
        "~/.ssh/id_rsa",
        "~root/.bashrc",
        "file://" + str(secret),
        "file:///etc/passwd",
        "https://example.org/priorities.yaml",
        "C:\\Windows\\win.ini",
        "..\\..\\..\\etc\\passwd",
        "\\\\server\\share\\p.yaml",
        "regulated-eu-bank\x00.yaml",
        "regulated-eu-bank\n",
        " regulated-eu-bank",
        "presets/regulated-eu-bank",  # a preset name with a slash
        "presets/regulated-eu-bank.yaml",
        "./regulated-eu-bank.yaml",
        "../presets/regulated-eu-bank.yaml",  # a real file, next to the bundled policy
        "criteria/presets/regulated-eu-bank.yaml",  # a real file, relative to the checkout
        str(BANK),  # the preset, by its absolute server path
        ".",
        "..",
        "",
    ]


def after_ref(message: str) -> str:
    """The message without the reference it quotes (the user's own input)."""
    head, sep, tail = message.partition(" is neither")
    assert sep, message
    return head.split("priorities ", 1)[0] + tail


def _session() -> SessionResolver:
    return SessionResolver(preset_files(CRITERIA))


# ----------------------------------------------------------------------------- kind 1: engine


def test_the_session_namespace_names_presets_and_uploads_only(secret, monkeypatch):
    monkeypatch.chdir(ROOT)
    resolver = SessionResolver(preset_files(CRITERIA), {"team.yaml": b"x: 1\n"})
    assert resolver("regulated-eu-bank")[1] == "preset:regulated-eu-bank"
    assert resolver("regulated-eu-bank.yaml") == resolver("regulated-eu-bank")
    assert resolver("team.yaml") == (b"x: 1\n", "upload:team.yaml")
    assert resolver("team") == (b"x: 1\n", "upload:team.yaml")
    for ref in hostile_refs(secret):
        with pytest.raises(InputError) as exc:
            resolver(ref)
        (issue,) = exc.value.issues
        assert issue.code == "policy.priorities_not_found" and issue.field == "priorities"
        rest = after_ref(issue.message)
        assert SECRET not in rest and str(CRITERIA) not in rest and "/" not in rest
        assert issue.file is None


def test_the_session_namespace_never_touches_the_file_system(secret, monkeypatch):
    """Existing and missing files give the same message (the reference itself aside):
    nothing tells which server files exist."""
    monkeypatch.chdir(ROOT)
    resolver = _session()
    messages = set()
    for ref in (str(secret), str(secret.with_name("nope.yaml")), "/etc/passwd", "/etc/nope", str(BANK)):
        with pytest.raises(InputError) as exc:
            resolver(ref)
        messages.add(after_ref(exc.value.issues[0].message))
    assert len(messages) == 1, messages


def test_a_long_reference_is_cut_short_in_the_message():
    with pytest.raises(InputError) as exc:
        _session()("x" * 5000)
    assert len(exc.value.issues[0].message) < 600


def test_the_local_namespace_keeps_a_document_inside_its_catalog(tmp_path, secret):
    catalog = tmp_path / "catalog"
    (catalog / "policies").mkdir(parents=True)
    (catalog / "buyers").mkdir()
    (catalog / "buyers" / "mine.yaml").write_bytes(BANK.read_bytes())
    policy = catalog / "policies" / "p.yaml"
    resolver = LocalResolver(CRITERIA, policy)
    assert resolver("../buyers/mine.yaml")[0] == BANK.read_bytes()
    assert resolver("regulated-eu-bank")[0] == BANK.read_bytes()
    # a symbolic link inside the catalog that points out of it is refused
    (catalog / "buyers" / "link.yaml").symlink_to(secret)
    for ref in ["../buyers/link.yaml", *hostile_refs(secret)]:
        if ref in ("presets/regulated-eu-bank", "presets/regulated-eu-bank.yaml"):
            continue
        with pytest.raises(InputError) as exc:
            resolver(ref)
        assert exc.value.issues[0].code == "policy.priorities_not_found"
        assert SECRET not in after_ref(exc.value.issues[0].message)


# ----------------------------------------------------------------------------- kind 1: CLI


def _policy(tmp_path: Path, ref: str, name: str = "p.yaml") -> Path:
    import json

    p = tmp_path / "catalog" / "policies" / name  # its catalog: tmp_path/catalog
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(
        f"schema_version: 1\nname: probe\npriorities: {json.dumps(ref)}\nmin_score: {{score: 1}}\n",
        encoding="utf-8",
    )
    return p


@pytest.mark.parametrize("ref", ["/etc/passwd", "~/.bashrc", "file:///etc/passwd", "C:\\x.yaml", "a\x00b"])
def test_cli_check_refuses_a_policy_naming_a_path_outside_the_catalog(tmp_path, ref):
    err = io.StringIO()
    code = main(
        ["check", "--policy", str(_policy(tmp_path, ref)), "--today", "2026-11-29"], io.StringIO(), err
    )
    assert code == 2
    # refused as a reference, or before that as text no document may hold (a NUL)
    refused = ("policy.priorities_not_found", "text.invalid_character")
    assert any(c in err.getvalue() for c in refused) and "Traceback" not in err.getvalue()
    assert ":3: " in err.getvalue()  # at the line of priorities:


def test_cli_check_reads_a_secret_through_no_spelling(tmp_path, secret, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for ref in hostile_refs(secret)[:12]:
        err = io.StringIO()
        code = main(
            ["check", "--policy", str(_policy(tmp_path, ref)), "--today", "2026-11-29"], io.StringIO(), err
        )
        assert code == 2
        assert SECRET not in after_ref(err.getvalue()), ref


# ----------------------------------------------------------------------------- kind 1: the app


def _upload_policy(monkeypatch, ref: str, extra: list[tuple[str, bytes]] | None = None):
    import json

    from tests.test_app import page, start

    at = page(start(monkeypatch), "policy")
    at.selectbox(key="p_policy").set_value("(upload a policy file)").run()
    if extra:
        at.file_uploader(key="policy_priorities_upload").set_value(
            [(n, b, "application/x-yaml") for n, b in extra]
        ).run()
    body = f"schema_version: 1\nname: probe\npriorities: {json.dumps(ref)}\nmin_score: {{score: 1}}\n"
    at.file_uploader(key="policy_upload").set_value(("evil.yaml", body.encode(), "application/x-yaml")).run()
    assert not at.exception, at.exception
    return at


def _shown(at) -> str:
    parts = [e.value for e in (*at.error, *at.warning, *at.info, *at.markdown, *at.caption)]
    parts += [str(t.value) for t in at.table] + [str(d.value) for d in at.dataframe]
    return "\n".join(parts)


def test_app_an_uploaded_policy_cannot_read_a_server_file(monkeypatch, secret):
    monkeypatch.chdir(ROOT)
    messages = set()
    for ref in hostile_refs(secret):
        at = _upload_policy(monkeypatch, ref)
        shown = _shown(at)
        assert at.error, ref
        first = at.error[0].value
        if "schema.invalid [priorities]" in first or "text.invalid_character" in first:  # refused already
            assert SECRET not in shown.replace(repr(ref), "") and "root:" not in shown
            continue
        assert "policy.priorities_not_found" in at.error[0].value, (ref, at.error[0].value)
        rest = after_ref(shown)
        assert SECRET not in rest and "root:" not in rest, ref  # nothing of the file
        assert str(ROOT) not in rest and "criteria/" not in rest  # no server path
        messages.add(after_ref(at.error[0].value))
    # existing and missing files, absolute or relative: one message
    assert len(messages) == 1, messages


def test_app_an_uploaded_policy_names_a_preset_or_a_file_uploaded_with_it(monkeypatch):
    at = _upload_policy(monkeypatch, "cost-first-startup")
    assert not at.error and "checked under Cost-first start-up" in at.markdown[0].value
    mine = BANK.read_text().replace("name: Regulated EU bank", "name: Our uploaded bank", 1).encode()
    at = _upload_policy(monkeypatch, "ours.yaml", [("ours.yaml", mine)])
    assert not at.error and "checked under Our uploaded bank" in at.markdown[0].value
    at = _upload_policy(monkeypatch, "ours", [("ours.yaml", mine)])
    assert not at.error and "Our uploaded bank" in at.markdown[0].value


# ----------------------------------------------------------------------------- kind 8: CLI


@pytest.mark.parametrize(
    "argv",
    [
        ["rank", "--vendors", "a", "--vendors", "b"],
        ["rank", "--criteria", str(CRITERIA), "--criteria", str(CRITERIA)],
        ["rank", "--priorities", "regulated-eu-bank", "--priorities", "cost-first-startup"],
        ["rank", "--format", "csv", "--format", "json"],
        ["rank", "--excel", "--excel"],
        ["rank", "--on", "2026-11-29", "--on=2026-11-30"],
        ["explain", "x", "--method", "topsis", "--method", "weighted-sum"],
        ["sensitivity", "--seed", "1", "--seed", "2"],
        ["check", "--policy", "eu-regulated", "--policy", "eu-regulated"],
        ["check", "--policy", "eu-regulated", "--fail-on", "warn", "--fail-on", "deny"],
        ["diff", "--base", "HEAD", "--base", "HEAD~1"],
        ["batch", "cost-first-startup", "--output-dir", "a", "--output-dir", "b"],
        ["prices", "check", "--tolerance", "5", "--tolerance", "9"],
        ["import", "genai-prices", "--output", "a", "--output", "b"],
        ["schema", "vendor", "--output", "a", "--output", "b"],
    ],
)
def test_cli_refuses_a_single_valued_option_given_twice(argv, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    err = io.StringIO()
    assert main(argv, io.StringIO(), err) == 2
    assert "given more than once" in err.getvalue(), err.getvalue()
    assert list(tmp_path.iterdir()) == []  # nothing ran


def test_cli_a_repeatable_option_still_repeats_but_not_for_one_key():
    out, err = io.StringIO(), io.StringIO()
    assert main(["rank", "--weight", "capability=50", "--weight", "monthly_cost=10"], out, err) == 0
    err = io.StringIO()
    assert main(["rank", "--weight", "capability=50", "--weight", "capability=10"], io.StringIO(), err) == 2
    assert "'capability' twice" in err.getvalue()


@pytest.mark.parametrize(
    ("names", "args"),
    [
        (["Team.yaml", "team.yaml"], []),
        (["team.yaml", "TEAM.yml"], []),
        (["a.yaml", "a.sensitivity.yaml"], ["--robustness", "--format", "json"]),
        (["caf\u00e9.yaml", "cafe\u0301.yaml"], []),  # NFC and NFD: one file on macOS
        (["stra\u00dfe.yaml", "STRASSE.yaml"], []),
        (["\u212a.yaml", "k.yaml"], []),  # KELVIN SIGN folds to k
        (["CAF\u00c9.yaml", "cafe\u0301.yaml"], []),  # case and normal form at once
    ],
)
def test_cli_batch_refuses_output_names_that_collide_in_any_case(tmp_path, names, args):
    out_dir = tmp_path / "out"
    paths = []
    for k, n in enumerate(names):
        d = tmp_path / f"d{k}"
        d.mkdir()
        paths.append(str(d / n))
        (d / n).write_bytes(BANK.read_bytes())
    err = io.StringIO()
    code = main(["batch", *paths, "--output-dir", str(out_dir), *args], io.StringIO(), err)
    assert code == 2
    assert "usage.invalid" in err.getvalue() and "overwrite" in err.getvalue()
    written = sorted(p.name for p in out_dir.iterdir())
    assert len({unicodedata.normalize("NFC", w).casefold() for w in written}) == len(written)
    stem = Path(names[0]).stem
    assert all(w.startswith(stem) for w in written)  # only the first one's outputs


def test_cli_explain_and_compare_refuse_an_unknown_id():
    for argv in (["explain", "no-such-offering"], ["compare", "mistral-large-4-api", "no-such-offering"]):
        err = io.StringIO()
        assert main(argv, io.StringIO(), err) == 2
        assert "no-such-offering" in err.getvalue() and "Traceback" not in err.getvalue()


# ----------------------------------------------------------------------------- kind 8: the app


@pytest.mark.parametrize("name", ["no-such-policy", "../eu-regulated", "eu-regulated.yaml\n", "EU-REGULATED"])
def test_app_a_link_to_an_unknown_policy_checks_nothing_and_says_so(monkeypatch, name):
    from tests.test_app import page, start

    at = page(start(monkeypatch, query={"policy": name}), "policy")
    assert at.selectbox(key="p_policy").value is None
    assert "export_policy_json" not in at.session_state
    msg = at.error[0].value
    from engine.reports.escape import streamlit_markdown

    assert streamlit_markdown(repr(name)) in msg and "nothing was checked" in msg  # as Markdown source
    assert not any("passes" in m.value for m in at.markdown)
    at.selectbox(key="p_policy").set_value("eu-regulated").run()  # the user chooses: it runs
    assert not at.error and "export_policy_json" in at.session_state


def test_app_a_link_to_an_unknown_offering_says_what_is_shown_instead(monkeypatch):
    from tests.test_app import page, start

    at = page(start(monkeypatch, query={"wwit": "no-such-offering"}), "robustness")
    assert any("'no-such-offering'" in w.value and "instead" in w.value for w in at.warning)


def test_app_an_upload_of_the_same_name_says_it_replaced_the_earlier(monkeypatch):
    from tests.conftest import vendor_yaml
    from tests.test_app import page, start

    at = page(start(monkeypatch), "catalog")
    one, two = vendor_yaml("newco").encode(), vendor_yaml("newco").encode() + b"# changed\n"
    at.file_uploader[0].set_value(("newco.yaml", one, "application/x-yaml")).run()
    assert not any("replaced" in w.value for w in at.warning)
    at.file_uploader[0].set_value(("newco.yaml", two, "application/x-yaml")).run()
    assert any("newco.yaml replaced the earlier upload" in w.value for w in at.warning)


# ----------------------------------------------------------------------------- kind 9


def _catalog(tmp_path: Path) -> Path:
    """A catalog repository: vendors/, criteria/ (presets, policies) and priorities/."""
    import shutil

    cat = tmp_path / "cat"
    shutil.copytree(VENDORS, cat / "vendors")
    shutil.copytree(CRITERIA, cat / "criteria")
    (cat / "priorities").mkdir()
    (cat / "priorities" / "team.yaml").write_bytes(BANK.read_bytes())
    return cat


def _run_in(cwd: Path, monkeypatch, argv: list[str]) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out, err)
    return code, out.getvalue(), err.getvalue()


COMMANDS = [
    ["rank", "--on", "2026-11-29", "--format", "json"],
    ["rank", "--on", "2026-11-29", "--format", "csv"],
    ["rank", "--on", "2026-11-29", "--priorities", "{cat}/priorities/team.yaml", "--record", "{out}/r.md"],
    ["compare", "mistral-large-4-api", "mistral-small-4-api", "--on", "2026-11-29", "--format", "json"],
    ["compare", "mistral-large-4-api", "mistral-small-4-api", "--on", "2026-11-29", "--format", "markdown"],
    ["explain", "mistral-large-4-api", "--on", "2026-11-29"],
    ["sensitivity", "--on", "2026-11-29", "--samples", "500", "--format", "json"],
    *(
        [
            "check",
            "--policy",
            "{cat}/criteria/policies/eu-regulated.yaml",
            "--today",
            "2026-11-29",
            "--format",
            f,
        ]
        for f in ("text", "json", "sarif", "junit", "github")
    ),
    ["check", "--policy", "eu-regulated", "--today", "2026-11-29", "--format", "json"],
    ["diff", "--base-vendors", "{cat}/vendors", "--on", "2026-11-29", "--policy", "eu-regulated"],
    ["prices", "check", "--on", "2026-11-29", "--format", "json"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: "-".join(a[:1] + a[-1:]))
def test_same_inputs_same_bytes_from_any_working_directory(tmp_path, monkeypatch, argv):
    """The catalog typed relative from its root, absolute from elsewhere, and through
    ``..`` from a sibling: one output (records and reports name files from the
    catalog root)."""
    cat = _catalog(tmp_path)
    elsewhere = tmp_path / "else" / "deep"
    elsewhere.mkdir(parents=True)
    runs = []
    for k, (cwd, base) in enumerate(((cat, "."), (elsewhere, str(cat)), (elsewhere, "../../cat"))):
        out_dir = tmp_path / f"out{k}"
        out_dir.mkdir()
        args = [a.replace("{cat}", base).replace("{out}", str(out_dir)) for a in argv]
        args += ["--vendors", f"{base}/vendors"]
        args += [] if argv[0] == "prices" else ["--criteria", f"{base}/criteria"]
        code, out, err = _run_in(cwd, monkeypatch, args)
        assert code in (0, 1), err
        record = (out_dir / "r.md").read_text(encoding="utf-8") if (out_dir / "r.md").exists() else ""
        runs.append((out, record))
    assert runs[0] == runs[1] == runs[2]
    text = runs[0][0] + runs[0][1]
    assert str(tmp_path) not in text and "../" not in text
    if "--record" in argv:
        assert "| vendors/openai.yaml |" in runs[0][1] and "| priorities/team.yaml |" in runs[0][1]
        assert "| criteria/fx.yaml |" in runs[0][1]


def test_the_bundled_catalog_gives_one_record_from_its_checkout_and_from_elsewhere(tmp_path, monkeypatch):
    """With no --vendors/--criteria: ./vendors in the checkout, the bundled one elsewhere
    (the same files): the same record, where before the names depended on the cwd."""
    records = []
    for k, cwd in enumerate((ROOT, tmp_path)):
        target = tmp_path / f"r{k}.md"
        code, _, err = _run_in(cwd, monkeypatch, ["rank", "--on", "2026-11-29", "--record", str(target)])
        assert code == 0, err
        records.append(target.read_bytes())
    assert records[0] == records[1]
    assert b"| vendors/openai.yaml |" in records[0] and b"| criteria/criteria.yaml |" in records[0]


def test_a_record_is_the_same_from_a_subprocess_in_another_directory(tmp_path):
    import subprocess
    import sys

    cat = _catalog(tmp_path)
    (tmp_path / "x").mkdir()
    outs = []
    for k, (cwd, base) in enumerate(((cat, "."), (tmp_path / "x", "../cat"))):
        rec = tmp_path / f"s{k}.md"
        argv = [
            "rank",
            "--on",
            "2026-11-29",
            "--vendors",
            f"{base}/vendors",
            "--criteria",
            f"{base}/criteria",
        ]
        proc = subprocess.run(
            [sys.executable, "-m", "engine", *argv, "--record", str(rec), "--format", "json"],
            cwd=cwd,
            capture_output=True,
            check=False,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert proc.returncode == 0, proc.stderr
        outs.append((proc.stdout, rec.read_bytes()))
    assert outs[0] == outs[1]


@pytest.mark.parametrize(
    ("param", "said"),
    [
        ("mistral-large-4-api,no-such,mistral-small-4-api", "left out of the comparison: no-such"),
        ("mistral-large-4-api,mistral-large-4-api,mistral-small-4-api", "named more than once"),
        (
            "mistral-large-4-api,mistral-small-4-api,openai-gpt-6-luna-api,"
            "azure-openai-gpt-6-luna-eu-datazone,aleph-alpha-phariaai-private",
            "left out: aleph-alpha-phariaai-private",
        ),
    ],
)
def test_app_a_compare_link_says_what_it_did_not_use(monkeypatch, param, said):
    from tests.test_app import page, start

    at = page(start(monkeypatch, query={"compare": param}), "compare")
    assert any(said in w.value for w in at.warning), [w.value for w in at.warning]


def test_app_an_upload_with_a_bundled_vendor_id_is_refused_by_name(monkeypatch):
    from tests.test_app import page, start

    at = page(start(monkeypatch), "catalog")
    raw = (VENDORS / "mistral-ai.yaml").read_bytes()
    at.file_uploader[0].set_value(("my-mistral.yaml", raw, "application/x-yaml")).run()
    msg = next(e.value for e in at.error if "my-mistral.yaml" in e.value)
    assert "was not loaded" in msg and "catalog.duplicate_id" in msg
    assert "vendors/mistral-ai.yaml" in msg  # names the bundled file it collides with
