"""Find a group by any of its names: ``resolve_group("ISIS-K")`` gives ``"isk"``.

Matching ignores case, accents, punctuation, spaces and a leading "the", so
"Al-Qa'ida", "al Qaida" and "AL-QAIDA" are one name.

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
from functools import lru_cache

import pandas as pd

from .data import PathLike, load_groups
from .schema import resolve_data_dir
from .validate import folder_signature

__all__ = ["UnknownGroupError", "normalise_name", "resolve_group"]


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


def _build_index(frame: pd.DataFrame):
    """Map each normalised name to the groups it may mean, and each group to its name."""
    index: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for gid, name, aliases in zip(frame["group_id"], frame["name"], frame["aliases"]):
        names[gid] = name
        for label in (gid, name, *aliases):
            key = normalise_name(label)
            if key:
                index.setdefault(key, set()).add(gid)
    return index, names


@lru_cache(maxsize=8)
def _cached_index(folder, signature):
    return _build_index(load_groups(folder))


def resolve_group(name: str, groups: pd.DataFrame | None = None, data_dir: PathLike = None) -> str:
    """Return the ``group_id`` of the group called ``name`` (its id, name or any alias).

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
        folder = resolve_data_dir(data_dir)
        index, names = _cached_index(folder, folder_signature(folder))
    else:
        index, names = _build_index(groups)
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
