"""The app's state: what the widgets hold, as plain data (no Streamlit here).

The browser app keeps one flat mapping of widget keys to values (Streamlit's session
state). This module says what those keys are, fills them from a preset, turns them into
a :class:`~engine.catalog.schema.PrioritiesFile` (the same object ``shortlist rank
--priorities`` loads), and writes them to and reads them from the URL's query
parameters, so that a link restores the view exactly.

Keys
----
``preset``
    Preset file stem (``regulated-eu-bank``).
``mode``
    How the weights are given: ``direct`` (sliders), ``order`` (rank the criteria:
    rank-order-centroid weights, Barron & Barrett 1996) or ``ahp`` (pairwise
    comparisons, Saaty 1980).
``method``
    Aggregation method (``weighted-sum``, ``weighted-product``, ``topsis``).
``w_<criterion>``
    Slider weight, integer 0–100 (any scale: normalised in scoring).
``order``
    Criteria from most to least important (``mode: order``).
``ahp_criteria`` and ``ahp_<a>__<b>``
    The compared criteria and one judgement per pair (``a`` before ``b`` in catalog
    order): an integer ``s`` from -8 to 8 on Saaty's 1–9 scale, ``s ≥ 0`` meaning
    ``a`` is ``s + 1`` times as important as ``b``, ``s < 0`` meaning ``b`` is
    ``1 - s`` times as important as ``a``. A preset's AHP matrix is rounded to this
    integer scale.
``in_m``, ``out_m``, ``answer``, ``currency``
    Workload: millions of input and output tokens per month, typical answer length in
    tokens, the buyer's currency.
``allowed``, ``trusted``, ``wanted``
    Allowed processing regions, trusted jurisdictions, wanted certifications.
``held``
    Certifications the buyer's own infrastructure holds (``buyer_certifications``:
    self-hosted offerings are judged on them); empty = not declared.
``req_<requirement id>``
    Whether each of the preset's must-haves is on.
``must_region``, ``must_trusted``, ``must_open``, ``must_certs``, ``budget``
    The app's own must-haves (processing in the allowed regions, developer and
    operator in trusted jurisdictions, open weights only, required certifications,
    monthly budget in the buyer's currency, 0 = none).
``seal_min_<objective>``, ``seal_unknown``
    The minimum SEAL per sovereignty objective (``seal_min_SOV-2``: 0–4, ``None`` = no
    minimum) and whether an objective whose unanswered criteria could still be below it
    passes (``allow_unknown``); they become ``seal.<objective> min`` must-haves, as a
    priorities file writes them (:func:`seal_minimums`).
``samples``, ``concentration``, ``seed``
    Robustness sampling settings (they travel with the exported priorities).
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
import unicodedata
from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import Any

import pycountry

import engine
from engine import METHODS, CriteriaCatalog, InputError, PrioritiesFile, elicited_weights
from engine.catalog.dates import parse_date
from engine.catalog.ranges import parse_decimal, parse_integer
from engine.catalog.schema import CERTIFICATION_IDS, REGION_GROUPS, RequirementSpec
from engine.catalog.sovereignty import SEAL_MAX
from engine.catalog.text import char_name
from engine.mcda.requirements import seal_objective
from ui.plain import echoed

MODES = ("direct", "order", "ahp")
MODE_LABELS = {
    "direct": "Weights (sliders)",
    "order": "Rank the criteria",
    "ahp": "Pairwise comparisons (AHP)",
}
SAATY_MAX = 9

# the app's own must-haves: key → (requirement id, field, op, message)
APP_MUSTS = {
    "must_region": (
        "app-region",
        "processing_regions",
        "within",
        "Processing possible in the allowed regions",
    ),
    "must_trusted": ("app-developer", "developer_hq", "in", "Developer in a trusted jurisdiction"),
    "must_open": ("app-open-weights", "open_weights", "equals", "Open weights"),
    "must_certs": ("app-certifications", "certifications", "includes_all", "Required certifications"),
    "budget": ("app-budget", "monthly_cost", "max", "Within the monthly budget"),
}

_LISTS = ("allowed", "trusted", "wanted", "held", "must_certs", "order", "ahp_criteria")
SEAL_PREFIX = "seal_min_"
"""Session key prefix of a minimum SEAL (``seal_min_SOV-2``)."""
SEAL_UNKNOWN = "seal_unknown"
"""Session key: whether an objective still unknown passes its minimum SEAL."""
_BOOLS = ("must_region", "must_trusted", "must_open", SEAL_UNKNOWN)
_SEAL_ITEM = re.compile(r"(SOV-[1-9][0-9]?):([0-9])")


def seal_key(objective: str) -> str:
    """Session key of the minimum SEAL of ``objective`` (``seal_min_SOV-2``)."""
    return f"{SEAL_PREFIX}{objective}"


def seal_minimums(preset: PrioritiesFile) -> dict[str, RequirementSpec]:
    """The preset's must-haves the sidebar's minimum-SEAL widgets stand for.

    Returns
    -------
    dict
        Objective id → the first ``seal.<objective>`` ``min`` rule of that objective whose
        value is a SEAL level 0–4, in the preset's order. A ``seal`` rule (every
        objective) and any further rule on an objective stay checkboxes of their own.
    """
    out: dict[str, RequirementSpec] = {}
    for r in preset.requirements:
        obj = seal_objective(r.field)
        level = r.value
        if obj and r.op == "min" and obj not in out and type(level) is int and 0 <= level <= SEAL_MAX:
            out[obj] = r
    return out


def checkbox_requirements(preset: PrioritiesFile) -> list[RequirementSpec]:
    """The preset's must-haves shown as on/off checkboxes: all but :func:`seal_minimums`."""
    managed = [id(r) for r in seal_minimums(preset).values()]
    return [r for r in preset.requirements if id(r) not in managed]


