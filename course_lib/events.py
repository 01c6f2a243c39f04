"""Read a downloaded GTD, UCDP GED or ACLED file into the course's attacks contract.

``import_events(path)`` detects the dataset from the file's columns and returns a table with
the columns and dtypes of :func:`~course_lib.data.load_attacks`, then ``dataset``,
``dataset_event_id`` and ``actor_name`` (the actor as the dataset names it). Every mapping
rule is documented in ``data/EVENT_DATASETS.md``; the code tables below are that
documentation's source.

- Dates become the course's partial dates (``date``: as precise as the dataset allows) and
  date ranges (``date_start``/``date_end``: the first and last day the event may cover).
- Casualties are ranges; a blank cell or a dataset's "unknown" code stays empty (never 0).
- The actor becomes a ``group_id`` through ``data/crosswalk.csv`` (the exact name), then the
  registry's names and aliases compared with :func:`~course_lib.groups.normalise_name`;
  an actor with no match keeps its name with an empty ``group_id`` and is counted in
  ``frame.attrs["unmatched_actors"]``. ``frame.attrs["actor_matches"]`` says which rule
  matched each name.
- A file that is none of the three, or lacks a column the mapping needs, raises
  :class:`~course_lib.validate.DataValidationError`. Rows that do not fit the layout raise too;
  a cell that breaks its codebook (a month of 13, a code the codebook does not list) is
  reported with its line in ``frame.attrs["problems"]`` (or raises with ``strict=True``) and
  left empty; its row is kept.
- The result is cached in the user's cache folder (``$XDG_CACHE_HOME/course_lib/events``,
  by default ``~/.cache/course_lib/events``), keyed by the file's path, size and time and by
  the importer's version and the course data, so a second import of the unchanged file
  only reads the cache.

Examples
--------
An invented two-row UCDP GED file (made up for this example, in the dataset's layout):

>>> import tempfile
>>> ged = Path(tempfile.mkdtemp()) / "GEDEvent_v0_0.csv"
>>> _ = ged.write_text(
...     "id,type_of_violence,side_a,side_b,where_prec,where_coordinates,adm_1,latitude,longitude,country,"
...     "date_prec,date_start,date_end,best,high,low\\n"
...     "1,3,AQIM,Civilians,1,Invented town,,36.7,3.1,Algeria,1,2007-04-11,2007-04-11,30,35,28\\n"
...     "2,1,Government of Algeria,Invented Front,4,,,,,Algeria,4,2007-05-01,2007-05-31,,,\\n")
>>> events = import_events(ged, cache=False, verbose=False)
>>> events.loc[0, ["group_id", "country", "killed_low", "killed_high", "date"]].astype(str).tolist()
['aqim', 'DZA', '28', '35', '2007-04-11']
>>> events.loc[1, "date"], events.attrs["unmatched_actors"], list(events.columns[-3:])
('2007-05', {'Invented Front': 1}, ['dataset', 'dataset_event_id', 'actor_name'])
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import os
import pickle
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from .data import PathLike, data_version, load_attacks, load_groups, load_table
from .dates import PRECISIONS
from .groups import normalise_name
from .validate import DataValidationError, Problem

__all__ = ["DATASETS", "IMPORTER_VERSION", "cache_folder", "detect_dataset", "import_events"]

#: Bumped whenever a mapping changes, so that cached imports are redone.
IMPORTER_VERSION = "1"

#: The datasets ``import_events`` reads, by the name used in ``dataset`` and the crosswalk.
DATASETS = ("gtd", "ucdp_ged", "acled")

EXTRA_COLUMNS = ("dataset", "dataset_event_id", "actor_name")

#: GTD's 135 columns in the order of START's CSV (as in public copies of the file).
GTD_COLUMNS = (
    "eventid iyear imonth iday approxdate extended resolution country country_txt region region_txt "
    "provstate city latitude longitude specificity vicinity location summary crit1 crit2 crit3 doubtterr "
    "alternative alternative_txt multiple success suicide attacktype1 attacktype1_txt attacktype2 "
    "attacktype2_txt attacktype3 attacktype3_txt targtype1 targtype1_txt targsubtype1 targsubtype1_txt "
    "corp1 target1 natlty1 natlty1_txt targtype2 targtype2_txt targsubtype2 targsubtype2_txt corp2 target2 "
    "natlty2 natlty2_txt targtype3 targtype3_txt targsubtype3 targsubtype3_txt corp3 target3 natlty3 "
    "natlty3_txt gname gsubname gname2 gsubname2 gname3 gsubname3 motive guncertain1 guncertain2 "
    "guncertain3 individual nperps nperpcap claimed claimmode claimmode_txt claim2 claimmode2 "
    "claimmode2_txt claim3 claimmode3 claimmode3_txt compclaim weaptype1 weaptype1_txt weapsubtype1 "
    "weapsubtype1_txt weaptype2 weaptype2_txt weapsubtype2 weapsubtype2_txt weaptype3 weaptype3_txt "
    "weapsubtype3 weapsubtype3_txt weaptype4 weaptype4_txt weapsubtype4 weapsubtype4_txt weapdetail nkill "
    "nkillus nkillter nwound nwoundus nwoundte property propextent propextent_txt propvalue propcomment "
    "ishostkid nhostkid nhostkidus nhours ndays divert kidhijcountry ransom ransomamt ransomamtus "
    "ransompaid ransompaidus ransomnote hostkidoutcome hostkidoutcome_txt nreleased addnotes scite1 scite2 "
    "scite3 dbsource INT_LOG INT_IDEO INT_MISC INT_ANY related"
).split()

#: UCDP GED's 49 columns (version 23.1 as distributed).
UCDP_GED_COLUMNS = (
    "id relid year active_year code_status type_of_violence conflict_dset_id conflict_new_id "
    "conflict_name dyad_dset_id dyad_new_id dyad_name side_a_dset_id side_a_new_id side_a side_b_dset_id "
    "side_b_new_id side_b number_of_sources source_article source_office source_date source_headline "
    "source_original where_prec where_coordinates where_description adm_1 adm_2 latitude longitude "
    "geom_wkt priogrid_gid country country_id region event_clarity date_prec date_start date_end "
    "deaths_a deaths_b deaths_civilians deaths_unknown best high low gwnoa gwnob"
).split()

#: ACLED's columns in the order of its codebook's "Data columns at a glance".
ACLED_COLUMNS = (
    "event_id_cnty event_date year time_precision disorder_type event_type sub_event_type actor1 "
    "assoc_actor_1 inter1 actor2 assoc_actor_2 inter2 interaction civilian_targeting iso region country "
    "admin1 admin2 admin3 location latitude longitude geo_precision source source_scale notes fatalities "
    "tags timestamp"
).split()

#: The columns each mapping needs (lower case); a file without one of them is refused.
REQUIRED = {
    "gtd": (
        "eventid iyear imonth iday approxdate extended resolution country_txt provstate city latitude "
        "longitude specificity summary doubtterr success suicide attacktype1 attacktype1_txt targtype1 "
        "targtype1_txt target1 gname guncertain1 claimed nkill nwound ishostkid nhostkid"
    ).split(),
    "ucdp_ged": (
        "id type_of_violence side_a side_b where_prec where_coordinates adm_1 latitude longitude country "
        "date_prec date_start date_end best high low"
    ).split(),
    "acled": (
        "event_id_cnty event_date time_precision event_type sub_event_type actor1 actor2 iso country admin1 "
        "location latitude longitude geo_precision notes fatalities"
    ).split(),
}
#: Columns used when present (older exports lack them).
OPTIONAL = {"gtd": [], "ucdp_ged": ["event_clarity"], "acled": ["civilian_targeting", "timestamp"]}
#: A few columns that only one dataset has: how a file is recognised.
SIGNATURES = {
    "gtd": {"eventid", "iyear", "gname", "attacktype1", "nkill"},
    "ucdp_ged": {"date_prec", "where_prec", "side_a", "type_of_violence", "best"},
    "acled": {"event_id_cnty", "event_date", "actor1", "sub_event_type", "fatalities"},
}

# --- code tables (each is a row of the tables in data/EVENT_DATASETS.md) ----------------

#: GTD attacktype1 (codebook codes 1-9) → the course's attack_type.
GTD_ATTACK_TYPES = {
    1: "assassination",
    2: "armed_assault",
    3: "bombing",
    4: "hijacking",
    5: "hostage_barricade",
    6: "hostage_kidnapping",
    7: "facility_attack",
    8: "unarmed_assault",
    9: "unknown",
}
#: GTD targtype1 (codes 1-22) → target_type; GTD categories the course lacks become "other".
GTD_TARGET_TYPES = {
    1: "business",
    2: "government",
    3: "police",
    4: "military",
    5: "other",
    6: "transport",
    7: "diplomatic",
    8: "other",
    9: "other",
    10: "media",
    11: "transport",
    12: "ngo",
    13: "other",
    14: "civilians",
    15: "religious",
    16: "other",
    17: "other",
    18: "tourists",
    19: "transport",
    20: "unknown",
    21: "energy",
    22: "other",
}
#: GTD specificity (1-5) → geo_precision: what the coordinates stand for.
GTD_SPECIFICITY = {1: "place", 2: "admin1", 3: "admin1", 4: "admin1", 5: "country"}
#: UCDP where_prec (1-7) → geo_precision.
UCDP_WHERE_PREC = {
    1: "exact",
    2: "place",
    3: "admin1",
    4: "admin1",
    5: "country",
    6: "country",
    7: "unknown",
}
#: UCDP type_of_violence (1-3), as the description names it.
UCDP_VIOLENCE = {1: "state-based conflict", 2: "non-state conflict", 3: "one-sided violence"}
#: UCDP date_prec (1-5) → the finest precision the partial date may claim.
UCDP_DATE_CAP = {1: 2, 2: 1, 3: 1, 4: 1, 5: 0}
#: ACLED geo_precision (1-3) → geo_precision.
ACLED_GEO_PRECISION = {1: "place", 2: "place", 3: "admin1"}
#: ACLED time_precision (1-3) → days either side of event_date, and the precision cap.
ACLED_TIME_PRECISION = {1: (0, 2), 2: (3, 1), 3: (0, 1)}
#: ACLED sub_event_type → attack_type (the nearest of the course's types; "unknown" otherwise).
ACLED_SUB_EVENT_TYPES = {
    "Armed clash": "armed_assault",
    "Government regains territory": "armed_assault",
    "Non-state actor overtakes territory": "armed_assault",
    "Attack": "armed_assault",
    "Abduction/forced disappearance": "hostage_kidnapping",
    "Sexual violence": "unknown",
    "Air/drone strike": "air_strike",
    "Suicide bomb": "bombing",
    "Remote explosive/landmine/IED": "bombing",
    "Grenade": "bombing",
    "Shelling/artillery/missile attack": "bombing",
    "Chemical weapon": "unknown",
    "Excessive force against protesters": "armed_assault",
    "Violent demonstration": "unknown",
    "Mob violence": "unknown",
    "Peaceful protest": "unknown",
    "Protest with intervention": "unknown",
    "Looting/property destruction": "unknown",
    "Agreement": "unknown",
    "Arrests": "unknown",
    "Change to group/activity": "unknown",
    "Disrupted weapons use": "unknown",
    "Headquarters or base established": "unknown",
    "Non-violent transfer of territory": "unknown",
    "Other": "unknown",
}
#: Country names of the datasets that ISO 3166 spells otherwise (seen in public code that
#: reads UCDP's and GTD's files). Historical states (Soviet Union, Yugoslavia, Zaire, ...)
#: are left unmapped on purpose.
COUNTRY_ALIASES = {
    "Russia (Soviet Union)": "RUS",
    "Yemen (North Yemen)": "YEM",
    "DR Congo (Zaire)": "COD",
    "Cambodia (Kampuchea)": "KHM",
    "Myanmar (Burma)": "MMR",
    "Serbia (Yugoslavia)": "SRB",
    "Madagascar (Malagasy)": "MDG",
    "Vietnam (North Vietnam)": "VNM",
    "Zimbabwe (Rhodesia)": "ZWE",
    "Kingdom of eSwatini (Swaziland)": "SWZ",
    "Macedonia, FYR": "MKD",
    "Bosnia-Herzegovina": "BIH",
    "Ivory Coast": "CIV",
    "Turkey": "TUR",
    "Russia": "RUS",
    "West Bank and Gaza Strip": "PSE",
}
#: Values GTD writes for "not known" in its place columns.
GTD_UNKNOWN_TEXT = {"Unknown", "unknown"}

_MONTHS = {
    m: i
    for i, m in enumerate(
        "january february march april may june july august september october november december".split(), 1
    )
}
_MONTH_RE = "(" + "|".join(_MONTHS) + ")"
#: approxdate forms read: "March 2, 2015", "March 2-5, 2015", "March 30-April 2, 2015",
#: "March 2015", "3/2/2015" (month first). Other forms leave the date at month precision.
_APPROX_RANGE = re.compile(
    rf"^\s*{_MONTH_RE}\s+(\d{{1,2}})\s*(?:[-\u2013]\s*(?:{_MONTH_RE}\s+)?(\d{{1,2}}))?\s*,?\s*(\d{{4}})\s*$",
    re.IGNORECASE,
)
_APPROX_MONTH = re.compile(rf"^\s*{_MONTH_RE}\s*,?\s*(\d{{4}})\s*$", re.IGNORECASE)
_SLASH_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY_WORDS = re.compile(rf"^\s*(\d{{1,2}})[\s-]+{_MONTH_RE}[\s-]+(\d{{4}})\s*$", re.IGNORECASE)
_DMY_DASH = re.compile(r"^\s*(\d{1,2})-(\d{1,2})-(\d{4})\s*$")

_ASSETS = Path(__file__).resolve().parent / "assets"
_PROGRESS_MIN_BYTES = 20_000_000
_CHUNK_ROWS = 50_000
_EXCERPT_WORDS = 40


# --- reading ----------------------------------------------------------------------------


def _encoding(path: Path) -> str:
    """``utf-8-sig`` when every byte decodes as UTF-8, else ``latin-1`` (which always decodes)."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        with open(path, "rb") as fh:
            while block := fh.read(1 << 24):
                decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "latin-1"
    return "utf-8-sig"


