"""Batch scoring (engine/batch.py) and ``shortlist batch``.

The batch must give, for every priorities file, exactly what ``shortlist rank`` and
``shortlist sensitivity`` give on that file, byte for byte, whatever the scheduler;
a broken file must not stop the others; the serial path must not import Dask.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

import engine
import engine.batch as batch
import engine.mcda.sensitivity.smaa as smaa_module
from engine.batch import _smaa_graph, rank_many, robustness_many, smaa_dask
from engine.mcda.sensitivity.problem import DecisionProblem, RangedCell, Scale
from engine.mcda.sensitivity.report import plan_sensitivity_with
from engine.mcda.sensitivity.smaa import RankAcceptability, SmaaPlan, smaa
from engine.reports.export import sensitivity_json, to_csv, to_json
from tests.conftest import CRITERIA, PRESETS, ROOT, VENDORS, offering_yaml, vendor_yaml
from tests.conftest import run_cli as run

ON = dt.date(2026, 11, 29)
DASK = ("threads", "synchronous")


@pytest.fixture(scope="module")
def data() -> tuple[engine.Catalog, engine.CriteriaCatalog]:
    criteria = engine.load_criteria(CRITERIA)
    return engine.load_catalog([VENDORS], currencies=criteria.currencies()), criteria


def write_priorities(path: Path, base: Path, **changes: Any) -> Path:
    """``base`` (a preset) with top-level entries replaced; ``robustness`` entries are merged."""
    doc = yaml.safe_load(base.read_text(encoding="utf-8"))
    rob = changes.pop("robustness", None)
    doc.update(changes)
    if rob is not None:
        doc["robustness"] = {**doc.get("robustness", {}), **rob}
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    """The three presets with fewer samples (each its own seed), one sampling within an
    order of criteria and one under TOPSIS."""
    d = tmp_path / "priorities"
    d.mkdir()
    out = [
        write_priorities(d / p.name, p, robustness={"samples": 1500, "seed": k})
        for k, p in enumerate(PRESETS)
    ]
    bank = CRITERIA / "presets" / "regulated-eu-bank.yaml"
    order = "compliance > data_residency > capability > monthly_cost"
    out.append(
        write_priorities(d / "bank-order.yaml", bank, robustness={"samples": 1200, "weight_order": order})
    )
    startup = CRITERIA / "presets" / "cost-first-startup.yaml"
    out.append(
        write_priorities(d / "startup-topsis.yaml", startup, method="topsis", robustness={"samples": 900})
    )
    return out


def exports(result: engine.BatchResult) -> list[tuple[bytes, bytes, bytes | None]]:
    out = []
    for item in result.items:
        assert item.ranking is not None, item.issues
        rep = sensitivity_json(item.report, item.ranking) if item.report is not None else None
        out.append((to_csv(item.ranking), to_json(item.ranking), rep))
    return out


def cli_exports(path: Path | str, *extra: str) -> tuple[bytes, bytes, bytes]:
    """What ``shortlist rank`` (CSV, JSON) and ``shortlist sensitivity`` (JSON) print."""
    got = []
    for cmd, fmt in (("rank", "csv"), ("rank", "json"), ("sensitivity", "json")):
        code, out, err = run(cmd, "--priorities", str(path), "--format", fmt, "--on", ON.isoformat(), *extra)
        assert code == 0, err
        got.append(out.encode("utf-8"))
    return got[0], got[1], got[2]


# ----------------------------------------------------------------- same bytes everywhere


def test_serial_and_dask_schedulers_give_the_bytes_of_rank_and_sensitivity(data, files, monkeypatch):
    # about 100 scores per offering a chunk: every file's sampling spans many chunks
    monkeypatch.setattr(smaa_module, "_CHUNK_CELLS", 100 * len(data[0].offerings))
    serial = robustness_many(*data, files, on_date=ON)
    assert serial.ok and serial.scheduler == "serial"
    expected = exports(serial)
    for path, got in zip(files, expected, strict=True):
        assert got == cli_exports(path, "--vendors", str(VENDORS)), path.name  # the catalog of ``data``
    for scheduler in DASK:
        result = robustness_many(*data, files, on_date=ON, scheduler=scheduler)
        assert result.scheduler == scheduler and result.ok
        assert exports(result) == expected, scheduler
    # and what rank_many gives is the ranking alone, the same one
    ranked = rank_many(*data, files, on_date=ON, scheduler="threads")
    assert [item.report for item in ranked.items] == [None] * len(files)
    assert [e[:2] for e in exports(ranked)] == [e[:2] for e in expected]


def test_the_sampling_is_a_chunked_dask_array_in_smaas_own_chunks(data, files, monkeypatch):
    monkeypatch.setattr(smaa_module, "_CHUNK_CELLS", 100 * len(data[0].offerings))
    item = robustness_many(*data, files[:1], on_date=ON).items[0]
    assert item.ranking is not None and item.priorities is not None
    plan = plan_sensitivity_with(item.ranking, item.priorities.robustness)
    draws, _ = _smaa_graph(plan.smaa)
    chunk = smaa_module._CHUNK_CELLS // plan.smaa.problem.n  # samples per chunk, as smaa cuts them
    rest = (1500 % chunk,) if 1500 % chunk else ()
    assert draws.chunks[0] == plan.smaa.chunk_sizes() == (chunk,) * (1500 // chunk) + rest
    assert len(draws.chunks[0]) > 5
    assert draws.shape == (1500, len(plan.smaa.problem.criteria))


def test_dask_runs_one_task_per_file_and_one_per_chunk_in_its_workers(data, files, monkeypatch):
    monkeypatch.setattr(smaa_module, "_CHUNK_CELLS", 100 * len(data[0].offerings))
    calls: dict[str, list[str]] = {"file": [], "chunk": []}

    def spy(kind: str, f: Any) -> Any:
        def wrapped(*args: Any) -> Any:
            calls[kind].append(threading.current_thread().name)
            return f(*args)

        return wrapped

    monkeypatch.setattr(batch, "_analyse", spy("file", batch._analyse))
    monkeypatch.setattr(batch, "_count", spy("chunk", batch._count))
    result = robustness_many(*data, files, on_date=ON, scheduler="threads")
    chunks = 0
    for item in result.items:
        assert item.report is not None
        per_chunk = smaa_module._CHUNK_CELLS // item.report.problem.n
        chunks += -(-item.report.acceptability.samples // per_chunk)
    assert len(calls["file"]) == len(files)
    assert len(calls["chunk"]) == chunks and chunks > 5 * len(files)
    assert threading.main_thread().name not in calls["file"] + calls["chunk"]  # all in Dask's worker threads


def ranged_problem(method: str) -> DecisionProblem:
    rng = np.random.default_rng(3)
    n, m = 30, 4
    U = rng.random((n, m))
    crit = tuple(f"c{j}" for j in range(m))
    ranged = tuple(
        RangedCell(i, j, 0.8 * float(U[i, j]), min(1.0, 1.2 * float(U[i, j])))
        for i in range(0, n, 3)
        for j in (0, 2)
    )
    scales = {c: Scale("linear", 0.0, 1.0) for c in crit}
    w = np.array([0.4, 0.3, 0.2, 0.1])
    return DecisionProblem(tuple(f"o{i:02d}" for i in range(n)), crit, U, w, method, ranged, scales, {})


def assert_same(a: RankAcceptability, b: RankAcceptability) -> None:
    for f in ("acceptability", "central_weights", "confidence", "holistic"):
        x, y = getattr(a, f), getattr(b, f)
        assert x.tobytes() == y.tobytes(), f  # bit for bit (NaN where NaN)


@pytest.mark.parametrize("method", engine.METHODS)
@pytest.mark.parametrize(
    "settings", [{"concentration": 5.0}, {"order": ["c2", "c0", "c1"]}], ids=["dirichlet", "order"]
)
def test_chunked_smaa_on_dask_equals_smaa(method, settings, monkeypatch):
    # with ranged values each chunk draws its weights, then its values, from the one
    # stream: the samples depend on where the chunks end, so the Dask path keeps
    # smaa's chunks and chains the generator's state through them; then the counts,
    # central weights and confidence factors are equal bit for bit
    problem = ranged_problem(method)
    monkeypatch.setattr(smaa_module, "_CHUNK_CELLS", 30 * 85)  # chunks of 85 samples, the last one shorter
    plan = SmaaPlan.make(problem, samples=1000, seed=11, **settings)  # type: ignore[arg-type]
    assert plan.chunk_sizes() == (85,) * 11 + (65,)
    expected = smaa(problem, samples=1000, seed=11, **settings)  # type: ignore[arg-type]
    assert expected.value_uncertainty
    for scheduler in DASK:
        assert_same(smaa_dask(problem, samples=1000, seed=11, scheduler=scheduler, **settings), expected)  # type: ignore[arg-type]


def test_without_ranged_values_the_counts_do_not_depend_on_the_chunks(monkeypatch):
    # no ranged values: the Dirichlet draws come from the stream in the same order in
    # one chunk or many, so the counts equal those of one unchunked run; the central
    # weights are sums in another grouping (equal to rounding)
    problem = dataclasses.replace(ranged_problem("weighted-sum"), ranged=())
    whole = smaa(problem, samples=3000, seed=2)
    assert SmaaPlan.make(problem, samples=3000, seed=2).chunk_sizes() == (3000,)
    monkeypatch.setattr(smaa_module, "_CHUNK_CELLS", 30 * 256)
    chunked = smaa_dask(problem, samples=3000, seed=2, scheduler="threads")
    assert chunked.acceptability.tobytes() == whole.acceptability.tobytes()
    np.testing.assert_allclose(chunked.central_weights, whole.central_weights, rtol=1e-12)
    np.testing.assert_array_equal(chunked.confidence, whole.confidence)


@pytest.fixture
def ranged_files(tmp_path: Path) -> tuple[Path, list[Path]]:
    """A vendors directory whose prices and latencies have ranges, and two priorities files."""
    offerings = ""
    for k in range(6):
        prices = f"input_per_mtok: {1 + k}, output_per_mtok: {2 + k}, currency: USD"
        prices += f", input_per_mtok_low: {0.5 + k}, input_per_mtok_high: {3 + 2 * k}"
        latency = f"ttft_s: {0.4 + k / 10}, ttft_p95_s: {2 + k}, output_tokens_per_s: {60 + 10 * k}"
        extra = f"    prices: {{{prices}}}\n    latency: {{{latency}}}\n"
        one = offering_yaml(f"m{k}-api", inp=None, out=None, capability=30 + 3 * k)
        offerings += one.replace("    as_of:", extra + "    as_of:")
    vendors = tmp_path / "ranged-vendors"
    vendors.mkdir()
    (vendors / "acme.yaml").write_text(vendor_yaml(offerings=offerings), encoding="utf-8")
    base = CRITERIA / "presets" / "cost-first-startup.yaml"
    rob = {"samples": 800, "seed": 5}
    return vendors, [
        write_priorities(tmp_path / "ranged-a.yaml", base, requirements=[], robustness=rob),
        write_priorities(
            tmp_path / "ranged-b.yaml", base, requirements=[], method="weighted-product", robustness=rob
        ),
    ]


def test_ranged_values_through_the_whole_batch(ranged_files, monkeypatch):
    vendors, paths = ranged_files
    criteria = engine.load_criteria(CRITERIA)
    catalog = engine.load_catalog([vendors], currencies=criteria.currencies())
    assert catalog.issues == () and len(catalog.offerings) == 6
    monkeypatch.setattr(smaa_module, "_CHUNK_CELLS", 6 * 64)
    serial = robustness_many(catalog, criteria, paths, on_date=ON)
    assert all(i.report is not None and i.report.problem.ranged for i in serial.items)
    expected = exports(serial)
    assert exports(robustness_many(catalog, criteria, paths, on_date=ON, scheduler="threads")) == expected
    for path, got in zip(paths, expected, strict=True):
        assert got == cli_exports(path, "--vendors", str(vendors))


# ----------------------------------------------------------------- broken files


BROKEN_YAML = "schema_version: 1\nname: broken\nweights: {capability: 1\n"
NEGATIVE_WEIGHT = textwrap.dedent(
    """\
    schema_version: 1
    name: negative
    weights:
      capability: 1
      monthly_cost: -2
    workload: {input_tokens_per_month: 1000000, output_tokens_per_month: 1000, answer_tokens: 300, currency: USD}
    """
)


@pytest.fixture
def mixed(tmp_path: Path) -> list[str]:
    bank = CRITERIA / "presets" / "regulated-eu-bank.yaml"
    (tmp_path / "broken.yaml").write_text(BROKEN_YAML, encoding="utf-8")
    (tmp_path / "negative.yaml").write_text(NEGATIVE_WEIGHT, encoding="utf-8")
    write_priorities(
        tmp_path / "typo.yaml", bank, weights={"capabilty": 1, "compliance": 2}, robustness={"samples": 500}
    )
    nothing = [{"id": "genius", "field": "capability", "op": "min", "value": 1000}]
    write_priorities(tmp_path / "nothing.yaml", bank, requirements=nothing, robustness={"samples": 500})
    write_priorities(tmp_path / "good.yaml", bank, robustness={"samples": 500})
    names = ["good.yaml", "broken.yaml", "negative.yaml", "missing.yaml", "typo.yaml", "nothing.yaml"]
    return [str(tmp_path / n) for n in names] + ["cost-first-startup"]


@pytest.mark.parametrize("scheduler", ["serial", "threads"])
def test_one_broken_file_among_valid_ones(data, mixed, scheduler):
    result = robustness_many(*data, mixed, on_date=ON, criteria_dir=CRITERIA, scheduler=scheduler)
    good, broken, negative, missing, typo, nothing, preset = result.items
    assert not result.ok and [i.source for i in result.items] == mixed
    assert good.ok and preset.ok and good.report is not None and preset.report is not None
    assert preset.file == str(CRITERIA / "presets" / "cost-first-startup.yaml")
    assert good.ranking == engine.rank(*data, good.priorities, on_date=ON)  # type: ignore[arg-type]
    codes = {item.source.rsplit("/", 1)[-1]: [i.code for i in item.issues] for item in result.items}
    assert codes["broken.yaml"] == ["yaml.syntax"]
    assert codes["negative.yaml"] == ["schema.invalid"]
    assert codes["missing.yaml"] == ["io.not_found"]
    assert codes["typo.yaml"] == ["priorities.unknown_criterion"]
    assert codes["nothing.yaml"] == ["sensitivity.no_offerings"]
    for item in (broken, negative, missing, typo, nothing):
        assert all(i.file == item.source for i in item.issues), item.issues
    assert negative.issues[0].line == 5 and typo.issues[0].line is not None  # the line of the weight
    # the ranking under must-haves nobody meets is kept; only its robustness failed
    assert nothing.ranking is not None and nothing.ranking.ranked == () and nothing.report is None
    assert broken.ranking is None and typo.ranking is None and typo.priorities is not None
    # each problem reads as shortlist rank (or sensitivity) prints it, file and line first
    for item, cmd in (
        (broken, "rank"),
        (negative, "rank"),
        (typo, "rank"),
        (missing, "rank"),
        (nothing, "sensitivity"),
    ):
        code, _, err = run(cmd, "--priorities", item.source, "--on", ON.isoformat())
        assert code == 2
        assert str(item.issues[0]).split(": ", 1)[1] in err


def test_the_same_problems_on_every_scheduler(data, mixed):
    serial = robustness_many(*data, mixed, on_date=ON, criteria_dir=CRITERIA)
    synchronous = robustness_many(*data, mixed, on_date=ON, criteria_dir=CRITERIA, scheduler="synchronous")
    assert serial.issues == synchronous.issues and len(serial.issues) == 5


def test_without_criteria_dir_a_preset_name_is_a_missing_file(data):
    item = rank_many(*data, ["cost-first-startup"]).items[0]
    assert [i.code for i in item.issues] == ["io.not_found"] and item.file is None


# ----------------------------------------------------------------- Dask optional


def test_a_dask_scheduler_without_dask_is_a_plain_input_error(data, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "dask", None)  # import dask raises ImportError
    monkeypatch.setitem(sys.modules, "dask.array", None)
    with pytest.raises(engine.InputError) as exc:
        rank_many(*data, ["regulated-eu-bank"], criteria_dir=CRITERIA, scheduler="threads")
    (issue,) = exc.value.issues
    assert issue.code == "usage.missing_dependency"
    assert "pip install 'shortlist[dask]'" in issue.message and "serial" in issue.message
    out_dir = tmp_path / "out"
    code, out, err = run(
        "batch", "regulated-eu-bank", "--scheduler", "processes", "--output-dir", str(out_dir)
    )
    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert err.startswith(
        "usage.missing_dependency [scheduler]: the processes scheduler runs the batch on Dask"
    )
    assert not out_dir.exists()
    # the serial batch needs no Dask
    assert rank_many(*data, ["regulated-eu-bank"], criteria_dir=CRITERIA).ok
    code, _, _ = run("batch", "regulated-eu-bank", "--output-dir", str(out_dir))
    assert code == 0 and (out_dir / "regulated-eu-bank.csv").is_file()


def test_an_unknown_scheduler_is_a_usage_error(data):
    with pytest.raises(engine.InputError) as exc:
        rank_many(*data, ["regulated-eu-bank"], scheduler="gpu")
    assert exc.value.issues[0].code == "usage.invalid" and "threads" in exc.value.issues[0].message
    code, _, err = run("batch", "regulated-eu-bank", "--scheduler", "gpu", "--output-dir", "x")
    assert code == 2 and "invalid choice: 'gpu'" in err


def test_the_serial_path_never_imports_dask(tmp_path):
    script = textwrap.dedent(
        f"""\
        import sys
        import engine
        from engine.cli import main
        assert "dask" not in sys.modules, "import engine imported dask"
        code = main(["batch", "regulated-eu-bank", "cost-first-startup", "--robustness",
                     "--output-dir", {str(tmp_path / "out")!r}])
        engine.robustness_many(engine.load_catalog([{str(VENDORS)!r}]), engine.load_criteria({str(CRITERIA)!r}),
                               ["sovereign-public-admin"], criteria_dir={str(CRITERIA)!r}, scheduler="serial")
        dask = sorted(m for m in sys.modules if m == "dask" or m.startswith("dask."))
        print("dask modules:", dask)
        sys.exit(code or (1 if dask else 0))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "dask modules: []" in proc.stdout
    assert (tmp_path / "out" / "cost-first-startup.sensitivity.json").is_file()


