"""Attack figures: where (map), when (timeline) and how (type mix), casualties as ranges.

Each builder takes an :class:`~course_lib.attacks.AttackSelection` and a boolean ``mask``
of the rows to show (default: all), and aggregates before it plots: one marker per place,
one bar per year or type, never one per attack, so it stays fast on 200,000 events.
Casualties are ranges: the sum of the lower bounds and, when every attack states an upper
bound, the sum of those ("12–15"); otherwise "at least 12". A builder's traces are the same
in number and type whatever the filters, so a figure can be updated in place.

:func:`attack_overview` is the kernel-free version of the attack explorer: the map and the
timeline in one figure, a group per legend entry (click to hide or show it) and a slider of
years, all precomputed, so it explores in a static page with no Python.

Examples
--------
>>> from course_lib import load_attacks, load_groups
>>> from course_lib.attacks import AttackSelection
>>> sel = AttackSelection(load_attacks(), load_groups())
>>> fig = attack_timeline(sel, sel.mask(groups=["aqim"]))
>>> [t.name for t in fig.data]
['attacks', 'killed (low–high)', 'killed (at least)']
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..attacks import AttackSelection
from ..vocab import country_label, format_range, label, plural
from .base import empty_figure, escape, finish, legend_below
from .palette import ATTACK_TYPE_STYLE, GROUP_STYLES, OKABE_ITO, Style

__all__ = ["attack_map", "attack_overview", "attack_timeline", "attack_type_mix", "map_bounds"]

MAP_TITLE = "Where the attacks took place"
TIMELINE_TITLE = "Attacks and people killed per year"
MIX_TITLE = "Attacks by type"
MIXED_STYLE = Style(OKABE_ITO["black"], "solid", "circle-open")
MAX_MARKER = 36
#: The most places one map draws: those with the most attacks (an imported GTD has some
#: 50,000; drawn all, one map weighed 31 MB and took seconds to draw in a browser).
MAP_PLACES = 2_000
#: The most places the kernel-free overview carries over all its states (group × year), so
#: that the copy a notebook keeps of it stays a few megabytes at most.
OVERVIEW_PLACES = 20_000
_KILLED = OKABE_ITO["vermillion"]


def _all(sel: AttackSelection, mask: np.ndarray | None) -> np.ndarray:
    return np.ones(sel.n, dtype=bool) if mask is None else np.asarray(mask, dtype=bool)


def _range(low: float, high: float, stated: float) -> str:
    return format_range(low, None if high != high else high, stated > 0)


def _total(low: np.ndarray, high: np.ndarray, stated: np.ndarray, count: np.ndarray) -> str:
    """The range of a whole selection (open if any part with attacks is open)."""
    closed = not np.isnan(high[count > 0]).any()
    return format_range(int(low.sum()), float(np.nansum(high)) if closed else None, int(stated.sum()) > 0)


def map_bounds(lon: np.ndarray, lat: np.ndarray) -> tuple[list[float], list[float]] | None:
    """Longitude and latitude ranges framing the points with a margin, about twice as wide as high.

    >>> map_bounds(np.array([3.0, 20.0]), np.array([36.0, 32.0]))
    ([-9.0, 32.0], [24.0, 44.0])
    """
    if len(lon) == 0 or float(lon.max() - lon.min()) > 200:
        return None
    pad_lon, pad_lat = max(10.0, 0.15 * float(np.ptp(lon))), max(8.0, 0.15 * float(np.ptp(lat)))
    west, east = float(lon.min()) - pad_lon, float(lon.max()) + pad_lon
    south, north = max(-90.0, float(lat.min()) - pad_lat), min(90.0, float(lat.max()) + pad_lat)
    extra = max(0.0, 2.0 * (north - south) - (east - west)) / 2
    west, east = max(-180.0, west - extra), min(180.0, east + extra)
    return [float(np.floor(west)), float(np.ceil(east))], [float(np.floor(south)), float(np.ceil(north))]


def _geo(lon: np.ndarray, lat: np.ndarray) -> dict[str, Any]:
    geo: dict[str, Any] = {
        "projection": {"type": "natural earth"},
        "showcountries": True,
        "countrycolor": OKABE_ITO["grey"],
        "showcoastlines": True,
        "resolution": 110,
    }
    bounds = map_bounds(lon, lat)
    if bounds is not None:
        geo["lonaxis"], geo["lataxis"] = {"range": bounds[0]}, {"range": bounds[1]}
    return geo


#: Per selection, the hover text of each attack alone at its place, made when first shown: a
#: slider step then formats only the attacks it brings in (on 200,000 imported attacks at as
#: many places, formatting them all at each step took most of a redraw's 300 ms).
_SINGLE_TEXTS: weakref.WeakKeyDictionary[AttackSelection, np.ndarray] = weakref.WeakKeyDictionary()


def _single_texts(sel: AttackSelection, rows: np.ndarray) -> np.ndarray:
    texts = _SINGLE_TEXTS.get(sel)
    if texts is None:
        texts = _SINGLE_TEXTS[sel] = np.full(sel.n, None, dtype=object)
    missing = rows[pd.isna(texts[rows])]
    if len(missing):
        details = sel.row_details(missing)
        texts[missing] = [
            f"<b>{escape(', '.join(x for x in (d.place, d.country) if x) or 'location not stated')}</b>"
            f"<br>{escape(d.date)} · {escape(d.group)}<br>{escape(label(d.attack_type))} · "
            f"killed: {escape(d.killed)} · evidence: {escape(d.evidence_level)}<br>Source: {escape(d.source)}"
            for d in details.itertuples(index=False)
        ]
    return texts[rows]


def _place_texts(places: pd.DataFrame, sel: AttackSelection) -> np.ndarray:
    row = places["row"].to_numpy()
    single = row >= 0
    texts = np.empty(len(places), dtype=object)
    texts[single] = _single_texts(sel, row[single])
    for i, rec in zip(np.flatnonzero(~single), places.loc[~single].itertuples(index=False)):
        where = escape(
            ", ".join(x for x in (rec.place or rec.admin1, country_label(rec.country)) if x)
            or "location not stated"
        )
        years = (
            f", {rec.year_first}" + (f"–{rec.year_last}" if rec.year_last != rec.year_first else "")
            if rec.year_first
            else ""
        )
        mix = f"all {escape(label(rec.attack_type))}" if rec.attack_type else f"{rec.n_types} types of attack"
        texts[i] = (
            f"<b>{where}</b><br>{plural(rec.count, 'attack')}{years}<br>"
            f"killed: {_range(rec.killed_low, rec.killed_high, rec.killed_stated)}<br>{mix}"
        )
    return texts


def _most(places: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The ``limit`` places with the most attacks (ties broken by the table's order)."""
    if len(places) <= limit:
        return places
    order = np.argsort(-places["count"].to_numpy(), kind="stable")[:limit]
    return places.iloc[np.sort(order)]


