"""The interactive explorers: thin ipywidgets views over the model functions.

Each constructor returns the widget without displaying it; show it as the last expression of
a cell. Controls are attributes (``explorer.date_slider``), so code can set them too.
"""

from .alliances import AllianceExplorer
from .arsenals import ArsenalMatrix
from .attacks import AttackExplorer
from .base import Explorer
from .compare import BeforeAfter, EvidenceSensitivity, GroupComparison

__all__ = [
    "AllianceExplorer",
    "ArsenalMatrix",
    "AttackExplorer",
    "BeforeAfter",
    "EvidenceSensitivity",
    "Explorer",
    "GroupComparison",
]
