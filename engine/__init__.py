"""Shortlist's decision engine: load, validate, gate, score, rank, explain, test
robustness, export.

Pure: no Streamlit, no printing, no global state, no network. Only
:mod:`engine.catalog.loading` touches the file system (and the writing step of an importer,
:func:`engine.catalog.importers.genai_prices.write_profiles`). Every name here is imported on
first use (PEP 562), so ``import engine`` is cheap and a caller (or a command of the CLI)
loads only the layers it uses: the robustness analyses (:mod:`engine.mcda.sensitivity`,
scipy) only for a robustness name, the renderers only for a renderer. The robustness
entry point is :func:`engine.mcda.sensitivity.report.sensitivity`. Likewise
:func:`to_xlsx` imports openpyxl only when it is called, and :func:`rank_many` /
:func:`robustness_many` import Dask only when given a Dask scheduler.
"""

import importlib
from typing import TYPE_CHECKING, Any

from engine._version import __version__

if TYPE_CHECKING:
    from engine.batch import BatchItem, BatchResult, rank_many, robustness_many
    from engine.catalog.loading import (
        Catalog,
        CriteriaCatalog,
        ResolvedOffering,
        load_catalog,
        load_criteria,
        load_priorities,
        load_priorities_bytes,
        load_vendor_bytes,
    )
    from engine.catalog.schema import CriteriaFile, FxFile, PrioritiesFile, VendorFile
    from engine.errors import InputError, Issue, ShortlistError
    from engine.mcda.aggregation import METHODS, aggregate, competition_ranks
    from engine.mcda.comparison import Comparison, comparison
    from engine.mcda.elicitation import AhpResult, ahp_weights, parse_order, roc_weights
    from engine.mcda.matrix import KNOWN_CRITERIA, Context, Performance, performance
    from engine.mcda.requirements import RequirementResult, check_requirements
    from engine.mcda.scoring import (
        Assessments,
        Cell,
        Ranking,
        Row,
        elicited_weights,
        in_currency,
        normalise_weights,
        rank,
        sovereignty_assessments,
    )
    from engine.mcda.sensitivity.dominance import Dominance, dominance
    from engine.mcda.sensitivity.problem import DecisionProblem
    from engine.mcda.sensitivity.report import SensitivityReport
    from engine.mcda.sensitivity.smaa import RankAcceptability, smaa
    from engine.mcda.sensitivity.stability import StabilityInterval, rank_stability, stability_intervals
    from engine.mcda.sensitivity.what_it_takes import WhatItTakes, what_would_it_take
    from engine.reports.compare import comparison_csv, comparison_json, comparison_markdown, comparison_table
    from engine.reports.excel import to_xlsx
    from engine.reports.export import (
        neutralise,
        priorities_yaml,
        ranking_dict,
        sensitivity_csv,
        sensitivity_dict,
        sensitivity_json,
        sensitivity_table,
        to_csv,
        to_json,
        to_table,
    )

