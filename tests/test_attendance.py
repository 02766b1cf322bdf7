"""Attendance is derived from the place, the join link and the phone, never typed."""

import pytest

from meetings.models import Attendance, Meeting
from tests.factories import make_location, make_meeting

URL = "https://meet.example.com/ha"
PHONE = "+12025550142"


@pytest.fixture
def city_only(arizona):
    return make_location(arizona, approximate=True, address="", latitude=None, longitude=None)


@pytest.mark.parametrize(
    ("place", "url", "phone", "expected"),
    [
        ("street", "", "", Attendance.IN_PERSON),
        ("street", URL, "", Attendance.HYBRID),
        ("street", "", PHONE, Attendance.HYBRID),
        (None, URL, "", Attendance.ONLINE),
        (None, URL, PHONE, Attendance.ONLINE),
        ("city", URL, "", Attendance.ONLINE),
        (None, "", PHONE, Attendance.PHONE),
        ("city", "", PHONE, Attendance.PHONE),
    ],
)
def test_attendance_is_derived(arizona, city_only, place, url, phone, expected):
    location = {"street": make_location(arizona), "city": city_only, None: None}[place]
    meeting = make_meeting(arizona, location=location, conference_url=url, conference_phone=phone)
    assert meeting.attendance == expected


def test_the_database_filter_agrees_with_the_property(arizona, city_only):
    meetings = [
        make_meeting(arizona),
        make_meeting(arizona, conference_url=URL),
        make_meeting(arizona, location=None, conference_url=URL),
        make_meeting(arizona, location=city_only, conference_phone=PHONE),
        make_meeting(arizona, location=None, conference_phone=PHONE),
    ]
    for kind in Attendance:
        found = set(Meeting.objects.attendable(kind).values_list("pk", flat=True))
        expected = {m.pk for m in meetings if can_attend(m, kind)}
        assert found == expected, kind


def can_attend(meeting, kind):
    physical = meeting.attendance in (Attendance.IN_PERSON, Attendance.HYBRID)
    return {
        Attendance.IN_PERSON: physical,
        Attendance.ONLINE: bool(meeting.conference_url),
        Attendance.PHONE: bool(meeting.conference_phone),
        Attendance.HYBRID: meeting.attendance == Attendance.HYBRID,
    }[kind]
