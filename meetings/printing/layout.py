"""What a printed list shows: the search's meetings as a weekly schedule (weekly.py) or as the next 7 days
(next_days.py), with the centre's own words, a legend of the codes used and a QR code back to the live list.

Everything a list says is worked out in the list's own language (printed_list
runs under it), which may differ from the page's.
"""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from meetings import schedule
from meetings.filters import MeetingFilter
from meetings.models import MeetingTime
from meetings.printing import next_days, weekly
from meetings.printing.options import NEXT_7_DAYS, PRINT_ONLY, PrintOptions, paragraphs
from meetings.printing.rows import describe

PLACE_PARAMETERS = ("near", "lat", "lng", "radius", "units", "sort")


class ListRefused(ValueError):
    """The parameters cannot make a list; `problems` says why, one message per parameter."""

    def __init__(self, problems):
        super().__init__("; ".join(f"{p['label']}: {p['message']}" for p in problems))
        self.problems = problems


@dataclass
class PrintRequest:
    """A print request parsed: the search, the print options, and what either refused."""

    search: MeetingFilter
    options: PrintOptions
    problems: list
    language: str  # of the list: chosen, or the page's
    remote_search: MeetingFilter | None = None  # the search without its place, for a 7-day sheet's online meetings

    @property
    def query_string(self):
        """The list's canonical address: only accepted values, each once, defaults of the options left out."""
        query = {**self.search.accepted, **self.options.accepted(), "show": ["1"]}
        return urlencode(sorted(query.items()), doseq=True)

    @property
    def saved_query(self):
        """What a print profile keeps: the canonical address without a first day (a saved list starts today)."""
        options = {name: values for name, values in self.options.accepted().items() if name != "start"}
        return urlencode(sorted({**self.search.accepted, **options}.items()), doseq=True)

    @property
    def chosen(self):
        return self.options.chosen()


def parse(params, now=None):
    """A PrintRequest from a QueryDict or a plain dict ({"area": "arizona", "day": ["1", "2"]})."""
    params = params if isinstance(params, QueryDict) else QueryDict(urlencode(params, doseq=True))
    now = now or timezone.now()
    options = PrintOptions(params, today=timezone.localdate(now) - dt.timedelta(days=1))
    search_params = params.copy()
    for name in (*PRINT_ONLY, "page"):
        search_params.pop(name, None)
    times = MeetingTime.objects.active().for_cards("meeting__area")
    search = MeetingFilter(search_params, queryset=times, now=now)
    problems = search.problems + [
        {"field": name, "label": options.fields[name].label, "message": message}
        for name, messages in options.errors.items()
        for message in messages
    ]
    language = (options.is_valid() and options.cleaned_data["language"]) or get_language()
    request = PrintRequest(search, options, problems, language)
    if not problems and request.chosen["kind"] == NEXT_7_DAYS:
        if not next_days.client_zone(search):
            problems.append(
                {
                    "field": "tz",
                    "label": _("Client's time zone"),
                    "message": _("Choose the client's time zone, a place or a service area: the dates depend on it."),
                }
            )
        if search.place is not None or search.point is not None:
            without_place = search_params.copy()
            for name in PLACE_PARAMETERS:
                without_place.pop(name, None)
            request.remote_search = MeetingFilter(without_place, queryset=times, now=now)
    return request


def printed_list(request):
    """The print template's context for a PrintRequest, or {"problems": [...], ...} for the builder to show."""
    search, options = request.search, request.options
    if request.problems:
        return {"problems": request.problems, "search": search, "options": options, "suggestions": suggestions(request)}
    with translation.override(request.language):
        return list_context(request)


def list_context(request):
    search, chosen = request.search, request.chosen
    if chosen["kind"] == NEXT_7_DAYS:
        found = next_days.next_days(search, request.remote_search, chosen)
    else:
        found = weekly.schedule(search, chosen)
    entries = found["entries"]
    legend = describe(entries, search.distance_units)
    live_url = settings.SITE_URL + reverse("meetings:list")
    search_query = search.query_string()
    live_url += f"?{search_query}" if search_query else ""
    return {
        **found,
        "problems": [],
        "chosen": chosen,
        "list_language": request.language,
        "title": chosen["title"] or default_title(search),
        "header": chosen["header"],
        "intro": paragraphs(chosen["intro"]),
        "contact": chosen["contact"],
        "rows": entries,
        "legend": legend,
        "helpline": helpline_area(search, entries),
        "made": made_on(search),
        "live_url": live_url,
        "live_url_text": live_url.partition("://")[2] or live_url,
        "qr": qr_code(live_url),
        "query": request.query_string,
        "page_label": page_label_parts(),
    }


def made_on(search):
    """Today where the list is for (the client's, the place's or the area's zone), else in UTC."""
    zone_name = next_days.client_zone(search)
    return search.now.astimezone(schedule.zone(zone_name)).date() if zone_name else timezone.localdate(search.now)


def qr_code(url):
    """The QR code of `url` as a data: URI; of the site's address when the list's address is too long for one."""
    try:
        return segno.make(url, error="m").svg_data_uri(scale=4, border=0)
    except segno.DataOverflowError:
        return segno.make(f"{settings.SITE_URL}/meetings/", error="m").svg_data_uri(scale=4, border=0)


def default_title(search):
    if search.place:
        return _("HA meetings within %(radius)s %(units)s of %(place)s") % {
            "radius": f"{search.distance_radius:g}",
            "units": search.distance_units,
            "place": search.place.label,
        }
    if search.cleaned.get("area"):
        return _("HA meetings in %(area)s") % {"area": search.cleaned["area"].name}
    return _("HA meetings")


def helpline_area(search, entries):
    """The chosen area, or the one area every listed meeting belongs to, when it has a helpline."""
    candidates = [search.cleaned.get("area")]
    areas = {entry.meeting.area for entry in entries}
    if len(areas) == 1:
        candidates.append(areas.pop())
    return next((area for area in candidates if area and (area.helpline_phone or area.helpline_email)), None)


def suggestions(request):
    """[(place, link)]: the builder's "did you mean" for a `near` we could not find."""
    query = {**request.search.accepted, **request.options.accepted()} if request.options.is_valid() else {}
    return [
        (place, "?" + urlencode(sorted({**query, "near": [place], "show": ["1"]}.items()), doseq=True))
        for place in request.search.suggestions
    ]


def page_label_parts():
    """("Page ", " of ", ""): the PDF footer's words around the page counters, set as CSS strings."""
    # Translators: the PDF's footer. Keep both placeholders, %(page)s first.
    label = _("Page %(page)s of %(pages)s")
    before, found, rest = label.partition("%(page)s")
    between, found_too, after = rest.partition("%(pages)s")
    return (before, between, after) if found and found_too else ("", " / ", "")
