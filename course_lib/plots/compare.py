"""Figures for comparisons: groups side by side, before/after a date, evidence sensitivity.

Colours and second cues come from :mod:`course_lib.palette`. Bars cannot carry a line
dash, so a bar's second cue is a fill pattern derived from its style's dash
(:data:`DASH_PATTERN`: solid → plain, dash → hatched, dot → dotted); ranges and lines keep
the dash and the marker symbol.

Examples
--------
>>> import pandas as pd
>>> from course_lib.compare import evidence_sensitivity
>>> t = pd.DataFrame({"relation": ["ally", "ally", "rival"],
...                   "evidence_level": ["suspected", "verified", "reported"]})
>>> fig = sensitivity_figure(evidence_sensitivity(t, by="relation"), by="relation")
>>> [trace.name for trace in fig.data]
['evidence ≥ suspected', 'evidence ≥ reported', 'evidence ≥ verified']
>>> list(fig.data[2].x)
[1, 0]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..arsenal import EVIDENCE_LEVELS
from ..compare import NOT_STATED, SIDES, BeforeAfterSplit, Comparison
from ..palette import EVIDENCE_STYLE, GROUP_STYLES, OKABE_ITO, Style
from .arsenals import group_names, label, n_of
from .base import empty_figure, escape, finish, new_figure

__all__ = [
    "DASH_PATTERN",
    "SIDE_STYLE",
    "before_after_figure",
    "comparison_figure",
    "sensitivity_figure",
]

#: A bar's fill pattern for each line dash of the palette (the bar's second cue).
DASH_PATTERN = {"solid": "", "dash": "/", "dot": ".", "dashdot": "x", "longdash": "-", "longdashdot": "+"}

#: Before / after a date: the first two group styles, and grey for "uncertain".
SIDE_STYLE = {
    "before": GROUP_STYLES[0],
    "uncertain": Style(OKABE_ITO["grey"], "dot", "circle-open"),
    "after": GROUP_STYLES[1],
}

#: How many sources a bar's hover text lists before "+N more".
HOVER_SOURCES = 3


def _fade(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _bar_marker(style: Style) -> dict:
    return dict(
        color=style.color,
        line=dict(color="#000000", width=0.5),
        pattern=dict(shape=DASH_PATTERN.get(style.dash, ""), fgcolor="#000000", fgopacity=0.45, size=6),
    )


def _grid(shape: tuple[int, int], titles: Sequence[str], hgap=0.16, vgap=0.16) -> tuple[dict, list[tuple]]:
    """Lay out ``rows × cols`` panels without make_subplots: the layout and each panel's (xref, yref)."""
    rows, cols = shape
    w = (1 - hgap * (cols - 1)) / cols
    h = (1 - vgap * (rows - 1)) / rows
    refs, notes = [], []
    layout: dict = {"annotations": notes}
    for r in range(rows):
        for c in range(cols):
            k = r * cols + c + 1
            x0 = c * (w + hgap)
            y1 = 1 - r * (h + vgap)
            suffix = "" if k == 1 else str(k)
            xd = [round(max(0.0, x0), 6), round(min(1.0, x0 + w), 6)]
            yd = [round(max(0.0, y1 - h), 6), round(min(1.0, y1), 6)]
            layout[f"xaxis{suffix}"] = dict(domain=xd, anchor=f"y{suffix}")
            layout[f"yaxis{suffix}"] = dict(domain=yd, anchor=f"x{suffix}")
            refs.append((f"x{suffix}", f"y{suffix}"))
            if k <= len(titles):
                notes.append(
                    dict(
                        text=f"<b>{escape(titles[k - 1])}</b>",
                        x=x0 + w / 2,
                        y=y1,
                        xref="paper",
                        yref="paper",
                        xanchor="center",
                        yanchor="bottom",
                        showarrow=False,
                        yshift=4,
                    )
                )
    return layout, refs


