"""What a visitor feels, measured in Chromium: the Voila dashboard's load, its bytes, and key → figure.

For a dashboard notebook served by Voila (as ``make dashboard`` serves it), this measures:

- the time from navigation to the first figure drawn and to every figure on screen drawn (a
  figure is drawn when its ``.course-figure`` element has a ``data-revision``: ``Plotly.react``
  finished; a figure in a closed tab is drawn when its tab opens), medians over three visits;
- the bytes received over the kernel's websocket during the load (plotly.js itself comes over
  HTTP, once, and is counted separately);
- for each explorer's main control, the latency from a key press to the figure redrawn
  (median over ``presses``): a keydown listener and a MutationObserver on the figure's
  ``data-revision``, both in the page, so the clock is the browser's.

``benchmarks/run.py`` calls :func:`measure` on the bundled dashboard and on a dashboard of
200,000 synthetic events (:func:`synthetic_dashboard`).
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Debian's Chromium and its flags, for these measures and the browser tests alike.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

#: Per tab of the dashboard: the main control (a CSS selector inside the tab) and the key it takes.
CONTROLS = {
    "Alliances": (".widget-slider .noUi-handle", "ArrowLeft"),
    "Attacks": (".widget-slider .noUi-handle-lower", "ArrowRight"),
    "Arsenals": ("select", "ArrowDown"),
    "Groups side by side": ("select", "ArrowDown"),
    "Before and after": (".widget-slider .noUi-handle", "ArrowRight"),
    "Evidence": ("select", "ArrowDown"),
}

_WATCH = """(panel) => {
  window.__lat = [];
  const figures = Array.from(panel.querySelectorAll('.course-figure'));
  let start = null;
  document.addEventListener('keydown', () => { start = performance.now(); }, {capture: true});
  const seen = new MutationObserver(() => { if (start !== null) { window.__lat.push(performance.now() - start); start = null; } });
  figures.forEach((f) => seen.observe(f, {attributes: true, attributeFilter: ['data-revision']}));
  return figures.length;
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(notebook: Path, port: int, warm: float = 15.0) -> subprocess.Popen:
    """Start the course's Voila on ``notebook`` (as ``make dashboard`` does) and wait until it answers."""
    sys.path.insert(0, str(ROOT / "dashboards"))
    import serve as dashboard

    dashboard.prepare()
    cmd = dashboard.command(port)
    cmd[cmd.index(str(dashboard.NOTEBOOK.relative_to(ROOT)))] = str(notebook.resolve().relative_to(ROOT))
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=dashboard.environment(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/static/plotly.min.js", timeout=1)
            time.sleep(warm)  # the preheated kernel runs the notebook before the first visit
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("Voila did not start")


#: Every figure on screen has been drawn (a figure in a closed tab is drawn when its tab opens).
_VISIBLE_DRAWN = """() => { const f = [...document.querySelectorAll('.course-figure')].filter((e) => e.offsetWidth > 0);
  return f.length > 0 && f.every((e) => e.dataset.revision); }"""


def _load(browser, url: str, timeout: float) -> dict:
    """One visit in a fresh page: seconds to the first figure and to every figure on screen, websocket bytes."""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    ws_bytes, http = [0], {}

    def on_ws(ws):
        ws.on("framereceived", lambda payload: ws_bytes.__setitem__(0, ws_bytes[0] + len(payload)))

    page.on("websocket", on_ws)
    page.on("response", lambda r: http.__setitem__(r.url, r.headers.get("content-length")))
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_selector(".course-figure[data-revision]", timeout=timeout * 1000)
    first = time.perf_counter() - start
    page.wait_for_function(_VISIBLE_DRAWN, timeout=timeout * 1000)
    every = time.perf_counter() - start
    page.wait_for_timeout(500)
    return {"page": page, "first": first, "every": every, "ws": ws_bytes[0], "http": http}


def measure(notebook: Path, presses: int = 12, loads: int = 3, timeout: float = 120) -> dict:
    """Load ``notebook`` in Voila ``loads`` times, in a fresh Chromium, and measure it (module docstring).

    Load times and bytes are medians over the loads (Voila's pool of two preheated kernels is
    given time to refill between them); key-press latencies are measured on the last load.
    """
    from playwright.sync_api import sync_playwright

    port = _free_port()
    proc = serve(notebook, port)
    url = f"http://127.0.0.1:{port}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            visits = []
            for _ in range(loads):
                if visits:
                    visits[-1]["page"].close()
                    time.sleep(12)  # the pool starts a kernel and runs the notebook for the next visitor
                visits.append(_load(browser, url, timeout))
            page, http = visits[-1]["page"], visits[-1]["http"]
            n_figures = page.evaluate("document.querySelectorAll('.course-figure').length")
            latency = {}
            for tab, (selector, key) in CONTROLS.items():
                label = page.locator(".lm-TabBar-tab", has_text=tab)
                if not label.count():
                    continue
                label.first.click()
                panel = page.locator(".widget-tab-contents > .lm-Widget:not(.lm-mod-hidden)").first
                page.wait_for_function(
                    _VISIBLE_DRAWN, timeout=timeout * 1000
                )  # a tab's figures draw when it opens
                page.wait_for_timeout(300)
                page.evaluate(_WATCH, panel.element_handle())
                control = panel.locator(selector).first
                control.focus()
                for _ in range(presses):
                    before = page.evaluate("window.__lat.length")
                    page.keyboard.press(key)
                    try:
                        page.wait_for_function(f"window.__lat.length > {before}", timeout=5000)
                    except Exception:
                        page.keyboard.press("ArrowUp" if key == "ArrowDown" else key)  # an end of the range
                latency[tab] = page.evaluate("window.__lat")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    plotly_js = int(http.get(f"http://127.0.0.1:{port}/voila/static/plotly.min.js") or 0)
    return {
        "first_figure_s": statistics.median(v["first"] for v in visits),
        "all_figures_s": statistics.median(v["every"] for v in visits),
        "figures": n_figures,
        "websocket_mb": statistics.median(v["ws"] for v in visits) / 1e6,
        "plotly_js_mb": plotly_js / 1e6,
        "key_to_figure_ms": {tab: statistics.median(v) for tab, v in latency.items() if v},
    }


SYNTHETIC = """import ipywidgets as w

import course_lib as cl
from benchmarks.synthetic import synthetic_alliances, synthetic_attacks, synthetic_groups_table

groups = synthetic_groups_table()
explorers = {
    "Alliances": cl.AllianceExplorer(synthetic_alliances(), groups),
    "Attacks": cl.AttackExplorer(synthetic_attacks(), groups),
}
w.Tab(children=list(explorers.values()), titles=list(explorers))"""


def synthetic_dashboard(folder: Path) -> Path:
    """A dashboard notebook of the attack and alliance explorers on 200,000 synthetic events."""
    import nbformat

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "synthetic_dashboard.ipynb"
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n" + SYNTHETIC)]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


if __name__ == "__main__":
    os.chdir(ROOT)
    print(measure(ROOT / "dashboards" / "explorers.ipynb"))
