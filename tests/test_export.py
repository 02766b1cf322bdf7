"""Our Meeting Guide feed, CSV and export: complete, private, fresh, and they import back unchanged."""

import csv
import gzip
import io
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from groups.models import Group, ServiceArea
from meetings.models import Location, Meeting, MeetingTime
from tests.factories import make_group, make_meeting, meeting_change_form

FEED = "/feeds/meeting-guide.json"
REQUIRED = {"name", "slug", "day", "time", "timezone", "types", "url", "updated"}
FORMAT_CODES = set(
    "11 12x12 A ABSI AF AL AL-AN AM AR ASL B BA BE BG BI BRK C CAN CF D DA DB DD DE DR EL EN FA FI FF FR G GR H HE "
    "HI HR HU IS ITA JA KA KOR L LGBTQ LIT LS LT M MED ML MT N NB NDG NE NL NO O OUT P POA POC POL POR PUN RUS S "
    "SEN SK SL SM SP ST SV T TC TH TL TR TUR UK W X XB XT Y ONL".split()
)


def feed(client, **headers):
    response = client.get(FEED, **headers)
    assert response.status_code == 200
    body = b"".join(response) if response.streaming else response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return json.loads(body)


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


def test_every_object_has_the_required_fields_and_valid_types(client, demo):
    objects = feed(client)
    assert len(objects) == MeetingTime.objects.exclude(meeting__status="archived").count()
    for obj in objects:
        assert REQUIRED <= set(obj), obj["slug"]
        assert obj["day"] in range(7)
        assert len(obj["time"]) == 5 and obj["time"][2] == ":"
        assert set(obj["types"]) <= FORMAT_CODES, obj["types"]
        assert ("O" in obj["types"]) != ("C" in obj["types"])
    assert len({obj["slug"] for obj in objects}) == len(objects)  # slugs are unique


def test_time_zones_languages_and_online_meetings_are_mapped(client, demo):
    objects = {obj["slug"]: obj for obj in feed(client)}
    assert {obj["timezone"] for obj in objects.values()} >= {"America/Phoenix", "America/Denver", "Europe/London"}
    esperanza = objects["esperanza-en-linea"]
    assert "S" in esperanza["types"] and "ONL" in esperanza["types"]
    assert esperanza["approximate"] == "yes"
    assert esperanza["conference_url"].startswith("https://meet.example.com/")


def test_the_first_weekly_time_carries_the_slug_and_the_others_a_suffix(client, demo):
    slugs = sorted(obj["slug"] for obj in feed(client) if obj["slug"].startswith("morning-light"))
    assert slugs == ["morning-light"] + [f"morning-light--{n}" for n in range(2, 8)]


def test_private_contacts_and_editors_never_appear_in_any_feed(client, arizona, django_user_model):
    editor = django_user_model.objects.create_user("ed", "editor@example.org", "long-pass-phrase-1")
    group = make_group(
        arizona,
        name="Quiet Group",
        contact_email="secret@example.org",
        contact_phone="+12025550177",
        contact_public=False,
    )
    meeting = make_meeting(arizona, name="Quiet", group=group)
    Meeting.objects.filter(pk=meeting.pk).update(created_by=editor, updated_by=editor)
    for url in [FEED, "/feeds/meetings.csv", "/feeds/meetings.ics", "/api/v1/meetings"]:
        response = client.get(url)
        text = (b"".join(response) if response.streaming else response.content).decode()
        assert "Quiet" in text, url
        for secret in ("secret@example.org", "+12025550177", "editor@example.org", '"ed"'):
            assert secret not in text, (url, secret)


def test_an_edit_in_the_admin_shows_in_the_feed_at_once(admin_client, client, arizona):
    meeting = make_meeting(arizona, name="Before")
    assert [o["name"] for o in feed(client, HTTP_ACCEPT_ENCODING="gzip")] == ["Before"]
    assert [o["name"] for o in feed(client, HTTP_ACCEPT_ENCODING="gzip")] == ["Before"]  # from the cache
    form = meeting_change_form(meeting, name="After")
    assert admin_client.post(reverse("admin:meetings_meeting_change", args=[meeting.pk]), form).status_code == 302
    assert [o["name"] for o in feed(client, HTTP_ACCEPT_ENCODING="gzip")] == ["After"]


def test_the_cached_feed_is_served_gzipped_or_plain(client, demo):
    plain_cold = feed(client)
    response = client.get(FEED, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.content)) == plain_cold
    assert feed(client) == plain_cold  # a client without gzip gets it unpacked
    assert client.get(FEED)["Access-Control-Allow-Origin"] == "*"


def test_the_cached_copy_holds_exactly_the_streamed_bytes_in_order(client, demo):
    """Pieces are packed in another thread while the next is built, then joined: the cache must not reorder them."""
    from django.core.cache import cache

    from meetings import feeds, packing

    class Area:
        def __init__(self, chunks):
            self.chunks = chunks
            with packing.Packer() as packer:
                for chunk in chunks:
                    packer.add(chunk)
            self.packed = packer.result()

        def __iter__(self):
            return iter(self.chunks)

    def objects(start, stop):
        return [f'{{"n":{start}}}'.encode(), *(f',{{"n":{n}}}'.encode() for n in range(start + 1, stop))]

    areas = [Area(objects(0, 300)), Area([]), Area(objects(300, 301)), Area(objects(301, 501))]
    streamed = b"".join(feeds.stream_feed(iter(areas), "test:feed"))
    assert gzip.decompress(cache.get("test:feed")) == streamed  # gzip checks the joined CRC and length too
    assert [o["n"] for o in json.loads(streamed)] == list(range(501))


