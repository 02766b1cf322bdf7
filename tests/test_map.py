"""The map: only when the operator set MAP_TILES_URL, only once a visitor asks, the same meetings as the list.

The markers come from /meetings/map.json, the results page's own search; a
place shows what it publishes (a city-only place its rough point), and a
meeting with no published point is in the list only. Directions links open
the phone's maps app and never reveal a city-only place's pin.
"""

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ha_directory.settings import content_security_policy, tile_source
from meetings import maps
from meetings.filters import MeetingFilter
from meetings.models import ChangeKind, PublishedPlace, ScheduleChange
from tests.factories import make_area, make_location, make_meeting

TILES = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def tiles(settings):
    settings.MAP_TILES_URL = TILES
    settings.MAP_ATTRIBUTION = "© OpenStreetMap contributors"
    settings.CONTENT_SECURITY_POLICY = content_security_policy(TILES)


@pytest.fixture(autouse=True)
def monday_noon():
    with time_machine.travel(dt.datetime(2026, 11, 23, 12, 0, tzinfo=ZoneInfo("America/Phoenix")), tick=False):
        yield


@pytest.fixture
def directory(arizona):
    hall = make_location(arizona, name="St. Brigid's Hall", latitude=33.4490, longitude=-112.0740)
    home = make_location(arizona, city="Mesa", approximate=True, latitude=33.41537, longitude=-111.83148)
    unpinned = make_location(arizona, city="Tempe", address="9 Mill Ave", latitude=None, longitude=None)
    return {
        "hall": make_meeting(
            arizona, name="Hope on Main", location=hall, times=[(1, "19:00", None), (4, "07:30", None)]
        ),
        "home": make_meeting(arizona, name="Mesa Home Group", location=home, times=[(2, "18:00", None)]),
        "unpinned": make_meeting(arizona, name="Mill Avenue", location=unpinned, times=[(3, "12:00", None)]),
        "online": make_meeting(
            arizona,
            name="Zoom Hope",
            location=None,
            conference_url="https://meet.example.com/z",
            times=[(1, "20:00", None)],
        ),
    }


def markers(client, query=""):
    response = client.get(f"/meetings/map.json?{query}")
    assert response.status_code == 200, response.content
    return response.json()


# No map unless the operator chose a tile server ------------------------------


@pytest.mark.parametrize("url", ["/meetings/", "/areas/arizona/", "/meetings/hope-on-main-phoenix/"])
def test_without_map_tiles_no_page_has_a_map_or_its_script(client, directory, url):
    body = client.get(url).content.decode()
    assert "data-map" not in body
    assert "map.js" not in body and "leaflet" not in body.lower()
    assert "Map tiles" not in body


def test_without_map_tiles_the_markers_address_is_not_found(client, directory):
    assert client.get("/meetings/map.json").status_code == 404


@pytest.mark.parametrize("url", ["/meetings/?day=1", "/areas/arizona/"])
def test_with_map_tiles_results_and_area_pages_have_a_map_button_that_controls_a_hidden_panel(
    client, directory, tiles, url
):
    body = client.get(url).content.decode()
    button = re.search(r"<button[^>]*data-map-toggle[^>]*>([^<]*)</button>", body)
    assert button and button.group(1) == "Map"
    assert 'aria-expanded="false"' in button.group(0) and 'aria-controls="map-panel"' in button.group(0)
    assert re.search(r'<div id="map-panel" class="map-panel" hidden>', body)


@pytest.mark.parametrize("url", ["/meetings/?day=1", "/areas/arizona/", "/meetings/hope-on-main-phoenix/"])
def test_before_the_press_nothing_is_loaded_from_the_tile_host_nor_the_map_library(client, directory, tiles, url):
    body = client.get(url).content.decode()
    loaded = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', body)
    assert not [u for u in loaded if "tiles.example.org" in u or "vendor/" in u or "map.css" in u], loaded
    assert "/static/js/map.js" in loaded  # our own small script that waits for the press


def test_the_page_says_whose_tiles_they_are(client, directory, tiles):
    body = client.get("/meetings/").content.decode()
    assert "Map tiles: © OpenStreetMap contributors" in body


