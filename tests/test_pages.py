"""The public pages open, and say nothing about the visitor to anyone."""

import pytest
from django.urls import reverse

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