@pytest.fixture
def built_areas(monkeypatch):
    """The ids of the areas whose piece of the feed is built (not taken from the cache), in order."""
    from meetings import feeds

    built, real = [], feeds.areas_records

    def recording(meetings, area_ids):
        built.extend(area_ids)
        return real(meetings, area_ids)

    monkeypatch.setattr(feeds, "areas_records", recording)
    return built


def cold_feed(client):
    """The feed built from nothing, as if nothing were cached."""
    from django.core.cache import cache

    cache.clear()
    return feed(client)


def test_after_an_edit_only_the_edited_areas_piece_is_read_again(client, demo, built_areas):
    before = feed(client)
    assert len(built_areas) == Meeting.objects.values("area").distinct().count()  # cold: every area
    built_areas.clear()
    meeting = Meeting.objects.filter(area__slug="colorado", status="active").first()
    meeting.name = "Renamed In Colorado"
    meeting.save()
    after = feed(client)
    assert built_areas == [meeting.area_id]
    assert {o["name"] for o in after} - {o["name"] for o in before} == {"Renamed In Colorado"}
    assert after == cold_feed(client)  # the pieces kept and the piece rebuilt make the same feed as a fresh build
    built_areas.clear()
    assert feed(client) == after and built_areas == []  # the whole feed is cached again


def test_a_meeting_moved_to_another_area_leaves_the_first_and_joins_the_second(client, demo, built_areas):
    feed(client)
    built_areas.clear()
    meeting = Meeting.objects.filter(area__slug="colorado", status="active").first()
    washington = ServiceArea.objects.get(slug="washington")
    colorado_id = meeting.area_id
    meeting = Meeting.objects.get(pk=meeting.pk)  # as the admin loads it
    meeting.area = washington
    meeting.save()
    after = feed(client)
    assert sorted(built_areas) == sorted([colorado_id, washington.pk])
    assert {o["entity"] for o in after if o["slug"].startswith(meeting.slug)} == {washington.name}
    assert after == cold_feed(client)


@pytest.mark.parametrize("change", ["type", "place", "bulk import"])
def test_changes_that_reach_several_areas_rebuild_their_pieces(client, demo, built_areas, change):
    feed(client)
    built_areas.clear()
    if change == "type":  # a type's name or code shows in every area
        from meetings.models import MeetingType

        kind = MeetingType.objects.exclude(mg_code="").first()
        kind.name = kind.name + " (renamed)"
        kind.save()
        expected = set(Meeting.objects.values_list("area_id", flat=True))
    elif change == "place":  # a place shared by meetings of two areas
        location = Location.objects.filter(meetings__isnull=False).first()
        other = Meeting.objects.exclude(area=location.meetings.first().area).filter(status="active").first()
        Meeting.objects.filter(pk=other.pk).update(location=location)  # an update sends no signal...
        location.name = "A Shared Hall"
        location.save()  # ...the place's save is what the feed hears
        expected = {location.area_id, *location.meetings.values_list("area_id", flat=True)}
    else:
        from meetings.freshness import bump_listings_version

        bump_listings_version()  # what the importer calls after writing in bulk
        expected = set(Meeting.objects.values_list("area_id", flat=True))
    after = feed(client)
    assert expected <= set(built_areas)
    assert after == cold_feed(client)


def test_one_area_and_an_unknown_area(client, demo):
    names = {obj["entity"] for obj in feed(client)}
    assert len(names) > 1
    response = client.get(FEED + "?area=colorado")
    body = b"".join(response) if response.streaming else response.content
    assert {obj["entity"] for obj in json.loads(body)} == {"Colorado Area"}
    assert client.get(FEED + "?area=atlantis").status_code == 400


def snapshot():
    return sorted(
        (
            m.slug, m.name, m.access, m.language, m.notes, m.timezone, m.status, m.conference_url,
            m.conference_url_notes, m.conference_phone, m.conference_phone_notes,
            tuple(sorted(t.code for t in m.types.all())),
            tuple((t.weekday, str(t.start_time), str(t.end_time)) for t in m.times.order_by("weekday", "start_time")),
            (m.location.name, m.location.address, m.location.city, m.location.state, m.location.postal_code,
             m.location.country, m.location.latitude, m.location.longitude, m.location.approximate,
             m.location.notes) if m.location else None,
            m.group.name if m.group else None,
        )
        for m in Meeting.objects.exclude(status="archived").select_related("location", "group")
        .prefetch_related("types", "times")
    )  # fmt: skip


def wipe_listings():
    MeetingTime.objects.all().delete()
    Meeting.objects.all().delete()
    Location.objects.all().delete()
    Group.objects.all().delete()


@pytest.mark.parametrize("fmt", ["meeting-guide", "csv"])
def test_export_then_import_into_an_empty_directory_gives_the_same_directory(tmp_path, demo, fmt):
    # Types without a Meeting Guide code (H&I) travel as nothing; JFT travels as LIT.
    Meeting.types.through.objects.filter(meetingtype__code__in=["HNI", "JFT"]).delete()
    before = snapshot()
    out = tmp_path / f"export.{'csv' if fmt == 'csv' else 'json'}"
    call_command("export_meetings", "--format", fmt, "--output", str(out))
    wipe_listings()
    area = ServiceArea.objects.get(slug="ha-world-services")
    call_command("import_meetings", str(out), "--area", area.slug, stdout=StringIO(), stderr=StringIO())
    assert snapshot() == before


def test_the_csv_feed_takes_the_search_parameters(client, demo):
    response = client.get("/feeds/meetings.csv?area=colorado&day=1")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows and all(row["day"] == "1" and row["entity"] == "Colorado Area" for row in rows)
    assert client.get("/feeds/meetings.csv?day=9").status_code == 400