def _seal_requirements(
    s: Mapping[str, Any], preset: PrioritiesFile, names: Mapping[str, str]
) -> tuple[dict[str, RequirementSpec | None], list[RequirementSpec]]:
    """The minimum-SEAL must-haves ``s`` describes: for each of the preset's own (by
    objective) the rule to put in its place (``None``: the minimum was removed), and the
    rules on objectives the preset has none for (in objective order).

    A preset's rule whose minimum and ``allow_unknown`` are unchanged is kept as it is
    (same id and message: the preset's ranking and record stay the same); a changed one
    becomes ``app-seal-<objective>`` keeping the preset rule's ``min_grade``."""
    mine = seal_minimums(preset)
    unknown = bool(s.get(SEAL_UNKNOWN, True))
    wanted = {
        k.removeprefix(SEAL_PREFIX): int(v)
        for k, v in s.items()
        if k.startswith(SEAL_PREFIX) and v is not None
    }

    def spec(obj: str, level: int, base: RequirementSpec | None) -> RequirementSpec:
        name = f" ({names[obj]})" if obj in names else ""
        data = {
            "id": f"app-seal-{obj.lower()}",
            "field": f"seal.{obj}",
            "op": "min",
            "value": level,
            "min_grade": base.min_grade if base else None,
            "allow_unknown": unknown,
            "message": f"SEAL-{level} or above on {obj}{name}",
        }
        return RequirementSpec.model_validate(data, strict=False)

    replaced: dict[str, RequirementSpec | None] = {}
    for obj, r in mine.items():
        level = wanted.get(obj)
        if level is None:
            replaced[obj] = None
        elif level == r.value and unknown == r.allow_unknown:
            replaced[obj] = r
        else:
            replaced[obj] = spec(obj, level, r)
    order = sorted((o for o in wanted if o not in mine), key=lambda o: int(o.removeprefix("SOV-")))
    return replaced, [spec(o, wanted[o], None) for o in order]


def objective_names(criteria: CriteriaCatalog | None, preset: PrioritiesFile) -> dict[str, str]:
    """Objective id → name in the sovereignty framework the preset uses (empty when
    none is loaded or ``criteria`` is not given)."""
    if criteria is None:
        return {}
    from engine.mcda.sovereignty import pick

    sov, _ = pick(criteria.sovereignty, preset.sovereignty_framework, preset.sovereignty_weights)
    return {o.id: o.name for o in sov.framework.objectives} if sov else {}


def known_regions() -> list[str]:
    """Region tokens a link may name: ISO 3166-1 alpha-2 codes and the groups."""
    return sorted({c.alpha_2 for c in pycountry.countries} | set(REGION_GROUPS) | {"GLOBAL", "BUYER"})


