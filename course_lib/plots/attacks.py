"""Attack figures: where (map), when (timeline) and how (type mix), casualties as ranges.

Each builder takes the attacks table (default: the bundled one), or an
:class:`~course_lib.selection.AttackSelection` and a boolean ``mask`` of the rows to show
(what the attack explorer passes, so the table is prepared only once). Each aggregates
before it plots: one marker per place, one bar per year or type, never one per attack.

Casualties are ranges throughout: the sum of the attacks' lower bounds and, when every
attack states an upper bound, the sum of those ("12–15"); otherwise "at least 12".

Each figure is first computed as :class:`FigureParts` (its traces and data-dependent
layout as plain dicts, and its summary) by :func:`map_parts`, :func:`timeline_parts` and
:func:`type_mix_parts`; the builders turn parts into a finished ``go.Figure``, and the
attack explorer applies them to its figures in place. A figure's traces are always the
same in number and type, whatever the filters.

The map draws its base map from the copy the course ships: show it with
:func:`course_lib.basemap.show` (see :mod:`course_lib.basemap`).

Examples
--------
>>> import pandas as pd
>>> from course_lib.plots.base import summary_of
>>> attacks = example_attacks()
>>> fig = attack_timeline(attacks, groups=pd.DataFrame({"group_id": ["aqim"], "name": ["AQIM"]}))
>>> fig.data[0].x.tolist(), fig.data[0].y.tolist()
([2007, 2008, 2009], [2, 0, 1])
>>> print(summary_of(fig))
3 attacks from 2007 to 2009, most in 2007 (2). Killed: at least 35 (sum of the attacks' ranges).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..palette import ATTACK_TYPE_STYLE, OKABE_ITO, Style
from ..selection import AttackSelection, format_range
from .base import empty_figure, escape, finish, new_figure

__all__ = [
    "MAP_TITLE",
    "MIXED_STYLE",
    "MIX_TITLE",
    "TIMELINE_TITLE",
    "FigureParts",
    "attack_map",
    "attack_timeline",
    "attack_type_mix",
    "build",
    "example_attacks",
    "map_bounds",
    "map_parts",
    "timeline_parts",
    "type_mix_parts",
]

MAP_TITLE = "Where the attacks took place"
TIMELINE_TITLE = "Attacks and people killed per year"
MIX_TITLE = "Attacks by type"

#: Places where the attacks are of more than one type.
MIXED_STYLE = Style(OKABE_ITO["black"], "solid", "circle-open")

#: Largest marker diameter on the map, in pixels (for the place with the most attacks).
MAX_MARKER = 36

_TYPES = tuple(ATTACK_TYPE_STYLE)
_KILLED = OKABE_ITO["vermillion"]


@dataclass
class FigureParts:
    """A figure before it is built: what changes with the data, as plain values.

    ``traces`` are complete trace specifications (dicts with ``type``); ``layout`` the
    layout the figure needs besides :func:`~course_lib.plots.base.finish`'s; ``relayout``
    the part of it that depends on the data, as ``plotly_relayout`` paths (``None``
    removes a setting); ``empty`` the reason to show instead when there is nothing to draw.
    """

    title: str
    summary: str
    traces: list[dict[str, Any]] = field(default_factory=list)
    layout: dict[str, Any] = field(default_factory=dict)
    relayout: dict[str, Any] = field(default_factory=dict)
    x: str | None = None
    y: str | None = None
    empty: str | None = None


def build(parts: FigureParts) -> go.Figure:
    """The finished figure of ``parts`` (:func:`~course_lib.plots.base.empty_figure` if empty)."""
    if parts.empty is not None:
        return empty_figure(parts.title, parts.empty)
    fig = new_figure(parts.traces, parts.layout)
    return finish(fig, parts.title, parts.summary, x=parts.x, y=parts.y)


def _label(value: object) -> str:
    return str(value).replace("_", " ")


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _prepare(
    attacks: pd.DataFrame | None,
    selection: AttackSelection | None,
    mask: np.ndarray | None,
    groups: pd.DataFrame | None,
) -> tuple[AttackSelection, np.ndarray]:
    sel = selection if selection is not None else AttackSelection(attacks, groups)
    return sel, (np.ones(sel.n, dtype=bool) if mask is None else np.asarray(mask, dtype=bool))


def _range(low: int, high: float, stated: int) -> str:
    return format_range(low, None if high != high else high, stated > 0)


def _total_range(low: np.ndarray, high: np.ndarray, stated: np.ndarray, count: np.ndarray) -> str:
    """The range of a whole selection from its parts (open if any part with attacks is open)."""
    some = count > 0
    closed = not np.isnan(high[some]).any()
    return format_range(int(low.sum()), float(np.nansum(high)) if closed else None, int(stated.sum()) > 0)


def example_attacks() -> pd.DataFrame:
    """A three-row attacks table with the loaders' dtypes, for examples and tests.

    >>> example_attacks()[["group_id", "attack_type", "killed_low", "killed_high"]]
      group_id attack_type  killed_low  killed_high
    0     aqim     bombing          33           33
    1     aqim     bombing           2         <NA>
    2     aqim     unknown        <NA>         <NA>
    """
    from ..schema import load_schema

    enum = {f.name: list(f.enum) for f in load_schema().table("attacks").fields if f.enum}
    return pd.DataFrame(
        {
            "attack_id": ["a1", "a2", "a3"],
            "date": ["2007-04-11", "2007", "2009-06"],
            "date_start": pd.to_datetime(["2007-04-11", "2007-01-01", "2009-06-01"]),
            "group_id": pd.Series(["aqim"] * 3, dtype="str"),
            "country": pd.Series(["DZA", "DZA", "MLI"], dtype="str"),
            "admin1": pd.Series([None, None, None], dtype="str"),
            "place": pd.Series(["Algiers", "Algiers", None], dtype="str"),
            "latitude": [36.75, 36.75, 17.57],
            "longitude": [3.06, 3.06, -3.99],
            "geo_precision": pd.Categorical(["place", "place", "country"], categories=enum["geo_precision"]),
            "attack_type": pd.Categorical(["bombing", "bombing", "unknown"], categories=enum["attack_type"]),
            "killed_low": pd.array([33, 2, None], dtype="Int64"),
            "killed_high": pd.array([33, None, None], dtype="Int64"),
            "source_id": pd.Series(["rand2013"] * 3, dtype="str"),
            "locator": pd.Series(["p. 4", "p. 5", "p. 6"], dtype="str"),
            "evidence_level": pd.Categorical(
                ["reported", "reported", "suspected"], categories=enum["evidence_level"], ordered=True
            ),
        }
    )


# --------------------------------------------------------------------------- map
def map_bounds(lon: np.ndarray, lat: np.ndarray) -> tuple[list[float], list[float]] | None:
    """Longitude and latitude ranges that frame the points with a margin (``None``: whole world).

    The margin is at least 10° of longitude and 8° of latitude, and the frame is widened to
    about twice as wide as high, the shape of the map on the page.

    >>> map_bounds(np.array([3.0, 20.0]), np.array([36.0, 32.0]))
    ([-9.0, 32.0], [24.0, 44.0])
    """
    if len(lon) == 0:
        return None
    lo_min, lo_max, la_min, la_max = float(lon.min()), float(lon.max()), float(lat.min()), float(lat.max())
    if lo_max - lo_min > 200:
        return None
    pad_lon = max(10.0, 0.15 * (lo_max - lo_min))
    pad_lat = max(8.0, 0.15 * (la_max - la_min))
    west, east = lo_min - pad_lon, lo_max + pad_lon
    south, north = max(-90.0, la_min - pad_lat), min(90.0, la_max + pad_lat)
    extra = max(0.0, 2.0 * (north - south) - (east - west)) / 2
    west, east = max(-180.0, west - extra), min(180.0, east + extra)
    return [float(np.floor(west)), float(np.ceil(east))], [float(np.floor(south)), float(np.ceil(north))]


def _text(value: object) -> str:
    return "" if value is None or value is pd.NA or value != value else str(value)


def _place_label(place: object, admin1: object, country: object, precision: object) -> str:
    where = _text(place) or _text(admin1)
    country, precision = _text(country), _text(precision)
    if not where:
        return (
            f"{country} (location given to the {precision or 'country'})"
            if country
            else "location not stated"
        )
    return f"{where}, {country}" if country else str(where)


def _hover_places(places: pd.DataFrame, sel: AttackSelection) -> list[str]:
    rows = places["row"].to_numpy()
    single = rows >= 0
    detail = sel.row_details(rows[single])
    by_row = dict(zip(rows[single].tolist(), detail.itertuples(index=False)))
    columns = [
        places[c].tolist()
        for c in (
            "place",
            "admin1",
            "country",
            "geo_precision",
            "row",
            "count",
            "year_first",
            "year_last",
            "attack_type",
            "n_types",
            "killed_low",
            "killed_high",
            "killed_stated",
        )
    ]
    texts = []
    for place, admin1, country, precision, row, n, first, last, kind, n_types, low, high, stated in zip(
        *columns
    ):
        where = escape(_place_label(place, admin1, country, precision))
        if row >= 0:
            d = by_row[row]
            texts.append(
                f"<b>{where}</b><br>{escape(d.date)} · {escape(d.group)}<br>"
                f"{escape(_label(d.attack_type))} · killed: {escape(d.killed)} · "
                f"evidence: {escape(d.evidence_level)}<br>Source: {escape(d.source)}"
            )
            continue
        years = "" if not first else f", {first}" + (f"–{last}" if last != first else "")
        mix = f"all {escape(_label(kind))}" if _text(kind) else f"{n_types} types of attack"
        texts.append(
            f"<b>{where}</b><br>{_plural(n, 'attack')}{years}<br>killed: {_range(low, high, stated)}<br>{mix}"
        )
    return texts


def map_parts(sel: AttackSelection, mask: np.ndarray, title: str = MAP_TITLE) -> FigureParts:
    """The parts of :func:`attack_map` for the rows of ``sel`` where ``mask`` is true."""
    places = sel.by_place(mask)
    unlocated = places.attrs.get("unlocated", 0)
    if places.empty:
        reason = "No attacks match the current selection."
        if unlocated:
            reason = f"None of the {_plural(unlocated, 'matching attack')} has coordinates."
        return FigureParts(title, reason, empty=reason)

    counts = places["count"].to_numpy()
    lon = places["longitude"].to_numpy(dtype=np.float64)
    lat = places["latitude"].to_numpy(dtype=np.float64)
    size = counts.astype(np.float64)
    hover = np.array(_hover_places(places, sel), dtype=object)
    kind = places["attack_type"].to_numpy(dtype=object)
    sizeref = 2.0 * float(counts.max()) / MAX_MARKER**2
    traces = []
    for name in (*_TYPES, None):
        style = ATTACK_TYPE_STYLE[name] if name else MIXED_STYLE
        on = (kind == name) if name else pd.isna(kind)
        traces.append(
            {
                "type": "scattergeo",
                "lon": lon[on],
                "lat": lat[on],
                "hovertext": hover[on].tolist(),
                "hovertemplate": "%{hovertext}<extra></extra>",
                "mode": "markers",
                "name": _label(name) if name else "several types",
                "legendgroup": name or "several",
                "showlegend": bool(on.any()),
                "marker": {
                    "size": size[on],
                    "sizemode": "area",
                    "sizeref": sizeref,
                    "sizemin": 5,
                    "color": style.color,
                    "symbol": style.symbol,
                    "opacity": 0.8,
                    "line": {"width": 1, "color": style.color},
                },
            }
        )
    bounds = map_bounds(lon, lat)
    lon_range, lat_range = bounds if bounds is not None else (None, None)
    geo = {
        "scope": "world",
        "resolution": 110,
        "projection": {"type": "natural earth"},
        "showcountries": True,
        "countrycolor": OKABE_ITO["grey"],
        "showland": True,
        "showcoastlines": True,
        "lonaxis": {"range": lon_range},
        "lataxis": {"range": lat_range},
    }
    if bounds is None:
        del geo["lonaxis"], geo["lataxis"]
    layout = {
        "geo": geo,
        "height": 480,
        "legend": {"title": {"text": "Attack type (one per place)"}, "itemsizing": "constant"},
    }

    top = int(np.argmax(counts))
    tied = int((counts == counts[top]).sum()) > 1
    busiest = _place_label(*(places[c].iloc[top] for c in ("place", "admin1", "country", "geo_precision")))
    killed = _total_range(
        places["killed_low"].to_numpy(),
        places["killed_high"].to_numpy(),
        places["killed_stated"].to_numpy(),
        counts,
    )
    summary = (
        f"{_plural(int(counts.sum()), 'attack')} at {_plural(len(places), 'place')}. "
        f"Killed: {killed} (sum of the attacks' ranges)."
    )
    if not tied:
        summary += f" Most at {busiest} ({int(counts[top]):,})."
    if unlocated:
        summary += f" {_plural(unlocated, 'matching attack')} without coordinates not on the map."
    relayout = {"geo.lonaxis.range": lon_range, "geo.lataxis.range": lat_range}
    return FigureParts(title, summary, traces, layout, relayout)


def attack_map(
    attacks: pd.DataFrame | None = None,
    *,
    selection: AttackSelection | None = None,
    mask: np.ndarray | None = None,
    groups: pd.DataFrame | None = None,
    title: str = MAP_TITLE,
) -> go.Figure:
    """A map with one marker per place, its area proportional to the number of attacks.

    A place whose attacks are all of one type takes that type's colour and symbol
    (:data:`~course_lib.palette.ATTACK_TYPE_STYLE`); a place with several types is an open
    black circle. Hovering shows the place, the count, the years, the killed range and,
    for a place with a single attack, its date, group, evidence level and source. The
    map has ten traces (one per attack type, then "several types"), always in that order,
    and is framed on the places shown. Attacks without coordinates are counted in the
    summary, not drawn.

    Parameters
    ----------
    attacks
        The attacks table (default: the bundled one); ignored when ``selection`` is given.
    selection, mask
        A prepared :class:`~course_lib.selection.AttackSelection` and the rows to show
        (default: all).
    groups
        The registry, for group names (default: the bundled one).
    title
        The figure's title.

    Examples
    --------
    >>> import pandas as pd
    >>> from course_lib.plots.base import summary_of
    >>> fig = attack_map(example_attacks(), groups=pd.DataFrame({"group_id": ["aqim"], "name": ["AQIM"]}))
    >>> [(t.name, len(t.lon)) for t in fig.data if len(t.lon)]
    [('bombing', 1), ('unknown', 1)]
    >>> print(summary_of(fig))
    3 attacks at 2 places. Killed: at least 35 (sum of the attacks' ranges). Most at Algiers, DZA (2).
    """
    sel, keep = _prepare(attacks, selection, mask, groups)
    return build(map_parts(sel, keep, title))


# ---------------------------------------------------------------------- timeline
def timeline_parts(
    sel: AttackSelection, mask: np.ndarray, years: tuple[int, int] | None = None, title: str = TIMELINE_TITLE
) -> FigureParts:
    """The parts of :func:`attack_timeline` for the rows of ``sel`` where ``mask`` is true."""
    table = sel.by_year(mask, years)
    undated = table.attrs.get("undated", 0)
    if table.empty or table["count"].sum() == 0:
        reason = "No attacks match the current selection."
        if undated:
            reason = f"None of the {_plural(undated, 'matching attack')} is dated."
        return FigureParts(title, reason, empty=reason)

    year = table["year"].to_numpy(dtype=np.int32)
    count = table["count"].to_numpy()
    low = table["killed_low"].to_numpy()
    high = table["killed_high"].to_numpy()
    stated = table["killed_stated"].to_numpy()
    ranges = [_range(lo, hi, st) for lo, hi, st in zip(low.tolist(), high.tolist(), stated.tolist())]
    years_list = year.tolist()
    bar_hover = [
        f"{y}: {_plural(c, 'attack')}; killed: {r}" for y, c, r in zip(years_list, count.tolist(), ranges)
    ]
    killed_hover = np.array(
        [f"{y}: killed {r} (sum of the attacks' ranges)" for y, r in zip(years_list, ranges)]
    )
    closed = (count > 0) & (stated > 0) & ~np.isnan(high)
    open_ = (count > 0) & (stated > 0) & np.isnan(high)
    traces = [
        {
            "type": "bar",
            "x": year,
            "y": count.astype(np.int32),
            "name": "attacks",
            "marker": {"color": OKABE_ITO["blue"]},
            "hovertext": bar_hover,
            "hovertemplate": "%{hovertext}<extra></extra>",
            "yaxis": "y",
        },
        {
            "type": "scatter",
            "x": year[closed],
            "y": low[closed].astype(np.float64),
            "name": "killed (low–high)",
            "mode": "markers",
            "marker": {
                "color": _KILLED,
                "symbol": "line-ew-open",
                "size": 12,
                "line": {"width": 2, "color": _KILLED},
            },
            "error_y": {
                "type": "data",
                "symmetric": False,
                "array": (high[closed] - low[closed]).astype(np.float64),
                "arrayminus": np.zeros(int(closed.sum())),
                "color": _KILLED,
                "thickness": 2,
                "width": 6,
            },
            "hovertext": killed_hover[closed].tolist(),
            "hovertemplate": "%{hovertext}<extra></extra>",
            "yaxis": "y2",
        },
        {
            "type": "scatter",
            "x": year[open_],
            "y": low[open_].astype(np.float64),
            "name": "killed (at least)",
            "mode": "markers",
            "marker": {"color": _KILLED, "symbol": "triangle-up", "size": 9},
            "hovertext": killed_hover[open_].tolist(),
            "hovertemplate": "%{hovertext}<extra></extra>",
            "yaxis": "y2",
        },
    ]
    x_range = [float(year[0]) - 0.6, float(year[-1]) + 0.6]
    layout = {
        "height": 420,
        "bargap": 0.15,
        "xaxis": {"anchor": "y2", "range": x_range},
        "yaxis": {"domain": [0.5, 1.0], "title": {"text": "Attacks"}, "rangemode": "tozero"},
        "yaxis2": {"domain": [0.0, 0.4], "title": {"text": "Killed (range)"}, "rangemode": "tozero"},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "right", "x": 1},
    }
    busiest = int(np.argmax(count))
    dated = year[count > 0]
    summary = (
        f"{_plural(int(count.sum()), 'attack')} from {dated.min()} to {dated.max()}, "
        f"most in {year[busiest]} ({count[busiest]:,}). "
        f"Killed: {_total_range(low, high, stated, count)} (sum of the attacks' ranges)."
    )
    if undated:
        summary += f" {_plural(undated, 'matching attack')} without a date not shown."
    return FigureParts(title, summary, traces, layout, {"xaxis.range": x_range}, x="Year")


def attack_timeline(
    attacks: pd.DataFrame | None = None,
    *,
    selection: AttackSelection | None = None,
    mask: np.ndarray | None = None,
    years: tuple[int, int] | None = None,
    groups: pd.DataFrame | None = None,
    title: str = TIMELINE_TITLE,
) -> go.Figure:
    """Attacks per year (bars, top) and people killed per year as a range (bottom).

    The killed panel never shows one number where the sources give a range: a year whose
    attacks all state an upper bound is a dash at the sum of the lower bounds with an
    error bar up to the sum of the upper bounds; a year where some upper bound is missing
    is an upward triangle at the sum of the lower bounds ("at least"). Three traces,
    always: attacks, killed (low–high), killed (at least).

    ``years`` fixes the span of the axis (default: the years of the whole table); the other
    parameters are as in :func:`attack_map`.

    Examples
    --------
    >>> import pandas as pd
    >>> fig = attack_timeline(example_attacks(), groups=pd.DataFrame({"group_id": [], "name": []}))
    >>> [t.name for t in fig.data]
    ['attacks', 'killed (low–high)', 'killed (at least)']
    >>> fig.data[2].x.tolist(), fig.data[2].y.tolist()
    ([2007], [35.0])
    """
    sel, keep = _prepare(attacks, selection, mask, groups)
    return build(timeline_parts(sel, keep, years, title))


# ---------------------------------------------------------------------- type mix
def type_mix_parts(sel: AttackSelection, mask: np.ndarray, title: str = MIX_TITLE) -> FigureParts:
    """The parts of :func:`attack_type_mix` for the rows of ``sel`` where ``mask`` is true."""
    table = sel.by_type(mask)
    count = table["count"].to_numpy()
    if count.sum() == 0:
        reason = "No attacks match the current selection."
        return FigureParts(title, reason, empty=reason)
    types = table["attack_type"].tolist()
    labels = [_label(t) for t in types]
    ranges = [
        _range(lo, hi, st)
        for lo, hi, st in zip(
            table["killed_low"].tolist(), table["killed_high"].tolist(), table["killed_stated"].tolist()
        )
    ]
    traces = [
        {
            "type": "bar",
            "x": count.astype(np.int32),
            "y": labels,
            "orientation": "h",
            "name": "attacks",
            "marker": {
                "color": [ATTACK_TYPE_STYLE[t].color for t in types],
                "line": {"color": OKABE_ITO["black"], "width": 0.5},
            },
            "text": [f"{c:,}" if c else "" for c in count.tolist()],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertext": [
                f"{escape(lbl)}: {_plural(c, 'attack')}; killed: {r}"
                for lbl, c, r in zip(labels, count.tolist(), ranges)
            ],
            "hovertemplate": "%{hovertext}<extra></extra>",
        }
    ]
    layout = {"height": 340, "yaxis": {"autorange": "reversed"}, "showlegend": False}
    order = np.argsort(-count, kind="stable")
    present = [int(i) for i in order if count[i]]
    listed = ", ".join(f"{count[i]:,} {labels[i]}" for i in present[:4])
    more = f" and {len(present) - 4} more types" if len(present) > 4 else ""
    summary = f"{_plural(int(count.sum()), 'attack')} of {_plural(len(present), 'type')}: {listed}{more}."
    return FigureParts(title, summary, traces, layout, {}, x="Attacks", y="Attack type")


def attack_type_mix(
    attacks: pd.DataFrame | None = None,
    *,
    selection: AttackSelection | None = None,
    mask: np.ndarray | None = None,
    groups: pd.DataFrame | None = None,
    title: str = MIX_TITLE,
) -> go.Figure:
    """One horizontal bar per attack type (all types, zeros included), in the codebook's order.

    Bars take the type's colour; the type is also written on the axis, so the colour is
    never the only cue. Hovering shows the killed range for the type. Parameters as in
    :func:`attack_map`.

    Examples
    --------
    >>> import pandas as pd
    >>> from course_lib.plots.base import summary_of
    >>> fig = attack_type_mix(example_attacks(), groups=pd.DataFrame({"group_id": [], "name": []}))
    >>> dict(zip(fig.data[0].y, fig.data[0].x.tolist()))["bombing"]
    2
    >>> print(summary_of(fig))
    3 attacks of 2 types: 2 bombing, 1 unknown.
    """
    sel, keep = _prepare(attacks, selection, mask, groups)
    return build(type_mix_parts(sel, keep, title))
