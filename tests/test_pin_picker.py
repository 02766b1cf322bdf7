"""The pin picker on the admin's location form, and the lookup it asks our server for.

Personas: vera keeps Arizona, colin keeps Colorado, alice is a superuser;
an anonymous visitor and another area's volunteer are always refused.
"""

import re

import pytest
from django.urls import reverse
from geopy.exc import GeocoderServiceError, GeocoderTimedOut

from groups.models import Membership
from ha_directory.settings import content_security_policy
from meetings import geocoding
from meetings.models import Location, PinSource
from meetings.widgets import openstreetmap_link
from tests.factories import make_location
from tests.fakes import FakeGeocoder

TILES = "https://tiles.example.org/{z}/{x}/{y}.png"
LOOKUP = "/admin/meetings/location/pin-lookup/"


@pytest.fixture
def member(django_user_model):
    def build(username, area):
        user = django_user_model.objects.create_user(username, f"{username}@example.org", "a-long-passphrase-1")
        Membership.objects.create(user=user, area=area)
        return user

    return build


@pytest.fixture
def vera(member, arizona):
    return member("vera", arizona)


@pytest.fixture
def colin(member, colorado):
    return member("colin", colorado)


@pytest.fixture
def tiles(settings):
    settings.MAP_TILES_URL = TILES
    settings.MAP_ATTRIBUTION = "© Example Tiles"
    settings.CONTENT_SECURITY_POLICY = content_security_policy(TILES)


@pytest.fixture
def geocoder(settings, monkeypatch):
    """A configured geocoder that answers with whatever the test sets."""
    settings.GEOCODER = "nominatim"
    fake = FakeGeocoder(answer=(39.739236, -104.990251, "1437 Bannock St, Denver, CO"))
    monkeypatch.setattr(geocoding, "get_geocoder", lambda: fake)
    return fake


@pytest.fixture
def hall(arizona):
    return make_location(arizona, name="St. Brigid's Hall", address="12 Main St", latitude=33.449, longitude=-112.074)


@pytest.fixture
def rockies(colorado):
    return make_location(colorado, city="Denver", state="CO", latitude=39.74, longitude=-104.99, timezone="")


def change_page(client, location):
    return client.get(reverse("admin:meetings_location_change", args=[location.pk])).content.decode()


def lookup(client, **data):
    return client.post(LOOKUP, data)


# The form ------------------------------------------------------------------------


def test_without_tiles_the_form_keeps_its_fields_and_links_to_the_pin_on_openstreetmap(client, vera, hall):
    client.force_login(vera)
    body = change_page(client, hall)
    assert 'name="latitude"' in body and 'name="longitude"' in body
    assert "data-pin-map" not in body and "leaflet" not in body.lower()
    link = "https://www.openstreetmap.org/?mlat=33.449&amp;mlon=-112.074#map=17/33.449/-112.074"
    assert f'<a href="{link}" target="_blank" rel="noopener noreferrer" data-pin-osm>' in body
    assert "Find from address" not in body  # no geocoder configured


def test_a_place_without_a_pin_links_to_its_address_and_a_new_one_to_nothing_yet(client, vera, arizona):
    unpinned = make_location(arizona, address="9 Mill Ave", city="Tempe", latitude=None, longitude=None)
    client.force_login(vera)
    assert "search?query=9%20Mill%20Ave%2C%20Tempe%2C%20AZ%2085004%2C%20US" in change_page(client, unpinned)
    added = client.get(reverse("admin:meetings_location_add")).content.decode()
    assert re.search(r"<a [^>]*data-pin-osm hidden>", added)


def test_with_tiles_the_form_has_a_map_and_loads_our_own_leaflet(client, vera, hall, tiles):
    client.force_login(vera)
    body = change_page(client, hall)
    assert "data-pin-map" in body and 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in body
    assert '<script src="/static/vendor/leaflet-1.9.4/leaflet.js"></script>' in body
    assert '<script src="/static/js/pin_picker.js"></script>' in body
    assert "Map tiles: © Example Tiles." in body


def test_with_a_geocoder_the_form_offers_to_find_the_address(client, vera, hall, geocoder):
    client.force_login(vera)
    assert "Find from address" in change_page(client, hall)


def test_a_pin_from_the_picker_is_saved_as_set_by_hand(client, vera, arizona, hall):
    client.force_login(vera)
    data = {
        "area": arizona.pk, "name": hall.name, "address": hall.address, "city": hall.city, "state": hall.state,
        "postal_code": hall.postal_code, "country": "US", "notes": "", "latitude": "33.45", "longitude": "-112.07",
        "timezone": "America/Phoenix",
    }  # fmt: skip
    response = client.post(reverse("admin:meetings_location_change", args=[hall.pk]), data)
    assert response.status_code == 302, response.content
    hall.refresh_from_db()
    assert (hall.latitude, hall.longitude, hall.pin_source) == (33.45, -112.07, PinSource.MANUAL)


def test_openstreetmap_links():
    assert openstreetmap_link(33.4490001, -112.074) == (
        "https://www.openstreetmap.org/?mlat=33.449&mlon=-112.074#map=17/33.449/-112.074"
    )
    assert (
        openstreetmap_link(address="1 Elm St, Mesa")
        == "https://www.openstreetmap.org/search?query=1%20Elm%20St%2C%20Mesa"
    )
    assert openstreetmap_link() == ""


