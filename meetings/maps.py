"""The map of a search: its results' published points as JSON, fetched by the page once a visitor presses "Map".

The search is the results page's own (MeetingFilter over the same queryset),
so the list and the map show the same meetings; a meeting whose place
publishes no point (online or by phone only, or no pin yet) is in the list
and not on the map. A city-only place shows its rough point (published_place),
never its pin.
"""

from urllib.parse import quote

from django.conf import settings
from django.db.models import FloatField, Value
from django.db.models.functions import Coalesce
from django.http import JsonResponse
from django.template.defaultfilters import date as date_format
from django.template.defaultfilters import time as time_format
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from meetings.cards import present
from meetings.filters import MeetingFilter
from meetings.models import Meeting, Occurrence, OccurrenceState

MAX_MARKERS = 1000  # a whole region's meetings; more is a search to narrow, not a map to read


def enabled():
    return bool(settings.MAP_TILES_URL)


NO_POINT = 999.0  # beyond any latitude
UNSHOWN = ("meeting__search_text", "meeting__notes")  # long texts no popup shows


@require_safe
def map_json(request):
    if not enabled():
        return JsonResponse({"detail": _("This directory has no map.")}, status=404)
    now = timezone.now()
    search = MeetingFilter(request.GET, queryset=Occurrence.objects.public().for_cards(), now=now)
    if search.problems:
        errors = {}
        for problem in search.problems:
            errors.setdefault(problem["field"], []).append(str(problem["message"]))
        return JsonResponse({"detail": _("Some parameters are not valid."), "errors": errors}, status=400)
    found = list(with_a_point(search.qs).prefetch_related(None).defer(*UNSHOWN)[: MAX_MARKERS + 1])
    markers = Markers(now)
    return JsonResponse(
        {
            "count": min(len(found), MAX_MARKERS),
            "capped": len(found) > MAX_MARKERS,
            "limit": MAX_MARKERS,
            "markers": [markers.marker(row) for row in present(found[:MAX_MARKERS], now)],
        }
    )


def with_a_point(results):
    """The results whose place has a point, its table kept a LEFT JOIN.

    Written as "latitude IS NOT NULL", the condition lets SQLite make the join
    an inner one and start from every place rather than from the search's own
    conditions (the README has the figures); COALESCE keeps it from that.
    """
    latitude = Coalesce("meeting__location__latitude", Value(NO_POINT), output_field=FloatField())
    longitude = Coalesce("meeting__location__longitude", Value(NO_POINT), output_field=FloatField())
    return results.alias(latitude=latitude, longitude=longitude).exclude(latitude=NO_POINT).exclude(longitude=NO_POINT)


class Markers:
    """Markers for one answer, each saying what its card says (cards.Row), with the formatting done once per date."""

    def __init__(self, now):
        self.now = now
        self.url = Meeting.url_pattern()
        self.headings, self.times = {}, {}

    def when(self, row):
        """ "Today 7:00 PM MST": the card's day heading, the local time and the zone's abbreviation.

        Many markers share a date or a time: each is formatted once.
        """
        day = (row.starts.date(), row.meeting.timezone)
        if day not in self.headings:
            self.headings[day] = row.day_heading
        time = (row.starts.time(), row.starts.tzname())
        if time not in self.times:
            self.times[time] = f"{time_format(row.starts, 'g:i A')} {date_format(row.starts, 'T')}"
        return f"{self.headings[day]} {self.times[time]}"

    @staticmethod
    def note(row):
        """What the card says above the name: cancelled or moved, in progress, starting soon."""
        if row.state != OccurrenceState.SCHEDULED and row.state_label:
            return row.state_label
        if row.in_progress:
            return _("In progress")
        if row.minutes_to_start:
            n = row.minutes_to_start
            return ngettext("Starts in %(n)s min", "Starts in %(n)s min", n) % {"n": n}
        return ""

    def marker(self, row):
        place = row.meeting.location.published
        if place.approximate:
            where = _("Around %(city)s") % {"city": place.city}
        else:
            where = ", ".join(part for part in (place.name, place.city) if part)
        return {
            "lat": place.latitude,
            "lng": place.longitude,
            "name": row.meeting.name,
            "url": self.url.format(row.meeting.slug),
            "when": self.when(row) if row.starts else "",
            "note": self.note(row),
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
