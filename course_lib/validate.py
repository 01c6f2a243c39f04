"""Validation of the curated tables against ``datapackage.json``.

Every problem is collected, never the first one only, and reported with file, line
number, column, value and the rule it breaks, in one :class:`DataValidationError`.
No row is ever dropped: a table either loads whole or raises.

This is written by hand rather than with frictionless-py: measured here, importing
frictionless costs about as much as importing pandas, which would break the bound on a
cold ``load_course()``, and it knows nothing of partial dates, list foreign keys or
excerpt word counts, which would have to be written anyway.

Examples
--------
>>> validate()  # the bundled data is valid
>>> try:
...     raise DataValidationError([Problem("attacks.csv", 3, "date", "2013-13", "bad month")])
... except ValueError as err:
...     print(err)
1 problem in the course data:
  attacks.csv, line 3, column 'date', value '2013-13': bad month
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .dates import parse_partial_date
from .schema import Field, Table, load_schema, resolve_data_dir

__all__ = [
    "DataValidationError",
    "Problem",
    "RawTable",
    "folder_signature",
    "read_all",
    "read_raw",
    "validate",
]

TRUE_VALUES = frozenset({"true", "True", "TRUE", "1"})
FALSE_VALUES = frozenset({"false", "False", "FALSE", "0"})
_INTEGER = re.compile(r"[+-]?\d+")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one place."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    rule: str

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.value is not None:
            where.append(f"value {self.value!r}")
        return f"{', '.join(where)}: {self.rule}"


class DataValidationError(ValueError):
    """The course data breaks its contract; ``.problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the course data:"
        super().__init__("\n  ".join([head, *map(str, self.problems)]))


@dataclass
class RawTable:
    """A table as read from its CSV: text cells keyed by column, and each row's line."""

    table: Table
    file: str
    columns: dict[str, list[str]]
    lines: list[int]

    def __len__(self) -> int:
        return len(self.lines)


def _closest(name: str, options: list[str]) -> str:
    near = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    return f"; did you mean {near[0]!r}?" if near else ""


def _decode(path: Path, problems: list[Problem]) -> str | None:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        byte = data[err.start : err.start + 1]
        problems.append(
            Problem(path.name, line, None, repr(byte)[2:-1], "file is not UTF-8 text; save it as UTF-8")
        )
        return None


def read_raw(table: Table, data_dir: Path, problems: list[Problem]) -> RawTable | None:
    """Read ``table``'s CSV as text cells, appending what is wrong to ``problems``.

    Returns ``None`` when the file cannot be read as a table at all (missing, not UTF-8,
    a required column missing); the problems say why.
    """
    path = data_dir / table.path
    name = table.path
    if not path.is_file():
        problems.append(Problem(name, None, None, None, f"file is missing from {str(data_dir)!r}"))
        return None
    text = _decode(path, problems)
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        problems.append(Problem(name, 1, None, None, "file is empty; it needs a header row"))
        return None
    expected = table.field_names
    missing = [c for c in expected if c not in header]
    for col in header:
        if col not in expected:
            hint = _closest(col, missing or expected)
            problems.append(Problem(name, 1, col, None, f"unknown column{hint}"))
    for col in missing:
        problems.append(Problem(name, 1, col, None, "required column is missing from the header"))
    if len(set(header)) != len(header):
        dupes = sorted({c for c in header if header.count(c) > 1})
        problems.append(Problem(name, 1, None, None, f"header repeats {dupes}"))
    if missing:
        return None
    index = {c: header.index(c) for c in expected}
    columns: dict[str, list[str]] = {c: [] for c in expected}
    lines: list[int] = []
    start = reader.line_num + 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not cells:
                continue  # a blank line is not a record
            if len(cells) != len(header):
                problems.append(
                    Problem(
                        name, line, None, None, f"row has {len(cells)} cells, the header has {len(header)}"
                    )
                )
                continue
            lines.append(line)
            for col, i in index.items():
                columns[col].append(cells[i].strip())
    except csv.Error as err:
        problems.append(Problem(name, start, None, None, f"malformed CSV: {err}"))
    return RawTable(table, name, columns, lines)


def _check_cell(field: Field, value: str) -> str | None:
    """Return why ``value`` breaks ``field``'s rules, or ``None``."""
    if field.type == "integer":
        if not _INTEGER.fullmatch(value):
            return "must be a whole number"
        number: float = int(value)
    elif field.type == "number":
        try:
            number = float(value)
        except ValueError:
            return "must be a number"
        if not math.isfinite(number):
            return "must be a finite number"
    elif field.type == "boolean":
        if value not in TRUE_VALUES | FALSE_VALUES:
            return "must be true or false"
        return None
    else:
        number = None
    if number is not None:
        if field.minimum is not None and number < field.minimum:
            return f"must be at least {field.minimum:g}" + (
                " (counts cannot be negative)" if field.minimum == 0 else ""
            )
        if field.maximum is not None and number > field.maximum:
            return f"must be at most {field.maximum:g}"
        return None
    if field.enum is not None and value not in field.enum:
        return f"must be one of {', '.join(field.enum)}{_closest(value, list(field.enum))}"
    if field.type == "list":
        items = [i.strip() for i in value.split(field.delimiter)]
        if any(not i for i in items):
            return f"list has an empty item (items are separated by {field.delimiter!r})"
        if field.item_pattern:
            bad = [i for i in items if not re.fullmatch(field.item_pattern, i)]
            if bad:
                return f"items {bad} do not match {field.item_pattern}"
        return None
    if field.partial_date:
        try:
            parse_partial_date(value)
        except ValueError as err:
            return str(err)
        return None
    if field.pattern and not re.fullmatch(field.pattern, value):
        return f"does not match the pattern {field.pattern}"
    if field.max_words is not None and len(value.split()) > field.max_words:
        return f"has {len(value.split())} words; at most {field.max_words} allowed"
    return None