def _is_excel(path: Path) -> bool:
    return path.suffix.lower() in {".xlsx", ".xlsm", ".xls"}


def _excel_engine() -> str:
    for module, engine in (("python_calamine", "calamine"), ("openpyxl", "openpyxl")):
        try:
            __import__(module)
        except ImportError:
            continue
        return engine
    raise ImportError(
        "reading an Excel file needs the package python-calamine (fast) or openpyxl: "
        "pip install python-calamine, or save the sheet as CSV"
    )


def _header(path: Path, encoding: str) -> list[str]:
    if _is_excel(path):
        return [str(c) for c in pd.read_excel(path, nrows=0, engine=_excel_engine()).columns]
    with open(path, encoding=encoding, newline="") as fh:
        return next(csv.reader(fh), [])


def detect_dataset(columns) -> str | None:
    """The dataset whose distinctive columns the header has, or ``None``.

    >>> detect_dataset(["event_id_cnty", "event_date", "actor1", "sub_event_type"])
    'acled'
    >>> detect_dataset(["a", "b"]) is None
    True
    """
    lower = {str(c).strip().lower() for c in columns}
    scores = {name: len(sig & lower) for name, sig in SIGNATURES.items()}
    best = max(scores, key=scores.get)
    others = [s for n, s in scores.items() if n != best]
    return best if scores[best] >= 2 and scores[best] > max(others) else None


