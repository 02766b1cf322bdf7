"""The map of a search: its results' published points as JSON, fetched by the page once a visitor presses "Map".

The search is the results page's own (MeetingFilter over the same queryset),
so the list and the map show the same meetings; a meeting whose place
publishes no point (online or by phone only, or no pin yet) is in the list
and not on the map. A city-only place shows its rough point (published_place),
never its pin.
"""

from urllib.parse import quote

from django.conf import settings
from django.http import JsonResponse
from django.template.defaultfilters import date as date_format
from django.template.defaultfilters import time as time_format
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from meetings.cards import present
from meetings.filters import MeetingFilter
from meetings.models import MeetingTime

MAX_MARKERS = 1000  # a whole region's meetings; more is a search to narrow, not a map to read


def enabled():
    return bool(settings.MAP_TILES_URL)


@require_safe
def map_json(request):
    if not enabled():
        return JsonResponse({"detail": _("This directory has no map.")}, status=404)
    now = timezone.now()
    search = MeetingFilter(request.GET, queryset=MeetingTime.objects.public().for_cards(), now=now)
    if search.problems:
        errors = {}
        for problem in search.problems:
            errors.setdefault(problem["field"], []).append(str(problem["message"]))
        return JsonResponse({"detail": _("Some parameters are not valid."), "errors": errors}, status=400)
    pinned = (
        search.qs.filter(meeting__location__latitude__isnull=False, meeting__location__longitude__isnull=False)
        .prefetch_related(None)  # the popup shows no types
        .defer("meeting__search_text", "meeting__notes")
    )
    found = list(pinned[: MAX_MARKERS + 1])
    capped = len(found) > MAX_MARKERS
    markers = [marker(row) for row in present(found[:MAX_MARKERS], now)]
    return JsonResponse({"count": len(markers), "capped": capped, "limit": MAX_MARKERS, "markers": markers})


def marker(row):
    """One result as the card shows it: name, link, day and local time with its zone, the place."""
    meeting = row.meeting
    place = meeting.location.published
    if place.approximate:
        where = _("Around %(city)s") % {"city": place.city}
    else:
        where = ", ".join(part for part in (place.name, place.city) if part)
    return {
        "lat": place.latitude,
        "lng": place.longitude,
        "name": meeting.name,
        "url": meeting.get_absolute_url(),
        "when": f"{row.weekday_label} {time_format(row.starts, 'g:i A')} {date_format(row.starts, 'T')}",
        "place": where,
    }


def directions(place):
    """Links that open a maps app with directions to a published place, or None when it has no point or address.

    The page offers OpenStreetMap's link (any device, no JavaScript) and
    directions.js swaps in the phone's own: Apple Maps on Apple devices,
    Google Maps and a geo: link on Android. Each is a plain link: nothing is
    asked of any map service until it is tapped. `place` is a PublishedPlace,
    so a city-only place gives its rough point and no address.
    """
    if place.latitude is not None and place.longitude is not None:
        point = f"{decimal(place.latitude)},{decimal(place.longitude)}"
        label = quote(place.name or place.formatted_address or point)
        return {
            "point": point,
            "osm": f"https://www.openstreetmap.org/directions?to={quote(point)}",
            "apple": f"https://maps.apple.com/?daddr={point}",
            "google": f"https://www.google.com/maps/dir/?api=1&destination={point}",
            "geo": f"geo:{point}?q={point}({label})",
        }
    if place.address:
        address = quote(place.formatted_address)
        return {
            "point": "",
            "osm": f"https://www.openstreetmap.org/search?query={address}",
            "apple": f"https://maps.apple.com/?daddr={address}",
            "google": f"https://www.google.com/maps/dir/?api=1&destination={address}",
            "geo": f"geo:0,0?q={address}",
        }
    return None


def decimal(coordinate):
    """A coordinate as a link or a script reads it: never localized ("33,449" in Spanish), at most 6 places."""
    return f"{coordinate:.6f}".rstrip("0").rstrip(".")
