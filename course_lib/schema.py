"""The data contract, read from ``data/datapackage.json`` (the single source of truth).

Examples
--------
>>> schema = load_schema()
>>> schema.table("attacks").primary_key
'attack_id'
>>> schema.table("alliances").field("relation").enum[:3]
('affiliate', 'ally', 'support')
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = [
    "DATA_DIR",
    "EVIDENCE_LEVELS",
    "Field",
    "ForeignKey",
    "Schema",
    "Table",
    "load_schema",
    "resolve_data_dir",
]

#: The evidence scale of every curated table, weakest first. ``datapackage.json`` declares it;
#: this constant names it for code (a test keeps the two the same).
EVIDENCE_LEVELS = ("suspected", "reported", "verified")

#: The curated tables bundled with the course.
DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def resolve_data_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """Return the data folder: ``data_dir``, else ``$COURSE_DATA_DIR``, else the bundled one.

    Raises ``FileNotFoundError`` naming the folder when it does not exist.

    >>> resolve_data_dir() == DATA_DIR or "COURSE_DATA_DIR" in os.environ
    True
    """
    chosen = data_dir if data_dir is not None else os.environ.get("COURSE_DATA_DIR")
    path = Path(chosen) if chosen else DATA_DIR
    if not path.is_dir():
        how = "data_dir" if data_dir is not None else "COURSE_DATA_DIR"
        raise FileNotFoundError(f"data folder {str(path)!r} (from {how}) does not exist")
    return path


@dataclass(frozen=True)
class Field:
    """One column: its name, type and constraints as the schema declares them."""

    name: str
    type: str
    title: str
    description: str
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    item_pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    partial_date: bool = False
    max_words: int | None = None
    delimiter: str = "|"

    @classmethod
    def from_json(cls, spec: dict) -> Field:
        cons = spec.get("constraints", {})
        return cls(
            name=spec["name"],
            type=spec["type"],
            title=spec.get("title", spec["name"]),
            description=spec.get("description", ""),
            required=cons.get("required", False),
            unique=cons.get("unique", False),
            enum=tuple(cons["enum"]) if "enum" in cons else None,
            pattern=cons.get("pattern"),
            item_pattern=spec.get("itemPattern"),
            minimum=cons.get("minimum"),
            maximum=cons.get("maximum"),
            partial_date=spec.get("partialDate", False),
            max_words=spec.get("maxWords"),
            delimiter=spec.get("delimiter", "|"),
        )


@dataclass(frozen=True)
class ForeignKey:
    """``field`` (a list field: each item) must be a key of ``table``."""

    field: str
    table: str
    key: str


@dataclass(frozen=True)
class Table:
    """One table (a Data Package resource)."""

    name: str
    path: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: str
    foreign_keys: tuple[ForeignKey, ...]
    ordered_pairs: tuple[tuple[str, str], ...]

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"table {self.name!r} has no column {name!r}")


@dataclass(frozen=True)
class Schema:
    """All tables of the Data Package, in the order they load (referenced tables first)."""

    tables: tuple[Table, ...]
    raw: dict

    def table(self, name: str) -> Table:
        for t in self.tables:
            if t.name == name:
                return t
        names = ", ".join(t.name for t in self.tables)
        raise KeyError(f"no table {name!r}; the tables are {names}")

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.tables]


def _table(res: dict) -> Table:
    schema = res["schema"]
    fks = tuple(
        ForeignKey(fk["fields"], fk["reference"]["resource"], fk["reference"]["fields"])
        for fk in schema.get("foreignKeys", [])
    )
    return Table(
        name=res["name"],
        path=res["path"],
        title=res.get("title", res["name"]),
        description=res.get("description", ""),
        fields=tuple(Field.from_json(f) for f in schema["fields"]),
        primary_key=schema["primaryKey"][0],
        foreign_keys=fks,
        ordered_pairs=tuple(tuple(p) for p in res.get("orderedPairs", [])),
    )


@cache
def _load(path: str, mtime_ns: int) -> Schema:
    with open(path, encoding="utf-8") as fh:
        raw = json.load(fh)
    return Schema(tuple(_table(r) for r in raw["resources"]), raw)


def load_schema(data_dir: str | os.PathLike | None = None) -> Schema:
    """Read ``datapackage.json`` from the data folder (cached while the file is unchanged)."""
    path = resolve_data_dir(data_dir) / "datapackage.json"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: missing; the data folder needs its datapackage.json")
    return _load(str(path), path.stat().st_mtime_ns)
