"""Every figure builder, on the bundled data: the figure it returns is valid plotly.

The builders skip plotly's validation (:func:`course_lib.plots.base.new_figure`), so each
figure is checked against what validation makes of it: the same JSON, value for value. A
builder that passed a misspelt property, a wrong type or an unresolved template name fails
here.
"""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio
import pytest

import course_lib
from course_lib.attacks import AttackSelection
from course_lib.comparison import compare_groups
from course_lib.network import AllianceModel
from course_lib.periods import before_after
from course_lib.plots import (
    arsenal_heatmap,
    arsenal_overview,
    attack_map,
    attack_overview,
    attack_timeline,
    attack_type_mix,
    before_after_figure,
    comparison_figure,
    empty_figure,
    network_figure,
    network_overview,
    sensitivity_figure,
    summary_of,
)
from course_lib.sensitivity import evidence_sensitivity, network_sensitivity


@pytest.fixture(scope="module")
def course():
    return course_lib.load_course()


def figures(course) -> dict[str, go.Figure]:
    groups, attacks, alliances = course["groups"], course["attacks"], course["alliances"]
    none = attacks.iloc[:0]
    sel = AttackSelection(attacks, groups)
    model = AllianceModel(alliances)
    last = model.years[-1]
    return {
        "empty": empty_figure("Nothing"),
        "attack map": attack_map(sel),
        "attack map, no rows": attack_map(sel, sel.mask(years=(1800, 1800))),
        "attack timeline": attack_timeline(sel),
        "attack type mix": attack_type_mix(sel),
        "attack overview": attack_overview(sel),
        "attack overview, no rows": attack_overview(AttackSelection(none, groups)),
        "arsenal heatmap": arsenal_heatmap(course["arsenals"], groups=groups, selected=("aqim", None)),
        "arsenal heatmap, verified": arsenal_heatmap(course["arsenals"], "verified", groups=groups),
        "arsenal overview": arsenal_overview(course["arsenals"], groups),
        "network": network_figure(
            model, model.mask("2015-06", focus="aqim"), groups, when="2015-06", as_of="2015-06", focus="aqim"
        ),
        "network, every group": network_figure(
            model, model.mask(last), groups, when=str(last), as_of=str(last), show_all_groups=True
        ),
        "network, no ties": network_figure(model, model.mask("1900"), groups, when="1900"),
        "network overview": network_overview(model, groups),
        "network overview, no ties": network_overview(AllianceModel(alliances.iloc[:0]), groups),
        "comparison": comparison_figure(compare_groups(["aqim", "isk", "ttp"], course)),
        "comparison, nothing to show": comparison_figure(compare_groups("gspc", {"groups": groups})),
        "before/after": before_after_figure(before_after(attacks, ("gspc", "aqim"), "2007-01-24"), groups),
        "before/after, no rows": before_after_figure(before_after(none, ("gspc", "aqim"), "2007"), groups),
        "sensitivity": sensitivity_figure(evidence_sensitivity(alliances, by="relation"), by="relation"),
        "sensitivity, network": sensitivity_figure(network_sensitivity(alliances, "2014"), what="count"),
    }


def test_what_an_explorer_sends_is_the_figure_plotly_would_send(course):
    """FigureView reads a figure's properties directly (faster); they must equal ``to_plotly_json``'s."""
    from conftest import plain

    from course_lib.widgets.figure import _as_dict

    built = figures(course)
    assert len(built) == 21
    for name, fig in built.items():
        sent = _as_dict(fig)
        json.dumps(sent, allow_nan=False)
        assert sent == plain(fig), f"{name}: the explorer would send another figure"
        fig.update_layout(height=123)  # a figure changed after it was built is sent as it is now
        assert _as_dict(fig)["layout"]["height"] == 123, name


def test_every_builder_returns_what_validation_would(course):
    built = figures(course)
    assert len(built) == 21
    for name, fig in built.items():
        shipped = json.loads(pio.to_json(fig, validate=False))
        validated = json.loads(pio.to_json(go.Figure(fig.to_dict())))
        assert shipped == validated, f"{name}: the figure differs from its validated form"
        assert shipped["layout"]["template"]["layout"]["plot_bgcolor"] == "white", name
        assert shipped["layout"]["title"]["text"], f"{name} has no title"
        assert summary_of(fig), f"{name} has no summary"