def pair_key(a: str, b: str) -> str:
    """Session key of the AHP judgement of criterion ``a`` against ``b``."""
    return f"ahp_{a}__{b}"


def ahp_pairs(selected: Sequence[str], ids: Sequence[str]) -> list[tuple[str, str]]:
    """The pairs to judge among ``selected``, each in catalog order."""
    chosen = [c for c in ids if c in selected]
    return list(combinations(chosen, 2))


def saaty_ratio(s: int) -> float:
    """How many times ``a`` is as important as ``b`` for judgement ``s`` (-8…8)."""
    return float(s + 1) if s >= 0 else 1.0 / (1 - s)


def saaty_judgement(ratio: float) -> int:
    """The nearest integer judgement (-8…8) for a ratio ``a:b`` (inverse of :func:`saaty_ratio`)."""
    if ratio >= 1:
        return min(SAATY_MAX, round(ratio)) - 1
    return 1 - min(SAATY_MAX, round(1 / ratio))


def judgement_label(s: int, a: str, b: str) -> str:
    """Plain words for a judgement, e.g. ``'Capability 3× as important'``."""
    if s == 0:
        return "equally important"
    return f"{a} {s + 1}×" if s > 0 else f"{b} {1 - s}×"


def preset_state(preset: PrioritiesFile, ids: Sequence[str], stem: str) -> dict[str, Any]:
    """The widget values a preset stands for.

    Parameters
    ----------
    preset : PrioritiesFile
    ids : sequence of str
        The catalog's criterion ids, in catalog order.
    stem : str
        The preset's file stem (the ``preset`` key).

    Returns
    -------
    dict
        Every key of the module docstring (AHP pair keys only for the preset's pairs).
    """
    try:
        weights, _ = elicited_weights(preset, tuple(ids))  # direct, rank-order or AHP weights
    except InputError:
        weights = {}
    total = sum(weights.values()) or 1.0
    state: dict[str, Any] = {
        "preset": stem,
        "mode": "order" if preset.weight_order else "ahp" if preset.ahp else "direct",
        "method": preset.method,
        **{f"w_{c}": round(100 * weights.get(c, 0.0) / total) for c in ids},
        "order": [c.strip() for c in preset.weight_order.split(">")] if preset.weight_order else [],
        "ahp_criteria": list(preset.ahp.criteria) if preset.ahp else [],
        "in_m": preset.workload.input_tokens_per_month / 1e6,
        "out_m": preset.workload.output_tokens_per_month / 1e6,
        "answer": int(preset.workload.answer_tokens),
        "currency": preset.workload.currency,
        "allowed": list(preset.allowed_regions),
        "trusted": list(preset.trusted_jurisdictions),
        "wanted": list(preset.wanted_certifications),
        "held": list(preset.buyer_certifications or ()),
        **{f"req_{r.id}": True for r in checkbox_requirements(preset)},
        "must_region": False,
        "must_trusted": False,
        "must_open": False,
        "must_certs": [],
        "budget": 0.0,
        **{seal_key(o): int(r.value) for o, r in seal_minimums(preset).items()},
        SEAL_UNKNOWN: all(r.allow_unknown for r in seal_minimums(preset).values()),
        "samples": preset.robustness.samples,
        "concentration": float(preset.robustness.concentration),
        "seed": preset.robustness.seed,
    }
    if preset.ahp:
        crit = list(preset.ahp.criteria)
        for a, b in ahp_pairs(crit, ids):
            state[pair_key(a, b)] = saaty_judgement(float(preset.ahp.matrix[crit.index(a)][crit.index(b)]))
    return state


