"""Export the executed notebooks as static pages that work offline, from ``file://``, with no kernel.

``make html`` runs this. It converts the committed notebooks (already executed and
normalised by ``make notebooks``, so nothing is run again) with nbconvert's ``lab`` template,
plus the smallest custom part nbconvert cannot do:

- every figure's copy for static pages (``STATIC_FIGURE``, plotly's JSON: the course's figures
  and each explorer's kernel-free version, with plotly's own sliders, buttons and legend toggles)
  becomes a ``<div>`` drawn by one copy of plotly.js, copied from the installed ``plotly``
  package to ``static/`` and loaded once per page;
- the base map is inline in each page's head (``course_lib.web.page_head``), so maps draw
  from ``file://``;
- a widget's live view is dropped (there is no kernel): an explorer shows its kernel-free
  figure, with a note saying which controls work here and which need Python;
- solution cells (folded away in JupyterLab) sit in a closed ``<details>``;
- MathJax and mermaid, which nbconvert loads from a CDN, are left out;
- the students' pages of ``teaching/`` (glossary, cheat sheet, syllabus, readings) are
  exported too, as ``teaching/*.html``, and the notebooks' links to them point there.

Usage: python scripts/export_html.py [--out build/html] [notebooks/*.ipynb ...]
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
from pathlib import Path

import jinja2
import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor

from course_lib.web import copy_assets, page_head
from course_lib.widgets.figure import STATIC_FIGURE

ROOT = Path(__file__).resolve().parent.parent
PLOTLY = STATIC_FIGURE
WIDGET = "application/vnd.jupyter.widget-view+json"

CSS = """
.course-nav { max-width: 1100px; margin: 0 auto; padding: 12px 24px; border-bottom: 1px solid #ccc; }
.course-nav a, details.course-solution > summary { color: #0b57a4; }
/* Links in prose are underlined, not told apart by colour alone (WCAG 1.4.1; axe-core checks it). */
.jp-RenderedHTMLCommon a:link, .jp-RenderedHTMLCommon a:visited { text-decoration: underline; }
details.course-solution > summary { cursor: pointer; padding: 4px 0; }
.course-static-note { background: #fff8e1; border: 1px solid #c9a227; padding: 6px 10px; margin: 4px 0; color: #222; }
/* WCAG AA contrast on code cells (axe-core checks it in tests/browser/test_html.py). */
:root { --jp-cell-prompt-not-active-opacity: 1; --jp-cell-prompt-not-active-font-color: #616161;
  --jp-cell-inprompt-font-color: #2a6aa3; --jp-cell-outprompt-font-color: #9a4a31;
  --jp-mirror-editor-keyword-color: #007000; --jp-mirror-editor-atom-color: #3b3bd6;
  --jp-mirror-editor-number-color: #007000; --jp-mirror-editor-variable-3-color: #006b43;
  --jp-mirror-editor-operator-color: #7a1fd1; --jp-mirror-editor-comment-color: #356b6b;
  --jp-mirror-editor-meta-color: #7a1fd1; --jp-mirror-editor-builtin-color: #007000;
  --jp-mirror-editor-bracket-color: #6b6b4f; --jp-mirror-editor-quote-color: #006e00; }
"""

TEMPLATE = r"""{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{{ resources.course.head }}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}<style type="text/css">{{ resources.course.css }}</style>{%- endblock html_head_css -%}
{%- block body_header -%}
<body class="jp-Notebook" data-jp-theme-light="true" data-jp-theme-name="JupyterLab Light">
<nav class="course-nav" aria-label="Course"><a href="index.html">All notebooks</a>
<p class="course-static-note">A static copy of an executed notebook. Each explorer is shown in its
kernel-free form: the controls a note names work here; the others need Python (<code>make lab</code>).</p>
</nav>
<main>
{%- endblock body_header -%}
{% block input_group -%}
{%- if cell.metadata.get('jupyter', {}).get('source_hidden', False) -%}
<details class="course-solution"><summary>Show the solution</summary>{{ super() }}</details>
{%- else -%}{{ super() }}{%- endif -%}
{% endblock input_group %}
"""


class StaticFigures(Preprocessor):
    """Plotly outputs → a ``<div>`` drawn by the page's plotly.js; widget views (no kernel) dropped."""

    def preprocess(self, nb, resources):
        count = 0
        stem = resources["course"]["stem"]
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                data.pop(WIDGET, None)
                if PLOTLY in data:
                    count += 1
                    data["text/html"] = figure_html(data.pop(PLOTLY), f"{stem}-figure-{count}")
        return nb, resources


def figure_html(figure: dict, div_id: str) -> str:
    """A ``<div>`` and the ``<script>`` that draws ``figure`` into it (and its static note, if any).

    >>> snippet = figure_html({"data": [], "layout": {"meta": {"static_note": "Works here."}}}, "f-1")
    >>> 'id="f-1"' in snippet and "Works here." in snippet
    True
    """
    note = (figure.get("layout", {}).get("meta") or {}).get("static_note")
    spec = json.dumps({k: figure.get(k, {}) for k in ("data", "layout")}, separators=(",", ":")).replace(
        "</", "<\\/"
    )
    config = json.dumps({"responsive": True, "displaylogo": False})
    head = f'<p class="course-static-note">{html.escape(note)}</p>' if note else ""
    return (
        f'{head}<div id="{div_id}" class="course-figure"></div><script>(function () {{ var f = {spec}; '
        f'Plotly.newPlot("{div_id}", f.data, f.layout, {config}); }})();</script>'
    )


def title_of(nb, fallback: str) -> str:
    """The text of the notebook's first level-1 heading."""
    for cell in nb.cells:
        match = re.search(r"^#\s+(.+)$", cell.source, re.M) if cell.cell_type == "markdown" else None
        if match:
            return re.sub(r"[*_`]", "", match.group(1)).strip()
    return fallback


INDEX = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Jihadist armed groups compared: the course without a kernel</title>
<style>body {{ font-family: "DejaVu Sans", Arial, sans-serif; max-width: 900px; margin: 2em auto; padding: 0 1em;
line-height: 1.5; color: #222; }} a {{ color: #0b57a4; }} li {{ margin: 0.4em 0; }}</style></head>
<body><main><h1>Jihadist armed groups compared: the course without a kernel</h1>
<p>Static copies of the executed notebooks. The figures are live: each explorer's kernel-free version keeps
its main controls (a slider of years, legend toggles, evidence buttons); the other controls need Python
(<code>make lab</code>, or the explorers alone with <code>make dashboard</code>).</p>
<ol>
{items}
</ol>
<h2>For reference</h2>
<ul>
{teaching}
</ul></main></body></html>
"""

#: The students' pages of ``teaching/``, exported beside the notebooks (the notebooks link to them).
TEACHING = {
    "GLOSSARY": "Glossary",
    "CHEATSHEET": "course_lib cheat sheet",
    "SYLLABUS": "Syllabus",
    "READINGS": "Readings",
}

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{title}</title>
<style>body {{ font-family: "DejaVu Sans", Arial, sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em;
line-height: 1.5; color: #222; }} a {{ color: #0b57a4; text-decoration: underline; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; }}
code {{ background: #f4f4f4; }}</style></head>
<body><nav><a href="../index.html">All notebooks</a></nav><main>
{body}
</main></body></html>
"""


def local_links(text: str, teaching_prefix: str) -> str:
    """Links between the course's Markdown pages and notebooks, made to point at the exported pages.

    >>> local_links('<a href="../teaching/GLOSSARY.md#aqim">', "teaching/")
    '<a href="teaching/GLOSSARY.html#aqim">'
    >>> local_links('<a href="READINGS.md">, <a href="../notebooks/01_x.ipynb">', "")
    '<a href="READINGS.html">, <a href="../01_x.html">'
    """
    names = "|".join(TEACHING)

    def teaching(match: re.Match) -> str:
        return f'href="{teaching_prefix}{match.group(1)}.html{match.group(2) or ""}"'

    text = re.sub(rf'href="(?:\.\./teaching/)?({names})\.md(#[^"]*)?"', teaching, text)
    return re.sub(r'href="\.\./notebooks/([^"/]+)\.ipynb"', r'href="../\1.html"', text)


def export_teaching(out: Path) -> list[tuple[str, str]]:
    """``teaching/<NAME>.md`` → ``out/teaching/<NAME>.html`` for the students' pages; (href, title) of each."""
    import mistune

    render = mistune.create_markdown(escape=False, plugins=["table"])
    (out / "teaching").mkdir(parents=True, exist_ok=True)
    pages = []
    for name, title in TEACHING.items():
        source = ROOT / "teaching" / f"{name}.md"
        if source.is_file():
            body = local_links(render(source.read_text(encoding="utf-8")), "")
            (out / "teaching" / f"{name}.html").write_text(
                PAGE.format(title=html.escape(title), body=body), encoding="utf-8"
            )
            pages.append((f"teaching/{name}.html", title))
    return pages


def export(paths: list[Path], out: Path) -> None:
    copy_assets(out / "static")
    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[jinja2.DictLoader({"course.html.j2": TEMPLATE})],
        template_file="course.html.j2",
        mathjax_url="",
        mermaid_js_url="",
        language_code="en",
    )
    exporter.register_preprocessor(StaticFigures(), enabled=True)
    pages = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        nb.metadata.pop("widgets", None)
        nb.metadata["title"] = title = title_of(nb, path.stem)
        resources = {"course": {"stem": path.stem, "head": page_head("static/plotly.min.js"), "css": CSS}}
        body, _ = exporter.from_notebook_node(nb, resources=resources)
        (out / f"{path.stem}.html").write_text(local_links(body, "teaching/"), encoding="utf-8")
        pages.append((f"{path.stem}.html", title))
    for stale in set(out.glob("*.html")) - {out / h for h, _ in pages} - {out / "index.html"}:
        stale.unlink()
    items = "\n".join(f'<li><a href="{html.escape(h)}">{html.escape(t)}</a></li>' for h, t in pages)
    teaching = "\n".join(
        f'<li><a href="{html.escape(h)}">{html.escape(t)}</a></li>' for h, t in export_teaching(out)
    )
    (out / "index.html").write_text(INDEX.format(items=items, teaching=teaching), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/[0-9]*.ipynb")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "html")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    if not paths:
        print("no notebooks to export", file=sys.stderr)
        return 2
    start = time.monotonic()
    args.out.mkdir(parents=True, exist_ok=True)
    export(paths, args.out)
    print(f"wrote {len(paths)} pages and index.html to {args.out} in {time.monotonic() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
