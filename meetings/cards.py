"""What a card shows of one meeting time: its date (the next, or the one a search found), in the meeting's zone
and the viewer's, whether it is under way, cancelled or moved, and its distance.

Results pages, area and group pages, the API and printed lists all turn the
rows of a search (real dates, Occurrence; or a meeting's times, MeetingTime)
into Rows here.
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from itertools import groupby

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meetings import geo, schedule
from meetings.card_dates import CardDate
from meetings.dates import short_date, weekday_month_day
from meetings.models import Attendance, Meeting, MeetingTime, Occurrence, OccurrenceState

SOON = dt.timedelta(hours=1)  # "starts in 20 min" within this


@dataclass
class Row:
    meeting_time: MeetingTime  # or, while its card's fixed parts are kept, the TimeFacts of a CardDate
    starts: dt.datetime  # this date's start, in the meeting's zone
    ends: dt.datetime
    viewer_starts: dt.datetime | None  # the same in the viewer's zone, when the viewer's zone is known and differs
    distance: float | None
    attendance: str  # worked out once: templates ask for it several times per card
    now: dt.datetime
    occurrence: Occurrence | CardDate | None = None  # the real date, when known
    other_times: list = field(default_factory=list)  # the meeting's other times, in words, when it gets one card
    fixed: tuple | None = None  # (show_day, the card's fixed parts), when card_parts.attach() found them for the page

    @property
    def meeting(self):
        return self.meeting_time.meeting

    @property
    def attendance_label(self):
        return Attendance(self.attendance).label if self.attendance else ""

    # get_FOO_display() rebuilds a dict of every choice on each call, and
    # hashing the lazy labels translates each one: for the language field that
    # is some 180 translations per card. These read a dict built once.
    @property
    def weekday_label(self):
        return choice_label(MeetingTime, "weekday", self.meeting_time.weekday)

    @property
    def access_label(self):
        return choice_label(Meeting, "access", self.meeting.access)

    @property
    def language_label(self):
        return choice_label(Meeting, "language", self.meeting.language)

    @property
    def rule(self):
        return self.meeting_time.rule

    @property
    def state(self):
        return self.occurrence.state if self.occurrence else OccurrenceState.SCHEDULED

    @property
    def meets(self):
        return self.state in (OccurrenceState.SCHEDULED, OccurrenceState.MOVED_HERE)

    @property
    def change(self):
        return self.occurrence.change if self.occurrence else None

    @property
    def in_progress(self):
        return self.meets and self.starts is not None and self.starts <= self.now < self.ends

    @property
    def minutes_since_start(self):
        return int((self.now - self.starts).total_seconds() // 60)

    @property
    def minutes_to_start(self):
        """Minutes until it starts, when that is within the hour; else None."""
        if not self.meets or self.starts is None or self.starts <= self.now or self.starts - self.now > SOON:
            return None
        return max(1, int((self.starts - self.now).total_seconds() // 60))

    @property
    def local_today(self):
        return schedule.local_now(self.meeting.timezone, self.now).date()

    @property
    def day_heading(self):
        """"Today", "Tomorrow", then the weekday and date ("Saturday, 6 December"), where the meeting is held."""
        if self.starts is None:
            return _("No dates to come")
        offset = (self.starts.date() - self.local_today).days
        if offset == 0:
            return _("Today")
        if offset == 1:
            return _("Tomorrow")
        return weekday_month_day(self.starts.date())

    @property
    def state_label(self):
        """"Cancelled today", "Closed until 3 March", "Moved to Friday 7:00 PM", or ""."""
        state, change = self.state, self.change
        if self.starts is None:
            return ""
        when = _("today") if self.starts.date() == self.local_today else short_date(self.starts.date())
        if state == OccurrenceState.CANCELLED:
            return _("Cancelled %(when)s") % {"when": when}
        if state == OccurrenceState.CLOSED and change and change.until:
            return _("Closed until %(date)s") % {"date": date_format(change.until, "MONTH_DAY_FORMAT")}
        if state == OccurrenceState.MOVED_AWAY and change:
            moved = change.new_date or change.date
            time = change.new_start or self.meeting_time.start_time
            return _("Moved to %(day)s %(time)s") % {
                "day": weekday_month_day(moved),
                "time": date_format(dt.datetime.combine(moved, time), "TIME_FORMAT"),
            }
        if state == OccurrenceState.MOVED_HERE:
            return _("Moved here this time")
        return ""


@cache
def choice_labels(model, field_name):
    """{stored value: lazy label} of a model field's choices, built once per process."""
    return dict(model._meta.get_field(field_name).flatchoices)