def priorities_from_state(
    state: Mapping[str, Any],
    preset: PrioritiesFile,
    ids: Sequence[str],
    criteria: CriteriaCatalog | None = None,
) -> PrioritiesFile:
    """The priorities the widgets describe: the preset with the widgets' values.

    Parameters
    ----------
    state : mapping
        Widget values (keys of the module docstring); missing keys take the preset's.
    preset : PrioritiesFile
        The chosen preset (name, description, anchors, price adjustments and
        robustness bounds are kept from it).
    ids : sequence of str
        Criterion ids in catalog order.
    criteria : CriteriaCatalog, optional
        Needed when the chosen currency differs from the preset's: the preset's
        amounts of money are then converted (:func:`engine.in_currency`).

    Returns
    -------
    PrioritiesFile

    Raises
    ------
    pydantic.ValidationError
        Values a widget cannot produce (the widgets bound them).
    """
    base = preset_state(preset, ids, str(state.get("preset", "")))
    s = {**base, **state}
    if criteria is not None:  # the preset's amounts in the chosen currency: same ranking
        preset = engine.in_currency(preset, criteria, s["currency"])
    replaced, added = _seal_requirements(s, preset, objective_names(criteria, preset))
    by_rule = {id(r): obj for obj, r in seal_minimums(preset).items()}
    reqs: list[RequirementSpec] = []
    for req in preset.requirements:
        if id(req) in by_rule:  # a minimum SEAL: what its widget holds
            new = replaced[by_rule[id(req)]]
            reqs += [new] if new is not None else []
        elif s.get(f"req_{req.id}", True):
            reqs.append(req)
    reqs += added
    extra: list[RequirementSpec] = []

    def must(
        key: str, value: Any, rid: str | None = None, field: str | None = None, msg: str | None = None
    ) -> None:
        r_id, r_field, op, message = APP_MUSTS[key]
        spec = {
            "id": rid or r_id,
            "field": field or r_field,
            "op": op,
            "value": value,
            "message": msg or message,
        }
        extra.append(RequirementSpec.model_validate(spec, strict=False))

    if s["must_region"] and s["allowed"]:
        must("must_region", list(s["allowed"]))
    if s["must_trusted"] and s["trusted"]:
        must("must_trusted", list(s["trusted"]))
        must(
            "must_trusted",
            list(s["trusted"]),
            "app-operator",
            "operator_hq",
            "Operator in a trusted jurisdiction",
        )
    if s["must_certs"]:
        must("must_certs", list(s["must_certs"]))
    if s["must_open"]:
        must("must_open", True)
    if float(s["budget"]) > 0:
        must("budget", float(s["budget"]))

    data = preset.model_dump(mode="python", by_alias=True)
    weights: dict[str, float] = {}
    order: str | None = None
    ahp: dict[str, Any] | None = None
    mode = s["mode"]
    if mode == "order" and s["order"]:
        order = " > ".join(s["order"])
    elif mode == "ahp" and len(s["ahp_criteria"]) >= 2:
        crit = [c for c in ids if c in s["ahp_criteria"]]
        matrix = [[1.0] * len(crit) for _ in crit]
        for a, b in ahp_pairs(crit, ids):
            r = saaty_ratio(int(s.get(pair_key(a, b), 0)))
            i, j = crit.index(a), crit.index(b)
            matrix[i][j], matrix[j][i] = r, 1.0 / r
        ahp = {"criteria": crit, "matrix": matrix}
    else:  # direct, or an ordering / comparison still being set up: the sliders hold
        weights = {c: float(s[f"w_{c}"]) for c in ids}
    data.update(
        method=s["method"],
        weights=weights,
        weight_order=order,
        ahp=ahp,
        robustness={
            **preset.robustness.model_dump(),
            "samples": int(s["samples"]),
            "seed": int(s["seed"]),
            "concentration": float(s["concentration"]),
        },
        workload={
            "input_tokens_per_month": float(s["in_m"]) * 1e6,
            "output_tokens_per_month": float(s["out_m"]) * 1e6,
            "answer_tokens": float(s["answer"]),
            "currency": s["currency"],
        },
        allowed_regions=tuple(s["allowed"]),
        trusted_jurisdictions=tuple(s["trusted"]),
        wanted_certifications=tuple(s["wanted"]),
        # empty: not declared (a preset that declares holding none keeps saying so)
        buyer_certifications=tuple(s["held"]) or (None if preset.buyer_certifications is None else ()),
        requirements=(*reqs, *extra),
    )
    return PrioritiesFile.model_validate(data, strict=False)


# ----------------------------------------------------------------------------- the URL


def _num(x: float) -> str:
    """Shortest plain decimal that reads back as the same float (``12.5``, ``100``,
    ``0.00001``: never an exponent, which the link grammar refuses)."""
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return format(decimal.Decimal(repr(float(x))), "f")