def test_the_results_map_asks_for_the_same_search_as_the_list(client, directory, tiles):
    body = client.get("/meetings/?day=1&day=1&type=&q=hope&page=1").content.decode()
    assert 'data-markers-url="/meetings/map.json?day=1&amp;q=hope"' in body


def test_the_area_map_asks_for_the_area(client, directory, tiles):
    body = client.get("/areas/arizona/").content.decode()
    assert 'data-markers-url="/meetings/map.json?area=arizona"' in body


def test_no_map_button_when_nothing_was_found(client, directory, tiles):
    body = client.get("/meetings/?q=nothing-like-this").content.decode()
    assert "data-map-toggle" not in body


# The content security policy ----------------------------------------------------


def test_the_csp_allows_no_tile_host_without_map_tiles(client, directory):
    policy = client.get("/meetings/")["Content-Security-Policy"]
    assert re.search(r"img-src 'self' data:(;|$)", policy), policy
    assert "connect-src 'self'" in policy


def test_the_csp_allows_the_tile_host_for_images_only_when_configured(client, directory, tiles):
    policy = client.get("/meetings/")["Content-Security-Policy"]
    assert re.search(r"img-src 'self' data: https://\*\.tiles\.example\.org(;|$)", policy), policy
    assert "tiles.example.org" not in re.sub(r"img-src[^;]*", "", policy)


def test_the_admin_allows_the_tile_host_too(admin_client, tiles):
    policy = admin_client.get("/admin/meetings/location/add/")["Content-Security-Policy"]
    assert "img-src 'self' data: https://*.tiles.example.org" in policy


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("https://tiles.example.org/styles/{z}/{x}/{y}{r}.png?key=abc", "https://tiles.example.org"),
        ("http://127.0.0.1:8123/{z}/{x}/{y}.png", "http://127.0.0.1:8123"),
    ],
)
def test_the_tile_host_is_read_from_the_tile_address(url, source):
    assert tile_source(url) == source


@pytest.mark.parametrize(
    "url", ["tiles.example.org/{z}/{x}/{y}.png", "ftp://t.example.org/{z}/{x}/{y}.png", "https://t.example.org/{z}.png",
            "https://tile-{s}.example.org/{z}/{x}/{y}.png"],
)  # fmt: skip
def test_a_tile_address_we_cannot_use_is_refused_at_start(url):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="MAP_TILES_URL"):
        tile_source(url)


def test_map_tiles_without_saying_whose_they_are_refuse_to_start():
    env = {"PATH": "/usr/bin:/bin", "MAP_TILES_URL": TILES, "MAP_ATTRIBUTION": ""}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "MAP_ATTRIBUTION must say whose tiles" in result.stderr


# The markers ---------------------------------------------------------------------


def test_the_map_shows_the_same_meetings_as_the_list_where_they_publish_a_point(client, directory, tiles):
    page = client.get("/meetings/")
    listed = {(row.meeting.name, row.meeting_time.weekday) for row in page.context["rows"]}
    found = markers(client)
    on_map = {m["name"] for m in found["markers"]}
    assert on_map == {"Hope on Main", "Mesa Home Group"}
    assert {name for name, _ in listed} - on_map == {"Mill Avenue", "Zoom Hope"}  # no pin / online only
    assert found["count"] == len(found["markers"]) == 3  # one marker per listed time, as the cards
    assert found["capped"] is False


def test_the_markers_follow_the_search_and_its_order(client, directory, tiles):
    found = markers(client, "day=1&day=4&sort=name")
    assert [(m["name"], m["when"]) for m in found["markers"]] == [
        ("Hope on Main", "Today 7:00 PM MST"),  # frozen at Monday noon
        ("Hope on Main", "Thursday, November 26 7:30 AM MST"),
    ]
    assert markers(client, "q=mesa")["markers"][0]["name"] == "Mesa Home Group"
    assert markers(client, "attendance=online")["markers"] == []


