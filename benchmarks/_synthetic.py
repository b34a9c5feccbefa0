"""Synthetic vendor catalogs for the benchmarks: copies of the bundled profiles with new
ids, written as real YAML files. For timing only — every file says it is synthetic (a
leading comment, the vendor name, each offering's notes); it is never real data."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from engine.catalog.yamlio import load_yaml_file

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_VENDORS = ROOT / "vendors"
PRICE_SIGMA = 0.3  # perturbed prices × exp(N(0, 0.3)): about ±30 %
CAPABILITY_SD = 3.0  # perturbed capability index points + N(0, 3), kept in [0, 100]

_PRICE_KEYS = tuple(f"{side}_per_mtok{end}" for side in ("input", "output") for end in ("", "_low", "_high"))
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclasses.dataclass(frozen=True)
class Synthetic:
    """What :func:`synthetic_vendors` wrote."""

    directory: Path
    files: int
    offerings: int
    bytes: int
    digest: str  # SHA-256 over the files' names and bytes: equal digests, equal catalogs


def _perturb(o: dict[str, Any], rng: np.random.Generator) -> str:
    """Scale every price of an offering by one factor (so bounds still bracket it) and
    move its capability; returns what was done, for its notes."""
    factor = float(np.exp(rng.normal(0.0, PRICE_SIGMA)))
    shift = float(rng.normal(0.0, CAPABILITY_SD))
    prices = o.get("prices")
    if prices:
        for key in _PRICE_KEYS:
            if prices.get(key) is not None:
                prices[key] = round(prices[key] * factor, 6)
        for step in prices.get("schedule") or []:
            for key in ("input_per_mtok", "output_per_mtok"):
                step[key] = round(step[key] * factor, 6)
    cap = o.get("capability")
    if cap and cap.get("value") is not None:
        cap["value"] = round(min(100.0, max(0.0, cap["value"] + shift)), 1)
    return f" (prices ×{factor:.3f}, capability {shift:+.1f})"


def synthetic_vendors(
    dest: Path,
    *,
    writer: str,
    files: int | None = None,
    offerings: int | None = None,
    replicas: int = 1,
    seed: int | None = None,
    source: Path = BUNDLED_VENDORS,
) -> Synthetic:
    """Write copies of the bundled vendor profiles into ``dest`` (deterministic).

    Copy ``k`` (0, 1, …) of ``<id>.yaml`` is the vendor ``<id>-synth-<kkk>`` in its own
    file, holding each of the vendor's offerings ``replicas`` times with new ids
    (``<offering>-synth-<kkk>``, or ``…-r<r>`` with several replicas). Copies are written
    until ``files`` files or exactly ``offerings`` offerings exist (give one). With a
    ``seed``, every replica's prices are multiplied by one factor ``exp(N(0,
    PRICE_SIGMA))`` and its capability moved by ``N(0, CAPABILITY_SD)``, so copies rank
    apart; gates (regions, certifications, licences) are unchanged. The profiles are
    read with the engine's strict loader.

    Raises
    ------
    ValueError
        Neither or both of ``files`` and ``offerings``; no offerings in ``source``.
    """
    if (files is None) == (offerings is None):
        raise ValueError("give files or offerings")
    dest.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed) if seed is not None else None
    sources = [(p, load_yaml_file(p).data) for p in sorted(source.glob("*.yaml"))]
    if not any(doc.get("offerings") for _, doc in sources):
        raise ValueError(f"no offerings in {source}")

    def done() -> bool:
        return len(written) >= files if files is not None else n_off >= (offerings or 0)

    written: list[Path] = []
    n_off = 0
    k = 0
    while not done():
        for path, doc in sources:
            if done():
                break
            suffix = f"-synth-{k:03d}"
            vendor = copy.deepcopy(doc)
            vendor["id"] = doc["id"] + suffix
            vendor["name"] = f"{doc['name']} [synthetic copy {k}]"
            kept = []
            for r in range(replicas):
                for off in doc.get("offerings", []):
                    if offerings is not None and n_off >= offerings:
                        break
                    o = copy.deepcopy(off)
                    o["id"] = off["id"] + suffix + (f"-r{r}" if replicas > 1 else "")
                    note = f"SYNTHETIC benchmark copy of {off['id']}" + (_perturb(o, rng) if rng else "")
                    o["notes"] = f"{note}. {o['notes']}" if o.get("notes") else note
                    kept.append(o)
                    n_off += 1
            vendor["offerings"] = kept
            what = "prices and capability perturbed" + f" (seed {seed})" if rng else "facts unchanged"
            head = (
                f"# SYNTHETIC benchmark data, not a real vendor profile: copy {k} of {path.name} from\n"
                f"# Shortlist's bundled vendors/ with new ids, {what}. Written by {writer} for timing only.\n"
            )
            out = dest / f"{vendor['id']}.yaml"
            out.write_text(
                head + yaml.dump(vendor, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000),
                encoding="utf-8",
            )
            written.append(out)
        k += 1
    h = hashlib.sha256()
    for f in sorted(written):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return Synthetic(dest, len(written), n_off, sum(f.stat().st_size for f in written), h.hexdigest())
