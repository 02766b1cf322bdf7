"""Turning weekly-time rows into what a results page, a print list or a feed shows."""

from dataclasses import dataclass
from functools import cache
from itertools import groupby
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Count, Window
from django.utils.translation import gettext as _

from meetings import geo, schedule
from meetings.models import Attendance, Meeting, MeetingTime


def listing_times(*related):
    """Weekly times with what a meeting card shows (its place and types), in a fixed number of queries.

    Pages that also show the group or the area ask for them: `listing_times("meeting__area")`.
    The results page does not, and saves two joins on its hottest query.
    """
    return MeetingTime.objects.public().select_related("meeting__location", *related).prefetch_related("meeting__types")


@dataclass
class Row:
    slot: MeetingTime
    starts: object  # aware datetime of the next occurrence, in the meeting's zone
    viewer_starts: object  # the same in the viewer's zone, when it differs, else None
    distance: float | None
    attendance: str  # worked out once: templates ask for it several times per card

    @property
    def attendance_label(self):
        return Attendance(self.attendance).label if self.attendance else ""

    @property
    def meeting(self):
        return self.slot.meeting

    # get_FOO_display() rebuilds a dict of every choice on each call, and
    # hashing the lazy labels translates each one: for the language field that
    # is some 180 translations per card. These read a dict built once.
    @property
    def weekday_label(self):
        return choice_label(MeetingTime, "weekday", self.slot.weekday)

    @property
    def access_label(self):
        return choice_label(Meeting, "access", self.meeting.access)

    @property
    def language_label(self):
        return choice_label(Meeting, "language", self.meeting.language)

    @property
    def ends(self):
        return self.starts + self.slot.duration


@cache
def choice_labels(model, field_name):
    """{stored value: lazy label} of a model field's choices, built once per process."""
    return dict(model._meta.get_field(field_name).flatchoices)


def choice_label(model, field_name, value):
    """What get_<field>_display() shows, in the active language."""
    return choice_labels(model, field_name).get(value, value)


def page_with_total(queryset, requested, size, rows):
    """A page of `queryset` and the total count, in two queries whatever the total.

    The first is narrow: the page's ids, the total (COUNT(*) OVER ()) and the
    search's annotations (the distance, say), from the ids and sort keys alone. The second reads
    those rows by id from `rows`, a queryset with all that a card shows
    (select_related, prefetches), without repeating the search. A window over
    whole rows made the database carry every matching row's columns through
    the sort: a text search matching 15,000 weekly times at 100,000 meetings
    took twice as long. Worth it for searches; not for a whole large area,
    where the window makes the database sort every row.

    Returns a django.core.paginator.Page, so templates use it as usual. A page
    number past the end falls back to the last page, as Paginator.get_page does.
    """
    try:
        number = min(max(int(requested), 1), 100_000)  # past any real end; keeps OFFSET in range
    except (TypeError, ValueError):
        number = 1
    carried = list(queryset.query.annotations)  # set on the rows as if they came from the search itself
    counted = queryset.annotate(total_rows=Window(Count("pk"))).values_list("pk", "total_rows", *carried)
    found = list(counted[(number - 1) * size : number * size])
    if not found and number > 1:
        total = queryset.count()
        number = max(1, -(-total // size))
        found = list(counted[(number - 1) * size : number * size])
    by_pk = rows.in_bulk([pk for pk, *_ in found]) if found else {}
    page = []
    for pk, _total, *values in found:
        if pk in by_pk:  # one may have gone between the two queries
            page.append(by_pk[pk])
            for name, value in zip(carried, values, strict=True):
                setattr(by_pk[pk], name, value)
    paginator = Paginator(queryset, size)
    paginator.count = found[0][1] if found else 0  # Paginator.count is a cached property: set it
    return Page(page, number, paginator)


def present(slots, now, viewer_timezone=None, units="mi"):
    """Rows for templates: local times, the viewer's time for remote meetings, distance in units."""
    rows = []
    for slot in slots:
        meeting = slot.meeting
        starts = schedule.next_occurrence(slot.weekday, slot.start_time, meeting.timezone, now)
        viewer_starts = None
        remote = meeting.conference_url or meeting.conference_phone
        if viewer_timezone and viewer_timezone != meeting.timezone and remote:
            shifted = starts.astimezone(schedule.zone(viewer_timezone))
            if shifted.utcoffset() != starts.utcoffset():
                viewer_starts = shifted
        distance_km = getattr(slot, "distance_km", None)
        distance = round(geo.from_km(distance_km, units), 1) if distance_km is not None else None
        rows.append(Row(slot, starts, viewer_starts, distance, meeting.attendance))
    return rows


def by_day(rows):
    """[(weekday label, rows)] keeping the order rows came in."""
    return [(label, list(group)) for label, group in groupby(rows, key=lambda row: row.weekday_label)]


def active_filters(search, query):
    """One removable chip per parameter value, each linking to the search without it."""
    labels = {
        "day": dict(search.filters["day"].extra["choices"]),
        "time": dict(search.filters["time"].extra["choices"]),
        "attendance": dict(Attendance.choices),
        "access": {"open": _("Open"), "closed": _("Closed")},
    }
    chips = []
    hidden = {"page", "tz", "units", "lat", "lng", "sort"}
    for name in query:
        if name in hidden or name not in search.filters:
            continue
        for value in query.getlist(name):
            if not value:
                continue
            remaining = query.copy()
            remaining.setlist(name, [v for v in query.getlist(name) if v != value])
            if name in {"near", "lat"}:
                for tied in ("radius", "sort"):
                    remaining.pop(tied, None)
            remaining.pop("page", None)
            shown = labels.get(name, {}).get(value, value)
            if name == "near" and search.place:
                shown = search.place.label
            chips.append(
                {
                    "label": f"{search.filters[name].label}: {shown}",
                    "url": "?" + urlencode(remaining, doseq=True),
                }
            )
    if search.point and "lat" in query:
        remaining = query.copy()
        for tied in ("lat", "lng", "radius", "sort", "page"):
            remaining.pop(tied, None)
        chips.insert(0, {"label": _("Near your location"), "url": "?" + urlencode(remaining, doseq=True)})
    return chips
