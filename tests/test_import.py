"""Importing Meeting Guide feeds: tolerant of real feeds, validated, atomic, and a no-op the second time."""

import json
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from meetings.importing import import_feed
from meetings.models import Location, Meeting, MeetingTime

# Real feeds, copied into the repository (tests/data/README.md names their sources).
FEEDS = Path(__file__).resolve().parent / "data" / "feeds"
SAN_JOSE = FEEDS / "aasanjose-tsml-693-meetings.json"
ORANGE_COUNTY = FEEDS / "orange-county-tsml-1967-meetings.json"


def row(**fields):
    base = {
        "name": "Hope",
        "slug": "hope",
        "day": 1,
        "time": "19:00",
        "end_time": "20:00",
        "formatted_address": "100 Main St, Phoenix, AZ 85004, USA",
        "latitude": 33.45,
        "longitude": -112.07,
        "types": ["D", "C"],
    }
    base.update(fields)
    return base


def run(rows, area, **options):
    return import_feed(rows, area=area, **options)


@pytest.mark.parametrize("path", [SAN_JOSE, ORANGE_COUNTY], ids=["san-jose-693", "orange-county-1967"])
def test_a_real_feed_imports_and_a_second_import_changes_nothing(arizona, path):
    rows = json.loads(path.read_text())
    started = time.perf_counter()
    first = run(rows, arizona, default_timezone="America/Los_Angeles")
    print(f"{path.name}: {first.summary()} in {time.perf_counter() - started:.1f} s")
    meetings = first.created
    assert meetings > 0
    assert first.created + first.merged_rows + first.skipped == len(rows)
    assert Meeting.objects.count() == meetings
    by_appointment = sum(1 for r in rows if r.get("day") is None)
    assert MeetingTime.objects.count() <= len(rows) - first.skipped - by_appointment
    skipped_rows = {p.row for p in first.problems if p.skipped}
    assert first.skipped == 0 or skipped_rows  # every skipped row is reported
    second = run(rows, arizona, default_timezone="America/Los_Angeles")
    assert (second.created, second.updated, second.unchanged) == (0, 0, meetings)


def test_the_orange_county_feed_shows_its_real_problems(arizona):
    report = run(json.loads(ORANGE_COUNTY.read_text()), arizona, default_timezone="America/Los_Angeles")
    messages = " ".join(str(p) for p in report.problems)
    assert "http:// join link changed to https://" in messages
    assert any("author" in note for note in report.notes)  # editor logins are not imported
    assert not Meeting.objects.filter(notes__icontains="manager@oc-aa.org").exists()


def test_strict_mode_imports_nothing_when_a_row_fails(arizona):
    report = run([row(), row(slug="broken", name="", day=2)], arizona, strict=True)
    assert report.strict_failed
    assert Meeting.objects.count() == 0 and Location.objects.count() == 0


def test_the_default_mode_imports_the_good_rows_and_lists_the_rest(arizona):
    report = run([row(), row(slug="broken", name="")], arizona)
    assert report.created == 1 and report.skipped == 1
    assert [(p.row, p.field) for p in report.problems] == [(2, "name")]


