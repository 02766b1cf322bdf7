"""What each object of our Meeting Guide feed and CSV carries: a place for every meeting, nothing empty,
one slug per weekly time for life, nothing a city-only place hides, no formula a spreadsheet would run."""

import csv
import gzip
import io
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from meetings.models import Meeting, MeetingTime
from tests.factories import make_area, make_location, make_meeting

FEED = "/feeds/meeting-guide.json"


def feed(client, query=""):
    response = client.get(FEED + query)
    assert response.status_code == 200, response.content[:300]
    body = b"".join(response) if response.streaming else response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return json.loads(body)


def csv_rows(client, query=""):
    response = client.get("/feeds/meetings.csv" + query)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


def test_every_object_carries_a_place_and_no_empty_value(client, demo):
    objects = feed(client)
    assert objects
    for obj in objects:
        assert obj.get("formatted_address"), obj["slug"]
        assert all(value not in ("", None, []) for value in obj.values()), obj["slug"]
        assert len(obj["slug"]) <= 64
    phone_only = next(o for o in objects if o["slug"] == "call-in-serenity")
    assert phone_only["approximate"] == "yes" and phone_only["formatted_address"] == "Online and Phone Meetings"
    assert "conference_url" not in phone_only and phone_only["conference_phone"].startswith("+1202555")


def test_regions_are_the_area_path_below_the_feeds_area(client, world):
    arizona = make_area("Arizona", parent=world)
    phoenix = make_area("Phoenix District", parent=arizona)
    make_meeting(phoenix, name="Deep")
    [whole] = feed(client)
    assert (whole["regions"], whole["region"], whole["sub_region"]) == (["Arizona", "Phoenix District"], "Arizona",
                                                                        "Phoenix District")  # fmt: skip
    [below] = feed(client, "?area=arizona")
    assert below["regions"] == ["Phoenix District"] and "sub_region" not in below


def test_open_closed_and_language_are_written_only_when_known(client, arizona):
    make_meeting(arizona, name="Unsaid", access="", language="")
    make_meeting(arizona, name="English", access="open", language="en")
    types = {o["name"]: o.get("types", []) for o in feed(client)}
    assert types == {"Unsaid": [], "English": ["EN", "O"]}


def test_a_meeting_by_appointment_has_no_day_and_no_time(client, arizona):
    make_meeting(arizona, name="Ask", times=())
    [obj] = feed(client)
    assert "day" not in obj and "time" not in obj and obj["slug"] == Meeting.objects.get().slug


def test_each_weekly_time_keeps_its_slug_when_days_come_and_go(client, arizona):
    meeting = make_meeting(arizona, name="Hope", times=((1, "19:00", None), (3, "19:00", None), (5, "19:00", None)))
    before = {o["day"]: o["slug"] for o in feed(client)}
    assert before == {1: "hope-phoenix", 3: "hope-phoenix--2", 5: "hope-phoenix--3"}
    meeting.times.get(weekday=1).delete()
    MeetingTime.objects.create(meeting=meeting, weekday=0, start_time="10:00")
    after = {o["day"]: o["slug"] for o in feed(client)}
    assert after == {0: "hope-phoenix--4", 3: "hope-phoenix--2", 5: "hope-phoenix--3"}  # Monday's is not reused


def test_a_slug_too_long_for_the_format_is_cut_and_kept_unique(client, arizona):
    long = "a-very-long-meeting-name-that-goes-on-and-on-past-the-sixty-four-characters-of-the-format"
    make_meeting(arizona, name="Long", slug=long, times=((1, "19:00", None), (2, "19:00", None)))
    slugs = sorted(o["slug"] for o in feed(client))
    assert slugs == [long[:64], long[:64].rstrip("-")[:61] + "--2"] or all(len(s) <= 64 for s in slugs)
    assert len(set(slugs)) == 2 and all(len(s) <= 64 for s in slugs)


