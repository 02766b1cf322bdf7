"""A page of results and its count up to the cap, from one query of ids in the search's order."""

import pytest
from django.db import connection
from django.db.models import F, Value
from django.test.utils import CaptureQueriesContext

from meetings import pagination
from meetings.models import MeetingType


@pytest.fixture
def cap_of_five(monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 5)


def search():
    return MeetingType.objects.annotate(score=Value(1) + F("pk")).order_by("code")


def codes(page):
    return [t.code for t in page.object_list]


def test_a_page_is_a_slice_of_the_matches_in_order_with_their_annotations(db, cap_of_five):
    every = list(search().values_list("code", flat=True))
    assert len(every) > 6
    page = pagination.page_with_total(search(), "2", 2, rows=MeetingType.objects.all())
    assert codes(page) == every[2:4]
    assert all(t.score == t.pk + 1 for t in page.object_list)  # the search's annotation, carried
    assert (page.paginator.count, page.paginator.capped, page.paginator.num_pages) == (5, True, 3)


def test_the_ids_and_the_count_are_one_query_and_the_rows_another(db, cap_of_five):
    with CaptureQueriesContext(connection) as queries:
        pagination.page_with_total(search(), "1", 2, rows=MeetingType.objects.all())
    assert len(queries) == 2
    assert "LIMIT 6" in queries[0]["sql"]  # the cap and one more, to know there are more


@pytest.mark.parametrize(("asked", "number"), [("99", 3), ("0", 1), ("x", 1), (None, 1)])
def test_a_page_number_out_of_range_or_not_a_number_gives_a_real_page(db, cap_of_five, asked, number):
    assert pagination.page_with_total(search(), asked, 2, rows=MeetingType.objects.all()).number == number


def test_a_search_under_the_cap_says_its_exact_count(db):
    women = MeetingType.objects.filter(code="W").order_by("code")
    page = pagination.page_with_total(women, "1", 25, rows=MeetingType.objects.all())
    assert (page.paginator.count, page.paginator.capped, codes(page)) == (1, False, ["W"])


def test_results_pages_count_to_their_own_cap_and_the_api_to_its_own(client, arizona, monkeypatch):
    """A results page stops counting at views.RESULTS_CAP (a search walking the dates stops there too); the API
    counts on to pagination.COUNT_CAP, for apps that page through everything."""
    from meetings import views
    from tests.factories import make_meeting

    for n in range(5):
        make_meeting(arizona, name=f"Hope {n}", times=[(day, "19:00", None) for day in range(7)])
    monkeypatch.setattr(views, "RESULTS_CAP", 4)
    monkeypatch.setattr(pagination, "COUNT_CAP", 30)
    page = client.get("/meetings/", {"sort": "name"})
    assert (page.context["page"].paginator.count, page.context["page"].paginator.capped) == (4, True)
    assert "More than 4 meeting times found" in page.content.decode()
    api = client.get("/api/v1/meetings", {"sort": "name"}).json()
    assert (api["count"], api["count_is_capped"]) == (30, True)
