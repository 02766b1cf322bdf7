"""The "next 7 days" sheet: real dates from today (or a chosen day), tonight's remaining meetings first,
in-person meetings near a place, online and phone meetings at the client's time, and the changes of those dates."""

import datetime as dt
import html
import re

import pytest

from meetings.models import Meeting, MeetingTime, ScheduleChange
from tests.clock import frozen
from tests.factories import make_location, make_meeting
from tests.pdf_pages import pdf_of, text_of

THURSDAY_EVENING = dt.datetime(2026, 12, 4, 2, 30, tzinfo=dt.UTC)  # 7:30 PM in Phoenix, Thursday 3 December
THURSDAY_MORNING = dt.datetime(2026, 12, 3, 16, tzinfo=dt.UTC)  # 9:00 AM in Phoenix
WEEK = [
    "Tonight, Thursday, December 3",
    "Tomorrow, Friday, December 4",
    "Saturday, December 5",
    "Sunday, December 6",
    "Monday, December 7",
    "Tuesday, December 8",
    "Wednesday, December 9",
]


@pytest.fixture
def week(world, arizona, colorado):
    denver = make_location(
        colorado, city="Denver", state="CO", postal_code="80202", latitude=39.7392, longitude=-104.9903,
        timezone="America/Denver",
    )  # fmt: skip
    found = {
        "early": make_meeting(arizona, name="Early Hope", times=[(4, "18:00", "19:00")]),
        "evening": make_meeting(arizona, name="Evening Hope", times=[(4, "19:00", "20:00")]),
        "late": make_meeting(arizona, name="Late Hope", times=[(4, "21:00", "22:00")]),
        "friday": make_meeting(arizona, name="Friday Hope", times=[(5, "12:00", "13:00")]),
        "monday": make_meeting(arizona, name="Monday Hope", times=[(1, "18:00", "19:00")]),
        "tuesday": make_meeting(arizona, name="Tuesday Hope", times=[(2, "18:00", "19:00")]),
        "zoom": make_meeting(
            arizona, name="Zoom Hope", location=None, conference_url="https://meet.example.com/z",
            times=[(6, "18:00", "19:00")],
        ),
        "world_phone": make_meeting(
            world, name="World Phone", location=None, conference_phone="+15550100123", timezone="America/New_York",
            times=[(0, "20:00", "21:00")],
        ),
        "colorado_zoom": make_meeting(
            colorado, name="Colorado Zoom", location=None, conference_url="https://meet.example.com/co",
            timezone="America/Denver", times=[(6, "18:00", None)],
        ),
        "denver": make_meeting(colorado, name="Mile High", location=denver, timezone="America/Denver"),
    }  # fmt: skip
    ScheduleChange.objects.create(
        meeting=found["monday"], kind="cancelled", date=dt.date(2026, 12, 7), note="Building closed"
    )
    ScheduleChange.objects.create(
        meeting=found["tuesday"], kind="closed", date=dt.date(2026, 12, 1), until=dt.date(2026, 12, 15)
    )
    return found


def sheet(client, query):
    response = client.get(f"/print/?kind=next7&{query}&show=1")
    assert response.status_code == 200
    return response, html.unescape(response.content.decode())


def headings(response):
    return [day for _heading, days in response.context["sections"] for day, _entries in days]


def listed(response):
    sections = response.context["sections"]
    return {day: [e.meeting.name for e in entries] for _heading, days in sections for day, entries in days}


def test_the_sheet_starts_with_tonights_remaining_meetings_then_carries_dates(client, week):
    with frozen(THURSDAY_EVENING):
        response, body = sheet(client, "near=85004")
    assert headings(response) == WEEK
    tonight = listed(response)[WEEK[0]]
    assert tonight == ["Evening Hope", "Late Hope"]  # under way, then later; the 6 PM meeting is over
    assert "Early Hope" not in body
    assert listed(response)[WEEK[1]] == ["Friday Hope"]
    assert re.search(r'<h2 class="day">Tonight, Thursday, December 3</h2>\s*<ol class="rows">', body)


