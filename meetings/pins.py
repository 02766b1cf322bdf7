"""Putting a location on the map: through the configured geocoder, never blocking a save."""

from meetings import geo, geocoding
from meetings.models import PinSource

GEOCODED, FAILED, SKIPPED = "geocoded", "failed", "skipped"


def locate(location):
    """Pin `location` from its address if it may be; returns GEOCODED, FAILED or SKIPPED.

    Never raises and never moves a pin a volunteer set by hand. With no
    geocoder configured (the default), or when the address is not found, an
    unpinned location is flagged so that the data-quality list shows it.
    """
    if location.approximate or (location.pin_source == PinSource.MANUAL and location.has_pin):
        return SKIPPED
    geocoder = geocoding.get_geocoder()
    found = None
    if geocoder is not None and location.address:
        try:
            found = geocoder.geocode(location.formatted_address())
        except Exception:  # a geocoder must never cost a volunteer their edit
            found = None
    if found is None:
        if not location.has_pin:
            location.pin_source = PinSource.FAILED
            return FAILED
        return SKIPPED
    location.latitude, location.longitude = found[0], found[1]
    location.pin_source = PinSource.GEOCODER
    if not location.timezone:
        location.timezone = geo.timezone_at(location.latitude, location.longitude)
    return GEOCODED
