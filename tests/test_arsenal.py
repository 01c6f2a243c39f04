"""The arsenal matrix: model, heatmap and explorer, on small fixture tables with the real dtypes."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import make_table as make
from conftest import plain

from course_lib import load_arsenals
from course_lib.arsenal import arsenal_matrix, cell_items
from course_lib.plots.arsenal import arsenal_heatmap, selection_shapes
from course_lib.plots.base import summary_of
from course_lib.plots.palette import EVIDENCE_STYLE
from course_lib.vocab import EVIDENCE_LEVELS, evidence_rank
from course_lib.widgets.arsenal import ArsenalExplorer

SCRIPT = "<script>x</script>"


def click(explorer: ArsenalExplorer, holder: str, category: str) -> None:
    """What the browser sends when a reader clicks a cell of the heatmap."""
    point = {"trace": 0, "index": [0, 0], "x": category, "y": holder}
    explorer.view._on_msg(explorer.view, {"type": "click", "points": [point]}, None)


@pytest.fixture
def arsenals() -> pd.DataFrame:
    rows = [
        # holder, category, item, level, source, locator
        ("aqim", "small_arms", "AK-47 assault rifles", "verified", "rand2013", "table"),
        ("aqim", "small_arms", "F2000 assault rifles", "suspected", "rand2013", "table"),
        ("aqim", "small_arms", "PK machine guns", "reported", "rand2013", "table"),
        ("aqim", "air_defence", "SA-7 missiles", "suspected", "rand2013", "table"),
        ("mali", "artillery", "howitzers", "reported", "ap2025", "para. 5"),
        ("mali", "artillery", "152 mm guns", "verified", "ap2025", "para. 5"),
        ("evil", "other", "<b>bold</b> item", "reported", "src<i>", "p. <1>"),
    ]
    return make(
        "arsenals",
        arsenal_id=[f"r{i}" for i in range(len(rows))],
        group_id=[r[0] for r in rows],
        category=[r[1] for r in rows],
        item=[r[2] for r in rows],
        evidence_level=[r[3] for r in rows],
        source_id=[r[4] for r in rows],
        locator=[r[5] for r in rows],
        period_end=["2013"] * len(rows),
    )


@pytest.fixture
def groups() -> pd.DataFrame:
    return make(
        "groups",
        group_id=["aqim", "mali", "evil"],
        name=["AQIM", "Mali", SCRIPT],
        kind=["jihadist_group", "state_force", "other"],
        source_id=["s"] * 3,
        locator=["l"] * 3,
        evidence_level=["reported"] * 3,
    )


# -- model ----------------------------------------------------------------------------
def test_strongest_level_and_count_per_cell(arsenals):
    m = arsenal_matrix(arsenals)
    assert m.holders == ["aqim", "evil", "mali"]
    assert m.categories == ["small_arms", "air_defence", "artillery", "other"]  # schema order
    assert m.level.loc["aqim", "small_arms"] == "verified"
    assert m.count.loc["aqim", "small_arms"] == 3
    assert m.level.loc["aqim", "air_defence"] == "suspected"
    assert m.level.loc["mali", "artillery"] == "verified"
    assert pd.isna(m.level.loc["mali", "small_arms"])
    assert m.count.loc["mali", "small_arms"] == 0
    dtype = m.level["small_arms"].dtype
    assert isinstance(dtype, pd.CategoricalDtype) and dtype.ordered
    assert list(dtype.categories) == list(EVIDENCE_LEVELS)


def test_threshold_empties_cells_but_keeps_axes(arsenals):
    full = arsenal_matrix(arsenals)
    reported = arsenal_matrix(arsenals, min_evidence="reported")
    verified = arsenal_matrix(arsenals, min_evidence="verified")
    assert reported.holders == full.holders and reported.categories == full.categories
    assert pd.isna(reported.level.loc["aqim", "air_defence"])  # suspected only
    assert reported.count.loc["aqim", "small_arms"] == 2
    assert verified.count.loc["aqim", "small_arms"] == 1
    assert int(verified.count.to_numpy().sum()) == 2
    assert verified.to_long()[["holder", "category"]].values.tolist() == [
        ["aqim", "small_arms"],
        ["mali", "artillery"],
    ]


def test_holders_choose_rows_and_order(arsenals):
    m = arsenal_matrix(arsenals, holders=["mali", "nobody", "aqim", "mali"])
    assert m.holders == ["mali", "nobody", "aqim"]
    assert m.count.loc["nobody"].sum() == 0


def test_plain_text_columns_work_too():
    t = pd.DataFrame(
        {
            "group_id": ["a", "a"],
            "category": ["explosives", "small_arms"],
            "evidence_level": ["reported", "verified"],
        }
    )
    m = arsenal_matrix(t)
    assert m.categories == ["small_arms", "explosives"]  # the codebook's order, only those present
    assert m.level.loc["a", "small_arms"] == "verified" and m.codes.tolist() == [[2, 1]]


def test_bad_threshold_says_what_is_allowed(arsenals):
    with pytest.raises(ValueError, match="must be one of suspected, reported, verified, but 'high'"):
        arsenal_matrix(arsenals, min_evidence="high")
    assert evidence_rank("verified") == 2
    with pytest.raises(TypeError, match="load_arsenals"):
        arsenal_matrix([1, 2])


def test_cell_items_strongest_first_with_sources(arsenals):
    items = cell_items(arsenals, "aqim", "small_arms")
    assert items["item"].tolist() == ["AK-47 assault rifles", "PK machine guns", "F2000 assault rifles"]
    assert set(items["source_id"]) == {"rand2013"} and set(items["locator"]) == {"table"}
    assert cell_items(arsenals, "aqim", "small_arms", "reported")["item"].tolist() == [
        "AK-47 assault rifles",
        "PK machine guns",
    ]
    assert len(cell_items(arsenals, "aqim")) == 4
    assert len(cell_items(arsenals, category="artillery")) == 2
    assert len(cell_items(arsenals)) == len(arsenals)
    assert cell_items(arsenals, "nobody").empty


# -- figure ---------------------------------------------------------------------------
def test_heatmap_trace_text_cues_and_labels(arsenals, groups):
    fig = arsenal_heatmap(arsenals, groups=groups)
    assert len(fig.data) == 1 and fig.data[0].type == "heatmap"
    heat = fig.data[0]
    assert list(heat.y) == ["aqim", "evil", "mali"]
    assert list(heat.x) == ["small_arms", "air_defence", "artillery", "other"]
    assert heat.text.tolist()[0] == ["V 3", "S 1", "", ""]
    assert heat.text.tolist()[2] == ["", "", "V 2", ""]
    assert heat.z[0][0] == 2 and heat.z[0][1] == 0
    assert fig.layout.title.text.startswith("Arsenals")
    assert fig.layout.xaxis.title.text == "Category of equipment"
    assert fig.layout.yaxis.title.text == "Holder"
    assert list(fig.layout.yaxis.ticktext) == ["AQIM", "&lt;script&gt;x&lt;/script&gt;", "Mali"]
    assert list(fig.layout.xaxis.ticktext)[:2] == ["small arms", "air defence"]
    assert list(heat.colorbar.ticktext) == ["S: suspected", "R: reported", "V: verified"]
    assert "3 holders × 4 categories" in summary_of(fig)
    assert (
        "4 cells hold 7 items; strongest level per cell: 2 verified, 1 reported, 1 suspected"
        in summary_of(fig)
    )


def test_heatmap_hover_lists_items_and_sources_escaped(arsenals, groups):
    fig = arsenal_heatmap(arsenals, groups=groups)
    hover = fig.data[0].customdata
    aqim = hover[0][0]
    assert "<b>AQIM · small arms</b>" in aqim and "3 items" in aqim
    assert aqim.index("AK-47") < aqim.index("PK machine") < aqim.index("F2000")
    assert "rand2013, table" in aqim
    evil = hover[1][3]
    assert "<script>" not in evil and "&lt;script&gt;" in evil
    assert "&lt;b&gt;bold&lt;/b&gt; item" in evil and "src&lt;i&gt;, p. &lt;1&gt;" in evil
    assert hover[0][2] == ""  # empty cell


def test_heatmap_threshold_and_selection(arsenals):
    fig = arsenal_heatmap(arsenals, "verified", selected=("mali", "artillery"))
    assert fig.data[0].text.tolist()[0][0] == "V 1"
    assert fig.data[0].text.tolist()[0][1] == ""
    shape = fig.layout.shapes[0]
    assert (shape.x0, shape.x1, shape.y0, shape.y1) == (1.5, 2.5, 1.5, 2.5)
    assert selection_shapes(["a", "b"], ["x"], None, "x")[0]["y1"] == 1.5
    assert selection_shapes(["a"], ["x"], "zzz", None) == []


def test_colourscale_is_the_evidence_palette_weakest_first(arsenals):
    heat = plain(arsenal_heatmap(arsenals))["data"][0]
    scale = heat["colorscale"]
    assert [scale[i][1] for i in (0, 2, 4)] == [EVIDENCE_STYLE[lv].color for lv in EVIDENCE_LEVELS]
    assert scale[0][0] == 0 and scale[-1][0] == 1
    assert (heat["zmin"], heat["zmax"]) == (-0.5, 2.5)  # one colour band per level


def test_heatmap_empty_states(arsenals):
    fig = arsenal_heatmap(arsenals.iloc[:0])
    assert len(fig.data) == 0 and summary_of(fig) == "The arsenals table has no rows."
    only_suspected = arsenals[arsenals["evidence_level"] == "suspected"]
    fig = arsenal_heatmap(only_suspected, "reported")
    assert len(fig.data) == 0 and "evidence ≥ reported" in summary_of(fig)


# -- explorer -------------------------------------------------------------------------
def text_of(explorer: ArsenalExplorer) -> list[list[str]]:
    return plain(explorer.figure)["data"][0]["text"]


def test_explorer_threshold_changes_the_figure(arsenals, groups):
    explorer = ArsenalExplorer(arsenals, groups)
    assert text_of(explorer)[0][:2] == ["V 3", "S 1"]
    explorer.evidence.value = "reported"
    assert text_of(explorer)[0][:2] == ["V 2", ""]
    assert "evidence ≥ reported" in explorer.summary.value
    explorer.evidence.value = "verified"
    assert text_of(explorer)[0][:2] == ["V 1", ""]


def test_explorer_selection_lists_the_cell(arsenals, groups):
    explorer = ArsenalExplorer(arsenals, groups)
    assert explorer.table.value.count("<tr>") == len(arsenals) + 1
    explorer.holder_dropdown.value = "aqim"
    assert explorer.table.value.count("<tr>") == 4 + 1
    assert explorer.figure["layout"]["shapes"][0]["y0"] == -0.5  # the row of aqim
    explorer.category_dropdown.value = "small_arms"
    assert explorer.table.value.count("<tr>") == 3 + 1
    assert "AK-47 assault rifles" in explorer.table.value and "rand2013" in explorer.table.value
    explorer.evidence.value = "verified"
    assert explorer.table.value.count("<tr>") == 1 + 1
    explorer.holder_dropdown.value = "evil"
    explorer.category_dropdown.value = None
    explorer.evidence.value = "suspected"
    assert "<script>" not in explorer.table.value and "&lt;b&gt;bold" in explorer.table.value
    labels = [label for label, _ in explorer.holder_dropdown.options]
    assert labels[0] == "All holders" and SCRIPT in labels  # dropdown labels are plain text


def test_explorer_click_on_a_cell_selects_it(arsenals, groups):
    explorer = ArsenalExplorer(arsenals, groups)
    click(explorer, "mali", "artillery")
    assert (explorer.holder_dropdown.value, explorer.category_dropdown.value) == ("mali", "artillery")
    assert "howitzers" in explorer.table.value and "AK-47" not in explorer.table.value
    # through an empty state and back, the click still works
    explorer.evidence.value = "verified"
    only = arsenals[arsenals["evidence_level"] == "suspected"]
    explorer.arsenals = only
    explorer.evidence.value = "reported"
    assert len(explorer.figure["data"]) == 0
    explorer.arsenals = arsenals
    explorer.evidence.value = "suspected"
    click(explorer, "aqim", "small_arms")
    assert explorer.holder_dropdown.value == "aqim"
    click(explorer, "nobody", "small_arms")  # a value the dropdown does not offer: that filter is cleared
    assert (explorer.holder_dropdown.value, explorer.category_dropdown.value) == (None, "small_arms")


def test_explorer_on_the_bundled_data():
    explorer = ArsenalExplorer()
    assert explorer.figure["data"] and explorer.figure["data"][0]["type"] == "heatmap"
    assert set(plain(explorer.figure)["data"][0]["y"]) == set(load_arsenals()["group_id"])
    for level in ("verified", "reported", "suspected"):
        explorer.evidence.value = level
        assert f"evidence ≥ {level}" in explorer.summary.value
