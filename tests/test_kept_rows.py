"""A page's rows kept in the cache under the listings version (meetings/kept_rows.py).

A page asked again reads its rows from the cache, without their queries,
and shows the same; an edit shows at once; what a search sets on its rows (a
distance from the visitor's point) is never kept; querysets whose shape
cannot be named without a query are never kept.
"""

import datetime as dt
import json
import pickle
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Prefetch
from django.db.models.lookups import Exact
from django.test.utils import CaptureQueriesContext

from meetings import api, kept_rows, release, views
from meetings.models import ChangeKind, Meeting, MeetingType, Occurrence, ScheduleChange
from tests.clock import frozen
from tests.factories import make_area, make_group, make_location, make_meeting

PAGES = {  # page: the queries its kept rows save (the rows', and their prefetches')
    "/meetings/": 1,
    "/meetings/?lat=33.45&lng=-112.07&radius=50&sort=distance": 2,  # rows with the meeting's other times
    "/meetings/?upcoming=1": 1,
    "/areas/arizona/": 3,  # its dates' rows, and the area with its parent and children
    "/api/v1/meetings?day=1": 3,  # the results: rows with group and area, their types' codes and coming dates
}


MONDAY_6_30_PM = dt.datetime(2026, 11, 23, 18, 30, tzinfo=ZoneInfo("America/Phoenix"))


@pytest.fixture(autouse=True)
def monday_evening(db):
    with frozen(MONDAY_6_30_PM):  # one meeting under way, one soon
        yield


@pytest.fixture
def listings(arizona):
    group = make_group(arizona, name="Desert Hope")
    hall = make_location(arizona, name="St. Brigid's Hall", latitude=33.45, longitude=-112.07)
    make_meeting(
        arizona, name="Hope at the hall", location=hall, group=group, types=["D"], times=[(1, "19:00", "20:00")]
    )
    online = make_meeting(
        arizona,
        name="Hope online",
        location=None,
        conference_url="https://meet.example.com/1",
        types=["W"],
        times=[(1, "18:45", "19:45"), (3, "07:00", None)],
    )
    return online