def test_a_dry_run_writes_nothing_but_reports_everything(arizona):
    report = run([row(), row(slug="two", name="Two", day="Friday")], arizona, dry_run=True)
    assert report.created == 2
    assert Meeting.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "check"),
    [
        ({"latitude": "33.45", "longitude": "-112.07"}, lambda m: m.location.latitude == 33.45),
        ({"day": "Wednesday"}, lambda m: m.times.get().weekday == 3),
        ({"day": "sábado"}, lambda m: m.times.get().weekday == 6),
        ({"time": "6:00 PM", "end_time": "7:30 pm"}, lambda m: str(m.times.get().start_time) == "18:00:00"),
        ({"end_time": ""}, lambda m: m.times.get().end_time is None),
        ({"types": ["O", "W"]}, lambda m: m.access == "open" and [t.code for t in m.types.all()] == ["W"]),
        ({"types": ["S", "D"]}, lambda m: m.language == "es"),
        (
            {"approximate": "yes", "conference_url": "https://meet.example.com/h"},
            lambda m: m.location.approximate and m.attendance == "online",
        ),
        ({"timezone": "America/Denver"}, lambda m: m.timezone == "America/Denver"),
        ({"day": [1, 3, 5]}, lambda m: sorted(m.times.values_list("weekday", flat=True)) == [1, 3, 5]),
    ],
)
def test_messy_values_of_real_feeds_are_understood(arizona, fields, check):
    report = run([row(**fields)], arizona, default_timezone="America/Phoenix")
    assert report.created == 1, report.problems
    assert check(Meeting.objects.get())


def test_a_missing_time_zone_comes_from_the_option_or_the_area(arizona):
    run([row()], arizona, default_timezone="America/Chicago")
    run([row(slug="two", name="Two")], arizona)
    assert dict(Meeting.objects.values_list("slug", "timezone")) == {
        "hope": "America/Chicago",
        "two": "America/Phoenix",
    }


def test_both_open_and_closed_is_kept_as_not_known_and_said(arizona):
    report = run([row(types=["O", "C"])], arizona)
    assert Meeting.objects.get().access == ""
    assert "kept as not known" in str(report.problems[0])
    assert report.created == 1


def test_rows_of_one_meeting_on_other_days_become_its_weekly_times(arizona):
    report = run([row(), row(slug="hope-2", day=4), row(slug="hope-3", day=6, time="10:00", end_time="11:00")], arizona)
    meeting = Meeting.objects.get()
    assert meeting.slug == "hope"
    assert sorted(meeting.times.values_list("weekday", flat=True)) == [1, 4, 6]
    assert (report.created, report.merged_rows) == (1, 2)


def test_a_duplicate_slug_of_another_meeting_is_reported(arizona):
    report = run([row(), row(name="Other", notes="different")], arizona)
    assert report.created == 1 and report.skipped == 1
    assert "same slug" in str(report.problems[0])


def test_a_row_without_a_way_to_attend_gets_the_models_message(arizona):
    report = run([row(formatted_address="", conference_url="")], arizona)
    assert report.created == 0
    assert "a way to attend" in str(report.problems[0])


def test_a_bad_join_link_is_left_out_but_the_row_kept(arizona):
    report = run([row(conference_url="zoom.example.com/j/1")], arizona)
    assert report.created == 1
    assert Meeting.objects.get().conference_url == ""
    assert not report.problems[0].skipped


def test_an_http_join_link_becomes_https_with_a_note(arizona):
    report = run([row(conference_url="http://zoom.example.com/j/1")], arizona)
    assert Meeting.objects.get().conference_url == "https://zoom.example.com/j/1"
    assert "changed to https://" in str(report.problems[0]) and not report.problems[0].skipped


def test_another_areas_slug_is_not_taken_over(arizona, colorado):
    run([row()], colorado)
    report = run([row(name="Hope AZ")], arizona)
    assert report.created == 1
    slugs = dict(Meeting.objects.values_list("area__slug", "slug"))
    assert slugs == {"colorado": "hope", "arizona": "hope-arizona"}
    assert run([row(name="Hope AZ")], arizona).unchanged == 1  # found again by its feed slug


def test_a_change_in_the_feed_updates_the_meeting(arizona):
    run([row()], arizona)
    report = run([row(time="19:30", notes="New room")], arizona)
    assert report.updated == 1
    meeting = Meeting.objects.get()
    assert meeting.notes == "New room"
    assert str(meeting.times.get().start_time) == "19:30:00"


def test_the_command_reports_counts_and_problems(arizona, tmp_path):
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps([row(), row(slug="x", name="")]))
    out, err = StringIO(), StringIO()
    call_command("import_meetings", str(feed), "--area", "arizona", stdout=out, stderr=err)
    assert "1 meetings created" in out.getvalue()
    assert "row 2 (x): name: missing" in out.getvalue()