def test_the_processes_scheduler(data, files):
    # the tasks and their results cross process boundaries (pickled)
    serial = robustness_many(*data, files[:2], on_date=ON)
    assert exports(robustness_many(*data, files[:2], on_date=ON, scheduler="processes")) == exports(serial)


def test_a_distributed_client(data, files):
    distributed = pytest.importorskip("distributed")
    serial = robustness_many(*data, files[:3], on_date=ON)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        result = robustness_many(*data, files[:3], on_date=ON, scheduler=client)
    assert result.scheduler == "Client" and exports(result) == exports(serial)


# ----------------------------------------------------------------- the CLI


def summary(out: str) -> dict[str, list[str]]:
    lines = out.split("\n\n")[0].splitlines()  # the coverage warnings follow a blank line
    assert lines[0].split() == ["file", "leader", "score", "ranked", "excluded", "gaps", "status"]
    return {line.split()[0]: line.split()[1:] for line in lines[1:]}


def test_cli_batch_writes_what_rank_and_sensitivity_print(tmp_path):
    names = [p.stem for p in PRESETS]
    out_dir = tmp_path / "out"
    code, out, err = run(
        "batch",
        *names,
        "--robustness",
        "--scheduler",
        "threads",
        "--output-dir",
        str(out_dir),
        "--on",
        ON.isoformat(),
    )
    assert code == 0 and err == ""
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(
        [f"{n}.csv" for n in names] + [f"{n}.sensitivity.json" for n in names]
    )
    rows = summary(out)
    assert list(rows) == names
    for n in names:
        csv_bytes, json_bytes, sens_bytes = cli_exports(n)
        assert (out_dir / f"{n}.csv").read_bytes() == csv_bytes
        assert (out_dir / f"{n}.sensitivity.json").read_bytes() == sens_bytes
        doc = yaml.safe_load(json_bytes)  # JSON is YAML
        ranked = [o for o in doc["offerings"] if o["status"] == "ranked"]
        excluded = [o for o in doc["offerings"] if o["status"] == "excluded"]
        assert rows[n] == [
            ranked[0]["offering_id"],
            f"{ranked[0]['score']:.2f}",
            str(len(ranked)),
            str(len(excluded)),
            str(sum(o["exclusion"] == "evidence gap" for o in excluded)),
            "ok",
        ]
    # --format json: the ranking as shortlist rank --format json, nothing else
    code, _, _ = run(
        "batch", names[0], "--format", "json", "--output-dir", str(tmp_path / "j"), "--on", ON.isoformat()
    )
    assert code == 0 and [p.name for p in (tmp_path / "j").iterdir()] == [f"{names[0]}.json"]
    assert (tmp_path / "j" / f"{names[0]}.json").read_bytes() == cli_exports(names[0])[1]


