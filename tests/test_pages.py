"""The public pages open, and say nothing about the visitor to anyone."""

import pytest
from django.urls import reverse

from tests.clock import frozen
from tests.factories import make_group, make_meeting


@pytest.fixture
def meeting(arizona):
    return make_meeting(arizona, name="Hope on Main", group=make_group(arizona, name="Hope Group"))


def test_home_explains_the_site_and_offers_a_search(client, db):
    response = client.get(reverse("meetings:home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Find a Heroin Anonymous meeting" in body
    assert 'name="near"' in body


def test_public_pages_send_no_referrer_and_a_strict_csp(client, meeting):
    for url in [
        "/",
        "/meetings/",
        meeting.get_absolute_url(),
        meeting.group.get_absolute_url(),
        meeting.area.get_absolute_url(),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Referrer-Policy"] == "no-referrer"
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp


def test_healthz(client, db):
    assert client.get("/healthz").content == b"ok"


def test_an_unknown_meeting_is_a_404(client, db):
    assert client.get("/meetings/no-such-meeting/").status_code == 404


def test_the_dial_link_dials_the_access_code_in_one_tap(client, arizona):
    meeting = make_meeting(arizona, name="Phone line", location=None, conference_phone="+12025550142,,123456#")
    body = client.get(meeting.get_absolute_url()).content.decode()
    assert 'href="tel:+12025550142,,123456%23"' in body
    assert "Call +12025550142" in body
    assert "123456#" in body


def test_the_detail_page_has_what_a_newcomer_needs(client, meeting):
    body = client.get(meeting.get_absolute_url()).content.decode()
    assert "Your first meeting" in body
    assert "Directions" in body
    assert "Add to calendar" in body
    assert f"/meetings/{meeting.slug}/report/" in body
    assert "Hope Group" in body
    assert "Not yet checked" in body


def test_the_home_page_shows_online_meetings_starting_soon_and_stays_fresh(client, arizona):
    import datetime as dt
    from zoneinfo import ZoneInfo


    online = make_meeting(
        arizona,
        name="Dawn Zoom",
        location=None,
        conference_url="https://meet.example.com/d",
        times=[(1, "07:00", "08:00")],
    )
    with frozen(dt.datetime(2026, 11, 23, 6, 30, tzinfo=ZoneInfo("America/Phoenix"))):
        assert "Dawn Zoom" in client.get("/").content.decode()
        online.name = "Sunrise Zoom"
        online.save()
        assert "Sunrise Zoom" in client.get("/").content.decode()  # an edit shows at once despite the cache


@pytest.mark.parametrize(
    "url",
    [
        "/meetings/?page=99999999999999999999",
        "/api/v1/meetings?page=99999999999999999999",
        "/areas/arizona/?page=99999999999999999999",
        "/meetings/?lat=1e308&lng=1e308",
        "/meetings/?radius=1e308",
        "/meetings/?radius=nan",
        "/api/v1/meetings?radius=inf",
        "/meetings/?after=24:00",
        "/meetings/?near=%00",
        "/feeds/meetings.csv?page=abc",
        "/print/?show=1&page=x",
        "/print.pdf?title=" + "x" * 500,
    ],
)
def test_huge_and_odd_values_never_give_a_500(client, meeting, url):
    assert client.get(url).status_code < 500
