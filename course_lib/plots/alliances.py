"""The alliance network as a plotly figure: groups placed once, ties styled by relation.

Each relation type is drawn in its :data:`~course_lib.palette.RELATION_STYLE` colour *and*
dash, so the figure reads in greyscale too. Strategic ties (coded ``strategic`` or
``both``) are thick lines, tactical ties and ties whose level the source does not state are
thin. A marker in the middle of each tie, in the relation's colour (larger for strategic
ties), carries its hover text: the relation, level, dates, evidence level and source.
Where a pair has several ties at once, they bow apart so each stays visible.

The trace list never changes shape: for every relation, a thick-line and a thin-line trace
(empty when no tie of that type is shown), then one trace of the ties' middle markers, the
groups without a tie shown, and the groups with one. A ``FigureWidget`` can therefore
update in place as the date moves.

Examples
--------
>>> from benchmarks.synthetic import synthetic_alliances, synthetic_groups
>>> from course_lib.network import stable_layout, ties_on
>>> ties = synthetic_alliances(n_groups=12, n_ties=30)
>>> pos = stable_layout(ties)
>>> fig = network_figure(ties_on(ties, "2010"), synthetic_groups(12), pos, when="2010")
>>> len(fig.data) == 2 * len(RELATION_STYLE) + 3
True
>>> fig.layout.title.text
'Alliance network, 2010'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..network import SYMMETRIC_RELATIONS, _group_table, stable_layout
from ..palette import OKABE_ITO, RELATION_STYLE
from .base import empty_figure, escape, finish, new_figure

__all__ = [
    "LEVEL_LABELS",
    "RELATION_LABELS",
    "RELATION_PHRASES",
    "holding_text",
    "network_figure",
    "network_summary",
    "relation_label",
    "tie_hover_texts",
]

#: How each relation reads, ``{a}`` and ``{b}`` being ``group_a`` and ``group_b``.
RELATION_PHRASES = {
    "affiliate": "{a} is a branch of, or pledged to, {b}",
    "ally": "{a} and {b} cooperate",
    "support": "{a} gives {b} training, advisers, money or arms",
    "host": "{a} hosts {b} on its territory (sanctuary or bases)",
    "truce": "{a} and {b} stop fighting each other",
    "mediation": "{a} mediates in {b}'s conflict",
    "rival": "{a} and {b} compete without open war",
    "armed_conflict": "{a} and {b} fight each other",
    "split": "{a} broke away from {b}",
    "merger": "{a} merged into {b}",
    "rebrand": "{a} was renamed {b}",
}

#: Relation names as the legend shows them.
RELATION_LABELS = {r: r.replace("_", " ") for r in RELATION_STYLE}

#: Levels as the hover text and summary say them.
LEVEL_LABELS = {
    "strategic": "strategic",
    "tactical": "tactical",
    "both": "strategic and tactical",
    "unspecified": "level not stated",
}

_HOVER_LEVEL = {**LEVEL_LABELS, "unspecified": "not stated"}
_LEVEL_ORDER = ("strategic", "both", "tactical", "unspecified")
_STRONG = frozenset({"strategic", "both"})
_WIDTH = {True: 3.6, False: 1.3}
_MARKER_SIZE = {True: 12, False: 8}
_RELATION_SCALE = [
    [edge / len(RELATION_STYLE), style.color]
    for i, style in enumerate(RELATION_STYLE.values())
    for edge in (i, i + 1)
]
_BOW = 0.07  # how far parallel ties bow apart, in layout units (positions span [-1, 1])
_PAD = 0.18


def relation_label(relation: str) -> str:
    """The relation as a reader would say it.

    >>> relation_label("armed_conflict")
    'armed conflict'
    """
    return RELATION_LABELS.get(relation, str(relation).replace("_", " "))


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def holding_text(start: object, end: object, observed: object) -> tuple[str, str]:
    """How a tie's first and last dates read, following the rules of :mod:`course_lib.network`.

    >>> holding_text("2001", None, "2010-04")
    ('2001', 'no end stated (last observed 2010-04)')
    >>> holding_text(None, "2001", "2010")
    ('start not stated, shown from 2001', '2001')
    """
    start, end, observed = _str(start), _str(end), _str(observed)
    if start:
        first = start
    else:
        known = [d for d in (observed, end) if d]
        first = f"start not stated, shown from {min(known)}" if known else "start not stated"
    if end:
        last = end
    elif observed:
        last = f"no end stated (last observed {observed})"
    else:
        last = "no end stated"
    return first, last


def tie_hover_texts(
    ties: pd.DataFrame, groups: pd.DataFrame | Iterable[str] | Mapping[str, str] | None = None
) -> list[str]:
    """One hover text per tie (HTML, every value escaped): relation, level, dates, evidence, source.

    ``groups`` gives the names (a registry frame, a list of ids, or ``{group_id: name}``).
    Compute it once for a whole table and pass the slice that is shown to
    :func:`network_figure` (``hovertext=``) to save time when redrawing often.

    >>> from benchmarks.synthetic import synthetic_alliances
    >>> names = {"g0000": "<A>", "g0001": "<A>", "g0002": "<A>"}
    >>> text = tie_hover_texts(synthetic_alliances(n_groups=3, n_ties=1), names)[0]
    >>> "Source: synthetic, row" in text, "<A>" in text, "&lt;A&gt;" in text
    (True, False, True)
    """
    names = groups if isinstance(groups, Mapping) else _names_and_kinds(groups)[0]
    cols = ["group_a", "group_b", "relation", "level", "start", "end", "observed"]
    cols += ["evidence_level", "source_id", "locator", "alliance_id"]
    rows = zip(*(ties[c].tolist() for c in cols))
    out = []
    for a, b, rel, level, start, end, observed, evidence, source, locator, aid in rows:
        na, nb = escape(names.get(a, a)), escape(names.get(b, b))
        arrow = "–" if rel in SYMMETRIC_RELATIONS else "→"
        phrase = (
            RELATION_PHRASES[rel].format(a=na, b=nb)
            if rel in RELATION_PHRASES
            else f"{na} {escape(rel)} {nb}"
        )
        first, last = holding_text(start, end, observed)
        out.append(
            f"<b>{na} {arrow} {nb}</b>: {escape(relation_label(rel))}<br>{phrase}"
            f"<br>Level: {escape(_HOVER_LEVEL.get(_str(level), 'not stated'))}"
            f"<br>Holds: {escape(first)} – {escape(last)}"
            f"<br>Evidence: {escape(_str(evidence) or 'not stated')}"
            f"<br>Source: {escape(source)}, {escape(locator)}<br><i>{escape(aid)}</i>"
        )
    return out


def _names_and_kinds(groups: pd.DataFrame | Iterable[str] | None) -> tuple[dict[str, str], dict[str, str]]:
    table = _group_table(groups)
    return dict(zip(table["group_id"], table["name"])), dict(zip(table["group_id"], table["kind"]))


def _counts(values: pd.Series, order: Iterable[str]) -> list[tuple[str, int]]:
    """Value counts, most frequent first, ties broken by ``order`` (then by name)."""
    rank = {v: i for i, v in enumerate(order)}
    counts = values.astype(str).value_counts()
    return sorted(counts.items(), key=lambda kv: (-kv[1], rank.get(kv[0], len(rank)), kv[0]))


def network_summary(ties: pd.DataFrame, when: str | None = None, focus_name: str | None = None) -> str:
    """A plain-text summary: how many ties among how many groups, by relation and by level.

    >>> from benchmarks.synthetic import synthetic_alliances
    >>> network_summary(synthetic_alliances(n_groups=4, n_ties=3).iloc[:0], "1999")
    'No ties hold in 1999 with the current filters.'
    """
    where = f" in {when}" if when else ""
    about = f" involving {focus_name}" if focus_name else ""
    if len(ties) == 0:
        return f"No ties{about} hold{where} with the current filters."
    groups = pd.unique(pd.concat([ties["group_a"], ties["group_b"]]))
    rel_text = ", ".join(f"{n} {relation_label(r)}" for r, n in _counts(ties["relation"], RELATION_STYLE))
    levels = ties["level"].astype(object).where(ties["level"].notna(), "unspecified")
    level_text = ", ".join(f"{n} {LEVEL_LABELS.get(lv, lv)}" for lv, n in _counts(levels, _LEVEL_ORDER))
    head = f"{when}: " if when else ""
    s = "" if len(ties) == 1 else "s"
    return f"{head}{len(ties)} tie{s}{about} among {len(groups)} groups: {rel_text}; {level_text}."


def network_figure(
    ties: pd.DataFrame,
    groups: pd.DataFrame | Iterable[str] | None = None,
    positions: Mapping[str, tuple[float, float]] | None = None,
    *,
    when: str | None = None,
    focus: str | None = None,
    context: Iterable[str] | None = None,
    max_labels: int = 20,
    hovertext: Sequence[str] | None = None,
) -> go.Figure:
    """Draw ``ties`` (rows of the alliances table) as a network.

    Parameters
    ----------
    ties
        The ties to draw, e.g. the result of :func:`course_lib.network.ties_on`.
    groups
        The registry (a frame with ``group_id``, ``name``, ``kind``, default the bundled
        one) or a list of ids; a group missing from it is named by its id.
    positions
        ``{group_id: (x, y)}``, e.g. :func:`course_lib.network.stable_layout` of the whole
        table, so that groups keep their place from one figure to the next. Default: a
        layout of ``ties`` alone.
    when
        The date or period shown, for the title and summary (``"2014"``, ``"2010–2014"``).
    focus
        A group id to highlight (the caller filters ``ties`` to its ties).
    context
        Groups to draw faintly when none of their ties is shown (default: every group in
        ``positions``), so the picture keeps its shape.
    max_labels
        Name at most this many groups on the figure: those with the most ties shown (and
        the focus). Every group is named in its hover text.
    hovertext
        Ready hover texts of ``ties`` (from :func:`tie_hover_texts`), in row order.

    Returns
    -------
    plotly.graph_objects.Figure
        With ``2 × len(RELATION_STYLE) + 3`` traces, whatever is shown, or the course's
        empty figure when there is nothing at all to draw.
    """
    title = "Alliance network" + (f", {when}" if when else "")
    names, kinds = _names_and_kinds(groups)
    if focus is not None:
        title += f": ties of {names.get(focus, focus)}"
    if positions is None:
        positions = stable_layout(ties) if len(ties) else {}
    ids = np.array(sorted(positions), dtype=object)
    context_ids = ids if context is None else np.array(sorted(set(context) & set(positions)), dtype=object)
    if len(ties) == 0 and len(context_ids) == 0:
        return empty_figure(title, network_summary(ties, when, names.get(focus, focus) if focus else None))
    xy = np.array([positions[g] for g in ids], dtype=float).reshape(-1, 2)
    node = pd.Index(ids)
    a = node.get_indexer(ties["group_a"])
    b = node.get_indexer(ties["group_b"])
    if (a < 0).any() or (b < 0).any():
        lost = ties["group_a"].where(a < 0, ties["group_b"]).iloc[int(np.argmax((a < 0) | (b < 0)))]
        raise ValueError(f"positions has no place for {lost!r}; pass a layout of the whole table")
    rel = pd.Categorical(ties["relation"].astype(object), categories=list(RELATION_STYLE)).codes
    if (rel < 0).any():
        bad = ties["relation"].iloc[int(np.argmax(rel < 0))]
        raise ValueError(f"no style for relation {bad!r}; it must be one of {', '.join(RELATION_STYLE)}")
    strong = ties["level"].isin(_STRONG).to_numpy()

    # Bow ties of one pair apart: rank each tie within its (unordered) pair.
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    pair = lo.astype(np.int64) * max(len(ids), 1) + hi
    order = np.lexsort((np.arange(len(pair)), rel, pair))
    sorted_pair = pair[order]
    first = np.r_[True, sorted_pair[1:] != sorted_pair[:-1]] if len(pair) else np.zeros(0, bool)
    group_start = np.maximum.accumulate(np.where(first, np.arange(len(pair)), 0)) if len(pair) else first
    rank = np.empty(len(pair))
    rank[order] = np.arange(len(pair)) - group_start
    count = np.empty(len(pair))
    sizes = np.diff(np.r_[np.flatnonzero(first), len(pair)])
    count[order] = np.repeat(sizes, sizes)
    p_lo, p_hi = xy[lo], xy[hi]
    d = p_hi - p_lo
    length = np.hypot(d[:, 0], d[:, 1])
    normal = np.column_stack([-d[:, 1], d[:, 0]]) / np.where(length > 0, length, 1.0)[:, None]
    mid = (p_lo + p_hi) / 2 + normal * ((rank - (count - 1) / 2) * _BOW)[:, None]
    pa, pb = xy[a], xy[b]

    if hovertext is None:
        hovertext = tie_hover_texts(ties, names)
    elif len(hovertext) != len(ties):
        raise ValueError(f"hovertext has {len(hovertext)} texts for {len(ties)} ties")
    hover = np.asarray(hovertext, dtype=object)
    traces: list[dict] = []
    nan = np.full(len(ties), np.nan)
    for code, (relation, style) in enumerate(RELATION_STYLE.items()):
        is_rel = rel == code
        label = relation_label(relation)
        has_thick = bool((is_rel & strong).any())
        for thick in (True, False):
            pick = is_rel & (strong == thick)
            traces.append(
                dict(
                    type="scatter",
                    x=np.column_stack([pa[pick, 0], mid[pick, 0], pb[pick, 0], nan[pick]]).ravel(),
                    y=np.column_stack([pa[pick, 1], mid[pick, 1], pb[pick, 1], nan[pick]]).ravel(),
                    mode="lines",
                    name=label,
                    legendgroup=relation,
                    showlegend=thick == has_thick,  # empty traces stay out of the legend anyway
                    line=dict(color=style.color, dash=style.dash, width=_WIDTH[thick]),
                    hoverinfo="skip",
                )
            )
    traces.append(
        dict(
            type="scatter",
            x=mid[:, 0],
            y=mid[:, 1],
            mode="markers",
            name="Tie details (hover)",
            showlegend=False,
            marker=dict(
                color=rel.astype(float),  # numbers through a stepped colour scale: fast to send
                colorscale=_RELATION_SCALE,
                cmin=-0.5,
                cmax=len(RELATION_STYLE) - 0.5,
                showscale=False,
                size=np.where(strong, _MARKER_SIZE[True], _MARKER_SIZE[False]),
                line=dict(color=OKABE_ITO["black"], width=0.6),
            ),
            hovertext=hover,
            hoverinfo="text",
        )
    )

    active = np.zeros(len(ids), bool)
    active[a] = True
    active[b] = True
    degree = np.bincount(np.r_[a, b], minlength=len(ids)) if len(ties) else np.zeros(len(ids), int)
    if focus is not None and focus in positions:
        active[node.get_loc(focus)] = True
    in_context = node.isin(context_ids) & ~active
    node_names = np.array([names.get(g, g) for g in ids], dtype=object)
    node_kinds = np.array([kinds.get(g, "other").replace("_", " ") for g in ids], dtype=object)
    node_hover = np.array(
        [f"<b>{escape(n)}</b> ({escape(k)})" for n, k in zip(node_names, node_kinds)], dtype=object
    )
    n_active = int(active.sum())
    ties_text = np.array([f"<br>{d} tie{'' if d == 1 else 's'} shown" for d in degree[active]], dtype=object)
    # Name the best-connected groups (and the focus) on the figure; all are named on hover.
    rank = np.lexsort((node_names[active].astype(str), -degree[active]))
    labelled = np.zeros(n_active, bool)
    labelled[rank[:max_labels]] = True
    if focus is not None:
        labelled |= ids[active] == focus
    labels = np.array([escape(n) for n in node_names[active]], dtype=object)
    labels[~labelled] = ""
    sizes = np.where(ids[active] == focus, 20, 13) if focus is not None else np.full(n_active, 13)
    traces += [
        dict(
            type="scatter",
            x=xy[in_context, 0],
            y=xy[in_context, 1],
            mode="markers",
            name="Other groups (no tie shown)",
            marker=dict(color=OKABE_ITO["grey"], size=6, opacity=0.45, symbol="circle-open"),
            hovertext=node_hover[in_context] + "<br>no tie shown",
            hoverinfo="text",
            showlegend=True,
        ),
        dict(
            type="scatter",
            x=xy[active, 0],
            y=xy[active, 1],
            mode="markers+text",
            name="Groups with a tie shown",
            text=labels,
            textposition="top center",
            textfont=dict(size=11),
            marker=dict(color=OKABE_ITO["black"], size=sizes, line=dict(color="white", width=1)),
            hovertext=node_hover[active] + ties_text,
            hoverinfo="text",
            showlegend=True,
        ),
    ]
    focus_name = names.get(focus, focus) if focus is not None else None
    summary = network_summary(ties, when, focus_name)
    span = xy[node.isin(context_ids) | active] if len(ids) else np.zeros((1, 2))
    (x0, y0), (x1, y1) = span.min(axis=0) - _PAD, span.max(axis=0) + _PAD
    notes = [
        dict(
            text="Thick lines: strategic ties; thin: tactical or level not stated. "
            "Hover over the marker in the middle of a tie for its dates and source.",
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0,
            y=-0.02,
            xanchor="left",
            yanchor="top",
            font=dict(size=11, color=OKABE_ITO["black"]),
        )
    ]
    if len(ties) == 0:
        notes.append(
            dict(
                text=escape(summary),
                showarrow=False,
                xref="paper",
                yref="paper",
                x=0.5,
                y=0.5,
                font=dict(size=16),
                bgcolor="rgba(255,255,255,0.85)",
            )
        )
    layout = dict(
        annotations=notes,
        height=640,
        hovermode="closest",
        legend=dict(title=dict(text="Relation"), itemsizing="constant"),
        xaxis=dict(visible=False, range=[x0, x1]),
        yaxis=dict(visible=False, range=[y0, y1]),
    )
    fig = finish(new_figure(traces, layout), title, summary)
    return fig