def test_cli_batch_with_a_broken_file_writes_the_valid_ones_and_exits_2(mixed, tmp_path):
    out_dir = tmp_path / "out"
    code, out, err = run(
        "batch",
        *mixed,
        "--robustness",
        "--output-dir",
        str(out_dir),
        "--on",
        ON.isoformat(),
        "--vendors",
        str(VENDORS),  # the frozen catalog: its 26 offerings are pinned below
    )
    assert code == 2
    rows = summary(out)
    status = {Path(k).name: " ".join(v[5:]) for k, v in rows.items()}
    assert status == {
        "good.yaml": "ok",
        "broken.yaml": "invalid (1 problem)",
        "negative.yaml": "invalid (1 problem)",
        "missing.yaml": "invalid (1 problem)",
        "typo.yaml": "invalid (1 problem)",
        "nothing.yaml": "invalid (1 problem)",
        "cost-first-startup": "ok",
    }
    assert rows[mixed[5]][:4] == ["-", "-", "0", "26"]  # ranked under its must-haves: nothing passes
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "cost-first-startup.csv",
        "cost-first-startup.sensitivity.json",
        "good.csv",
        "good.sensitivity.json",
        "nothing.csv",
    ]
    lines = err.splitlines()
    assert len(lines) == 6 and lines[-1].startswith("5 of 7 priorities file(s) had problems")
    assert lines[1].startswith(f"{mixed[2]}:5:") and "schema.invalid [weights.monthly_cost]" in lines[1]
    assert lines[4].startswith(f"{mixed[5]}: sensitivity.no_offerings")


