"""The arsenal matrix as a heatmap: holders × categories, shaded by the strongest evidence.

Each cell carries two cues: its shade (the evidence colours of the palette, weakest
lightest) and a text label, the level's initial and the number of items ("V 3": three
items, the strongest verified), so that colour is never the only cue. Hovering over a
cell lists its items with their sources.

Examples
--------
>>> import pandas as pd
>>> from course_lib.plots.base import summary_of
>>> arsenals = pd.DataFrame({
...     "group_id": ["aqim", "aqim", "mali"], "category": ["small_arms", "small_arms", "artillery"],
...     "item": ["AK-47 assault rifles", "handguns", "howitzers"],
...     "evidence_level": ["verified", "reported", "reported"],
...     "source_id": ["rand2013", "rand2013", "ap2025"], "locator": ["table", "table", "para. 5"]})
>>> fig = arsenal_heatmap(arsenals)
>>> fig.data[0].text.tolist()
[['V 2', ''], ['', 'R 1']]
>>> print(summary_of(fig))
2 holders × 2 categories at evidence ≥ suspected: 2 cells hold 3 items;
strongest level per cell: 1 verified, 1 reported, 0 suspected.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..arsenal import EVIDENCE_LEVELS, arsenal_matrix, codes_of, evidence_codes, evidence_rank
from ..palette import EVIDENCE_STYLE
from .base import empty_figure, escape, finish, new_figure

__all__ = ["arsenal_heatmap", "evidence_colorscale", "group_names", "label", "n_of", "selection_shapes"]

#: How many items a cell's hover text lists before "… and N more".
HOVER_ITEMS = 12

TITLE = "Arsenals: strongest evidence per holder and category"


def label(value: object) -> str:
    """A vocabulary value as a reader sees it: ``"small_arms"`` → ``"small arms"``.

    >>> label("armed_conflict")
    'armed conflict'
    """
    return str(value).replace("_", " ")


def n_of(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` with the word in the right number.

    >>> n_of(1, "item"), n_of(3, "category", "categories")
    ('1 item', '3 categories')
    """
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def group_names(groups: pd.DataFrame | Mapping[str, str] | None) -> dict[str, str]:
    """``group_id`` → name, from the groups table (or a mapping); empty when ``None``.

    >>> group_names(pd.DataFrame({"group_id": ["aqim"], "name": ["AQIM"]}))
    {'aqim': 'AQIM'}
    """
    if groups is None:
        return {}
    if isinstance(groups, Mapping):
        return {str(k): str(v) for k, v in groups.items()}
    return {str(k): str(v) for k, v in zip(groups["group_id"], groups["name"]) if isinstance(v, str)}


def evidence_colorscale() -> list[list]:
    """A stepped colourscale for the codes 0, 1, 2 (suspected, reported, verified).

    >>> evidence_colorscale()[0]
    [0.0, '#F0E442']
    """
    colors = [EVIDENCE_STYLE[level].color for level in EVIDENCE_LEVELS]
    n = len(colors)
    scale = []
    for i, color in enumerate(colors):
        scale += [[i / n, color], [(i + 1) / n, color]]
    return scale


def _short(text: object, limit: int = 70) -> str:
    s = "" if text is None or text != text else str(text)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _hover_texts(
    table: pd.DataFrame, keep: np.ndarray, h: np.ndarray, c: np.ndarray, shape
) -> list[list[list]]:
    """Per cell, the (escaped) lines listing its items and their sources, strongest first.

    Each cell holds at most :data:`HOVER_ITEMS` lines, then ``None`` for each item left out.
    """
    lines: list[list[list]] = [[[] for _ in range(shape[1])] for _ in range(shape[0])]
    idx = np.flatnonzero(keep)
    lv = evidence_codes(table)[idx]
    order = idx[np.lexsort((np.arange(idx.size), -lv))]
    n = len(table)
    items = table["item"].to_numpy(dtype=object) if "item" in table else np.full(n, "", dtype=object)
    sources = table["source_id"].to_numpy(dtype=object) if "source_id" in table else np.full(n, None)
    locators = table["locator"].to_numpy(dtype=object) if "locator" in table else np.full(n, None)
    initials = {k: escape(level[0].upper()) for k, level in enumerate(EVIDENCE_LEVELS)}
    levels = evidence_codes(table)
    wheres: dict[tuple, str] = {}
    for i in order.tolist():
        cell = lines[h[i]][c[i]]
        if len(cell) >= HOVER_ITEMS:
            cell.append(None)
            continue
        key = (sources[i], locators[i])
        where = wheres.get(key)
        if where is None:
            where = wheres[key] = (
                ", ".join(escape(_short(x, 50)) for x in key if isinstance(x, str) and x) or "no source"
            )
        cell.append(f"{initials.get(int(levels[i]), '?')} · {escape(_short(items[i]))} ({where})")
    return lines


