"""When meetings happen: time zones, the rules of a meeting's times, and their real dates. zoneinfo only.

A meeting's time is wall-clock time in the meeting's own IANA zone; weekdays
count from 0 = Sunday, as in the Meeting Guide format. A time repeats every
week, every few weeks from a first date, monthly on some weeks of the month
("1st and 3rd Saturday", "last Friday"), or happens once. `Rule` holds one
such time and expands it to real dates with dateutil.rrule, which is also
exactly what it writes to iCalendar.
"""

import datetime as dt
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from dateutil import rrule
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from meetings.dates import weekday_date

DEFAULT_DURATION = dt.timedelta(hours=1)
MAX_DURATION = dt.timedelta(hours=8)  # of a repeating time: longer is nearly always a mistyped AM/PM
MAX_EVENT_DURATION = dt.timedelta(hours=24)  # of a one-off event (a marathon, an alkathon)
MAX_DURATION_MINUTES = 24 * 60  # the longest anything may have been under way
WEEKLY, EVERY_N_WEEKS, MONTHLY, ONCE = "weekly", "every_n_weeks", "monthly", "once"
LAST = -1  # the last week of the month, as iCalendar's BYDAY=-1SA
DATEUTIL_DAYS = [rrule.SU, rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA]  # ours: 0 = Sunday
ICAL_DAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"]


@cache
def timezone_names():
    return frozenset(available_timezones())


def validate_timezone(value):
    if value not in timezone_names():
        raise ValidationError(
            _("Unknown time zone '%(value)s'. Use a name like America/Phoenix or Europe/London."),
            code="invalid_timezone",
            params={"value": value},
        )


def zone(name):
    if name not in timezone_names():  # "Etc", a folder of the zone database, is not a zone
        return ZoneInfo("UTC")
    return ZoneInfo(name)


def python_weekday_to_ours(python_weekday):
    """datetime.weekday() counts Monday = 0; we count Sunday = 0."""
    return (python_weekday + 1) % 7


def duration(start, end, once=False):
    """Length of a meeting from `start` to `end`, crossing midnight if end < start.

    No end: one hour. For a one-off event an end equal to the start means a
    whole day (a 24-hour marathon); for a repeating time it is refused by
    validation before it gets here.
    """
    if end is None:
        return DEFAULT_DURATION
    today = dt.date(2000, 1, 2)
    length = dt.datetime.combine(today, end) - dt.datetime.combine(today, start)
    if length < dt.timedelta(0) or (once and length == dt.timedelta(0)):
        length += dt.timedelta(days=1)
    return length


def local_now(zone_name, now):
    return now.astimezone(zone(zone_name))


def our_weekday(moment):
    return python_weekday_to_ours(moment.weekday())


def minute_of_week(moment):
    """Minutes since Sunday 00:00 of a local datetime."""
    return our_weekday(moment) * 1440 + moment.hour * 60 + moment.minute


