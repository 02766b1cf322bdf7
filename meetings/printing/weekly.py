"""The weekly schedule: each meeting time under its day, daily and weekday meetings once, what is not weekly
said in words ("1st & 3rd Sat · next: 6 Dec"), and the dated changes of the coming weeks ("No meeting 25 Dec")."""

import datetime as dt
from collections import defaultdict
from itertools import groupby

from django.db.models import Case, CharField, F, When
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from meetings.cards import by_weekday, present
from meetings.dates import month_day_short, short_date
from meetings.models import Attendance, Occurrence, OccurrenceState
from meetings.printing.rows import Entry, clock, clock_format
from meetings.schedule import SHORT_DAYS

MAX_ROWS = 2000  # more helps nobody on paper: the list says it stops there
NOTICE_DAYS = 28  # the weeks a printed schedule marks cancellations, closures and moves for
ONCE_FROM = 5  # a meeting at the same weekly time on this many days or more is listed once
MONDAY_FIRST = [1, 2, 3, 4, 5, 6, 0]


def schedule(search, chosen):
    """{"entries", "sections", "truncated", "notices_until"} of the weekly schedule a search and options ask for."""
    now = search.now
    times = print_times(search, chosen)
    shown = times[:MAX_ROWS]
    dates = coming_dates(shown, now)
    rows = present(shown, now, units=search.distance_units, next_dates={pk: found[0] for pk, found in dates.items()})
    rows = [row for row in rows if row.starts is not None]  # a one-off event that is over
    entries = []
    sections = []
    for heading, section_rows in groupby(rows, key=lambda row: section_heading(row, chosen["group"])):
        separate, once = split_daily(list(section_rows), chosen["per_day"])
        for entry in separate + once:
            entry.notices = notices(entry.times, dates)
        days = [(_("Daily and weekday meetings"), once)] if once else []
        days += by_weekday_entries(separate)
        sections.append((heading, days))
        entries += once + separate
    return {
        "entries": entries,
        "sections": sections,
        "truncated": len(times) > MAX_ROWS,
        "notices_until": now.date() + dt.timedelta(days=NOTICE_DAYS),
    }


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


def coming_dates(times, now):
    """{time id: its dates from now to the end of the notice weeks, in order}, in one query."""
    found = defaultdict(list)
    dates = Occurrence.objects.filter(meeting_time_id__in=[t.pk for t in times]).coming(now, days=NOTICE_DAYS)
    for date in dates.select_related("change").order_by("starts_at"):
        found[date.meeting_time_id].append(date)
    return found


def section_heading(row, group):
    if group == "area":
        return row.meeting.area.name
    if group == "city":
        return row.meeting_time.print_city or _("Online and phone")  # annotated by print_times()
    return ""


def split_daily(rows, per_day):
    """(entries under their day, entries listed once for their days), both in print order.

    A meeting held every week at the same hours on five or more days is
    listed once ("Every day", "Mon–Fri"), unless `per_day` asks for each day.
    """
    slots = defaultdict(list)
    if not per_day:
        for row in rows:
            if not row.rule.short():  # every week
                slot = (row.meeting.pk, row.meeting_time.start_time, row.meeting_time.end_time)
                slots[slot].append(row)
    combined = {
        slot: found for slot, found in slots.items() if len({r.meeting_time.weekday for r in found}) >= ONCE_FROM
    }
    separate, once = [], []
    for row in rows:
        slot = (row.meeting.pk, row.meeting_time.start_time, row.meeting_time.end_time)
        if slot not in combined:
            separate.append(weekly_entry(row, [row]))
        elif combined[slot][0] is row:
            found = combined[slot]
            entry = weekly_entry(row, found)
            entry.days = days_label(r.meeting_time.weekday for r in found)
            once.append(entry)
    once.sort(key=lambda entry: (entry.row.meeting_time.start_time, entry.meeting.name, entry.meeting.pk))
    return separate, once


def weekly_entry(row, rows):
    return Entry(
        row,
        clock=clock(row.starts, row.meeting_time.start_time),
        when=when_line(row),
        times=[r.meeting_time.pk for r in rows],
    )


def by_weekday_entries(entries):
    """[(weekday, entries)], in the order entries came in."""
    grouped = by_weekday([entry.row for entry in entries])
    by_row = {id(entry.row): entry for entry in entries}
    # Headings start with a capital in every language ("jueves" is "Jueves" at the head of a list).
    return [(capfirst(day), [by_row[id(row)] for row in rows]) for day, rows in grouped]


def days_label(weekdays):
    """ "Every day", "Mon–Fri", "Sun–Thu", "Mon–Wed, Fri & Sat": runs of days, a week read from Monday."""
    days = set(weekdays)
    if len(days) == 7:
        return _("Every day")
    # Runs of consecutive days around the week, each from a day whose eve is free, read from Monday.
    starts = [day for day in MONDAY_FIRST if day in days and (day - 1) % 7 not in days]
    runs = []
    for day in starts:
        run = [day]
        while (run[-1] + 1) % 7 in days:
            run.append((run[-1] + 1) % 7)
        runs.append(run)
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(_("%(first)s–%(last)s") % {"first": SHORT_DAYS[run[0]], "last": SHORT_DAYS[run[-1]]})
        else:
            parts += [str(SHORT_DAYS[day]) for day in run]
    if len(parts) == 1:
        return parts[0]
    return _("%(first)s & %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


def when_line(row):
    """For a time that is not every week: "1st & 3rd Sat · next: 6 Dec"; "" for a weekly one."""
    short = row.rule.short()
    if not short:
        return ""
    return _("%(rule)s · next: %(date)s") % {"rule": short, "date": month_day_short(row.starts.date())}


def notices(time_ids, dates):
    """The printed notices of some times' coming dates: cancelled, closed for a while, moved. In date order."""
    found, closures = [], set()
    for date in sorted((d for pk in time_ids for d in dates.get(pk, ())), key=lambda d: d.starts_at):
        change = date.change
        if date.state == OccurrenceState.CANCELLED:
            text = _("No meeting %(date)s") % {"date": short_date(date.local_date)}
            found.append(f"{text} ({change.note})" if change and change.note else text)
        elif date.state == OccurrenceState.CLOSED and change and change.pk not in closures:
            closures.add(change.pk)
            found.append(
                _("Closed from %(first)s; meets again %(until)s")
                % {"first": short_date(max(change.date, date.local_date)), "until": short_date(change.until)}
            )
        elif date.state == OccurrenceState.MOVED_AWAY and change:
            moved = change.new_date or change.date
            time = change.new_start or date.local_start
            found.append(
                _("Not %(date)s: moved to %(when)s")
                % {"date": short_date(date.local_date), "when": f"{short_date(moved)}, {clock_words(moved, time)}"}
            )
    return found


def clock_words(day, time):
    return date_format(dt.datetime.combine(day, time), clock_format())
