"""Geocoding a volunteer's address never blocks the save and never moves a hand-set pin."""

import pytest
from django.urls import reverse

from meetings import geocoding, pins
from meetings.models import Location, PinSource
from tests.fakes import FakeGeocoder


@pytest.fixture
def use_geocoder(monkeypatch):
    def install(fake):
        monkeypatch.setattr(geocoding, "get_geocoder", lambda: fake)
        return fake

    return install


def location_form(area, **overrides):
    data = {
        "area": area.pk,
        "name": "St. Mark's",
        "address": "100 Main St",
        "city": "Phoenix",
        "state": "AZ",
        "postal_code": "85004",
        "country": "US",
        "notes": "",
        "latitude": "",
        "longitude": "",
        "timezone": "",
    }
    data.update(overrides)
    return data


def test_an_address_without_a_pin_is_geocoded_on_save(admin_client, arizona, use_geocoder):
    fake = use_geocoder(FakeGeocoder(answer=(33.45, -112.07, "100 Main St, Phoenix")))
    response = admin_client.post(reverse("admin:meetings_location_add"), location_form(arizona))
    assert response.status_code == 302
    location = Location.objects.get()
    assert (location.latitude, location.longitude) == (33.45, -112.07)
    assert location.pin_source == PinSource.GEOCODER
    assert location.timezone == "America/Phoenix"  # from the pin, offline
    assert fake.asked == ["100 Main St, Phoenix, AZ 85004, US"]


@pytest.mark.parametrize("fake", [FakeGeocoder(answer=None), FakeGeocoder(error=TimeoutError("slow"))])
def test_a_geocoder_failure_never_blocks_the_save(admin_client, arizona, use_geocoder, fake):
    use_geocoder(fake)
    response = admin_client.post(reverse("admin:meetings_location_add"), location_form(arizona), follow=True)
    assert response.status_code == 200
    location = Location.objects.get()
    assert location.pin_source == PinSource.FAILED
    assert "could not find that address" in response.content.decode()


def test_offline_the_location_is_flagged_as_needing_a_pin(admin_client, arizona, use_geocoder):
    use_geocoder(None)
    admin_client.post(reverse("admin:meetings_location_add"), location_form(arizona))
    location = Location.objects.get()
    assert location.pin_source == PinSource.FAILED
    listed = admin_client.get(reverse("admin:meetings_location_changelist") + "?pin=missing").content.decode()
    assert "St. Mark" in listed


def test_a_pin_typed_by_hand_is_kept_and_never_overwritten(admin_client, arizona, use_geocoder):
    fake = use_geocoder(FakeGeocoder(answer=(1.0, 1.0, "elsewhere")))
    admin_client.post(
        reverse("admin:meetings_location_add"), location_form(arizona, latitude="33.5", longitude="-112.1")
    )
    location = Location.objects.get()
    assert location.pin_source == PinSource.MANUAL
    # A later change of address does not move the hand-set pin.
    url = reverse("admin:meetings_location_change", args=[location.pk])
    admin_client.post(
        url,
        location_form(arizona, address="200 Main St", latitude="33.5", longitude="-112.1", timezone="America/Phoenix"),
    )
    location.refresh_from_db()
    assert (location.latitude, location.longitude) == (33.5, -112.1)
    assert fake.asked == []


def test_locate_skips_city_only_locations(arizona, use_geocoder):
    fake = use_geocoder(FakeGeocoder(answer=(1.0, 1.0, "x")))
    location = Location(area=arizona, city="Phoenix", approximate=True)
    assert pins.locate(location) == pins.SKIPPED
    assert fake.asked == []
