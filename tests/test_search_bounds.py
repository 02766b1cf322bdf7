"""No visitor can make a search expensive: repeated and long values are bounded, and no query runs for long.

Each test here reproduces something an outside probe did to the running site.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import MeetingType
from tests.factories import make_meeting

URL = "/meetings/"


@pytest.fixture
def listings(arizona):
    make_meeting(arizona, name="Discussion", types=["D"])
    make_meeting(arizona, name="Discussion for women", types=["D", "W"])
    make_meeting(arizona, name="Speaker", types=["SP"])


def names(response):
    return sorted(row.meeting.name for row in response.context["rows"])


def test_a_type_repeated_many_times_counts_once_and_joins_nothing_more(client, listings):
    once = client.get(URL, {"type": "D"})
    with CaptureQueriesContext(connection) as captured:
        repeated = client.get(URL, {"type": ["D"] * 30})
    assert names(repeated) == names(once) == ["Discussion", "Discussion for women"]
    assert not repeated.context["problems"]
    search_sql = max((q["sql"] for q in captured), key=len)
    assert search_sql.count("meetingtype") <= 3  # one subquery, not a join per value


def test_every_type_asked_for_must_match(client, listings):
    assert names(client.get(URL, {"type": ["W", "D", "W"]})) == ["Discussion for women"]


@pytest.fixture
def many_types(db):
    return [MeetingType.objects.create(code=f"Q{n}", name=f"Quiet {n}").code for n in range(31)]


def test_more_distinct_values_than_any_search_needs_are_refused_with_a_message(client, listings, many_types):
    response = client.get(URL, {"type": many_types, "day": [str(d) for d in range(7)] * 5})
    assert response.status_code == 200
    problems = {p["field"]: str(p["message"]) for p in response.context["problems"]}
    assert "at most 30" in problems["type"] and "31 were given" in problems["type"]
    assert "day" not in problems  # 35 values, but 7 distinct days
    assert names(response) == ["Discussion", "Discussion for women", "Speaker"]  # searched without the types


def test_the_api_refuses_too_many_values_with_a_400(client, listings, many_types):
    response = client.get("/api/v1/meetings", {"type": many_types})
    assert response.status_code == 400
    assert "type" in response.json()["errors"]


@pytest.mark.parametrize("zone", ["Etc", "America", "../../etc/passwd", "x" * 300, "Europe/London\x00"])
def test_a_meeting_page_with_any_tz_answers(client, arizona, zone):
    meeting = make_meeting(arizona, name="Online", location=None, conference_url="https://meet.example.com/a")
    response = client.get(meeting.get_absolute_url(), {"tz": zone})
    assert response.status_code == 200


def test_a_search_with_a_zone_folder_as_tz_says_so(client, listings):
    response = client.get(URL, {"tz": "Etc"})
    assert response.status_code == 200
    assert [p["field"] for p in response.context["problems"]] == ["tz"]


def test_a_refused_place_beside_a_point_searches_near_the_point_and_says_so(client, listings):
    """A probe's URL: a place refused (too long) with lat and lng. The search was judged "place missing" before
    its form was cleaned and not after it, so the page drew a list it had not read: a 500."""
    response = client.get(URL, {"near": "x" * 201, "lat": "33.45", "lng": "-112.07", "radius": "25"})
    assert response.status_code == 200
    assert response.context["search"].point == (33.45, -112.07)
    assert response.context["page"] is not None
    assert [p["field"] for p in response.context["problems"]] == ["near"]
    assert '<p class="field-error" id="near-error">' in response.content.decode()


@pytest.mark.parametrize("url", ["/print/", "/print.pdf"])
def test_a_print_list_ignores_long_junk_parameters(client, listings, url):
    response = client.get(url, {"area": "arizona", "x": "y" * 2400})
    assert response.status_code == 200
    if url == "/print/":
        assert "yyyy" not in response.content.decode()


def test_junk_parameters_cannot_force_a_new_pdf(client, listings, monkeypatch):
    from meetings.printing import views

    rendered = []
    real = views.render_pdf
    monkeypatch.setattr(views, "render_pdf", lambda request: rendered.append(1) or real(request))
    cache.clear()
    first = client.get("/print.pdf", {"area": "arizona", "day": ["2", "1"]})
    again = client.get("/print.pdf", {"day": ["1", "2", "1"], "area": "arizona", "junk": "1", "x": "2"})
    assert first.status_code == again.status_code == 200
    assert first.content == again.content
    assert len(rendered) == 1


@pytest.mark.urls("tests.slow_urls")  # transactional_db: a cancelled statement must not poison a test transaction
def test_a_slow_public_query_is_stopped_and_says_so(client, transactional_db, settings):
    settings.PUBLIC_QUERY_SECONDS = 0.2
    response = client.get("/slow/", {"seconds": "3"})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "took too long" in response.content.decode()


@pytest.mark.urls("tests.slow_urls")  # transactional_db: a cancelled statement must not poison a test transaction
def test_the_admin_has_no_query_time_limit(client, transactional_db, settings):
    settings.PUBLIC_QUERY_SECONDS = 0.2
    assert client.get("/slow/", {"seconds": "0.5"}).status_code == 503
    response = client.get("/admin/slow/", {"seconds": "0.5"})
    assert response.status_code == 200  # and on PostgreSQL the connection's own limit was lifted again


@pytest.mark.urls("tests.slow_urls")  # transactional_db: a cancelled statement must not poison a test transaction
def test_a_quick_public_query_is_untouched(client, transactional_db, settings):
    settings.PUBLIC_QUERY_SECONDS = 2
    assert client.get("/slow/", {"seconds": "0.05"}).status_code == 200


def test_new_pdfs_are_limited_per_visitor_and_cached_ones_are_not(client, listings, settings):
    settings.PDF_RENDERS_PER_MINUTE = 2
    cache.clear()
    assert client.get("/print.pdf", {"area": "arizona", "day": "1"}).status_code == 200
    assert client.get("/print.pdf", {"area": "arizona", "day": "2"}).status_code == 200
    third = client.get("/print.pdf", {"area": "arizona", "day": "3"})
    assert third.status_code == 429 and third["Retry-After"] == "60"
    assert client.get("/print.pdf", {"day": "1", "area": "arizona"}).status_code == 200  # cached: no render
    other = client.get("/print.pdf", {"area": "arizona", "day": "3"}, REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 200  # another visitor has their own allowance
