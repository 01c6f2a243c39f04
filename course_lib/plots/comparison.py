"""Figures that compare: groups side by side, before and after a date, evidence thresholds.

Bars cannot carry a line dash, so a bar's second cue is a fill pattern derived from its
style's dash (solid → plain, dash → hatched, dot → dotted). A panel with nothing to show
hides its axes and says so in a sentence.

Examples
--------
>>> from course_lib.sensitivity import evidence_sensitivity
>>> t = pd.DataFrame({"relation": ["ally", "ally", "rival"], "evidence_level": ["suspected", "verified", "reported"]})
>>> fig = sensitivity_figure(evidence_sensitivity(t, by="relation"), by="relation")
>>> [trace.name for trace in fig.data], fig.data[2].x.tolist()
(['evidence ≥ suspected', 'evidence ≥ reported', 'evidence ≥ verified'], [1, 0])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..comparison import Comparison
from ..groups import group_names
from ..periods import SIDES, BeforeAfterSplit
from ..vocab import EVIDENCE_LEVELS, country_label, format_range, label, plural
from .base import empty_figure, escape, finish, legend_below, panel_note
from .palette import EVIDENCE_STYLE, GROUP_STYLES, OKABE_ITO, Style

__all__ = ["before_after_figure", "comparison_figure", "killed_text", "sensitivity_figure"]

DASH_PATTERN = {"solid": "", "dash": "/", "dot": ".", "dashdot": "x", "longdash": "-"}
SIDE_STYLE = {
    "before": GROUP_STYLES[0],
    "uncertain": Style(OKABE_ITO["grey"], "dot", "circle-open"),
    "after": GROUP_STYLES[1],
}
HOVER_SOURCES = 3


def _bar_marker(style: Style) -> dict:
    return dict(
        color=style.color,
        line=dict(color="#000000", width=0.5),
        pattern=dict(shape=DASH_PATTERN.get(style.dash, ""), fgcolor="#000000", fgopacity=0.45, size=6),
    )


def _grid(
    rows: int, cols: int, titles: Sequence[str], hgap: float = 0.2, vgap: float = 0.2
) -> tuple[dict, list]:
    """Panels without ``make_subplots``: the layout and each panel's (x, y) axis names, titles above."""
    w, h = (1 - hgap * (cols - 1)) / cols, (1 - vgap * (rows - 1)) / rows
    layout: dict = {"annotations": []}
    refs = []
    for k in range(rows * cols):
        r, c = divmod(k, cols)
        x0, y1 = c * (w + hgap), 1 - r * (h + vgap)
        s = "" if k == 0 else str(k + 1)
        layout[f"xaxis{s}"] = dict(domain=[round(x0, 6), round(min(1.0, x0 + w), 6)], anchor=f"y{s}")
        layout[f"yaxis{s}"] = dict(domain=[round(max(0.0, y1 - h), 6), round(y1, 6)], anchor=f"x{s}")
        refs.append((f"x{s}", f"y{s}"))
        layout["annotations"].append(
            dict(
                text=f"<b>{escape(titles[k])}</b>",
                x=x0,
                y=y1,
                xref="paper",
                yref="paper",
                xanchor="left",
                yanchor="bottom",
                showarrow=False,
                yshift=6,
            )
        )
    return layout, refs


def _axis(layout: dict, ref: str) -> dict:
    return layout[("xaxis" if ref[0] == "x" else "yaxis") + ref[1:]]


def _count_axis(axis: dict, top: float) -> None:
    axis.update(tickformat=",d", rangemode="tozero", range=[0, max(1.0, top) * 1.2])
    if top <= 10:
        axis["dtick"] = 1


def _cites(rows: pd.DataFrame, keys: Sequence[str]) -> dict[tuple, str]:
    """For each combination of ``keys``: the escaped "source_id, locator" of its rows (a few)."""
    if not len(rows) or "source_id" not in rows:
        return {}
    cols = [*keys, "source_id"] + (["locator"] if "locator" in rows else [])
    found: dict[tuple, list[str]] = {}
    for rec in rows[cols].astype("object").drop_duplicates().itertuples(index=False):
        found.setdefault(tuple(rec[: len(keys)]), []).append(
            escape(", ".join(x for x in rec[len(keys) :] if isinstance(x, str)))
        )
    return {
        k: "<br>".join(v[:HOVER_SOURCES])
        + (f"<br>+{len(v) - HOVER_SOURCES} more" if len(v) > HOVER_SOURCES else "")
        for k, v in found.items()
    }