def attack_map(sel: AttackSelection, mask: np.ndarray | None = None, title: str = MAP_TITLE) -> go.Figure:
    """A map with one marker per place, its area proportional to the number of attacks.

    A place whose attacks are all of one type takes that type's colour and symbol; a place
    with several types is an open black circle. Hovering shows the place, the count, the
    years and the killed range (for a single attack: date, group, evidence and source).
    Attacks without coordinates are counted in the summary, not drawn; of more than
    :data:`MAP_PLACES` places, those with the most attacks are drawn, and the summary says so.
    """
    places = sel.by_place(_all(sel, mask))
    unlocated = places.attrs["unlocated"]
    if places.empty:
        reason = (
            f"None of the {plural(unlocated, 'matching attack')} has coordinates."
            if unlocated
            else "No attacks match the current selection."
        )
        return empty_figure(title, reason)
    shown = _most(places, MAP_PLACES)
    size = shown["count"].to_numpy()
    lon, lat = shown["longitude"].to_numpy(), shown["latitude"].to_numpy()
    hover = _place_texts(shown, sel)
    kind = shown["attack_type"].to_numpy(dtype=object)
    sizeref = 2.0 * float(size.max()) / MAX_MARKER**2
    traces = []
    for name in (*ATTACK_TYPE_STYLE, None):
        style = ATTACK_TYPE_STYLE[name] if name else MIXED_STYLE
        on = (kind == name) if name else pd.isna(kind)
        traces.append(
            dict(
                type="scattergeo",
                mode="markers",
                lon=lon[on],
                lat=lat[on],
                hovertext=hover[on],
                hovertemplate="%{hovertext}<extra></extra>",
                name=label(name) if name else "several types",
                showlegend=bool(on.any()),
                marker=dict(
                    size=size[on],
                    sizemode="area",
                    sizeref=sizeref,
                    sizemin=5,
                    color=style.color,
                    symbol=style.symbol,
                    opacity=0.8,
                    line=dict(width=1, color=style.color),
                ),
            )
        )
    counts = places["count"].to_numpy()
    top = int(np.argmax(counts))
    summary = (
        f"{plural(int(counts.sum()), 'attack')} at {plural(len(places), 'place')}. Killed: "
        f"{_total(places['killed_low'].to_numpy(), places['killed_high'].to_numpy(), places['killed_stated'].to_numpy(), counts)}"
        " (sum of the attacks' ranges)."
    )
    if (counts == counts[top]).sum() == 1:
        rec = places.iloc[top]
        summary += f" Most at {', '.join(x for x in (rec['place'] or rec['admin1'], country_label(rec['country'])) if x)} ({counts[top]:,})."
    if len(shown) < len(places):
        summary += f" The map shows the {len(shown):,} places with the most attacks; narrow the filters to map the rest."
    if unlocated:
        summary += f" {plural(unlocated, 'matching attack')} without coordinates not on the map."
    layout = dict(geo=_geo(lon, lat), height=480, legend=legend_below("Attack type (one per place)"))
    return finish(traces, layout, title, summary)


