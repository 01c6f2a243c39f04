"""The pieces every explorer shares: in-place figure updates, escaping, summary text, repr."""

import plotly.graph_objects as go

from course_lib.palette import ATTACK_TYPE_STYLE, EVIDENCE_STYLE, RELATION_STYLE
from course_lib.plots.base import empty_figure, finish, summary_of
from course_lib.widgets.base import Explorer, evidence_control, html_table, replace_figure


def bar(ys, title="T", summary="s"):
    return finish(go.Figure(go.Bar(x=list(range(len(ys))), y=ys)), title, summary, x="x", y="y")


def test_replace_figure_updates_traces_in_place():
    target = go.FigureWidget(bar([1, 2]))
    first = target.data[0]
    replace_figure(target, bar([3, 4, 5], title="New"))
    assert target.data[0] is first and list(target.data[0].y) == [3, 4, 5]
    assert target.layout.title.text == "New" and target.layout.xaxis.title.text == "x"


def test_replace_figure_replaces_traces_of_another_kind():
    target = go.FigureWidget(bar([1]))
    replace_figure(target, empty_figure("Nothing"))
    assert len(target.data) == 0 and summary_of(target) == "No rows match the current selection."


def test_html_table_escapes_every_cell():
    table = html_table([{"a": "<script>x</script>", "b": None}], ["a", "b"])
    assert "<script>" not in table and "&lt;script&gt;" in table
    assert "No rows match" in html_table([], ["a"])


def test_explorer_summary_text_and_repr():
    explorer = Explorer([evidence_control()], bar([1], summary="1 bar & more"))
    assert explorer.summary_text == "1 bar & more"
    assert repr(explorer) == "Explorer: 1 bar & more"
    long = Explorer([], bar([1], summary="x" * 200))
    assert long._repr_mimebundle_()["text/plain"] == "Explorer: " + "x" * 200
    explorer.show_figure(bar([1, 2], summary="2 bars"))
    assert explorer.summary_text == "2 bars"


def test_evidence_control_is_ordered_weakest_first():
    assert list(evidence_control().options) == ["suspected", "reported", "verified"]


def test_every_style_has_a_second_cue():
    for vocabulary in (RELATION_STYLE, ATTACK_TYPE_STYLE, EVIDENCE_STYLE):
        cues = [(s.dash, s.symbol) for s in vocabulary.values()]
        assert len(set(cues)) == len(cues), "colour must not be the only cue"
