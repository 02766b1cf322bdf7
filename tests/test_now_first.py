"""Now first, as a newcomer on a phone sees it: under way, then the real next start, street addresses, fixes found
by an audit of the pages."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from meetings import geocoding
from meetings.cards import Row, by_day
from meetings.geocoding import GeocoderUnavailable
from tests.clock import frozen
from tests.factories import make_location, make_meeting
from tests.fakes import FakeGeocoder

URL = "/meetings/"
PHOENIX, NEW_YORK, LONDON = ZoneInfo("America/Phoenix"), ZoneInfo("America/New_York"), ZoneInfo("Europe/London")


def names(response):
    return [row.meeting.name for row in response.context["rows"]]


@pytest.fixture
def phoenix(arizona):
    near = make_location(arizona, latitude=33.4484, longitude=-112.0740, postal_code="85004")
    make_meeting(arizona, name="Morning", location=near, times=[(4, "07:00", "08:00")])  # Thursday
    make_meeting(arizona, name="Lunch", location=near, times=[(4, "12:30", "13:30")])
    make_meeting(arizona, name="Afternoon", location=near, times=[(4, "13:45", "14:45")])
    make_meeting(arizona, name="Evening", location=near, times=[(4, "19:00", "20:00")])
    make_meeting(arizona, name="Friday", location=near, times=[(5, "10:00", "11:00")])
    make_meeting(arizona, name="Sunday", location=near, times=[(0, "09:00", "10:00")])
    make_meeting(
        arizona, name="London Step", location=None, timezone="Europe/London",
        conference_url="https://meet.example.com/london", times=[(4, "21:00", "22:00")],
    )  # fmt: skip


def test_a_thursday_afternoon_in_phoenix_starts_with_what_is_under_way(client, phoenix):
    with frozen(dt.datetime(2026, 11, 26, 13, 22, tzinfo=PHOENIX)):  # Thursday 1:22 PM
        response = client.get(URL, {"near": "85004"})
    rows = response.context["rows"]
    assert names(response) == ["Lunch", "Afternoon", "Evening", "Friday", "Sunday", "Morning"]
    assert rows[0].in_progress and rows[0].minutes_since_start == 52
    assert rows[1].minutes_to_start == 23
    assert [r.starts for r in rows[1:]] == sorted(r.starts for r in rows[1:])  # strictly by the next start
    assert [heading for heading, _rows in response.context["days"]] == [
        "Today", "Tomorrow", "Sunday, November 29", "Thursday, December 3",
    ]  # fmt: skip
    body = response.content.decode()
    assert "In progress" in body and "started 52 min ago" in body and "Starts in 23 min" in body


def test_use_my_location_sorts_now_first_with_the_distance_on_each_card(client, phoenix):
    with frozen(dt.datetime(2026, 11, 26, 13, 22, tzinfo=PHOENIX)):
        response = client.get(URL, {"lat": "33.45", "lng": "-112.07", "radius": "5"})
    assert names(response)[0] == "Lunch"
    assert all(row.distance is not None for row in response.context["rows"])


def test_saturday_night_wraps_into_the_new_week(client, arizona):
    make_meeting(arizona, name="Late", times=[(6, "23:00", "23:59")])
    make_meeting(arizona, name="Early", times=[(0, "06:00", None)])
    with frozen(dt.datetime(2026, 11, 28, 23, 30, tzinfo=PHOENIX)):
        response = client.get(URL)
    assert names(response) == ["Late", "Early"]
    assert [heading for heading, _rows in response.context["days"]] == ["Today", "Tomorrow"]


def test_on_the_dst_day_in_new_york_the_order_follows_real_instants(client, arizona):
    make_meeting(arizona, name="NY nine", timezone="America/New_York", location=None,
                 conference_url="https://meet.example.com/ny", times=[(0, "09:00", "10:00")])  # fmt: skip
    make_meeting(arizona, name="Phoenix seven", times=[(0, "07:00", "08:00")])
    # 8 March 2026, after New York springs forward: 09:00 EDT is 13:00 UTC, 07:00 MST is 14:00 UTC.
    with frozen(dt.datetime(2026, 3, 8, 12, 0, tzinfo=dt.UTC)):
        response = client.get(URL)
    assert names(response) == ["NY nine", "Phoenix seven"]


def test_a_london_meeting_seen_from_phoenix_has_its_own_time_and_the_instant_for_the_browser(client, phoenix):
    with frozen(dt.datetime(2026, 11, 26, 13, 22, tzinfo=PHOENIX)):
        body = client.get(URL, {"attendance": "online"}).content.decode()
    assert "9:00 PM" in body and "GMT" in body
    assert 'datetime="2026-11-26T21:00:00+00:00" data-viewer-time' in body  # 2:00 PM in Phoenix, by the script


def test_a_street_address_without_a_geocoder_uses_the_zip_it_holds(client, phoenix, settings):
    settings.GEOCODER = ""
    response = client.get(URL, {"near": "100 Main St, Phoenix, AZ 85004"})
    assert names(response)
    assert "we searched near the ZIP code 85004" in response.content.decode()


def test_a_street_address_without_a_zip_or_a_geocoder_asks_for_one(client, phoenix, settings):
    settings.GEOCODER = ""
    response = client.get(URL, {"near": "100 Main St, Phoenix"})
    body = response.content.decode()
    assert response.context["search"].place_missing
    assert "Type a ZIP code or a city" in body
    assert body.count("Type a ZIP code or a city: street addresses") == 1  # once, not twice


def test_the_search_box_asks_for_what_we_can_find(client, db, settings):
    settings.GEOCODER = ""
    assert "ZIP code or city" in client.get("/").content.decode()
    settings.GEOCODER = "nominatim"
    cache.clear()  # a setting that changes only with a restart: not the page kept for the minute
    assert "ZIP code, city or address" in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("geocoder", "found", "message"),
    [
        (FakeGeocoder(answer=(33.45123, -112.07456, "100 Main St")), True, ""),
        (FakeGeocoder(answer=None), False, "find that address"),
        (FakeGeocoder(error=GeocoderUnavailable("timed out")), False, "The address service did not answer"),
    ],
    ids=["found", "not-found", "time-out"],
)
def test_a_street_address_through_the_geocoder(client, phoenix, monkeypatch, geocoder, found, message):
    monkeypatch.setattr(geocoding, "get_geocoder", lambda: geocoder)
    response = client.get(URL, {"near": "100 Main St, Phoenix"})
    assert geocoder.asked == ["100 Main St, Phoenix"]
    if found:
        assert response.context["search"].point == (33.45, -112.07)  # rounded like "Use my location"
        assert names(response)
    else:
        assert message in response.content.decode()
    client.get(URL, {"near": "100 Main St, Phoenix"})
    assert len(geocoder.asked) == (2 if "did not answer" in message else 1)  # answers are cached, outages not


def test_a_temporarily_closed_meeting_shows_no_open_badge_beside_it(client, arizona):
    make_meeting(arizona, name="Paused", access="open", status="temporarily_closed")
    body = client.get(URL).content.decode()
    assert "Temporarily closed" in body and 'class="badge open"' not in body


def test_no_print_link_without_results_and_a_favicon(client, db):
    assert "Print this list" not in client.get(URL, {"q": "nothing at all"}).content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")


def test_the_starting_soon_chip_is_a_plain_label(client, phoenix):
    chips = client.get(URL, {"upcoming": "1"}).context["chips"]
    assert [chip["label"] for chip in chips] == ["Starting soon"]


def test_a_list_by_day_heads_each_date_as_the_day_it_is_where_its_meeting_is_held():
    """The same date is tomorrow in Phoenix and already today in Tokyo: a heading is worked out once per date and
    today where the meeting is held (cards.by_day), never carried from one zone to another."""
    now = dt.datetime(2026, 11, 23, 20, 0, tzinfo=dt.UTC)  # Monday 1 PM in Phoenix, Tuesday 5 AM in Tokyo

    def row(zone):
        meeting_time = SimpleNamespace(meeting=SimpleNamespace(timezone=zone))
        starts = dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo(zone))
        return Row(meeting_time, starts, starts + dt.timedelta(hours=1), None, None, "online", now)

    phoenix, tokyo, phoenix_again = row("America/Phoenix"), row("Asia/Tokyo"), row("America/Phoenix")
    assert by_day([phoenix, tokyo, phoenix_again]) == [
        ("Tomorrow", [phoenix]),
        ("Today", [tokyo]),
        ("Tomorrow", [phoenix_again]),
    ]
