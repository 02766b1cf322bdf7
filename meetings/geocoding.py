"""The optional online geocoder, behind one small interface.

Off unless settings.GEOCODER names one ("nominatim"): searches and saves then
never leave the machine. Tests replace get_geocoder() with a fake.
"""

from django.conf import settings


class NominatimGeocoder:
    """OpenStreetMap's Nominatim through geopy, at its usage policy's one request per second."""

    def __init__(self, user_agent):
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import Nominatim

        self._geocode = RateLimiter(Nominatim(user_agent=user_agent, timeout=5).geocode, min_delay_seconds=1)

    def geocode(self, text):
        """(latitude, longitude, label) or None; network and service errors read as None."""
        from geopy.exc import GeopyError

        try:
            found = self._geocode(text)
        except (GeopyError, OSError, ValueError):
            return None
        return (found.latitude, found.longitude, found.address) if found else None


def get_geocoder():
    name = settings.GEOCODER
    if not name:
        return None
    if name == "nominatim":
        return NominatimGeocoder(settings.GEOCODER_USER_AGENT)
    raise ValueError(f"Unknown GEOCODER {name!r}: use '' (off) or 'nominatim'.")
