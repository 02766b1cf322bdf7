"""English at each page's own address, Spanish under /es/: a switch that keeps the search, hreflang, a sitemap
of both, a suggestion (never a silent flip) for a browser that prefers Spanish; feeds and the API stay neutral."""

import re

import pytest

from tests.factories import make_meeting


@pytest.fixture
def meeting(arizona):
    return make_meeting(arizona, name="Hope", times=[(6, "19:00", "20:30")])


def test_spanish_pages_live_under_es_and_say_so(client, meeting):
    response = client.get("/es/meetings/", {"near": "85004"})
    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    assert '<html lang="es"' in response.content.decode()


def test_a_bookmarked_english_page_stays_english_whatever_the_browser_prefers(client, meeting):
    response = client.get("/meetings/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    body = response.content.decode()
    assert response["Content-Language"] == "en" and '<html lang="en"' in body
    # Only a suggestion, which the page's script shows to such a browser, once.
    suggestion = re.search(r'<p class="language-suggestion" data-language-suggestion="es"[^>]*hidden>(.*?)</p>', body)
    assert suggestion and 'href="/es/meetings/"' in suggestion.group(1)


def test_the_switch_keeps_the_search(client, meeting):
    body = client.get("/meetings/", {"near": "85004", "day": ["1", "3"]}).content.decode()
    assert re.search(r'<a href="/es/meetings/\?near=85004&amp;day=1&amp;day=3" hreflang="es" lang="es"', body)
    back = client.get("/es/meetings/", {"near": "85004"}).content.decode()
    assert re.search(r'<a href="/meetings/\?near=85004" hreflang="en" lang="en"', back)


def test_each_page_names_its_other_languages(client, meeting, settings):
    settings.SITE_URL = "https://meetings.example.org"
    body = client.get(meeting.get_absolute_url()).content.decode()
    spanish = f"https://meetings.example.org/es{meeting.get_absolute_url()}"
    assert f'<link rel="alternate" hreflang="es" href="{spanish}">' in body
    assert '<link rel="alternate" hreflang="x-default"' in body


def test_the_sitemap_lists_both_languages(client, meeting):
    body = client.get("/sitemap.xml").content.decode()
    assert f"/es{meeting.get_absolute_url()}" in body and 'hreflang="es"' in body


@pytest.mark.parametrize("path", ["/es/feeds/meeting-guide.json", "/es/api/v1/meetings", "/es/healthz"])
def test_feeds_and_the_api_have_one_address_in_every_language(client, meeting, path):
    assert client.get(path).status_code == 404
    assert client.get(path.removeprefix("/es")).status_code == 200


def test_the_admin_follows_the_volunteers_browser(admin_client):
    assert admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="es")["Content-Language"] == "es"
    assert admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "en"


def test_times_follow_the_language(client, meeting):
    english = client.get(meeting.get_absolute_url()).content.decode()
    spanish = client.get("/es" + meeting.get_absolute_url()).content.decode()
    assert "7:00 PM" in english
    assert "7:00 p. m." in spanish


def test_a_pages_other_languages_are_remembered_for_our_paths_only(client, db):
    """The language links of a path are worked out once per process (languages.path_in), for paths of a
    reasonable length: a visitor asking for ever new long paths cannot fill a worker's memory with them."""
    from meetings.templatetags.languages import LONGEST_HELD, path_in

    path_in.cache_clear()
    client.get("/meetings/?near=85004")
    client.get("/es/meetings/")
    held = path_in.cache_info().currsize
    assert held >= 2
    long_path = "/meetings/" + "x" * LONGEST_HELD + "/"
    response = client.get(long_path)
    assert response.status_code == 404 and 'hreflang="es"' in response.content.decode()
    assert path_in.cache_info().currsize == held
