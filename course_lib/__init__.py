"""course_lib: the course's curated tables, validated, and the models, figures and explorers built on them.

Everything a notebook needs is here, by name (``import course_lib as cl``; ``cl.load_attacks()``,
``cl.ties_on(...)``, ``cl.AllianceExplorer()``); ``ARCHITECTURE.md`` says which module owns what.
Importing the package loads no data, and loading data imports no plotting or widget library:
models, figures and explorers are imported when first used.

>>> import course_lib as cl
>>> cl.resolve_group("ISIS")
'islamic_state'
>>> sorted(cl.load_course())[:3]
['alliances', 'arsenals', 'attacks']
"""

from __future__ import annotations

import importlib

from .cite import cite, cite_rows
from .data import (
    bundled_data_dir,
    load_alliances,
    load_arsenals,
    load_attacks,
    load_course,
    load_groups,
    load_indicators,
    load_milestones,
    load_places,
    load_sources,
    load_table,
    resolve_data_dir,
    validate,
)
from .dates import PartialDate, date_bounds, parse_partial_date
from .groups import UnknownGroupError, group_names, resolve_group
from .schema import EVIDENCE_LEVELS, load_schema
from .validate import DataValidationError, Problem
from .vocab import at_least, country_label, format_range

__version__ = "0.2.0"

#: Imported on first use: name → module.
_LAZY = {
    **dict.fromkeys(["AttackSelection"], "attacks"),
    **dict.fromkeys(["ArsenalMatrix", "arsenal_matrix", "cell_items"], "arsenal"),
    **dict.fromkeys(["before_after", "lineages"], "periods"),
    **dict.fromkeys(["compare_groups"], "comparison"),
    **dict.fromkeys(["import_events"], "events"),
    **dict.fromkeys(["check", "grade"], "exercises"),
    **dict.fromkeys(
        ["AllianceModel", "alliance_graph", "holding_intervals", "stable_layout", "ties_between", "ties_on"],
        "network",
    ),
    **dict.fromkeys(["evidence_sensitivity", "network_sensitivity"], "sensitivity"),
    **dict.fromkeys(
        [
            "arsenal_heatmap",
            "attack_map",
            "attack_timeline",
            "attack_type_mix",
            "before_after_figure",
            "comparison_figure",
            "network_figure",
            "sensitivity_figure",
            "summary_of",
        ],
        "plots",
    ),
    **dict.fromkeys(
        [
            "AllianceExplorer",
            "ArsenalExplorer",
            "AttackExplorer",
            "BeforeAfterExplorer",
            "ComparisonExplorer",
            "FigureView",
            "SensitivityExplorer",
            "show",
        ],
        "widgets",
    ),
}

__all__ = [
    "EVIDENCE_LEVELS",
    "DataValidationError",
    "PartialDate",
    "Problem",
    "UnknownGroupError",
    "at_least",
    "bundled_data_dir",
    "cite",
    "cite_rows",
    "country_label",
    "date_bounds",
    "format_range",
    "group_names",
    "load_alliances",
    "load_arsenals",
    "load_attacks",
    "load_course",
    "load_groups",
    "load_indicators",
    "load_milestones",
    "load_places",
    "load_schema",
    "load_sources",
    "load_table",
    "parse_partial_date",
    "resolve_data_dir",
    "resolve_group",
    "validate",
]
__all__ += sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'course_lib' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


def _jupyter_server_extension_points() -> list[dict]:
    """The Jupyter server extension that serves plotly.js and the base map (see :mod:`course_lib.web`)."""
    return [{"module": "course_lib.web"}]