def encode_query(state: Mapping[str, Any], preset: PrioritiesFile, ids: Sequence[str]) -> dict[str, str]:
    """The query parameters that restore ``state`` exactly.

    Every key is written (not only those that differ from the preset), so a link
    means the same even after the preset file changes. Lists are comma-separated
    (``allowed=EU,EEA``; an empty list is an empty value); booleans are ``1``/``0``;
    the AHP judgements are ``ahp=<a>:<b>:<s>,…``.

    Returns
    -------
    dict of str to str
        In a fixed order.
    """
    s = {**preset_state(preset, ids, str(state.get("preset", ""))), **state}
    q: dict[str, str] = {"preset": str(s["preset"]), "mode": s["mode"], "method": s["method"]}
    q.update({f"w_{c}": str(int(s[f"w_{c}"])) for c in ids})
    if s["mode"] == "order":
        q["order"] = ",".join(s["order"])
    if s["mode"] == "ahp":
        q["ahp_criteria"] = ",".join(s["ahp_criteria"])
        q["ahp"] = ",".join(
            f"{a}:{b}:{int(s.get(pair_key(a, b), 0))}" for a, b in ahp_pairs(s["ahp_criteria"], ids)
        )
    q.update(
        in_m=_num(s["in_m"]), out_m=_num(s["out_m"]), answer=str(int(s["answer"])), currency=s["currency"]
    )
    for k in ("allowed", "trusted", "wanted", "held", "must_certs"):
        q[k] = ",".join(s[k])
    q["req"] = ",".join(r.id for r in checkbox_requirements(preset) if s.get(f"req_{r.id}", True))
    for k in _BOOLS:
        q[k] = "1" if s[k] else "0"
    mins = {
        k.removeprefix(SEAL_PREFIX): v for k, v in s.items() if k.startswith(SEAL_PREFIX) and v is not None
    }
    q["seal"] = ",".join(
        f"{o}:{int(mins[o])}" for o in sorted(mins, key=lambda o: int(o.removeprefix("SOV-")))
    )
    q.update(budget=_num(s["budget"]), samples=str(int(s["samples"])))
    q.update(concentration=_num(s["concentration"]), seed=str(int(s["seed"])))
    return q


def _invisible(raw: str) -> str | None:
    """The first character of a link value that a person cannot see or that no value
    holds — whitespace, a control, format (zero-width, bidi, BOM, soft hyphen) or
    unassigned character — as ``U+200B ZERO WIDTH SPACE at position 3``."""
    for i, ch in enumerate(raw):
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"):
            return f"{char_name(ch)} at position {i + 1}"
    return None


def _shown(name: str) -> str:
    """A parameter name as said in a message: as it is, or quoted and escaped when it
    holds an invisible character."""
    return repr(name) if _invisible(name) else name


