"""A search for a few weekdays finds its first matches from each weekday's first dates: the same dates, in order.

"Monday or Wednesday" asks each date's weekday as an expression (several
weekdays read faster so than from the (weekday, start) index when all
their dates are read), so the database walked or sorted the whole week for
a page. MeetingFilter.first reads each weekday's first dates from that
index instead and keeps those (OccurrenceQuerySet.first_of_each_weekday),
for the callers that read no more than that many: a results page and its
count, the API. Each is compared here with the plain search.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.urls import reverse

from meetings import views
from meetings.filters import MeetingFilter
from meetings.models import Meeting, Occurrence
from tests.clock import frozen
from tests.factories import make_location, make_meeting

PHOENIX = ZoneInfo("America/Phoenix")
NOW = dt.datetime(2026, 11, 26, 13, 0, tzinfo=PHOENIX)  # a Thursday (3), 1 PM
LED = [
    {"day": ["0", "2"]},
    {"day": ["4", "1"]},
    {"day": ["3", "5", "6"]},  # today among them: its dates under way and later today come first
    {"day": ["0", "1", "2", "6"]},
    {"day": ["0", "2"], "attendance": "online"},
    {"day": ["1", "3"], "attendance": ["in_person", "phone"]},
    {"day": ["0", "2"], "language": "es"},
    {"day": ["0", "2"], "sort": "time", "tz": "America/New_York"},
]
NOT_LED = [
    {"day": "2"},  # one weekday: asked as the column, read from its index already
    {"day": ["0", "1", "2", "4", "5"]},  # five or more: their dates come soon in the week's walk
    {"day": ["0", "today"]},
    {"day": ["0", "2"], "q": "hope"},
    {"day": ["0", "2"], "type": "D"},
    {"day": ["0", "2"], "time": "evening"},
    {"day": ["0", "2"], "access": "closed"},
    {"day": ["0", "2"], "attendance": "phone"},  # a few meetings in a hundred: each weekday's walk would be long
    {"day": ["0", "2"], "upcoming": "1"},
    {"day": ["0", "2"], "sort": "name"},
    {"day": ["0", "2"], "lat": "33.45", "lng": "-112.07"},
]


def query(params):
    data = QueryDict(mutable=True)
    for name, value in params.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    return data


def search(params):
    return MeetingFilter(query(params), queryset=Occurrence.objects.public(), now=NOW)


@pytest.fixture
def week(arizona):
    """Dates on every weekday, many at the same hour (their order is then the meeting's name), some online."""
    hall = make_location(arizona, name="Hall", latitude=33.45, longitude=-112.07)
    for n in range(42):
        online = n % 3 == 0
        make_meeting(
            arizona,
            name=f"Meeting {41 - n:02}",
            location=None if online else hall,
            conference_url="https://meet.example.com/ha" if online else "",
            language="es" if n % 6 == 0 else "en",
            times=[(n % 7, f"{7 + n % 3 * 5:02}:00", None), ((n + 3) % 7, "12:00", "13:00")],
        )
    archived = make_meeting(arizona, name="Archived", location=hall, times=[(0, "07:00", None)])
    Meeting.objects.filter(pk=archived.pk).update(status=Meeting.Status.ARCHIVED)


def test_the_first_dates_of_each_weekday_hold_the_searchs_first_dates(week):
    with frozen(NOW):
        for params in LED:
            found = search(params)
            plain = list(found.qs.values_list("pk", flat=True))
            assert len(plain) > 6, params
            for count in (1, 3, len(plain) // 2, len(plain) - 1, len(plain), len(plain) + 10):
                led = list(found.first(count).values_list("pk", flat=True)[:count])
                assert led == plain[:count], (params, count)


def test_only_a_few_weekdays_with_nothing_rarer_are_led_by_each_weekday(week):
    with frozen(NOW):
        for params in LED:
            assert "UNION ALL" in str(search(params).first(201).query), params
        for params in NOT_LED:
            found = search(params)
            assert str(found.first(201).query) == str(found.qs.query), params


@pytest.mark.parametrize("params", LED[:5])
def test_a_results_page_for_a_few_weekdays_lists_the_same_dates_and_count(client, week, monkeypatch, params):
    monkeypatch.setattr(views, "PAGE_SIZE", 7)  # pages within the week's dates, and a count capped below them
    monkeypatch.setattr(views, "RESULTS_CAP", 20)

    def pages():
        found = []
        for page in ("1", "2", "3", "4"):
            cache.clear()
            response = client.get(reverse("meetings:list"), query({**params, "page": page}))
            assert response.status_code == 200
            found.append(([(row.meeting.name, row.occurrence.pk) for row in response.context["rows"]],))
            found.append(response.context["page"].paginator.count)
        return found

    with frozen(NOW):
        led = pages()
        monkeypatch.setattr(MeetingFilter, "first", lambda search, count: search.qs)
        plain = pages()
    assert led == plain
    assert plain[0][0] and plain[1] == min(20, len(search(params).qs))


def test_the_api_for_a_few_weekdays_answers_the_same(client, week, monkeypatch):
    def answer():
        cache.clear()
        response = client.get("/api/v1/meetings", query({"day": ["0", "2"], "page": "2"}))
        assert response.status_code == 200
        return response.json()

    with frozen(NOW):
        led = answer()
        monkeypatch.setattr(MeetingFilter, "first", lambda search, count: search.qs)
        assert answer() == led
    assert led["results"]
