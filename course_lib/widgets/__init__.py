"""The interactive explorers: thin ipywidgets views over the models and figure builders.

Each constructor returns the widget without displaying it; show it as the last expression of
a cell. Controls are attributes (``explorer.date_slider``), so code can set them too.
"""

from .alliances import AllianceExplorer
from .arsenal import ArsenalExplorer
from .attacks import AttackExplorer
from .base import Explorer
from .comparison import BeforeAfterExplorer, ComparisonExplorer, SensitivityExplorer
from .figure import FigureView, show

__all__ = [
    "AllianceExplorer",
    "ArsenalExplorer",
    "AttackExplorer",
    "BeforeAfterExplorer",
    "ComparisonExplorer",
    "Explorer",
    "FigureView",
    "SensitivityExplorer",
    "show",
]
