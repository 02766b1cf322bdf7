"""Turning what a visitor types into a point, without any network call.

In order: a US ZIP code; a US "City, ST" (both from zips.tsv in meetings/data); a
postcode or city of our own locations; a world city (GeoNames table in meetings/data); and only when a
geocoder is configured (never by default, never in tests), that geocoder.
Reference tables are static, so they are loaded once per process; listings
are always read from the database.
"""

import bisect
import csv
import difflib
import hashlib
import hmac
import re
import sys
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db.models import Avg, Count, Q, Value
from django.db.models.functions import Lower, Replace
from django.utils.translation import gettext_lazy as _

from meetings import geo, geocoding
from meetings.text import fold as text_fold

DATA = Path(__file__).resolve().parent / "data"
ZIP = re.compile(r"^(\d{5})(?:-\d{4})?$")
MAX_LENGTH = 200
COUNTRY_ALIASES = {"uk": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "usa": "US", "america": "US"}


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    label: str
    timezone: str
    note: str = ""  # what the visitor should know about how we read what they typed


class PlaceNotFound(Exception):
    def __init__(self, query, suggestions=(), message=""):
        super().__init__(query)
        self.query = query
        self.suggestions = list(suggestions)
        self.message = message  # "" for the usual "we couldn't find"


def fold(text):
    """A place name folded as search text is, with dots as spaces: 'St. Louis' -> 'st louis'."""
    return text_fold(text.replace(".", " "))


def load_reference_tables():
    """Load every static table now rather than on a visitor's first search (a worker calls this as it starts)."""
    for table in (us_zip_lines, us_states, us_cities, world_cities, countries, us_labels_by_state, big_world_cities):
        table()


def resolve(text):
    query = " ".join((text or "").split())
    if not query or len(query) > MAX_LENGTH or not any(ch.isalnum() for ch in query):
        raise PlaceNotFound(query[:MAX_LENGTH])
    for finder in (from_zip, from_us_city, from_our_locations, from_world_city):
        place = finder(query)
        if place is not None:
            return place
    if STREET_ADDRESS.search(query):
        return from_street_address(query)
    place = from_geocoder(query)
    if place is not None:
        return place
    raise PlaceNotFound(query, suggestions(query))


# Street addresses ------------------------------------------------------------------

# "100 Main St", "12B Elm Street", "Flat 3, 7 High Road": a number, then a word.
STREET_ADDRESS = re.compile(r"(^|[\s,])\d+[a-z]?\s+[^\W\d]", re.IGNORECASE)
ZIP_IN_TEXT = re.compile(r"\b(\d{5})(?:-\d{4})?\b")
ADDRESS_DECIMALS = 2  # about a kilometre, as "Use my location" rounds in the browser
GEOCODED_SECONDS = 30 * 24 * 3600


def from_street_address(query):
    """A street address: through the configured geocoder, on the server only; else the ZIP code it holds.

    The answer is cached under a keyed hash of the address (never the text
    itself) and rounded to about a kilometre; nothing of it is logged.
    """
    zip_code = ZIP_IN_TEXT.search(query)
    geocoder = geocoding.get_geocoder()
    if geocoder is None:
        if zip_code and (place := from_zip(zip_code.group(1))):
            note = _("Street addresses are not looked up here: we searched near the ZIP code %(zip)s.")
            return replace(place, note=note % {"zip": zip_code.group(1)})
        raise PlaceNotFound(query, message=_("Type a ZIP code or a city: street addresses are not looked up here."))
    try:
        found = geocoded(geocoder, query)
    except Exception:  # GeocoderUnavailable, or any other failure of a service we do not control

        if zip_code and (place := from_zip(zip_code.group(1))):
            note = _("The address service did not answer: we searched near the ZIP code %(zip)s.")
            return replace(place, note=note % {"zip": zip_code.group(1)})
        raise PlaceNotFound(
            query, message=_("The address service did not answer in time. Type a ZIP code or a city.")
        ) from None
    if found is None:
        raise PlaceNotFound(query, message=_("We couldn't find that address. Type a ZIP code or a city."))
    lat, lng = found
    return Place(lat, lng, _("the address you typed"), geo.timezone_at(lat, lng))


