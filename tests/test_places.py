"""`near` is resolved offline: ZIP codes, our own places, US cities, world cities."""

import contextlib
import socket

import pytest

from meetings import geocoding, places
from tests.factories import make_location
from tests.fakes import FakeGeocoder


def test_a_us_zip_resolves_to_its_centre_and_zone():
    place = places.resolve("85004")
    assert (place.latitude, place.longitude) == pytest.approx((33.4557, -112.0686), abs=0.01)
    assert place.label == "85004 (Phoenix, AZ)"
    assert place.timezone == "America/Phoenix"


def test_zip_plus_four_works_like_the_zip():
    assert places.resolve("85004-1234") == places.resolve("85004")


@pytest.mark.parametrize("text", ["Denver, CO", "denver co", "Denver, Colorado", "  DENVER ,  co "])
def test_city_and_state_in_any_spelling(db, text):
    place = places.resolve(text)
    assert place.label == "Denver, CO"
    assert (place.latitude, place.longitude) == pytest.approx((39.74, -104.99), abs=0.2)
    assert place.timezone == "America/Denver"


def test_a_world_city_picks_the_most_populous(db):
    place = places.resolve("London")
    assert place.label == "London, GB"
    assert (place.latitude, place.longitude) == pytest.approx((51.51, -0.13), abs=0.1)
    assert place.timezone == "Europe/London"


@pytest.mark.parametrize(
    ("text", "label"), [("London, Canada", "London, CA"), ("London, UK", "London, GB"), ("london, ca", "London, CA")]
)
def test_a_country_narrows_a_world_city(db, text, label):
    assert places.resolve(text).label == label


def test_accents_do_not_matter(db):
    assert places.resolve("Sao Paulo").label == places.resolve("São Paulo").label == "São Paulo, BR"


def test_a_us_city_without_a_state(db):
    assert places.resolve("new york").label == "New York City, NY"


def test_our_own_postcodes_resolve(arizona):
    make_location(
        arizona,
        city="London",
        state="",
        country="GB",
        postal_code="N1 9GU",
        latitude=51.536,
        longitude=-0.103,
        timezone="Europe/London",
    )
    place = places.resolve("n19gu")
    assert (place.latitude, place.longitude) == (51.536, -0.103)
    assert place.timezone == "Europe/London"


def test_our_own_small_towns_resolve(arizona):
    make_location(arizona, city="Quartzsite Springs", state="AZ", latitude=33.66, longitude=-114.23)
    assert places.resolve("Quartzsite Springs, AZ").label == "Quartzsite Springs, AZ"


@pytest.mark.parametrize(
    ("typed", "suggested"), [("Phoenx, AZ", "Phoenix, AZ"), ("Denvr", "Denver, CO"), ("Londn", "London, GB")]
)
def test_an_unknown_place_gets_suggestions(db, typed, suggested):
    with pytest.raises(places.PlaceNotFound) as missing:
        places.resolve(typed)
    assert missing.value.suggestions[0] == suggested


@pytest.mark.parametrize("text", ["", "   ", "!!!", "x" * 500, "'; DROP TABLE x; --"])
def test_nonsense_is_not_found_without_an_error(db, text):
    with pytest.raises(places.PlaceNotFound):
        places.resolve(text)


def test_a_configured_geocoder_is_used_only_as_a_last_resort(db, monkeypatch):
    fake = FakeGeocoder(answer=(45.0, 7.0, "Somewhere, Italy"))
    monkeypatch.setattr(geocoding, "get_geocoder", lambda: fake)
    assert places.resolve("85004").label == "85004 (Phoenix, AZ)"
    assert fake.asked == []
    place = places.resolve("1 Via Nowhere, Smalltown")
    assert fake.asked == ["1 Via Nowhere, Smalltown"]
    assert (place.latitude, place.longitude, place.label) == (45.0, 7.0, "the address you typed")
    assert place.timezone == "Europe/Rome"


def test_no_geocoder_unless_configured(settings):
    settings.GEOCODER = ""
    assert geocoding.get_geocoder() is None
    settings.GEOCODER = "nominatim"
    assert isinstance(geocoding.get_geocoder(), geocoding.NominatimGeocoder)


def test_a_failing_geocoder_gives_place_not_found(db, monkeypatch):
    monkeypatch.setattr(geocoding, "get_geocoder", lambda: FakeGeocoder(error=TimeoutError("down")))
    with pytest.raises(places.PlaceNotFound):
        places.resolve("1 Via Nowhere, Smalltown")


def test_nothing_is_fetched_from_the_network(db, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    for text in ["85004", "Denver, CO", "London", "Tokyo", "Phoenx"]:
        with contextlib.suppress(places.PlaceNotFound):
            places.resolve(text)


def test_every_zip_code_is_read_in_parts_and_none_is_missed():
    import zipcodes

    from meetings.places import every_zip

    assert sorted(z["zip_code"] for z in every_zip()) == sorted(z["zip_code"] for z in zipcodes.list_all())
