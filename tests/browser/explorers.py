"""Find the course's explorers in a page, read their figures, and drive them from the keyboard.

Shared by the JupyterLab, Voila and HTML-export tests. An explorer is an ipywidgets
``VBox`` (``.widget-vbox``) holding its controls and one or more plotly figures
(``.js-plotly-plot``, whose graph div carries ``data`` and ``layout``). Which explorer a
notebook output is comes from its saved text (``Explorer.__repr__``: ``"AttackExplorer: …"``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

KINDS = (
    "AllianceExplorer",
    "AttackExplorer",
    "ArsenalExplorer",
    "ComparisonExplorer",
    "BeforeAfterExplorer",
    "SensitivityExplorer",
)
#: Plotly figures each explorer draws.
FIGURES = {"AttackExplorer": 3}
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PLOTLY = "application/vnd.course-lib.figure+json"  # course_lib.widgets.figure.STATIC_FIGURE

#: Installs ``window.courseFigures(root)``: one line per plotly figure below ``root`` (title,
#: trace count and a hash of the traces' values), so that a change of any figure shows.
FIGURES_JS = r"""
() => {
  const hash = (s) => {
    let h = 5381;
    for (let i = 0; i < s.length; i++) h = (h * 33 + s.charCodeAt(i)) | 0;
    return h;
  };
  window.courseTitle = (gd) => {
    const t = gd.layout && gd.layout.title;
    return (t && (typeof t === "string" ? t : t.text)) || "";
  };
  window.courseFigures = (root) => [...root.querySelectorAll(".js-plotly-plot")].map((gd) => {
    const data = JSON.stringify((gd.data || []).map((t) =>
      [t.type, t.name, t.visible, t.x, t.y, t.z, t.text, t.lat, t.lon]));
    return `${window.courseTitle(gd)} | ${(gd.data || []).length} traces | ${hash(data)}`;
  }).join("\n");
  // Points drawn by the visible traces called `name` (plotly's full data: typed arrays decoded).
  window.courseTracePoints = (root, name) => [...root.querySelectorAll(".js-plotly-plot")]
    .flatMap((gd) => (gd._fullData || []).filter((t) => t.name === name && t.visible === true))
    .reduce((n, t) => n + Array.from(t.x || []).filter((v) => v !== null && Number.isFinite(+v)).length, 0);
}
"""

#: Every geographic subplot below the root: whether its country outlines are drawn (plotly
#: draws the base map's layers, countries among them, only once world_110m.json has loaded).
MAPS_JS = """
(root) => [...root.querySelectorAll(".js-plotly-plot .geo")].map((geo) => {
  const path = geo.querySelector(".layer.countries path");
  return path ? (path.getAttribute("d") || "").length : 0;
})
"""


def notebook_outputs(path: Path) -> tuple[list[tuple[int, str]], int, int]:
    """From the committed notebook: (cell index, kind) of each explorer, plotly outputs, maps among them.

    An explorer's output also carries its kernel-free figure (for static pages): it is counted
    as the explorer, not as a plotly output, since a live page shows the widget instead. A
    figure shown with ``cl.show`` (a widget with a plotly fallback) is a plotly output.
    """
    nb = json.loads(path.read_text(encoding="utf-8"))
    explorers, plots, maps = [], 0, 0
    for index, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            match = re.match(r"(\w+):", "".join(data.get("text/plain", ""))) if WIDGET_VIEW in data else None
            if match and match.group(1) in KINDS:
                explorers.append((index, match.group(1)))
            elif PLOTLY in data:  # a figure (cl.show draws it in a small widget when there is a kernel)
                plots += 1
                fig = data[PLOTLY]
                types = {t.get("type", "") for t in fig.get("data", [])}
                if "geo" in fig.get("layout", {}) or types & {"scattergeo", "choropleth"}:
                    maps += 1
    return explorers, plots, maps


def cell_count(path: Path) -> int:
    return len(json.loads(path.read_text(encoding="utf-8"))["cells"])


def install(page) -> None:
    page.evaluate(FIGURES_JS)


def figures(explorer) -> str:
    return explorer.evaluate("(el) => window.courseFigures(el)")


def titles(explorer) -> list[str]:
    return explorer.evaluate("(el) => [...el.querySelectorAll('.js-plotly-plot')].map(window.courseTitle)")


def maps_drawn(page, root=None) -> list[int]:
    """Length of each map's country outline path (0: not drawn)."""
    if root is None:
        return page.evaluate(f"() => ({MAPS_JS})(document)")
    return root.evaluate(MAPS_JS)


def wait_for_maps(page, root=None, timeout: float = 20_000) -> list[int]:
    """Wait until every map below ``root`` (default: the page) has drawn its countries."""
    script = f"(root) => {{ const m = ({MAPS_JS})(root || document); return m.every((d) => d > 1000); }}"
    if root is None:
        page.wait_for_function(f"() => ({script})(document)", timeout=timeout)
    else:
        page.wait_for_function(script, arg=root.element_handle(), timeout=timeout)
    return maps_drawn(page, root)


