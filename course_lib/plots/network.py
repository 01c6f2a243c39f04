"""The alliance network as a plotly figure: groups placed once, ties styled by relation and age.

Each relation is drawn in its :data:`~course_lib.plots.palette.RELATION_STYLE` colour *and*
dash, so the figure reads in greyscale too. Strategic ties (``strategic`` or ``both``) are
thick lines, the others thin. A tie no source has seen hold for ``horizon`` years or more
(it is only carried forward, see :mod:`course_lib.network`) is faded and its middle marker
says "last seen YEAR". The marker in the middle of each tie carries its hover text:
relation, level, dates, evidence and source.

The trace list of a model never changes shape (a figure can be updated in place): the line
traces the model can ever need (:attr:`Drawing.line_kinds`: for each relation it has, a thick
trace if it has strategic ties, a thin one if it has others, and a faded one, in that order); then a legend entry per relation it has (listed when the relation has a tie drawn); then
the ties' middle markers (one per tie of the model, a missing
point when not shown, so that an update sends positions, not texts), the "last seen" labels,
the groups without a tie shown (only when ``show_all_groups``), and the groups with one.

Examples
--------
>>> from course_lib import load_alliances, load_groups
>>> from course_lib.network import AllianceModel
>>> model = AllianceModel(load_alliances())
>>> keep = model.mask("2010", focus="al_qaeda")
>>> fig = network_figure(model, keep, load_groups(), when="2010", as_of="2010", focus="al_qaeda")
>>> d = Drawing(model, load_groups())
>>> len(fig.data) == len(d.line_kinds) + len(d.relations) + 4, fig.layout.title.text
(True, 'Alliance network, 2010: ties of Al-Qaeda')
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..dates import DateLike
from ..groups import group_names, short_names
from ..network import SYMMETRIC_RELATIONS, AllianceModel
from ..vocab import label, plural
from .base import empty_figure, escape, finish, legend_below, note
from .palette import OKABE_ITO, RELATION_STYLE

__all__ = [
    "LEVEL_LABELS",
    "RELATION_PHRASES",
    "holding_text",
    "network_figure",
    "network_overview",
    "network_summary",
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
    "divergence": "{a}'s and {b}'s strategic aims drift apart",
    "armed_conflict": "{a} and {b} fight each other",
    "split": "{a} broke away from {b}",
    "merger": "{a} merged into {b}",
    "rebrand": "{a} was renamed {b}",
}

#: Levels as the hover text, the summary and the tables say them.
LEVEL_LABELS = {
    "strategic": "strategic",
    "tactical": "tactical",
    "both": "strategic and tactical",
    "unspecified": "level not stated",
}

_STRONG = ("strategic", "both")
_WIDTH = {"thick": 3.6, "thin": 1.4, "faded": 1.2}
_PAD = 0.12


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def holding_text(
    start: object,
    end: object,
    observed: object,
    closed_by: object = None,
    closed_on: object = None,
    published: object = None,
) -> tuple[str, str]:
    """How a tie's first and last dates read, following the rules of :mod:`course_lib.network`.

    >>> holding_text("2001", None, "2010-04")
    ('2001', 'no end stated (last seen 2010-04)')
    >>> holding_text(None, "2001", "2010")
    ('start not stated, shown from 2001', '2001')
    >>> holding_text("2010", None, None, closed_by="x_ended", closed_on="2016-07", published="2014")
    ('2010', '2016-07 (the end given by x_ended)')
    >>> holding_text("2010", None, None, published="2014-11-17")
    ('2010', 'no end stated (last seen 2014-11-17, when its source was published)')
    """
    start, end, observed = _str(start), _str(end), _str(observed)
    known = [d for d in (observed, end) if d]
    first = start or (f"start not stated, shown from {min(known)}" if known else "start not stated")
    if end:
        last = end
    elif _str(closed_by).startswith("group:"):
        last = f"{_str(closed_on)} (when {closed_by.removeprefix('group:')} ended)"
    elif _str(closed_by):
        last = f"{_str(closed_on)} (the end given by {closed_by})"
    elif observed:
        last = f"no end stated (last seen {observed})"
    elif _str(published):
        last = f"no end stated (last seen {published}, when its source was published)"
    else:
        last = "no end stated"
    return first, last


def tie_hover_texts(
    ties: pd.DataFrame, names: Mapping[str, str], holding: pd.DataFrame | None = None
) -> list[str]:
    """One hover text per tie (HTML, every value escaped): relation, level, dates, evidence, source.

    ``holding`` (:meth:`AllianceModel.holding`, same index as ``ties``) says which later row
    closes an open tie; without it, open ties read as the row alone says.
    """
    cols = [
        "group_a",
        "group_b",
        "relation",
        "level",
        "evidence_level",
        "source_id",
        "locator",
        "alliance_id",
    ]
    out = []
    for (a, b, rel, level, evidence, source, locator, aid), (first, last) in zip(
        zip(*(ties[c].tolist() for c in cols)), holding_texts(ties, holding)
    ):
        na, nb = escape(names.get(a, a)), escape(names.get(b, b))
        arrow = "–" if rel in SYMMETRIC_RELATIONS else "→"
        phrase = RELATION_PHRASES.get(rel, "{a} " + escape(rel) + " {b}").format(a=na, b=nb)
        out.append(
            f"<b>{na} {arrow} {nb}</b>: {escape(label(rel))}<br>{phrase}"
            f"<br>Level: {escape(LEVEL_LABELS.get(_str(level), 'level not stated'))}"
            f"<br>Holds: {escape(first)} – {escape(last)}<br>Evidence: {escape(_str(evidence) or 'not stated')}"
            f"<br>Source: {escape(source)}, {escape(locator)}<br><i>{escape(aid)}</i>"
        )
    return out


def holding_texts(ties: pd.DataFrame, holding: pd.DataFrame | None = None) -> list[tuple[str, str]]:
    """:func:`holding_text` of every tie, with the closing rows of ``holding`` where given."""
    empty = [None] * len(ties)
    closed_by = holding["closed_by"].tolist() if holding is not None else empty
    closed_on = holding["closed_on"].tolist() if holding is not None else empty
    published = ties["source_published"].tolist() if "source_published" in ties else empty
    return [
        holding_text(*row)
        for row in zip(
            ties["start"].tolist(),
            ties["end"].tolist(),
            ties["observed"].tolist(),
            closed_by,
            closed_on,
            published,
        )
    ]


def _label_positions(xy: np.ndarray, labelled: np.ndarray) -> np.ndarray:
    """Where each node's name goes: outwards (left or right of centre), and above or below a
    labelled neighbour on nearly the same line, so that neighbouring names do not overlap."""
    side = np.where(xy[:, 0] >= 0, "right", "left")
    vertical = np.full(len(xy), "middle", dtype=object)
    order = np.flatnonzero(labelled)[np.argsort(xy[labelled, 1], kind="stable")] if len(xy) else []
    for prev, cur in itertools.pairwise(order):
        close = abs(xy[cur, 1] - xy[prev, 1]) < 0.05 and abs(xy[cur, 0] - xy[prev, 0]) < 0.5
        if close and vertical[prev] != "top":
            vertical[prev], vertical[cur] = "bottom", "top"
    return np.array([f"{v} {s}" for v, s in zip(vertical, side)], dtype=object)


def network_summary(
    ties: pd.DataFrame,
    when: str | None,
    focus_name: str | None = None,
    stale: int = 0,
    horizon: int | None = None,
) -> str:
    """A plain-text summary: how many ties among how many groups, by relation and by level."""
    where = f" in {when}" if when else ""
    about = f" involving {focus_name}" if focus_name else ""
    if len(ties) == 0:
        return f"No ties{about} hold{where} with the current filters."
    n_groups = len(pd.unique(pd.concat([ties["group_a"], ties["group_b"]])))
    rel = ties["relation"].astype(str).value_counts()
    rel_text = ", ".join(f"{n} {label(r)}" for r, n in sorted(rel.items(), key=lambda kv: (-kv[1], kv[0])))
    lev = ties["level"].astype(object).fillna("unspecified").value_counts()
    lev_text = ", ".join(
        f"{n} {LEVEL_LABELS.get(k, k)}" for k, n in sorted(lev.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    text = f"{when + ': ' if when else ''}{plural(len(ties), 'tie')}{about} among {n_groups} groups: {rel_text}; {lev_text}."
    if stale and horizon is not None:
        text += f" {plural(stale, 'tie')} not seen by any source for {horizon} years or more (faded)."
    return text


class Drawing:
    """Where everything goes: the model's groups and ties as coordinates, computed once per model."""

    def __init__(self, model: AllianceModel, groups: pd.DataFrame | Mapping[str, str] | None):
        self.model = model
        self.groups = groups
        self.names = group_names(groups)
        self.labels = (
            short_names(groups) if isinstance(groups, pd.DataFrame) and "name" in groups else self.names
        )
        self.ids = np.array(sorted(model.positions), dtype=object)
        self.xy = np.array([model.positions[g] for g in self.ids], dtype=float).reshape(-1, 2)
        node = pd.Index(self.ids)
        self.a, self.b = node.get_indexer(model.a_ids), node.get_indexer(model.b_ids)
        levels = [model.levels.index(v) for v in _STRONG if v in model.levels]
        self.strong = np.isin(model.level, levels)
        self.node = node
        has = {
            k: {model.relations[r] for r in np.unique(model.rel[on])}
            for k, on in (
                ("thick", self.strong),
                ("thin", ~self.strong),
                ("faded", np.ones_like(self.strong)),
            )
        }
        #: The relations the model has, in the palette's order: one legend entry each.
        self.relations = [r for r in RELATION_STYLE if r in has["faded"]]
        #: The line traces the model can ever need, as (relation, kind): every tie can fade, only
        #: strategic ties are thick. Fewer traces redraw faster (each costs the browser ~0.5 ms).
        self.line_kinds = [(r, k) for r in self.relations for k in _KINDS if r in has[k]]

    def check(self, keep: np.ndarray) -> None:
        lost = (self.a < 0) | (self.b < 0)
        if (lost & keep).any():
            missing = sorted({*self.model.a_ids[lost & keep], *self.model.b_ids[lost & keep]} - set(self.ids))
            raise ValueError(
                f"no place for {', '.join(map(repr, missing))} in the model's positions: build the "
                "AllianceModel with positions=None (the default) to lay out every group"
            )

    @functools.cached_property
    def all_mids(self) -> np.ndarray:
        """The middle point of every tie (each tie of a pair bowed apart from the others)."""
        return self.mids(np.ones(len(self.model.alliances), bool))

    @functools.cached_property
    def tie_colors(self) -> list[str]:
        return [RELATION_STYLE[self.model.relations[r]].color for r in self.model.rel]

    def mids(self, keep: np.ndarray) -> np.ndarray:
        """The middle point of each tie of ``keep``, bowed apart from the other ties of its pair."""
        a, b, rel = self.a[keep], self.b[keep], self.model.rel[keep]
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        pair = lo.astype(np.int64) * max(len(self.ids), 1) + hi
        order = np.lexsort((np.arange(len(pair)), rel, pair))
        rank, count = np.zeros(len(pair)), np.ones(len(pair))
        if len(pair):
            sp = pair[order]
            first = np.r_[True, sp[1:] != sp[:-1]]
            rank[order] = np.arange(len(sp)) - np.maximum.accumulate(np.where(first, np.arange(len(sp)), 0))
            sizes = np.diff(np.r_[np.flatnonzero(first), len(sp)])
            count[order] = np.repeat(sizes, sizes)
        d = self.xy[hi] - self.xy[lo]
        length = np.where((n := np.hypot(d[:, 0], d[:, 1])) > 0, n, 1.0)
        normal = np.column_stack([-d[:, 1], d[:, 0]]) / length[:, None]
        return (self.xy[lo] + self.xy[hi]) / 2 + normal * ((rank - (count - 1) / 2) * 0.07)[:, None]

    def kinds(self, keep: np.ndarray, as_of: DateLike | None, horizon: int | None) -> np.ndarray:
        """Per tie: "thick" (strategic), "thin", or "faded" (not seen for ``horizon`` years before ``as_of``)."""
        stale = np.zeros(len(keep), bool)
        if as_of is not None and horizon is not None:
            stale = self.model.unseen_for(as_of) >= horizon
        return np.where(stale, "faded", np.where(self.strong, "thick", "thin"))

    def lines(self, keep: np.ndarray, mids: np.ndarray, kind: np.ndarray) -> list[dict[str, np.ndarray]]:
        """The x and y of each line trace of :attr:`line_kinds` (a single missing point when it has no tie)."""
        rows = np.flatnonzero(keep)
        rel, kind = self.model.rel[rows], kind[rows]
        out = []
        for relation, k in self.line_kinds:
            pick = (rel == self.model.relations.index(relation)) & (kind == k)
            pa, pb, m = self.xy[self.a[rows[pick]]], self.xy[self.b[rows[pick]]], mids[pick]
            nan = np.full(int(pick.sum()), np.nan)
            x = np.column_stack([pa[:, 0], m[:, 0], pb[:, 0], nan]).ravel().round(3)
            y = np.column_stack([pa[:, 1], m[:, 1], pb[:, 1], nan]).ravel().round(3)
            # Never empty: plotly makes an empty trace invisible, and a legend click then
            # skips it, so that ties it gets later (another year of a slider) would show.
            out.append({"x": x if len(x) else np.array([np.nan]), "y": y if len(y) else np.array([np.nan])})
        return out

    def line_traces(
        self, geometry: list[dict], legend: Sequence[str] | None = None, tie_type: str = "scatter"
    ) -> list[dict]:
        """The line traces of :attr:`line_kinds` (their ``geometry``), then one legend entry per
        relation of the model, listed when the relation is in ``legend`` (default: when it has
        a tie drawn). Each entry is a trace of its own, one missing point in the relation's
        legend group (a click on it hides or shows the group), so that its line has the same
        width whichever of the relation's traces are drawn."""
        traces = []
        drawn = set()
        for (relation, k), points in zip(self.line_kinds, geometry):
            style = RELATION_STYLE[relation]
            if np.isfinite(np.asarray(points["x"], dtype=float)).any():
                drawn.add(relation)
            traces.append(
                dict(
                    type=tie_type,
                    mode="lines",
                    hoverinfo="skip",
                    legendgroup=relation,
                    name=label(relation),
                    showlegend=False,
                    opacity=0.4 if k == "faded" else 1.0,
                    line=dict(color=style.color, dash=style.dash, width=_WIDTH[k]),
                    **points,
                )
            )
        entries = [
            dict(
                type="scatter",
                mode="lines",
                x=[None],
                y=[None],
                name=label(relation),
                legendgroup=relation,
                hoverinfo="skip",
                line=dict(
                    color=RELATION_STYLE[relation].color, dash=RELATION_STYLE[relation].dash, width=2.4
                ),
                showlegend=relation in (legend if legend is not None else drawn),
            )
            for relation in self.relations
        ]
        return traces + entries

    def frame(self, shown: np.ndarray) -> dict:
        """Axis ranges that fit the groups ``shown`` and their short names, written outwards, in a
        plot about 700 px wide: a name left of its node needs ``7 px × its length`` to the left
        edge, so the range is widened until every name fits (a fixed point, reached in a few steps).
        The same groups always get the same frame, whichever of them are named."""
        xy = self.xy[shown] if shown.any() else np.zeros((1, 2))
        lo, hi = xy[:, 0].min() - _PAD, xy[:, 0].max() + _PAD
        need = np.array([7.0 * len(self.labels.get(g, g)) + 14 for g in self.ids[shown]])
        x = self.xy[shown, 0]
        left = x < 0  # as _label_positions writes them
        for _ in range(8):
            per_px = (hi - lo) / 700
            lo = min(lo, (x[left] - need[left] * per_px).min(initial=lo))
            hi = max(hi, (x[~left] + need[~left] * per_px).max(initial=hi))
        return dict(
            xaxis=dict(visible=False, range=[round(lo, 3), round(hi, 3)]),
            yaxis=dict(visible=False, range=[xy[:, 1].min() - _PAD, xy[:, 1].max() + _PAD]),
        )