def test_the_command_reads_csv(arizona, tmp_path):
    feed = tmp_path / "feed.csv"
    feed.write_text(
        "name,slug,day,time,formatted_address,latitude,longitude,types\n"
        'Hope,hope,Monday,7:00 PM,"100 Main St, Phoenix, AZ 85004, USA",33.45,-112.07,"D,C"\n'
    )
    call_command("import_meetings", str(feed), "--area", "arizona", stdout=StringIO(), stderr=StringIO())
    meeting = Meeting.objects.get()
    assert (meeting.times.get().weekday, meeting.location.city, meeting.access) == (1, "Phoenix", "closed")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.json", "--area", "arizona"], "No file at missing.json"),
        (["{feed}", "--area", "atlantis"], "There is no service area 'atlantis'"),
        (["{bad}", "--area", "arizona"], "not valid JSON"),
        (["{feed}", "--area", "arizona", "--timezone", "Mars/Base"], "Unknown time zone"),
    ],
)
def test_the_command_explains_what_is_wrong(arizona, tmp_path, args, message):
    (tmp_path / "feed.json").write_text(json.dumps([row()]))
    (tmp_path / "bad.json").write_text("{not json")
    args = [a.format(feed=tmp_path / "feed.json", bad=tmp_path / "bad.json") for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("import_meetings", *args, stdout=StringIO(), stderr=StringIO())


def test_strict_command_fails_and_imports_nothing(arizona, tmp_path):
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps([row(), row(slug="x", name="")]))
    with pytest.raises(CommandError, match="nothing imported"):
        call_command(
            "import_meetings", str(feed), "--area", "arizona", "--strict", stdout=StringIO(), stderr=StringIO()
        )
    assert not Meeting.objects.exists()


def admin_import(client, area, content, name="feed.json", **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"feed_file": SimpleUploadedFile(name, content.encode()), "area": area.pk, **fields}
    return client.post("/admin/meetings/meeting/import/", data)


def test_the_admin_import_page_dry_runs_then_imports(admin_client, arizona):
    content = json.dumps([row(), row(slug="x", name="")])
    response = admin_import(admin_client, arizona, content, dry_run="on")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Dry run: nothing was written" in body and "missing: every meeting needs a name" in body
    assert not Meeting.objects.exists()
    admin_import(admin_client, arizona, content)
    assert Meeting.objects.get().slug == "hope"


def test_the_admin_import_page_refuses_unreadable_files(admin_client, arizona):
    response = admin_import(admin_client, arizona, "{not json")
    assert "not valid JSON" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_volunteer_cannot_import_into_another_area(client, django_user_model, arizona, colorado):
    from groups.models import Membership

    volunteer = django_user_model.objects.create_user("b", "b@example.org", "long-pass-phrase-2")
    Membership.objects.create(user=volunteer, area=colorado)
    client.force_login(volunteer)
    response = admin_import(client, arizona, json.dumps([row()]))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Meeting.objects.exists()
    assert client.get("/admin/meetings/meeting/import/").status_code == 200


def test_the_admin_dry_run_lists_the_areas_a_feed_would_add(admin_client, arizona):
    response = admin_import(admin_client, arizona, json.dumps([row(regions=["Central"])]), dry_run="on")
    assert "Arizona › Central" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_admin_refuses_a_file_too_large_before_reading_it(admin_client, arizona, monkeypatch):
    from meetings.meeting_guide import reading

    monkeypatch.setattr(reading, "MAX_FEED_BYTES", 100)
    response = admin_import(admin_client, arizona, json.dumps([row(), row(slug="b", day=2)]))
    assert "at most 0 MB is read. Nothing was imported" in response.content.decode()
    assert not Meeting.objects.exists()
