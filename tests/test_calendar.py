"""iCalendar files parse, repeat weekly in the meeting's zone, and land right around DST."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from tests.clock import frozen
from tests.factories import make_location, make_meeting


@pytest.fixture
def meeting(colorado):
    denver = make_location(colorado, city="Denver", timezone="America/Denver", address="1 Larimer St")
    return make_meeting(
        colorado,
        name="Mile High",
        location=denver,
        conference_url="https://meet.example.com/m",
        times=[(0, "09:00", "10:00"), (3, "19:00", "20:30")],
    )


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def occurrences(event, count):
    start = event.decoded("dtstart")
    rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=start)
    return [rule[i] for i in range(count)]


def test_a_meetings_ics_has_one_weekly_event_per_time_with_its_zone(client, meeting):
    cal = parse(client.get(f"/meetings/{meeting.slug}.ics"))
    events = cal.walk("VEVENT")
    assert len(events) == 2
    zones = [tz["TZID"] for tz in cal.walk("VTIMEZONE")]
    assert zones == ["America/Denver"]
    for event in events:
        assert event["dtstart"].params["TZID"] == "America/Denver"
        assert event["rrule"]["FREQ"] == ["WEEKLY"]
        assert "1 Larimer St" in str(event["location"])
        assert "https://meet.example.com/m" in str(event["description"])


def test_weekly_occurrences_keep_local_time_across_dst(client, meeting):
    with frozen(dt.datetime(2026, 2, 20, 12, tzinfo=dt.UTC)):
        cal = parse(client.get(f"/meetings/{meeting.slug}.ics"))
    sunday = next(e for e in cal.walk("VEVENT") if e["rrule"]["BYDAY"] == ["SU"])
    weeks = occurrences(sunday, 4)  # 22 Feb .. 15 Mar 2026; DST starts 8 March
    assert [w.strftime("%Y-%m-%d %H:%M") for w in weeks] == [
        "2026-02-22 09:00",
        "2026-03-01 09:00",
        "2026-03-08 09:00",
        "2026-03-15 09:00",
    ]
    utc_hours = [w.astimezone(ZoneInfo("UTC")).hour for w in weeks]
    assert utc_hours == [16, 16, 15, 15]  # MST then MDT
    assert sunday.decoded("dtend") - sunday.decoded("dtstart") == dt.timedelta(hours=1)


def test_the_search_feed_uses_the_same_filters(client, meeting, arizona):
    make_meeting(arizona, name="Desert", times=[(3, "12:00", None)])
    cal = parse(client.get("/feeds/meetings.ics?day=3"))
    summaries = sorted(str(e["summary"]) for e in cal.walk("VEVENT"))
    assert summaries == ["Desert (HA meeting)", "Mile High (HA meeting)"]
    assert {tz["TZID"] for tz in cal.walk("VTIMEZONE")} == {"America/Denver", "America/Phoenix"}
    only = parse(client.get("/feeds/meetings.ics?area=colorado&day=0"))
    assert [str(e["summary"]) for e in only.walk("VEVENT")] == ["Mile High (HA meeting)"]


def test_bad_parameters_give_a_400_with_the_reason(client, meeting):
    response = client.get("/feeds/meetings.ics?day=9")
    assert response.status_code == 400
    assert "'9' is not a day" in response.content.decode()
