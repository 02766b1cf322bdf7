"""Points, distances and bounding boxes.

Distances are great-circle distances on a sphere of the Earth's mean radius,
the model of `geopy.distance.great_circle` (tests check the SQL against it).
"""

import math
from typing import NamedTuple

from django.db.models import F, FloatField, Func
from geopy.distance import EARTH_RADIUS

KM_PER_MILE = 1.609344


class Box(NamedTuple):
    south: float
    north: float
    west: float
    east: float


def to_km(distance, units):
    return distance * KM_PER_MILE if units == "mi" else distance


def from_km(distance_km, units):
    return distance_km / KM_PER_MILE if units == "mi" else distance_km


def bounding_box(latitude, longitude, radius_km):
    """A latitude/longitude box that contains every point within radius_km.

    Near the poles, or when the box would cross the antimeridian, longitude
    is left unbounded rather than split in two.
    """
    dlat = math.degrees(radius_km / EARTH_RADIUS)
    south, north = max(latitude - dlat, -90.0), min(latitude + dlat, 90.0)
    widest = max(abs(south), abs(north))
    if widest >= 89.9:
        return Box(south, north, -180.0, 180.0)
    dlng = math.degrees(radius_km / (EARTH_RADIUS * math.cos(math.radians(widest))))
    west, east = longitude - dlng, longitude + dlng
    if west < -180.0 or east > 180.0:
        return Box(south, north, -180.0, 180.0)
    return Box(south, north, west, east)


def distance_expression(latitude, longitude, lat_field="location__latitude", lng_field="location__longitude"):
    """Haversine distance in km from a point to a row's coordinates, as SQL."""
    return GreatCircleKm(latitude, longitude, F(lat_field), F(lng_field))


class GreatCircleKm(Func):
    """The haversine distance in km from a fixed point to the coordinates `lat` and `lng`, in one expression.

    Written as one SQL template rather than a tree of Django's functions
    (Radians, Sin, Power...): the tree was compiled and hashed node by node,
    twice per search (its select and its where), some 1.5 ms of a near
    search's Python. The SQL is the same.
    """

    output_field = FloatField()
    arity = 2

    def __init__(self, latitude, longitude, lat, lng):
        super().__init__(lat, lng)
        self.origin = (math.radians(latitude), math.radians(longitude))

    def as_sql(self, compiler, connection, **extra_context):
        (lat, lat_params), (lng, lng_params) = (compiler.compile(arg) for arg in self.get_source_expressions())
        lat1, lng1 = self.origin
        least = "MIN" if connection.vendor == "sqlite" else "LEAST"  # LEAST(.., 1) guards asin() against rounding
        sql = (
            f"({2 * EARTH_RADIUS!r} * ASIN({least}(SQRT(POWER(SIN((RADIANS({lat}) - %s) / 2), 2)"
            f" + %s * COS(RADIANS({lat})) * POWER(SIN((RADIANS({lng}) - %s) / 2), 2)), 1.0)))"
        )
        return sql, (*lat_params, lat1, math.cos(lat1), *lat_params, *lng_params, lng1)


def great_circle_km(a, b):
    """The same distance in Python, for two (lat, lng) pairs."""
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * EARTH_RADIUS * math.asin(min(1.0, math.sqrt(h)))


def timezone_at(latitude, longitude):
    """The IANA zone at a point, offline (tzfpy), or '' when unknown."""
    from tzfpy import get_tz

    name = get_tz(longitude, latitude)
    return name if name and "/" in name else ""