def _check_widths(path: Path, encoding: str, width: int) -> None:
    """Raise, listing every line, if a record has more or fewer fields than the header.

    pandas pads short rows and, reading some columns only, ignores extra fields: so the
    record lengths are counted first (one fast pass), and the lines found only when one is off.
    """
    with open(path, encoding=encoding, newline="") as fh:
        reader = csv.reader(fh)
        next(reader, None)
        try:
            lengths = Counter(map(len, reader))
        except csv.Error:
            lengths = Counter({-1: 1})
    if set(lengths) - {0, width}:
        raise DataValidationError(_bad_lines(path, encoding, width))


def _record_lines(path: Path, encoding: str) -> np.ndarray:
    """The line each record starts on (a quoted field may span lines; blank lines are skipped)."""
    starts = []
    with open(path, encoding=encoding, newline="") as fh:
        reader = csv.reader(fh)
        next(reader, None)
        start = reader.line_num + 1
        for cells in reader:
            if cells:
                starts.append(start)
            start = reader.line_num + 1
    return np.array(starts, dtype="int64")


def _bad_lines(path: Path, encoding: str, width: int) -> list[Problem]:
    """Every record whose number of fields differs from the header's (a full, slow scan)."""
    problems = []
    with open(path, encoding=encoding, newline="") as fh:
        reader = csv.reader(fh)
        next(reader, None)
        start = reader.line_num + 1
        try:
            for cells in reader:
                line, start = start, reader.line_num + 1
                if cells and len(cells) != width:
                    rule = f"row has {len(cells)} fields, the header has {width}"
                    problems.append(Problem(path.name, line, None, None, rule))
        except csv.Error as err:
            problems.append(Problem(path.name, start, None, None, f"malformed CSV: {err}"))
    return problems