_LAZY: dict[str, str] = {
    "BatchItem": "engine.batch",
    "BatchResult": "engine.batch",
    "rank_many": "engine.batch",
    "robustness_many": "engine.batch",
    "Catalog": "engine.catalog.loading",
    "CriteriaCatalog": "engine.catalog.loading",
    "ResolvedOffering": "engine.catalog.loading",
    "load_catalog": "engine.catalog.loading",
    "load_criteria": "engine.catalog.loading",
    "load_priorities": "engine.catalog.loading",
    "load_priorities_bytes": "engine.catalog.loading",
    "load_vendor_bytes": "engine.catalog.loading",
    "CriteriaFile": "engine.catalog.schema",
    "FxFile": "engine.catalog.schema",
    "PrioritiesFile": "engine.catalog.schema",
    "VendorFile": "engine.catalog.schema",
    "InputError": "engine.errors",
    "Issue": "engine.errors",
    "ShortlistError": "engine.errors",
    "METHODS": "engine.mcda.aggregation",
    "aggregate": "engine.mcda.aggregation",
    "competition_ranks": "engine.mcda.aggregation",
    "Comparison": "engine.mcda.comparison",
    "comparison": "engine.mcda.comparison",
    "AhpResult": "engine.mcda.elicitation",
    "ahp_weights": "engine.mcda.elicitation",
    "parse_order": "engine.mcda.elicitation",
    "roc_weights": "engine.mcda.elicitation",
    "Context": "engine.mcda.matrix",
    "KNOWN_CRITERIA": "engine.mcda.matrix",
    "Performance": "engine.mcda.matrix",
    "performance": "engine.mcda.matrix",
    "RequirementResult": "engine.mcda.requirements",
    "check_requirements": "engine.mcda.requirements",
    "Cell": "engine.mcda.scoring",
    "Ranking": "engine.mcda.scoring",
    "Row": "engine.mcda.scoring",
    "elicited_weights": "engine.mcda.scoring",
    "in_currency": "engine.mcda.scoring",
    "normalise_weights": "engine.mcda.scoring",
    "rank": "engine.mcda.scoring",
    "Assessments": "engine.mcda.scoring",
    "sovereignty_assessments": "engine.mcda.scoring",
    "Dominance": "engine.mcda.sensitivity.dominance",
    "dominance": "engine.mcda.sensitivity.dominance",
    "DecisionProblem": "engine.mcda.sensitivity.problem",
    "SensitivityReport": "engine.mcda.sensitivity.report",
    "RankAcceptability": "engine.mcda.sensitivity.smaa",
    "smaa": "engine.mcda.sensitivity.smaa",
    "StabilityInterval": "engine.mcda.sensitivity.stability",
    "rank_stability": "engine.mcda.sensitivity.stability",
    "stability_intervals": "engine.mcda.sensitivity.stability",
    "WhatItTakes": "engine.mcda.sensitivity.what_it_takes",
    "what_would_it_take": "engine.mcda.sensitivity.what_it_takes",
    "comparison_csv": "engine.reports.compare",
    "comparison_json": "engine.reports.compare",
    "comparison_markdown": "engine.reports.compare",
    "comparison_table": "engine.reports.compare",
    "to_xlsx": "engine.reports.excel",
    "neutralise": "engine.reports.export",
    "priorities_yaml": "engine.reports.export",
    "ranking_dict": "engine.reports.export",
    "sensitivity_csv": "engine.reports.export",
    "sensitivity_dict": "engine.reports.export",
    "sensitivity_json": "engine.reports.export",
    "sensitivity_table": "engine.reports.export",
    "to_csv": "engine.reports.export",
    "to_json": "engine.reports.export",
    "to_table": "engine.reports.export",
}
"""The module of each public name, imported on first use."""


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'engine' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "KNOWN_CRITERIA",
    "METHODS",
    "AhpResult",
    "Assessments",
    "BatchItem",
    "BatchResult",
    "Catalog",
    "Cell",
    "Comparison",
    "Context",
    "CriteriaCatalog",
    "CriteriaFile",
    "DecisionProblem",
    "Dominance",
    "FxFile",
    "InputError",
    "Issue",
    "Performance",
    "PrioritiesFile",
    "RankAcceptability",
    "Ranking",
    "RequirementResult",
    "ResolvedOffering",
    "Row",
    "SensitivityReport",
    "ShortlistError",
    "StabilityInterval",
    "VendorFile",
    "WhatItTakes",
    "__version__",
    "aggregate",
    "ahp_weights",
    "check_requirements",
    "comparison",
    "comparison_csv",
    "comparison_json",
    "comparison_markdown",
    "comparison_table",
    "competition_ranks",
    "dominance",
    "elicited_weights",
    "in_currency",
    "load_catalog",
    "load_criteria",
    "load_priorities",
    "load_priorities_bytes",
    "load_vendor_bytes",
    "neutralise",
    "normalise_weights",
    "parse_order",
    "performance",
    "priorities_yaml",
    "rank",
    "rank_many",
    "rank_stability",
    "ranking_dict",
    "robustness_many",
    "roc_weights",
    "sensitivity_csv",
    "sensitivity_dict",
    "sensitivity_json",
    "sensitivity_table",
    "smaa",
    "sovereignty_assessments",
    "stability_intervals",
    "to_csv",
    "to_json",
    "to_table",
    "to_xlsx",
    "what_would_it_take",
]