def _axis(layout: dict, ref: str) -> dict:
    """The layout dict of axis ``ref`` ("x", "y2" …)."""
    return layout[("xaxis" if ref[0] == "x" else "yaxis") + ref[1:]]


def _subtitle(fig: go.Figure, text: str) -> go.Figure:
    """A second title line (escaped) under the title, with room made for it."""
    fig.update_layout(title_subtitle_text=escape(text), margin_t=110)
    return fig


def _panel_note(layout: dict, ref: tuple[str, str], text: str) -> None:
    """A note in the middle of an empty panel."""
    layout["annotations"].append(
        dict(
            text=escape(text),
            x=0.5,
            y=0.5,
            xref=f"{ref[0]} domain",
            yref=f"{ref[1]} domain",
            showarrow=False,
            font=dict(color="#555555"),
        )
    )


def _cites(frame: pd.DataFrame, keys: Sequence[str]) -> dict[tuple, str]:
    """For each combination of ``keys``, the escaped "source_id, locator" of its rows (a few)."""
    if not len(frame) or "source_id" not in frame:
        return {}
    cols = [*keys, "source_id"] + (["locator"] if "locator" in frame else [])
    sub = frame[cols].astype("object").drop_duplicates()
    out: dict[tuple, list[str]] = {}
    for rec in sub.itertuples(index=False):
        key = tuple(rec[: len(keys)])
        where = ", ".join(str(x) for x in rec[len(keys) :] if isinstance(x, str) and x)
        out.setdefault(key, []).append(escape(where))
    text = {}
    for key, items in out.items():
        more = len(items) - HOVER_SOURCES
        text[key] = "<br>".join(items[:HOVER_SOURCES]) + (f"<br>+{more} more" if more > 0 else "")
    return text


def _range_text(low: float, high: float, unit: str = "") -> str:
    def num(v: float) -> str:
        return f"{v:,.0f}"

    unit = f" {unit}" if unit else ""
    if np.isnan(low) and np.isnan(high):
        return "not stated"
    if np.isnan(high):
        return f"≥ {num(low)}{unit}"
    if np.isnan(low):
        return f"≤ {num(high)}{unit}"
    if low == high:
        return f"{num(low)}{unit}"
    return f"{num(low)}–{num(high)}{unit}"


def _killed_text(rec: pd.Series) -> str:
    """The killed on one side of a split: a range, "none" without attacks, or "not stated"."""
    if int(rec["attacks"]) == 0:
        return "no attacks"
    if int(rec["not_stated"]) == int(rec["attacks"]):
        return "not stated"
    return _range_text(float(rec["killed_low"]), float(rec["killed_high"]))


def _integer_axis(axis: dict, top: float) -> None:
    """Whole-number ticks on a count axis (no 0.2 attacks)."""
    axis.update(tickformat=",d", rangemode="tozero")
    if top <= 10:
        axis["dtick"] = 1