def test_a_marker_has_what_its_popup_shows(client, directory, tiles):
    hall = next(m for m in markers(client, "day=1")["markers"] if m["name"] == "Hope on Main")
    assert hall == {
        "lat": 33.449,
        "lng": -112.074,
        "name": "Hope on Main",
        "url": "/meetings/hope-on-main-phoenix/",
        "when": "Today 7:00 PM MST",
        "note": "",
        "place": "St. Brigid's Hall, Phoenix",
    }


def test_a_popup_says_what_the_card_says_above_the_name(client, arizona, tiles):
    hall = make_location(arizona, name="Hall", latitude=33.45, longitude=-112.07)
    make_meeting(arizona, name="Under way", location=hall, times=[(1, "11:30", None)])  # it is Monday noon
    make_meeting(arizona, name="Soon", location=hall, times=[(1, "12:20", None)])
    cancelled = make_meeting(arizona, name="Not today", location=hall, times=[(1, "18:00", None)])
    ScheduleChange.objects.create(meeting=cancelled, kind=ChangeKind.CANCELLED, date=dt.date(2026, 11, 23))
    notes = {m["name"]: m["note"] for m in markers(client, "day=today")["markers"]}
    assert notes == {"Under way": "In progress", "Soon": "Starts in 20 min", "Not today": "Cancelled today"}


def test_a_city_only_place_is_on_the_map_at_its_town_never_at_its_door(client, directory, tiles):
    response = client.get("/meetings/map.json?q=mesa")
    home = response.json()["markers"][0]
    assert (home["lat"], home["lng"], home["place"]) == (33.4, -111.8, "Around Mesa")
    assert b"33.415" not in response.content and b"111.831" not in response.content
    assert b"Main St" not in response.content


def test_near_a_place_the_map_has_the_places_within_the_radius(client, directory, tiles):
    found = markers(client, "lat=33.45&lng=-112.07&radius=5&sort=distance")
    assert {m["name"] for m in found["markers"]} == {"Hope on Main"}  # a city-only place is never "near"


def test_a_bad_parameter_is_a_400_with_a_message_per_parameter(client, directory, tiles):
    response = client.get("/meetings/map.json?day=9&near=Nowhere%20at%20all&radius=-1")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"day", "near", "radius"}
    assert "Use 0 (Sunday) to 6 (Saturday)" in errors["day"][0]
    assert "We couldn't find 'Nowhere at all'" in errors["near"][0]


def test_the_markers_can_only_be_read(client, directory, tiles):
    assert client.post("/meetings/map.json").status_code == 405


def test_a_very_broad_search_is_capped_and_says_so(client, directory, tiles, monkeypatch):
    monkeypatch.setattr(maps, "MAX_MARKERS", 2)
    found = markers(client)
    assert (found["count"], found["capped"], found["limit"]) == (2, True, 2)
    assert len(found["markers"]) == 2
    assert markers(client, "day=1")["capped"] is False


def test_the_markers_cost_the_same_queries_for_3_or_30_meetings(client, arizona, tiles, django_assert_num_queries):
    def build(count):
        location = make_location(arizona)
        for n in range(count):
            make_meeting(arizona, name=f"Hope {n}", location=location, times=[(1, "19:00", None), (3, "07:00", None)])

    def queries(url):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    url = "/meetings/map.json?type=D&day=1&day=3"
    build(3)
    few = queries(url)
    build(27)
    assert queries(url) == few
    cache.clear()
    # The zones meetings are held in ("today" is local), the markers; on SQLite, which walks today's dates in
    # order (MeetingFilter.walks_dates), the earliest long date under way too.
    with django_assert_num_queries(3 if connection.vendor == "sqlite" else 2):
        client.get("/meetings/map.json?day=today")


EXAMPLES = st.lists(
    st.tuples(
        st.sampled_from([*MeetingFilter.base_filters, "page", "x"]),
        st.one_of(
            st.sampled_from(["", "1", "-1", "today", "85004", "nan", "1e999", "Etc", "\x00"]), st.text(max_size=20)
        ),
    ),
    max_size=6,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=EXAMPLES)
def test_whatever_is_asked_the_markers_never_fail(client, directory, tiles, query):
    response = client.get("/meetings/map.json", query)
    assert response.status_code in (200, 400), (query, response.status_code)


