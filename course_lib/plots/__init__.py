"""Figure builders: pure functions from tables to plotly figures.

Every figure has a title, labelled axes and a plain-text summary (:func:`summary_of`);
colours and their second cues come from :mod:`course_lib.palette`.
"""

from .alliances import network_figure
from .arsenals import arsenal_heatmap
from .attacks import attack_map, attack_timeline, attack_type_mix
from .base import empty_figure, escape, finish, summary_of
from .compare import before_after_figure, comparison_figure, sensitivity_figure

__all__ = [
    "arsenal_heatmap",
    "attack_map",
    "attack_timeline",
    "attack_type_mix",
    "before_after_figure",
    "comparison_figure",
    "empty_figure",
    "escape",
    "finish",
    "network_figure",
    "sensitivity_figure",
    "summary_of",
]
