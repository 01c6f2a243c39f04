"""Groups side by side: origins, base, strength over time, ties, attack mix and arsenal.

Examples
--------
>>> groups = pd.DataFrame({"group_id": ["aqim", "isk"], "name": ["AQIM", "ISK"],
...     "kind": ["jihadist_group"] * 2, "base_countries": [("DZA", "MLI"), ("AFG",)]})
>>> attacks = pd.DataFrame({"group_id": ["aqim", "isk", "isk"],
...     "attack_type": ["bombing", "bombing", "armed_assault"], "evidence_level": ["reported"] * 3})
>>> c = compare_groups(["AQIM", "isk"], {"groups": groups, "attacks": attacks})
>>> c.group_ids, c.profiles.loc["aqim", "base_countries"]
(('aqim', 'isk'), 'Algeria (DZA), Mali (MLI)')
>>> c.attack_mix.loc[:, ["armed_assault", "bombing"]].values.tolist()
[[0, 1], [1, 1]]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .groups import resolve_group
from .vocab import at_least, codes_of, country_label, evidence_mask, evidence_rank, vocabulary

__all__ = ["STRENGTH_MEASURES", "Comparison", "compare_groups"]

#: The indicator measures read as a group's strength.
STRENGTH_MEASURES = ("fighters", "members")

Tables = Mapping[str, pd.DataFrame]


@dataclass(frozen=True)
class Comparison:
    """Groups side by side (see :func:`compare_groups`).

    ``profiles``: one row per group (index ``group_id``: name, kind, ideology, founded,
    ended, parent, base_countries, aliases, source_id, locator). ``strength``: the strength
    figures (``fighters``, ``members``) with their periods as ``start`` and ``end``.
    ``ties``, ``attack_mix``, ``arsenal``: groups × relation, attack type and category
    (every value of the vocabulary a column, zeros included); ``tie_rows``,
    ``attack_rows``, ``arsenal_rows``: the rows behind them (``tie_rows`` has ``group_id``
    and ``partner``). ``min_evidence``: the threshold the rows passed.
    """

    group_ids: tuple[str, ...]
    profiles: pd.DataFrame
    strength: pd.DataFrame
    ties: pd.DataFrame
    attack_mix: pd.DataFrame
    arsenal: pd.DataFrame
    tie_rows: pd.DataFrame
    attack_rows: pd.DataFrame
    arsenal_rows: pd.DataFrame
    min_evidence: str = "suspected"

    def name(self, group_id: str) -> str:
        """The group's name (its id when the registry has none)."""
        name = self.profiles["name"].get(group_id)
        return name if isinstance(name, str) else group_id


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _counts(
    frame: pd.DataFrame, key: str, column: str, ids: tuple[str, ...], categories: list[str]
) -> pd.DataFrame:
    """``ids`` × ``categories`` counts of the rows of ``frame`` (zeros included)."""
    n = np.zeros((len(ids), len(categories)), dtype=np.int64)
    if len(frame):
        g, c = codes_of(frame[key], ids), codes_of(frame[column], categories)
        ok = (g >= 0) & (c >= 0)
        np.add.at(n, (g[ok], c[ok]), 1)
    return pd.DataFrame(
        n, index=pd.Index(list(ids), name="group_id"), columns=pd.Index(categories, name=column)
    )


def _profiles(ids: tuple[str, ...], groups: pd.DataFrame) -> pd.DataFrame:
    by_id = groups.set_index("group_id")
    names = {k: v for k, v in zip(groups["group_id"], groups["name"]) if isinstance(v, str)}
    rows = []
    for gid in ids:
        g = by_id.loc[gid]
        parent = _text(g.get("parent_id"))
        rows.append(
            {
                "group_id": gid,
                "name": _text(g.get("name")) or gid,
                "kind": str(g["kind"]) if pd.notna(g.get("kind")) else None,
                "ideology": _text(g.get("ideology")),
                "founded": _text(g.get("founded")),
                "ended": _text(g.get("ended")),
                "parent": names.get(parent, parent) if parent else None,
                "base_countries": ", ".join(country_label(c) for c in (g.get("base_countries") or ())),
                "aliases": ", ".join(g.get("aliases") or ()),
                "source_id": _text(g.get("source_id")),
                "locator": _text(g.get("locator")),
            }
        )
    return pd.DataFrame(rows).set_index("group_id")


_STRENGTH_COLUMNS = [
    "indicator_id",
    "group_id",
    "measure",
    "value_low",
    "value_high",
    "unit",
    "period_start",
    "period_end",
    "start",
    "end",
    "description",
    "source_id",
    "locator",
    "evidence_level",
]