# The lookup: who may ask ------------------------------------------------------------------


def test_an_anonymous_visitor_cannot_look_anything_up(client, arizona, geocoder):
    response = lookup(client, area=arizona.pk, address="12 Main St", city="Phoenix")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert geocoder.asked == []


def test_a_volunteer_looks_up_an_address_in_their_area(client, vera, arizona, geocoder):
    client.force_login(vera)
    response = lookup(client, area=arizona.pk, address="1437 Bannock St", city="Denver", state="CO", country="US")
    assert response.status_code == 200
    assert response.json() == {
        "latitude": 39.739236,
        "longitude": -104.990251,
        "label": "1437 Bannock St, Denver, CO",
        "timezone": "America/Denver",
    }
    assert geocoder.asked == ["1437 Bannock St, Denver, CO, US"]


def test_a_volunteer_cannot_look_up_for_another_area(client, vera, colorado, geocoder):
    client.force_login(vera)
    response = lookup(client, area=colorado.pk, address="1437 Bannock St", city="Denver")
    assert response.status_code == 403
    assert response.json()["message"] == "This place is not in your areas."
    assert geocoder.asked == []


def test_a_volunteer_cannot_look_up_for_another_areas_location(client, vera, arizona, rockies, geocoder):
    client.force_login(vera)
    response = lookup(client, area=arizona.pk, location=rockies.pk, address="1437 Bannock St", city="Denver")
    assert response.status_code == 403
    assert geocoder.asked == []


def test_another_areas_volunteer_cannot_look_up_for_ours(client, colin, arizona, hall, geocoder):
    client.force_login(colin)
    assert lookup(client, area=arizona.pk, location=hall.pk, city="Phoenix").status_code == 403
    assert lookup(client, area=arizona.pk, latitude=33.4, longitude=-112.1).status_code == 403


def test_a_superuser_looks_up_anywhere(admin_client, colorado, rockies, geocoder):
    assert lookup(admin_client, area=colorado.pk, location=rockies.pk, city="Denver").status_code == 200


def test_the_lookup_is_posted_with_the_csrf_token(vera, arizona, geocoder):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(vera)
    assert lookup(client, area=arizona.pk, city="Phoenix").status_code == 403
    assert geocoder.asked == []


def test_the_lookup_cannot_be_read_with_get(client, vera, arizona, geocoder):
    client.force_login(vera)
    assert client.get(LOOKUP, {"area": arizona.pk, "city": "Phoenix"}).status_code == 405


# The lookup: what it answers ------------------------------------------------------------------


def test_the_time_zone_follows_a_pin_without_asking_the_geocoder(client, vera, arizona, geocoder):
    client.force_login(vera)
    response = lookup(client, area=arizona.pk, latitude="39.74", longitude="-104.99")
    assert response.json() == {"timezone": "America/Denver"}
    assert lookup(client, area=arizona.pk, latitude="51.5", longitude="-0.12").json() == {"timezone": "Europe/London"}
    assert geocoder.asked == []


def test_an_address_the_geocoder_cannot_find_says_so(client, vera, arizona, geocoder):
    geocoder.answer = None
    client.force_login(vera)
    response = lookup(client, area=arizona.pk, address="1 Nowhere Rd", city="Phoenix")
    assert response.status_code == 404
    assert response.json()["message"].startswith("The geocoder could not find that address.")


@pytest.mark.parametrize("error", [TimeoutError("slow"), GeocoderTimedOut("slow")])
def test_a_geocoder_that_does_not_answer_in_time_says_so(client, vera, arizona, geocoder, error):
    geocoder.error = error
    client.force_login(vera)
    response = lookup(client, area=arizona.pk, address="12 Main St", city="Phoenix")
    assert response.status_code == 504
    assert response.json()["message"].startswith("The geocoder did not answer in time.")


def test_a_failing_geocoder_is_a_message_never_a_500(client, vera, arizona, geocoder):
    geocoder.error = GeocoderServiceError("service unavailable")
    client.force_login(vera)
    response = lookup(client, area=arizona.pk, address="12 Main St", city="Phoenix")
    assert response.status_code == 502
    assert "could not be reached" in response.json()["message"]


def test_without_a_geocoder_the_lookup_says_to_drop_the_pin(client, vera, arizona):
    client.force_login(vera)
    response = lookup(client, area=arizona.pk, address="12 Main St", city="Phoenix")
    assert response.status_code == 404
    assert "drop the pin on the map" in response.json()["message"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"address": "12 Main St"}, "Choose the service area first."),
        ({"area": "x", "city": "Phoenix"}, "Enter a whole number."),
        ({"area": "AREA"}, "Type the street address, or at least the city, then look it up."),
        ({"area": "AREA", "latitude": "91", "longitude": "0"}, "less than or equal to 90"),
    ],
)
def test_a_lookup_that_cannot_be_made_is_a_400_with_a_message(client, vera, arizona, geocoder, data, message):
    client.force_login(vera)
    data = {k: (arizona.pk if v == "AREA" else v) for k, v in data.items()}
    response = lookup(client, **data)
    assert response.status_code == 400
    assert message in response.json()["message"]
    assert geocoder.asked == []
    assert not Location.objects.filter(address="12 Main St").exists()
