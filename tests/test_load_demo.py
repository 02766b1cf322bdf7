"""The demo directory: realistic, fictional, and the same however often it is loaded."""

import re

import pytest
from django.core.management import call_command

from groups.models import Group, ServiceArea
from meetings.models import Attendance, Location, Meeting, MeetingTime


def snapshot():
    return {
        "areas": list(ServiceArea.objects.order_by("slug").values()),
        "groups": list(Group.objects.order_by("slug").values()),
        "locations": list(Location.objects.order_by("pk").values()),
        "meetings": list(Meeting.objects.order_by("slug").values().exclude()),
        "types": sorted(Meeting.types.through.objects.values_list("meeting__slug", "meetingtype__code")),
        "times": sorted(MeetingTime.objects.values_list("meeting__slug", "weekday", "start_time", "end_time")),
    }


def without_timestamps(snap):
    for row in snap["meetings"]:
        row.pop("updated_at")
    for table in ("areas", "groups", "locations", "meetings"):
        for row in snap[table]:
            row.pop("version")  # the edit counter: every save raises it, even one that changes nothing
    return snap


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def test_loading_twice_gives_the_same_directory(demo):
    first = without_timestamps(snapshot())
    call_command("load_demo", verbosity=0)
    assert without_timestamps(snapshot()) == first


def test_if_empty_leaves_an_existing_directory_alone(demo):
    Meeting.objects.filter(slug="morning-light").update(name="Changed by a volunteer")
    call_command("load_demo", "--if-empty", verbosity=0)
    assert Meeting.objects.get(slug="morning-light").name == "Changed by a volunteer"


def test_the_demo_is_big_and_varied_enough_to_try_every_search(demo):
    meetings = list(Meeting.objects.select_related("location").prefetch_related("types"))
    assert len(meetings) >= 80
    cities = {m.location.city for m in meetings if m.location}
    assert len(cities) >= 6
    assert "Phoenix" in cities
    assert any(m.location and m.location.country != "US" for m in meetings)
    assert len({m.timezone for m in meetings}) >= 4
    assert "America/Phoenix" in {m.timezone for m in meetings}
    assert {m.attendance for m in meetings} == set(Attendance)
    codes = {t.code for m in meetings for t in m.types.all()}
    assert {"W", "BE", "HNI"} <= codes
    assert any(m.language == "es" for m in meetings)
    assert {m.access for m in meetings} == {"open", "closed"}
    assert sum(m.status == Meeting.Status.TEMPORARILY_CLOSED for m in meetings) >= 1


def test_every_demo_meeting_passes_validation(demo):
    for meeting in Meeting.objects.select_related("location", "group", "area"):
        meeting.full_clean()
    for slot in MeetingTime.objects.all():
        slot.full_clean()
    for location in Location.objects.all():
        location.full_clean()


def test_the_demo_uses_only_fictional_numbers_and_example_links(demo):
    fictional = re.compile(r"^\+1\d{3}55501\d\d(,,\d+#)?$")
    phones = [m.conference_phone for m in Meeting.objects.exclude(conference_phone="")]
    phones += [g.contact_phone for g in Group.objects.exclude(contact_phone="")]
    assert phones and all(fictional.match(p) for p in phones), phones
    urls = [m.conference_url for m in Meeting.objects.exclude(conference_url="")]
    assert urls and all(re.match(r"^https://[\w.-]*example\.(org|com)/", u) for u in urls)