def test_cli_batch_refuses_two_files_with_one_output_name(tmp_path):
    (tmp_path / "a").mkdir()
    bank = CRITERIA / "presets" / "regulated-eu-bank.yaml"
    mine = write_priorities(tmp_path / "a" / "cost-first-startup.yaml", bank)  # another ranking, same name
    out_dir = tmp_path / "o"
    code, out, err = run(
        "batch", "cost-first-startup", str(mine), "cost-first-startup", "--output-dir", str(out_dir)
    )
    assert code == 2
    statuses = [line.split(None, 6)[-1] for line in out.split("\n\n")[0].splitlines()[1:]]
    assert statuses == ["ok", "invalid (1 problem)", "invalid (1 problem)"]
    lines = err.splitlines()
    assert lines[0].startswith(f"{mine}: usage.invalid: its output files would be named 'cost-first-startup'")
    assert lines[1] == (
        "cost-first-startup: usage.invalid: the same priorities file as 'cost-first-startup', given twice: "
        "it is ranked once"
    )
    # the first one wins and is not overwritten by the second
    assert [p.name for p in out_dir.iterdir()] == ["cost-first-startup.csv"]
    assert (out_dir / "cost-first-startup.csv").read_bytes() == run(
        "rank", "--priorities", "cost-first-startup", "--format", "csv"
    )[1].encode("utf-8")


