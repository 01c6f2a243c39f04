"""Citations of sources and of curated rows, with locator and excerpt.

Examples
--------
>>> print(cite("rand2013"))  # doctest: +ELLIPSIS
Christopher S. Chivvis and Andrew Liepman (2013). North Africa's Menace: ... RR-415-OSD. https://...
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from .data import PathLike, load_sources

__all__ = ["cite", "cite_rows"]


def _names(authors: tuple[str, ...]) -> str:
    """Authors as printed, joined with commas and a final "and"."""
    if len(authors) < 2:
        return "".join(authors)
    return ", ".join(authors[:-1]) + f" and {authors[-1]}"


def _source_text(src: Mapping) -> str:
    authors = _names(tuple(src["authors"]))
    year = str(src["published"])[:4] if isinstance(src["published"], str) else "n.d."
    head = f"{authors} ({year})." if authors else f"{src['title']} ({year})."
    parts = [head]
    if authors:
        parts.append(f"{src['title']}.")
    if isinstance(src["publisher"], str):
        parts.append(f"{src['publisher']}.")
    if isinstance(src["url"], str):
        parts.append(src["url"])
    return " ".join(parts)


def cite(
    what: str | Mapping | pd.Series, sources: pd.DataFrame | None = None, data_dir: PathLike = None
) -> str:
    """Cite a source by its ``source_id``, or a curated row with its locator and excerpt.

    ``what`` is a ``source_id`` or a row (a ``Series`` or mapping with ``source_id``,
    ``locator`` and, where there is one, ``excerpt``).

    >>> from course_lib import load_alliances
    >>> alliances = load_alliances()
    >>> row = alliances[alliances["source_id"] == "stenersen2010"].iloc[0]
    >>> cite(row).startswith("Anne Stenersen (2010). Al-Qaeda's Allies")
    True
    >>> row["excerpt"] in cite(row)
    True
    """
    table = load_sources(data_dir) if sources is None else sources
    by_id = table.set_index("source_id")
    if isinstance(what, str):
        sid, row = what, None
    elif isinstance(what, (Mapping, pd.Series)):
        sid, row = what["source_id"], what
    else:
        raise TypeError(f"cite needs a source_id or a row, but {type(what).__name__} was passed")
    if sid not in by_id.index:
        raise KeyError(f"no source {sid!r}; known sources: {', '.join(by_id.index)}")
    text = _source_text(by_id.loc[sid].to_dict())
    if row is None:
        return text
    locator = row.get("locator")
    excerpt = row.get("excerpt")
    if isinstance(locator, str) and locator:
        text += f" {locator}."
    if isinstance(excerpt, str) and excerpt:
        text += f" “{excerpt}”"
    return text


def cite_rows(
    *tables: Iterable[Mapping] | pd.DataFrame, sources: pd.DataFrame | None = None, data_dir: PathLike = None
) -> list[str]:
    """The distinct sources of the rows of one or more tables, cited once each, in order of first use.

    A notebook passes every table it drew on, and prints its *Sources* section from the result.

    >>> from course_lib import load_alliances, load_attacks
    >>> lines = cite_rows(load_alliances(), load_attacks())
    >>> len(lines) == len(set(lines)) >= 1
    True
    """
    ids: list[str] = []
    for rows in tables:
        ids.extend(rows["source_id"] if isinstance(rows, pd.DataFrame) else [r["source_id"] for r in rows])
    table = load_sources(data_dir) if sources is None else sources
    return [cite(sid, table) for sid in dict.fromkeys(ids)]
