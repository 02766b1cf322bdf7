"""One rule decides what any output may show of a location: a city-only place keeps its door private."""

from meetings.models import published_place
from tests.factories import make_location


def test_a_street_address_is_published_whole(arizona):
    place = make_location(arizona, name="St. Mark's", address="12 Main St", notes="Side door").published
    assert (place.name, place.address, place.notes) == ("St. Mark's", "12 Main St", "Side door")
    assert (place.latitude, place.longitude) == (33.4484, -112.074)
    assert place.formatted_address == "12 Main St, Phoenix, AZ 85004, US"
    assert place.approximate is False


def test_a_city_only_place_publishes_its_city_and_a_point_rounded_to_the_town(arizona):
    location = make_location(
        arizona, name="Someone's home", address="7 Elm St", notes="Ring twice", approximate=True,
        latitude=33.44837, longitude=-112.07398,
    )  # fmt: skip
    place = location.published
    assert (place.name, place.address, place.postal_code, place.notes) == ("", "", "", "")
    assert (place.city, place.state, place.country) == ("Phoenix", "AZ", "US")
    assert (place.latitude, place.longitude) == (33.4, -112.1)
    assert place.formatted_address == "Phoenix, AZ, US"
    assert place.approximate is True


def test_plain_values_follow_the_same_rule_as_a_location():
    place = published_place("Home", "7 Elm St", "Mesa", "AZ", "85201", "US", None, None, "Back gate", True)
    assert place.formatted_address == "Mesa, AZ, US"
    assert (place.latitude, place.longitude, place.notes) == (None, None, "")
