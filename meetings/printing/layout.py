"""What a printed list shows: the search's meeting times in print order, their codes, a legend, a QR code."""

from dataclasses import dataclass
from itertools import groupby
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.db.models import Case, CharField, F, When
from django.http import QueryDict
from django.utils import dateformat, timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from meetings.cards import by_weekday, next_dates_of, present
from meetings.filters import MeetingFilter
from meetings.models import Access, Attendance, MeetingTime
from meetings.printing.options import PRINT_ONLY, PrintOptions
from meetings.text import format_address

MAX_ROWS = 2000  # more helps nobody on paper: the list says it stops there
FIXED_CODES = {  # the codes that are not meeting types
    "O": gettext_lazy("Open: anyone may attend"),
    "C": gettext_lazy("Closed: for people with a desire to stop using"),
    "ONL": gettext_lazy("Online: join with the link shown"),
    "PH": gettext_lazy("Phone: dial the number shown"),
}


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

    @property
    def query_string(self):
        """The list's canonical address: only accepted values, each once, defaults of the options left out."""
        query = {**self.search.accepted, **self.options.accepted(), "show": ["1"]}
        return urlencode(sorted(query.items()), doseq=True)


def parse(params, now=None):
    """A PrintRequest from a QueryDict or a plain dict ({"area": "arizona", "day": ["1", "2"]})."""
    params = params if isinstance(params, QueryDict) else QueryDict(urlencode(params, doseq=True))
    options = PrintOptions(params)
    search_params = params.copy()
    for name in (*PRINT_ONLY, "page"):
        search_params.pop(name, None)
    times = MeetingTime.objects.active().for_cards("meeting__area")
    search = MeetingFilter(search_params, queryset=times, now=now or timezone.now())
    problems = search.problems + [
        {"field": name, "label": options.fields[name].label, "message": message}
        for name, messages in options.errors.items()
        for message in messages
    ]
    return PrintRequest(search, options, problems)


def printed_list(request):
    """The print template's context for a PrintRequest, or {"problems": [...], ...} for the builder to show."""
    search, options = request.search, request.options
    if request.problems:
        return {"problems": request.problems, "search": search, "options": options, "suggestions": suggestions(request)}

    chosen = options.chosen()
    times = print_times(search, chosen)
    shown = times[:MAX_ROWS]
    rows = present(shown, search.now, units=search.distance_units, next_dates=next_dates_of(shown, search.now))
    rows = [row for row in rows if row.starts is not None]  # a one-off event that is over
    search_query = search.query_string()
    live_url = f"{settings.SITE_URL}/meetings/" + (f"?{search_query}" if search_query else "")
    return {
        "problems": [],
        "chosen": chosen,
        "title": chosen["title"] or default_title(search),
        "rows": rows,
        "legend": describe(rows, search.distance_units),
        "sections": sections(rows, chosen["group"]),
        "truncated": len(times) > MAX_ROWS,
        "helpline": helpline_area(search, rows),
        "made": timezone.localdate(search.now),
        "site_address": settings.SITE_URL.partition("://")[2] or settings.SITE_URL,
        "live_url": live_url,
        "qr": qr_code(live_url),
        "query": request.query_string,
        "page_label": page_label_parts(),
    }


def qr_code(url):
    """The QR code of `url` as a data: URI; of the site's address when the list's address is too long for one."""
    try:
        return segno.make(url, error="m").svg_data_uri(scale=4, border=0)
    except segno.DataOverflowError:
        return segno.make(f"{settings.SITE_URL}/meetings/", error="m").svg_data_uri(scale=4, border=0)


def print_times(search, chosen):
    """The meeting times the search found, in print order: by day and time, within cities or areas when grouped."""
    times = search.qs
    if not chosen["remote"]:
        times = times.attendable(Attendance.IN_PERSON)
    order = ["weekday", "start_time", "meeting__name", "pk"]
    if chosen["group"] == "city":
        # Meetings with no room to go to have no city to print: they come last, together.
        physical_city = When(meeting__location__approximate=False, then=F("meeting__location__city"))
        times = times.annotate(print_city=Case(physical_city, output_field=CharField()))
        order = [F("print_city").asc(nulls_last=True), *order]
    elif chosen["group"] == "area":
        order = ["meeting__area__name", "meeting__area_id", *order]
    return list(times.order_by(*order)[: MAX_ROWS + 1])


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


def describe(rows, units):
    """Give each row its printed time, codes and place; return the legend: exactly the codes used, explained.

    Type names come from the meetings' prefetched types: no query.
    """
    language = get_language()
    used = {}  # code -> (order in the legend: O/C, types as in the admin, ONL/PH; explanation)
    for row in rows:
        meeting = row.meeting
        # "7:00 PM MST": wall-clock time in the meeting's own zone; the time never wraps from its AM/PM.
        clock = dateformat.time_format(row.meeting_time.start_time, "g:i A").replace(" ", "\u00a0")
        row.clock = f"{clock} {row.starts:%Z}"
        row.when = when_line(row)
        access = "O" if meeting.access == Access.OPEN else "C"
        codes = [(access, (0, access == "C", ""), FIXED_CODES[access])]
        codes += [(t.code, (1, t.position, t.name), t.localized("name", language)) for t in meeting.types.all()]
        if meeting.conference_url:
            codes.append(("ONL", (2, 0, ""), FIXED_CODES["ONL"]))
        if meeting.conference_phone:
            codes.append(("PH", (2, 1, ""), FIXED_CODES["PH"]))
        row.codes = " ".join(code for code, _order, _name in codes)
        row.place = place_line(meeting.location.published if meeting.location else None, row.distance, units)
        for code, order, name in codes:
            used.setdefault(code, (order, name))
    return [(code, name) for code, (_order, name) in sorted(used.items(), key=lambda item: item[1][0])]


def when_line(row):
    """For a time that is not every week: "1st & 3rd Sat · next: 6 Dec"; "" for a weekly one."""
    short = row.rule.short()
    if not short:
        return ""
    return _("%(rule)s · next: %(date)s") % {"rule": short, "date": date_format(row.starts.date(), "j M")}


def place_line(place, distance, units):
    """The printed address (St. Mark's, 12 Main St, Phoenix, AZ 85004 · 2.3 mi), or "" with no room to go to."""
    if place is None or place.approximate:
        return ""
    street = format_address(place.address, place.city, place.state, place.postal_code)
    line = f"{place.name}, {street}" if place.name else street
    return f"{line} · {distance:g} {units}" if distance is not None else line


def sections(rows, group):
    """[(heading, [(day, rows)])]: a section per city or area (or one without a heading), days inside."""
    if group == "day":
        return [("", by_weekday(rows))]
    grouped = groupby(rows, key=lambda row: section_heading(row, group))
    return [(heading, by_weekday(list(section))) for heading, section in grouped]


def section_heading(row, group):
    if group == "area":
        return row.meeting.area.name
    return row.meeting_time.print_city or _("Online and phone")  # annotated by print_times()


def helpline_area(search, rows):
    """The chosen area, or the one area every listed meeting belongs to, when it has a helpline."""
    candidates = [search.cleaned.get("area")]
    areas = {row.meeting.area for row in rows}
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


