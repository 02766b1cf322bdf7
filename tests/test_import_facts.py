"""The importer keeps every fact the format carries, and says what it could not keep."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from groups.models import Group, ServiceArea
from meetings.importing import import_feed
from meetings.meeting_guide import reading
from meetings.models import Location, Meeting, MeetingTime


def row(**fields):
    base = {
        "name": "Hope", "slug": "hope", "day": 1, "time": "19:00", "end_time": "20:00",
        "formatted_address": "100 Main St, Phoenix, AZ 85004, USA", "latitude": 33.45, "longitude": -112.07,
        "types": ["D", "C"],
    }  # fmt: skip
    base.update(fields)
    return base


def test_regions_become_areas_below_the_target_and_a_dry_run_lists_them(arizona):
    rows = [row(regions=["Phoenix", "Downtown"]), row(slug="b", name="B", region="Tempe")]
    dry = import_feed(rows, area=arizona, dry_run=True)
    assert dry.new_areas == ["Arizona › Phoenix", "Arizona › Phoenix › Downtown", "Arizona › Tempe"]
    assert not ServiceArea.objects.filter(name="Downtown").exists()
    import_feed(rows, area=arizona)
    downtown = ServiceArea.objects.get(name="Downtown")
    assert (downtown.parent.name, downtown.parent.parent) == ("Phoenix", arizona)
    assert Meeting.objects.get(slug="hope").area == downtown
    assert import_feed(rows, area=arizona).new_areas == []


def test_open_or_closed_is_never_invented(arizona):
    import_feed([row(types=["S", "D"])], area=arizona)
    meeting = Meeting.objects.get()
    assert (meeting.access, meeting.language) == ("", "es")


def test_rows_merge_only_when_all_but_day_and_time_agree(arizona):
    rows = [
        row(slug="a", day=1),
        row(slug="b", day=3),
        row(slug="c", day=5, conference_url_notes="Password 2"),  # another listing: other notes
        row(slug="d", day=6, types=["D", "C", "TC"]),  # temporarily closed on Saturdays
    ]
    report = import_feed(rows, area=arizona)
    assert (report.created, report.merged_rows) == (3, 1)
    merged = Meeting.objects.get(source_slug="a")
    assert dict(merged.times.values_list("weekday", "feed_slug")) == {1: "a", 3: "b"}


def test_seventh_tradition_handles_are_kept_with_or_without_a_group(arizona):
    import_feed([row(venmo="@Hope", square="$Hope", paypal="HopeGroup"), row(slug="g", name="G", group="Grp",
                 venmo="@Grp")], area=arizona)  # fmt: skip
    hope, grouped = Meeting.objects.get(slug="hope"), Meeting.objects.get(slug="g")
    assert (hope.venmo, hope.cashapp, hope.paypal) == ("@Hope", "$Hope", "HopeGroup")
    assert grouped.venmo == "@Grp" and grouped.group.name == "Grp"


def test_a_place_or_group_told_two_ways_is_kept_both_ways_and_reported(arizona):
    rows = [
        row(slug="a", location="Hall", location_notes="Side door", group="G", group_notes="Business: 1st Sunday"),
        row(slug="b", name="Other", location="Hall", location_notes="Back door", group="G", group_notes=""),
    ]
    report = import_feed(rows, area=arizona)
    assert sorted(Location.objects.values_list("notes", flat=True)) == ["Back door", "Side door"]
    assert Group.objects.filter(name="G").count() == 2
    notes = " ".join(report.notes)
    assert "described in different ways" in notes and "kept as two groups" in notes


def test_a_bad_time_drops_that_weekly_time_only(arizona):
    report = import_feed([row(slug="a"), row(slug="b", day=3, time="25:99")], area=arizona)
    meeting = Meeting.objects.get()
    assert list(meeting.times.values_list("weekday", flat=True)) == [1]
    assert [(p.row, p.field, p.skipped) for p in report.problems] == [(2, "day/time", True)]


def test_a_marathon_of_a_day_and_the_source_update_time_are_kept(arizona):
    import_feed([row(time="00:00", end_time="23:59", updated="2023-08-29 15:56:59")], area=arizona)
    meeting = Meeting.objects.get()
    assert str(meeting.times.get().end_time) == "23:59:00"
    assert meeting.updated_at == dt.datetime(2023, 8, 29, 15, 56, 59, tzinfo=dt.UTC)


def test_each_meeting_keeps_its_own_source_update_time(arizona):
    """stamp_updated writes every pair in one statement on PostgreSQL: each meeting gets its own time."""
    rows = [row(slug=f"m{n}", name=f"M{n}", updated=f"2023-08-{10 + n} 0{n}:30:00") for n in range(4)]
    rows.append(row(slug="none", name="No time"))
    import_feed(rows, area=arizona)
    found = dict(Meeting.objects.values_list("name", "updated_at"))
    for n in range(4):
        assert found[f"M{n}"] == dt.datetime(2023, 8, 10 + n, n, 30, tzinfo=dt.UTC)
    assert found["No time"].year >= 2026  # none given: the time of the import


def test_a_csv_with_the_formats_plain_headers(arizona, tmp_path):
    feed = tmp_path / "sheet.csv"
    feed.write_text(
        "Name,Day,Time,End Time,Location,Address,City,State,Postal Code,Types,Conference URL,Region\n"
        'Hope,Monday,7:00 PM,8:00 PM,Hall,100 Main St,Phoenix,AZ,85004,"Closed, Discussion",'
        "https://meet.example.com/h,Central\n"
    )
    call_command("import_meetings", str(feed), "--area", "arizona", stdout=StringIO(), stderr=StringIO())
    meeting = Meeting.objects.get()
    assert (meeting.access, [t.code for t in meeting.types.all()], meeting.area.name) == ("closed", ["D"], "Central")
    assert meeting.conference_url == "https://meet.example.com/h"


@pytest.mark.parametrize(
    ("url", "csv_url"),
    [
        ("https://docs.google.com/spreadsheets/d/abc123/edit#gid=42",
         "https://docs.google.com/spreadsheets/d/abc123/export?format=csv&gid=42"),
        ("https://docs.google.com/spreadsheets/d/e/2PACX-xyz/pubhtml",
         "https://docs.google.com/spreadsheets/d/e/2PACX-xyz/pub?output=csv"),
        ("https://docs.google.com/spreadsheets/d/e/2PACX-xyz/pub?gid=0&single=true&output=csv",
         "https://docs.google.com/spreadsheets/d/e/2PACX-xyz/pub?output=csv&gid=0&single=true"),
        ("https://example.org/feed.json", "https://example.org/feed.json"),
    ],
)  # fmt: skip
def test_a_published_google_sheet_is_read_as_csv(url, csv_url):
    assert reading.google_sheet_csv_url(url) == csv_url
    assert reading.guess_kind(reading.google_sheet_csv_url(url)) == ("csv" if "google" in url else "meeting-guide")


def test_row_numbers_and_strict_counts_are_the_rows_own(arizona, tmp_path):
    rows = [row(slug="a"), row(slug="b", day=3, time="x"), row(slug="c", day=4), row(slug="d", name="")]
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps(rows))
    out = StringIO()
    with pytest.raises(CommandError, match="^2 rows cannot be imported"):
        call_command("import_meetings", str(feed), "--area", "arizona", "--strict", stdout=out, stderr=StringIO())
    assert "row 2 (b): day/time" in out.getvalue() and "row 4 (d): name" in out.getvalue()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'[{"name": "A"}, 5]', "not an object"),
        (json.dumps([row(types=5)]).encode(), "must be a list of type codes"),
        (json.dumps([row(name={"x": 1})]).encode(), "must be text, not an object"),
        (json.dumps([row(latitude="nan", longitude="1")]).encode(), "is not a latitude"),
        (json.dumps([row(latitude=95, longitude=1)]).encode(), "is not a latitude"),
        (json.dumps([row(longitude="inf")]).encode(), "is not a longitude"),
    ],
)
def test_malformed_rows_get_a_clear_message(arizona, data, message):
    feed = reading.read_feed(data)
    report = import_feed(feed.rows, area=arizona)
    assert message in " ".join(str(p) for p in report.problems)
    assert not Location.objects.filter(latitude__gt=90).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"[" * 5000 + b"]" * 5000, "not valid JSON"),
        (b'{"a": 1}', "JSON array"),
        (b"x" * (reading.MAX_FEED_BYTES + 1), "at most 52 MB is read"),
        (b"Day,Time\n1,19:00\n", "no Name column"),
    ],
)
def test_unreadable_feeds_are_refused_before_anything_is_cut_or_written(data, message):
    with pytest.raises(reading.FeedError, match=message):
        reading.read_feed(data)


def test_a_latin_1_file_is_read_with_a_note(arizona):
    feed = reading.read_feed("Name,Day,Time,City\nCafé Hope,1,19:00,Phoenix\n".encode("latin-1"))
    assert feed.rows[0]["name"] == "Café Hope" and "not UTF-8" in feed.notes[0]


def test_nul_and_control_characters_are_removed_and_reported(arizona):
    report = import_feed([row(name="Ho\x00pe", notes="Bring\x07 coffee")], area=arizona)
    meeting = Meeting.objects.get()
    assert (meeting.name, meeting.notes) == ("Hope", "Bring coffee")
    assert "control characters" in str(report.problems[0]) and "name, notes" in str(report.problems[0])


def test_names_without_latin_letters_get_unique_slugs(arizona):
    rows = [row(slug="", name="希望", day=1), row(slug="", name="Надежда", day=2), row(slug="", name="أمل", day=3)]
    report = import_feed(rows, area=arizona)
    assert report.created == 3 and report.skipped == 0
    assert len(set(Meeting.objects.values_list("slug", flat=True))) == 3
    assert len(set(MeetingTime.objects.values_list("feed_slug", flat=True))) == 3


def test_a_meeting_an_import_moves_to_another_area_takes_its_change_requests(arizona):
    from meetings.models import ChangeRequest

    import_feed([row(region="Phoenix")], area=arizona)
    meeting = Meeting.objects.get(slug="hope")
    request = ChangeRequest.objects.create(meeting=meeting, message="The door is on the side")
    assert request.area.name == "Phoenix"
    import_feed([row(region="Tempe")], area=arizona)
    request.refresh_from_db()
    meeting.refresh_from_db()
    assert request.area == meeting.area and meeting.area.name == "Tempe"
