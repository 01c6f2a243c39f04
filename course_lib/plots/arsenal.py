"""The arsenal matrix as a heatmap: holders × categories, shaded by the strongest evidence.

Each cell carries two cues: its shade (the evidence colours, weakest lightest) and a text
label, the level's initial and the number of items ("V 3": three items, the strongest
verified), so that colour is never the only cue. Hovering lists the cell's items with sources.

Examples
--------
>>> arsenals = pd.DataFrame({
...     "group_id": ["aqim", "aqim", "mali"], "category": ["small_arms", "small_arms", "artillery"],
...     "item": ["AK-47 assault rifles", "handguns", "howitzers"],
...     "evidence_level": ["verified", "reported", "reported"],
...     "source_id": ["rand2013", "rand2013", "ap2025"], "locator": ["table", "table", "para. 5"]})
>>> fig = arsenal_heatmap(arsenals)
>>> fig.data[0].text.tolist()
[['V 2', ''], ['', 'R 1']]
>>> print(summary_of(fig))
2 holders × 2 categories at evidence ≥ suspected: 2 cells hold 3 items; strongest level per cell: 1 verified, 1 reported, 0 suspected.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..arsenal import arsenal_matrix
from ..groups import group_names
from ..vocab import EVIDENCE_LEVELS, codes_of, evidence_codes, evidence_mask, label, plural
from .base import empty_figure, escape, finish, summary_of
from .palette import EVIDENCE_STYLE

__all__ = ["arsenal_heatmap", "arsenal_overview", "selection_shapes", "summary_of"]

TITLE = "Arsenals: strongest evidence per holder and category"
HOVER_ITEMS = 12
_SCALE = [[e / 3, EVIDENCE_STYLE[lv].color] for i, lv in enumerate(EVIDENCE_LEVELS) for e in (i, i + 1)]


def _cells(
    arsenals: pd.DataFrame, min_evidence: str, holders: Sequence[str] | None, names: Mapping[str, str]
) -> dict[str, Any]:
    """The heatmap's arrays at one threshold: z, text, hover, and the counts for the summary."""
    matrix = arsenal_matrix(arsenals, min_evidence, holders)
    codes, count = matrix.codes, matrix.count.to_numpy()
    hs, cs = matrix.holders, matrix.categories
    h, c = codes_of(arsenals["group_id"], hs), codes_of(arsenals["category"], cs)
    keep = (h >= 0) & (c >= 0) & evidence_mask(arsenals, min_evidence)
    items: dict[tuple[int, int], list[str]] = {}
    rows = arsenals.assign(cell_h=h, cell_c=c, cell_lv=evidence_codes(arsenals))[keep].sort_values(
        ["cell_lv", "item"], ascending=[False, True]
    )
    for rec in rows.itertuples(index=False):
        source = ", ".join(
            x for x in (getattr(rec, "source_id", None), getattr(rec, "locator", None)) if isinstance(x, str)
        )
        items.setdefault((rec.cell_h, rec.cell_c), []).append(
            f"{escape(rec.item)} ({EVIDENCE_LEVELS[rec.cell_lv]}; {escape(source)})"
        )
    letters = np.array([lv[0].upper() for lv in EVIDENCE_LEVELS])
    text = np.where(
        codes >= 0, np.char.add(np.char.add(letters[np.clip(codes, 0, 2)], " "), count.astype(str)), ""
    )
    hover = [
        [
            ""
            if codes[i, j] < 0
            else f"<b>{escape(names.get(hs[i], hs[i]))} · {escape(label(cs[j]))}</b><br>strongest: {EVIDENCE_LEVELS[codes[i, j]]}"
            f" · {plural(int(count[i, j]), 'item')}<br>"
            + "<br>".join(items[(i, j)][:HOVER_ITEMS])
            + (
                f"<br>… and {len(items[(i, j)]) - HOVER_ITEMS} more"
                if len(items[(i, j)]) > HOVER_ITEMS
                else ""
            )
            for j in range(len(cs))
        ]
        for i in range(len(hs))
    ]
    z = [[float(v) if v >= 0 else None for v in row] for row in codes]
    return dict(matrix=matrix, z=z, text=text, hover=hover, codes=codes, count=count)


def _summary(cells: dict[str, Any], min_evidence: str) -> str:
    codes, count = cells["codes"], cells["count"]
    by_level = ", ".join(f"{int((codes == k).sum())} {EVIDENCE_LEVELS[k]}" for k in (2, 1, 0))
    filled = int((codes >= 0).sum())
    return (
        f"{plural(codes.shape[0], 'holder')} × {plural(codes.shape[1], 'category', 'categories')} at evidence ≥ "
        f"{min_evidence}: {plural(filled, 'cell')} hold{'s' if filled == 1 else ''} {plural(int(count.sum()), 'item')}; "
        f"strongest level per cell: {by_level}."
    )