def killed_text(rec: pd.Series) -> str:
    """The killed on one side of a split: a range, "no attacks" or "not stated"."""
    if int(rec["attacks"]) == 0:
        return "no attacks"
    if int(rec["not_stated"]) == int(rec["attacks"]):
        return "not stated"
    return format_range(rec["killed_low"], rec["killed_high"])


# ------------------------------------------------------------------------------ groups side by side
def _strength(comparison: Comparison, k: int, gid: str, ref: tuple[str, str]) -> tuple[list[dict], int]:
    style, name = GROUP_STYLES[k], comparison.name(gid)
    rows = comparison.strength[comparison.strength["group_id"] == gid]
    bx, by, mx, my, text, hover = [], [], [], [], [], []
    for rec in rows.itertuples(index=False):
        low, high = float(rec.value_low), float(rec.value_high)
        if (np.isnan(low) and np.isnan(high)) or pd.isna(rec.start) or pd.isna(rec.end):
            continue
        lo, hi = (high if np.isnan(low) else low), (low if np.isnan(high) else high)
        s, e = pd.Timestamp(rec.start), pd.Timestamp(rec.end) + pd.Timedelta(days=1)
        bx += [
            s.strftime("%Y-%m-%d"),
            e.strftime("%Y-%m-%d"),
            e.strftime("%Y-%m-%d"),
            s.strftime("%Y-%m-%d"),
            s.strftime("%Y-%m-%d"),
            None,
        ]
        by += [lo, lo, hi, hi, lo, None]
        mx.append((s + (e - s) / 2).strftime("%Y-%m-%d"))
        my.append(hi)
        rng = format_range(rec.value_low, rec.value_high)
        text.append(escape(rng))
        period = "–".join(p for p in (rec.period_start, rec.period_end) if isinstance(p, str)) or "?"
        where = ", ".join(x for x in (rec.source_id, rec.locator) if isinstance(x, str))
        hover.append(
            f"<b>{escape(name)}</b><br>{escape(rec.measure)}: {escape(rng)} ({escape(period)})<br>"
            f"evidence: {escape(rec.evidence_level)}<br>{escape(where)}"
        )
    r, g, b = (int(style.color[i : i + 2], 16) for i in (1, 3, 5))
    band = dict(
        type="scatter",
        mode="lines",
        x=bx,
        y=by,
        fill="toself",
        fillcolor=f"rgba({r},{g},{b},0.25)",
        line=dict(color=style.color, dash=style.dash, width=2),
        name=escape(name),
        legendgroup=gid,
        showlegend=False,
        hoverinfo="skip",
        xaxis=ref[0],
        yaxis=ref[1],
    )
    marks = dict(
        type="scatter",
        mode="markers+text",
        x=mx,
        y=my,
        text=text,
        textposition="top center",
        cliponaxis=False,
        marker=dict(color=style.color, symbol=style.symbol, size=10, line=dict(color="#000000", width=1)),
        customdata=hover,
        hovertemplate="%{customdata}<extra></extra>",
        name=escape(name),
        legendgroup=gid,
        showlegend=False,
        xaxis=ref[0],
        yaxis=ref[1],
    )
    return [band, marks], len(mx)


def _count_bars(
    comparison: Comparison, counts: pd.DataFrame, rows: pd.DataFrame, column: str, ref, legend: bool
) -> list[dict]:
    table = counts.reindex(comparison.group_ids, fill_value=0)
    kept = table.to_numpy().sum(axis=0) > 0
    used, table = list(table.columns[kept]), table.to_numpy()[:, kept].astype(int)
    cites = (
        _cites(rows.assign(**{column: rows[column].astype("object")}), ["group_id", column]) if used else {}
    )
    traces = []
    for k, gid in enumerate(comparison.group_ids):
        name, values = comparison.name(gid), table[k].tolist()
        traces.append(
            dict(
                type="bar",
                orientation="h",
                y=[escape(label(c)) for c in used],
                x=values,
                name=escape(name),
                legendgroup=gid,
                showlegend=legend,
                marker=_bar_marker(GROUP_STYLES[k]),
                text=[str(v) if v else "" for v in values],
                textposition="outside",
                cliponaxis=False,
                xaxis=ref[0],
                yaxis=ref[1],
                hovertemplate="%{customdata}<extra></extra>",
                customdata=[
                    f"<b>{escape(name)}</b><br>{escape(label(c))}: {v}<br>{cites.get((gid, c), '')}"
                    for c, v in zip(used, values)
                ],
            )
        )
    return traces