def attack_timeline(
    sel: AttackSelection,
    mask: np.ndarray | None = None,
    years: tuple[int, int] | None = None,
    title: str = TIMELINE_TITLE,
) -> go.Figure:
    """Attacks per year (bars, top) and people killed per year as a range (bottom).

    A year whose attacks all state an upper bound is a dash at the sum of the lower bounds with
    a bar up to the sum of the upper bounds; a year where one is missing is an upward triangle
    ("at least"). ``years`` fixes the axis (default: the whole table's span).
    """
    table = sel.by_year(_all(sel, mask), years)
    undated = table.attrs["undated"]
    if table["count"].sum() == 0:
        reason = (
            f"None of the {plural(undated, 'matching attack')} is dated."
            if undated
            else "No attacks match the current selection."
        )
        return empty_figure(title, reason)
    year, count = table["year"].to_numpy(), table["count"].to_numpy()
    low, high, stated = (table[c].to_numpy() for c in ("killed_low", "killed_high", "killed_stated"))
    ranges = [_range(lo, hi, st) for lo, hi, st in zip(low, high, stated)]
    killed_hover = np.array(
        [f"{y}: killed {r} (sum of the attacks' ranges)" for y, r in zip(year, ranges)], dtype=object
    )
    closed = (count > 0) & (stated > 0) & ~np.isnan(high)
    open_ = (count > 0) & (stated > 0) & np.isnan(high)
    traces = [
        dict(
            type="bar",
            x=year,
            y=count,
            name="attacks",
            marker=dict(color=OKABE_ITO["blue"]),
            yaxis="y",
            hovertext=[
                f"{y}: {plural(int(c), 'attack')}; killed: {r}" for y, c, r in zip(year, count, ranges)
            ],
            hovertemplate="%{hovertext}<extra></extra>",
        ),
        dict(
            type="scatter",
            mode="markers",
            x=year[closed],
            y=low[closed].astype(float),
            name="killed (low–high)",
            yaxis="y2",
            hovertext=killed_hover[closed],
            hovertemplate="%{hovertext}<extra></extra>",
            marker=dict(color=_KILLED, symbol="line-ew-open", size=12, line=dict(width=2, color=_KILLED)),
            error_y=dict(
                type="data",
                symmetric=False,
                array=(high[closed] - low[closed]).astype(float),
                arrayminus=np.zeros(int(closed.sum())),
                color=_KILLED,
                thickness=2,
                width=6,
            ),
        ),
        dict(
            type="scatter",
            mode="markers",
            x=year[open_],
            y=low[open_].astype(float),
            name="killed (at least)",
            yaxis="y2",
            hovertext=killed_hover[open_],
            hovertemplate="%{hovertext}<extra></extra>",
            marker=dict(color=_KILLED, symbol="triangle-up", size=9),
        ),
    ]
    layout = dict(
        height=440,
        bargap=0.15,
        xaxis=dict(anchor="y2", range=[float(year[0]) - 0.6, float(year[-1]) + 0.6], title=dict(text="Year")),
        yaxis=dict(domain=[0.52, 1.0], title=dict(text="Attacks"), rangemode="tozero"),
        yaxis2=dict(domain=[0.0, 0.4], title=dict(text="Killed (range)"), rangemode="tozero"),
        legend=legend_below(y=-0.2, per_row=3),
    )
    busiest = int(np.argmax(count))
    dated = year[count > 0]
    summary = (
        f"{plural(int(count.sum()), 'attack')} from {dated.min()} to {dated.max()}, most in {year[busiest]} "
        f"({count[busiest]:,}). Killed: {_total(low, high, stated, count)} (sum of the attacks' ranges)."
    )
    if undated:
        summary += f" {plural(undated, 'matching attack')} without a date not shown."
    return finish(traces, layout, title, summary)