def geocoded(geocoder, query):
    """(lat, lng) rounded, or None when not found; asked once per address and month."""
    digest = hmac.new(settings.SECRET_KEY.encode(), text_fold(query).encode(), hashlib.sha256).hexdigest()[:32]
    key = f"geocoded:{digest}"
    cached = django_cache.get(key)
    if cached is not None:
        return tuple(cached) or None
    answer = geocoder.geocode(query)
    found = (round(answer[0], ADDRESS_DECIMALS), round(answer[1], ADDRESS_DECIMALS)) if answer else ()
    django_cache.set(key, found, timeout=GEOCODED_SECONDS if found else 24 * 3600)
    return found or None


# US ZIP codes -------------------------------------------------------------------


class UsZip(NamedTuple):
    """One line of zips.tsv (see meetings/data/build_zips.py)."""

    zip: str
    city: str
    state: str
    latitude: float
    longitude: float
    timezone: str  # "" for military ZIPs
    military: bool


def from_zip(query):
    match = ZIP.match(query)
    z = us_zip(match.group(1)) if match else None
    if z is None:
        return None
    return Place(z.latitude, z.longitude, f"{z.zip} ({z.city.title()}, {z.state})", z.timezone)


@cache
def us_zip_lines():
    """The lines of zips.tsv, in ZIP order, kept as text and split only when their ZIP is asked for.

    Lines of text hold a fraction of what parsed records would, and of what the
    zipcodes package kept for the life of a worker.
    """
    with open(DATA / "zips.tsv", encoding="utf-8") as handle:
        next(handle)  # the header
        return handle.read().splitlines()


def us_zip(code):
    """The UsZip of a five-digit code, or None: a bisection, as every line starts with its code."""
    lines = us_zip_lines()
    i = bisect.bisect_left(lines, code)
    if i < len(lines) and lines[i].startswith(f"{code}\t"):
        return parse_zip_line(lines[i])
    return None


def every_zip():
    """Every UsZip, parsed one at a time."""
    return map(parse_zip_line, us_zip_lines())


def parse_zip_line(line):
    """A UsZip; its state and zone are interned, as every city of us_cities() keeps them for life."""
    code, city, state, latitude, longitude, zone, military = line.split("\t")
    return UsZip(code, city, sys.intern(state), float(latitude), float(longitude), sys.intern(zone), military == "1")


@cache
def us_states():
    """{'az': 'AZ', 'arizona': 'AZ', ...}"""
    names = {}
    for code, name in US_STATE_NAMES.items():
        names[code.lower()] = code
        names[fold(name)] = code
    return names


@cache
def us_cities():
    """{('phoenix', 'AZ'): (lat, lng, zone, 'Phoenix')}: the centroid of each city's ZIP codes."""
    sums = {}
    for z in every_zip():
        if z.military:
            continue
        key = (fold(z.city), z.state)
        lat, lng, n, zone, name = sums.get(key, (0.0, 0.0, 0, z.timezone, z.city.title()))
        sums[key] = (lat + z.latitude, lng + z.longitude, n + 1, zone or z.timezone, name)
    for key, (lat, lng, n, zone, name) in sums.items():  # in place: a second dict would leave holes in memory
        sums[key] = (lat / n, lng / n, zone, name)
    return sums


def split_region(query):
    """'Phoenix, AZ' / 'Phoenix AZ' / 'London, United Kingdom' -> ('phoenix', 'az'); no region -> (q, '')."""
    if "," in query:
        city, _, region = query.rpartition(",")
        return fold(city), fold(region)
    words = fold(query).split()
    for size in (2, 1):  # "new york ny", "salt lake city utah", "portland oregon"
        if len(words) > size and " ".join(words[-size:]) in us_states():
            return " ".join(words[:-size]), " ".join(words[-size:])
    return fold(query), ""


def from_us_city(query):
    city, region = split_region(query)
    state = us_states().get(region)
    if not state:
        return None
    found = us_cities().get((city, state))
    if found is None:
        return None
    lat, lng, zone, name = found
    return Place(round(lat, 4), round(lng, 4), f"{name}, {state}", zone)


# Our own locations ----------------------------------------------------------------


def from_our_locations(query):
    from meetings.models import Location

    pinned = Location.objects.filter(latitude__isnull=False, longitude__isnull=False)
    compact = query.replace(" ", "").lower()
    if any(ch.isdigit() for ch in query) and len(compact) <= 10:
        by_code = pinned.annotate(code=Lower(Replace("postal_code", Value(" "), Value("")))).filter(code=compact)
        place = centre_of(by_code, query.upper())
        if place:
            return place
    city, region = split_region(query)
    if not city:
        return None
    matches = pinned.filter(city__iexact=city)
    if region:
        state = us_states().get(region, region)
        country = COUNTRY_ALIASES.get(region, region).upper()
        matches = matches.filter(Q(state__iexact=state) | Q(country__iexact=country) | Q(state__iexact=region))
    first = matches.values("city", "state", "country").first()
    if first is None:
        return None
    label = ", ".join(part for part in (first["city"], first["state"] or first["country"]) if part)
    return centre_of(matches.filter(state=first["state"], country=first["country"]), label)


