"""The pieces every explorer shares: in-place figure updates, escaping, summary text, repr."""

from conftest import plain

from course_lib.plots.base import empty_figure, finish, summary_of
from course_lib.plots.palette import ATTACK_TYPE_STYLE, EVIDENCE_STYLE, GROUP_STYLES, RELATION_STYLE
from course_lib.widgets.base import Explorer, evidence_control, html_table, toggle


def bar(ys, title="T", summary="s"):
    return finish([dict(type="bar", x=list(range(len(ys))), y=ys)], {}, title, summary, x="x", y="y")


def test_show_figure_updates_the_view_in_place(monkeypatch):
    explorer = Explorer([], bar([1, 2]))
    view = explorer.view
    sent = []
    monkeypatch.setattr(view, "send", sent.append)
    explorer.show_figure(bar([3, 4, 5], title="New"))
    assert explorer.view is view and [m["type"] for m in sent] == ["patch"]
    assert plain(explorer.figure)["data"][0]["y"] == [3, 4, 5]
    assert explorer.figure["layout"]["title"]["text"] == "New"
    assert explorer.figure["layout"]["xaxis"]["title"]["text"] == "x"


def test_show_figure_replaces_traces_of_another_kind():
    explorer = Explorer([], bar([1]))
    explorer.show_figure(empty_figure("Nothing"))
    assert len(explorer.figure["data"]) == 0
    assert summary_of(explorer.figure) == "No rows match the current selection."
    assert explorer.summary_text == "No rows match the current selection."


def test_html_table_escapes_every_cell():
    table = html_table([{"a": "<script>x</script>", "b": None}], ["a", "b"])
    assert "<script>" not in table and "&lt;script&gt;" in table
    assert "<th scope='col'>a</th>" in table and "<td></td>" in table  # a missing value is an empty cell
    assert "No rows match" in html_table([], ["a"])
    assert "&lt;none&gt;" in html_table([], ["a"], empty="<none>")


def test_explorer_summary_text_and_repr():
    explorer = Explorer([evidence_control()], bar([1], summary="1 bar & more"))
    assert explorer.summary_text == "1 bar & more"
    assert "&amp;" in explorer.summary.value  # escaped in the HTML, plain in the text
    assert repr(explorer) == "Explorer: 1 bar & more"
    long = Explorer([], bar([1], summary="x" * 200))
    assert long._repr_mimebundle_()["text/plain"] == "Explorer: " + "x" * 200
    explorer.show_figure(bar([1, 2], summary="2 bars"))
    assert explorer.summary_text == "2 bars"


def test_explorer_lays_out_controls_view_summary_and_table():
    control = evidence_control()
    explorer = Explorer([control], bar([1]))
    assert explorer.children == (explorer.controls, explorer.view, explorer.summary, explorer.table)
    assert explorer.controls.children == (control,)
    assert (
        plain(explorer.overview())["data"] == plain(explorer.figure)["data"]
    )  # default: the figure as it is


def test_evidence_control_is_ordered_weakest_first():
    assert list(evidence_control().options) == ["suspected", "reported", "verified"]
    assert evidence_control("verified").value == "verified"


def test_a_toggle_shows_its_state_with_a_mark():
    button = toggle("ally")
    assert button.value and button.icon == "check" and button.tooltip == "ally"
    button.value = False
    assert button.icon == ""


def test_every_style_has_a_second_cue():
    for vocabulary in (RELATION_STYLE, ATTACK_TYPE_STYLE, EVIDENCE_STYLE, dict(enumerate(GROUP_STYLES))):
        cues = [(s.dash, s.symbol) for s in vocabulary.values()]
        assert len(set(cues)) == len(cues), "colour must not be the only cue"
