"""The printed weekly schedule: daily and weekday meetings once, schedules that are not weekly in words, and the
dated cancellations, closures and moves of the coming weeks."""

import datetime as dt
import html
import re

import pytest

from meetings.models import MeetingTime, ScheduleChange
from meetings.printing.weekly import days_label
from tests.clock import frozen
from tests.factories import make_location, make_meeting
from tests.pdf_pages import pdf_of, text_of

TUESDAY = dt.datetime(2026, 12, 1, 15, tzinfo=dt.UTC)  # 8:00 AM in Phoenix, Tuesday 1 December 2026
EVERY_DAY = [(day, "07:00", "08:00") for day in range(7)]
WEEKDAYS = [(day, "12:00", "13:00") for day in range(1, 6)]


@pytest.fixture
def schedule(arizona):
    tempe = make_location(arizona, city="Tempe", postal_code="85281", latitude=33.42, longitude=-111.94)
    meetings = {
        "daily": make_meeting(arizona, name="Morning Light", times=EVERY_DAY, types=["D"]),
        "weekdays": make_meeting(arizona, name="Noon Hope", times=WEEKDAYS),
        "tuesday": make_meeting(arizona, name="Tuesday Night", times=[(2, "19:00", "20:00")]),
        "two_days": make_meeting(arizona, name="Twice Weekly", times=[(1, "18:00", None), (3, "18:00", None)]),
        "tempe_daily": make_meeting(arizona, name="Tempe Sunrise", location=tempe, times=EVERY_DAY),
        "monthly": make_meeting(arizona, name="First Saturday", times=[]),
        "other_week": make_meeting(arizona, name="Other Sunday", times=[]),
    }
    MeetingTime.objects.create(
        meeting=meetings["monthly"], weekday=6, start_time=dt.time(10), repeats="monthly", weeks_of_month="1,3"
    )
    MeetingTime.objects.create(
        meeting=meetings["other_week"],
        weekday=0,
        start_time=dt.time(17),
        repeats="every_n_weeks",
        interval=2,
        starts_on=dt.date(2026, 11, 29),
    )
    return meetings


def page(client, query):
    response = client.get(f"/print/?{query}&show=1")
    assert response.status_code == 200
    return response, html.unescape(response.content.decode())


def rows_named(body, name):
    return re.findall(rf'<li class="row">.*?{name}.*?</li>', body)


def test_a_daily_meeting_is_listed_once_by_day_with_its_days(client, schedule):
    with frozen(TUESDAY):
        response, body = page(client, "area=arizona")
    (row,) = rows_named(body, "Morning Light")
    assert '<span class="days">Every day</span> 7:00\u00a0AM MST' in row
    heading, days = response.context["sections"][0]
    assert days[0][0] == "Daily and weekday meetings"
    assert [entry.meeting.name for entry in days[0][1]] == ["Morning Light", "Tempe Sunrise", "Noon Hope"]
    assert "Morning Light" not in [entry.meeting.name for _day, entries in days[1:] for entry in entries]


def test_a_meeting_held_monday_to_friday_says_so(client, schedule):
    with frozen(TUESDAY):
        _response, body = page(client, "area=arizona")
    (row,) = rows_named(body, "Noon Hope")
    assert '<span class="days">Mon–Fri</span> 12:00\u00a0PM MST' in row


def test_a_meeting_on_two_days_stays_under_each_of_them(client, schedule):
    with frozen(TUESDAY):
        response, body = page(client, "area=arizona")
    assert len(rows_named(body, "Twice Weekly")) == 2
    days = dict(response.context["sections"][0][1])
    assert "Twice Weekly" in [e.meeting.name for e in days["Monday"]]
    assert "Twice Weekly" in [e.meeting.name for e in days["Wednesday"]]


def test_the_per_day_option_lists_a_daily_meeting_under_every_day(client, schedule):
    with frozen(TUESDAY):
        response, body = page(client, "area=arizona&per_day=1")
    assert len(rows_named(body, "Morning Light")) == 7
    assert "Daily and weekday meetings" not in body
    assert "per_day=1" in response.context["query"]


def test_by_city_each_city_lists_its_daily_meetings_first(client, schedule):
    with frozen(TUESDAY):
        response, _body = page(client, "area=arizona&group=city")
    sections = dict(response.context["sections"])
    assert [day for day, _entries in sections["Tempe"]] == ["Daily and weekday meetings"]
    phoenix = sections["Phoenix"]
    assert phoenix[0][0] == "Daily and weekday meetings"
    assert [e.meeting.name for e in phoenix[0][1]] == ["Morning Light", "Noon Hope"]


