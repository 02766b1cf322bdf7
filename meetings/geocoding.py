"""The optional online geocoder, behind one small interface.

Off unless settings.GEOCODER names one ("nominatim"): searches and saves then
never leave the machine. Tests replace get_geocoder() with a fake.
"""

import json

from django.conf import settings


class NominatimGeocoder:
    """OpenStreetMap's Nominatim through geopy, at its usage policy's one request per second."""

    def __init__(self, user_agent):
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import Nominatim

        service = Nominatim(user_agent=user_agent, timeout=5, adapter_factory=outbound_adapter())
        self._geocode = RateLimiter(service.geocode, min_delay_seconds=1)

    def geocode(self, text):
        """(latitude, longitude, label) or None; network and service errors read as None."""
        from geopy.exc import GeopyError

        try:
            found = self._geocode(text)
        except (GeopyError, OSError, ValueError):
            return None
        return (found.latitude, found.longitude, found.address) if found else None


def outbound_adapter():
    """A geopy adapter that fetches through meetings.outbound: public addresses only, bounded in time and size."""
    from geopy.adapters import BaseSyncAdapter
    from geopy.exc import GeocoderServiceError

    from meetings import outbound

    class OutboundAdapter(BaseSyncAdapter):
        def get_text(self, url, *, timeout, headers):
            try:
                body, _type = outbound.fetch(url, max_bytes=2**20, timeout=timeout or 5, accept="application/json")
            except outbound.FetchError as error:
                raise GeocoderServiceError(str(error)) from None
            return body.decode("utf-8", "replace")

        def get_json(self, url, *, timeout, headers):
            try:
                return json.loads(self.get_text(url, timeout=timeout, headers=headers))
            except ValueError:
                raise GeocoderServiceError("not JSON") from None

    return OutboundAdapter


def get_geocoder():
    name = settings.GEOCODER
    if not name:
        return None
    if name == "nominatim":
        return NominatimGeocoder(settings.GEOCODER_USER_AGENT)
    raise ValueError(f"Unknown GEOCODER {name!r}: use '' (off) or 'nominatim'.")
