"""Shortlist's decision engine: load, validate, gate, score, rank, explain, test
robustness, export.

Pure: no Streamlit, no printing, no global state, no network. Only
:mod:`engine.catalog.loading` touches the file system (and the writing step of an importer,
:func:`engine.catalog.importers.genai_prices.write_profiles`). The robustness analysis
(:mod:`engine.mcda.sensitivity`, which needs scipy) is imported on first use of one of its
names, so ``shortlist rank`` does not pay for it; its entry point is
:func:`engine.mcda.sensitivity.report.sensitivity`. Likewise
:func:`to_xlsx` imports openpyxl only when it is called, and :func:`rank_many` /
:func:`robustness_many` import Dask only when given a Dask scheduler.
"""

import importlib
from typing import Any

from engine._version import __version__
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
from engine.mcda.scoring import Cell, Ranking, Row, elicited_weights, in_currency, normalise_weights, rank
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

_SENSITIVITY = {
    "DecisionProblem": "problem",
    "Dominance": "dominance",
    "RankAcceptability": "smaa",
    "SensitivityReport": "report",
    "StabilityInterval": "stability",
    "WhatItTakes": "what_it_takes",
    "dominance": "dominance",
    "rank_stability": "stability",
    "smaa": "smaa",
    "stability_intervals": "stability",
    "what_would_it_take": "what_it_takes",
}
"""The robustness names ``engine`` offers, by their module of :mod:`engine.mcda.sensitivity`."""


def __getattr__(name: str) -> Any:
    """Lazy access to :mod:`engine.mcda.sensitivity` (PEP 562): scipy only on first use."""
    if name in _SENSITIVITY:
        return getattr(importlib.import_module(f"engine.mcda.sensitivity.{_SENSITIVITY[name]}"), name)
    raise AttributeError(f"module 'engine' has no attribute {name!r}")


__all__ = [
    "KNOWN_CRITERIA",
    "METHODS",
    "AhpResult",
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
    "stability_intervals",
    "to_csv",
    "to_json",
    "to_table",
    "to_xlsx",
    "what_would_it_take",
]