# --------------------------------------------------------------------------------------
# groups side by side
# --------------------------------------------------------------------------------------
def _strength_traces(comparison: Comparison, k: int, gid: str, ref, style: Style) -> tuple[list, int]:
    rows = comparison.strength[comparison.strength["group_id"] == gid]
    name = comparison.name(gid)
    bx, by, mx, my, mtext, mhover = [], [], [], [], [], []
    shown = 0
    for rec in rows.itertuples(index=False):
        low, high = float(rec.value_low), float(rec.value_high)
        if (np.isnan(low) and np.isnan(high)) or pd.isna(rec.start) or pd.isna(rec.end):
            continue
        lo = high if np.isnan(low) else low
        hi = low if np.isnan(high) else high
        s = pd.Timestamp(rec.start)
        e = pd.Timestamp(rec.end) + pd.Timedelta(days=1)
        s, e = s.strftime("%Y-%m-%d"), e.strftime("%Y-%m-%d")
        bx += [s, e, e, s, s, None]
        by += [lo, lo, hi, hi, lo, None]
        mid = (pd.Timestamp(s) + (pd.Timestamp(e) - pd.Timestamp(s)) / 2).strftime("%Y-%m-%d")
        rng = _range_text(low, high)
        mx.append(mid)
        my.append(hi)
        mtext.append(escape(f"{name}: {rng}"))
        period = "–".join(str(p) for p in (rec.period_start, rec.period_end) if isinstance(p, str)) or "?"
        where = ", ".join(str(x) for x in (rec.source_id, rec.locator) if isinstance(x, str))
        mhover.append(
            f"<b>{escape(name)}</b><br>{escape(rec.measure)}: {escape(rng)} ({escape(period)})"
            f"<br>evidence: {escape(rec.evidence_level)}<br>{escape(where)}"
        )
        shown += 1
    band = dict(
        type="scatter",
        x=bx,
        y=by,
        mode="lines",
        fill="toself",
        fillcolor=_fade(style.color, 0.25),
        line=dict(color=style.color, dash=style.dash, width=2),
        name=name,
        legendgroup=gid,
        showlegend=False,
        hoverinfo="skip",
        xaxis=ref[0],
        yaxis=ref[1],
    )
    marks = dict(
        type="scatter",
        x=mx,
        y=my,
        mode="markers+text",
        text=mtext,
        textposition="top center",
        marker=dict(color=style.color, symbol=style.symbol, size=10, line=dict(color="#000000", width=1)),
        customdata=mhover,
        hovertemplate="%{customdata}<extra></extra>",
        name=name,
        legendgroup=gid,
        showlegend=False,
        xaxis=ref[0],
        yaxis=ref[1],
    )
    return [band, marks], shown


def _count_bars(
    counts: pd.DataFrame, rows: pd.DataFrame, column: str, comparison: Comparison, ref, legend: bool
) -> list[dict]:
    used = [c for c in counts.columns if counts[c].sum() > 0]
    cites = (
        _cites(rows.assign(**{column: rows[column].astype("object")}), ["group_id", column]) if used else {}
    )
    traces = []
    for k, gid in enumerate(comparison.group_ids):
        style = GROUP_STYLES[k]
        name = comparison.name(gid)
        values = [int(counts.loc[gid, c]) for c in used]
        hover = [
            f"<b>{escape(name)}</b><br>{escape(label(c))}: {v}<br>{cites.get((gid, c), '')}"
            for c, v in zip(used, values)
        ]
        traces.append(
            dict(
                type="bar",
                y=[escape(label(c)) for c in used],
                x=values,
                orientation="h",
                name=escape(name),
                legendgroup=gid,
                showlegend=legend,
                marker=_bar_marker(style),
                text=[str(v) if v else "" for v in values],
                textposition="outside",
                constraintext="none",
                textfont=dict(size=11),
                cliponaxis=False,
                customdata=hover,
                hovertemplate="%{customdata}<extra></extra>",
                xaxis=ref[0],
                yaxis=ref[1],
            )
        )
    return traces


