"""Find a group by any of its names: ``resolve_group("ISIS-K")`` gives ``"isk"``.

Matching ignores case, accents, punctuation, spaces and a leading "the", so "Al-Qa'ida",
"al Qaida" and "AL-QAIDA" are one name.

Examples
--------
>>> resolve_group("Tehreek-e-Taliban Pakistan")
'ttp'
>>> resolve_group("Al Qaeda in the Islamic Maghreb")
'aqim'
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping

import pandas as pd

from .data import PathLike, derived

__all__ = ["UnknownGroupError", "group_names", "normalise_name", "resolve_group", "short_names"]


class UnknownGroupError(LookupError, ValueError):
    """No group has that name; the message suggests the nearest names."""


def normalise_name(name: str) -> str:
    """The form names are compared in: no case, accents, punctuation, spaces or leading "the".

    >>> normalise_name("  The Islamic State ")
    'islamicstate'
    >>> normalise_name("Al-Qa’ida")
    'alqaida'
    """
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()
    text = re.sub(r"^the\s+", "", text)
    return "".join(c for c in text if c.isalnum() and unicodedata.category(c) != "Lm")


def group_names(groups: pd.DataFrame | Mapping[str, str] | None) -> dict[str, str]:
    """``{group_id: name}`` from a registry frame (or a mapping, returned as a dict; ``None``: empty).

    >>> group_names(pd.DataFrame({"group_id": ["aqim"], "name": ["AQIM"]}))
    {'aqim': 'AQIM'}
    """
    if groups is None:
        return {}
    if isinstance(groups, Mapping):
        return dict(groups)
    names = groups["name"] if "name" in groups else groups["group_id"]
    return {str(g): str(n) if isinstance(n, str) else str(g) for g, n in zip(groups["group_id"], names)}


def short_names(groups: pd.DataFrame, longest: int = 30) -> dict[str, str]:
    """``{group_id: label}`` short enough for a figure: the name, or its acronym among the aliases.

    A name of at most ``longest`` characters is kept; a longer one becomes its alias in capitals
    (``MUJAO``, ``MNLA``), or is cut at a word with an ellipsis when it has none.

    >>> t = pd.DataFrame({"group_id": ["mnla", "x"], "aliases": [("MNLA", "Azawad movement"), ()],
    ...     "name": ["National Movement for the Liberation of Azawad", "A very long name of a small militia group"]})
    >>> short_names(t)
    {'mnla': 'MNLA', 'x': 'A very long name of a small…'}
    """
    out = {}
    aliases = groups["aliases"] if "aliases" in groups else [()] * len(groups)
    for gid, name, more in zip(groups["group_id"], group_names(groups).values(), aliases):
        acronyms = [a for a in (more or ()) if re.fullmatch(r"[A-Z][A-Z0-9-]{1,7}", a)]
        if len(name) <= longest:
            out[gid] = name
        elif acronyms:
            out[gid] = min(acronyms, key=len)
        else:
            out[gid] = name[: longest - 1].rsplit(" ", 1)[0].rstrip(" ,(") + "…"
    return out


def _index(groups: pd.DataFrame) -> tuple[dict[str, set[str]], dict[str, str]]:
    """Each normalised name → the groups it may mean; and each group → its name."""
    index: dict[str, set[str]] = {}
    aliases = groups["aliases"] if "aliases" in groups else [()] * len(groups)
    for gid, name, more in zip(groups["group_id"], groups["name"], aliases):
        for text in (gid, name, *(more or ())):
            key = normalise_name(text)
            if key:
                index.setdefault(key, set()).add(gid)
    return index, group_names(groups)


def resolve_group(name: str, groups: pd.DataFrame | None = None, data_dir: PathLike = None) -> str:
    """The ``group_id`` of the group called ``name`` (its id, name or any alias).

    Raises :class:`UnknownGroupError` (a ``LookupError`` and ``ValueError``) with the
    nearest names when nothing matches, and ``ValueError`` when a name fits several groups.

    >>> resolve_group("Islamic State of Khorasan")
    'isk'
    >>> resolve_group("Al-Quaeda")
    Traceback (most recent call last):
    ...
    course_lib.groups.UnknownGroupError: no group is called 'Al-Quaeda'; did you mean 'Al-Qaeda' (al_qaeda)?
    """
    if not isinstance(name, str):
        raise TypeError(f"resolve_group needs a group name as a string, but {type(name).__name__} was passed")
    if groups is None:
        index, names = derived("group_index", lambda t: _index(t["groups"]), data_dir)
    else:
        index, names = _index(groups)
    key = normalise_name(name)
    found = index.get(key, set())
    if len(found) == 1:
        return next(iter(found))
    if found:
        raise ValueError(f"{name!r} could be any of {sorted(found)}; use the group_id")
    near = difflib.get_close_matches(key, list(index), n=3, cutoff=0.6)
    if near:
        ids = dict.fromkeys(g for k in near for g in sorted(index[k]))
        options = " or ".join(f"{names[g]!r} ({g})" for g in ids)
        raise UnknownGroupError(f"no group is called {name!r}; did you mean {options}?")
    raise UnknownGroupError(f"no group is called {name!r}; see load_groups() for the registry")
