"""The QuerySet verbs every view, feed and print list reuses."""

import pytest
from geopy.distance import great_circle

from groups.models import Group, ServiceArea
from meetings import geo
from meetings.models import Meeting
from tests.factories import make_group, make_location, make_meeting


def names(queryset):
    return sorted(queryset.values_list("name", flat=True))


def test_active_leaves_out_closed_and_archived(arizona):
    make_meeting(arizona, name="Open door")
    make_meeting(arizona, name="Paused", status=Meeting.Status.TEMPORARILY_CLOSED)
    make_meeting(arizona, name="Gone", status=Meeting.Status.ARCHIVED)
    assert names(Meeting.objects.active()) == ["Open door"]
    assert names(Meeting.objects.public()) == ["Open door", "Paused"]


def test_in_area_includes_sub_areas_and_nothing_else(arizona, phoenix_district, colorado):
    make_meeting(arizona, name="State-wide")
    make_meeting(phoenix_district, name="Downtown")
    make_meeting(colorado, name="Mile High")
    assert names(Meeting.objects.in_area(arizona)) == ["Downtown", "State-wide"]
    assert names(Meeting.objects.in_area(phoenix_district)) == ["Downtown"]
    assert names(Meeting.objects.in_area(arizona, colorado)) == ["Downtown", "Mile High", "State-wide"]


def test_descendant_ids_walk_the_whole_tree_in_one_query(
    world, arizona, phoenix_district, colorado, django_assert_num_queries
):
    with django_assert_num_queries(1):
        ids = ServiceArea.objects.descendant_ids([world])
    assert ids == {world.pk, arizona.pk, phoenix_district.pk, colorado.pk}


def test_groups_in_area(arizona, phoenix_district, colorado):
    make_group(phoenix_district, name="Desert Hope")
    make_group(colorado, name="Rockies")
    assert list(Group.objects.in_area(arizona).values_list("name", flat=True)) == ["Desert Hope"]


def test_on_days_matches_any_of_the_days_once(arizona):
    make_meeting(arizona, name="Mon-Wed", times=[(1, "19:00", None), (3, "19:00", None)])
    make_meeting(arizona, name="Sunday", times=[(0, "10:00", None)])
    assert names(Meeting.objects.on_days([1, 3])) == ["Mon-Wed"]
    assert Meeting.objects.on_days([0, 1, 3]).count() == 2


def test_open_and_closed(arizona):
    make_meeting(arizona, name="Anyone", access=Meeting.Access.OPEN)
    make_meeting(arizona, name="Members", access=Meeting.Access.CLOSED)
    assert names(Meeting.objects.open()) == ["Anyone"]
    assert names(Meeting.objects.closed()) == ["Members"]


def test_with_types_requires_every_type(arizona):
    make_meeting(arizona, name="Women speaker", types=["W", "SP"])
    make_meeting(arizona, name="Women", types=["W"])
    assert names(Meeting.objects.with_types(["W", "SP"])) == ["Women speaker"]
    assert names(Meeting.objects.with_types(["W"])) == ["Women", "Women speaker"]


def test_in_language(arizona):
    make_meeting(arizona, name="Esperanza", language="es")
    make_meeting(arizona, name="Hope")
    assert names(Meeting.objects.in_language("es")) == ["Esperanza"]


def test_near_keeps_what_is_within_the_radius_with_its_distance(arizona):
    centre = (33.4484, -112.0740)
    make_meeting(arizona, name="Downtown", location=make_location(arizona, latitude=33.4500, longitude=-112.0700))
    make_meeting(arizona, name="Tempe", location=make_location(arizona, latitude=33.4255, longitude=-111.9400))
    make_meeting(arizona, name="Tucson", location=make_location(arizona, latitude=32.2226, longitude=-110.9747))
    found = Meeting.objects.near(*centre, radius_km=20).order_by("distance_km")
    assert [m.name for m in found] == ["Downtown", "Tempe"]
    for meeting in found:
        expected = great_circle(centre, (meeting.location.latitude, meeting.location.longitude)).km
        assert meeting.distance_km == pytest.approx(expected, rel=1e-3)


def test_near_leaves_out_city_only_locations(arizona):
    make_meeting(
        arizona,
        name="Somewhere in Phoenix",
        location=make_location(arizona, approximate=True, latitude=33.45, longitude=-112.07),
    )
    assert not Meeting.objects.near(33.45, -112.07, 10).exists()


@pytest.mark.parametrize("point", [(0.0, 179.99), (0.0, -179.99), (89.95, 10.0), (-33.86, 151.21)])
def test_the_bounding_box_holds_every_point_of_the_circle(point):
    radius = 50.0
    box = geo.bounding_box(*point, radius)
    for bearing in range(0, 360, 15):
        edge = great_circle(kilometers=radius * 0.999).destination(point, bearing)
        assert box.south <= edge.latitude <= box.north
        assert box.west <= edge.longitude <= box.east or (box.west, box.east) == (-180.0, 180.0)


def test_the_zones_of_meetings_are_cached_until_a_save(arizona, django_assert_num_queries):
    from django.core.cache import cache

    cache.clear()
    make_meeting(arizona, name="Phoenix", timezone="America/Phoenix")
    assert Meeting.objects.zones() == ["America/Phoenix"]
    with django_assert_num_queries(0):
        assert Meeting.objects.zones() == ["America/Phoenix"]
    make_meeting(arizona, name="Tokyo online", timezone="Asia/Tokyo", conference_url="https://meet.example.com/t")
    assert sorted(Meeting.objects.zones()) == ["America/Phoenix", "Asia/Tokyo"]
