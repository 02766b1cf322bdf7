"""`near` is resolved offline: ZIP codes, our own places, US cities, world cities."""

import contextlib
import os
import socket
import subprocess
import sys
from pathlib import Path
from statistics import mean

import pytest

from meetings import geocoding, places
from tests.factories import make_location
from tests.fakes import FakeGeocoder

ROOT = Path(__file__).resolve().parent.parent


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


def package_zips(with_coordinates=True):
    """The zipcodes package's ZIPs with a point, or those it puts at 0, 0 (it has none for them)."""
    import zipcodes

    return [z for z in zipcodes.list_all() if ((float(z["lat"]), float(z["long"])) != (0, 0)) == with_coordinates]


def test_every_zip_resolves_as_the_zipcodes_package_has_it():
    """Our table is generated from the package: a zipcodes release that changes a ZIP fails here until regenerated."""
    expected = {
        z["zip_code"]: (
            float(z["lat"]),
            float(z["long"]),
            f"{z['zip_code']} ({z['city'].title()}, {z['state']})",
            z["timezone"] or "",
        )
        for z in package_zips()
    }
    assert [z.zip for z in places.every_zip()] == sorted(expected)
    for code, (lat, lng, label, zone) in expected.items():
        assert places.from_zip(code) == places.Place(lat, lng, label, zone), code


def test_us_cities_are_the_centres_of_the_packages_zips():
    sums = {}
    for z in package_zips():
        if z["zip_code_type"] != "MILITARY":
            sums.setdefault((places.fold(z["city"]), z["state"]), []).append(z)
    assert set(places.us_cities()) == set(sums)
    for key, zips in sums.items():
        lat, lng, zone, name = places.us_cities()[key]
        assert (lat, lng) == pytest.approx((mean(float(z["lat"]) for z in zips), mean(float(z["long"]) for z in zips)))
        assert zone == next((z["timezone"] for z in zips if z["timezone"]), "")
        assert name == zips[0]["city"].title()


def test_a_zip_without_coordinates_is_not_found_nor_counted_in_its_city():
    nowhere = package_zips(with_coordinates=False)
    assert nowhere
    assert all(places.from_zip(z["zip_code"]) is None for z in nowhere)
    lat, lng, _zone, _name = places.us_cities()[("los angeles", "CA")]  # some of its ZIPs are at 0, 0
    assert (lat, lng) == pytest.approx((34.05, -118.24), abs=0.1)


@pytest.mark.parametrize("code", ["00000", "00500", "00502", "99999"])
def test_a_zip_we_do_not_have_is_not_found(code):
    assert places.from_zip(code) is None


def test_a_worker_reads_our_table_not_the_zipcodes_package():
    """The package keeps its whole table in memory for the life of a process: it is for generating ours only."""
    script = (
        "import sys, django; django.setup(); from ha_directory import worker; worker.warm_up();"
        "from meetings import places; assert places.resolve('85004'); print('zipcodes' in sys.modules)"
    )
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="ha_directory.settings")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
