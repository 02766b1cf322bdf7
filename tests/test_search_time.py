"""Time zones, "today", and the upcoming window, with frozen clocks."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from meetings import schedule
from meetings.models import MeetingTime, Occurrence
from tests.clock import frozen
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
    with frozen(at("America/New_York", 2026, 11, 24, 19, 0)):  # a Tuesday
        response = client.get(f"{URL}?upcoming=1")
    assert names(response) == ["Started", "Next", "Later"]


def test_upcoming_is_worked_out_in_each_meetings_own_zone(client, online):
    # 19:00 in New York is 17:00 in Phoenix and midnight in London.
    online("Phoenix soon", "America/Phoenix", 2, "17:30")
    online("London now", "Europe/London", 3, "00:00", "01:00")
    online("Phoenix past", "America/Phoenix", 2, "10:00")
    with frozen(at("America/New_York", 2026, 11, 24, 19, 0)):
        assert names(client.get(f"{URL}?upcoming=1")) == ["London now", "Phoenix soon"]


def test_upcoming_wraps_past_midnight_and_the_end_of_the_week(client, online):
    online("Saturday late", "America/New_York", 6, "23:30", "00:30")
    online("Sunday early", "America/New_York", 0, "00:15")
    online("Sunday noon", "America/New_York", 0, "12:00")
    online("Friday", "America/New_York", 5, "20:00")
    with frozen(at("America/New_York", 2026, 11, 28, 23, 45)):  # Saturday 23:45
        assert names(client.get(f"{URL}?upcoming=1")) == ["Saturday late", "Sunday early", "Sunday noon"]


def test_a_meeting_that_runs_past_midnight_is_under_way_after_midnight(client, online):
    online("Late night", "America/New_York", 6, "23:30", "00:30")
    with frozen(at("America/New_York", 2026, 11, 29, 0, 10)):  # Sunday 00:10
        assert names(client.get(f"{URL}?upcoming=1")) == ["Late night"]


def test_upcoming_uses_the_new_offset_on_the_day_dst_starts(client, online):
    # 8 March 2026: New York springs forward at 02:00. At 13:30 UTC it is 09:30 EDT
    # (it would be 08:30 under the old offset): a 09:00-10:00 meeting is under way.
    online("Morning", "America/New_York", 0, "09:00", "10:00")
    online("Too early", "America/New_York", 0, "08:00", "09:00")
    with frozen(dt.datetime(2026, 3, 8, 13, 30, tzinfo=dt.UTC)):
        assert names(client.get(f"{URL}?upcoming=1")) == ["Morning"]


def test_upcoming_on_the_day_dst_ends(client, online):
    # 1 November 2026: New York falls back at 02:00. At 14:30 UTC it is 09:30 EST.
    online("Morning", "America/New_York", 0, "09:00", "10:00")
    online("Ten", "America/New_York", 0, "10:00", "11:00")
    with frozen(dt.datetime(2026, 11, 1, 14, 30, tzinfo=dt.UTC)):
        assert names(client.get(f"{URL}?upcoming=1"))[:2] == ["Morning", "Ten"]


def test_phoenix_keeps_its_offset_all_year(online):
    online("Desert", "America/Phoenix", 0, "09:00")
    slot = MeetingTime.objects.get()
    for moment in (dt.datetime(2026, 3, 8, 16, 30, tzinfo=dt.UTC), dt.datetime(2026, 7, 5, 16, 30, tzinfo=dt.UTC)):
        with frozen(moment):
            under_way = Occurrence.objects.upcoming(moment).get()
        assert under_way.meeting_time == slot
        assert under_way.starts_at <= moment < under_way.ends_at  # 09:30 in Phoenix both times


def test_today_means_today_where_the_meeting_is(client, online):
    # Tuesday 22:30 in Los Angeles is already Wednesday in New York.
    online("NY Wednesday", "America/New_York", 3, "20:00")
    online("LA Tuesday", "America/Los_Angeles", 2, "23:00")
    online("NY Tuesday", "America/New_York", 2, "20:00")
    with frozen(at("America/Los_Angeles", 2026, 11, 24, 22, 30)):
        assert set(names(client.get(f"{URL}?day=today"))) == {"NY Wednesday", "LA Tuesday"}
        assert set(names(client.get(f"{URL}?day=tomorrow"))) == set()  # Thursday NY, Wednesday LA: none


def test_online_meetings_show_in_the_viewers_zone(client, online):
    online("London Step", "Europe/London", 2, "20:30")
    with frozen(at("America/New_York", 2026, 11, 24, 9, 0)):
        response = client.get(f"{URL}?tz=America/New_York")
    row = response.context["rows"][0]
    assert row.starts.strftime("%H:%M %Z") == "20:30 GMT"
    assert row.viewer_starts.strftime("%a %H:%M") == "Tue 15:30"
    assert "3:30 PM your time" in response.content.decode()


def test_the_next_date_crosses_a_dst_change_correctly():
    saturday = dt.date(2026, 3, 7)  # the day before New York springs forward
    [(sunday, ends)] = schedule.Rule(0, dt.time(9)).instants("America/New_York", saturday, saturday + dt.timedelta(1))
    assert sunday.isoformat() == "2026-03-08T09:00:00-04:00"
    assert ends - sunday == dt.timedelta(hours=1)


def test_each_meeting_is_shown_in_its_own_local_time(client, arizona, colorado):
    make_meeting(arizona, name="Desert", times=[(1, "19:00", "20:00")])
    make_meeting(colorado, name="Mountain", timezone="America/Denver", times=[(1, "19:00", "20:00")])
    with frozen(dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC)):
        body = client.get(URL).content.decode()
        detail = client.get("/meetings/desert-phoenix/").content.decode()
    assert body.count("7:00 PM") == 2
    assert "MST" in body and "MDT" in body  # Phoenix keeps standard time in July, Denver does not
    assert "7:00 PM–8:00 PM" in detail


def test_upcoming_answers_what_the_rules_say_in_every_zone_and_at_the_end_of_the_week(arizona):
    """The table of dates answers "under way or starting in the next 24 hours" exactly as the rules do."""
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
    moments += [dt.datetime(2026, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC"))]  # the year ends
    for now in moments:
        expected = set()
        for meeting_time in MeetingTime.objects.select_related("meeting"):
            zone = meeting_time.meeting.timezone
            today = schedule.local_now(zone, now).date()
            for begins, ends in meeting_time.rule.instants(zone, today - dt.timedelta(1), today + dt.timedelta(2)):
                if ends > now and begins <= now + dt.timedelta(hours=24):
                    expected.add(meeting_time.pk)
        with frozen(now):
            found = set(Occurrence.objects.upcoming(now).values_list("meeting_time_id", flat=True))
        assert found == expected, now
        assert expected, now