_KINDS = ("thick", "thin", "faded")
#: Networks of more ties than this draw them with WebGL.
WEBGL_ABOVE = 1_000
_LEGEND = legend_below("Relation", per_row=5)


def network_figure(
    model: AllianceModel,
    keep: np.ndarray,
    groups: pd.DataFrame | Mapping[str, str] | None = None,
    *,
    when: str | None = None,
    as_of: DateLike | None = None,
    focus: str | None = None,
    horizon: int | None = 5,
    show_all_groups: bool = False,
    max_labels: int = 30,
    hovertext: np.ndarray | None = None,
    drawing: Drawing | None = None,
    webgl: bool | None = None,
) -> go.Figure:
    """Draw the ties of ``model`` where ``keep`` is true.

    Parameters
    ----------
    model, keep
        An :class:`~course_lib.network.AllianceModel` and the ties to draw (its ``mask``).
    groups
        The registry (or ``{group_id: name}``), for names; nodes show short names (an
        acronym from the aliases when the name is long), hover texts the full names.
    when
        The date or period shown, as the title and summary say it.
    as_of, horizon
        Ties that no source has seen hold for ``horizon`` years or more before ``as_of`` are
        faded (``None`` for either: none is).
    focus
        A group id to enlarge (the caller keeps only its ties).
    show_all_groups
        Draw the groups with no tie shown too, as faint rings (default: only connected groups).
    max_labels
        Name at most this many groups: those with the most ties shown, and the focus.
    hovertext, drawing
        Ready hover texts of all the model's ties (:func:`tie_hover_texts`) and a ready
        :class:`Drawing`, to save time when redrawing often.
    webgl
        Draw the ties (lines and hover markers) with WebGL, which redraws a large network several
        times faster than SVG but costs a second or so to start in a browser without a GPU. The
        default (``None``), as plotly express's ``render_mode="auto"``: when the model has more than
        :data:`WEBGL_ABOVE` ties. The groups, their names and the legend stay SVG.
    """
    d = drawing or Drawing(model, groups)
    d.check(keep)
    names = d.names
    focus_name = names.get(focus, focus) if focus else None
    title = "Alliance network" + (f", {when}" if when else "") + (f": ties of {focus_name}" if focus else "")
    ties = model.alliances.loc[keep]
    kind = d.kinds(keep, as_of, horizon)
    stale = (kind == "faded") & keep
    horizon = horizon if as_of is not None else None
    # Every tie keeps its place, its hover text and its style from one date to the next; a tie not
    # shown is a missing point. An update then sends only positions and opacities, never the texts.
    mids = d.all_mids
    if webgl is None:
        webgl = len(model.alliances) > WEBGL_ABOVE
    tie_type = "scattergl" if webgl else "scatter"
    traces = d.line_traces(d.lines(keep, mids[keep], kind), tie_type=tie_type)
    if hovertext is None:
        hovertext = np.array(tie_hover_texts(model.alliances, names, model.holding()), dtype=object)
    elif len(hovertext) != len(model.alliances):
        raise ValueError(f"hovertext has {len(hovertext)} texts for the model's {len(model.alliances)} ties")
    seen_year = model.seen.astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
    faded = stale[keep]
    # "last seen YEAR" is written beside a faded tie when few are shown (else in its hover and table).
    few = faded.sum() <= (12 if focus else 6)
    traces.append(
        dict(
            type=tie_type,
            mode="markers",
            name="Tie details (hover)",
            showlegend=False,
            x=np.where(keep, mids[:, 0].round(3), np.nan),
            y=np.where(keep, mids[:, 1].round(3), np.nan),
            marker=dict(
                color=d.tie_colors,
                size=np.where(d.strong, 11, 7),
                opacity=np.where(stale, 0.5, 1.0),
                line=dict(color=OKABE_ITO["black"], width=0.6),
            ),
            hovertext=hovertext,
            hoverinfo="text",
        )
    )
    # "last seen YEAR" beside each faded tie, when few are faded (else in the hover and the table)
    labelled = np.flatnonzero(stale & few)
    traces.append(
        dict(
            type="scatter",
            mode="text",
            name="Last seen",
            showlegend=False,
            hoverinfo="skip",
            x=mids[labelled, 0].round(3),
            y=mids[labelled, 1].round(3),
            text=np.char.add("last seen ", seen_year[labelled].astype(str)),
            textposition="bottom center",
            textfont=dict(size=10, color="#555555"),
        )
    )
    active = np.zeros(len(d.ids), bool)
    active[d.a[keep]], active[d.b[keep]] = True, True
    if focus is not None and focus in d.node:
        active[d.node.get_loc(focus)] = True
    degree = np.bincount(np.r_[d.a[keep], d.b[keep]], minlength=len(d.ids))
    rings = ~active if show_all_groups else np.zeros(len(d.ids), bool)
    nodes = _nodes(d, active, degree, focus, max_labels)
    traces += [_rings(d, rings), nodes]
    summary = network_summary(ties, when, focus_name, int(faded.sum()), horizon)
    layout = dict(
        height=620, hovermode="closest", legend=_LEGEND, margin=dict(b=110), **d.frame(active | rings)
    )
    if len(ties) == 0:
        layout["annotations"] = [note(summary)]
    faded_text = f" · faded: not seen for {horizon}+ years" if horizon is not None else ""
    return finish(
        traces,
        layout,
        title,
        summary,
        subtitle=f"Thick: strategic{faded_text} · hover a tie's midpoint for its source",
    )


