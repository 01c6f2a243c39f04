"""Colour-blind-safe styles, one per vocabulary, from the Okabe–Ito palette.

Where colour carries meaning, a second cue (line dash or marker symbol) carries it too, so
that a figure still reads in greyscale or for a reader who cannot tell two colours apart.

Examples
--------
>>> RELATION_STYLE["armed_conflict"]
Style(color='#D55E00', dash='solid', symbol='x')
>>> len(set(RELATION_STYLE.values())) == len(RELATION_STYLE)
True
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = [
    "ATTACK_TYPE_STYLE",
    "EVIDENCE_STYLE",
    "GROUP_STYLES",
    "OKABE_ITO",
    "RELATION_STYLE",
    "Style",
    "style_for",
]

#: The eight Okabe–Ito colours, plus a neutral grey for "unknown".
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}
_C = OKABE_ITO


class Style(NamedTuple):
    """How one category is drawn: colour, plus a line dash and a marker symbol as second cues."""

    color: str
    dash: str
    symbol: str


#: Relation types of the alliances table. Friendly ties are blues and greens, hostile ones
#: vermillion and orange, changes of identity black and grey; dashes tell apart those that
#: share a colour.
RELATION_STYLE = {
    "affiliate": Style(_C["blue"], "solid", "circle"),
    "ally": Style(_C["bluish_green"], "solid", "square"),
    "support": Style(_C["sky_blue"], "dash", "triangle-up"),
    "host": Style(_C["bluish_green"], "dot", "diamond"),
    "truce": Style(_C["reddish_purple"], "dash", "star"),
    "mediation": Style(_C["reddish_purple"], "dot", "hexagon"),
    "rival": Style(_C["orange"], "dash", "triangle-down"),
    "divergence": Style(_C["orange"], "dot", "y-down"),
    "armed_conflict": Style(_C["vermillion"], "solid", "x"),
    "split": Style(_C["black"], "dashdot", "cross"),
    "merger": Style(_C["black"], "dot", "pentagon"),
    "rebrand": Style(_C["grey"], "longdash", "circle-open"),
}

#: Attack types (GTD's), each with its own colour or dash and marker symbol.
ATTACK_TYPE_STYLE = {
    "assassination": Style(_C["reddish_purple"], "solid", "x"),
    "armed_assault": Style(_C["vermillion"], "solid", "triangle-up"),
    "bombing": Style(_C["orange"], "solid", "circle"),
    "hijacking": Style(_C["sky_blue"], "dash", "star"),
    "hostage_barricade": Style(_C["bluish_green"], "dash", "square"),
    "hostage_kidnapping": Style(_C["blue"], "solid", "diamond"),
    "facility_attack": Style(_C["yellow"], "dot", "hexagon"),
    "unarmed_assault": Style(_C["black"], "dot", "cross"),
    "air_strike": Style(_C["sky_blue"], "solid", "triangle-down"),
    "unknown": Style(_C["grey"], "dashdot", "circle-open"),
}

#: Evidence levels, weakest to strongest: light to dark, open to filled markers.
EVIDENCE_STYLE = {
    "suspected": Style(_C["yellow"], "dot", "circle-open"),
    "reported": Style(_C["sky_blue"], "dash", "circle"),
    "verified": Style(_C["blue"], "solid", "diamond"),
}

#: For two or three groups side by side.
GROUP_STYLES = (
    Style(_C["orange"], "solid", "circle"),
    Style(_C["blue"], "dash", "square"),
    Style(_C["bluish_green"], "dot", "diamond"),
)


def style_for(vocabulary: dict[str, Style], value: str) -> Style:
    """The style of ``value``, or a clear error naming the choices.

    >>> style_for(EVIDENCE_STYLE, "verified").symbol
    'diamond'
    """
    try:
        return vocabulary[value]
    except KeyError:
        raise ValueError(f"no style for {value!r}; it must be one of {', '.join(vocabulary)}") from None
