"""course_lib: the curated tables of the course, validated, and the figures and widgets built on them.

Importing it loads no data and no plotting or widget library; ``course_lib.plots``,
``course_lib.network`` and ``course_lib.widgets`` are imported when first used.

>>> import course_lib
>>> course_lib.resolve_group("ISIS")
'islamic_state'
"""

from __future__ import annotations

import importlib

from .cite import cite, cite_rows
from .data import (
    load_alliances,
    load_arsenals,
    load_attacks,
    load_course,
    load_groups,
    load_indicators,
    load_milestones,
    load_sources,
    load_table,
)
from .dates import PartialDate, parse_partial_date
from .groups import UnknownGroupError, resolve_group
from .schema import DATA_DIR, load_schema
from .validate import DataValidationError, Problem, validate

__all__ = [
    "DATA_DIR",
    "DataValidationError",
    "PartialDate",
    "Problem",
    "UnknownGroupError",
    "cite",
    "cite_rows",
    "load_alliances",
    "load_arsenals",
    "load_attacks",
    "load_course",
    "load_groups",
    "load_indicators",
    "load_milestones",
    "load_schema",
    "load_sources",
    "load_table",
    "parse_partial_date",
    "resolve_group",
    "validate",
]

__version__ = "0.1.0"

# Imported on first use, so that loading data never imports plotly, ipywidgets or networkx.
_LAZY_MODULES = {
    "arsenal",
    "basemap",
    "codebook",
    "compare",
    "exercises",
    "network",
    "palette",
    "plots",
    "selection",
    "widgets",
}
_LAZY_NAMES = {
    name: "widgets"
    for name in (
        "AllianceExplorer",
        "ArsenalMatrix",
        "AttackExplorer",
        "BeforeAfter",
        "EvidenceSensitivity",
        "GroupComparison",
    )
}


def __getattr__(name: str):
    if name in _LAZY_MODULES:
        return importlib.import_module(f".{name}", __name__)
    if name in _LAZY_NAMES:
        return getattr(importlib.import_module(f".{_LAZY_NAMES[name]}", __name__), name)
    raise AttributeError(f"module 'course_lib' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY_MODULES, *_LAZY_NAMES])
