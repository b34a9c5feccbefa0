"""``shortlist init``: scaffold a catalog repository pinned to this Shortlist."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TextIO

from engine._version import __version__
from engine.catalog.bundled import bundled_root
from engine.errors import InputError

_INIT_README = """# AI vendor catalog

Vendor profiles (`vendors/`), criteria, priorities presets and CI policies
(`criteria/`), checked with the Shortlist CLI:

    shortlist validate
    shortlist rank --priorities regulated-eu-bank
    shortlist check --policy criteria/policies/eu-regulated.yaml

The profiles were copied from Shortlist's bundled examples on {day}: keep their
sources and dates up to date, and add your own vendors. Buyers' priorities files go in
`priorities/` (`shortlist validate` checks them too).

CI: `.github/workflows/shortlist.yml`. It installs the Shortlist {version} that wrote this
catalog, from `.shortlist/` (the wheel, pinned by SHA-256 in `.shortlist/requirements.txt`),
never a package found by name. To run another Shortlist, change the one `run:` line of
its "Install Shortlist" step (e.g. to a git URL of your mirror at an exact commit).
"""


PIN_DIR = ".shortlist"
"""Where ``shortlist init`` puts the Shortlist a catalog's CI installs (its wheel and
the hash-pinned requirements files), relative to the catalog root."""


def _write_pinned_shortlist(target: Path) -> None:
    """Write the running Shortlist into ``target/.shortlist/`` as a wheel, with
    ``requirements.txt`` pinning it by SHA-256 and ``dependencies.txt`` listing its
    dependencies (public packages, by version range): the workflow's install step reads
    both, so CI never installs a package found by the name ``shortlist``."""
    import hashlib

    from engine.catalog.bundled import self_wheel, wheel_dependencies

    name, data = self_wheel()
    pin = target / PIN_DIR
    pin.mkdir(parents=True, exist_ok=True)
    (pin / name).write_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    (pin / "requirements.txt").write_text(
        f"# The Shortlist {__version__} this catalog's CI installs: the wheel `shortlist init` wrote\n"
        "# next to this file, pinned by its SHA-256 (pip refuses a changed file). The workflow\n"
        "# installs it with --no-index --no-deps --require-hashes, then dependencies.txt.\n"
        f"{PIN_DIR}/{name} --hash=sha256:{sha}\n",
        encoding="utf-8",
    )
    (pin / "dependencies.txt").write_text(
        f"# What Shortlist {__version__} needs (public packages on the Python Package Index).\n"
        + "".join(f"{d}\n" for d in wheel_dependencies()),
        encoding="utf-8",
    )


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import shutil

    target = Path(args.directory)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InputError.single(
            "usage.invalid",
            f"{target} exists and is not an empty directory; choose a new directory",
            file=str(target),
        )
    src = bundled_root()
    try:
        target.mkdir(parents=True, exist_ok=True)
        shutil.copytree(
            src / "vendors", target / "vendors", ignore=shutil.ignore_patterns("*.py", "__pycache__")
        )
        (target / "criteria").mkdir()
        for name in ("criteria.yaml", "fx.yaml"):
            shutil.copy2(src / "criteria" / name, target / "criteria" / name)
        for sub_dir in ("presets", "policies", "sovereignty"):
            shutil.copytree(src / "criteria" / sub_dir, target / "criteria" / sub_dir)
        (target / ".github" / "workflows").mkdir(parents=True)
        shutil.copy2(
            src / "examples" / "github-workflow.yml", target / ".github" / "workflows" / "shortlist.yml"
        )
        (target / "README.md").write_text(
            _INIT_README.format(day=dt.date.today().isoformat(), version=__version__), encoding="utf-8"
        )
        _write_pinned_shortlist(target)
    except OSError as exc:
        raise InputError.single(
            "io.write_error", f"cannot create the catalog: {exc.strerror or exc}", file=str(target)
        ) from None
    made = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
    print(f"Created a Shortlist catalog in {target} ({len(made)} files):", file=out)
    for m in made:
        print(f"  {m}", file=out)
    print(
        f"Next: cd {target} && shortlist validate && shortlist check --policy criteria/policies/eu-regulated.yaml",
        file=out,
    )
    return 0