def choice_label(model, field_name, value):
    """What get_<field>_display() shows, in the active language."""
    return choice_labels(model, field_name).get(value, value)


def present(items, now, viewer_timezone=None, units="mi", next_dates=None):
    """Rows for templates from Occurrences or CardDates (their own date) or MeetingTimes (their next date).

    For MeetingTimes the next dates come from `next_dates` ({time id:
    Occurrence}, see next_dates_of()) or, beyond the table, from the rule.
    """
    rows = []
    for item in items:
        if isinstance(item, Occurrence):
            meeting_time, found = item.meeting_time, item
            meeting_time.meeting = item.meeting  # loaded by the search: no query per card
        elif isinstance(item, CardDate):
            meeting_time, found = item.meeting_time, item  # its time holds its meeting's facts
        else:
            meeting_time, found = item, (next_dates or {}).get(item.pk)
        meeting = meeting_time.meeting
        here = schedule.zone(meeting.timezone)
        if found is not None:
            starts, ends = found.starts_at.astimezone(here), found.ends_at.astimezone(here)
        else:
            starts, ends = next_by_rule(meeting_time, meeting.timezone, now)
        viewer_starts = None
        remote = meeting.conference_url or meeting.conference_phone
        if viewer_timezone and viewer_timezone != meeting.timezone and remote and starts is not None:
            shifted = starts.astimezone(schedule.zone(viewer_timezone))
            if shifted.utcoffset() != starts.utcoffset():
                viewer_starts = shifted
        distance_km = getattr(item, "distance_km", None)
        distance = round(geo.from_km(distance_km, units), 1) if distance_km is not None else None
        rows.append(Row(meeting_time, starts, ends, viewer_starts, distance, meeting.attendance, now, found))
    return rows


def next_by_rule(meeting_time, zone_name, now, days=400):
    """The next (start, end) of a time from its rule alone, for dates beyond the table; (None, None) if none."""
    today = schedule.local_now(zone_name, now).date()
    since, until = today - dt.timedelta(days=1), today + dt.timedelta(days=days)
    for begins, ends in meeting_time.rule.instants(zone_name, since, until):
        if ends > now:
            return begins, ends
    return None, None


def next_dates_of(meeting_times, now):
    """{time id: its next Occurrence not yet over}, for a page of MeetingTimes, in one query."""
    found = {}
    ids = [meeting_time.pk for meeting_time in meeting_times]
    upcoming = Occurrence.objects.filter(meeting_time_id__in=ids, ends_at__gt=now).select_related("change")
    for date in upcoming.order_by("starts_at"):
        found.setdefault(date.meeting_time_id, date)
    return found


@dataclass
class ScheduleLine:
    """One line of a meeting's schedule: "Monday to Friday, 12:00 PM–1:00 PM", with its next date."""

    label: str
    row: Row  # the time of these with the nearest date


def schedule_lines(rows):
    """A meeting's times in as few lines as they take: weekly ones at the same hours on several days share one."""
    lines, weekly = [], {}
    for row in rows:
        rule = row.rule
        if rule.repeats == schedule.WEEKLY and not rule.first and not rule.last:
            weekly.setdefault((rule.start, rule.end), []).append(row)
        else:
            lines.append(ScheduleLine(rule.describe(), row))
    for same_hours in weekly.values():
        label = schedule.describe_days(row.rule.weekday for row in same_hours)
        lines.append(ScheduleLine(label, min(same_hours, key=lambda row: row.starts or LATER)))
    return sorted(lines, key=lambda line: line.row.starts or LATER)


LATER = dt.datetime.max.replace(tzinfo=dt.UTC)


def by_day(rows):
    """[(heading, rows)]: "Today", "Tomorrow", "Saturday, 6 December"... keeping the order rows came in.

    Each heading is worked out once per date and "today" where the meeting
    is held, not once per row: translating and formatting it for each of a
    100-card area page's rows took 0.95 ms, 0.2 so.
    """
    headings = {}

    def heading(row):
        day = (row.starts.date() if row.starts else None, row.local_today)
        if day not in headings:
            headings[day] = row.day_heading
        return headings[day]

    return [(heading, list(group)) for heading, group in groupby(rows, key=heading)]


def by_weekday(rows):
    """[(weekday, rows)] for lists of a meeting's times by the day of the week (group pages, printed lists)."""
    return [(label, list(group)) for label, group in groupby(rows, key=lambda row: row.weekday_label)]
