"""Time zones, "today", and the upcoming window, with frozen clocks."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from meetings import schedule
from meetings.models import MeetingTime
from tests.factories import make_meeting

URL = reverse("meetings:list")
NEW_YORK = ZoneInfo("America/New_York")


def names(response):
    return [row.meeting.name for row in response.context["rows"]]


def at(zone, *args):
    return dt.datetime(*args, tzinfo=ZoneInfo(zone))


@pytest.fixture
def online(arizona):
    def build(name, zone, weekday, start, end=None):
        return make_meeting(
            arizona,
            name=name,
            location=None,
            timezone=zone,
            conference_url=f"https://meet.example.com/{name.lower().replace(' ', '-')}",
            times=[(weekday, start, end)],
        )

    return build


def test_upcoming_lists_meetings_under_way_first_then_the_next_ones(client, online):
    online("Started", "America/New_York", 2, "18:30", "19:30")  # Tuesday
    online("Next", "America/New_York", 2, "19:15")
    online("Later", "America/New_York", 2, "21:00")
    online("Over", "America/New_York", 2, "17:00", "18:00")
    with time_machine.travel(at("America/New_York", 2026, 11, 24, 19, 0), tick=False):  # a Tuesday
        response = client.get(f"{URL}?upcoming=1")
    assert names(response) == ["Started", "Next", "Later"]


def test_upcoming_is_worked_out_in_each_meetings_own_zone(client, online):
    # 19:00 in New York is 17:00 in Phoenix and midnight in London.
    online("Phoenix soon", "America/Phoenix", 2, "17:30")
    online("London now", "Europe/London", 3, "00:00", "01:00")
    online("Phoenix past", "America/Phoenix", 2, "10:00")
    with time_machine.travel(at("America/New_York", 2026, 11, 24, 19, 0), tick=False):
        assert names(client.get(f"{URL}?upcoming=1")) == ["London now", "Phoenix soon"]


def test_upcoming_wraps_past_midnight_and_the_end_of_the_week(client, online):
    online("Saturday late", "America/New_York", 6, "23:30", "00:30")
    online("Sunday early", "America/New_York", 0, "00:15")
    online("Sunday noon", "America/New_York", 0, "12:00")
    online("Friday", "America/New_York", 5, "20:00")
    with time_machine.travel(at("America/New_York", 2026, 11, 28, 23, 45), tick=False):  # Saturday 23:45
        assert names(client.get(f"{URL}?upcoming=1")) == ["Saturday late", "Sunday early", "Sunday noon"]


def test_a_meeting_that_runs_past_midnight_is_under_way_after_midnight(client, online):
    online("Late night", "America/New_York", 6, "23:30", "00:30")
    with time_machine.travel(at("America/New_York", 2026, 11, 29, 0, 10), tick=False):  # Sunday 00:10
        assert names(client.get(f"{URL}?upcoming=1")) == ["Late night"]


def test_upcoming_uses_the_new_offset_on_the_day_dst_starts(client, online):
    # 8 March 2026: New York springs forward at 02:00. At 13:30 UTC it is 09:30 EDT
    # (it would be 08:30 under the old offset): a 09:00-10:00 meeting is under way.
    online("Morning", "America/New_York", 0, "09:00", "10:00")
    online("Too early", "America/New_York", 0, "08:00", "09:00")
    with time_machine.travel(dt.datetime(2026, 3, 8, 13, 30, tzinfo=dt.UTC), tick=False):
        assert names(client.get(f"{URL}?upcoming=1")) == ["Morning"]


def test_upcoming_on_the_day_dst_ends(client, online):
    # 1 November 2026: New York falls back at 02:00. At 14:30 UTC it is 09:30 EST.
    online("Morning", "America/New_York", 0, "09:00", "10:00")
    online("Ten", "America/New_York", 0, "10:00", "11:00")
    with time_machine.travel(dt.datetime(2026, 11, 1, 14, 30, tzinfo=dt.UTC), tick=False):
        assert names(client.get(f"{URL}?upcoming=1"))[:2] == ["Morning", "Ten"]


def test_phoenix_keeps_its_offset_all_year(online):
    online("Desert", "America/Phoenix", 0, "09:00")
    slot = MeetingTime.objects.get()
    for moment in (dt.datetime(2026, 3, 8, 16, 30, tzinfo=dt.UTC), dt.datetime(2026, 7, 5, 16, 30, tzinfo=dt.UTC)):
        under_way = MeetingTime.objects.upcoming(moment).get()
        assert under_way == slot and under_way.under_way == 0  # 09:30 in Phoenix both times


def test_today_means_today_where_the_meeting_is(client, online):
    # Tuesday 22:30 in Los Angeles is already Wednesday in New York.
    online("NY Wednesday", "America/New_York", 3, "20:00")
    online("LA Tuesday", "America/Los_Angeles", 2, "23:00")
    online("NY Tuesday", "America/New_York", 2, "20:00")
    with time_machine.travel(at("America/Los_Angeles", 2026, 11, 24, 22, 30), tick=False):
        assert set(names(client.get(f"{URL}?day=today"))) == {"NY Wednesday", "LA Tuesday"}
        assert set(names(client.get(f"{URL}?day=tomorrow"))) == set()  # Thursday NY, Wednesday LA: none


def test_online_meetings_show_in_the_viewers_zone(client, online):
    online("London Step", "Europe/London", 2, "20:30")
    with time_machine.travel(at("America/New_York", 2026, 11, 24, 9, 0), tick=False):
        response = client.get(f"{URL}?tz=America/New_York")
    row = response.context["rows"][0]
    assert row.starts.strftime("%H:%M %Z") == "20:30 GMT"
    assert row.viewer_starts.strftime("%a %H:%M") == "Tue 15:30"
    assert "3:30 PM your time" in response.content.decode()


def test_next_occurrence_crosses_a_dst_change_correctly():
    now = dt.datetime(2026, 3, 7, 12, 0, tzinfo=NEW_YORK)  # Saturday before DST starts
    sunday = schedule.next_occurrence(0, dt.time(9), "America/New_York", now)
    assert sunday.isoformat() == "2026-03-08T09:00:00-04:00"


def test_each_meeting_is_shown_in_its_own_local_time(client, arizona, colorado):
    make_meeting(arizona, name="Desert", times=[(1, "19:00", "20:00")])
    make_meeting(colorado, name="Mountain", timezone="America/Denver", times=[(1, "19:00", "20:00")])
    with time_machine.travel(dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        body = client.get(URL).content.decode()
        detail = client.get("/meetings/desert-phoenix/").content.decode()
    assert body.count("7:00 PM") == 2
    assert "MST" in body and "MDT" in body  # Phoenix keeps standard time in July, Denver does not
    assert "7:00 PM–8:00 PM" in detail


def test_the_index_prefilter_of_upcoming_never_changes_what_is_found(arizona):
    """PostgreSQL narrows by the union of every zone's window first; the result must equal the exact test."""
    from meetings.models.querysets import merged, week_window_condition

    zones = ["America/Phoenix", "Pacific/Honolulu", "Australia/Sydney", "Europe/London", "Asia/Tokyo"]
    for n, zone in enumerate(zones):
        for day in range(7):
            make_meeting(
                arizona,
                name=f"{zone} {day}",
                timezone=zone,
                conference_url=f"https://meet.example.com/{n}-{day}",
                times=[(day, "00:10", None), (day, "07:00", None), (day, "12:30", None), (day, "23:50", None)],
            )
    moments = [dt.datetime(2026, 11, 28, 23, 55, tzinfo=ZoneInfo("UTC"))]  # Saturday night: the week wraps
    moments += [dt.datetime(2026, 11, 23, hour, 0, tzinfo=ZoneInfo("UTC")) for hour in range(0, 24, 5)]
    for now in moments:
        zones = MeetingTime.objects.zones()
        exact = MeetingTime.objects.filter(week_window_condition(zones, now, 180, 120))
        exact = set(exact.values_list("pk", flat=True))
        narrowed = MeetingTime.objects.filter(week_window_condition(zones, now, 180, 120, prefilter=True))
        assert exact, now
        assert set(narrowed.values_list("pk", flat=True)) == exact, now
    assert merged([(200, 300), (0, 60), (30, 90), (90, 100)]) == [(0, 100), (200, 300)]
