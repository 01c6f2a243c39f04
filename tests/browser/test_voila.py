"""The explorers dashboard (``make dashboard``) in Voila: every explorer drawn, no code, no network.

Voila is started on a free port as ``make dashboard`` starts it (``dashboards/serve.py``,
with a preheated kernel). The dashboard is one tab per explorer. The test checks that the
tabs name the six explorers, that each tab, once chosen, shows its explorer with its
controls and figures, that no code is shown, that the attack map has drawn its country
outlines, that one keyboard interaction per explorer changes its figure as expected, and
that no request left the machine: the course's Voila template drops the style sheets
Voila's own template links from a CDN, and plotly.js comes from the template's static folder.
"""

from __future__ import annotations

import json
import time

from . import explorers as ex
from .conftest import ROOT, SCREENSHOTS

DASHBOARD = ROOT / "dashboards" / "explorers.ipynb"
TABS = ".widget-tab > .widget-tab-bar .lm-TabBar-tab"
PANELS = ".widget-tab > .widget-tab-contents > .widget-vbox"


def dashboard_kinds() -> list[str]:
    nb = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    return sorted((code.index(f"{kind}("), kind) for kind in ex.KINDS if f"{kind}(" in code)


def test_the_dashboard_builds_every_explorer():
    assert sorted(kind for _, kind in dashboard_kinds()) == sorted(ex.KINDS)


def test_dashboard_in_voila(page, voila_server):
    kinds = [kind for _, kind in dashboard_kinds()]
    start = time.monotonic()
    page.goto(f"{voila_server['base']}/", wait_until="commit")
    page.wait_for_selector(f"{PANELS} .js-plotly-plot", timeout=120_000)
    shown = time.monotonic() - start
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    assert page.locator(".cm-editor, .jp-InputArea-editor").count() == 0, "the dashboard shows code"
    assert "load_course" not in page.locator("body").inner_text()
    tabs, panels = page.locator(TABS), page.locator(PANELS)
    assert tabs.count() == panels.count() == len(kinds), (tabs.count(), panels.count(), kinds)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ex.install(page)
    report = []
    for i, kind in enumerate(kinds):
        tabs.nth(i).click()
        explorer = panels.nth(i)
        explorer.wait_for(state="visible", timeout=10_000)
        explorer.locator(".js-plotly-plot").nth(ex.FIGURES.get(kind, 1) - 1).wait_for(timeout=30_000)
        controls = explorer.locator("select, .noUi-handle, button")
        assert controls.count() > 0, f"{kind} has no controls"
        if kind == "AttackExplorer":
            outlines = ex.wait_for_maps(page, explorer)
            assert outlines and all(d > 1000 for d in outlines), (
                f"the attack map has no country outlines: {outlines}"
            )
        report += [f"{kind}: {step}" for step in ex.interact(page, explorer, kind)]
        ex.assert_figures_take_their_height(explorer)
        explorer.screenshot(path=str(SCREENSHOTS / f"voila_{kind}.png"))
    page.screenshot(path=str(SCREENSHOTS / "voila_dashboard.png"))
    assert not page.outside_requests, f"requests left the machine: {page.outside_requests}"
    print(f"\ndashboard drawn in {shown:.1f} s; {report}")