def attack_type_mix(
    sel: AttackSelection, mask: np.ndarray | None = None, title: str = MIX_TITLE
) -> go.Figure:
    """One horizontal bar per attack type (zeros included), in the codebook's order.

    The type is written on the axis as well as coloured, so colour is never the only cue.
    """
    table = sel.by_type(_all(sel, mask))
    count = table["count"].to_numpy()
    if count.sum() == 0:
        return empty_figure(title, "No attacks match the current selection.")
    types = table["attack_type"].tolist()
    labels = [label(t) for t in types]
    ranges = [
        _range(lo, hi, st)
        for lo, hi, st in zip(table["killed_low"], table["killed_high"], table["killed_stated"])
    ]
    trace = dict(
        type="bar",
        orientation="h",
        x=count,
        y=labels,
        name="attacks",
        text=[f"{c:,}" if c else "" for c in count],
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{hovertext}<extra></extra>",
        hovertext=[
            f"{escape(t)}: {plural(int(c), 'attack')}; killed: {r}" for t, c, r in zip(labels, count, ranges)
        ],
        marker=dict(
            color=[ATTACK_TYPE_STYLE[t].color for t in types], line=dict(color=OKABE_ITO["black"], width=0.5)
        ),
    )
    present = [int(i) for i in np.argsort(-count, kind="stable") if count[i]]
    listed = ", ".join(f"{count[i]:,} {labels[i]}" for i in present[:4])
    more = f" and {len(present) - 4} more types" if len(present) > 4 else ""
    summary = f"{plural(int(count.sum()), 'attack')} of {plural(len(present), 'type')}: {listed}{more}."
    layout = dict(
        height=360,
        yaxis=dict(autorange="reversed"),
        xaxis=dict(range=[0, float(count.max()) * 1.15]),
        showlegend=False,
    )
    return finish([trace], layout, title, summary, x="Attacks", y="Attack type")