class _Progress:
    """A one-line progress bar on stderr: ``import_events [#####.....]  52%``."""

    def __init__(self, total: int, show: bool):
        self.total, self.show, self.drawn = max(total, 1), show, -1

    def update(self, done: int) -> None:
        pct = min(100, int(100 * done / self.total))
        if self.show and pct != self.drawn:
            bar = "#" * (pct // 5) + "." * (20 - pct // 5)
            print(f"\rimport_events [{bar}] {pct:3d}%", end="", file=sys.stderr, flush=True)
            self.drawn = pct

    def close(self) -> None:
        if self.show:
            self.update(self.total)
            print(file=sys.stderr, flush=True)


def _read(path: Path, encoding: str, header: list[str], wanted: list[str], show: bool) -> pd.DataFrame:
    """The wanted columns (lower-case names) as text, ``""`` for an empty cell."""
    by_lower = {c.strip().lower(): c for c in header}
    usecols = [by_lower[c] for c in wanted]
    rename = {by_lower[c]: c for c in wanted}
    if _is_excel(path):
        if show:
            print(f"import_events: reading {path.name} (Excel) ...", file=sys.stderr)
        frame = pd.read_excel(path, usecols=usecols, dtype=str, engine=_excel_engine())
        # Excel stores whole numbers as floats: "197001000001.0" is the id 197001000001.
        return frame.rename(columns=rename).fillna("").replace(r"^(-?\d+)\.0$", r"\1", regex=True)
    _check_widths(path, encoding, len(header))
    progress = _Progress(path.stat().st_size, show)
    chunks = []
    try:
        with open(path, "rb") as fh:
            reader = pd.read_csv(
                fh,
                encoding=encoding,
                usecols=usecols,
                dtype=str,
                keep_default_na=False,
                chunksize=_CHUNK_ROWS,
            )
            for chunk in reader:
                chunks.append(chunk)
                progress.update(fh.tell())
    except pd.errors.ParserError as err:
        problems = _bad_lines(path, encoding, len(header)) or [
            Problem(path.name, None, None, None, f"cannot be read as CSV: {err}")
        ]
        raise DataValidationError(problems) from None
    finally:
        progress.close()
    frame = pd.concat(chunks, ignore_index=True) if chunks else pd.DataFrame(columns=usecols, dtype=str)
    return frame.rename(columns=rename)


# --- cell conversion ----------------------------------------------------------------------


class _Context:
    """What the mappers share: the raw text, the file name and the problems found."""

    def __init__(self, raw: pd.DataFrame, file: str):
        self.raw, self.file, self.found = raw, file, []
        self.n = len(raw)

    def problems(self, lines: np.ndarray | None = None) -> list[Problem]:
        """The problems found, with each record's line (by default: record number + 1)."""
        lines = np.arange(self.n) + 2 if lines is None else lines
        return [
            Problem(self.file, int(lines[i]), col, value, rule) for i, col, value, rule in sorted(self.found)
        ]

    def text(self, col: str, unknown=frozenset()) -> np.ndarray:
        """The column as an object array, ``None`` for an empty cell (or one of ``unknown``)."""
        values = self.raw[col].str.strip().to_numpy(dtype=object, na_value=None)
        values[values == ""] = None
        for word in unknown:
            values[values == word] = None
        return values

    def report(self, col: str, mask: np.ndarray, rule: str) -> None:
        values = self.raw[col].to_numpy(dtype=object)
        self.found.extend((i, col, str(values[i]), rule) for i in np.flatnonzero(mask))

    def number(self, col: str, *, integer=False, codes=None, unknown=(), lo=None, hi=None) -> np.ndarray:
        """The column as float64: NaN when empty, an ``unknown`` code, or breaking the codebook."""
        text = self.text(col)
        values = pd.to_numeric(pd.Series(text, dtype=object), errors="coerce").to_numpy(dtype="float64")
        number = ~np.isnan(values)
        malformed = pd.notna(text) & ~number
        if integer:
            malformed |= number & (np.nan_to_num(values) % 1 != 0)
        self.report(col, malformed, "must be a whole number" if integer else "must be a number")
        ok = number & ~malformed
        is_unknown = ok & np.isin(values, list(unknown))
        broken = malformed | is_unknown
        if codes is not None:
            outside = ok & ~is_unknown & ~np.isin(values, list(codes))
            self.report(col, outside, f"is not a code of the codebook ({_codes(codes, unknown)})")
            broken |= outside
        bounds = [
            (lo, values < (lo if lo is not None else 0), "at least"),
            (hi, values > (hi if hi is not None else 0), "at most"),
        ]
        for limit, beyond, word in bounds:
            if limit is not None:
                out = ok & ~broken & beyond
                self.report(col, out, f"must be {word} {limit:g}")
                broken |= out
        values = values.copy()
        values[broken] = np.nan
        return values


def _codes(codes, unknown) -> str:
    listed = sorted(int(c) for c in codes)
    text = f"{listed[0]}-{listed[-1]}" if listed == list(range(listed[0], listed[-1] + 1)) else str(listed)
    return text + (f"; unknown: {sorted(int(u) for u in unknown)}" if unknown else "")


def _lookup(values: np.ndarray, table: dict, default=None) -> np.ndarray:
    out = np.full(len(values), default, dtype=object)
    for key, target in table.items():
        out[values == key] = target
    return out


def _join(*parts: np.ndarray) -> np.ndarray:
    """Join per-row texts with "; ", skipping empty ones."""
    out = np.full(len(parts[0]), "", dtype=object)
    for part in parts:
        part = np.asarray(part, dtype=object)
        has = pd.notna(part) & (part != "")
        both = has & (out != "")
        out[both] = out[both] + "; " + part[both].astype(str)
        only = has & (out == "")
        out[only] = part[only].astype(str)
    out[out == ""] = None
    return out


def _label(prefix: str, values: np.ndarray) -> np.ndarray:
    out = np.full(len(values), None, dtype=object)
    known = np.array([v is not None for v in values])
    out[known] = prefix + values[known].astype(str)
    return out


def _format_codes(prefix: str, values: np.ndarray) -> np.ndarray:
    out = np.full(len(values), None, dtype=object)
    known = ~np.isnan(values)
    out[known] = [f"{prefix}{int(v)}" for v in values[known]]
    return out


def _excerpt(values: np.ndarray) -> np.ndarray:
    """The first 40 words of the dataset's own text (whitespace runs become one space)."""
    out = np.full(len(values), None, dtype=object)
    for i, v in enumerate(values):
        if v:
            words = v.split(None, _EXCERPT_WORDS)
            out[i] = " ".join(words[:_EXCERPT_WORDS])
    return out


# --- dates ------------------------------------------------------------------------------

_NAT = np.datetime64("NaT", "D")


def _days(year, month, day) -> np.ndarray:
    """datetime64[D] from float arrays (NaN → NaT); impossible dates are NaT."""
    year, month, day = (np.asarray(a, dtype="float64") for a in (year, month, day))
    ok = ~(np.isnan(year) | np.isnan(month) | np.isnan(day))
    y, m, d = (np.where(ok, a, 1).astype("int64") for a in (year, month, day))
    months = (y - 1970) * 12 + (m - 1)
    first = months.astype("datetime64[M]").astype("datetime64[D]")
    length = ((months + 1).astype("datetime64[M]").astype("datetime64[D]") - first).astype("int64")
    ok &= (m >= 1) & (m <= 12) & (d >= 1) & (d <= length) & (y >= 1)
    out = first + (d - 1)
    out[~ok] = _NAT
    return out


def _month_end(days: np.ndarray) -> np.ndarray:
    return (days.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1


def _partial(start: np.ndarray, text_end: np.ndarray, cap: np.ndarray):
    """The partial date covering ``start``..``text_end``, no finer than ``cap`` (0 year ... 2 day).

    Returns the text, the precision code and that partial date's first and last day.
    """
    known = ~np.isnat(start)
    same_year = start.astype("datetime64[Y]") == text_end.astype("datetime64[Y]")
    same_month = start.astype("datetime64[M]") == text_end.astype("datetime64[M]")
    common = np.where(start == text_end, 2, np.where(same_month, 1, 0))
    common[~same_year] = 0
    prec = np.minimum(common, np.nan_to_num(cap, nan=0).astype(int))
    iso = np.datetime_as_string(np.where(known, start, np.datetime64("2000-01-01")), unit="D").astype(object)
    text = np.where(prec == 2, iso, np.where(prec == 1, [s[:7] for s in iso], [s[:4] for s in iso]))
    text = text.astype(object)
    text[~known] = None
    first = np.where(
        prec == 2, start, np.where(prec == 1, start.astype("datetime64[M]"), start.astype("datetime64[Y]"))
    ).astype("datetime64[D]")
    last = np.where(
        prec == 2,
        start,
        np.where(
            prec == 1, _month_end(start), (start.astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1
        ),
    ).astype("datetime64[D]")
    first[~known], last[~known] = _NAT, _NAT
    return text, np.where(known, prec, -1), first, last


def _dates(start, text_end, end, cap, widen) -> dict[str, object]:
    """The four date columns: ``date``, ``date_start``, ``date_end``, ``date_precision``.

    ``start``/``end`` are the dataset's own range; where ``widen`` is true the range grows to
    cover the whole partial date (a month or year the dataset only narrows to).
    """
    text, prec, first, last = _partial(start, text_end, cap)
    lo = np.where(widen & (first < start), first, start)
    hi = np.where(widen & (last > end), last, end)
    hi = np.where(np.isnat(hi) | (hi < lo), lo, hi)
    labels = np.array([None, *PRECISIONS], dtype=object)[prec + 1]
    return {"date": text, "date_start": lo, "date_end": hi, "date_precision": labels}


def _month_numbers(names: pd.Series) -> np.ndarray:
    return names.str.lower().map(_MONTHS).to_numpy(dtype="float64", na_value=np.nan)


def _ints(frame: pd.DataFrame, col) -> np.ndarray:
    return pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _parse_day(values: np.ndarray, forms=("iso", "slash", "words", "dash")) -> np.ndarray:
    """datetime64[D] from texts in the listed forms; NaT for anything else (vectorised)."""
    text = pd.Series(values, dtype=object)
    out = np.full(len(values), _NAT)
    for form in forms:
        todo = np.flatnonzero(np.isnat(out) & pd.notna(values))
        if not len(todo):
            break
        sub = text.iloc[todo].astype(str)
        if form == "iso":
            m = sub.str.extract(_ISO_DATE)
            y, mo, d = _ints(m, 0), _ints(m, 1), _ints(m, 2)
        elif form == "slash":
            m = sub.str.extract(_SLASH_DATE)
            mo, d, y = _ints(m, 0), _ints(m, 1), _ints(m, 2)
        elif form == "words":
            m = sub.str.extract(_DMY_WORDS)
            d, mo, y = _ints(m, 0), _month_numbers(m[1]), _ints(m, 2)
        else:
            m = sub.str.extract(_DMY_DASH)
            d, mo, y = _ints(m, 0), _ints(m, 1), _ints(m, 2)
        out[todo] = _days(y, mo, d)
    return out


def _approx_range(values: np.ndarray):
    """GTD approxdate → (first, last) days; NaT where the text is none of the read forms."""
    first, last = np.full(len(values), _NAT), np.full(len(values), _NAT)
    todo = np.flatnonzero(pd.notna(values))
    if not len(todo):
        return first, last
    sub = pd.Series(values[todo], dtype=object).astype(str)
    m = sub.str.extract(_APPROX_RANGE)
    y, d1 = _ints(m, 4), _ints(m, 1)
    mo1 = _month_numbers(m[0])
    mo2 = np.where(m[2].isna(), mo1, _month_numbers(m[2].fillna("")))
    d2 = np.where(m[3].isna(), d1, _ints(m, 3))
    a, b = _days(y, mo1, d1), _days(y, mo2, d2)
    ok = ~np.isnat(a) & ~np.isnat(b) & (a <= b)
    first[todo[ok]], last[todo[ok]] = a[ok], b[ok]
    m = sub.str.extract(_APPROX_MONTH)
    a = _days(_ints(m, 1), _month_numbers(m[0]), np.ones(len(sub)))
    ok = ~np.isnat(a) & np.isnat(first[todo])
    first[todo[ok]], last[todo[ok]] = a[ok], _month_end(a[ok])
    day = _parse_day(sub.to_numpy(dtype=object), forms=("slash",))
    ok = ~np.isnat(day) & np.isnat(first[todo])
    first[todo[ok]], last[todo[ok]] = day[ok], day[ok]
    return first, last


# --- countries and actors -------------------------------------------------------------------


def _countries():
    table = pd.read_csv(_ASSETS / "iso3166.csv", dtype=str, keep_default_na=False)
    by_name: dict[str, str] = {}
    for col in ("name", "common_name", "official_name"):
        for name, code in zip(table[col], table["alpha_3"]):
            if name:
                by_name.setdefault(normalise_name(name), code)
    for name, code in COUNTRY_ALIASES.items():
        by_name[normalise_name(name)] = code
    by_number = {int(n): c for n, c in zip(table["numeric"], table["alpha_3"])}
    return by_name, by_number


def _country(names: np.ndarray, numbers: np.ndarray | None = None) -> np.ndarray:
    by_name, by_number = _countries()
    uniques = {n: by_name.get(normalise_name(n)) for n in set(names) if n}
    out = np.array([uniques.get(n) if n else None for n in names], dtype=object)
    if numbers is not None:
        coded = np.array([by_number.get(int(v)) if v == v else None for v in numbers], dtype=object)
        out = np.where(pd.notna(coded), coded, out)
    return out


def _actor_index(dataset: str, data_dir: PathLike):
    """name → (group_id, rule) for the crosswalk's names and the registry's names and aliases."""
    crosswalk = load_table("crosswalk", data_dir)
    crosswalk = crosswalk[crosswalk["dataset"] == dataset]
    exact = dict(zip(crosswalk["actor_name"], crosswalk["group_id"]))
    normalised: dict[str, set[str]] = {}
    for name, gid in exact.items():
        normalised.setdefault(normalise_name(name), set()).add(gid)
    registry: dict[str, set[str]] = {}
    groups = load_groups(data_dir)
    for gid, name, aliases in zip(groups["group_id"], groups["name"], groups["aliases"]):
        for label in (gid, name, *aliases):
            registry.setdefault(normalise_name(label), set()).add(gid)

    def match(name: str):
        if name in exact:
            return exact[name], "crosswalk"
        key = normalise_name(name)
        for rule, index in (("crosswalk, normalised name", normalised), ("registry name or alias", registry)):
            found = index.get(key, set())
            if len(found) == 1:
                return next(iter(found)), rule
            if found:
                return None, f"ambiguous: {', '.join(sorted(found))}"
        return None, "no match"

    return match


def _unmapped(country: np.ndarray, name: np.ndarray, dataset: str) -> np.ndarray:
    """A note with the dataset's country name where no ISO code was found."""
    return np.where(pd.isna(country) & pd.notna(name), _label(f"country as {dataset} names it: ", name), None)


def _choose_actor(first: np.ndarray, second: np.ndarray, match, fallback_second: np.ndarray):
    """Per row, the actor that maps to a course group: the first, else the second, else the default."""
    names = {n for n in (*first, *second) if n}
    found = {n: match(n) for n in names}
    g1 = np.array([found[n][0] if n else None for n in first], dtype=object)
    g2 = np.array([found[n][0] if n else None for n in second], dtype=object)
    use_second = pd.isna(g1) & (pd.notna(g2) | fallback_second)
    actor = np.where(use_second, second, first)
    other = np.where(use_second, first, second)
    group = np.where(use_second, g2, g1)
    return actor, other, group, use_second, found


# --- the three mappings -----------------------------------------------------------------------


def _from_gtd(ctx: _Context, match) -> dict[str, object]:
    n = ctx.n
    year = ctx.number("iyear", integer=True, lo=1)
    month = ctx.number("imonth", integer=True, codes=range(0, 13))
    day = ctx.number("iday", integer=True, codes=range(0, 32))
    month[month == 0] = np.nan
    day[(day == 0) | np.isnan(month)] = np.nan
    exact_day = _days(year, month, day)
    impossible = ~np.isnan(day) & np.isnat(exact_day)
    ctx.report("iday", impossible, "is not a day of that month; the date keeps its month")
    day[impossible] = np.nan
    start = _days(year, np.nan_to_num(month, nan=1), np.nan_to_num(day, nan=1))
    end = np.where(
        ~np.isnan(day), start, np.where(~np.isnan(month), _month_end(start), _days(year, [12] * n, [31] * n))
    ).astype("datetime64[D]")
    cap = np.where(~np.isnan(day), 2, np.where(~np.isnan(month), 1, 0))
    text_end = start.copy()
    widen = np.zeros(n, bool)
    approx = ctx.text("approxdate")
    a_first, a_last = _approx_range(approx)
    with_approx = pd.notna(approx)
    parsed = (
        with_approx & ~np.isnat(a_first) & (a_first.astype("datetime64[Y]") == start.astype("datetime64[Y]"))
    )
    start = np.where(parsed, a_first, start)
    end = np.where(parsed, a_last, end)
    text_end = np.where(parsed, a_last, text_end)
    cap = np.where(parsed, 2, np.where(with_approx, np.minimum(cap, 1), cap))
    widen |= with_approx & ~parsed
    extended = ctx.number("extended", integer=True, codes=(0, 1))
    resolution = _parse_day(ctx.text("resolution"), forms=("iso", "slash"))
    multi = (extended == 1) & ~np.isnat(resolution) & (resolution >= start)
    end = np.where(multi & (resolution > end), resolution, end)
    dates = _dates(start, text_end, end, cap, widen)

    gname = ctx.text("gname")
    names = {g: match(g) for g in set(gname) if g}
    group = np.array([names[g][0] if g else None for g in gname], dtype=object)
    claimed = ctx.number("claimed", integer=True, codes=(0, 1), unknown=(-9,))
    uncertain = ctx.number("guncertain1", integer=True, codes=(0, 1))
    unknown_actor = np.array([g is None or g in GTD_UNKNOWN_TEXT for g in gname])
    attribution = np.where(
        unknown_actor,
        "unknown",
        np.where(claimed == 1, "claimed", np.where(uncertain == 1, "suspected", "attributed")),
    )
    specificity = ctx.number("specificity", integer=True, codes=GTD_SPECIFICITY)
    lat = ctx.number("latitude", lo=-90, hi=90)
    lon = ctx.number("longitude", lo=-180, hi=180)
    lat[specificity == 5], lon[specificity == 5] = np.nan, np.nan
    attack = ctx.number("attacktype1", integer=True, codes=GTD_ATTACK_TYPES)
    target = ctx.number("targtype1", integer=True, codes=GTD_TARGET_TYPES)
    success = ctx.number("success", integer=True, codes=(0, 1))
    suicide = ctx.number("suicide", integer=True, codes=(0, 1))
    doubt = ctx.number("doubtterr", integer=True, codes=(0, 1), unknown=(-9,))
    killed = ctx.number("nkill", lo=0, unknown=(-99, -9))
    wounded = ctx.number("nwound", lo=0, unknown=(-99, -9))
    hostages = ctx.number("nhostkid", lo=0, unknown=(-99, -9))
    is_hostage = ctx.number("ishostkid", integer=True, codes=(0, 1), unknown=(-9,))
    hostages_low = np.where(
        np.isnan(hostages), np.where(is_hostage == 1, 1, np.where(is_hostage == 0, 0, np.nan)), hostages
    )
    hostages_high = np.where(np.isnan(hostages) & (is_hostage == 1), np.nan, hostages_low)
    country_txt = ctx.text("country_txt")
    country = _country(country_txt)
    eventid = ctx.text("eventid")
    approx_note = _label("GTD approxdate: ", approx)
    approx_note[parsed] = None
    return {
        **dates,
        "attack_id": _label("gtd_", eventid),
        "group_id": group,
        "attribution": attribution,
        "country": country,
        "admin1": ctx.text("provstate", GTD_UNKNOWN_TEXT),
        "place": ctx.text("city", GTD_UNKNOWN_TEXT),
        "latitude": lat,
        "longitude": lon,
        "geo_precision": _lookup(specificity, GTD_SPECIFICITY, "unknown"),
        "attack_type": _lookup(attack, GTD_ATTACK_TYPES, "unknown"),
        "suicide": np.where(np.isnan(suicide), np.nan, suicide == 1),
        "target_type": _lookup(target, GTD_TARGET_TYPES, "unknown"),
        "target": ctx.text("target1", GTD_UNKNOWN_TEXT),
        "outcome": np.where(success == 0, "failed", "carried_out"),
        "killed_low": killed,
        "killed_high": killed,
        "wounded_low": wounded,
        "wounded_high": wounded,
        "hostages_low": hostages_low,
        "hostages_high": hostages_high,
        "description": _label("GTD: ", ctx.text("attacktype1_txt")),
        "locator": _label("eventid ", eventid),
        "excerpt": _excerpt(ctx.text("summary")),
        "evidence_level": np.where((doubt == 1) | (uncertain == 1), "suspected", "reported"),
        "note": _join(
            _label("GTD target: ", ctx.text("targtype1_txt")),
            _label("GTD specificity ", _format_codes("", specificity)),
            np.where(doubt == 1, "GTD doubtterr 1 (doubt that it is terrorism)", None),
            approx_note,
            np.where(extended == 1, _label("GTD resolution: ", ctx.text("resolution")), None),
            _unmapped(country, country_txt, "GTD"),
        ),
        "dataset_event_id": eventid,
        "actor_name": gname,
        "_actors": names,
    }


def _from_ucdp(ctx: _Context, match) -> dict[str, object]:
    n = ctx.n
    violence = ctx.number("type_of_violence", integer=True, codes=UCDP_VIOLENCE)
    prec = ctx.number("date_prec", integer=True, codes=UCDP_DATE_CAP)
    start = _parse_day(ctx.text("date_start"), forms=("iso",))
    end = _parse_day(ctx.text("date_end"), forms=("iso",))
    bad_start = pd.notna(ctx.text("date_start")) & np.isnat(start)
    ctx.report("date_start", bad_start, "is not a date (YYYY-MM-DD)")
    bad_end = pd.notna(ctx.text("date_end")) & np.isnat(end)
    ctx.report("date_end", bad_end, "is not a date (YYYY-MM-DD)")
    end = np.where(np.isnat(end), start, end)
    cap = _lookup(prec, UCDP_DATE_CAP, 2).astype(int)
    text_end = np.where(prec == 1, start, end)
    widen = (prec == 4) | (prec == 5)
    dates = _dates(start, text_end, end, cap, widen)

    side_a, side_b = ctx.text("side_a"), ctx.text("side_b")
    actor, other, group, _, names = _choose_actor(side_a, side_b, match, violence == 1)
    where = ctx.number("where_prec", integer=True, codes=UCDP_WHERE_PREC)
    low = ctx.number("low", lo=0)
    best = ctx.number("best", lo=0)
    high = ctx.number("high", lo=0)
    clarity = (
        ctx.number("event_clarity", integer=True, codes=(1, 2))
        if "event_clarity" in ctx.raw
        else np.full(n, np.nan)
    )
    country_txt = ctx.text("country")
    country = _country(country_txt)
    event_id = ctx.text("id")
    return {
        **dates,
        "attack_id": _label("ucdp_ged_", event_id),
        "group_id": group,
        "attribution": np.where(violence == 3, "attributed", "unknown"),
        "country": country,
        "admin1": ctx.text("adm_1"),
        "place": ctx.text("where_coordinates"),
        "latitude": ctx.number("latitude", lo=-90, hi=90),
        "longitude": ctx.number("longitude", lo=-180, hi=180),
        "geo_precision": _lookup(where, UCDP_WHERE_PREC, "unknown"),
        "attack_type": np.full(n, "unknown", dtype=object),
        "suicide": np.full(n, np.nan),
        "target_type": np.where(violence == 3, "civilians", "unknown"),
        "target": np.where(violence == 3, other, None),
        "outcome": np.full(n, "carried_out", dtype=object),
        "killed_low": low,
        "killed_high": high,
        "description": _label("UCDP GED: ", _lookup(violence, UCDP_VIOLENCE)),
        "locator": _label("id ", event_id),
        "evidence_level": np.where(clarity == 2, "suspected", "reported"),
        "note": _join(
            _label("UCDP best estimate ", _format_codes("", best)),
            _label("other side: ", other),
            _format_codes("UCDP date_prec ", prec),
            _format_codes("UCDP where_prec ", where),
            np.where(clarity == 2, "UCDP event_clarity 2", None),
            _unmapped(country, country_txt, "UCDP"),
        ),
        "dataset_event_id": event_id,
        "actor_name": actor,
        "_actors": names,
    }


def _from_acled(ctx: _Context, match) -> dict[str, object]:
    n = ctx.n
    raw_date = ctx.text("event_date")
    day = _parse_day(raw_date, forms=("iso", "words", "dash"))
    ctx.report(
        "event_date", pd.notna(raw_date) & np.isnat(day), "is not a date (YYYY-MM-DD or 16 February 2023)"
    )
    prec = ctx.number("time_precision", integer=True, codes=ACLED_TIME_PRECISION)
    spread = np.array([ACLED_TIME_PRECISION.get(p, (0, 2))[0] for p in prec], dtype="int64")
    cap = np.array([ACLED_TIME_PRECISION.get(p, (0, 2))[1] for p in prec])
    start, end = day - spread, day + spread
    dates = _dates(start, end, end, cap, prec == 3)

    event_type, sub_type = ctx.text("event_type"), ctx.text("sub_event_type")
    actor1, actor2 = ctx.text("actor1"), ctx.text("actor2")
    actor, other, group, second, names = _choose_actor(actor1, actor2, match, np.zeros(n, bool))
    against_civilians = event_type == "Violence against civilians"
    targeting = ctx.text("civilian_targeting") if "civilian_targeting" in ctx.raw else np.full(n, None)
    geo = ctx.number("geo_precision", integer=True, codes=ACLED_GEO_PRECISION)
    fatalities = ctx.number("fatalities", integer=True, lo=0)
    fatalities[fatalities == 0] = np.nan  # ACLED: "No information on fatalities is recorded as 0"
    iso = ctx.number("iso", integer=True, lo=0)
    country_txt = ctx.text("country")
    country = _country(country_txt, iso)
    known_type = np.array([s in ACLED_SUB_EVENT_TYPES for s in sub_type])
    ctx.report(
        "sub_event_type", pd.notna(sub_type) & ~known_type, "is not a sub-event type of ACLED's codebook"
    )
    event_id = ctx.text("event_id_cnty")
    attack_ids = np.array([f"acled_{v.lower()}" if v else None for v in event_id], dtype=object)
    return {
        **dates,
        "attack_id": attack_ids,
        "group_id": group,
        "attribution": np.where(against_civilians & ~second, "attributed", "unknown"),
        "country": country,
        "admin1": ctx.text("admin1"),
        "place": ctx.text("location"),
        "latitude": ctx.number("latitude", lo=-90, hi=90),
        "longitude": ctx.number("longitude", lo=-180, hi=180),
        "geo_precision": _lookup(geo, ACLED_GEO_PRECISION, "unknown"),
        "attack_type": np.array([ACLED_SUB_EVENT_TYPES.get(s, "unknown") for s in sub_type], dtype=object),
        "suicide": np.where(sub_type == "Suicide bomb", True, np.nan),
        "target_type": np.where(
            against_civilians | (targeting == "Civilians targeted"), "civilians", "unknown"
        ),
        "target": np.where(against_civilians & ~second, other, None),
        "outcome": np.full(n, "carried_out", dtype=object),
        "killed_low": fatalities,
        "killed_high": np.full(n, np.nan),
        "description": _label(
            "ACLED: ", np.where(pd.notna(sub_type), event_type + " / " + sub_type, event_type)
        ),
        "locator": _label("event_id_cnty ", event_id),
        "excerpt": _excerpt(ctx.text("notes")),
        "evidence_level": np.full(n, "reported", dtype=object),
        "note": _join(
            _format_codes("ACLED time_precision ", prec),
            _format_codes("ACLED geo_precision ", geo),
            _label("other actor: ", other),
            _unmapped(country, country_txt, "ACLED"),
        ),
        "dataset_event_id": event_id,
        "actor_name": actor,
        "_actors": names,
    }


_MAPPERS = {"gtd": _from_gtd, "ucdp_ged": _from_ucdp, "acled": _from_acled}


# --- assembly ----------------------------------------------------------------------------


def _column(values, dtype, n: int):
    if values is None:
        values = np.full(n, np.nan)
    if isinstance(dtype, pd.CategoricalDtype):
        return pd.Categorical(np.asarray(values, dtype=object), dtype=dtype)
    if str(dtype) == "Int64":
        v = np.asarray(values, dtype="float64")
        return pd.arrays.IntegerArray(np.nan_to_num(v).astype("int64"), np.isnan(v))
    if str(dtype) == "boolean":
        v = np.asarray(values, dtype="float64")
        return pd.arrays.BooleanArray(np.nan_to_num(v).astype(bool), np.isnan(v))
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return np.asarray(values, dtype="datetime64[D]").astype(dtype)
    if dtype == "float64":
        return np.asarray(values, dtype="float64")
    v = np.asarray(values, dtype=object)
    v[pd.isna(v)] = None
    return pd.array(v, dtype=dtype)


def _assemble(columns: dict, template: pd.DataFrame, n: int) -> pd.DataFrame:
    data = {name: _column(columns.get(name), dtype, n) for name, dtype in template.dtypes.items()}
    text = template.dtypes["attack_id"]
    for name in EXTRA_COLUMNS:
        data[name] = _column(columns.get(name), text, n)
    return pd.DataFrame(data)


def _version(path: Path, dataset: str, ctx: _Context) -> str:
    """The dataset's version, from the file name (GTD, UCDP) or the latest ACLED timestamp."""
    stem = path.stem.lower()
    if dataset == "gtd" and (m := re.search(r"(\d{4})dist", stem)):
        return m.group(1)
    if dataset == "ucdp_ged" and (m := re.search(r"v(\d{2})[._-](\d)|ged(\d{2})(\d)\b", stem)):
        major, minor = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        return f"{major}_{minor}"
    if dataset == "acled" and "timestamp" in ctx.raw:
        stamps = pd.to_numeric(pd.Series(ctx.text("timestamp")), errors="coerce")
        if stamps.notna().any():
            return pd.Timestamp(int(stamps.max()), unit="s").strftime("%Y_%m_%d")
    return "unknown"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "unknown"


# --- cache --------------------------------------------------------------------------------


def cache_folder() -> Path:
    """Where imports are cached: ``$XDG_CACHE_HOME/course_lib/events`` or ``~/.cache/...``.

    >>> cache_folder().parts[-2:]
    ('course_lib', 'events')
    """
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "course_lib" / "events"


def _cache_key(path: Path, dataset: str | None, version: str | None, data_dir: PathLike) -> str:
    st = path.stat()
    parts = [
        str(path.resolve()),
        st.st_size,
        st.st_mtime_ns,
        IMPORTER_VERSION,
        dataset,
        version,
        data_version(data_dir),
        pd.__version__,
    ]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:32]


def _cache_load(key: str) -> pd.DataFrame | None:
    file = cache_folder() / f"{key}.pickle"
    try:
        with open(file, "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None


def _cache_save(key: str, frame: pd.DataFrame) -> None:
    folder = cache_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as fh:
            pickle.dump(frame, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(fh.name, folder / f"{key}.pickle")
    except OSError as err:  # a read-only home must not stop the import
        print(f"import_events: could not cache the import in {folder}: {err}", file=sys.stderr)


# --- the public function ------------------------------------------------------------------


def _summary(frame: pd.DataFrame) -> str:
    a = frame.attrs
    n = len(frame)
    lines = [f"import_events: {n:,} events from {a['file']} ({a['dataset']}, source_id {a['source_id']})"]
    unmatched = sum(a["unmatched_actors"].values())
    if unmatched:
        top = ", ".join(f"{k} ({v:,})" for k, v in list(a["unmatched_actors"].items())[:5])
        lines.append(f"  {unmatched:,} events have an actor with no course group; the most frequent: {top}")
    if a["unmapped_countries"]:
        top = ", ".join(f"{k} ({v:,})" for k, v in list(a["unmapped_countries"].items())[:5])
        lines.append(
            f"  {sum(a['unmapped_countries'].values()):,} events keep a country name without ISO code: {top}"
        )
    if a["problems"]:
        lines.append(
            f"  {len(a['problems']):,} cells broke the codebook and were left empty; "
            f"first: {a['problems'][0]}"
        )
    return "\n".join(lines)


def import_events(
    path: str | os.PathLike,
    dataset: str | None = None,
    *,
    version: str | None = None,
    cache: bool = True,
    progress: bool | None = None,
    strict: bool = False,
    verbose: bool = True,
    data_dir: PathLike = None,
) -> pd.DataFrame:
    """Read a GTD, UCDP GED or ACLED file into the attacks contract (see the module's docstring).

    Parameters
    ----------
    path
        The file as downloaded: GTD's CSV or XLSX, UCDP GED's CSV, or an ACLED CSV export.
    dataset
        ``"gtd"``, ``"ucdp_ged"`` or ``"acled"``; ``None`` detects it from the columns.
    version
        The dataset's version for ``source_id`` (``gtd_0718``, ``ucdp_ged_23_1``); by default
        read from the file name (GTD, UCDP) or the latest ACLED ``timestamp``.
    cache
        Reuse (and store) the import in :func:`cache_folder` while the file is unchanged.
    progress
        Draw a progress bar on stderr; by default for files over 20 MB.
    strict
        Raise :class:`DataValidationError` for cells that break the codebook instead of
        reporting them in ``attrs["problems"]`` and leaving them empty.
    verbose
        Print a summary (unmatched actors, unmapped countries, problems) to stderr.
    data_dir
        The course data folder whose crosswalk and registry map the actors.

    Examples
    --------
    >>> import tempfile
    >>> other = Path(tempfile.mkdtemp()) / "notes.csv"
    >>> _ = other.write_text("title,body\\nx,y\\n")
    >>> import_events(other)
    Traceback (most recent call last):
    ...
    course_lib.validate.DataValidationError: 1 problem in the course data:
      notes.csv, line 1: is not a GTD, UCDP GED or ACLED file (its columns: title, body); pass dataset= to say which
    """
    path = Path(path)
    if dataset is not None and dataset not in DATASETS:
        raise ValueError(f"dataset must be one of {', '.join(DATASETS)}, but {dataset!r} was passed")
    if not path.is_file():
        raise FileNotFoundError(f"no file {str(path)!r}")
    key = _cache_key(path, dataset, version, data_dir) if cache else None
    if key and (cached := _cache_load(key)) is not None:
        if verbose:
            print(_summary(cached), file=sys.stderr)
        return cached

    encoding = "utf-8-sig" if _is_excel(path) else _encoding(path)
    try:
        header = _header(path, encoding)
    except (UnicodeDecodeError, ValueError, OSError) as err:
        raise DataValidationError(
            [Problem(path.name, 1, None, None, f"cannot read the header: {err}")]
        ) from None
    lower = [h.strip().lower() for h in header]
    found = detect_dataset(lower)
    chosen = dataset or found
    if chosen is None:
        shown = ", ".join(header[:8]) + (", ..." if len(header) > 8 else "")
        rule = (
            f"is not a GTD, UCDP GED or ACLED file (its columns: {shown or 'none'}); "
            "pass dataset= to say which"
        )
        raise DataValidationError([Problem(path.name, 1, None, None, rule)])
    missing = [c for c in REQUIRED[chosen] if c not in lower]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        rule = f"lacks the {chosen} column{plural} {', '.join(missing)} that the import needs"
        raise DataValidationError([Problem(path.name, 1, c, None, rule) for c in missing])
    wanted = REQUIRED[chosen] + [c for c in OPTIONAL[chosen] if c in lower]
    show = progress if progress is not None else path.stat().st_size >= _PROGRESS_MIN_BYTES
    raw = _read(path, encoding, header, wanted, show)

    ctx = _Context(raw, path.name)
    match = _actor_index(chosen, data_dir)
    columns = _MAPPERS[chosen](ctx, match)
    problems = ctx.problems(None if not ctx.found or _is_excel(path) else _record_lines(path, encoding))
    if strict and problems:
        raise DataValidationError(problems)
    source_id = f"{chosen}_{_slug(version or _version(path, chosen, ctx))}"
    columns["source_id"] = np.full(ctx.n, source_id, dtype=object)
    columns["dataset"] = np.full(ctx.n, chosen, dtype=object)
    actors = columns.pop("_actors")
    frame = _assemble(columns, load_attacks(data_dir).iloc[:0], ctx.n)

    counts = Counter(
        n for n, g in zip(frame["actor_name"], frame["group_id"]) if isinstance(n, str) and g != g
    )
    country_name = {"gtd": "country_txt"}.get(chosen, "country")
    unmapped = Counter(
        c for c, iso in zip(raw[country_name], frame["country"]) if c.strip() and not isinstance(iso, str)
    )
    frame.attrs.update(
        {
            "dataset": chosen,
            "file": str(path.resolve()),
            "source_id": source_id,
            "encoding": encoding,
            "importer_version": IMPORTER_VERSION,
            "actor_matches": {
                name: {"group_id": g, "rule": rule} for name, (g, rule) in sorted(actors.items())
            },
            "unmatched_actors": dict(counts.most_common()),
            "unmapped_countries": dict(unmapped.most_common()),
            "problems": [str(p) for p in problems],
        }
    )
    if key:
        _cache_save(key, frame)
    if verbose:
        print(_summary(frame), file=sys.stderr)
    return frame
