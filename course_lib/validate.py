"""Checking a data folder against its contract: every problem, with file, line, column, value and rule.

Problems are collected, never only the first, and raised together in one
:class:`DataValidationError`. A table either loads whole or raises: no row is ever dropped.
The checks are those of the contract (types, vocabularies, required values, keys, foreign
keys, date order, low ≤ high, excerpt length) and those a spreadsheet makes necessary: a
file saved as UTF-16 or as a workbook, ``;`` as the separator, a quote opened and never
closed (which swallows the following rows into one cell), rows of empty cells, formulas.
Nothing outside the data folder is read: a file that is a link pointing out of it is refused.

Written by hand rather than with frictionless-py, whose import alone costs as much as
pandas' (the course loads at most 1.5 times as slowly as ``import pandas``); the package
still passes ``frictionless validate`` (a test runs it).

Examples
--------
>>> from course_lib import validate
>>> validate()  # the bundled data is valid
>>> print(DataValidationError([Problem("attacks.csv", 3, "date", "2013-13", "bad month")]))
1 problem in the course data:
  attacks.csv, line 3, column 'date', value '2013-13': bad month
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from .dates import parse_partial_date
from .schema import Field, Schema, Table, parse_schema

__all__ = ["DataValidationError", "Problem", "RawTable", "read_folder"]

TRUE_VALUES = frozenset({"true", "True", "TRUE", "1"})
FALSE_VALUES = frozenset({"false", "False", "FALSE", "0"})
PACKAGE = "datapackage.json"
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
    """A table as read from its CSV: text cells keyed by column, and each row's line number."""

    table: Table
    columns: dict[str, list[str]]
    lines: list[int]

    def __len__(self) -> int:
        return len(self.lines)


def _closest(name: str, options: list[str]) -> str:
    near = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    return f"; did you mean {near[0]!r}?" if near else ""


def _read_bytes(folder: Path, name: str, problems: list[Problem]) -> bytes | None:
    """The bytes of ``folder/name``, or ``None`` with the reason in ``problems``."""
    path = folder / name
    try:
        if path.is_symlink() and not path.resolve().is_relative_to(folder.resolve()):
            problems.append(Problem(name, None, None, None, "is a link to a file outside the data folder"))
            return None
        if not path.is_file():
            what = "is a folder, not a file" if path.is_dir() else f"is missing from {str(folder)!r}"
            problems.append(Problem(name, None, None, None, what))
            return None
        return path.read_bytes()
    except OSError as err:
        problems.append(Problem(name, None, None, None, f"cannot be read: {err.strerror or err}"))
        return None


def _decode(name: str, data: bytes, problems: list[Problem]) -> str | None:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        problems.append(Problem(name, 1, None, None, "file is UTF-16 text; save it as CSV UTF-8"))
        return None
    if data[:4] == b"PK\x03\x04":
        problems.append(
            Problem(name, None, None, None, "file is a spreadsheet workbook; save it as CSV UTF-8")
        )
        return None
    nul = data.find(b"\x00")
    if nul >= 0:  # text never holds NUL: a UTF-16 file without its mark, or a damaged one
        line = data[:nul].count(b"\n") + 1
        problems.append(
            Problem(name, line, None, None, "file holds NUL bytes (UTF-16 or damaged?); save it as CSV UTF-8")
        )
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        byte = repr(data[err.start : err.start + 1])[2:-1]
        problems.append(Problem(name, line, None, byte, "file is not UTF-8 text; save it as CSV UTF-8"))
        return None


def read_schema(folder: Path, problems: list[Problem]) -> Schema | None:
    """Parse ``folder/datapackage.json``; ``None`` with the reasons in ``problems``."""
    data = _read_bytes(folder, PACKAGE, problems)
    text = None if data is None else _decode(PACKAGE, data, problems)
    if text is None:
        return None
    try:
        return parse_schema(json.loads(text))
    except json.JSONDecodeError as err:
        problems.append(
            Problem(PACKAGE, err.lineno, None, None, f"is not valid JSON: {err.msg} (column {err.colno})")
        )
    except (ValueError, KeyError, TypeError) as err:
        problems.append(Problem(PACKAGE, None, None, None, f"is not a valid data package: {err}"))
    return None


