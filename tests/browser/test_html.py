"""The static pages of ``make html``, opened from ``file://``: figures, maps, no network, axe-core.

``html_export`` (conftest.py) runs ``scripts/export_html.py``, which skips the export when
``build/html`` is up to date. Each page is opened once (a module-scoped browser context) and
checked for:

- its figures: one ``.js-plotly-plot`` per plotly output of the notebook, an explorer's
  output being its kernel-free figure (there is no widget and no kernel in the page), each
  explorer's with the note that says which of its controls work without Python;
- its maps: the country outlines drawn from the base map seeded in the page;
- the network: every request the page made is to a ``file://`` URL (no CDN, no server);
- accessibility: no serious or critical axe-core violation.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from . import explorers as ex
from .conftest import ROOT, SCREENSHOTS, open_file_page

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
#: The students' pages of teaching/, exported beside the notebooks, in the index's order.
TEACHING_PAGES = [
    "teaching/GLOSSARY.html",
    "teaching/CHEATSHEET.html",
    "teaching/SYLLABUS.html",
    "teaching/READINGS.html",
]

#: axe-core results we do not count against the course, with why. A violation is ignored
#: only when every node it names matches one of these selectors (third-party chrome the
#: course cannot change):
#: - ``.modebar``: plotly.js's toolbar (shown on hover), its buttons and their tooltips;
#: - ``.main-svg``: plotly.js's SVG drawing (its text is also in the summary beside each figure).
THIRD_PARTY = re.compile(r"\.modebar|\.main-svg")
#: The impacts that fail the test.
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def pages(browser, html_export):
    """Pages opened so far, by file name (each opened once, kept for the tests that follow)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    opened: dict[str, object] = {}

    def get(name: str):
        if name not in opened:
            pg = open_file_page(context)
            pg.goto((html_export / name).as_uri())
            opened[name] = pg
        return opened[name]

    yield get
    context.close()


def test_index_links_every_notebook(pages, html_export):
    pg = pages("index.html")
    links = pg.locator("main ol a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    texts = [links.nth(i).text_content().strip() for i in range(links.count())]
    assert hrefs == [f"{p.stem}.html" for p in NOTEBOOKS]
    others = pg.locator("main ul a")
    assert [others.nth(i).get_attribute("href") for i in range(others.count())] == TEACHING_PAGES
    assert all(texts), f"a link has no title: {texts}"
    assert all((html_export / h).is_file() for h in hrefs)
    assert pg.locator("h1").count() == 1
    assert not pg.outside_requests, f"index.html requested {pg.outside_requests}"


def wait_until_drawn(pg, found, plots: int) -> int:
    """Wait for the page's figures (one per plotly output, one per explorer); the number expected."""
    expected = plots + len(found)
    if expected:
        pg.wait_for_function(
            "(n) => document.querySelectorAll('.js-plotly-plot').length >= n", arg=expected, timeout=30_000
        )
    return expected


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_page_draws_its_figures_offline(pages, path):
    found, plots, maps = ex.notebook_outputs(path)
    pg = pages(f"{path.stem}.html")
    expected = wait_until_drawn(pg, found, plots)
    drawn = pg.locator(".js-plotly-plot").count()
    assert drawn == expected, f"{drawn} figures drawn, {expected} expected"
    assert pg.locator(".jupyter-widgets, .widget-vbox").count() == 0, "a widget view in a page with no kernel"
    notes = [
        pg.locator("main .course-static-note").nth(i).text_content()
        for i in range(pg.locator("main .course-static-note").count())
    ]
    assert len(notes) == len(found) and all("Python" in n for n in notes), notes
    expected_maps = maps + sum(kind == "AttackExplorer" for _, kind in found)
    outlines = ex.wait_for_maps(pg) if expected_maps else ex.maps_drawn(pg)
    assert len(outlines) >= expected_maps, f"{len(outlines)} maps, {expected_maps} expected"
    assert all(d > 1000 for d in outlines), f"maps without country outlines: {outlines}"
    assert pg.title(), "the page has a title"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    first = pg.locator(".js-plotly-plot").first
    if first.count():
        first.scroll_into_view_if_needed()
    pg.screenshot(path=str(SCREENSHOTS / f"html_{path.stem}.png"))
    assert not pg.outside_requests, f"the page requested more than local files: {pg.outside_requests}"


def axe_violations(pg, axe_script: Path) -> list[dict]:
    pg.add_script_tag(path=str(axe_script))
    return pg.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200)}))}))"""
    )


def blocking(violations: list[dict]) -> list[dict]:
    """The serious or critical violations that are not all in third-party chrome.

    >>> v = [{"id": "x", "impact": "serious", "nodes": [{"target": ".modebar-btn", "html": ""}]},
    ...      {"id": "y", "impact": "minor", "nodes": [{"target": "p", "html": ""}]},
    ...      {"id": "z", "impact": "critical", "nodes": [{"target": "main p", "html": ""}]}]
    >>> [x["id"] for x in blocking(v)]
    ['z']
    """
    return [
        v
        for v in violations
        if v["impact"] in BLOCKING and not all(THIRD_PARTY.search(n["target"]) for n in v["nodes"])
    ]


def test_every_local_link_resolves(html_export):
    """A link between the exported pages (notebooks, index, glossary ...) reaches a page and, if it
    names one, an anchor of that page."""
    pages = sorted(html_export.rglob("*.html"))
    assert len(pages) > len(NOTEBOOKS)
    ids = {p: set(re.findall(r'\bid="([^"]+)"', p.read_text(encoding="utf-8"))) for p in pages}
    broken, checked = [], 0
    for page in pages:
        for href in re.findall(r'href="([^"#:]*\.html)(?:#([^"]*))?"', page.read_text(encoding="utf-8")):
            target = (page.parent / href[0]).resolve()
            checked += 1
            if target not in ids or (href[1] and href[1] not in ids[target]):
                broken.append(f"{page.relative_to(html_export)} → {href[0]}#{href[1]}")
    assert checked > 50
    assert not broken, broken[:10]


@pytest.mark.parametrize("name", ["index.html", *(f"{p.stem}.html" for p in NOTEBOOKS), *TEACHING_PAGES])
def test_page_has_no_serious_accessibility_violation(pages, axe_script, name):
    pg = pages(name)
    stem = name.removesuffix(".html")
    path = ROOT / "notebooks" / f"{stem}.ipynb"
    if path.is_file():
        found, plots, _ = ex.notebook_outputs(path)
        wait_until_drawn(pg, found, plots)
    found_violations = blocking(axe_violations(pg, axe_script))
    report = "\n".join(
        f"{v['impact']} {v['id']} ({v['help']}): " + "; ".join(n["target"] for n in v["nodes"][:5])
        for v in found_violations
    )
    assert not found_violations, f"{name}:\n{report}"
