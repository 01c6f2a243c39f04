"""FigureView: a plotly figure in a small anywidget, redrawn by patches; explorers without a kernel."""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess

import pytest
from conftest import plain

import course_lib
from course_lib.plots.base import empty_figure, finish, new_figure, summary_of
from course_lib.widgets import (
    AllianceExplorer,
    ArsenalExplorer,
    AttackExplorer,
    BeforeAfterExplorer,
    ComparisonExplorer,
    SensitivityExplorer,
)
from course_lib.widgets.base import Explorer
from course_lib.widgets.figure import STATIC_FIGURE, FigureView, figure_patch, show

PLOTLY = STATIC_FIGURE
WIDGET = "application/vnd.jupyter.widget-view+json"


def fig(*traces: dict, **layout) -> dict:
    return {"data": list(traces), "layout": layout}


def bar(ys, title="T", summary="s"):
    return finish([dict(type="bar", x=list(range(len(ys))), y=ys)], {}, title, summary, x="x", y="y")


# ----------------------------------------------------------------------------- figure_patch
BAR = {"type": "bar", "x": [1, 2], "y": [3, 4], "name": "a"}

PATCHES = {
    "a changed trace key": (
        fig(BAR, height=300),
        fig({**BAR, "y": [5, 6]}, height=300),
        {"length": 1, "data": {"0": {"y": [5, 6]}}, "removed": {}, "layout": {}, "layout_removed": []},
    ),
    "a removed trace key": (
        fig(BAR),
        fig({k: v for k, v in BAR.items() if k != "name"}),
        {"length": 1, "data": {}, "removed": {"0": ["name"]}, "layout": {}, "layout_removed": []},
    ),
    "a new trace": (
        fig(BAR),
        fig(BAR, {"type": "scatter", "x": [1]}),
        {
            "length": 2,
            "data": {"1": {"__replace__": True, "type": "scatter", "x": [1]}},
            "removed": {},
            "layout": {},
            "layout_removed": [],
        },
    ),
    "a trace fewer": (
        fig(BAR, {"type": "scatter", "x": [1]}),
        fig(BAR),
        {"length": 1, "data": {}, "removed": {}, "layout": {}, "layout_removed": []},
    ),
    "a trace of another type": (
        fig(BAR),
        fig({"type": "scatter", "x": [1, 2], "y": [3, 4]}),
        {
            "length": 1,
            "data": {"0": {"__replace__": True, "type": "scatter", "x": [1, 2], "y": [3, 4]}},
            "removed": {},
            "layout": {},
            "layout_removed": [],
        },
    ),
    "a layout key changed and one removed": (
        fig(BAR, height=300, title={"text": "old"}, shapes=[{"type": "rect"}]),
        fig(BAR, height=300, title={"text": "new"}),
        {
            "length": 1,
            "data": {},
            "removed": {},
            "layout": {"title": {"text": "new"}},
            "layout_removed": ["shapes"],
        },
    ),
    "a layout key added": (
        fig(BAR),
        fig(BAR, annotations=[{"text": "nothing"}]),
        {
            "length": 1,
            "data": {},
            "removed": {},
            "layout": {"annotations": [{"text": "nothing"}]},
            "layout_removed": [],
        },
    ),
}


def test_an_unchanged_figure_needs_no_patch():
    assert figure_patch(fig(BAR, height=300), fig(copy.deepcopy(BAR), height=300)) is None
    assert figure_patch(fig(), fig()) is None


@pytest.mark.parametrize(("old", "new", "expected"), PATCHES.values(), ids=PATCHES.keys())
def test_a_patch_carries_only_what_changed(old, new, expected):
    before = copy.deepcopy(old)
    assert figure_patch(old, new) == {"type": "patch", **expected}
    assert old == before  # the figures are not touched


def _patched_in_javascript(old: dict, patch: dict) -> dict:
    """What the browser makes of ``patch``: the view's own ``patched`` function, run by node."""
    source = re.search(r"function patched\(fig, msg\) \{.*?\n\}", FigureView._esm, flags=re.S)
    assert source, "the view's patched() function was not found"
    script = f"{source[0]}\nconsole.log(JSON.stringify(patched({json.dumps(old)}, {json.dumps(patch)})));"
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is needed to run the view's JavaScript")
@pytest.mark.parametrize(("old", "new", "expected"), PATCHES.values(), ids=PATCHES.keys())
def test_the_browser_turns_the_old_figure_into_the_new_one(old, new, expected):
    assert _patched_in_javascript(old, figure_patch(old, new)) == new


# ----------------------------------------------------------------------------- FigureView
def test_update_sends_a_patch_and_keeps_the_current_figure(monkeypatch):
    view = FigureView(bar([1, 2], title="Old"))
    first = view.figure
    sent = []
    monkeypatch.setattr(view, "send", sent.append)
    view.update(bar([3, 4, 5], title="New", summary="three bars"))
    assert len(sent) == 1 and sent[0]["type"] == "patch"
    assert sent[0]["data"] == {"0": {"x": [0, 1, 2], "y": [3, 4, 5]}}
    assert set(sent[0]["layout"]) == {"title", "meta"}
    assert plain(view.current)["data"][0]["y"] == [3, 4, 5] and view.summary == "three bars"
    assert view.figure == first  # the synced trait keeps the first figure; the patches follow it
    view.update(bar([3, 4, 5], title="New", summary="three bars"))
    assert len(sent) == 1  # nothing changed: nothing sent


