"""The data contract, read from ``datapackage.json`` (the single source of truth).

A Frictionless Data Package: each resource is a table with its fields, types, vocabularies
(``enum``), required fields, primary key and foreign keys. The course adds a few properties
of its own, which Frictionless ignores: ``partialDate`` (a field holds partial ISO dates),
``maxWords`` (excerpts), ``orderedPairs`` (low ≤ high, start ≤ end) and ``delimiter`` and
``itemPattern`` for list fields.

Examples
--------
>>> schema = load_schema()
>>> schema.table("attacks").primary_key
('attack_id',)
>>> schema.table("alliances").field("relation").enum[:3]
('affiliate', 'ally', 'support')
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["EVIDENCE_LEVELS", "Field", "ForeignKey", "Schema", "Table", "load_schema", "parse_schema"]

#: The evidence scale of every curated table, weakest first (``datapackage.json`` declares it
#: on each table; a test keeps the two the same).
EVIDENCE_LEVELS = ("suspected", "reported", "verified")

#: The field types the loaders know.
TYPES = ("string", "integer", "number", "boolean", "list")


@dataclass(frozen=True)
class Field:
    """One column: its name, type and constraints as the schema declares them."""

    name: str
    type: str
    title: str = ""
    description: str = ""
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
    def from_json(cls, spec: Mapping) -> Field:
        cons = spec.get("constraints", {})
        if spec.get("type", "string") not in TYPES:
            raise ValueError(
                f"field {spec.get('name')!r} has type {spec.get('type')!r}; the loaders know {TYPES}"
            )
        return cls(
            name=spec["name"],
            type=spec.get("type", "string"),
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
    """``field`` must be a key of ``table`` (the field ``key`` there)."""

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
    primary_key: tuple[str, ...]
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
    """All tables of the Data Package, in the order they are declared (referenced tables first)."""

    tables: tuple[Table, ...]
    raw: Mapping

    def table(self, name: str) -> Table:
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(f"no table {name!r}; the tables are {', '.join(self.names)}")

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.tables]


def _table(res: Mapping) -> Table:
    name = res.get("name")
    path = res.get("path")
    if not isinstance(name, str) or not isinstance(path, str):
        raise ValueError(f"a resource needs a 'name' and a 'path' (got name={name!r}, path={path!r})")
    if os.path.basename(path) != path or path.startswith("."):
        raise ValueError(f"resource {name!r}: path {path!r} must be a file name inside the data folder")
    schema = res.get("schema")
    if not isinstance(schema, Mapping) or not schema.get("fields"):
        raise ValueError(f"resource {name!r} has no schema with fields")
    try:
        fks = tuple(
            ForeignKey(fk["fields"], fk["reference"]["resource"], fk["reference"]["fields"])
            for fk in schema.get("foreignKeys", [])
        )
        key = schema["primaryKey"]
    except (KeyError, TypeError) as err:
        raise ValueError(f"resource {name!r}: malformed key ({err})") from None
    return Table(
        name=name,
        path=path,
        title=res.get("title", name),
        description=res.get("description", ""),
        fields=tuple(Field.from_json(f) for f in schema["fields"]),
        primary_key=(key,) if isinstance(key, str) else tuple(key),
        foreign_keys=fks,
        ordered_pairs=tuple(tuple(p) for p in res.get("orderedPairs", [])),
    )


def parse_schema(raw: object) -> Schema:
    """The :class:`Schema` of a parsed ``datapackage.json``; ``ValueError`` says what is wrong.

    >>> parse_schema({"resources": []}).names
    []
    >>> parse_schema({})
    Traceback (most recent call last):
    ...
    ValueError: the package has no list of 'resources'
    """
    if not isinstance(raw, Mapping) or not isinstance(raw.get("resources"), list):
        raise ValueError("the package has no list of 'resources'")
    tables = tuple(_table(r) for r in raw["resources"])
    for t in tables:
        names = t.field_names
        for col in (
            *t.primary_key,
            *(fk.field for fk in t.foreign_keys),
            *(c for p in t.ordered_pairs for c in p),
        ):
            if col not in names:
                raise ValueError(f"resource {t.name!r} refers to a column {col!r} it does not declare")
    return Schema(tables, raw)


def load_schema(data_dir: str | os.PathLike | None = None) -> Schema:
    """The schema of the data folder (default: the bundled data; see :func:`course_lib.load_course`)."""
    from .data import schema_of

    return schema_of(data_dir)