def _drop_invisible(
    params: Mapping[str, str], keys: set[str], tail: Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """``params`` without the values (of ``keys``) that hold an invisible character, and
    one sentence for each value left out, ending with ``tail[key]`` (or ``tail[""]``)."""
    kept: dict[str, str] = {}
    problems: list[str] = []
    for key, raw in params.items():
        odd = _invisible(raw) if key in keys else None
        if odd:
            problems.append(
                f"{key}={echoed(raw)} holds {odd} (a link value has no spaces, control or invisible "
                f"characters); {tail.get(key, tail[''])}"
            )
        else:
            kept[key] = raw
    return kept, problems


def decode_query(
    params: Mapping[str, str],
    presets: Mapping[str, PrioritiesFile],
    ids: Sequence[str],
    *,
    default_preset: str,
    currencies: Sequence[str],
    regions: Sequence[str],
    repeated: Sequence[str] = (),
) -> tuple[dict[str, Any], list[str]]:
    """Read query parameters back into widget values.

    The preset named by ``preset`` is applied first; every other parameter then
    replaces its value. A parameter whose value is not valid is left out (the preset's
    value stays) and explained in plain words; unknown parameters are ignored. Values
    match in full: one holding whitespace, a control or an invisible character
    (zero-width space, bidi mark, BOM …) is not valid, and list items are not trimmed.

    Parameters
    ----------
    params : mapping of str to str
        The URL's query parameters (last value of each).
    presets : mapping
        Preset stem → PrioritiesFile.
    ids : sequence of str
        Criterion ids in catalog order.
    default_preset : str
    currencies : sequence of str
        Currencies the exchange-rate table knows.
    regions : sequence of str
        Region tokens the must-haves accept (validated by the engine later too).
    repeated : sequence of str
        Parameters the link gives more than once (the last value is used, and said).

    Returns
    -------
    state : dict
    problems : list of str
        One sentence per parameter that was left out.
    """
    problems: list[str] = []
    known = {
        "preset",
        "mode",
        "method",
        "order",
        "ahp_criteria",
        "ahp",
        "in_m",
        "out_m",
        "answer",
        "currency",
    }
    known |= {
        "allowed",
        "trusted",
        "wanted",
        "held",
        "must_certs",
        "req",
        "budget",
        "samples",
        "concentration",
        "seed",
        "seal",
    }
    known |= {*_BOOLS, *(f"w_{c}" for c in ids), *PAGE_PARAMS}
    unknown = sorted(k for k in params if k not in known)
    if unknown:  # a name holding an invisible character is shown escaped
        problems.append(
            f"unknown parameter{'s' if len(unknown) != 1 else ''} {', '.join(map(_shown, unknown))} ignored"
        )
    params, invisible = _drop_invisible(
        params,
        known - set(PAGE_PARAMS),
        {"": "the preset's value is used", "preset": f"using {default_preset}"},
    )
    problems += invisible
    if repeated:
        names = ", ".join(map(_shown, sorted(repeated)))
        problems.append(f"given more than once: {names} (the last value is used)")
    stem = params.get("preset", default_preset)
    if stem not in presets:
        problems.append(
            f"preset {echoed(stem)} is not one of {', '.join(sorted(presets))}; using {default_preset}"
        )
        stem = default_preset
    preset = presets[stem]
    defaults = preset_state(preset, ids, stem)
    state = dict(defaults)

    def bad(key: str, value: str, expected: str) -> None:
        problems.append(f"{key}={echoed(value)} is not {expected}; the preset's value is used")

    def number(key: str, lo: float, hi: float, *, integer: bool = False) -> None:
        if key not in params:
            return
        raw = params[key]
        # the CLI's grammar (engine.catalog.ranges): float() would also read "1e1", "1_0", "٣", "inf"
        x = parse_integer(raw) if integer else parse_decimal(raw)
        if x is None or not lo <= x <= hi:  # an infinite float or a huge int compares as out of range
            kind = "a whole number" if integer else "a plain decimal number"
            return bad(key, raw, f"{kind} from {_num(lo)} to {_num(hi)}")
        state[key] = x if integer else float(x)

    def choice(key: str, options: Sequence[str]) -> None:
        if key in params:
            if params[key] in options:
                state[key] = params[key]
            else:
                bad(key, params[key], "one of " + ", ".join(options))

    def listing(key: str, options: Sequence[str] | None, what: str) -> list[str] | None:
        if key not in params:
            return None
        items = [x for x in params[key].split(",") if x]
        unknown = [x for x in items if options is not None and x not in options]
        if unknown or len(set(items)) != len(items):
            why = f" (unknown: {', '.join(unknown)})" if unknown else " (repeated items)"
            bad(key, params[key], f"a comma-separated list of distinct {what}{why}")
            return None
        state[key] = items
        return items

    choice("mode", MODES)
    choice("method", list(METHODS))
    for c in ids:
        number(f"w_{c}", 0, 100, integer=True)
    listing("order", ids, "criterion ids")
    picked = listing("ahp_criteria", ids, "criterion ids")
    if "ahp" in params:
        crit = picked if picked is not None else state["ahp_criteria"]
        pairs = set(ahp_pairs(crit, ids))
        for item in filter(None, params["ahp"].split(",")):
            a, _, rest = item.partition(":")
            b, _, v = rest.partition(":")
            s = int(v) if re.fullmatch(r"-?[0-9]{1,30}", v) else 99  # int() would read " 3" or "٣" as 3
            if (b, a) in pairs:  # the same judgement seen from the other side
                a, b, s = b, a, -s
            if (a, b) not in pairs or not -(SAATY_MAX - 1) <= s <= SAATY_MAX - 1:
                bad("ahp", item, "a judgement <a>:<b>:<-8…8> on a pair of the compared criteria")
                continue
            state[pair_key(a, b)] = s
    number("in_m", 0, 1e9)
    number("out_m", 0, 1e9)
    number("answer", 1, 1e7, integer=True)
    choice("currency", list(currencies))
    for key, what in (("allowed", "regions"), ("trusted", "regions")):
        listing(key, None, what)
        if key in params and any(x not in regions for x in state[key]):
            unknown = [x for x in state[key] if x not in regions]
            bad(key, params[key], "a list of known region tokens (unknown: " + ", ".join(unknown) + ")")
            state[key] = list(defaults[key])
    listing("wanted", CERTIFICATION_IDS, "certification ids")
    listing("held", CERTIFICATION_IDS, "certification ids")
    listing("must_certs", CERTIFICATION_IDS, "certification ids")
    if "req" in params:
        preset_reqs = [r.id for r in checkbox_requirements(preset)]
        on = [x for x in params["req"].split(",") if x]
        if any(x not in preset_reqs for x in on):
            bad("req", params["req"], "a list of the preset's must-have ids (" + ", ".join(preset_reqs) + ")")
        else:
            for r in preset_reqs:
                state[f"req_{r}"] = r in on
    for key in _BOOLS:
        if key in params:
            if params[key] in ("0", "1"):
                state[key] = params[key] == "1"
            else:
                bad(key, params[key], "0 or 1")
    if "seal" in params:
        items = [x for x in params["seal"].split(",") if x]
        found = [_SEAL_ITEM.fullmatch(x) for x in items]
        objs = [m.group(1) for m in found if m]
        if not all(m and int(m.group(2)) <= SEAL_MAX for m in found) or len(set(objs)) != len(objs):
            bad("seal", params["seal"], f"a comma-separated list <objective>:<SEAL 0-{SEAL_MAX}> (SOV-2:2)")
        else:  # the link's minimums replace the preset's
            state.update({k: None for k in state if k.startswith(SEAL_PREFIX)})
            state.update({seal_key(m.group(1)): int(m.group(2)) for m in found if m})
    number("budget", 0, 1e12)
    number("samples", 1, 200_000, integer=True)
    number("concentration", 0.01, 1e6)
    number("seed", 0, 2**32 - 1, integer=True)
    return state, problems


PAGE_PARAMS = {
    "compare": "p_compare",
    "wwit": "p_wwit",
    "policy": "p_policy",
    "policy_date": "p_policy_today",
    "evidence": "p_evidence",
    "rfi": "p_rfi",
    "sovereignty": "p_sovereignty",
}
"""Query parameters of the pages' own selections → their session keys: the compared
offerings, the offering "what would it take" is about, the policy and its date, the
offering the Evidence page shows and the questionnaire it offers, the offering the
Sovereignty page shows (checked by their
pages against the catalog, which this module does not know)."""


def encode_pages(state: Mapping[str, Any]) -> dict[str, str]:
    """The pages' selections as query parameters (only those made)."""
    out: dict[str, str] = {}
    for param, key in PAGE_PARAMS.items():
        if key in state and state[key] is not None:
            v = state[key]
            out[param] = (
                ",".join(v) if isinstance(v, list) else v.isoformat() if isinstance(v, dt.date) else str(v)
            )
    return out


def decode_pages(params: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
    """Read the pages' selections back; a malformed date is explained and left out."""
    state: dict[str, Any] = {}
    given = params
    params, problems = _drop_invisible(
        params, set(PAGE_PARAMS), {"policy": "no policy is checked until one is chosen", "": "it is not used"}
    )
    if "policy" in given and "policy" not in params:
        # never another policy in its place: the Policy page checks nothing and says so
        state["p_policy"] = given["policy"]
    for param, key in PAGE_PARAMS.items():
        if param not in params:
            continue
        raw = params[param]
        if param == "compare":
            state[key] = [x for x in raw.split(",") if x]
        elif param == "policy_date":
            try:
                state[key] = parse_date(raw)
            except ValueError:
                problems.append(f"policy_date={echoed(raw)} is not a date YYYY-MM-DD; today is used")
        else:
            state[key] = raw
    return state, problems


def state_keys(state: Mapping[str, Any]) -> list[str]:
    """The keys of ``state`` that belong to the priorities (to keep across pages)."""
    fixed = {"preset", "mode", "method", "in_m", "out_m", "answer", "currency", "budget"}
    fixed |= {"samples", "concentration", "seed", *_LISTS, *_BOOLS}
    return [k for k in state if k in fixed or k.startswith(("w_", "req_", "ahp_", SEAL_PREFIX))]