def arsenal_heatmap(
    arsenals: pd.DataFrame | None = None,
    min_evidence: str = "suspected",
    holders: Sequence[str] | None = None,
    groups: pd.DataFrame | Mapping[str, str] | None = None,
    selected: tuple[str | None, str | None] | None = None,
    title: str = TITLE,
) -> go.Figure:
    """Heatmap of :func:`~course_lib.arsenal.arsenal_matrix`: holders × categories.

    Parameters
    ----------
    arsenals : DataFrame, optional
        The arsenals table. Default: the bundled one (and then ``groups`` too).
    min_evidence : {"suspected", "reported", "verified"}
        Keep items at this level or stronger.
    holders : sequence of str, optional
        The holders to show, in order (default: all, sorted by ``group_id``).
    groups : DataFrame or mapping, optional
        Gives the holders' names for the axis; without it the ``group_id`` is shown.
    selected : (holder, category), optional
        Outline this row, column or cell (``None`` in either place: the whole column or row).
    title : str
        The figure's title.

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Heatmap`` trace (x: categories, y: holders, both as ids with readable tick
        labels); ``empty_figure`` when no item reaches the threshold.
    """
    rank = evidence_rank(min_evidence)
    if arsenals is None:
        from ..data import load_arsenals, load_groups

        arsenals = load_arsenals()
        groups = load_groups() if groups is None else groups
    names = group_names(groups)
    matrix = arsenal_matrix(arsenals, min_evidence, holders)
    count = matrix.count.to_numpy()
    if count.sum() == 0:
        if len(arsenals) == 0:
            reason = "The arsenals table has no rows."
        else:
            reason = f"No arsenal item is recorded at evidence ≥ {min_evidence} for the holders shown."
        return empty_figure(title, reason)

    codes = matrix.codes
    hs, cs = matrix.holders, matrix.categories
    h = codes_of(arsenals["group_id"], hs)
    c = codes_of(arsenals["category"], cs)
    keep = (h >= 0) & (c >= 0) & (evidence_codes(arsenals) >= rank)
    lines = _hover_texts(arsenals, keep, h, c, codes.shape)

    letters = np.array([level[0].upper() for level in EVIDENCE_LEVELS])
    text = np.where(
        codes >= 0, np.char.add(np.char.add(letters[np.clip(codes, 0, 2)], " "), count.astype(str)), ""
    )
    # None, not NaN, for empty cells: a FigureWidget's JSON message cannot carry NaN.
    z = [[float(v) if v >= 0 else None for v in row] for row in codes]
    shown_names = [escape(names.get(x, x)) for x in hs]
    shown_categories = [escape(label(x)) for x in cs]
    hover = []
    for i, row in enumerate(lines):
        out = []
        for j, cell in enumerate(row):
            if not cell:
                out.append("")
                continue
            listed = [x for x in cell if x is not None]
            more = len(cell) - len(listed)
            out.append(
                f"<b>{shown_names[i]} · {shown_categories[j]}</b><br>"
                f"strongest: {EVIDENCE_LEVELS[codes[i, j]]} · {n_of(int(count[i, j]), 'item')}<br>"
                + "<br>".join(listed)
                + (f"<br>… and {more} more" if more else "")
            )
        hover.append(out)

    heat = dict(
        type="heatmap",
        z=z,
        x=cs,
        y=hs,
        text=text,
        texttemplate="%{text}",
        customdata=hover,
        hovertemplate="%{customdata}<extra></extra>",
        hoverongaps=False,
        zmin=-0.5,
        zmax=len(EVIDENCE_LEVELS) - 0.5,
        colorscale=evidence_colorscale(),
        xgap=2,
        ygap=2,
        colorbar=dict(
            title=dict(text="Strongest<br>evidence"),
            tickvals=list(range(len(EVIDENCE_LEVELS))),
            ticktext=[f"{level[0].upper()}: {level}" for level in EVIDENCE_LEVELS],
        ),
        name="arsenal",
    )
    layout = dict(
        xaxis=dict(type="category", tickvals=cs, ticktext=shown_categories, side="bottom", tickangle=-30),
        yaxis=dict(type="category", tickvals=hs, ticktext=shown_names, autorange="reversed"),
        height=max(320, 140 + 30 * len(hs)),
    )
    shapes = selection_shapes(hs, cs, *selected) if selected is not None else []
    if shapes:
        layout["shapes"] = shapes
    fig = new_figure([heat], layout)

    by_level = [int((codes == k).sum()) for k in range(len(EVIDENCE_LEVELS))]
    filled = int((codes >= 0).sum())
    summary = (
        f"{n_of(len(hs), 'holder')} × {n_of(len(cs), 'category', 'categories')} "
        f"at evidence ≥ {min_evidence}: "
        f"{n_of(filled, 'cell')} hold{'s' if filled == 1 else ''} {n_of(int(count.sum()), 'item')}; "
        "strongest level per cell: "
        + ", ".join(f"{by_level[k]} {EVIDENCE_LEVELS[k]}" for k in reversed(range(len(EVIDENCE_LEVELS))))
        + "."
    )
    return finish(fig, title, summary, x="Category of equipment", y="Holder")


def selection_shapes(holders: Sequence[str], categories: Sequence[str], holder, category) -> list[dict]:
    """The outline of the selected cell, row or column (``None``: the whole row or column).

    Category axes place their values at 0, 1, 2 …, so the rectangle is drawn in those units.

    >>> selection_shapes(["a", "b"], ["x", "y"], "b", None)[0]["y0"]
    0.5
    >>> selection_shapes(["a"], ["x"], None, None)
    []
    """
    holders, categories = list(holders), list(categories)
    if holder is None and category is None:
        return []
    if (holder is not None and holder not in holders) or (
        category is not None and category not in categories
    ):
        return []
    if category is None:
        x0, x1 = -0.5, len(categories) - 0.5
    else:
        x0 = categories.index(category) - 0.5
        x1 = x0 + 1
    if holder is None:
        y0, y1 = -0.5, len(holders) - 0.5
    else:
        y0 = holders.index(holder) - 0.5
        y1 = y0 + 1
    return [
        dict(type="rect", x0=x0, x1=x1, y0=y0, y1=y1, xref="x", yref="y", line=dict(color="#000000", width=3))
    ]
