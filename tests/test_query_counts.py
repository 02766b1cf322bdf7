"""Every public page runs a fixed number of queries, whatever the number of meetings (no N+1)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_group, make_location, make_meeting

PAGES = [
    "/",
    "/meetings/",
    "/meetings/?day=1&day=3&type=D&attendance=in_person",
    "/meetings/?lat=33.45&lng=-112.07&radius=50&sort=distance",
    "/meetings/?upcoming=1",
    "/meetings/?day=today&q=hope",
    "/areas/arizona/",
    "/groups/desert-hope/",
    "/api/v1/meetings?day=1",
    "/feeds/meetings.ics",
    "/sitemap.xml",
]


def build(area, group, count):
    location = make_location(area)
    for n in range(count):
        make_meeting(
            area,
            name=f"Hope {n}",
            group=group,
            location=location if n % 3 else None,
            conference_url="" if n % 3 else f"https://meet.example.com/{n}",
            types=["D", "W"],
            times=[(1, "19:00", "20:00"), (3, "07:00", None), (n % 7, "12:00", None)],
        )


def queries(client, url):
    cache.clear()  # compare the uncached work: cached pages would hide an N+1
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.fixture(autouse=True)
def monday_evening():
    # Meetings of the fixtures are under way or soon, so no list is empty (their dates are written as of then).
    with time_machine.travel(dt.datetime(2026, 11, 23, 18, 30, tzinfo=ZoneInfo("America/Phoenix")), tick=False):
        yield


@pytest.mark.parametrize("url", PAGES)
def test_a_page_costs_the_same_queries_for_3_or_30_meetings(client, arizona, url):
    group = make_group(arizona, name="Desert Hope")
    build(arizona, group, 3)
    client.get(url)  # warm per-process caches (content types, sessions)
    few = queries(client, url)
    build(arizona, group, 27)
    assert queries(client, url) == few


def test_the_meeting_page_costs_the_same_with_many_neighbours(client, arizona):
    location = make_location(arizona)
    meeting = make_meeting(arizona, name="Main", location=location, times=[(1, "19:00", None), (2, "19:00", None)])
    make_meeting(arizona, name="First neighbour", location=location, types=["W"])
    client.get(meeting.get_absolute_url())
    few = queries(client, meeting.get_absolute_url())
    for n in range(10):
        make_meeting(arizona, name=f"Neighbour {n}", location=location, types=["D"], times=[(n % 7, "08:00", None)])
    assert queries(client, meeting.get_absolute_url()) == few


def test_the_results_page_stays_under_ten_queries(client, arizona, django_assert_max_num_queries):
    build(arizona, make_group(arizona, name="Desert Hope"), 10)
    with django_assert_max_num_queries(10):
        client.get("/meetings/?near=85004&day=1&type=D")