def _header_problems(name: str, header: list[str], expected: list[str]) -> list[Problem]:
    problems = []
    missing = [c for c in expected if c not in header]
    if len(header) == 1 and ";" in header[0]:
        return [
            Problem(
                name, 1, None, header[0][:60], "the header has no commas: save the file with ',' as separator"
            )
        ]
    for col in header:
        if col not in expected:
            hint = _closest(col, missing or expected)
            if col != col.strip():
                hint = "; remove the spaces around the name"
            problems.append(Problem(name, 1, col, None, f"unknown column{hint}"))
    for col in missing:
        problems.append(Problem(name, 1, col, None, "required column is missing from the header"))
    dupes = sorted({c for c in header if header.count(c) > 1})
    if dupes:
        problems.append(Problem(name, 1, None, None, f"header repeats {dupes}"))
    if not problems and header != expected:
        problems.append(
            Problem(
                name,
                1,
                None,
                None,
                "columns are not in the order datapackage.json declares "
                f"({', '.join(expected)}); move them back (Frictionless reads columns by position)",
            )
        )
    return problems


def read_table(table: Table, folder: Path, problems: list[Problem]) -> RawTable | None:
    """Read ``table``'s CSV as text cells, appending what is wrong to ``problems``.

    Returns ``None`` when the file cannot be read as a table at all (missing, not UTF-8 text,
    a column missing); the problems say why.
    """
    name = table.path
    data = _read_bytes(folder, name, problems)
    text = None if data is None else _decode(name, data, problems)
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        problems.append(Problem(name, 1, None, None, "file is empty; it needs a header row"))
        return None
    except csv.Error as err:
        problems.append(Problem(name, 1, None, None, f"malformed CSV header: {err}"))
        return None
    found = _header_problems(name, header, table.field_names)
    problems.extend(found)
    if any("missing from the header" in p.rule or "no commas" in p.rule for p in found):
        return None
    index = {c: header.index(c) for c in table.field_names}
    columns: dict[str, list[str]] = {c: [] for c in table.field_names}
    lines: list[int] = []
    start = reader.line_num + 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not cells:
                continue  # a blank line is not a record
            if reader.line_num + 1 - line > 1:
                problems.append(
                    Problem(
                        name,
                        line,
                        None,
                        None,
                        f"a cell runs over {reader.line_num + 1 - line} lines: "
                        'a quote (") opened and not closed? Every row must stay on its line',
                    )
                )
                continue
            if not any(c.strip() for c in cells):
                problems.append(Problem(name, line, None, None, "row has only empty cells; delete it"))
                continue
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
        problems.append(Problem(name, start, None, None, f"malformed CSV from this line on: {err}"))
    return RawTable(table, columns, lines)


def _check_cell(field: Field, value: str) -> str | None:
    """Why ``value`` breaks ``field``'s rules, or ``None``."""
    if value.startswith("=") and len(value) > 1:
        return "looks like a spreadsheet formula, not a value"
    if field.type == "integer":
        if not _INTEGER.fullmatch(value):
            return "must be a whole number (no decimals, spaces or thousands separators)"
        number: float | None = int(value)
    elif field.type == "number":
        try:
            number = float(value)
        except ValueError:
            return "must be a number (with '.' as the decimal point)"
        if not math.isfinite(number):
            return "must be a finite number"
    elif field.type == "boolean":
        return None if value in TRUE_VALUES | FALSE_VALUES else "must be true or false"
    else:
        number = None
    if number is not None:
        if field.minimum is not None and number < field.minimum:
            counts = " (counts cannot be negative)" if field.minimum == 0 else ""
            return f"must be at least {field.minimum:g}{counts}"
        if field.maximum is not None and number > field.maximum:
            return f"must be at most {field.maximum:g}"
        return None
    if field.enum is not None:
        if value in field.enum:
            return None
        return f"must be one of {', '.join(field.enum)}{_closest(value, list(field.enum))}"
    if field.type == "list":
        items = [i.strip() for i in value.split(field.delimiter)]
        if any(not i for i in items):
            return f"list has an empty item (items are separated by {field.delimiter!r})"
        bad = [i for i in items if field.item_pattern and not re.fullmatch(field.item_pattern, i)]
        return f"items {bad} do not match {field.item_pattern}" if bad else None
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
    """Check one table on its own: cells, required values, unique keys, ordered pairs."""
    problems: list[Problem] = []
    table, name = raw.table, raw.table.path
    bad: set[tuple[str, int]] = set()
    for field in table.fields:
        for i, value in enumerate(raw.columns[field.name]):
            why = (
                ("required value is empty" if field.required else None)
                if not value
                else _check_cell(field, value)
            )
            if why:
                problems.append(Problem(name, raw.lines[i], field.name, value, why))
                bad.add((field.name, i))
        if field.unique:
            problems += _duplicates(raw, (field.name,))
    if len(table.primary_key) > 1 or not table.field(table.primary_key[0]).unique:
        problems += _duplicates(raw, table.primary_key)
    for low, high in table.ordered_pairs:
        flow, fhigh = table.field(low), table.field(high)
        for i, (a, b) in enumerate(zip(raw.columns[low], raw.columns[high])):
            if a and b and (low, i) not in bad and (high, i) not in bad:
                if _bound(flow, a, end=False) > _bound(fhigh, b, end=True):
                    what = "comes before" if flow.partial_date else "is less than"
                    problems.append(Problem(name, raw.lines[i], high, b, f"{high} {what} {low} ({a})"))
    return problems


