"""The explorers dashboard (``make dashboard``) in Voila: every explorer drawn, no code, no network.

Voila is started on a free port as ``make dashboard`` starts it (``dashboards/serve.py``).
The page streams while the notebook runs, so the test opens it at once and waits for the
widgets. It checks that each of the six explorers is drawn with its controls, that no code
is shown, that the attack map has drawn its country outlines (the base map comes from
``/voila/files/course_lib/assets/``), that one keyboard interaction per explorer changes its
figure as expected, and that no request left the machine: the course's Voila template drops
the Font Awesome style sheets Voila's own template links from a CDN, so there is no
exception to make.

Every explorer is driven, not only the first: without progressive rendering (see
``dashboards/serve.py``), Voila 0.5.13 left some of a page's figures deaf to their updates,
and only a test that moves every explorer shows it.
"""

from __future__ import annotations

import json
import time

from . import explorers as ex
from .conftest import ROOT, SCREENSHOTS

DASHBOARD = ROOT / "dashboards" / "explorers.ipynb"


def dashboard_kinds() -> list[str]:
    nb = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    return [kind for kind in ex.KINDS if f"{kind}(" in code]


def test_the_dashboard_builds_every_explorer():
    assert dashboard_kinds() == list(ex.KINDS)


def test_dashboard_in_voila(page, voila_server):
    kinds = dashboard_kinds()
    start = time.monotonic()
    page.goto(f"{voila_server['base']}/", wait_until="commit")
    figures = sum(ex.FIGURES.get(k, 1) for k in kinds)
    page.wait_for_function(
        "(n) => document.querySelectorAll('.widget-vbox .js-plotly-plot').length >= n",
        arg=figures,
        timeout=120_000,
    )
    shown = time.monotonic() - start
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    assert page.locator(".cm-editor, .jp-InputArea-editor").count() == 0, "the dashboard shows code"
    assert "load_course" not in page.locator("body").inner_text()
    explorers = page.locator(".jp-OutputArea-output > .widget-vbox")
    assert explorers.count() == len(kinds)
    for i in range(len(kinds)):
        controls = explorers.nth(i).locator("select, .noUi-handle, button")
        assert controls.count() > 0, f"{kinds[i]} has no controls"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    outlines = ex.wait_for_maps(page)
    assert len(outlines) >= kinds.count("AttackExplorer"), "the attack map is missing"
    ex.install(page)
    report = []
    for i, kind in enumerate(kinds):
        explorer = explorers.nth(i)
        explorer.scroll_into_view_if_needed()
        report += [f"{kind}: {step}" for step in ex.interact(page, explorer, kind)]
        explorer.screenshot(path=str(SCREENSHOTS / f"voila_{kind}.png"))
    page.screenshot(path=str(SCREENSHOTS / "voila_dashboard.png"))
    assert not page.outside_requests, f"requests left the machine: {page.outside_requests}"
    print(f"\ndashboard drawn in {shown:.1f} s; {report}")