def attack_overview(
    sel: AttackSelection, max_groups: int = 8, title: str = "Attacks by group, place and year"
) -> go.Figure:
    """The attack explorer without a kernel: map and timeline, groups in the legend, a slider of years.

    The ``max_groups`` groups with the most attacks have a legend entry each (click to hide or
    show them on both panels); the others share one. The slider's steps show all years or
    one year on the map; the timeline below always shows every year.
    """
    mask = sel.mask()
    if not mask.any():
        return empty_figure(title, "The table has no attacks.")
    counts = pd.Series(sel.group_code).value_counts()
    top = [int(c) for c in counts.index[:max_groups] if c >= 0]
    group_of = np.where(np.isin(sel.group_code, top), sel.group_code, -1)
    series = [(sel.group_name(sel.group_ids[c]), group_of == c) for c in top]
    if (group_of == -1).any():
        series.append(("other groups", group_of == -1))
    years = list(range(sel.year_range[0], sel.year_range[1] + 1)) if sel.year_range else []
    styles = [
        *GROUP_STYLES,
        *(Style(c, "solid", "circle") for k, c in OKABE_ITO.items() if k not in ("black", "grey")),
    ]

    by_year = {y: [sel.by_place(m & sel.has_year & (sel.year == y)) for _, m in series] for y in years}
    by_all = [sel.by_place(m) for _, m in series]
    total = sum(map(len, by_all)) + sum(len(p) for ps in by_year.values() for p in ps)
    # Over budget: half of it for the maps of all years, half for the years one by one.
    all_limit = max(1, OVERVIEW_PLACES // (2 * len(series)))
    year_limit = max(1, OVERVIEW_PLACES // (2 * len(series) * max(1, len(years))))
    capped = total > OVERVIEW_PLACES

    def points(places: pd.DataFrame, limit: int) -> dict[str, Any]:
        places = _most(places, limit) if capped else places
        return dict(
            lon=places["longitude"].to_numpy(),
            lat=places["latitude"].to_numpy(),
            size=places["count"].to_numpy(),
            hovertext=_place_texts(places, sel),
        )

    states = {y: [points(p, year_limit) for p in ps] for y, ps in by_year.items()}
    everything = [points(p, all_limit) for p in by_all]
    sizeref = 2.0 * max(int(p["size"].max(initial=1)) for p in everything) / MAX_MARKER**2
    traces = []
    for k, ((name, _rows), pts) in enumerate(zip(series, everything)):
        style = styles[k % len(styles)]
        traces.append(
            dict(
                type="scattergeo",
                mode="markers",
                name=escape(name),
                legendgroup=str(k),
                lon=pts["lon"],
                lat=pts["lat"],
                hovertext=pts["hovertext"],
                hovertemplate="%{hovertext}<extra></extra>",
                marker=dict(
                    size=pts["size"],
                    sizemode="area",
                    sizeref=sizeref,
                    sizemin=5,
                    color=style.color,
                    symbol=style.symbol,
                    opacity=0.8,
                ),
                geo="geo",
            )
        )
    for k, (name, rows) in enumerate(series):
        per_year = (
            np.bincount(sel.year[rows & sel.has_year] - years[0], minlength=len(years)) if years else []
        )
        traces.append(
            dict(
                type="bar",
                x=years,
                y=per_year,
                name=escape(name),
                legendgroup=str(k),
                showlegend=False,
                marker=dict(color=styles[k % len(styles)].color),
                xaxis="x",
                yaxis="y",
                hovertemplate=f"{escape(name)}, %{{x}}: %{{y}} attacks<extra></extra>",
            )
        )

    def step(label_text: str, state: list[dict[str, Any]]) -> dict[str, Any]:
        return dict(
            method="restyle",
            label=label_text,
            args=[
                {
                    "lon": [p["lon"] for p in state],
                    "lat": [p["lat"] for p in state],
                    "marker.size": [p["size"] for p in state],
                    "hovertext": [p["hovertext"] for p in state],
                },
                list(range(len(series))),
            ],
        )

    slider = dict(
        active=0,
        currentvalue=dict(prefix="Map shows: "),
        pad=dict(t=30),
        x=0,
        len=1,
        y=0.44,
        yanchor="top",
        steps=[step("all years", everything), *(step(str(y), states[y]) for y in years)],
    )
    lon, lat = sel.frame["longitude"].to_numpy(dtype=float), sel.frame["latitude"].to_numpy(dtype=float)
    geo = dict(_geo(lon[~np.isnan(lon)], lat[~np.isnan(lat)]), domain=dict(x=[0, 1], y=[0.5, 1]))
    layout = dict(
        height=760,
        geo=geo,
        sliders=[slider],
        barmode="stack",
        xaxis=dict(domain=[0, 1], title=dict(text="Year")),
        yaxis=dict(domain=[0, 0.3], title=dict(text="Attacks")),
        legend=legend_below("Group (click to hide or show)", per_row=2, y=-0.12),
    )
    summary = (
        f"{plural(int(mask.sum()), 'attack')} by {plural(len(sel.group_ids), 'group')}, "
        f"{years[0] if years else ''}–{years[-1] if years else ''}: map (with a slider of years) and attacks per year."
    )
    if capped:
        summary += (
            f" Each group's map shows at most the {all_limit:,} places with the most attacks of all "
            f"years, or the {year_limit:,} of the year chosen; the timeline counts every attack."
        )
    return finish(
        traces,
        layout,
        title,
        summary,
        subtitle="Works without Python: the legend hides or shows groups, the slider picks a year",
    )