def test_update_to_another_kind_of_figure(monkeypatch):
    view = FigureView(bar([1]))
    sent = []
    monkeypatch.setattr(view, "send", sent.append)
    view.update(empty_figure("Nothing"))
    assert sent[0]["length"] == 0 and view.current["data"] == []
    assert summary_of(view.current) == "No rows match the current selection."


def test_a_view_drawn_after_updates_gets_the_current_figure(monkeypatch):
    view = FigureView(bar([1]))
    sent = []
    monkeypatch.setattr(view, "send", sent.append)
    view._on_msg(view, {"type": "sync"}, None)
    assert sent == []  # nothing updated yet: the synced figure is current
    view.update(bar([2]))
    view._on_msg(view, {"type": "sync"}, None)
    assert sent[-1] == {"type": "figure", "figure": view.current}


def test_clicks_reach_the_callbacks():
    view = FigureView(bar([1]))
    got = []
    view.on_click(got.append)
    view._on_msg(view, {"type": "click", "points": [{"trace": 0, "index": 0, "x": 0, "y": 1}]}, None)
    assert got == [[{"trace": 0, "index": 0, "x": 0, "y": 1}]]


def test_the_figure_is_plain_json():
    view = FigureView(new_figure([dict(type="scatter", x=[1.0, float("nan")], y=[1, 2])]))
    json.dumps(view.current, allow_nan=False)
    assert plain(view.current)["data"][0]["x"] == [1.0, None]
    assert FigureView().current == {"data": [], "layout": {}}


def test_repr_mimebundle_has_the_widget_and_the_plotly_figure():
    view = show(bar([1, 2], summary="2 bars"), config={"displaylogo": False})
    assert isinstance(view, FigureView)
    bundle = view._repr_mimebundle_()
    assert WIDGET in bundle and bundle[WIDGET]["model_id"] == view.model_id
    figure = bundle[PLOTLY]
    assert plain(figure)["data"] == plain(view.current)["data"]
    assert figure["config"] == {"displaylogo": False}
    assert bundle["text/plain"] == "FigureView: 2 bars"


def test_cl_show_is_the_figure_view():
    assert course_lib.show is show and course_lib.FigureView is FigureView


# ----------------------------------------------------------------------------- explorers without a kernel
@pytest.fixture(scope="module")
def explorers() -> dict[str, Explorer]:
    tables = course_lib.load_course()
    return {
        "alliances": AllianceExplorer(tables["alliances"], tables["groups"]),
        "attacks": AttackExplorer(tables["attacks"], tables["groups"]),
        "arsenal": ArsenalExplorer(tables["arsenals"], tables["groups"]),
        "comparison": ComparisonExplorer(tables),
        "before/after": BeforeAfterExplorer(tables),
        "sensitivity": SensitivityExplorer(tables),
    }


@pytest.mark.parametrize(
    "name", ["alliances", "attacks", "arsenal", "comparison", "before/after", "sensitivity"]
)
def test_an_explorer_carries_its_kernel_free_figure(explorers, name, monkeypatch):
    monkeypatch.delenv("SERVER_SOFTWARE", raising=False)
    explorer = explorers[name]
    bundle = explorer._repr_mimebundle_()
    assert WIDGET in bundle and bundle["text/plain"].startswith(type(explorer).__name__)
    figure = bundle[PLOTLY]
    json.dumps(figure, allow_nan=False)
    assert figure["layout"]["meta"]["static_note"] == type(explorer).STATIC_NOTE
    assert figure["layout"]["meta"]["summary"]
    assert plain(figure)["data"] == plain(explorer.overview())["data"]


def test_explorers_with_controls_that_work_without_python_say_so(explorers):
    notes = {name: type(e).STATIC_NOTE for name, e in explorers.items()}
    for name in ("alliances", "attacks", "arsenal"):
        assert notes[name].startswith("Works without Python") and notes[name] != Explorer.STATIC_NOTE
    for name in ("comparison", "before/after", "sensitivity"):
        assert notes[name] == Explorer.STATIC_NOTE and "need Python" in notes[name]
    layout = explorers["alliances"]._repr_mimebundle_()[PLOTLY]["layout"]
    assert layout["sliders"] and explorers["attacks"]._repr_mimebundle_()[PLOTLY]["layout"]["sliders"]
    assert explorers["arsenal"]._repr_mimebundle_()[PLOTLY]["layout"]["updatemenus"]


@pytest.mark.parametrize("server", ["voila", "voila/0.5.8"])
def test_a_voila_dashboard_gets_no_kernel_free_copy(explorers, monkeypatch, server):
    monkeypatch.setenv("SERVER_SOFTWARE", server)
    for explorer in explorers.values():
        bundle = explorer._repr_mimebundle_()
        assert WIDGET in bundle and PLOTLY not in bundle


def test_another_server_still_gets_the_kernel_free_copy(explorers, monkeypatch):
    monkeypatch.setenv("SERVER_SOFTWARE", "gunicorn/21")
    assert PLOTLY in explorers["arsenal"]._repr_mimebundle_()