FIGURE_HEIGHT_JS = """(el) => { const gd = el.querySelector('.js-plotly-plot');
  return [el.offsetHeight, gd && gd._fullLayout ? gd._fullLayout.height : null]; }"""


def assert_figures_take_their_height(explorer, timeout: float = 10_000) -> None:
    """Each figure of the explorer, scrolled into view, takes the height its layout asks for (a
    figure of no height would be drawn over the text that follows it)."""
    figures = explorer.locator(".course-figure")
    assert figures.count() > 0
    for i in range(figures.count()):
        figure = figures.nth(i)
        figure.scroll_into_view_if_needed()
        try:
            figure.page.wait_for_function(
                f"(el) => {{ const [h, want] = ({FIGURE_HEIGHT_JS})(el); return want !== null && h >= want - 1; }}",
                arg=figure.element_handle(),
                timeout=timeout,
            )
        except Exception as error:
            height, wanted = figure.evaluate(FIGURE_HEIGHT_JS)
            chain = figure.evaluate(
                "(el) => { const out = []; for (let a = el; a && a !== document.body; a = a.parentElement) "
                "{ const cs = getComputedStyle(a); out.push(`${a.tagName}.${a.className.slice(0, 50)} "
                "${cs.display} ${a.offsetHeight}`); } "
                "const gd = el.querySelector('.js-plotly-plot'); out.unshift('gd ' + (gd && gd.offsetHeight) + ' ' + (gd && gd.style.cssText)); return out.slice(0, 8); }"
            )
            raise AssertionError(
                f"figure {i} of the explorer is {height} px high, its layout {wanted} px: {chain}"
            ) from error


def wait_for_change(page, explorer, before: str, timeout: float = 15_000) -> str:
    page.wait_for_function(
        "([el, old]) => window.courseFigures(el) !== old",
        arg=[explorer.element_handle(), before],
        timeout=timeout,
    )
    return figures(explorer)


