"""Shortlist's decision engine: load, validate, gate, score, rank, export.

Pure: no Streamlit, no printing, no global state, no network. Only
:mod:`engine.loading` touches the file system.
"""

from engine.errors import InputError, Issue, ShortlistError
from engine.export import neutralise, priorities_yaml, ranking_dict, to_csv, to_json, to_table
from engine.loading import (
    Catalog,
    CriteriaCatalog,
    ResolvedOffering,
    load_catalog,
    load_criteria,
    load_priorities,
    load_priorities_bytes,
    load_vendor_bytes,
)
from engine.matrix import KNOWN_CRITERIA, Context, Performance, performance
from engine.requirements import RequirementResult, check_requirements
from engine.schema import CriteriaFile, FxFile, PrioritiesFile, VendorFile
from engine.scoring import Cell, Ranking, Row, normalise_weights, rank

__version__ = "0.1.0"

__all__ = [
    "KNOWN_CRITERIA",
    "Catalog",
    "Cell",
    "Context",
    "CriteriaCatalog",
    "CriteriaFile",
    "FxFile",
    "InputError",
    "Issue",
    "Performance",
    "PrioritiesFile",
    "Ranking",
    "RequirementResult",
    "ResolvedOffering",
    "Row",
    "ShortlistError",
    "VendorFile",
    "__version__",
    "check_requirements",
    "load_catalog",
    "load_criteria",
    "load_priorities",
    "load_priorities_bytes",
    "load_vendor_bytes",
    "neutralise",
    "normalise_weights",
    "performance",
    "priorities_yaml",
    "rank",
    "ranking_dict",
    "to_csv",
    "to_json",
    "to_table",
]