def test_a_city_only_place_shows_neither_its_name_nor_its_door_in_the_feed_or_csv(client, arizona):
    hidden = make_location(
        arizona, name="Smith residence", address="12 Quiet Lane", postal_code="85004", notes="Ring twice",
        latitude=33.44841, longitude=-112.07404, approximate=True,
    )  # fmt: skip
    make_meeting(arizona, name="Private", location=hidden, conference_url="https://meet.example.com/p")
    [obj] = feed(client)
    [row] = csv_rows(client)
    for published in (obj, row):
        text = json.dumps(published)
        for secret in ("Smith residence", "Quiet Lane", "85004", "Ring twice", "33.44841", "-112.07404"):
            assert secret not in text
    assert (obj["city"], obj["approximate"], obj["latitude"]) == ("Phoenix", "yes", 33.4)


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(client, arizona, tmp_path):
    make_meeting(arizona, name="=HYPERLINK(\"http://evil.example\")", notes="@SUM(1)", conference_phone="+12025550123",
                 location=make_location(arizona, longitude=-112.07))  # fmt: skip
    [row] = csv_rows(client)
    assert row["name"].startswith("'=") and row["notes"].startswith("'@") and row["conference_phone"] == "'+12025550123"
    assert row["longitude"].startswith("-")  # numbers are numbers
    out = tmp_path / "export.csv"
    call_command("export_meetings", "--format", "csv", "--output", str(out))
    assert "'=HYPERLINK" in out.read_text()


def test_the_csv_imports_back_to_the_same_values(client, arizona, colorado, tmp_path):
    make_meeting(arizona, name="-Minus", conference_phone="+12025550123", conference_url="https://meet.example.com/x",
                 location=None)  # fmt: skip
    out = tmp_path / "export.csv"
    call_command("export_meetings", "--format", "csv", "--output", str(out))
    call_command("import_meetings", str(out), "--area", "colorado", stdout=StringIO(), stderr=StringIO())
    copy = Meeting.objects.get(area__parent=colorado)  # in its region, "Arizona", now an area below Colorado
    assert (copy.name, copy.conference_phone) == ("-Minus", "+12025550123")


def test_feeds_take_any_search_parameter_and_refuse_bad_ones_with_the_filters_message(client, arizona):
    make_meeting(arizona, name="Monday", times=((1, "19:00", None),))
    make_meeting(arizona, name="Friday", times=((5, "19:00", None),))
    assert [o["name"] for o in feed(client, "?day=5")] == ["Friday"]
    assert [r["name"] for r in csv_rows(client, "?day=1&area=arizona")] == ["Monday"]
    for url in (FEED + "?area=atlantis", FEED + "?day=9", "/feeds/meetings.csv?area=atlantis"):
        response = client.get(url)
        assert response.status_code == 400
        assert (
            "There is no service area with that name." in response.content.decode()
            or "day" in response.content.decode()
        )


def test_export_takes_the_same_parameters(arizona, tmp_path):
    make_meeting(arizona, name="Monday", times=((1, "19:00", None),))
    make_meeting(arizona, name="Friday", times=((5, "19:00", None),))
    out = StringIO()
    call_command("export_meetings", "--area", "arizona", "--filter", "day=5", stdout=out)
    assert [o["name"] for o in json.loads(out.getvalue())] == ["Friday"]
    with pytest.raises(CommandError, match="There is no service area with that name"):
        call_command("export_meetings", "--area", "atlantis", stdout=StringIO())


def test_weekly_times_written_in_bulk_without_a_slug_still_get_one(client, arizona):
    meeting = make_meeting(arizona, name="Bulk", times=())
    MeetingTime.objects.bulk_create(
        [MeetingTime(meeting=meeting, weekday=day, start_time="19:00") for day in (2, 4)]  # no save(): no slug
    )
    assert sorted(o["slug"] for o in feed(client)) == [meeting.slug, f"{meeting.slug}--2"]
