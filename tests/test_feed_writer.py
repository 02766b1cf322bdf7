"""How the feed's writer reads and writes each meeting: the format's order, nothing empty, the bytes of the
objects themselves, and batches the garbage collector can leave alone."""

import datetime as dt
import gc
import json

import orjson
import pytest

from meetings.meeting_guide import writing
from meetings.models import Meeting, MeetingTime
from tests.factories import make_area, make_group, make_location, make_meeting

SITE = "https://ha.example.org"
EVERY_FIELD = [
    "name", "timezone", "types", "notes", "conference_url", "conference_url_notes", "conference_phone",
    "conference_phone_notes", "regions", "region", "sub_region", "updated", "url", "feedback_url", "entity",
    "entity_email", "entity_phone", "entity_url", "location", "formatted_address", "address", "city", "state",
    "postal_code", "country", "approximate", "location_notes", "group", "group_notes", "venmo", "square", "paypal",
    "latitude", "longitude", "slug", "day", "time", "end_time",
]  # fmt: skip


@pytest.fixture
def full_meeting(world):
    """A meeting with every field the format has: a weekly time with an end, and a monthly one with dates."""
    state = make_area(parent=world, name="Arizona")
    district = make_area(
        parent=state, name="Phoenix District", helpline_email="help@example.org", helpline_phone="+15550100",
        website="https://phx.example.org",
    )  # fmt: skip
    group = make_group(district, name="Hope Group", notes="Since 1990", venmo="@hope", cashapp="$hope", paypal="hope")
    place = make_location(
        district, name="St. Mark's", address="12 Main St", state="AZ", postal_code="85004", notes="Side door"
    )
    meeting = make_meeting(
        district, name="Hope", notes="Bring a friend", conference_url="https://meet.example.com/hope",
        conference_url_notes="Passcode 1", conference_phone="+15550101", conference_phone_notes="Press 1",
        location=place, group=group, access=Meeting.Access.OPEN, other_types=["XX"],
        times=((1, "19:00", "20:00"),), types=["D"],
    )  # fmt: skip
    MeetingTime.objects.create(
        meeting=meeting, weekday=5, start_time=dt.time(10), repeats="monthly", weeks_of_month="1,3",
        starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31),
    )  # fmt: skip
    return meeting


def written(meetings, root=None):
    """(the feed's JSON of `meetings`, the objects of the export as JSON): the two writers of the format."""
    ctx = writing.context(SITE, root=root)
    records = list(writing.records(meetings))
    feed = b",".join(writing.meeting_json(record, ctx) for record in records)
    export = b",".join(orjson.dumps(obj) for obj in writing.objects(records, ctx))
    return feed, export


def test_an_object_with_every_field_has_them_in_the_formats_order(full_meeting):
    feed, export = written(Meeting.objects.filter(pk=full_meeting.pk))
    assert feed == export
    weekly, monthly = json.loads(b"[" + feed + b"]")
    assert list(weekly) == EVERY_FIELD
    rule = ["repeats", "schedule", "weeks_of_month", "first_date", "last_date"]
    assert list(monthly) == [field for field in EVERY_FIELD if field != "end_time"] + rule
    assert monthly["notes"].endswith(".\nBring a friend") and weekly["notes"] == "Bring a friend"
    assert weekly["regions"] == ["Arizona", "Phoenix District"] and weekly["sub_region"] == "Phoenix District"
    assert weekly["types"] == ["D", "EN", "O", "ONL", "XX"]
    assert (weekly["group_notes"], weekly["venmo"], weekly["square"]) == ("Since 1990", "@hope", "$hope")


def test_empty_fields_are_left_out_whoever_gives_them(world):
    area = make_area(parent=world, name="Quiet")
    group = make_group(area, venmo="@group")
    online = make_meeting(area, name="Online", location=None, conference_url="https://meet.example.com/x")
    grouped = make_meeting(area, name="Grouped", group=group, access="", language="", times=())
    city_only = make_meeting(area, location=make_location(area, name="Home", address="1 Elm St", approximate=True))
    feed, export = written(Meeting.objects.filter(pk__in=[online.pk, grouped.pk, city_only.pk]).order_by("pk"))
    assert feed == export
    first, second, third = json.loads(b"[" + feed + b"]")
    assert first["formatted_address"] == "Quiet" and first["approximate"] == "yes" and "latitude" not in first
    assert "region" in first and "sub_region" not in first and "entity_email" not in first
    assert second["venmo"] == "@group" and "group_notes" not in second and "types" not in second
    assert "day" not in second and second["slug"] == grouped.slug  # by appointment
    assert "location" not in third and "address" not in third and third["latitude"] == 33.4
    assert all(value not in ("", None, []) for obj in (first, second, third) for value in obj.values())


def test_a_place_is_worked_out_once_for_all_its_meetings_and_each_place_keeps_its_own(world):
    """Places are read once by id, not joined to each meeting: meetings there share its fields, others have theirs."""
    area = make_area(parent=world)
    shared, other = make_location(area, latitude=0.0, longitude=10.0), make_location(area, latitude=5.0)
    for place in (shared, shared, other):
        make_meeting(area, location=place)
    make_meeting(area, location=None, conference_url="https://meet.example.com/x")
    first, second, third, online = writing.records(Meeting.objects.filter(area=area))
    assert first.place is second.place and third.place is not first.place and online.place is None
    ctx = writing.context(SITE)
    latitudes = [writing.meeting_fields(record, ctx).get("latitude") for record in (first, third, online)]
    assert latitudes == [0.0, 5.0, None]


def test_a_batchs_times_and_codes_are_plain_tuples_the_collector_stops_following(world):
    area = make_area(parent=world)
    make_meeting(area, times=((1, "19:00", "20:00"), (3, "07:00", None)), types=["D", "W"])
    (record,) = writing.records(Meeting.objects.filter(area=area))
    assert type(record.slots) is tuple and all(type(slot) is tuple for slot in record.slots)
    assert [slot[4] for slot in record.slots] == [None, None]  # weekly: no rule, not even an empty dict
    assert type(record.codes) is tuple and sorted(record.codes) == ["D", "W"]
    gc.collect()
    gc.collect()
    assert not gc.is_tracked(record.slots)


def test_two_times_on_the_same_day_and_hour_come_in_the_order_they_were_made(world):
    """A weekly time and a one-off at the same hour: one order on every database, so slugs given in bulk hold."""
    area = make_area(parent=world)
    meeting = make_meeting(area, times=())
    MeetingTime.objects.bulk_create(
        [
            MeetingTime(
                meeting=meeting, weekday=4, start_time=dt.time(19), repeats="once", starts_on=dt.date(2026, 12, 17)
            ),
            MeetingTime(meeting=meeting, weekday=4, start_time=dt.time(19)),
        ]
    )  # no save(): no slug
    (record,) = writing.records(Meeting.objects.filter(pk=meeting.pk))
    assert [(slot[0], slot[4] and slot[4]["repeats"]) for slot in record.slots] == [
        (meeting.slug, "once"),
        (f"{meeting.slug}--2", None),
    ]