def labelled(explorer, widget_class: str, label: str):
    """The control of class ``widget_class`` whose description is ``label``."""
    return explorer.locator(f".{widget_class}").filter(
        has=explorer.page.locator(".widget-label", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    )


def texts(explorer) -> str:
    """The explorer's HTML outputs (summary, table) as text: they change with the model, not plotly."""
    return explorer.evaluate(
        "(el) => [...el.querySelectorAll('.widget-html')].map((h) => h.innerText).join('\\n')"
    )


def press_until_changed(
    page, explorer, target, presses: list[list[str]], read, rounds: int = 2
) -> tuple[str, str, str]:
    """Focus ``target`` and press each key sequence of ``presses`` in turn until the figures change.

    ``read()`` reads the control's value. Returns (value before, value after, figures after).
    The presses are tried ``rounds`` times (a loaded machine can drop a key sent while a list
    is still opening). Fails when no sequence changed the control, or the control changed but
    no figure did; the message lists every press, the value it left and what changed.
    """
    before_figures, before_texts = figures(explorer), texts(explorer)
    start = before_value = read()
    trail = []
    for _round in range(rounds):
        for keys in presses:
            target.focus()
            for i, key in enumerate(keys):
                if i:
                    page.wait_for_timeout(300)  # an opened list draws before it takes keys
                page.keyboard.press(key)
            value = read()
            for _ in range(10):  # the control may take a moment to show the key's effect
                if value != before_value:
                    break
                page.wait_for_timeout(100)
                value = read()
            trail.append(f"{'+'.join(keys)} → {value!r}")
            if value == before_value:
                continue
            try:
                return start, value, wait_for_change(page, explorer, before_figures)
            except Exception:  # the value moved but no figure changed: try the next option
                moved = "its text changed" if texts(explorer) != before_texts else "its text did not change"
                trail[-1] += f" (no figure changed; {moved})"
                before_value = value
        page.wait_for_timeout(1_000)
    raise AssertionError(f"no key press on {target} changed a figure: {'; '.join(trail)}")


# ----------------------------------------------------------------------------- per kind
def select_value(select) -> str:
    return select.evaluate("(s) => s.options[s.selectedIndex] ? s.options[s.selectedIndex].text : ''")


#: Open a dropdown's list (Alt+Down), move one option down (or up), choose it (Enter). Plain
#: Up/Down on a focused dropdown work in Voila and in a static page (tried first), but in
#: JupyterLab they move the notebook's active cell (its command-mode shortcuts take them) and
#: the focus leaves the dropdown: opening the list first works there.
NEXT_OPTION = ["Alt+ArrowDown", "ArrowDown", "Enter"]
PREVIOUS_OPTION = ["Alt+ArrowDown", "ArrowUp", "Enter"]


def use_dropdown(page, explorer, label: str) -> tuple[str, str, str]:
    """Choose the next option of the dropdown ``label`` from the keyboard (the previous at the end)."""
    select = labelled(explorer, "widget-dropdown", label).locator("select")
    assert select.count() == 1, f"no dropdown {label!r} in the explorer"
    presses = [["ArrowDown"], NEXT_OPTION, NEXT_OPTION, ["ArrowUp"], PREVIOUS_OPTION, PREVIOUS_OPTION]
    return press_until_changed(page, explorer, select, presses, lambda: select_value(select))


def use_slider(page, explorer, label: str, handle: str = "last") -> tuple[str, str, str]:
    """Move the slider ``label`` one step with the arrow keys (left, or right at its start)."""
    slider = labelled(explorer, "widget-slider", label)
    assert slider.count() == 1, f"no slider {label!r} in the explorer"
    knob = slider.locator(".noUi-handle")
    knob = knob.last if handle == "last" else knob.first
    readout = slider.locator(".widget-readout")
    presses = [["ArrowLeft"], ["ArrowRight"], ["ArrowRight"]]
    return press_until_changed(page, explorer, knob, presses, readout.text_content)


def use_toggle(page, explorer) -> tuple[str, int, int]:
    """Press (Space) the relation toggle with the most points drawn; its ties must disappear."""
    buttons = explorer.locator("button.widget-toggle-button")
    names = [
        buttons.nth(i).text_content().strip() for i in range(buttons.count())
    ]  # the ✓ is an icon, not text
    counts = {n: explorer.evaluate("(el, n) => window.courseTracePoints(el, n)", n) for n in names}
    name = max(counts, key=counts.get)
    assert counts[name] > 0, f"no relation has ties drawn: {counts}"
    before = figures(explorer)
    button = buttons.nth(names.index(name))
    button.focus()
    page.keyboard.press("Space")
    wait_for_change(page, explorer, before)
    gone = "([el, n]) => window.courseTracePoints(el, n) === 0"
    page.wait_for_function(gone, arg=[explorer.element_handle(), name], timeout=10_000)
    return name, counts[name], explorer.evaluate("(el, n) => window.courseTracePoints(el, n)", name)


def interact(page, explorer, kind: str) -> list[str]:
    """One keyboard interaction (two for the alliance explorer: a toggle off and on, then the date) with an explorer of ``kind``.

    Each asserts that the figure changed as the control says; returns what was done.
    """
    done = []
    if kind == "AllianceExplorer":
        # The toggle first, on the date the notebook chose (it shows ties), then back on.
        name, was, now = use_toggle(page, explorer)
        done.append(f"toggle {name}: {was} → {now} points")
        page.keyboard.press("Space")
        page.wait_for_function(
            "([el, n]) => window.courseTracePoints(el, n) > 0",
            arg=[explorer.element_handle(), name],
            timeout=10_000,
        )
        date = labelled(explorer, "widget-slider", "Date")
        disabled = date.locator(".noUi-target[disabled]").count() > 0
        if disabled:  # left "over a period": move the period's end instead
            old, new, _ = use_slider(page, explorer, "Period")
        else:
            old, new, _ = use_slider(page, explorer, "Date")
            title = titles(explorer)[0]
            assert new in title, f"the network's title {title!r} does not follow the slider ({new})"
        done.append(f"slider {old} → {new}")
    elif kind == "AttackExplorer":
        old, new, _ = use_slider(page, explorer, "Years")
        first, last = re.findall(r"\d{4}", new)[:2]
        knob = labelled(explorer, "widget-slider", "Years").locator(".noUi-handle").first
        span = (knob.get_attribute("aria-valuemin"), knob.get_attribute("aria-valuemax"))
        full = tuple(str(int(float(v))) for v in span) == (first, last)
        summary = explorer.locator(".widget-html", has_text="Showing").first.text_content()
        assert full or f"years {first}–{last}" in summary, f"the summary does not say {new}: {summary!r}"
        done.append(f"years {old} → {new}")
    elif kind == "ArsenalExplorer":
        old, new, _ = use_dropdown(page, explorer, "Evidence ≥")
        done.append(f"evidence {old} → {new}")
    elif kind == "ComparisonExplorer":
        old, new, _ = use_dropdown(page, explorer, "Group 3")
        done.append(f"group 3 {old} → {new}")
    elif kind == "BeforeAfterExplorer":
        old, new, _ = use_slider(page, explorer, "Split year")
        title = titles(explorer)[0]
        assert new.strip() in title, f"the title {title!r} does not follow the split year ({new})"
        done.append(f"split year {old} → {new}")
    elif kind == "SensitivityExplorer":
        old, new, _ = use_dropdown(page, explorer, "Table")
        title = titles(explorer)[0]
        assert title != "" and new.split()[0].lower() in title.lower(), (title, new)
        done.append(f"table {old} → {new}")
    else:  # pragma: no cover - KINDS lists them all
        raise AssertionError(kind)
    return done
