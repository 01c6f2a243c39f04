"""Figure builders: pure functions from tables or model results to plotly figures.

Every figure has a title, labelled axes and a plain-text summary (:func:`summary_of`);
colours and their second cues come from :mod:`course_lib.plots.palette`. The ``*_overview``
builders are the explorers' kernel-free versions, with plotly's own sliders, buttons and
legend toggles over precomputed states.
"""

from .arsenal import arsenal_heatmap, arsenal_overview
from .attacks import attack_map, attack_overview, attack_timeline, attack_type_mix
from .base import empty_figure, summary_of
from .comparison import before_after_figure, comparison_figure, sensitivity_figure
from .network import network_figure, network_overview

__all__ = [
    "arsenal_heatmap",
    "arsenal_overview",
    "attack_map",
    "attack_overview",
    "attack_timeline",
    "attack_type_mix",
    "before_after_figure",
    "comparison_figure",
    "empty_figure",
    "network_figure",
    "network_overview",
    "sensitivity_figure",
    "summary_of",
]