def comparison_figure(comparison: Comparison, title: str | None = None) -> go.Figure:
    """Two or three groups side by side: strength over time, ties, attack mix, arsenal.

    Four panels: the strength figures (fighters, members) as bands over their period,
    from the lower to the upper bound (one marker with the range as text at the top); and
    horizontal grouped bars of ties by relation, attacks by type and arsenal items by
    category. Each group keeps one colour, dash, symbol and bar pattern throughout.

    Parameters
    ----------
    comparison : Comparison
        From :func:`~course_lib.compare.compare_groups` (at most three groups).
    title : str, optional
        Default: the groups' names.

    Returns
    -------
    plotly.graph_objects.Figure
        Five traces per group, in order: strength band, strength markers, ties bars, attack
        bars, arsenal bars; ``empty_figure`` when no panel has anything to show.

    Examples
    --------
    >>> import pandas as pd
    >>> from course_lib.compare import compare_groups
    >>> groups = pd.DataFrame({"group_id": ["a", "b"], "name": ["<i>A</i>", "B"], "kind": ["other"] * 2})
    >>> attacks = pd.DataFrame({"group_id": ["a", "b"], "attack_type": ["bombing", "bombing"],
    ...     "evidence_level": ["reported"] * 2, "source_id": ["s1", "s2"]})
    >>> fig = comparison_figure(compare_groups(["a", "b"], {"groups": groups, "attacks": attacks}))
    >>> len(fig.data), fig.data[3].name, list(fig.data[3].x)
    (10, '&lt;i&gt;A&lt;/i&gt;', [1])
    """
    ids = comparison.group_ids
    if len(ids) > len(GROUP_STYLES):
        raise ValueError(
            f"comparison_figure shows at most {len(GROUP_STYLES)} groups, but {len(ids)} were given"
        )
    names = [comparison.name(g) for g in ids]
    title = title or "Groups side by side"
    level = comparison.min_evidence
    totals = {
        "ties": comparison.ties.sum(axis=1),
        "attacks": comparison.attack_mix.sum(axis=1),
        "arsenal": comparison.arsenal.sum(axis=1),
    }
    totals_max = {
        "ties": comparison.ties.to_numpy().max(initial=0),
        "attacks": comparison.attack_mix.to_numpy().max(initial=0),
        "arsenal": comparison.arsenal.to_numpy().max(initial=0),
    }
    if not len(comparison.strength) and all(int(t.sum()) == 0 for t in totals.values()):
        who = ", ".join(names)
        fig = empty_figure(
            title, f"No strength figures, ties, attacks or arsenal items for {who} at evidence ≥ {level}."
        )
        return _subtitle(fig, " · ".join(names))

    layout, refs = _grid(
        (2, 2),
        [
            "Strength over time (fighters, members)",
            "Ties by relation",
            "Attacks by type",
            "Arsenal by category",
        ],
    )
    strength, strength_counts = [], []
    for k, gid in enumerate(ids):
        traces, shown = _strength_traces(comparison, k, gid, refs[0], GROUP_STYLES[k])
        strength.append(traces)
        strength_counts.append(shown)
    bars = [
        _count_bars(comparison.ties, comparison.tie_rows, "relation", comparison, refs[1], legend=True),
        _count_bars(
            comparison.attack_mix, comparison.attack_rows, "attack_type", comparison, refs[2], legend=False
        ),
        _count_bars(
            comparison.arsenal, comparison.arsenal_rows, "category", comparison, refs[3], legend=False
        ),
    ]
    # The traces, group by group: band, markers, ties, attacks, arsenal.
    data = [t for k in range(len(ids)) for t in (*strength[k], bars[0][k], bars[1][k], bars[2][k])]

    if sum(strength_counts) == 0:
        _panel_note(layout, refs[0], f"No dated strength figure at evidence ≥ {level}")
    for ref, key, what in (
        (refs[1], "ties", "ties"),
        (refs[2], "attacks", "attacks"),
        (refs[3], "arsenal", "items"),
    ):
        if int(totals[key].sum()) == 0:
            _panel_note(layout, ref, f"No {what} at evidence ≥ {level}")

    axes = [
        ("Period", "Fighters or members"),
        ("Ties (rows)", "Relation"),
        ("Attacks", "Attack type"),
        ("Items", "Category"),
    ]
    for (xref, yref), (xt, yt) in zip(refs, axes):
        _axis(layout, xref)["title"] = dict(text=xt)
        _axis(layout, yref)["title"] = dict(text=yt)
        if xref != "x":
            _axis(layout, yref)["autorange"] = "reversed"
    for ref, key in zip(refs[1:], ("ties", "attacks", "arsenal")):
        _integer_axis(_axis(layout, ref[0]), float(totals_max[key]))
    tops = comparison.strength[["value_low", "value_high"]].to_numpy(dtype=float)
    top = np.nanmax(tops) if np.isfinite(tops).any() else 1.0
    layout["xaxis"]["type"] = "date"
    layout["yaxis"].update(range=[0, top * 1.25], tickformat="~s")
    layout.update(
        barmode="group",
        height=760,
        legend=dict(title=dict(text="Group"), orientation="h", y=-0.08, x=0, yanchor="top"),
    )
    fig = new_figure(data, layout)

    def per_group(values) -> str:
        return " vs ".join(str(int(v)) for v in values)

    summary = (
        f"{' vs '.join(names)} (evidence ≥ {level}). Dated strength figures: {per_group(strength_counts)}. "
        f"Ties: {per_group(totals['ties'])}. Attacks: {per_group(totals['attacks'])}. "
        f"Arsenal items: {per_group(totals['arsenal'])}."
    )
    return _subtitle(finish(fig, title, summary), " · ".join(names))