def _heat(cells: dict[str, Any], names: Mapping[str, str]) -> tuple[dict, dict]:
    m = cells["matrix"]
    trace = dict(
        type="heatmap",
        z=cells["z"],
        x=m.categories,
        y=m.holders,
        text=cells["text"],
        texttemplate="%{text}",
        customdata=cells["hover"],
        hovertemplate="%{customdata}<extra></extra>",
        hoverongaps=False,
        zmin=-0.5,
        zmax=2.5,
        colorscale=_SCALE,
        xgap=2,
        ygap=2,
        name="arsenal",
        colorbar=dict(
            title=dict(text="Strongest<br>evidence"),
            tickvals=[0, 1, 2],
            ticktext=[f"{lv[0].upper()}: {lv}" for lv in EVIDENCE_LEVELS],
        ),
    )
    layout = dict(
        xaxis=dict(
            type="category",
            tickvals=m.categories,
            ticktext=[escape(label(c)) for c in m.categories],
            tickangle=-30,
        ),
        yaxis=dict(
            type="category",
            tickvals=m.holders,
            ticktext=[escape(names.get(h, h)) for h in m.holders],
            autorange="reversed",
        ),
        height=max(340, 170 + 30 * len(m.holders)),
    )
    return trace, layout


def arsenal_heatmap(
    arsenals: pd.DataFrame,
    min_evidence: str = "suspected",
    holders: Sequence[str] | None = None,
    groups: pd.DataFrame | Mapping[str, str] | None = None,
    selected: tuple[str | None, str | None] | None = None,
    title: str = TITLE,
) -> go.Figure:
    """Heatmap of :func:`~course_lib.arsenal.arsenal_matrix`: holders × categories.

    ``groups`` gives the holders' names; ``selected`` (holder, category; ``None`` in either
    place for a whole column or row) is outlined.
    """
    names = group_names(groups)
    cells = _cells(arsenals, min_evidence, holders, names)
    if cells["count"].sum() == 0:
        reason = (
            "The arsenals table has no rows."
            if len(arsenals) == 0
            else f"No arsenal item is recorded at evidence ≥ {min_evidence} for the holders shown."
        )
        return empty_figure(title, reason)
    trace, layout = _heat(cells, names)
    shapes = selection_shapes(
        cells["matrix"].holders, cells["matrix"].categories, *(selected or (None, None))
    )
    if shapes:
        layout["shapes"] = shapes
    return finish(
        [trace],
        layout,
        title,
        _summary(cells, min_evidence),
        x="Category of equipment",
        y="Holder",
    )


def arsenal_overview(
    arsenals: pd.DataFrame, groups: pd.DataFrame | Mapping[str, str] | None = None, title: str = TITLE
) -> go.Figure:
    """The arsenal matrix without a kernel: buttons switch the evidence threshold (precomputed)."""
    names = group_names(groups)
    states = {lv: _cells(arsenals, lv, None, names) for lv in EVIDENCE_LEVELS}
    if states["suspected"]["count"].sum() == 0:
        return empty_figure(title, "The arsenals table has no rows.")
    trace, layout = _heat(states["suspected"], names)
    buttons = [
        dict(
            method="update",
            label=f"≥ {lv}",
            args=[
                {"z": [s["z"]], "text": [s["text"]], "customdata": [s["hover"]]},
                {"meta.summary": _summary(s, lv)},
            ],
        )
        for lv, s in states.items()
    ]
    layout["updatemenus"] = [
        dict(
            type="buttons",
            direction="right",
            x=0,
            xanchor="left",
            y=1.0,
            yanchor="bottom",
            pad=dict(b=8),
            showactive=True,
            buttons=buttons,
        )
    ]
    return finish(
        [trace],
        layout,
        title,
        _summary(states["suspected"], "suspected"),
        x="Category of equipment",
        y="Holder",
        subtitle="Works without Python: the buttons raise the evidence threshold",
    )


def selection_shapes(holders: Sequence[str], categories: Sequence[str], holder, category) -> list[dict]:
    """The outline of the selected cell, row or column (``None``: the whole row or column).

    >>> selection_shapes(["a", "b"], ["x", "y"], "b", None)[0]["y0"]
    0.5
    >>> selection_shapes(["a"], ["x"], None, None)
    []
    """
    holders, categories = list(holders), list(categories)
    if (
        (holder is None and category is None)
        or (holder is not None and holder not in holders)
        or (category is not None and category not in categories)
    ):
        return []
    x0 = -0.5 if category is None else categories.index(category) - 0.5
    x1 = len(categories) - 0.5 if category is None else x0 + 1
    y0 = -0.5 if holder is None else holders.index(holder) - 0.5
    y1 = len(holders) - 0.5 if holder is None else y0 + 1
    return [
        dict(type="rect", x0=x0, x1=x1, y0=y0, y1=y1, xref="x", yref="y", line=dict(color="#000000", width=3))
    ]
