"""What search engines see: titles, canonical URLs, JSON-LD events, sitemap and robots."""

import json
import re

import pytest

from tests.factories import make_meeting


@pytest.fixture
def meeting(arizona):
    return make_meeting(arizona, name="Hope on Main", times=[(1, "19:00", "20:00"), (4, "19:00", None)])


def json_ld(body):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    return json.loads(match.group(1))


def test_a_meeting_page_has_its_own_title_description_and_canonical_url(client, meeting, settings):
    body = client.get(meeting.get_absolute_url()).content.decode()
    assert "<title>Hope on Main" in body
    assert re.search(
        r'<meta name="description" content="Hope on Main: a Heroin Anonymous meeting\. Every Monday 7:00 PM', body
    )
    assert f'<link rel="canonical" href="{settings.SITE_URL}/meetings/hope-on-main-phoenix/">' in body


def test_a_meeting_page_carries_a_schema_org_event(client, meeting):
    data = json_ld(client.get(meeting.get_absolute_url()).content.decode())
    assert data["@type"] == "Event"
    assert data["name"] == "Hope on Main"
    schedules = data["eventSchedule"]
    assert [(s["byDay"], s["startTime"], s["endTime"]) for s in schedules] == [
        ("https://schema.org/Monday", "19:00", "20:00"),
        ("https://schema.org/Thursday", "19:00", "20:00"),
    ]
    assert schedules[0]["scheduleTimezone"] == "America/Phoenix"
    assert data["location"]["address"]["addressLocality"] == "Phoenix"


def test_json_ld_cannot_break_out_of_its_script(client, arizona):
    meeting = make_meeting(arizona, name="</script><script>alert(1)</script>")
    body = client.get(meeting.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in body
    assert json_ld(body)["name"] == "</script><script>alert(1)</script>"


def test_the_sitemap_lists_public_meetings_only(client, meeting, arizona):
    hidden = make_meeting(arizona, name="Gone", status="archived")
    body = client.get("/sitemap.xml").content.decode()
    assert meeting.get_absolute_url() in body
    assert hidden.get_absolute_url() not in body
    assert "/areas/arizona/" in body


def test_robots_points_to_the_sitemap(client, db):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /admin/" in body
