"""Regenerate zips.tsv from the zipcodes package (run once per zipcodes release, output committed).

    python -m meetings.data.build_zips

A worker reads our table rather than the package: the package holds every
field of every ZIP in memory for the life of the process, where places.py
reads seven of them. Only ZIPs with coordinates are written, sorted by code
(places.py finds a ZIP by bisection), one per line, as the package spells them.
"""

import csv
from pathlib import Path

import zipcodes

HERE = Path(__file__).resolve().parent
COLUMNS = ["zip", "city", "state", "latitude", "longitude", "timezone", "military"]


def rows():
    """Our columns for each ZIP with coordinates, in ZIP order."""
    for z in sorted(zipcodes.list_all(), key=lambda z: z["zip_code"]):
        if not has_coordinates(z):
            continue
        military = "1" if z["zip_code_type"] == "MILITARY" else ""
        yield [z["zip_code"], z["city"], z["state"], z["lat"], z["long"], z["timezone"] or "", military]


def has_coordinates(z):
    """The package writes 0, 0 where it has no point: such a ZIP was searched in the Gulf of Guinea,
    and dragged its city's centre there (Los Angeles's by over 100 km)."""
    return bool(z.get("lat")) and (float(z["lat"]), float(z["long"])) != (0.0, 0.0)


def check(row):
    """places.py splits lines on tabs, unquoted: refuse a value that would need quoting."""
    for value in row:
        if any(ch in value for ch in '\t\n\r"'):
            raise ValueError(f"{row[0]}: {value!r} cannot be written unquoted")
    return row


def main():
    with open(HERE / "zips.tsv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE)
        writer.writerow(COLUMNS)
        count = 0
        for row in rows():
            writer.writerow(check(row))
            count += 1
    print(f"{count} ZIP codes (zipcodes {zipcodes.__version__}) written to {HERE / 'zips.tsv'}")


if __name__ == "__main__":
    main()