# --------------------------------------------------------------------------------------
# before / after
# --------------------------------------------------------------------------------------
def before_after_figure(
    split: BeforeAfterSplit, groups: pd.DataFrame | Mapping[str, str] | None = None, title: str | None = None
) -> go.Figure:
    """A group's attacks either side of a date: by type, by country, and killed as ranges.

    Three panels: grouped bars of attacks by type and by country, one bar per side (before,
    uncertain: a partial date straddling the split, after), and the killed on each side as
    a range from the sum of the lower bounds to the sum of the upper bounds ("≥" when an
    upper bound is not stated).

    Parameters
    ----------
    split : BeforeAfterSplit
        From :func:`~course_lib.compare.before_after`.
    groups : DataFrame or mapping, optional
        For the groups' names.
    title : str, optional
        Default: the lineage and the date.

    Returns
    -------
    plotly.graph_objects.Figure
        Nine traces: bars by type (before, uncertain, after), bars by country (same), killed
        ranges (same); ``empty_figure`` when the group has no attack in the window.

    Examples
    --------
    >>> import pandas as pd
    >>> from course_lib.compare import before_after
    >>> t = pd.DataFrame({"group_id": ["g", "g"], "date": ["2006", "2008"], "attack_type": ["bombing"] * 2,
    ...     "country": ["DZA", "MLI"], "killed_low": [3, 5], "killed_high": [3, None],
    ...     "evidence_level": ["reported"] * 2})
    >>> fig = before_after_figure(before_after(t, "g", "2007"))
    >>> [trace.name for trace in fig.data[:3]]
    ['before', 'uncertain', 'after']
    >>> list(fig.data[8].text)
    ['', '≥ 5']
    """
    names = group_names(groups)
    who = " → ".join(names.get(g, g) for g in split.group_ids)
    window = f", ±{n_of(split.window_years, 'year')}" if split.window_years is not None else ""
    title = title or f"Attacks before and after {split.date}"
    if not len(split.rows):
        within = window.replace(", ", " within ")
        fig = empty_figure(
            title, f"No attack by {who} at evidence ≥ {split.min_evidence}{within} in the data."
        )
        return _subtitle(fig, who + window)
    layout, refs = _grid((1, 3), ["Attacks by type", "Attacks by country", "Killed (range)"], hgap=0.09)
    data: list[dict] = []
    rows = split.rows.assign(side=split.rows["side"].astype("object"))
    for frame, column, ref in (
        (split.by_type, "attack_type", refs[0]),
        (split.by_country, "country", refs[1]),
    ):
        cites = _cites(
            rows.assign(**{column: rows[column].astype("object").where(rows[column].notna(), NOT_STATED)}),
            [column, "side"],
        )
        x = [escape(label(v)) for v in frame.index]
        for side in SIDES:
            values = frame[side].to_numpy()
            hover = [
                f"<b>{escape(label(v))}</b> · {side} {escape(split.date)}: {n_of(int(n), 'attack')}"
                f"<br>{cites.get((v, side), '')}"
                for v, n in zip(frame.index, values)
            ]
            data.append(
                dict(
                    type="bar",
                    x=x,
                    y=values.tolist(),
                    name=side,
                    legendgroup=side,
                    showlegend=column == "attack_type",
                    marker=_bar_marker(SIDE_STYLE[side]),
                    customdata=hover,
                    hovertemplate="%{customdata}<extra></extra>",
                    xaxis=ref[0],
                    yaxis=ref[1],
                )
            )
    for side in SIDES:
        rec = split.killed.loc[side]
        style = SIDE_STYLE[side]
        low, high = float(rec["killed_low"]), float(rec["killed_high"])
        attacks, missing = int(rec["attacks"]), int(rec["not_stated"])
        top = low if np.isnan(high) else high
        text = "" if attacks == 0 else _killed_text(rec)
        note = f"<br>{n_of(missing, 'attack')} without a figure" if missing else ""
        if attacks and missing == attacks:  # no figure at all: say so, draw no range
            x, y, mode, labels = [side], [0], "text", [text]
        elif attacks:
            x, y, mode, labels = [side, side], [low, top], "lines+markers+text", ["", text]
        else:
            x, y, mode, labels = [], [], "lines+markers+text", []
        data.append(
            dict(
                type="scatter",
                x=x,
                y=y,
                mode=mode,
                text=labels,
                textposition="top center",
                line=dict(color=style.color, dash=style.dash, width=6),
                marker=dict(
                    color=style.color,
                    size=11,
                    symbol=[style.symbol, "triangle-up" if np.isnan(high) else style.symbol],
                    line=dict(color="#000000", width=1),
                ),
                name=side,
                legendgroup=side,
                showlegend=False,
                hovertemplate=f"<b>{side}</b>: {n_of(attacks, 'attack')}, "
                f"killed {escape(text) or 'none stated'}{note}<extra></extra>",
                xaxis=refs[2][0],
                yaxis=refs[2][1],
            )
        )
    layout["xaxis3"].update(
        type="category", categoryorder="array", categoryarray=list(SIDES), range=[-0.5, len(SIDES) - 0.5]
    )
    layout["yaxis3"]["rangemode"] = "tozero"
    _integer_axis(layout["yaxis"], float(split.by_type.to_numpy().max(initial=0)))
    _integer_axis(layout["yaxis2"], float(split.by_country.to_numpy().max(initial=0)))
    for ref, (xt, yt) in zip(refs, [("Attack type", "Attacks"), ("Country", "Attacks"), ("Side", "Killed")]):
        _axis(layout, ref[0])["title"] = dict(text=xt)
        _axis(layout, ref[1])["title"] = dict(text=yt)
    layout.update(barmode="group", height=460, legend=dict(title=dict(text="Side of the date")))
    fig = new_figure(data, layout)

    counts = split.counts()
    killed = {s: _killed_text(split.killed.loc[s]) for s in SIDES}
    summary = (
        f"{who}, split at {split.date}{window} (evidence ≥ {split.min_evidence}): "
        f"{n_of(counts['before'], 'attack')} before, {n_of(counts['after'], 'attack')} after"
        + (
            f", {counts['uncertain']} uncertain (date range overlaps the split date)"
            if counts["uncertain"]
            else ""
        )
        + f". Killed before: {killed['before']}; after: {killed['after']}."
    )
    return _subtitle(finish(fig, title, summary), who + window)