def centre_of(locations, label):
    row = locations.aggregate(lat=Avg("latitude"), lng=Avg("longitude"), n=Count("pk"))
    if not row["n"]:
        return None
    return Place(round(row["lat"], 4), round(row["lng"], 4), label, geo.timezone_at(row["lat"], row["lng"]))


# World cities -------------------------------------------------------------------------


@cache
def world_cities():
    """{folded name: [(population, country, lat, lng, zone, display name), ...]} from cities.tsv."""
    table = {}
    with open(DATA / "cities.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            # US cities read "Springfield, MO": GeoNames' admin1 code there is the state's.
            region = row["admin1"] if row["country"] == "US" else row["country"]
            entry = (
                int(row["population"]),
                row["country"],
                float(row["latitude"]),
                float(row["longitude"]),
                row["timezone"],
                f"{row['name']}, {region}",
            )
            for name in {fold(row["name"]), fold(row["ascii_name"] or row["name"])}:
                table.setdefault(name, []).append(entry)
    for entries in table.values():
        entries.sort(reverse=True)
    return table


@cache
def countries():
    """{'gb': 'GB', 'gbr': 'GB', 'united kingdom': 'GB', 'uk': 'GB', ...}"""
    codes = dict(COUNTRY_ALIASES)
    with open(DATA / "countries.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            for key in (row["iso"], row["iso3"], row["name"]):
                codes[fold(key)] = row["iso"]
    return {key: value.upper() for key, value in codes.items()}


def from_world_city(query):
    city, region = split_region(query)
    entries = world_cities().get(city) or world_cities().get(f"{city} city")  # "New York" is "New York City"
    if not entries:
        return None
    if region:
        country = countries().get(region) or ("US" if region in us_states() else None)
        entries = [e for e in entries if e[1] == country]
        if not entries:
            return None
    population, country, lat, lng, zone, label = entries[0]
    return Place(lat, lng, label, zone)


# The optional online geocoder ---------------------------------------------------------------


def from_geocoder(query):
    geocoder = geocoding.get_geocoder()
    if geocoder is None:
        return None
    try:
        found = geocoder.geocode(query)
    except Exception:  # an outage of the geocoder must read as "not found", not as an error page
        return None
    if not found:
        return None
    lat, lng, label = found
    return Place(lat, lng, label, geo.timezone_at(lat, lng))


# Suggestions ----------------------------------------------------------------------------------


@cache
def us_labels_by_state():
    """{'AZ': {'phoenix': 'Phoenix, AZ', ...}}"""
    labels = {}
    for (city, state), (_lat, _lng, _zone, name) in us_cities().items():
        labels.setdefault(state, {})[city] = f"{name}, {state}"
    return labels


@cache
def big_world_cities():
    """{folded name: 'Name, CC'} for cities over 100,000 people, the largest of a name first."""
    labels = {}
    for name, entries in world_cities().items():
        population, _country, _lat, _lng, _zone, label = entries[0]
        if population >= 100_000:
            labels[name] = label
    return labels


def suggestions(query, limit=5):
    """Close spellings: our own cities first, then the state's cities or the world's larger ones."""
    from meetings.models import Location

    city, region = split_region(query)
    ours = {}
    for name, state, country in Location.objects.values_list("city", "state", "country").distinct()[:2000]:
        ours[fold(f"{name}, {state or country}") if region else fold(name)] = f"{name}, {state or country}"
    target = f"{city}, {region}" if region else city
    found = [ours[m] for m in difflib.get_close_matches(target, list(ours), n=limit, cutoff=0.75)]
    state = us_states().get(region)
    pool = us_labels_by_state().get(state, {}) if state else big_world_cities()
    if not state and not region:
        us_big = {c: label for labels in us_labels_by_state().values() for c, label in labels.items()}
        pool = {**us_big, **pool}
    for match in difflib.get_close_matches(city, list(pool), n=limit, cutoff=0.75):
        if pool[match].split(",")[0] not in {f.split(",")[0] for f in found}:
            found.append(pool[match])
    return found[:limit]


US_STATE_NAMES = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "PR": "Puerto Rico",
    "GU": "Guam",
    "VI": "Virgin Islands",
}