def fresh_page_of(client, url, n):
    """`url` as a page not kept for the minute (a parameter no search reads), with its queries."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{url}{'&' if '?' in url else '?'}again={n}")
    assert response.status_code == 200, url
    return response.content.decode().replace(f"again={n}", "again=N"), len(captured)


@pytest.mark.parametrize("url", PAGES)
def test_a_page_asked_again_reads_its_rows_from_the_cache_and_shows_the_same(client, listings, url, monkeypatch):
    first, _queries = fresh_page_of(client, url, 1)
    again, queries_again = fresh_page_of(client, url, 2)
    assert "Hope" in first
    assert again == first
    cache.clear()
    monkeypatch.setattr(kept_rows, "shape_of", lambda rows: None)  # nothing kept: read from the database
    fresh_page_of(client, url, 3)  # what else a page keeps (the cards' parts), kept again
    unkept, queries_unkept = fresh_page_of(client, url, 4)
    assert unkept == first
    assert queries_again == queries_unkept - PAGES[url]  # the rows' own queries, and no other, are saved


@pytest.mark.parametrize("url", ["/meetings/?upcoming=1", "/api/v1/meetings?day=1", "/areas/arizona/"])
def test_an_edit_shows_on_the_next_page_though_its_rows_were_kept(client, listings, url):
    fresh_page_of(client, url, 1)
    listings.name = "Hope renamed"
    listings.conference_url = "https://meet.example.com/moved"
    listings.save()
    page, _queries = fresh_page_of(client, url, 2)
    assert "Hope renamed" in page and "Hope online" not in page
    if "upcoming" in url or "api" in url:  # under way now: the Join link, or the API's URL
        assert "meet.example.com/moved" in page and "meet.example.com/1" not in page


def test_a_distance_from_one_visitors_point_is_never_kept_nor_given_to_another(client, listings):
    near = client.get("/api/v1/meetings?lat=33.45&lng=-112.07&radius=50").json()["results"]
    away = client.get("/api/v1/meetings?lat=33.60&lng=-112.07&radius=50").json()["results"]
    hall_near = next(r for r in near if r["name"] == "Hope at the hall")
    hall_away = next(r for r in away if r["name"] == "Hope at the hall")
    assert hall_near["distance"] == 0.0
    assert hall_away["distance"] > 10  # the second search's own distance, not the first's kept with the row
    # LocMemCache keeps pickles, under "<prefix>:<version>:<key>".
    kept = [pickle.loads(value) for key, value in cache._cache.items() if key.split(":")[2] == "api-results"]
    assert kept, "the searches' results were kept"
    for result in kept:
        assert isinstance(result, api.Result)
        assert "distance" not in result.head and "distance" not in result.tail
    client.get("/meetings/?lat=33.45&lng=-112.07&radius=50")  # a results page keeps its rows (models)
    rows = [pickle.loads(value) for key, value in cache._cache.items() if key.split(":")[2] == "rows"]
    assert rows, "the page's rows were kept"
    for row in rows:
        assert isinstance(row, Occurrence)
        assert "distance_km" not in row.__dict__


def api_results(client, url, n):
    body, queries = fresh_page_of(client, url, n)
    return {row["name"]: row for row in json.loads(body)["results"]}, queries


def starts_of(result):
    return [date["starts"] for date in result["next_dates"]]


def test_the_apis_results_are_kept_and_only_a_date_not_kept_is_read(client, listings, monkeypatch):
    read, real = [], api.dates_not_over  # the times whose dates were read from the database
    monkeypatch.setattr(api, "dates_not_over", lambda ids, now: read.append(ids) or real(ids, now))
    url = "/api/v1/meetings?day=1"
    monday = listings.times.get(weekday=1).pk
    with time_machine.travel(dt.datetime(2026, 11, 23, 19, 0, tzinfo=ZoneInfo("America/Phoenix")), tick=False):
        first, queries = api_results(client, url, 1)
        assert starts_of(first["Hope online"])[0] == "2026-11-23T18:45:00-07:00"  # today's, under way
        again, queries_again = api_results(client, url, 2)
    assert again == first and queries_again == 1 < queries  # the search alone: its results are kept
    assert len(read) == 1
    # Today's date of Hope online is over (it ended at 19:45): next Monday's is listed, and only its result is
    # read; the hall's, under way, is the one kept at 19:00.
    with time_machine.travel(dt.datetime(2026, 11, 23, 19, 50, tzinfo=ZoneInfo("America/Phoenix")), tick=False):
        later, _queries = api_results(client, url, 3)
        assert read[1:] == [[monday]]
        cache.clear()
        unkept, _queries = api_results(client, url, 4)
    assert len(read) == 3
    assert later == unkept  # as if nothing had been kept
    assert starts_of(later["Hope online"])[:4] == starts_of(first["Hope online"])[1:]  # a week further: five dates
    assert later["Hope online"]["next_start"] == unkept["Hope online"]["next_start"] == "2026-11-30T18:45:00-07:00"


def test_a_kept_results_dates_over_since_are_left_out():
    """A result is kept for the hour with its time's dates not over when it was read: those over since are not
    given, and its next start is the next date it meets (not one cancelled)."""
    utc = dt.UTC
    now = dt.datetime(2026, 11, 30, 20, 0, tzinfo=utc)

    def date(starts, state="scheduled"):
        ends = starts + dt.timedelta(hours=1)
        return api.ComingDate(ends, state in api.MEETS, {"starts": starts.isoformat(), "ends": ends.isoformat()})

    mondays = [dt.datetime(2026, 11, 23, 19, 0, tzinfo=utc) + dt.timedelta(weeks=n) for n in range(4)]
    coming = [date(mondays[0]), date(mondays[1]), date(mondays[2], "cancelled"), date(mondays[3])]
    result = api.Result("hope", "Hope", {}, {}, "UTC", mondays[1], mondays[1] + dt.timedelta(hours=1), "scheduled",
                        coming)  # fmt: skip
    out = api.result_out(result, None, "mi", now, "https://example.org/meetings/{}/")
    assert [found["starts"] for found in out["next_dates"]] == [mondays[2].isoformat(), mondays[3].isoformat()]
    assert out["next_start"] == mondays[3].isoformat()  # the cancelled date does not meet
    assert out["in_progress"] is False  # it ended at 20:00, now
    assert out["url"] == "https://example.org/meetings/hope/"
    assert out["distance"] is None and out["units"] is None


@pytest.mark.parametrize(
    ("url", "read_again"),  # the queries of what was kept: the API's results; a page's rows and its cards' types
    [("/api/v1/meetings?day=1", 3), ("/meetings/?upcoming=1", 2)],
)
def test_what_one_release_kept_is_never_read_by_the_next(client, listings, monkeypatch, url, read_again):
    """A shared cache outlives a deploy: results written out by one release's code, or rows pickled by it, are
    read again from the database by the next, not served as they were kept."""
    monkeypatch.setattr(release, "fingerprint", lambda: "release-a")
    first, queries = fresh_page_of(client, url, 1)
    _again, queries_again = fresh_page_of(client, url, 2)
    assert queries_again < queries
    monkeypatch.setattr(release, "fingerprint", lambda: "release-b")
    after_deploy, queries_after = fresh_page_of(client, url, 3)
    assert queries_after == queries_again + read_again
    assert after_deploy == first


def test_a_cancellation_shows_in_the_apis_coming_dates_though_they_were_kept(client, listings):
    url = "/api/v1/meetings?day=1"
    api_results(client, url, 1)
    ScheduleChange.objects.create(
        meeting=listings,
        meeting_time=listings.times.get(weekday=1),
        kind=ChangeKind.CANCELLED,
        date=dt.date(2026, 11, 30),
        note="Holiday",
    )
    results, _queries = api_results(client, url, 2)
    states = [(date["starts"][:10], date["state"], date["note"]) for date in results["Hope online"]["next_dates"]]
    assert states[:2] == [("2026-11-23", "scheduled", ""), ("2026-11-30", "cancelled", "Holiday")]


def test_querysets_are_named_by_what_they_read():
    cards = Occurrence.objects.public().for_cards(types=False)
    assert kept_rows.shape_of(cards) == kept_rows.shape_of(Occurrence.objects.public().for_cards(types=False))
    others = [
        Occurrence.objects.all().for_cards(types=False),  # other conditions: archived meetings too
        Occurrence.objects.public().for_cards(),  # with the types
        Occurrence.objects.public().for_cards("meeting__area", types=False),
        cards.prefetch_related("meeting__times"),
        Occurrence.objects.public().filter(state="cancelled").for_cards(types=False),
    ]
    shapes = {kept_rows.shape_of(queryset) for queryset in [cards, *others]}
    assert None not in shapes and len(shapes) == len(others) + 1


def test_querysets_that_cannot_be_named_without_a_query_are_read_from_the_database(db, django_assert_num_queries):
    unnamed = [
        Occurrence.objects.filter(meeting__in=Meeting.objects.filter(name="Hope")),  # a subquery
        Occurrence.objects.prefetch_related(Prefetch("meeting__types", queryset=MeetingType.objects.all())),
        Occurrence.objects.only("pk"),
        Occurrence.objects.filter(Exact(F("local_weekday") + 0, 2)),  # an expression, not a column
        Occurrence.objects.public().for_cards().annotate(n=Count("pk")),
    ]
    with django_assert_num_queries(0):  # naming them ran nothing (a subquery's repr would have)
        assert [kept_rows.shape_of(queryset) for queryset in unnamed] == [None] * len(unnamed)


def test_rows_kept_by_another_release_are_not_read(monkeypatch):
    before = kept_rows.shape_of(Occurrence.objects.public())
    kept_rows.schema.cache_clear()
    monkeypatch.setattr("django.__version__", "9.9")
    try:
        assert kept_rows.shape_of(Occurrence.objects.public()) != before
    finally:
        kept_rows.schema.cache_clear()


@pytest.fixture
def neighbours(arizona):
    hall = make_location(arizona, name="St. Brigid's Hall", latitude=33.45, longitude=-112.07)
    here = make_meeting(arizona, name="Hope at the hall", location=hall, types=["D"], times=[(1, "19:00", "20:00")])
    make_meeting(arizona, name="Serenity at the hall", location=hall, times=[(3, "12:00", None)])
    return here


def test_a_meeting_page_asked_again_reads_the_meeting_and_its_neighbours_from_the_cache(
    client, neighbours, monkeypatch
):
    url = f"/meetings/{neighbours.slug}/"
    first, _queries = fresh_page_of(client, url, 1)
    again, queries_again = fresh_page_of(client, url, 2)
    assert "Hope at the hall" in first and "Serenity at the hall" in first
    assert again == first
    cache.clear()
    monkeypatch.setattr(kept_rows, "shape_of", lambda rows: None)  # no rows kept
    monkeypatch.setattr(views, "kept_parts_key", lambda meeting: uuid.uuid4().hex)  # nor the page's parts
    fresh_page_of(client, url, 3)
    unkept, queries_unkept = fresh_page_of(client, url, 4)
    assert unkept == first
    # The meeting with its place, group and area, its times, its types, its dated changes; its neighbours and
    # their times. What is left is its next dates, which depend on the time.
    assert queries_again == queries_unkept - 6 == 1


def test_a_meeting_page_shows_an_edit_to_it_or_its_neighbours_at_once(client, neighbours):
    url = f"/meetings/{neighbours.slug}/"
    fresh_page_of(client, url, 1)
    neighbour = Meeting.objects.get(name="Serenity at the hall")
    neighbour.name = "Serenity renamed"
    neighbour.save()
    page, _queries = fresh_page_of(client, url, 2)
    assert "Serenity renamed" in page and "Serenity at the hall" not in page
    neighbours.status = Meeting.Status.ARCHIVED
    neighbours.save()
    assert client.get(f"{url}?again=3").status_code == 404  # kept before it was archived: not found now


def test_a_meeting_page_kept_shows_a_dated_change_made_since_and_forgets_one_removed(client, neighbours):
    url = f"/meetings/{neighbours.slug}/"
    with frozen(dt.datetime(2026, 11, 20, 9, 0, tzinfo=ZoneInfo("America/Phoenix"))):
        fresh_page_of(client, url, 1)
        time = neighbours.times.get()
        change = ScheduleChange.objects.create(
            meeting=neighbours,
            meeting_time=time,
            kind=ChangeKind.CANCELLED,
            date=dt.date(2026, 11, 23),
            note="Thanksgiving week",
        )
        page, queries = fresh_page_of(client, url, 2)
        assert "No meeting on Monday, November 23, 2026" in page and "(Every Monday): Thanksgiving week" in page
        again, queries_again = fresh_page_of(client, url, 3)
        assert again.replace("again=N", "") == page.replace("again=N", "") and queries_again == 1 < queries
        change.delete()
        page, _queries = fresh_page_of(client, url, 4)
        assert "Dates to note" not in page and "Thanksgiving week" not in page


def test_an_unknown_meeting_is_not_found_and_nothing_is_kept_for_it(client, neighbours):
    assert client.get("/meetings/no-such-meeting/").status_code == 404
    assert not [key for key in cache._cache if "no-such-meeting" in key]


def test_a_list_is_named_by_its_order_and_slice_too(db):
    meetings = Meeting.objects.public()
    shapes = {
        kept_rows.shape_of(queryset)
        for queryset in (meetings, meetings.order_by("name"), meetings.order_by("-name"), meetings[:5], meetings[5:10])
    }
    assert None not in shapes and len(shapes) == 5


def test_an_area_page_kept_shows_an_edit_to_the_area_or_its_children_at_once(client, listings, arizona):
    phoenix = make_area("Phoenix District", parent=arizona)
    fresh_page_of(client, "/areas/arizona/", 1)
    _again, queries_again = fresh_page_of(client, "/areas/arizona/", 2)
    arizona.helpline_phone = "+1 602 555 0199"
    arizona.save()
    phoenix.name = "Valley District"
    phoenix.save()
    make_area("Tucson District", parent=arizona)
    page, queries = fresh_page_of(client, "/areas/arizona/", 3)
    assert 'href="tel:+16025550199"' in page and "Valley District" in page and "Tucson District" in page
    assert "Phoenix District" not in page
    assert queries > queries_again  # read again after the edits, then kept
    assert fresh_page_of(client, "/areas/arizona/", 4) == (page, queries_again)


def test_an_unknown_area_is_not_found_and_nothing_is_kept_for_it(client, listings):
    assert client.get("/areas/no-such-area/").status_code == 404
    assert not [key for key in cache._cache if "no-such-area" in key]