def _strength(indicators: pd.DataFrame | None, ids: tuple[str, ...], min_evidence: str) -> pd.DataFrame:
    if indicators is None or not len(indicators):
        return pd.DataFrame(columns=_STRENGTH_COLUMNS)
    rows = at_least(indicators, min_evidence)
    rows = rows[rows["group_id"].isin(ids) & rows["measure"].astype("object").isin(STRENGTH_MEASURES)].copy()
    nat = pd.Series(pd.NaT, index=rows.index, dtype="datetime64[s]")
    rows["start"] = rows.get("period_start_start", nat).fillna(rows.get("period_end_start", nat))
    rows["end"] = rows.get("period_end_end", nat).fillna(rows.get("period_start_end", nat))
    for c in _STRENGTH_COLUMNS:
        if c not in rows:
            rows[c] = None
    order = codes_of(rows["group_id"], ids)
    return (
        rows.assign(_o=order)
        .sort_values(["_o", "start"], kind="stable")[_STRENGTH_COLUMNS]
        .reset_index(drop=True)
    )


def compare_groups(
    group_ids: str | Iterable[str], tables: Tables, min_evidence: str = "suspected"
) -> Comparison:
    """Groups side by side: origins, base, strength, ties, attack mix, arsenal.

    Parameters
    ----------
    group_ids
        The groups, by ``group_id`` or any name or alias; duplicates are dropped.
    tables
        Tables keyed by name, as :func:`~course_lib.load_course` returns them. ``groups`` is
        required; a missing ``indicators``, ``alliances``, ``attacks`` or ``arsenals`` counts
        as empty (so an imported attacks table can stand in for the curated one).
    min_evidence
        Count only rows at this level or stronger (the profiles are always shown).
    """
    evidence_rank(min_evidence)
    if not isinstance(tables, Mapping) or "groups" not in tables:
        raise TypeError(
            "compare_groups needs tables: a dict of DataFrames with at least 'groups' (see load_course())"
        )
    groups = tables["groups"]
    ids = (group_ids,) if isinstance(group_ids, str) else tuple(dict.fromkeys(group_ids))
    if not ids:
        raise ValueError("give at least one group_id")
    known = set(groups["group_id"])
    ids = tuple(dict.fromkeys(g if g in known else resolve_group(g, groups=groups) for g in ids))

    def chosen(frame: pd.DataFrame, key: str) -> np.ndarray:
        """Which rows of ``frame`` pass the threshold and name a chosen group in ``key``."""
        return evidence_mask(frame, min_evidence) & frame[key].isin(ids).to_numpy()

    def rows(name: str, key: str) -> pd.DataFrame:
        frame = tables.get(name)
        if frame is None or not len(frame):
            return pd.DataFrame(columns=[key, "evidence_level"])
        return frame[chosen(frame, key)]

    attack_rows, arsenal_rows = rows("attacks", "group_id"), rows("arsenals", "group_id")
    alliances = tables.get("alliances")
    if alliances is not None and len(alliances):
        # A tie between two chosen groups is a row for each: in table order, group_a's first.
        as_a, as_b = (
            np.flatnonzero(chosen(alliances, "group_a")),
            np.flatnonzero(chosen(alliances, "group_b")),
        )
        where, second = np.concatenate([as_a, as_b]), np.arange(len(as_a) + len(as_b)) >= len(as_a)
        order = np.argsort(where, kind="stable")
        tie_rows, second = alliances.take(where[order]), second[order]
        a, b = tie_rows["group_a"].to_numpy(object), tie_rows["group_b"].to_numpy(object)
        tie_rows = tie_rows.assign(group_id=np.where(second, b, a), partner=np.where(second, a, b))
    else:
        tie_rows = pd.DataFrame(columns=["group_id", "partner", "relation"])

    def vocab(name: str, column: str) -> list[str]:
        frame = tables.get(name)
        values = frame[column] if frame is not None and column in frame else pd.Series([], dtype=object)
        return vocabulary(values, name, column)

    return Comparison(
        group_ids=ids,
        profiles=_profiles(ids, groups),
        strength=_strength(tables.get("indicators"), ids, min_evidence),
        ties=_counts(tie_rows, "group_id", "relation", ids, vocab("alliances", "relation")),
        attack_mix=_counts(attack_rows, "group_id", "attack_type", ids, vocab("attacks", "attack_type")),
        arsenal=_counts(arsenal_rows, "group_id", "category", ids, vocab("arsenals", "category")),
        tie_rows=tie_rows,
        attack_rows=attack_rows,
        arsenal_rows=arsenal_rows,
        min_evidence=min_evidence,
    )