@pytest.mark.parametrize(
    "days, label",
    [
        (range(7), "Every day"),
        ([1, 2, 3, 4, 5], "Mon–Fri"),
        ([0, 1, 2, 3, 4], "Sun–Thu"),
        ([1, 2, 3, 5, 6], "Mon–Wed, Fri & Sat"),
        ([6, 0, 1, 2, 3, 4], "Sat–Thu"),
        ([1, 3, 5, 6, 0], "Wed & Fri–Mon"),
    ],
)
def test_days_are_said_as_runs_of_a_week_read_from_monday(days, label):
    assert days_label(days) == label


def test_four_days_a_week_are_not_listed_once(client, arizona):
    make_meeting(arizona, name="Four Days", times=[(day, "09:00", None) for day in (1, 2, 3, 4)])
    with frozen(TUESDAY):
        _response, body = page(client, "area=arizona")
    assert len(rows_named(body, "Four Days")) == 4
    assert "Daily and weekday meetings" not in body


def test_a_daily_meeting_at_two_times_is_listed_once_per_time(client, arizona):
    make_meeting(arizona, name="Twice Daily", times=EVERY_DAY + [(day, "19:00", "20:00") for day in range(7)])
    with frozen(TUESDAY):
        _response, body = page(client, "area=arizona")
    rows = rows_named(body, "Twice Daily")
    assert len(rows) == 2
    assert "7:00\u00a0AM" in rows[0] and "7:00\u00a0PM" in rows[1]


def test_monthly_times_say_which_weeks_and_their_next_date(client, schedule):
    with frozen(TUESDAY):
        _response, body = page(client, "area=arizona")
    (row,) = rows_named(body, "First Saturday")
    assert "1st & 3rd Sat · next: Dec 5" in row


def test_every_other_week_says_so_with_its_next_date(client, schedule):
    with frozen(TUESDAY):
        _response, body = page(client, "area=arizona")
    (row,) = rows_named(body, "Other Sunday")
    assert "Every other week · next: Dec 13" in row  # from 29 November, every other Sunday


def test_a_cancellation_in_the_coming_weeks_is_printed_with_its_note(client, schedule):
    ScheduleChange.objects.create(
        meeting=schedule["daily"], kind=ScheduleChange.Kind.CANCELLED, date=dt.date(2026, 12, 25), note="Christmas Day"
    )
    with frozen(TUESDAY):
        _response, body = page(client, "area=arizona")
    (row,) = rows_named(body, "Morning Light")
    assert '<p class="state">No meeting Fri Dec 25 (Christmas Day)</p>' in row
    assert "Cancellations and closures until December 29 are marked." in body


def test_a_closure_is_printed_once_with_the_day_it_meets_again(client, schedule):
    ScheduleChange.objects.create(
        meeting=schedule["tuesday"],
        kind=ScheduleChange.Kind.CLOSED,
        date=dt.date(2026, 12, 7),
        until=dt.date(2026, 12, 22),
    )
    with frozen(TUESDAY):
        _response, body = page(client, "area=arizona")
    (row,) = rows_named(body, "Tuesday Night")
    assert row.count("Closed from") == 1
    assert "Closed from Tue Dec 8; meets again Tue Dec 22" in row


def test_a_move_says_where_the_meeting_went(client, schedule):
    ScheduleChange.objects.create(
        meeting=schedule["tuesday"],
        kind=ScheduleChange.Kind.MOVED,
        date=dt.date(2026, 12, 15),
        new_date=dt.date(2026, 12, 16),
        new_start=dt.time(18, 30),
    )
    with frozen(TUESDAY):
        _response, body = page(client, "area=arizona")
    (row,) = rows_named(body, "Tuesday Night")
    assert "Not Tue Dec 15: moved to Wed Dec 16, 6:30 PM" in row


def test_changes_after_the_coming_four_weeks_are_not_printed(client, schedule):
    ScheduleChange.objects.create(meeting=schedule["tuesday"], kind="cancelled", date=dt.date(2027, 1, 5))
    with frozen(TUESDAY):
        _response, body = page(client, "area=arizona")
    (row,) = rows_named(body, "Tuesday Night")
    assert "No meeting" not in row


def test_in_the_pdf_a_daily_meeting_appears_once_with_its_days(client, schedule):
    with frozen(TUESDAY):
        reader = pdf_of(client, "area=arizona")
    text = text_of(reader)
    assert text.count("Morning Light") == 1
    # The days above the time, beside the name: "Every day / 7:00 AM MST   Morning Light".
    assert re.search(r"Every day Morning Light .*\n *7:00 AM MST", text)
    assert re.search(r"Mon–Fri Noon Hope .*\n *12:00 PM MST", text)
    assert text.index("Daily and weekday meetings") < text.index("Sunday") < text.index("Monday")
