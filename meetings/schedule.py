"""Weekly times and time zones. zoneinfo only.

A meeting's time is wall-clock time in the meeting's own IANA zone; weekdays
count from 0 = Sunday, as in the Meeting Guide format.
"""

import datetime as dt
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_DURATION = dt.timedelta(hours=1)
MAX_DURATION = dt.timedelta(hours=8)
MAX_DURATION_MINUTES = 8 * 60


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


def duration(start, end):
    """Length of a meeting from `start` to `end`, crossing midnight if end < start."""
    if end is None:
        return DEFAULT_DURATION
    today = dt.date(2000, 1, 2)
    length = dt.datetime.combine(today, end) - dt.datetime.combine(today, start)
    if length < dt.timedelta(0):
        length += dt.timedelta(days=1)
    return length


def local_now(zone_name, now):
    return now.astimezone(zone(zone_name))


def our_weekday(moment):
    return python_weekday_to_ours(moment.weekday())


def minute_of_week(moment):
    """Minutes since Sunday 00:00 of a local datetime."""
    return our_weekday(moment) * 1440 + moment.hour * 60 + moment.minute


def next_occurrence(weekday, start, zone_name, now):
    """The next local datetime (in the meeting's zone) of a weekly time, or the current one if under way."""
    here = local_now(zone_name, now)
    days_ahead = (weekday - our_weekday(here)) % 7
    candidate = dt.datetime.combine(here.date() + dt.timedelta(days=days_ahead), start, tzinfo=zone(zone_name))
    if candidate + DEFAULT_DURATION < here:
        candidate = dt.datetime.combine(candidate.date() + dt.timedelta(days=7), start, tzinfo=zone(zone_name))
    return candidate


def minutes_to_time(minutes):
    return dt.time(minutes // 60, minutes % 60)
