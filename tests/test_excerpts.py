"""Every excerpt is copied character for character from the source library.

The library (``../shared/sources/``, or ``$COURSE_SOURCES_DIR``) is never shipped. Where it
is absent the test skips, except in CI (``CI=true``), where it fails: CI must check provenance.
Runs of white space, line breaks included, compare as one space (the RAND text is a PDF
extraction broken into lines); every other character must match exactly.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import ROOT

from course_lib import load_course

SOURCES = Path(os.environ.get("COURSE_SOURCES_DIR", ROOT.parent / "shared" / "sources"))
WHITESPACE = re.compile(r"\s+")


def library() -> dict[str, str]:
    """source_id → the whitespace-folded text of its file, from the library's README table."""
    if not (SOURCES / "README.md").is_file():
        reason = f"the source library is not at {SOURCES}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}: CI must check every excerpt", pytrace=False)
        pytest.skip(reason)
    files = {}
    for line in (SOURCES / "README.md").read_text(encoding="utf-8").splitlines():
        match = re.match(r"\|\s*`([a-z0-9_]+)`\s*\|\s*([0-9a-f_]+\.txt)", line)
        if match:
            files[match[1]] = match[2]
    assert files, "no source_id → file rows found in the library's README"
    return {
        sid: WHITESPACE.sub(" ", (SOURCES / name).read_text(encoding="utf-8")) for sid, name in files.items()
    }


def curated_rows():
    tables = load_course()
    for name, frame in tables.items():
        if "excerpt" not in frame:
            continue
        id_col = frame.columns[0]
        for _, row in frame.iterrows():
            yield name, row[id_col], row["source_id"], row["excerpt"]


def test_every_library_source_is_in_sources_csv():
    texts = library()
    sources = load_course()["sources"]
    in_library = set(sources.loc[sources["in_library"], "source_id"])
    assert in_library == set(texts)


def test_every_excerpt_is_verbatim_and_none_is_missing():
    texts = library()
    checked, wrong, missing = 0, [], []
    for table, key, sid, excerpt in curated_rows():
        if sid not in texts:
            continue
        if not isinstance(excerpt, str) or not excerpt:
            missing.append(f"{table}:{key}")
            continue
        checked += 1
        if WHITESPACE.sub(" ", excerpt.strip()) not in texts[sid]:
            wrong.append(f"{table}:{key}: {excerpt[:70]!r}")
    assert checked > 0
    assert not missing, f"{len(missing)} rows resting on the library have no excerpt: {missing}"
    assert not wrong, f"{len(wrong)} excerpts are not verbatim in their source:\n" + "\n".join(wrong)


def test_every_source_of_the_library_is_used():
    texts = library()
    used = set()
    for _table, _key, sid, _excerpt in curated_rows():
        used.add(sid)
    assert set(texts) <= used