def _duplicates(raw: RawTable, key: tuple[str, ...]) -> list[Problem]:
    seen: dict[tuple[str, ...], int] = {}
    out = []
    for i, values in enumerate(zip(*(raw.columns[c] for c in key))):
        if all(values) and values in seen:
            value = " + ".join(values)
            out.append(
                Problem(
                    raw.table.path,
                    raw.lines[i],
                    " + ".join(key),
                    value,
                    f"duplicate key; already on line {seen[values]}",
                )
            )
        seen.setdefault(values, raw.lines[i])
    return out


def check_references(raws: dict[str, RawTable]) -> list[Problem]:
    """Foreign keys, and an excerpt on every row resting on a text of the source library."""
    problems: list[Problem] = []
    keys = {
        n: set(r.columns[r.table.primary_key[0]]) for n, r in raws.items() if len(r.table.primary_key) == 1
    }
    for raw in raws.values():
        for fk in raw.table.foreign_keys:
            if fk.table not in keys:
                continue  # the referenced table could not be read; its problems say why
            for i, value in enumerate(raw.columns[fk.field]):
                if value and value not in keys[fk.table]:
                    hint = _closest(value, sorted(keys[fk.table]))
                    problems.append(
                        Problem(
                            raw.table.path,
                            raw.lines[i],
                            fk.field,
                            value,
                            f"no {fk.key} {value!r} in {fk.table}{hint}",
                        )
                    )
    sources = raws.get("sources")
    if sources is not None and "in_library" in sources.columns:
        library = {
            s for s, f in zip(sources.columns["source_id"], sources.columns["in_library"]) if f in TRUE_VALUES
        }
        for raw in raws.values():
            if "excerpt" in raw.columns and "source_id" in raw.columns:
                for i, (sid, excerpt) in enumerate(zip(raw.columns["source_id"], raw.columns["excerpt"])):
                    if sid in library and not excerpt:
                        problems.append(
                            Problem(
                                raw.table.path,
                                raw.lines[i],
                                "excerpt",
                                excerpt,
                                f"required for rows resting on {sid!r}, a text of the source library",
                            )
                        )
    groups = raws.get("groups")
    if groups is not None and "parent_id" in groups.columns:
        for i, (gid, parent) in enumerate(zip(groups.columns["group_id"], groups.columns["parent_id"])):
            if gid and gid == parent:
                problems.append(
                    Problem(
                        groups.table.path,
                        groups.lines[i],
                        "parent_id",
                        parent,
                        "a group cannot be its own parent",
                    )
                )
    return problems


def read_folder(folder: Path) -> tuple[Schema, dict[str, RawTable]]:
    """Read and check every table of ``folder``; raise :class:`DataValidationError` listing all problems."""
    problems: list[Problem] = []
    schema = read_schema(folder, problems)
    raws: dict[str, RawTable] = {}
    if schema is not None:
        for table in schema.tables:
            raw = read_table(table, folder, problems)
            if raw is not None:
                problems.extend(check_table(raw))
                raws[table.name] = raw
        problems.extend(check_references(raws))
    if problems:
        raise DataValidationError(problems)
    return schema, raws