def test_earlier_in_the_day_it_is_today(client, week):
    with frozen(THURSDAY_MORNING):
        response, _body = sheet(client, "near=85004")
    assert headings(response)[0] == "Today, Thursday, December 3"
    assert listed(response)["Today, Thursday, December 3"] == ["Early Hope", "Evening Hope", "Late Hope"]


def test_a_meeting_under_way_since_last_night_is_listed_under_today(client, arizona):
    make_meeting(arizona, name="Midnight Hope", times=[(4, "23:30", "01:00")])  # Thursday night
    with frozen(dt.datetime(2026, 12, 4, 7, 30, tzinfo=dt.UTC)):  # 0:30 AM on Friday in Phoenix
        response, _body = sheet(client, "area=arizona")
    assert listed(response)["Today, Friday, December 4"] == ["Midnight Hope"]


def test_a_day_without_meetings_says_so(client, week):
    with frozen(THURSDAY_EVENING):
        response, body = sheet(client, "near=85004&remote=0")
    assert listed(response)["Wednesday, December 9"] == []
    assert re.search(r"Wednesday, December 9</h2>\s*<p class=\"none\">No meetings listed on this day.</p>", body)


def test_online_and_phone_meetings_are_printed_at_the_clients_time(client, week):
    with frozen(THURSDAY_EVENING):
        response, body = sheet(client, "near=85004&tz=America/New_York")
    zoom = re.search(r'<li class="row">[^\n]*?Zoom Hope.*?</li>', body).group(0)
    assert "8:00\u00a0PM EST" in zoom  # 6:00 PM in Phoenix
    friday = re.search(r'<li class="row">[^\n]*?Friday Hope.*?</li>', body).group(0)
    assert "12:00\u00a0PM MST" in friday  # in person: where it is held
    # The client's days: it is already 9:30 PM on Thursday in New York.
    assert headings(response)[0] == "Tonight, Thursday, December 3"
    assert "Online and phone meetings are at America/New York time." in body


def test_the_clients_zone_defaults_to_the_places(client, week):
    with frozen(THURSDAY_EVENING):
        _response, body = sheet(client, "near=85004")
    zoom = re.search(r'<li class="row">[^\n]*?Zoom Hope.*?</li>', body).group(0)
    assert "6:00\u00a0PM MST" in zoom
    assert "Online and phone meetings are at America/Phoenix time." in body


def test_online_meetings_are_those_of_the_areas_near_the_place_and_above(client, week):
    with frozen(THURSDAY_EVENING):
        _response, body = sheet(client, "near=85004")
    assert "Zoom Hope" in body and "World Phone" in body  # Arizona's, and the world service's
    assert "Colorado Zoom" not in body and "Mile High" not in body


def test_online_meetings_held_in_the_clients_zone_are_listed_wherever_their_area(client, week):
    with frozen(THURSDAY_EVENING):
        _response, body = sheet(client, "near=85004&tz=America/Denver")
    colorado = re.search(r'<li class="row">[^\n]*?Colorado Zoom.*?</li>', body).group(0)
    assert "6:00\u00a0PM MST" in colorado  # Denver's 6:00 PM, in Denver's zone
    assert "Mile High" not in body


def test_a_sheet_stops_at_400_meetings_and_says_on_which_day(client, arizona):
    hall = make_location(arizona, name="Big Hall")
    meetings = Meeting.objects.bulk_create(
        Meeting(name=f"Daily {n}", slug=f"daily-{n}", area=arizona, location=hall, timezone="America/Phoenix")
        for n in range(60)
    )
    MeetingTime.objects.bulk_create(
        MeetingTime(meeting=meeting, weekday=day, start_time=dt.time(8 + n % 12))
        for n, meeting in enumerate(meetings)
        for day in range(7)
    )
    with frozen(THURSDAY_MORNING):
        response, body = sheet(client, "area=arizona")
    assert len(response.context["rows"]) == 400
    assert "This sheet stops at 400 meetings, on Wednesday, December 9" in body


