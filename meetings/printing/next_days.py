"""The "next 7 days" sheet: real dates from a first day, tonight first, in-person meetings near a place and
online and phone meetings at the client's own time, with the cancellations, closures and moves of those dates.

It reads the table of real dates (Occurrence), which holds about six weeks ahead.
"""

import datetime as dt

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from groups.models import ServiceArea
from meetings import geo, schedule
from meetings.cards import present
from meetings.dates import weekday_month_day as day_words
from meetings.models import Attendance, Occurrence, OccurrenceState
from meetings.printing.rows import Entry, clock, clock_format

DAYS = 7
MAX_ROWS = 400  # a week on paper: the sheet says where it stops
EVENING = dt.time(17)  # from this hour the rest of today is "Tonight"


def client_zone(search):
    """The client's zone: the one given (`tz`), else the place's, else the chosen area's; "" when none is known."""
    area = search.cleaned.get("area")
    return search.viewer_timezone or (search.place.timezone if search.place else "") or (area.timezone if area else "")


def next_days(search, remote_search, chosen):
    """{"entries", "sections", "truncated", "stops_after", "dates_line", "zone"} of the 7-day sheet.

    `remote_search` is the same search without its place, for online and phone
    meetings (None when the search has no place: its meetings are all in it).
    """
    now, zone_name = search.now, client_zone(search)
    here = schedule.zone(zone_name)
    today = now.astimezone(here).date()
    first = max(chosen["start"] or today, today)
    days = [first + dt.timedelta(days=n) for n in range(DAYS)]
    begins = max(now, midnight(first, here))
    ends = midnight(first + dt.timedelta(days=DAYS), here)

    times = search.qs
    if not chosen["remote"]:
        times = times.attendable(Attendance.IN_PERSON)
    listed = Q(meeting_time__in=times.values("pk"))
    if remote_search is not None and chosen["remote"]:
        remote = remote_search.qs.attendable(Attendance.ONLINE, Attendance.PHONE)
        # Not every online meeting in the directory: those held in the client's zone, and those of the areas
        # meeting near the place and of the larger areas they belong to (a region's, the world service's).
        nearby = times.order_by().values_list("meeting__area_id", flat=True).distinct()
        remote = remote.filter(Q(meeting__timezone=zone_name) | Q(meeting__area_id__in=with_ancestors(set(nearby))))
        listed |= Q(meeting_time__in=remote.values("pk"))
    # coming() ends the window when meetings end; the last night keeps those that end after midnight.
    span = (ends - begins) / dt.timedelta(days=1) + 1
    dates = (
        Occurrence.objects.filter(listed)
        .coming(begins, days=span)
        .filter(starts_at__lt=ends)
        .for_cards("meeting__area")
        .order_by("starts_at", "meeting__name", "pk")
    )
    dates = list(dates[: MAX_ROWS + 1])
    if search.point:
        for date in dates:
            date.distance_km = distance_km(search.point, date.meeting.location)
    rows = present(dates[:MAX_ROWS], now, viewer_timezone=zone_name, units=search.distance_units)

    by_date = {day: [] for day in days}
    for row in rows:
        moment = shown_moment(row, here)
        entry = Entry(row, clock=clock(moment), state=state_line(row), times=[row.meeting_time.pk])
        # A meeting still under way from the day before goes under the first day: the client can still join it.
        by_date[min(max(moment.astimezone(here).date(), days[0]), days[-1])].append(entry)
    sections = [("", [(day_heading(day, today, now.astimezone(here)), by_date[day]) for day in days])]
    return {
        "entries": [entry for day in days for entry in by_date[day]],
        "sections": sections,
        "truncated": len(dates) > MAX_ROWS,
        "stops_after": rows[-1].starts.astimezone(here).date() if len(dates) > MAX_ROWS else None,
        "dates_line": capfirst(
            _("%(first)s to %(last)s. Online and phone meetings are at %(zone)s time.")
            % {"first": day_words(days[0]), "last": day_words(days[-1]), "zone": zone_name.replace("_", " ")}
        ),
        "zone": zone_name,
    }


def with_ancestors(area_ids):
    """The areas and every area above them, from one read of the tree (it is small)."""
    parents = dict(ServiceArea.objects.values_list("pk", "parent_id"))
    found, stack = set(), list(area_ids)
    while stack:
        pk = stack.pop()
        if pk is not None and pk not in found:
            found.add(pk)
            stack.append(parents.get(pk))
    return found


def distance_km(point, location):
    """From the search's point to an in-person meeting (the search measured the same in SQL); None for others."""
    if location is None or location.approximate or location.latitude is None:
        return None
    return geo.great_circle_km(point, (location.latitude, location.longitude))


def midnight(day, here):
    return dt.datetime.combine(day, dt.time(), tzinfo=here)


def shown_moment(row, here):
    """When a row starts as printed: online and phone meetings at the client's time, others where they are held."""
    if row.meeting.conference_url or row.meeting.conference_phone:
        return row.starts.astimezone(here)
    return row.starts


def day_heading(day, today, local_now):
    """ "Tonight, Thursday, December 3", "Tomorrow, Friday, December 4", "Saturday, December 5"."""
    if day == today:
        word = _("Tonight") if local_now.time() >= EVENING else _("Today")
    elif day == today + dt.timedelta(days=1):
        word = _("Tomorrow")
    else:
        return capfirst(day_words(day))
    return _("%(word)s, %(date)s") % {"word": word, "date": day_words(day)}


def state_line(row):
    """What a dated row says when the meeting does not meet as usual; "" when it does."""
    state, change = row.state, row.change
    note = f" ({change.note})" if change and change.note else ""
    if state == OccurrenceState.CANCELLED:
        return _("No meeting this day") + note
    if state == OccurrenceState.CLOSED:
        if change and change.until:
            return _("Closed; meets again %(date)s") % {"date": day_words(change.until)} + note
        return _("Closed") + note
    if state == OccurrenceState.MOVED_AWAY and change:
        moved = change.new_date or change.date
        time = change.new_start or row.meeting_time.start_time
        return (
            _("Not at this time: moved to %(day)s, %(time)s")
            % {
                "day": day_words(moved),
                "time": date_format(dt.datetime.combine(moved, time), clock_format()),
            }
            + note
        )
    if state == OccurrenceState.MOVED_HERE:
        return _("This date only (moved)") + note
    return ""
