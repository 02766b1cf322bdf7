"""A page asked again in the same minute is served from a copy, until anything in the directory changes."""

import datetime as dt

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_meeting

MOMENT = dt.datetime(2026, 11, 26, 18, 0, 10, tzinfo=dt.UTC)


def queries(client, url, **extra):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(captured), response


def test_the_same_page_in_the_same_minute_costs_no_query(client, arizona):
    make_meeting(arizona, name="Hope")
    with time_machine.travel(MOMENT, tick=False):
        first, page = queries(client, "/meetings/?day=1&q=hope")
        again, copy = queries(client, "/meetings/?q=hope&day=1")
    assert first > 0 and again == 0
    assert copy.content == page.content and copy["Cache-Control"] == "public, max-age=60"


def test_an_edit_shows_at_once_and_a_new_minute_is_a_new_page(client, arizona):
    meeting = make_meeting(arizona, name="Hope")
    with time_machine.travel(MOMENT, tick=False):
        client.get(meeting.get_absolute_url())
        meeting.name = "Hope on Second"
        meeting.save()
        assert "Hope on Second" in client.get(meeting.get_absolute_url()).content.decode()
    with time_machine.travel(MOMENT + dt.timedelta(minutes=1), tick=False):
        assert queries(client, meeting.get_absolute_url())[0] > 0


def test_a_volunteer_or_a_waiting_message_always_gets_a_fresh_page(client, arizona):
    make_meeting(arizona, name="Hope")
    with time_machine.travel(MOMENT, tick=False):
        client.get("/meetings/")
        client.cookies["sessionid"] = "x"
        assert queries(client, "/meetings/")[0] > 0
        del client.cookies["sessionid"]
        client.cookies["messages"] = "x"
        assert queries(client, "/meetings/")[0] > 0


def test_each_language_has_its_own_copy(client, arizona):
    make_meeting(arizona, name="Hope")
    with time_machine.travel(MOMENT, tick=False):
        english = client.get("/meetings/")
        spanish = client.get("/es/meetings/")
    assert '<html lang="en"' in english.content.decode() and '<html lang="es"' in spanish.content.decode()


def test_the_api_search_is_kept_for_the_minute_with_links_to_the_host_asked(client, arizona, settings):
    settings.ALLOWED_HOSTS = ["testserver", "meetings.example.org"]
    meeting = make_meeting(arizona, name="Hope")
    url = "/api/v1/meetings?q=hope"
    with time_machine.travel(MOMENT, tick=False):
        first, answer = queries(client, url)
        again, copy = queries(client, url)
        other_host = client.get(url, HTTP_HOST="meetings.example.org").json()
        assert first > 0 and again == 0 and copy.content == answer.content
        assert answer.json()["results"][0]["url"].startswith("http://testserver/")
        assert other_host["results"][0]["url"].startswith("http://meetings.example.org/")
        meeting.name = "Hope on Second"
        meeting.save()
        assert client.get(url).json()["results"][0]["name"] == "Hope on Second"


def test_a_refused_api_search_is_not_kept(client, arizona):
    with time_machine.travel(MOMENT, tick=False):
        for _ in range(2):
            refused = client.get("/api/v1/meetings?day=9")
            assert refused.status_code == 400 and "public" not in refused.get("Cache-Control", "")


def test_a_page_for_the_visitors_own_point_is_never_kept(client, arizona):
    """"Use my location" sends the phone's point: a copy of that page would store where the visitor is."""
    from django.core.cache import cache

    make_meeting(arizona, name="Hope")
    cache.clear()
    url = "/meetings/?lat=33.45&lng=-112.07&radius=5"
    first, _ = queries(client, url)
    second, response = queries(client, url)
    # The search runs again (its ids); its rows, the form's lists and the cards' parts are kept.
    assert first > second >= 1
    assert "Cache-Control" not in response or "public" not in response["Cache-Control"]
    assert not [key for key in cache._cache if ":page:" in str(key)]  # local memory in tests: nothing kept


def test_a_save_bumps_the_version_again_once_it_is_committed(arizona, django_capture_on_commit_callbacks):
    """A page read between the save and the commit saw the old rows under the new version: the commit moves it on."""
    from meetings.freshness import listings_version

    meeting = make_meeting(arizona, name="Hope")
    with django_capture_on_commit_callbacks(execute=True):
        meeting.name = "Hope Again"
        meeting.save()
        during = listings_version()
    assert listings_version() != during
