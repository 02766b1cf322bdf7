"""How the Meeting Guide feed is built: one pass when cold, one area after an edit, the same bytes either way."""

import gzip
import json
import zlib
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings import feeds, packing
from meetings.freshness import bump_listings_version, versioned_key
from meetings.models import Meeting, MeetingTime
from tests.factories import make_area, make_meeting

FEED = "/feeds/meeting-guide.json"


def body(client):
    response = client.get(FEED)
    assert response.status_code == 200
    return b"".join(response) if response.streaming else response.content


@pytest.fixture
def built_areas(monkeypatch):
    """The ids of the areas whose piece of the feed is built (not taken from the cache), request by request."""
    built, real = [], feeds.areas_records

    def recording(meetings, area_ids):
        built.append(list(area_ids))
        return real(meetings, area_ids)

    monkeypatch.setattr(feeds, "areas_records", recording)
    return built


@pytest.fixture
def small_pieces(monkeypatch):
    """Every area in several pieces, and kept pieces unpacked in many chunks: where a stray comma would slip in."""
    real_unpacked = packing.unpacked
    monkeypatch.setattr(feeds, "MEETINGS_PER_PIECE", 2)
    monkeypatch.setattr(packing, "unpacked", lambda piece: real_unpacked(piece, size=64))


def test_the_cold_feed_in_one_pass_and_the_pieces_built_one_area_at_a_time_are_the_same_bytes(
    client, db, built_areas, small_pieces
):
    call_command("load_demo", stdout=StringIO())
    cold = body(client)
    area_ids = sorted(set(Meeting.objects.public().values_list("area_id", flat=True)))
    assert len(area_ids) > 2 and built_areas == [area_ids]  # every area, in one pass
    objects = json.loads(cold)
    assert len(objects) == MeetingTime.objects.exclude(meeting__status="archived").count()
    for area_id in area_ids:
        built_areas.clear()
        bump_listings_version(sender=Meeting, instance=Meeting.objects.public().filter(area_id=area_id).first())
        assert body(client) == cold  # the other areas' pieces from the cache, this one built alone
        assert built_areas == [[area_id]]
        assert gzip.decompress(client.get(FEED, HTTP_ACCEPT_ENCODING="gzip").content) == cold  # joined, not packed anew
    cache.delete(versioned_key("feed:meeting-guide:"))  # the whole feed's copy: joined again from the pieces
    built_areas.clear()
    assert body(client) == cold and built_areas == []  # every piece as built alone, joined


def cold_feed_queries(client):
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert json.loads(body(client))
    return len(captured)


def test_a_cold_feed_costs_the_same_seven_queries_for_2_or_12_areas(client, world):
    for _ in range(2):
        make_meeting(make_area(parent=world), types=["D"], times=[(1, "19:00", "20:00"), (3, "07:00", None)])
    two_areas = cold_feed_queries(client)
    for _ in range(10):
        make_meeting(make_area(parent=world), types=["W"], conference_url="https://meet.example.com/x")
    # The areas, the areas with meetings, the meetings' keys, their places, then meetings, times and types
    # per 5,000 meetings.
    assert cold_feed_queries(client) == two_areas == 7


def test_an_edit_reads_only_its_areas_meetings_in_the_same_queries(client, world, built_areas):
    areas = [make_area(parent=world) for _ in range(4)]
    meetings = [make_meeting(area) for area in areas for _ in range(3)]
    body(client)
    meetings[4].name = "Renamed"
    meetings[4].save()
    with CaptureQueriesContext(connection) as captured:
        assert "Renamed" in {obj["name"] for obj in json.loads(body(client))}
    assert built_areas[-1] == [meetings[4].area_id]
    assert len(captured) == 7  # as many as a cold feed: the same one pass, over one area's meetings


@pytest.mark.parametrize("sizes", [(0, 0), (3, 0), (0, 5), (1000, 77777), (70000, 3)])
def test_packed_pieces_join_into_one_gzip_file_with_the_right_crc(sizes):
    pieces = [bytes(range(256)) * (size // 256) + b"x" * (size % 256) for size in sizes]
    assert packing.crc32_combine(zlib.crc32(pieces[0]), zlib.crc32(pieces[1]), len(pieces[1])) == zlib.crc32(
        b"".join(pieces)
    )
    joined = packing.gzip_of([packing.packed(piece) for piece in pieces])
    assert gzip.decompress(joined) == b"".join(pieces)  # gzip checks the CRC and the length


def gzip_body(client):
    """(the feed's gzip bytes as sent to an app, whether they were streamed while built)."""
    response = client.get(FEED, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    return (b"".join(response) if response.streaming else response.content), response.streaming


def test_an_app_gets_the_gzip_while_it_is_built_the_same_bytes_as_kept(client, db, built_areas, small_pieces):
    call_command("load_demo", stdout=StringIO())
    cold = body(client)
    cache.clear()
    streamed, streaming = gzip_body(client)
    assert streaming and gzip.decompress(streamed) == cold
    assert gzip_body(client) == (streamed, False)  # what was sent is what was kept
    area_ids = sorted(set(Meeting.objects.public().values_list("area_id", flat=True)))
    for area_id in (area_ids[0], area_ids[-1]):
        built_areas.clear()
        bump_listings_version(sender=Meeting, instance=Meeting.objects.public().filter(area_id=area_id).first())
        after_edit, streaming = gzip_body(client)
        assert streaming and built_areas == [[area_id]]  # the others sent as kept
        assert after_edit == streamed and gzip_body(client) == (streamed, False)


def test_an_app_gets_an_empty_area_as_nothing_not_a_stray_comma(client, world, monkeypatch):
    """An area whose meetings went between the two reads: no objects, and no comma before the next area."""
    areas = [make_area(parent=world) for _ in range(3)]
    for area in areas:
        make_meeting(area)
    real = feeds.areas_records

    def second_area_gone(meetings, area_ids):
        for area_id, records in zip(area_ids, real(meetings, area_ids), strict=True):
            yield iter(()) if area_id == areas[1].pk else records

    monkeypatch.setattr(feeds, "areas_records", second_area_gone)
    streamed, _ = gzip_body(client)
    assert len(json.loads(gzip.decompress(streamed))) == 2
    cache.delete(versioned_key("feed:meeting-guide:"))
    assert json.loads(body(client)) == json.loads(gzip.decompress(streamed))  # the kept empty piece, joined


def test_a_packer_gives_its_bytes_in_order_as_they_are_packed():
    pieces = [bytes([n]) * 50_000 for n in range(5)]
    with packing.Packer() as packer:
        given = []
        for piece in pieces:
            packer.add(piece)
            given += packer.ready()
    given += packer.ready(wait=True)
    assert b"".join(given) == packer.result().deflated
    assert zlib.decompressobj(-15).decompress(b"".join(given)) == b"".join(pieces)
