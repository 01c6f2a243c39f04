"""The lecturers' pages agree with the course: glossary anchors, exercise ids, the cheat sheet runs."""

from __future__ import annotations

import contextlib
import io
import json
import re

from conftest import ROOT

import course_lib as cl

TEACHING = ROOT / "teaching"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
ANCHOR = re.compile(r'<a id="([^"]+)"></a>')
LINK = re.compile(r"GLOSSARY\.md#([\w-]+)")


def glossary_anchors() -> list[str]:
    return ANCHOR.findall((TEACHING / "GLOSSARY.md").read_text(encoding="utf-8"))


def markdown_of(path) -> str:
    if path.suffix == ".ipynb":
        return "\n".join(
            c.get("source", "") if isinstance(c.get("source"), str) else "".join(c["source"])
            for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
            if c["cell_type"] == "markdown"
        )
    return path.read_text(encoding="utf-8")


def test_glossary_anchors_are_unique_and_cover_every_group():
    anchors = glossary_anchors()
    assert len(anchors) == len(set(anchors)), "duplicate anchors"
    missing = set(cl.load_groups()["group_id"]) - set(anchors)
    assert not missing, f"groups without a glossary entry: {sorted(missing)}"


def test_every_glossary_link_resolves():
    anchors = set(glossary_anchors())
    pages = [*NOTEBOOKS, *TEACHING.rglob("*.md")]
    assert NOTEBOOKS and len(pages) > len(NOTEBOOKS)
    links = {(p.relative_to(ROOT).as_posix(), a) for p in pages for a in LINK.findall(markdown_of(p))}
    assert links, "no page links to the glossary"
    inner = {
        ("teaching/GLOSSARY.md", a)
        for a in re.findall(r"\]\(#([\w-]+)\)", markdown_of(TEACHING / "GLOSSARY.md"))
    }
    broken = sorted((page, a) for page, a in links | inner if a not in anchors)
    assert not broken, f"links to no anchor: {broken}"


def test_every_notebook_has_a_guide_and_the_syllabus_names_its_exercises():
    syllabus = (TEACHING / "SYLLABUS.md").read_text(encoding="utf-8")
    assert "____" not in syllabus, "the syllabus has blanks to fill in"
    named = set(re.findall(r"\b(\d\da?\.\d+)\b", syllabus))
    for path in NOTEBOOKS:
        prefix = path.stem.split("_")[0]
        assert (TEACHING / "guide" / f"{prefix}.md").is_file(), f"no guide for {path.name}"
        exercises = set(
            json.loads((ROOT / "notebooks" / "answers" / f"{prefix}.json").read_text(encoding="utf-8"))
        )
        assert exercises and exercises <= named, (
            f"{path.name}: the syllabus does not name {sorted(exercises - named)}"
        )
    known = {
        q
        for p in (ROOT / "notebooks" / "answers").glob("*.json")
        for q in json.loads(p.read_text(encoding="utf-8"))
    }
    assert not {q for q in named if re.fullmatch(r"0\da?\.\d+", q)} - known, (
        "the syllabus names exercises that do not exist"
    )


def cheatsheet_lines() -> list[tuple[str, str | None]]:
    """(code, expected repr or None) of each table row of the cheat sheet: its last cell's first code span."""
    rows = []
    for line in (TEACHING / "CHEATSHEET.md").read_text(encoding="utf-8").splitlines():
        if not line.startswith("|") or set(line) <= set("|-: "):
            continue
        last = line.rstrip(" |").split(" | ")[-1]
        spans = re.findall(r"`([^`]+)`", last)
        if not spans or last.strip() == "one line":
            continue
        expected = spans[1] if len(spans) > 1 and re.search(r"`\s*→\s*`", last) else None
        rows.append((spans[0], expected))
    return rows


def test_the_cheatsheet_examples_run_and_say_what_they_show(monkeypatch):
    """Every example, in order, in one namespace, from the notebooks' folder (as in a notebook); a
    bare name is a control of an explorer, listed, not run; a download is the reader's own."""
    monkeypatch.chdir(ROOT / "notebooks")
    rows = cheatsheet_lines()
    assert len(rows) > 20
    namespace = {"cl": cl}
    exec("import course_lib as cl", namespace)
    failures = []
    for code, expected in rows:
        if (
            "..." in code
            or re.fullmatch(r"\w+", code)
            or "your own download" in code
            or code.startswith("make ")
        ):
            continue
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                try:
                    value = eval(code, namespace)
                except SyntaxError:
                    exec(code, namespace)
                    continue
        except Exception as error:
            failures.append(f"{code}: {type(error).__name__}: {error}")
            continue
        if (
            expected is not None
            and expected.startswith(("'", '"', "(", "[", "{"))
            and repr(value) != expected
        ):
            failures.append(f"{code} gives {value!r}, the sheet says {expected}")
    assert not failures, "\n".join(failures)