def comparison_figure(comparison: Comparison, title: str = "Groups side by side") -> go.Figure:
    """Two or three groups side by side: strength over time, ties, attack mix, arsenal.

    Four panels: the strength figures (fighters, members) as bands over their period from the
    lower to the upper bound; and grouped bars of ties by relation, attacks by type and arsenal
    items by category. Each group keeps one colour, dash, symbol and pattern throughout.

    >>> from course_lib.comparison import compare_groups
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
    names, level = [comparison.name(g) for g in ids], comparison.min_evidence
    panels = {"ties": comparison.ties, "attacks": comparison.attack_mix, "arsenal": comparison.arsenal}
    totals = {k: v.sum(axis=1) for k, v in panels.items()}
    subtitle = " · ".join(names) + f" (evidence ≥ {level})"
    if not len(comparison.strength) and all(int(t.sum()) == 0 for t in totals.values()):
        fig = empty_figure(
            title,
            f"No strength figures, ties, attacks or arsenal items for {', '.join(names)} at evidence ≥ {level}.",
        )
        fig.update_layout(title_subtitle_text=escape(subtitle))
        return fig
    layout, refs = _grid(
        2,
        2,
        [
            "Strength over time (fighters, members)",
            "Ties by relation",
            "Attacks by type",
            "Arsenal by category",
        ],
    )
    strength = [_strength(comparison, k, g, refs[0]) for k, g in enumerate(ids)]
    bars = [
        _count_bars(comparison, comparison.ties, comparison.tie_rows, "relation", refs[1], True),
        _count_bars(comparison, comparison.attack_mix, comparison.attack_rows, "attack_type", refs[2], False),
        _count_bars(comparison, comparison.arsenal, comparison.arsenal_rows, "category", refs[3], False),
    ]
    data = [t for k in range(len(ids)) for t in (*strength[k][0], bars[0][k], bars[1][k], bars[2][k])]
    for (xref, yref), (xt, yt) in zip(
        refs, [("Period", "Fighters or members"), ("Ties (rows)", ""), ("Attacks", ""), ("Items", "")]
    ):
        _axis(layout, xref)["title"], _axis(layout, yref)["title"] = dict(text=xt), dict(text=yt)
    for ref, key in zip(refs[1:], panels):
        _axis(layout, ref[1])["autorange"] = "reversed"
        _count_axis(_axis(layout, ref[0]), float(panels[key].to_numpy().max(initial=0)))
    tops = comparison.strength[["value_low", "value_high"]].to_numpy(dtype=float)
    layout["xaxis"]["type"] = "date"
    layout["yaxis"].update(
        range=[0, (np.nanmax(tops) if np.isfinite(tops).any() else 1.0) * 1.3], tickformat="~s"
    )
    if sum(n for _, n in strength) == 0:
        panel_note(layout, refs[0], f"No dated strength figure at evidence ≥ {level}.")
    for ref, key, what in zip(refs[1:], panels, ("ties", "attacks", "items")):
        if int(totals[key].sum()) == 0:
            panel_note(layout, ref, f"No {what} at evidence ≥ {level}.")
    layout.update(barmode="group", height=780, legend=legend_below("Group", per_row=2, y=-0.08))

    def per_group(values) -> str:
        return " vs ".join(str(int(v)) for v in values)

    summary = (
        f"{' vs '.join(names)} (evidence ≥ {level}). Dated strength figures: {per_group(n for _, n in strength)}. "
        f"Ties: {per_group(totals['ties'])}. Attacks: {per_group(totals['attacks'])}. "
        f"Arsenal items: {per_group(totals['arsenal'])}."
    )
    return finish(data, layout, title, summary, subtitle=subtitle)


# ------------------------------------------------------------------------------ before / after
def before_after_figure(
    split: BeforeAfterSplit, groups: pd.DataFrame | Mapping[str, str] | None = None, title: str | None = None
) -> go.Figure:
    """A group's attacks either side of a date: by type, by country, and killed as ranges.

    Grouped bars (before, uncertain, after) by type and by country, and the killed on each
    side as a range from the sum of the lower bounds to the sum of the upper bounds.

    >>> from course_lib.periods import before_after
    >>> t = pd.DataFrame({"group_id": ["g", "g"], "date": ["2006", "2008"], "attack_type": ["bombing"] * 2,
    ...     "country": ["DZA", "MLI"], "killed_low": [3, 5], "killed_high": [3, None], "evidence_level": ["reported"] * 2})
    >>> fig = before_after_figure(before_after(t, "g", "2007"))
    >>> [trace.name for trace in fig.data[:3]], list(fig.data[8].text)
    (['before', 'uncertain', 'after'], ['', 'at least 5'])
    """
    names = group_names(groups)
    who = " → ".join(names.get(g, g) for g in split.group_ids)
    window = f", ±{plural(split.window_years, 'year')}" if split.window_years is not None else ""
    title = title or f"Attacks before and after {split.date}"
    subtitle = f"{who}{window} (evidence ≥ {split.min_evidence})"
    if not len(split.rows):
        fig = empty_figure(
            title,
            f"No attack by {who} at evidence ≥ {split.min_evidence}{window.replace(', ', ' within ')} in the data.",
        )
        fig.update_layout(title_subtitle_text=escape(subtitle))
        return fig
    layout, refs = _grid(1, 3, ["Attacks by type", "Attacks by country", "Killed (range)"], hgap=0.1)
    rows = split.rows.assign(side=split.rows["side"].astype("object"))
    data: list[dict] = []
    for frame, column, ref, show in (
        (split.by_type, "attack_type", refs[0], label),
        (split.by_country, "country", refs[1], country_label),
    ):
        cites = _cites(
            rows.assign(**{column: rows[column].astype("object").fillna("(not stated)")}), [column, "side"]
        )
        for side in SIDES:
            values = frame[side].to_numpy()
            data.append(
                dict(
                    type="bar",
                    x=[escape(show(v) or v) for v in frame.index],
                    y=values,
                    name=side,
                    legendgroup=side,
                    showlegend=column == "attack_type",
                    marker=_bar_marker(SIDE_STYLE[side]),
                    xaxis=ref[0],
                    yaxis=ref[1],
                    customdata=[
                        f"<b>{escape(show(v) or v)}</b> · {side} {escape(split.date)}: {plural(int(n), 'attack')}<br>"
                        f"{cites.get((v, side), '')}"
                        for v, n in zip(frame.index, values)
                    ],
                    hovertemplate="%{customdata}<extra></extra>",
                )
            )
    for side in SIDES:
        rec, style = split.killed.loc[side], SIDE_STYLE[side]
        low, high, attacks, missing = (
            float(rec["killed_low"]),
            float(rec["killed_high"]),
            int(rec["attacks"]),
            int(rec["not_stated"]),
        )
        text = "" if attacks == 0 else killed_text(rec)
        if attacks and missing == attacks:
            x, y, mode, labels = [side], [0], "text", [text]
        elif attacks:
            x, y, mode, labels = (
                [side, side],
                [low, low if np.isnan(high) else high],
                "lines+markers+text",
                ["", text],
            )
        else:
            x, y, mode, labels = [], [], "lines+markers+text", []
        note = f"<br>{plural(missing, 'attack')} without a figure" if missing else ""
        data.append(
            dict(
                type="scatter",
                x=x,
                y=y,
                mode=mode,
                text=labels,
                textposition="top center",
                cliponaxis=False,
                name=side,
                legendgroup=side,
                showlegend=False,
                xaxis=refs[2][0],
                yaxis=refs[2][1],
                line=dict(color=style.color, dash=style.dash, width=6),
                marker=dict(
                    color=style.color,
                    size=11,
                    symbol=[style.symbol, "triangle-up" if np.isnan(high) else style.symbol],
                    line=dict(color="#000000", width=1),
                ),
                hovertemplate=f"<b>{side}</b>: {plural(attacks, 'attack')}, killed {escape(text) or 'none stated'}{note}<extra></extra>",
            )
        )
    layout["xaxis3"].update(
        type="category", categoryorder="array", categoryarray=list(SIDES), range=[-0.5, 2.5]
    )
    layout["yaxis3"].update(rangemode="tozero")
    _count_axis(layout["yaxis"], float(split.by_type.to_numpy().max(initial=0)))
    _count_axis(layout["yaxis2"], float(split.by_country.to_numpy().max(initial=0)))
    for ref, (xt, yt) in zip(
        refs, [("Attack type", "Attacks"), ("Country", "Attacks"), ("Side of the date", "Killed")]
    ):
        _axis(layout, ref[0])["title"], _axis(layout, ref[1])["title"] = dict(text=xt), dict(text=yt)
    layout.update(barmode="group", height=480, legend=legend_below("Side of the date", y=-0.3))
    counts = split.counts()
    killed = {s: killed_text(split.killed.loc[s]) for s in SIDES}
    uncertain = (
        f", {counts['uncertain']} uncertain (date range overlaps the split date)"
        if counts["uncertain"]
        else ""
    )
    summary = (
        f"{who}, split at {split.date}{window} (evidence ≥ {split.min_evidence}): {plural(counts['before'], 'attack')} "
        f"before, {plural(counts['after'], 'attack')} after{uncertain}. Killed before: {killed['before']}; after: {killed['after']}."
    )
    return finish(data, layout, title, summary, subtitle=subtitle)


# ------------------------------------------------------------------------------ evidence sensitivity
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
    """What each evidence threshold keeps (from :func:`~course_lib.sensitivity.evidence_sensitivity` or
    :func:`~course_lib.sensitivity.network_sensitivity`): grouped bars, weakest threshold first.

    ``sources`` (same shape) lists the sources in the hover; ``labels`` names the series; the
    ``max_series`` largest series are shown, the rest summed as "other (N values)".
    """
    labels = labels or {}
    title = title or (
        f"Evidence sensitivity: {what} by {label(by)}" if by else f"Evidence sensitivity: {what}"
    )
    if counts.empty or int(counts.loc["suspected"].sum()) == 0:
        return empty_figure(title, empty or f"No {what} to count.")
    table, src = counts.copy(), (sources.copy() if sources is not None else None)
    if table.shape[1] > max_series:
        top = set(table.loc["suspected"].sort_values(ascending=False, kind="stable").index[:max_series])
        rest = [c for c in table.columns if c not in top]
        other = f"other ({len(rest)} values)"
        table = table[[c for c in table.columns if c in top]].assign(**{other: table[rest].sum(axis=1)})
        if src is not None:
            src = src[[c for c in src.columns if c in top]].assign(**{other: ""})
    shown = [escape(labels.get(str(c), label(c) if by else str(c))) for c in table.columns]
    base = table.loc["suspected"].to_numpy()
    data = []
    for level in EVIDENCE_LEVELS:
        values = table.loc[level].to_numpy()
        share = np.divide(values, base, out=np.zeros(len(values)), where=base > 0)
        data.append(
            dict(
                type="bar",
                orientation="h",
                y=shown,
                x=values,
                name=f"evidence ≥ {level}",
                marker=_bar_marker(EVIDENCE_STYLE[level]),
                text=[f"{v:,}" for v in values.tolist()],
                textposition="outside",
                cliponaxis=False,
                textfont=dict(size=11),
                customdata=[
                    f"<b>{n}</b><br>evidence ≥ {level}: {v:,} {escape(what)} ({p:.0%} of all)"
                    + (f"<br>{escape(src.loc[level, c])}" if src is not None and src.loc[level, c] else "")
                    for n, v, p, c in zip(shown, values.tolist(), share, table.columns)
                ],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    layout = dict(
        yaxis=dict(autorange="reversed"),
        xaxis=dict(tickformat=",d", range=[0, float(base.max()) * 1.18]),
        barmode="group",
        height=max(320, 150 + 42 * len(shown)),
        legend=legend_below("Threshold", y=-0.12, traceorder="normal"),
    )
    if by is None and counts.shape[1] > 1:
        parts = "; ".join(
            f"{label(c)}: " + " → ".join(f"{int(counts.loc[lv, c]):,}" for lv in EVIDENCE_LEVELS)
            for c in counts.columns
        )
        summary = f"At evidence ≥ suspected → reported → verified: {parts}."
    else:
        totals = counts.sum(axis=1)
        n_all = int(totals["suspected"])
        parts = ", ".join(
            f"{int(totals[lv]):,} at ≥ {lv}"
            + (f" ({int(totals[lv]) / n_all:.0%})" if lv != "suspected" and n_all else "")
            for lv in EVIDENCE_LEVELS
        )
        summary = f"{what.capitalize()}{' by ' + label(by) if by else ''}: {parts}."
        if by and counts.shape[1] > 1:
            summary += f" {plural(counts.shape[1], 'value')} of {label(by)}."
    return finish(
        data,
        layout,
        title,
        summary,
        x=f"{what.capitalize()} kept",
        y=label(by).capitalize() if by else "",
    )