def test_cli_batch_as_a_subprocess(tmp_path):
    out_dir = tmp_path / "out"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "engine",
            "batch",
            "regulated-eu-bank",
            "sovereign-public-admin",
            "--robustness",
            "--scheduler",
            "threads",
            "--output-dir",
            str(out_dir),
            "--on",
            ON.isoformat(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "" and list(summary(proc.stdout)) == ["regulated-eu-bank", "sovereign-public-admin"]
    assert (out_dir / "sovereign-public-admin.sensitivity.json").read_bytes() == cli_exports(
        "sovereign-public-admin"
    )[2]


def test_cli_batch_with_a_broken_vendor_file_ranks_the_valid_offerings_and_exits_2(write_vendors, tmp_path):
    vendors = write_vendors(
        {
            "acme.yaml": vendor_yaml(offerings=offering_yaml("acme-api") + offering_yaml("acme-eu", inp=3.0)),
            "broken.yaml": "schema_version: 1\nid: broken\nid: again\n",
        }
    )
    out_dir = tmp_path / "out"
    code, out, err = run(
        "batch",
        "cost-first-startup",
        "sovereign-public-admin",
        "--vendors",
        str(vendors),
        "--output-dir",
        str(out_dir),
    )
    assert code == 2
    assert [row[-1] for row in summary(out).values()] == ["ok", "ok"]
    lines = err.splitlines()
    # named from the catalog root, the directory holding the vendors directory
    assert lines[0].startswith(f"{vendors.name}/broken.yaml:3:") and "yaml.duplicate_key" in lines[0]
    assert lines[1] == "1 problem(s) in the vendor files; ranked the valid offerings" and len(lines) == 2
    assert (out_dir / "cost-first-startup.csv").read_bytes() == run(
        "rank", "--priorities", "cost-first-startup", "--vendors", str(vendors), "--format", "csv"
    )[1].encode("utf-8")
