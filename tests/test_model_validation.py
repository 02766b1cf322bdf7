"""Volunteers get a refusal that says why, for each rule of a listing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from meetings.models import Location, Meeting, MeetingTime
from tests.factories import make_group, make_location, make_meeting


def errors_of(instance):
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def test_an_in_person_location_needs_an_address_or_a_pin(arizona):
    location = Location(area=arizona, city="Phoenix", timezone="America/Phoenix")
    assert "street address or a map pin" in errors_of(location)["address"][0]


def test_a_location_with_a_pin_but_no_street_is_accepted(arizona):
    Location(area=arizona, city="Phoenix", latitude=33.4, longitude=-112.0, timezone="America/Phoenix").full_clean()


def test_a_city_only_location_needs_neither(arizona):
    Location(area=arizona, city="Phoenix", approximate=True, timezone="America/Phoenix").full_clean()


def test_half_a_pin_is_refused(arizona):
    location = Location(area=arizona, city="Phoenix", address="1 Main St", latitude=33.4, timezone="America/Phoenix")
    assert "both latitude and longitude" in errors_of(location)["longitude"][0]


def test_a_latitude_off_the_globe_is_refused(arizona):
    location = Location(area=arizona, city="X", address="1 Main St", latitude=91, longitude=0, timezone="UTC")
    assert "latitude" in errors_of(location)


def test_an_unknown_time_zone_is_refused_with_an_example(arizona):
    location = Location(area=arizona, city="Phoenix", address="1 Main St", timezone="Mars/Olympus_Mons")
    message = errors_of(location)["timezone"][0]
    assert "Unknown time zone 'Mars/Olympus_Mons'" in message
    assert "America/Phoenix" in message


def test_a_meeting_needs_a_way_to_attend(arizona):
    meeting = Meeting(name="Nowhere", slug="nowhere", area=arizona)
    assert "a way to attend" in errors_of(meeting)["location"][0]


@pytest.mark.parametrize("url", ["http://zoom.example.com/j/1", "zoom.us/j/123", "ftp://example.org/x", "https://"])
def test_an_online_meeting_needs_an_https_join_link(arizona, url):
    meeting = Meeting(name="Online", slug="online", area=arizona, conference_url=url)
    assert "https://" in errors_of(meeting)["conference_url"][0]


def test_a_valid_join_link_is_accepted(arizona):
    Meeting(name="Online", slug="online", area=arizona, conference_url="https://meet.example.com/ha-1").full_clean()


@pytest.mark.parametrize("phone", ["call me", "01-00", "+1 555 010 01x3", "12345"])
def test_a_phone_meeting_needs_a_dialable_number(arizona, phone):
    meeting = Meeting(name="Phone", slug="phone", area=arizona, conference_phone=phone)
    assert "a phone can dial" in errors_of(meeting)["conference_phone"][0]


def test_a_dialable_number_is_stored_without_spaces_so_tel_links_work(arizona):
    meeting = Meeting(name="Phone", slug="phone", area=arizona, conference_phone="+1 (202) 555-0142,,123456#")
    meeting.full_clean()
    assert meeting.conference_phone == "+12025550142,,123456#"


def test_a_meeting_refuses_a_group_of_another_area(arizona, colorado):
    group = make_group(colorado)
    meeting = Meeting(name="X", slug="x", area=arizona, group=group, conference_url="https://meet.example.com/x")
    assert "another service area" in errors_of(meeting)["group"][0]


def test_a_meeting_accepts_a_group_of_a_sub_area(arizona, phoenix_district):
    group = make_group(phoenix_district)
    Meeting(name="X", slug="x", area=arizona, group=group, conference_url="https://meet.example.com/x").full_clean()


def test_a_meeting_time_cannot_end_when_it_starts(arizona):
    meeting = make_meeting(arizona)
    slot = MeetingTime(meeting=meeting, weekday=2, start_time=dt.time(19), end_time=dt.time(19))
    assert "cannot end when it starts" in errors_of(slot)["end_time"][0]


def test_a_marathon_of_almost_a_day_is_allowed(arizona):
    meeting = make_meeting(arizona)
    slot = MeetingTime(meeting=meeting, weekday=2, start_time=dt.time(0), end_time=dt.time(23, 59))
    slot.full_clean()
    assert slot.duration == dt.timedelta(hours=23, minutes=59)


def test_a_meeting_may_run_past_midnight(arizona):
    meeting = make_meeting(arizona)
    slot = MeetingTime(meeting=meeting, weekday=5, start_time=dt.time(23, 30), end_time=dt.time(0, 30))
    slot.full_clean()
    assert slot.duration == dt.timedelta(hours=1)


def test_a_weekday_outside_the_week_is_refused(arizona):
    meeting = make_meeting(arizona)
    slot = MeetingTime(meeting=meeting, weekday=7, start_time=dt.time(19))
    assert "weekday" in errors_of(slot)


def test_a_meeting_without_end_time_lasts_an_hour(arizona):
    meeting = make_meeting(arizona, times=[(3, "12:00", None)])
    assert meeting.times.get().duration == dt.timedelta(hours=1)


def test_a_new_meeting_takes_its_time_zone_from_its_location(colorado):
    location = make_location(colorado, city="Denver", timezone="America/Denver")
    meeting = make_meeting(colorado, location=location)
    assert meeting.timezone == "America/Denver"


def test_an_online_meeting_takes_its_time_zone_from_its_area(colorado):
    meeting = make_meeting(colorado, conference_url="https://meet.example.com/a")
    assert meeting.timezone == "America/Denver"


def test_a_location_without_a_zone_gets_the_zone_of_its_pin(arizona):
    location = make_location(arizona, city="Denver", latitude=39.74, longitude=-104.99, timezone="")
    assert location.timezone == "America/Denver"


def test_slugs_are_made_unique(arizona):
    first = make_meeting(arizona, name="Hope")
    second = make_meeting(arizona, name="Hope", location=first.location)
    assert first.slug == "hope-phoenix"
    assert second.slug == "hope-phoenix-2"
