"""Write ``course_lib/assets/iso3166.csv`` from Debian's ``iso-codes`` package.

The event importer (``course_lib.events``) turns the country names and numeric codes of
GTD, UCDP GED and ACLED into the course's ISO 3166-1 alpha-3 codes with this table.
Run it where ``iso-codes`` is installed (``apt-get install iso-codes``)::

    python scripts/iso3166_table.py [/usr/share/iso-codes/json/iso_3166-1.json]
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

SOURCE = Path("/usr/share/iso-codes/json/iso_3166-1.json")
TARGET = Path(__file__).resolve().parent.parent / "course_lib" / "assets" / "iso3166.csv"
COLUMNS = ["alpha_3", "numeric", "name", "common_name", "official_name"]


def main(source: Path = SOURCE) -> None:
    entries = json.loads(source.read_text(encoding="utf-8"))["3166-1"]
    with open(TARGET, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        for entry in sorted(entries, key=lambda e: e["alpha_3"]):
            writer.writerow([entry.get(c, "") for c in COLUMNS])
    print(f"wrote {len(entries)} countries to {TARGET}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE)
