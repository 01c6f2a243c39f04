"""The explorers without a kernel: their controls work, and every figure fits its page.

An explorer shown in a page with no Python (an exported notebook, ``make html``) is its
kernel-free figure (``Explorer.overview``): plotly's own slider, buttons and legend, with
every state precomputed. A page holding the six, built the way ``scripts/export_html.py``
builds its figures, is opened from ``file://`` and

- the alliance and attack overviews' slider picks another year (the title and the drawing
  follow), and a click on a legend entry hides its relation or group;
- the arsenal overview's buttons raise the evidence threshold (the cells change);
- at 800, 1200 and 1600 px, in that page and in every exported notebook, no text of any
  figure (title, labels, legend, notes) lies outside the figure, and no legend covers its
  title.
"""

from __future__ import annotations

import json

import pytest

import course_lib as cl
from course_lib.web import copy_assets, page_head
from course_lib.widgets.figure import STATIC_FIGURE

from . import explorers as ex
from .conftest import SCREENSHOTS, open_file_page
from .test_html import NOTEBOOKS

PLOTLY = STATIC_FIGURE
WIDTHS = (800, 1200, 1600)

#: Per figure below the page: the texts drawn outside the figure's box, and whether the
#: legend's box meets the title's.
LAYOUT_JS = r"""
() => [...document.querySelectorAll(".js-plotly-plot")].map((gd) => {
  const box = gd.getBoundingClientRect();
  const outside = [];
  for (const t of gd.querySelectorAll("svg text")) {
    if (!t.textContent.trim()) continue;
    const style = getComputedStyle(t);
    if (style.visibility === "hidden" || style.display === "none" || style.opacity === "0") continue;
    const r = t.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
      outside.push(t.textContent.slice(0, 50));
  }
  const legend = gd.querySelector("g.legend"), title = gd.querySelector("g.g-gtitle");
  let overlap = false;
  if (legend && title) {
    const a = legend.getBoundingClientRect(), b = title.getBoundingClientRect();
    overlap = a.width > 0 && b.width > 0 && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }
  const t = gd.layout && gd.layout.title;
  return {title: (t && t.text) || "", outside, overlap, width: Math.round(box.width)};
})
"""


def kernel_free(explorer) -> dict:
    """The figure an exported notebook shows for ``explorer`` (what its output carries for static pages)."""
    bundle = explorer._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    return data[PLOTLY]


@pytest.fixture(scope="module")
def overviews_page(tmp_path_factory):
    """A static page with the six explorers' kernel-free figures, in the order of :data:`explorers.KINDS`."""
    from export_html import figure_html

    folder = tmp_path_factory.mktemp("overviews")
    copy_assets(folder / "static")
    tables = cl.load_course()
    built = {
        "AllianceExplorer": cl.AllianceExplorer(tables["alliances"], tables["groups"]),
        "AttackExplorer": cl.AttackExplorer(tables["attacks"], tables["groups"]),
        "ArsenalExplorer": cl.ArsenalExplorer(tables["arsenals"], tables["groups"]),
        "ComparisonExplorer": cl.ComparisonExplorer(tables),
        "BeforeAfterExplorer": cl.BeforeAfterExplorer(tables),
        "SensitivityExplorer": cl.SensitivityExplorer(tables),
    }
    assert list(built) == list(ex.KINDS)
    body = "\n".join(
        f'<section id="{kind}">{figure_html(kernel_free(e), kind + "-figure")}</section>'
        for kind, e in built.items()
    )
    page = folder / "overviews.html"
    page.write_text(
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Overviews</title>"
        f"{page_head('static/plotly.min.js')}</head><body>{body}</body></html>",
        encoding="utf-8",
    )
    return page


@pytest.fixture
def overviews(browser, overviews_page):
    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    pg = open_file_page(context)
    pg.goto(overviews_page.as_uri())
    pg.wait_for_function("(n) => document.querySelectorAll('.js-plotly-plot').length >= n", arg=len(ex.KINDS))
    ex.install(pg)
    yield pg
    assert not pg.outside_requests, f"the page requested more than local files: {pg.outside_requests}"
    context.close()


def figure_state(section) -> dict:
    """The figure's title, a hash of its traces, and which traces are hidden."""
    return section.evaluate(
        """(el) => { const gd = el.querySelector('.js-plotly-plot');
            return {title: window.courseTitle(gd), figures: window.courseFigures(el),
                    hidden: gd.data.filter((t) => t.visible === 'legendonly').map((t) => t.name)}; }"""
    )


def click_slider_end(page, section, left: bool) -> None:
    """Click the left (or right) end of the figure's slider: plotly moves to the nearest step."""
    rail = section.locator(".slider-container .slider-rail-touch-rect").first
    box = rail.bounding_box()
    assert box, "the figure has no slider"
    page.mouse.click(box["x"] + (4 if left else box["width"] - 4), box["y"] + box["height"] / 2)


