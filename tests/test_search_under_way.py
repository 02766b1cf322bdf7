"""Dates under way now are found from minutes ago, long ones included: the same dates as the rule says.

The rule for a date in "starting soon" and the week's list: it ends after
now and started less than MAX_EVENT_DURATION (a day) ago. Walking the dates
from a day back read the whole last day; OccurrenceQuerySet.under_way_since
starts from LONG_DATE ago, or from the start of the earliest longer date
still under way, read from occurrence_lasting_idx (migration 0014).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from meetings import schedule
from meetings.models import MeetingTime, Occurrence
from meetings.models.querysets import LONG_DATE
from tests.clock import frozen
from tests.factories import make_meeting

NEW_YORK = ZoneInfo("America/New_York")
# A Thursday at 6 PM in New York (11 PM UTC): the long meetings below started between one and 24 hours ago.
NOW = dt.datetime(2026, 11, 26, 18, 0, tzinfo=NEW_YORK)


def by_the_rule(now, last_start=None, last_end=None):
    """The ids of the dates the rule lists, read one by one in Python."""
    return {
        date.pk
        for date in Occurrence.objects.all()
        if date.ends_at > now
        and date.starts_at > now - schedule.MAX_EVENT_DURATION
        and (last_start is None or date.starts_at <= last_start)
        and (last_end is None or date.ends_at <= last_end)
    }


def event(meeting, day, start, end):
    """A one-off date: an end equal to its start is a whole day."""
    MeetingTime.objects.create(
        meeting=meeting,
        weekday=(day.weekday() + 1) % 7,
        start_time=dt.time.fromisoformat(start),
        end_time=dt.time.fromisoformat(end),
        repeats=MeetingTime.Repeats.ONCE,
        starts_on=day,
    )


@pytest.fixture
def long_meetings(arizona):
    def meeting(name, start, end, day=4):
        return make_meeting(arizona, name=name, timezone="America/New_York", times=[(day, start, end)])

    meeting("An hour", "17:30", "18:30")
    meeting("Just under long", "15:02", "18:01")  # 2 h 59 min
    meeting("Just long", "15:01", "18:01")  # 3 h: read from the long dates' index
    meeting("Over long", "15:00", "18:02")
    meeting("Half a day", "07:00", "19:00")
    meeting("Nearly a day", "18:30", "18:29", day=3)  # Wednesday 6:30 PM to Thursday 6:29 PM
    meeting("Ended", "15:00", "17:59")
    meeting("Tomorrow", "08:00", None, day=5)
    event(meeting("Marathon", "00:00", None, day=1), NOW.date(), "19:00", "19:00")  # 24 hours from 7 PM
    event(meeting("Alkathon", "00:00", None, day=1), NOW.date(), "06:00", "06:00")  # under way since 6 AM


def names(dates):
    return {date.meeting.name for date in dates.select_related("meeting")}


def test_long_dates_under_way_are_listed_as_the_rule_says(long_meetings):
    with frozen(NOW):
        upcoming = Occurrence.objects.upcoming(NOW, tight=True)
        coming = Occurrence.objects.coming(NOW, walked=True)
        assert set(upcoming.values_list("pk", flat=True)) == by_the_rule(NOW, last_start=NOW + dt.timedelta(hours=24))
        assert set(coming.values_list("pk", flat=True)) == by_the_rule(NOW, last_end=NOW + dt.timedelta(days=7))
    assert {"Just under long", "Just long", "Over long", "Half a day", "Nearly a day", "Alkathon"} <= names(upcoming)
    assert "Ended" not in names(upcoming)


def test_the_start_is_bounded_from_the_earliest_long_date_under_way(long_meetings):
    with frozen(NOW):
        condition = Occurrence.objects.under_way_since(NOW, tight=True)
        nearly_a_day = Occurrence.objects.get(meeting__name="Nearly a day", ends_at__gt=NOW, starts_at__lte=NOW)
    assert dict(condition.children) == {"starts_at__gte": nearly_a_day.starts_at}


def test_with_no_long_date_under_way_the_start_is_bounded_from_long_date_ago(arizona):
    make_meeting(arizona, name="An hour", timezone="America/New_York", times=[(4, "17:30", "18:30")])
    make_meeting(arizona, name="Later long", timezone="America/New_York", times=[(5, "08:00", "20:00")])
    with frozen(NOW):
        condition = Occurrence.objects.under_way_since(NOW, tight=True)
        assert set(Occurrence.objects.upcoming(NOW, tight=True).values_list("pk", flat=True)) == by_the_rule(
            NOW, last_start=NOW + dt.timedelta(hours=24)
        )
    assert dict(condition.children) == {"starts_at__gte": NOW - LONG_DATE}


def test_a_day_of_25_hours_keeps_the_rule(arizona):
    """A whole-day event on the day New York falls back lasts 25 hours: in its last hour it started over a day ago."""
    with frozen(dt.datetime(2026, 10, 31, 12, 0, tzinfo=dt.UTC)):
        fall_back = make_meeting(arizona, name="Fall back", timezone="America/New_York", times=())
        event(fall_back, dt.date(2026, 11, 1), "00:00", "00:00")
    date = Occurrence.objects.get(meeting__name="Fall back")
    assert date.ends_at - date.starts_at == dt.timedelta(hours=25)
    for hours in (23.5, 24.5):  # under way, started less than a day ago, then more than a day ago
        now = date.starts_at + dt.timedelta(hours=hours)
        with frozen(now):
            found = set(Occurrence.objects.upcoming(now, tight=True).values_list("pk", flat=True))
            assert found == by_the_rule(now, last_start=now + dt.timedelta(hours=24)), hours
            assert Occurrence.objects.filter(pk__in=found, meeting=fall_back).exists() == (hours < 24), hours


def test_only_a_walk_asks_for_the_long_dates(long_meetings, django_assert_num_queries):
    """Print lists, calendars and the map keep their queries: the rule itself, without the long dates' query."""
    with django_assert_num_queries(0):
        condition = Occurrence.objects.under_way_since(NOW)
    assert dict(condition.children) == {"starts_at__gt": NOW - schedule.MAX_EVENT_DURATION}
    with django_assert_num_queries(1):
        Occurrence.objects.under_way_since(NOW, tight=True)