# Directions ----------------------------------------------------------------------


def place(**fields):
    values = dict(name="St. Brigid's Hall", address="12 Main St", city="Phoenix", state="AZ", postal_code="85004",
                  country="US", latitude=33.449012, longitude=-112.074, notes="", approximate=False)  # fmt: skip
    values.update(fields)
    return PublishedPlace(**values)


def test_directions_to_a_pin_open_each_platforms_maps_app():
    links = maps.directions(place())
    assert links == {
        "point": "33.449012,-112.074",
        "osm": "https://www.openstreetmap.org/directions?to=33.449012%2C-112.074",
        "apple": "https://maps.apple.com/?daddr=33.449012,-112.074",
        "google": "https://www.google.com/maps/dir/?api=1&destination=33.449012,-112.074",
        "geo": "geo:33.449012,-112.074?q=33.449012,-112.074(St.%20Brigid%27s%20Hall)",
    }


def test_directions_without_a_pin_go_to_the_address():
    links = maps.directions(place(latitude=None, longitude=None))
    assert links["point"] == ""
    assert (
        links["osm"] == "https://www.openstreetmap.org/search?query=12%20Main%20St%2C%20Phoenix%2C%20AZ%2085004%2C%20US"
    )
    assert links["apple"].startswith("https://maps.apple.com/?daddr=12%20Main%20St")
    assert maps.directions(place(latitude=None, longitude=None, address="")) is None


def test_directions_to_a_city_only_place_use_its_published_point_not_its_pin(arizona):
    location = make_location(arizona, approximate=True, latitude=33.44837, longitude=-112.07398)
    assert maps.directions(location.published)["point"] == "33.4,-112.1"


def test_the_meeting_page_links_to_openstreetmap_and_offers_the_phones_apps_to_its_script(client, directory):
    body = client.get("/meetings/hope-on-main-phoenix/").content.decode()
    link = re.search(r"<a [^>]*data-directions-link[^>]*>", body, re.S).group(0)
    assert 'href="https://www.openstreetmap.org/directions?to=33.449%2C-112.074"' in link
    assert 'rel="noopener noreferrer"' in link
    assert 'data-apple-href="https://maps.apple.com/?daddr=33.449,-112.074"' in link
    assert 'data-android-href="https://www.google.com/maps/dir/?api=1&amp;destination=33.449,-112.074"' in link
    assert re.search(r'<a [^>]*href="geo:33.449,-112.074[^"]*"[^>]*hidden>', body)
    assert "/static/js/directions.js" in body


def test_coordinates_in_links_are_never_localized(client, directory):
    body = client.get("/es/meetings/hope-on-main-phoenix/").content.decode()
    assert body.startswith('<!doctype html>\n\n<html lang="es"')
    assert "33,449" not in body and "geo:33.449,-112.074" in body


def test_a_meeting_page_has_a_small_map_for_an_in_person_place_with_a_pin(client, directory, tiles):
    body = client.get("/meetings/hope-on-main-phoenix/").content.decode()
    assert 'data-map="place"' in body and 'data-point="33.449,-112.074"' in body
    assert re.search(r"<button[^>]*data-map-toggle[^>]*>Show on a map</button>", body)


@pytest.mark.parametrize("name", ["mesa-home-group-mesa", "mill-avenue-tempe", "zoom-hope"])
def test_no_small_map_for_a_city_only_place_one_without_a_pin_or_an_online_meeting(client, directory, tiles, name):
    body = client.get(f"/meetings/{name}/").content.decode()
    assert "data-map=" not in body and "map.js" not in body


def test_a_page_of_another_area_has_its_own_map(client, colorado, tiles):
    make_meeting(
        colorado, name="Mile High", location=make_location(colorado, city="Denver", latitude=39.74, longitude=-105.0)
    )
    other = make_area("Utah")
    body = client.get(f"/areas/{other.slug}/").content.decode()
    assert "data-map-toggle" not in body  # no meetings, no map
    assert [m["name"] for m in markers(client, "area=colorado")["markers"]] == ["Mile High"]