@pytest.mark.parametrize("kind", ["AllianceExplorer", "AttackExplorer"])
def test_slider_picks_a_year_without_a_kernel(overviews, kind):
    section = overviews.locator(f"#{kind}")
    section.scroll_into_view_if_needed()
    before = figure_state(section)
    slider = "(el) => el.querySelector('.js-plotly-plot').layout.sliders[0]"
    steps = section.evaluate(f"(el) => ({slider})(el).steps.map((s) => s.label)")
    assert len(steps) > 2, steps
    first = section.evaluate(f"(el) => ({slider})(el).active")
    # the alliances open on the last year, the attacks on all years (the first step): go to the other end
    click_slider_end(overviews, section, left=first > 0)
    overviews.wait_for_function(
        "([el, old]) => window.courseFigures(el) !== old",
        arg=[section.element_handle(), before["figures"]],
        timeout=10_000,
    )
    after = figure_state(section)
    now = section.evaluate(f"(el) => ({slider})(el).active")
    assert {first, now} == {0, len(steps) - 1}, (first, now)
    if kind == "AllianceExplorer":  # the title names the year shown
        assert before["title"].endswith(steps[first]) and after["title"].endswith(steps[now]), (before, after)


@pytest.mark.parametrize("kind", ["AllianceExplorer", "AttackExplorer"])
def test_legend_click_hides_a_relation_or_group(overviews, kind):
    section = overviews.locator(f"#{kind}")
    section.scroll_into_view_if_needed()
    entry = section.locator("g.legend g.traces").first
    name = entry.locator("text.legendtext").text_content()
    entry.click()
    overviews.wait_for_function(
        "([el, n]) => el.querySelector('.js-plotly-plot').data.some((t) => t.name === n && t.visible === 'legendonly')",
        arg=[section.element_handle(), name],
        timeout=10_000,
    )
    hidden = figure_state(section)["hidden"]
    assert name in hidden, hidden
    # every trace of the entry's group is hidden with it (the lines of a relation, the map and bars of a group)
    groups = section.evaluate(
        """(el, n) => { const gd = el.querySelector('.js-plotly-plot');
            const g = gd.data.find((t) => t.name === n).legendgroup;
            return gd.data.filter((t) => t.legendgroup === g).map((t) => t.visible); }""",
        name,
    )
    assert len(groups) > 1 and all(v == "legendonly" for v in groups), groups


def test_arsenal_buttons_raise_the_evidence_threshold(overviews):
    section = overviews.locator("#ArsenalExplorer")
    section.scroll_into_view_if_needed()
    buttons = section.locator(".updatemenu-button")
    assert buttons.count() == 3, "one button per evidence level"
    total = "(el) => el.querySelector('.js-plotly-plot').data[0].z.flat().reduce((a, b) => a + (b || 0), 0)"
    counts = []
    for i in range(3):
        before = figure_state(section)["figures"]
        buttons.nth(i).click()
        if i == 2:  # the cells differ between the first and the last threshold at least
            overviews.wait_for_function(
                "([el, old]) => window.courseFigures(el) !== old",
                arg=[section.element_handle(), before],
                timeout=10_000,
            )
        counts.append(section.evaluate(total))
    assert counts[0] >= counts[1] >= counts[2] and counts[0] > counts[2], (
        f"items at evidence ≥ each level: {counts}"
    )


def layout_problems(page, name: str) -> list[str]:
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 1000})
        page.wait_for_timeout(400)  # responsive figures redraw after a resize
        page.evaluate(
            "() => [...document.querySelectorAll('.js-plotly-plot')].forEach((gd) => Plotly.Plots.resize(gd))"
        )
        for fig in page.evaluate(LAYOUT_JS):
            if fig["outside"]:
                problems.append(
                    f"{name} at {width} px, {fig['title']!r}: text outside the figure {fig['outside'][:3]}"
                )
            if fig["overlap"]:
                problems.append(f"{name} at {width} px, {fig['title']!r}: the legend covers the title")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"static_{name}_{width}.png"), full_page=True)
    return problems


def test_overviews_fit_at_every_width(overviews):
    assert not layout_problems(overviews, "overviews")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_exported_figures_fit_at_every_width(browser, html_export, path):
    assert NOTEBOOKS
    figures = sum(
        PLOTLY in out.get("data", {})
        for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
        for out in c.get("outputs", [])
    )
    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    pg = open_file_page(context)
    try:
        pg.goto((html_export / f"{path.stem}.html").as_uri())
        if figures:
            pg.wait_for_function(
                "(n) => document.querySelectorAll('.js-plotly-plot').length >= n", arg=figures
            )
        assert not layout_problems(pg, path.stem)
    finally:
        context.close()