def _rings(d: Drawing, rings: np.ndarray) -> dict:
    return dict(
        type="scatter",
        mode="markers",
        name="Other groups (no tie shown)",
        showlegend=bool(rings.any()),
        x=d.xy[rings, 0],
        y=d.xy[rings, 1],
        hoverinfo="text",
        hovertext=[f"<b>{escape(d.names.get(g, g))}</b><br>no tie shown" for g in d.ids[rings]],
        marker=dict(color=OKABE_ITO["grey"], size=6, opacity=0.45, symbol="circle-open"),
    )


def _nodes(d: Drawing, active: np.ndarray, degree: np.ndarray, focus: str | None, max_labels: int) -> dict:
    """The groups with a tie shown: the best connected (and the focus) named by their short names."""
    ids = d.ids[active]
    full = np.array([d.names.get(g, g) for g in ids], dtype=object)
    by_degree = np.lexsort((full.astype(str), -degree[active]))
    labelled = np.zeros(len(ids), bool)
    labelled[by_degree[:max_labels]] = True
    labelled |= ids == focus
    labels = [escape(d.labels.get(g, g)) if on else "" for g, on in zip(ids, labelled)]
    return dict(
        type="scatter",
        mode="markers+text",
        name="Groups with a tie shown",
        showlegend=False,
        x=d.xy[active, 0],
        y=d.xy[active, 1],
        text=labels,
        cliponaxis=False,
        textposition=_label_positions(d.xy[active], labelled),
        textfont=dict(size=12),
        hoverinfo="text",
        hovertext=[
            f"<b>{escape(n)}</b><br>{plural(int(k), 'tie')} shown" for n, k in zip(full, degree[active])
        ],
        marker=dict(
            color=OKABE_ITO["black"], size=np.where(ids == focus, 18, 11), line=dict(color="white", width=1)
        ),
    )