# --------------------------------------------------------------------------------------
# evidence sensitivity
# --------------------------------------------------------------------------------------
def sensitivity_figure(
    counts: pd.DataFrame,
    by: str | None = None,
    what: str = "rows",
    sources: pd.DataFrame | None = None,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
    max_series: int = 15,
    empty: str | None = None,
) -> go.Figure:
    """What each evidence threshold keeps: grouped bars, weakest threshold first.

    Parameters
    ----------
    counts : DataFrame
        From :func:`~course_lib.compare.evidence_sensitivity` or
        :func:`~course_lib.compare.network_sensitivity`: thresholds × series.
    by : str, optional
        The split column's name, for the axis title.
    what : str
        What is counted (``"rows"``, ``"attacks"``, ``"ties"`` …), for the axis and summary.
    sources : DataFrame, optional
        Same shape as ``counts``: the sources behind each bar (for the hover text).
    labels : mapping, optional
        Display names for the series (e.g. ``group_id`` → name).
    title : str, optional
        The figure's title.
    max_series : int
        Show the largest series; the rest are summed into "other (N values)".
    empty : str, optional
        What to say when there is nothing to count (default: "No {what} to count.").

    Returns
    -------
    plotly.graph_objects.Figure
        Three horizontal ``Bar`` traces, one per threshold (suspected, reported, verified),
        each coloured as :data:`~course_lib.palette.EVIDENCE_STYLE` says; ``empty_figure``
        when there is nothing to count.
    """
    labels = labels or {}
    title = title or (
        f"Evidence sensitivity: {what} by {label(by)}" if by else f"Evidence sensitivity: {what}"
    )
    if counts.empty or int(counts.loc["suspected"].sum()) == 0:
        return empty_figure(title, empty or f"No {what} to count.")
    table = counts.copy()
    src = sources.copy() if sources is not None else None
    if table.shape[1] > max_series:
        top = table.loc["suspected"].sort_values(ascending=False, kind="stable").index[:max_series]
        keep = [c for c in table.columns if c in set(top)]
        rest = [c for c in table.columns if c not in set(top)]
        other = f"other ({len(rest)} values)"
        table = table[keep].assign(**{other: table[rest].sum(axis=1)})
        if src is not None:
            src = src[keep].assign(**{other: ""})
    series = [str(c) for c in table.columns]
    shown = [escape(labels.get(s, label(s) if by else s)) for s in series]
    base = table.loc["suspected"].to_numpy()
    data = []
    for level in EVIDENCE_LEVELS:
        values = table.loc[level].to_numpy()
        share = np.divide(values, base, out=np.zeros(len(values)), where=base > 0)
        hover = [
            f"<b>{name}</b><br>evidence ≥ {level}: {v:,} {escape(what)} ({p:.0%} of all)"
            + (f"<br>{escape(src.loc[level, c])}" if src is not None and src.loc[level, c] else "")
            for name, v, p, c in zip(shown, values.tolist(), share, table.columns)
        ]
        data.append(
            dict(
                type="bar",
                y=shown,
                x=values.tolist(),
                orientation="h",
                name=f"evidence ≥ {level}",
                marker=_bar_marker(EVIDENCE_STYLE[level]),
                text=[f"{v:,}" for v in values.tolist()],
                textposition="outside",
                constraintext="none",
                textfont=dict(size=11),
                cliponaxis=False,
                customdata=hover,
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    layout = dict(
        yaxis=dict(autorange="reversed"),
        xaxis=dict(tickformat=",d", rangemode="tozero"),
        barmode="group",
        height=max(300, 130 + 42 * len(series)),
        legend=dict(title=dict(text="Threshold"), traceorder="normal"),
    )
    fig = new_figure(data, layout)
    if by is None and counts.shape[1] > 1:
        # Several measures (e.g. ties, pairs, nodes of a network): describe each.
        summary = "; ".join(
            f"{label(c)}: " + " → ".join(f"{int(counts.loc[lv, c]):,}" for lv in EVIDENCE_LEVELS)
            for c in counts.columns
        )
        summary = f"At evidence ≥ suspected → reported → verified: {summary}."
    else:
        totals = counts.sum(axis=1)
        all_rows = int(totals["suspected"])
        parts = [
            f"{int(totals[level]):,} at ≥ {level}"
            + (f" ({int(totals[level]) / all_rows:.0%})" if level != "suspected" and all_rows else "")
            for level in EVIDENCE_LEVELS
        ]
        summary = f"{what.capitalize()}" + (f" by {label(by)}" if by else "") + ": " + ", ".join(parts) + "."
        if by and counts.shape[1] > 1:
            summary += f" {n_of(counts.shape[1], 'value')} of {label(by)}."
    return finish(fig, title, summary, x=f"{what.capitalize()} kept", y=label(by).capitalize() if by else "")