def _bound(field: Field, value: str, end: bool):
    if field.partial_date:
        parsed = parse_partial_date(value)
        return parsed.end if end else parsed.start
    return float(value)


def check_table(raw: RawTable) -> list[Problem]:
    """Check one table on its own: cells, required, unique keys, ordered pairs."""
    problems: list[Problem] = []
    table, name = raw.table, raw.file
    bad_cells: set[tuple[str, int]] = set()
    for field in table.fields:
        values = raw.columns[field.name]
        for i, value in enumerate(values):
            if not value:
                if field.required:
                    problems.append(Problem(name, raw.lines[i], field.name, value, "required value is empty"))
                    bad_cells.add((field.name, i))
                continue
            why = _check_cell(field, value)
            if why:
                problems.append(Problem(name, raw.lines[i], field.name, value, why))
                bad_cells.add((field.name, i))
        if field.unique or field.name == table.primary_key:
            seen: dict[str, int] = {}
            for i, value in enumerate(values):
                if value and value in seen:
                    problems.append(
                        Problem(
                            name,
                            raw.lines[i],
                            field.name,
                            value,
                            f"duplicate key; already on line {seen[value]}",
                        )
                    )
                seen.setdefault(value, raw.lines[i])
    for low, high in table.ordered_pairs:
        flow, fhigh = table.field(low), table.field(high)
        for i, (a, b) in enumerate(zip(raw.columns[low], raw.columns[high])):
            if not a or not b or (low, i) in bad_cells or (high, i) in bad_cells:
                continue
            if _bound(flow, a, end=False) > _bound(fhigh, b, end=True):
                what = "comes before" if flow.partial_date else "is less than"
                problems.append(Problem(name, raw.lines[i], high, b, f"{high} {what} {low} ({a})"))
    return problems


def check_references(raws: dict[str, RawTable]) -> list[Problem]:
    """Check foreign keys, and that rows resting on the source library carry an excerpt."""
    problems: list[Problem] = []
    keys = {n: set(r.columns[r.table.primary_key]) for n, r in raws.items()}
    for raw in raws.values():
        for fk in raw.table.foreign_keys:
            if fk.table not in keys:
                continue  # the referenced table could not be read; its problems say why
            field = raw.table.field(fk.field)
            for i, value in enumerate(raw.columns[fk.field]):
                items = value.split(field.delimiter) if field.type == "list" else [value]
                for item in (x.strip() for x in items if x.strip()):
                    if item not in keys[fk.table]:
                        hint = _closest(item, sorted(keys[fk.table]))
                        problems.append(
                            Problem(
                                raw.file,
                                raw.lines[i],
                                fk.field,
                                item,
                                f"no {fk.key} {item!r} in {fk.table}{hint}",
                            )
                        )
    sources = raws.get("sources")
    if sources is not None:
        library = {
            sid
            for sid, flag in zip(sources.columns["source_id"], sources.columns["in_library"])
            if flag in TRUE_VALUES
        }
        for raw in raws.values():
            if "excerpt" not in raw.columns:
                continue
            for i, (sid, excerpt) in enumerate(zip(raw.columns["source_id"], raw.columns["excerpt"])):
                if sid in library and not excerpt:
                    problems.append(
                        Problem(
                            raw.file,
                            raw.lines[i],
                            "excerpt",
                            excerpt,
                            f"required for rows resting on {sid!r}, a text of the source library",
                        )
                    )
    return problems


def read_all(data_dir: str | os.PathLike | None = None) -> dict[str, RawTable]:
    """Read and check every table; raise :class:`DataValidationError` listing all problems."""
    folder = resolve_data_dir(data_dir)
    return _read_all(folder, folder_signature(folder))


def folder_signature(folder: Path) -> tuple:
    """What the cache of checked tables depends on: each file's size and modification time."""
    stats = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name.endswith((".csv", ".json")):
            st = entry.stat()
            stats.append((entry.name, st.st_size, st.st_mtime_ns))
    return tuple(stats)


@lru_cache(maxsize=8)
def _read_all(folder: Path, signature: tuple) -> dict[str, RawTable]:
    schema = load_schema(folder)
    problems: list[Problem] = []
    raws: dict[str, RawTable] = {}
    for table in schema.tables:
        raw = read_raw(table, folder, problems)
        if raw is not None:
            problems.extend(check_table(raw))
            raws[table.name] = raw
    problems.extend(check_references(raws))
    if problems:
        raise DataValidationError(problems)
    return raws


def validate(data_dir: str | os.PathLike | None = None) -> None:
    """Check every table of the data folder; raise one error listing every problem."""
    read_all(data_dir)