def test_online_meetings_can_be_left_out(client, week):
    with frozen(THURSDAY_EVENING):
        _response, body = sheet(client, "near=85004&remote=0")
    assert "Zoom Hope" not in body and "World Phone" not in body and "Late Hope" in body


def test_a_whole_area_lists_its_online_meetings_too(client, week):
    with frozen(THURSDAY_EVENING):
        _response, body = sheet(client, "area=arizona")
    assert "Zoom Hope" in body and "Late Hope" in body and "Colorado Zoom" not in body


def test_cancellations_and_closures_of_those_dates_are_printed(client, week):
    with frozen(THURSDAY_EVENING):
        _response, body = sheet(client, "near=85004")
    monday = re.search(r'<li class="row">[^\n]*?Monday Hope.*?</li>', body).group(0)
    assert "No meeting this day (Building closed)" in monday
    tuesday = re.search(r'<li class="row">[^\n]*?Tuesday Hope.*?</li>', body).group(0)
    assert "Closed; meets again Tuesday, December 15" in tuesday


def test_a_chosen_first_day_starts_there_at_midnight(client, week):
    with frozen(THURSDAY_EVENING):
        response, _body = sheet(client, "near=85004&start=2026-12-07")
    assert headings(response)[:2] == ["Monday, December 7", "Tuesday, December 8"]
    assert headings(response)[-1] == "Sunday, December 13"
    assert listed(response)["Thursday, December 10"] == ["Early Hope", "Evening Hope", "Late Hope"]
    assert "start=2026-12-07" in response.context["query"]


@pytest.mark.parametrize("start", ["2027-03-01", "2026-11-01"])
def test_a_first_day_outside_the_known_dates_is_refused_with_a_message(client, week, start):
    with frozen(THURSDAY_EVENING):
        _response, body = sheet(client, f"near=85004&start={start}")
        pdf = client.get(f"/print.pdf?kind=next7&near=85004&start={start}")
    assert "Choose a first day from 2026-12-03 to 2027-01-07: dates further ahead are not known yet." in body
    assert pdf.status_code == 400 and "First day: Choose a first day" in pdf.content.decode()


def test_a_malformed_first_day_is_refused_with_a_message(client, week):
    _response, body = sheet(client, "near=85004&start=next+friday")
    assert "Enter a date as YYYY-MM-DD, for example 2026-12-04." in body


def test_without_a_place_an_area_or_a_zone_the_sheet_asks_for_the_zone(client, week):
    _response, body = sheet(client, "type=D")
    assert "Choose the client's time zone, a place or a service area: the dates depend on it." in body
    pdf = client.get("/print.pdf?kind=next7&type=D")
    assert pdf.status_code == 400 and "Client's time zone: Choose the client's time zone" in pdf.content.decode()


def test_the_pdf_starts_with_tonight_and_carries_the_dates(client, week):
    with frozen(THURSDAY_EVENING):
        text = text_of(pdf_of(client, "kind=next7&near=85004"))
    positions = [re.search(rf"^{day}$", text, re.MULTILINE).start() for day in WEEK]  # the headings' lines
    assert positions == sorted(positions)
    assert text.index("Evening Hope") < text.index("Late Hope") < text.index(WEEK[1]) < text.index("Friday Hope")
    assert "Early Hope" not in text


def test_the_sheet_costs_the_same_queries_for_5_or_30_meetings(client, arizona, django_assert_num_queries):
    def add(count):
        for n in range(count):
            make_meeting(arizona, types=["D", "SP"][: n % 3], times=[(n % 7, "19:00", None)])

    url = "/print/?kind=next7&area=arizona&show=1"
    with frozen(THURSDAY_MORNING):  # every one of the seven days' 7 PM meetings is still to come
        add(5)
        client.get(url)
        # The area and its sub-areas, the dates with their meetings, times, places and changes, their types.
        with django_assert_num_queries(4):
            assert len(client.get(url).context["rows"]) == 5
        add(25)
        with django_assert_num_queries(4):
            assert len(client.get(url).context["rows"]) == 30