def network_overview(
    model: AllianceModel,
    groups: pd.DataFrame | Mapping[str, str] | None = None,
    *,
    horizon: int | None = 5,
    max_labels: int = 25,
    title: str = "Alliance network by year",
    drawing: Drawing | None = None,
) -> go.Figure:
    """The alliance explorer without a kernel: a slider of years, relation types in the legend.

    Every tie is placed once; each step of the slider (a year) sends only which ties hold that
    year (their lines, faded when no source has seen them for ``horizon`` years) and which
    groups are drawn, while the hover texts stay put; clicking a relation in the legend hides
    or shows its ties in every year. Works in a static page with no Python.
    """
    years = model.years
    if not years:
        return empty_figure(title, "The table has no dated ties.")
    d = drawing or Drawing(model, groups)
    everything = np.ones(len(model.alliances), bool)
    d.check(everything)
    mids = d.all_mids
    hover = np.array(tie_hover_texts(model.alliances, d.names, model.holding()), dtype=object)
    overall = np.bincount(np.r_[d.a, d.b], minlength=len(d.ids))
    nodes = _nodes(d, np.ones(len(d.ids), bool), overall, None, max_labels)

    def state(year: int) -> tuple[list, dict]:
        keep = model.mask(str(year))
        kind = d.kinds(keep, str(year), horizon)
        geometry = d.lines(keep, mids[keep], kind)
        active = np.zeros(len(d.ids), bool)
        active[d.a[keep]], active[d.b[keep]] = True, True
        tie_x = np.where(keep, mids[:, 0].round(3), np.nan)
        tie_y = np.where(keep, mids[:, 1].round(3), np.nan)
        args = {
            "x": [g["x"] for g in geometry] + [tie_x, np.where(active, d.xy[:, 0], np.nan)],
            "y": [g["y"] for g in geometry] + [tie_y, np.where(active, d.xy[:, 1], np.nan)],
        }
        ties = model.alliances.loc[keep]
        summary = network_summary(
            ties, str(year), stale=int(((kind == "faded") & keep).sum()), horizon=horizon
        )
        return args, {"title.text": f"Alliance network, {year}", "meta.summary": summary}

    states = {y: state(y) for y in years}
    last, _ = states[years[-1]]
    traces = d.line_traces([{"x": x, "y": y} for x, y in zip(last["x"], last["y"])], legend=model.relations)
    traces.append(
        dict(
            type="scatter",
            mode="markers",
            name="Tie details (hover)",
            showlegend=False,
            x=last["x"][-2],
            y=last["y"][-2],
            hovertext=hover,
            hoverinfo="text",
            marker=dict(
                color=[RELATION_STYLE[model.relations[r]].color for r in model.rel],
                size=8,
                line=dict(color=OKABE_ITO["black"], width=0.6),
            ),
        )
    )
    traces.append({**nodes, "x": last["x"][-1], "y": last["y"][-1]})
    # A step restyles the line traces, the tie midpoints and the groups, not the legend entries.
    moving = [*range(len(d.line_kinds)), len(traces) - 2, len(traces) - 1]
    steps = [
        dict(method="update", label=str(y), args=[args, layout, moving])
        for y, (args, layout) in states.items()
    ]
    layout = dict(
        height=740,
        hovermode="closest",
        margin=dict(b=130, t=106),  # the legend sits above the plot
        legend={
            **_LEGEND,
            "y": 1.0,
            "yanchor": "bottom",
            "title": dict(text="Relation (click to hide or show)", side="top"),
        },
        sliders=[
            dict(
                active=len(years) - 1,
                currentvalue=dict(prefix="Year: "),
                pad=dict(t=40),
                x=0,
                len=1,
                y=0,
                yanchor="top",
                steps=steps,
            )
        ],
        **d.frame(np.ones(len(d.ids), bool)),
    )
    return finish(
        traces,
        layout,
        f"Alliance network, {years[-1]}",
        states[years[-1]][1]["meta.summary"],
        subtitle="Works without Python: the slider picks a year, the legend hides or shows a relation",
    )