def minutes_to_time(minutes):
    return dt.time(minutes // 60, minutes % 60)


def parse_weeks(text):
    """'1,3' -> (1, 3); '-1' -> (-1,): the weeks of the month a monthly time keeps, as stored."""
    weeks = []
    for part in str(text or "").replace(" ", "").split(","):
        if part:
            number = int(part)
            if number not in (1, 2, 3, 4, 5, LAST):
                raise ValueError(f"{number} is not a week of the month (1-5, or -1 for the last)")
            weeks.append(number)
    return tuple(sorted(set(weeks), key=lambda n: (n == LAST, n)))


def format_weeks(weeks):
    return ",".join(str(n) for n in weeks)


@dataclass(frozen=True)
class Rule:
    """One time of a meeting: when it starts, how long it lasts, and how it repeats."""

    weekday: int
    start: dt.time
    end: dt.time | None = None
    repeats: str = WEEKLY
    interval: int = 1  # every `interval` weeks (EVERY_N_WEEKS)
    weeks: tuple = ()  # weeks of the month (MONTHLY): 1-5, LAST
    first: dt.date | None = None  # the first date (EVERY_N_WEEKS, optional for others); the date of a ONCE
    last: dt.date | None = None  # the last date it may happen (optional)

    @property
    def length(self):
        return duration(self.start, self.end, once=self.repeats == ONCE)

    def dates(self, since, until):
        """The local dates, from `since` to `until` included, on which this time happens."""
        if self.repeats == ONCE:
            return [self.first] if self.first and since <= self.first <= until else []
        last = min(until, self.last) if self.last else until
        if last < since:
            return []
        first = max(since, self.first or since)
        if self.repeats == MONTHLY:
            day = DATEUTIL_DAYS[self.weekday]
            rules = rrule.rrule(
                rrule.MONTHLY, dtstart=since.replace(day=1), byweekday=[day(n) for n in self.weeks or (1,)]
            )
            found = rules.between(dt.datetime.combine(first, dt.time()), dt.datetime.combine(last, dt.time()), inc=True)
            return [moment.date() for moment in found]
        # Weekly and every few weeks: plain date arithmetic, the same dates as rrule's, several times faster
        # (the daily job and the benchmark expand every time of every meeting).
        step = 7 * max(self.interval, 1) if self.repeats == EVERY_N_WEEKS and self.first else 7
        anchor = self.first if step > 7 else first
        day = anchor + dt.timedelta(days=(self.weekday - python_weekday_to_ours(anchor.weekday())) % 7)
        if day < first:
            day += dt.timedelta(days=-((day - first).days // step) * step)
        found = []
        while day <= last:
            found.append(day)
            day += dt.timedelta(days=step)
        return found

    def instants(self, zone_name, since, until):
        """(start, end) aware datetimes in the meeting's zone for each date from `since` to `until`."""
        return [self.instant(zone_name, day) for day in self.dates(since, until)]

    def instant(self, zone_name, day, start=None, end=None):
        """(start, end) of this time on a local `day`, or of a moved meeting at another `start` and `end`.

        Both are wall-clock times in the meeting's zone: a meeting over a DST
        change still ends when its clock says.
        """
        where = zone(zone_name)
        begins = dt.datetime.combine(day, start or self.start)
        length = duration(start, end, once=True) if start and end else self.length
        return begins.replace(tzinfo=where), (begins + length).replace(tzinfo=where)

    def ical(self):
        """The RRULE of this time as icalendar's vRecur arguments, or None for a one-off event."""
        if self.repeats == ONCE:
            return None
        day = ICAL_DAYS[self.weekday]
        found = {"freq": "WEEKLY", "byday": day}
        if self.repeats == EVERY_N_WEEKS and self.interval > 1:
            found["interval"] = self.interval
        if self.repeats == MONTHLY:
            found = {"freq": "MONTHLY", "byday": [f"{n}{day}" for n in self.weeks or (1,)]}
        if self.last:
            found["until"] = dt.datetime.combine(self.last, dt.time(23, 59, 59))
        return found

    def describe(self):
        """In words, as a volunteer would say it: "Monthly, on the 1st and 3rd Saturday"."""
        day = WEEKDAY_NAMES[self.weekday]
        if self.repeats == ONCE and self.first:
            return _("Once, on %(date)s") % {"date": weekday_date(self.first)}
        if self.repeats == MONTHLY:
            weeks = [str(WEEK_NAMES[n]) for n in self.weeks or (1,)]
            listed = weeks[0] if len(weeks) == 1 else _("%(first)s and %(last)s") % {
                "first": ", ".join(weeks[:-1]), "last": weeks[-1]
            }  # fmt: skip
            return _("Monthly, on the %(weeks)s %(day)s") % {"weeks": listed, "day": day}
        if self.repeats == EVERY_N_WEEKS and self.interval > 1:
            text = ngettext(
                "Every %(n)d week on %(day)s", "Every %(n)d weeks on %(day)s", self.interval
            ) % {"n": self.interval, "day": day}
            if self.interval == 2:
                text = _("Every other week on %(day)s") % {"day": day}
            if self.first:
                text += " " + _("(from %(date)s)") % {"date": date_format(self.first, "DATE_FORMAT")}
            return text
        return _("Every %(day)s") % {"day": day}

    def short(self):
        """A few characters for cards and printed lists: "1st & 3rd Sat", "Every 2nd week", "" when weekly."""
        if self.repeats == MONTHLY:
            return " & ".join(str(WEEK_NAMES[n]) for n in self.weeks or (1,)) + " " + str(SHORT_DAYS[self.weekday])
        if self.repeats == EVERY_N_WEEKS and self.interval > 1:
            if self.interval == 2:
                return str(_("Every other week"))
            return str(_("Every %(n)d weeks") % {"n": self.interval})
        if self.repeats == ONCE:
            return str(_("One date only"))
        return ""


def describe_days(weekdays):
    """Days of the week a time is held on, in words: "Every day", "Monday to Friday", "Every Monday and Thursday"."""
    days = sorted(set(weekdays), key=lambda day: (day + 6) % 7)  # Monday first, as people count a week
    if len(days) == 7:
        return str(_("Every day"))
    if days == [1, 2, 3, 4, 5]:
        return str(_("Monday to Friday"))
    if days == [6, 0]:
        return str(_("Saturday and Sunday"))
    names = [str(WEEKDAY_NAMES[day]) for day in days]
    listed = names[0] if len(names) == 1 else _("%(first)s and %(last)s") % {
        "first": ", ".join(names[:-1]), "last": names[-1]
    }  # fmt: skip
    return str(_("Every %(day)s") % {"day": listed})


WEEKDAY_NAMES = [_("Sunday"), _("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday")]
SHORT_DAYS = [
    pgettext_lazy("short weekday", "Sun"), pgettext_lazy("short weekday", "Mon"),
    pgettext_lazy("short weekday", "Tue"), pgettext_lazy("short weekday", "Wed"),
    pgettext_lazy("short weekday", "Thu"), pgettext_lazy("short weekday", "Fri"),
    pgettext_lazy("short weekday", "Sat"),
]
WEEK_NAMES = {1: _("1st"), 2: _("2nd"), 3: _("3rd"), 4: _("4th"), 5: _("5th"), LAST: _("last")}
