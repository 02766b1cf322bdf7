"""A search whose words many meetings have walks the dates in order on SQLite: the same dates, in the same order.

SQLite's trigram index finds a common word's meetings (thousands at
100,000 meetings); the results page then walks the week's dates in order of
their start and keeps those of the index's meetings, instead of reading every
one of those meetings' dates to sort them (MeetingFilter.walks_dates,
OccurrenceQuerySet.walked). Here MANY_MEETINGS is lowered so a handful of
meetings count as many, and each search is compared with its plain form.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.urls import reverse

from meetings import search_text
from meetings.filters import MeetingFilter
from meetings.models import Meeting, Occurrence, querysets
from tests.clock import frozen
from tests.factories import make_group, make_location, make_meeting

URL = reverse("meetings:list")
PHOENIX = ZoneInfo("America/Phoenix")
NOW = dt.datetime(2026, 11, 26, 13, 0, tzinfo=PHOENIX)  # a Thursday, 1 PM
SEARCHES = [
    {"q": "hope"},
    {"q": "HOPE serenity"},
    {"q": "main st"},
    {"q": "café medellín"},
    {"q": "zz"},
    {"q": "nowhere at all"},
    {"q": "hope", "upcoming": "1"},
    {"q": "serenity", "upcoming": "1"},
    {"q": "hope", "sort": "name"},
    {"q": "hope", "day": "4"},
    {"q": "hope", "day": "today"},
    {"q": "hope", "attendance": "online"},
    {"q": "hope", "page": "2"},
]


def index_expected():
    return connection.vendor == "sqlite" and search_text.sqlite_can_index()


@pytest.fixture
def meetings(arizona):
    chapel = make_location(arizona, name="Chapel", address="12 Main St")
    medellin = make_location(arizona, city="Medellín", name="Salón Comunal", address="Calle 10 # 43-12")
    make_meeting(arizona, name="Café y Esperanza", location=medellin, group=make_group(arizona, name="Grupo Renacer"))
    make_meeting(arizona, name="Hope on Main", location=chapel, times=[(4, "12:00", "13:30"), (0, "09:00", None)])
    make_meeting(arizona, name="Hope and Serenity", location=chapel, times=[(4, "12:30", "14:00"), (2, "07:00", None)])
    make_meeting(
        arizona, name="Hope Online", location=None, conference_url="https://meet.example.com/hope",
        times=[(4, "13:00", "14:00"), (5, "13:00", None)],
    )  # fmt: skip
    make_meeting(arizona, name="Serenity Step", location=medellin, times=[(4, "18:30", "19:30"), (6, "06:00", None)])
    # Ends exactly as the week's window does (Thursday 1 PM next week): the walk's bound keeps it.
    make_meeting(arizona, name="Hope at the Edge", location=chapel, times=[(4, "12:00", "13:00")])
    for n in range(30):  # more than a page of hope, on every day
        make_meeting(arizona, name=f"Hope {n:02}", location=chapel, times=[(n % 7, f"{6 + n % 15:02}:15", None)])


def listed(client, params):
    """The dates a results page lists, in order (the page kept for the minute cleared first)."""
    cache.clear()
    response = client.get(URL, params)
    assert response.status_code == 200
    return [(row.meeting.name, row.occurrence.pk) for row in response.context["rows"]]


def test_a_walked_search_lists_the_same_dates_in_the_same_order(client, meetings, monkeypatch):
    with frozen(NOW):
        monkeypatch.setattr(querysets, "MANY_MEETINGS", 10**9)  # never walked
        plain = {str(params): listed(client, params) for params in SEARCHES}
        monkeypatch.setattr(querysets, "MANY_MEETINGS", 1)  # walked whenever the search may be
        walked = {str(params): listed(client, params) for params in SEARCHES}
    assert walked == plain
    edge = Occurrence.objects.get(meeting__name="Hope at the Edge", ends_at=NOW + dt.timedelta(days=7))
    assert ("Hope at the Edge", edge.pk) in plain[str({"q": "hope", "page": "2"})]
    assert {name for name, _ in plain[str({"q": "HOPE serenity"})]} == {"Hope and Serenity"}
    assert plain[str({"q": "zz"})] == plain[str({"q": "nowhere at all"})] == []


def walks(params, now=NOW):
    data = QueryDict(mutable=True)
    for name, value in params.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    search = MeetingFilter(data, queryset=Occurrence.objects.public(), now=now)
    return search.walks_dates, str(search.qs.query)


def test_only_words_alone_in_time_order_are_walked_and_only_on_sqlite(meetings, monkeypatch):
    monkeypatch.setattr(querysets, "MANY_MEETINGS", 1)
    for params in ({"q": "hope"}, {"q": "hope st"}, {"q": "hope", "upcoming": "1"}, {"q": "hope", "sort": "time"}):
        walked, sql = walks(params)
        assert walked == index_expected(), params
        assert ("+ 0) IN (SELECT rowid" in sql) == index_expected(), params
    for params in (
        {"q": "st"},  # too short for the index: how many meetings have it is not known
        {"q": "hope", "sort": "name"},
        {"q": "hope", "day": "2"},
        {"day": "2"},  # a weekday may be six days of dates away
        {"day": ["today", "2"]},
        {"q": "hope", "type": "D"},
        {"q": "hope", "lat": "33.45", "lng": "-112.07"},
        {"attendance": "phone"},  # a few meetings in a hundred: the walk could read the whole week
        {"q": "hope", "time": "morning", "attendance": "online"},  # three together may leave few
    ):
        walked, sql = walks(params)
        assert not walked, params
        assert "+ 0) IN (SELECT" not in sql, params
    for params in (
        {},
        {"upcoming": "1"},
        {"sort": "time", "page": "2"},
        {"day": "today"},
        {"day": "tomorrow"},
        {"time": "night"},
        {"attendance": "online"},
        {"time": "morning", "day": "today"},
        {"time": "night", "attendance": ["in_person", "hybrid"]},
    ):
        # The whole list (every meeting), today's or tomorrow's, a time of day, a way to attend: a good share
        # of the dates, found among the first walked.
        walked, sql = walks(params)
        assert walked == (connection.vendor == "sqlite"), params
        assert "+ 0) IN (SELECT" not in sql, params


def test_one_weekday_alone_leads_the_search_from_its_index(meetings):
    """on_local_days(): one weekday, without a place, is asked as the column its index serves; several weekdays,
    or a weekday near a place, as an expression (their own plans are faster); the dates found are the same."""
    for params, led in (
        ({"day": "2"}, True),
        ({"day": "2", "q": "hope", "time": "evening"}, True),
        ({"day": ["1", "3"]}, False),
        ({"day": ["today", "2"]}, False),
        ({"day": "2", "lat": "33.45", "lng": "-112.07"}, False),
    ):
        _walked, sql = walks(params)
        assert ('"local_weekday" + 0) IN' in sql) == (not led), params
        assert ('"local_weekday" IN' in sql) == led, params
    dates = Occurrence.objects.public()
    for days in ([2], [1, 3], [NOW.weekday()]):
        led = set(dates.on_local_days(NOW, days=days).values_list("pk", flat=True))
        assert led, days
        assert led == set(dates.on_local_days(NOW, days=days, led_by_day=False).values_list("pk", flat=True))


@pytest.mark.parametrize("day", [None, "today", "tomorrow"])
def test_the_whole_list_walked_lists_the_same_dates(client, meetings, monkeypatch, day):
    query = {"day": day} if day else {}
    with frozen(NOW):
        walked = [listed(client, {**query, "page": page}) for page in ("1", "2")]
        monkeypatch.setattr(MeetingFilter, "walks_dates", False)
        plain = [listed(client, {**query, "page": page}) for page in ("1", "2")]
    assert walked == plain
    assert len(plain[0]) == 25 if not day else plain[0]


@pytest.mark.parametrize(
    "query",
    [
        {"time": "morning"},
        {"time": "night"},
        {"time": ["morning", "evening"]},
        {"attendance": "in_person"},
        {"attendance": "online"},
        {"time": "evening", "day": "today"},
        {"q": "hope", "attendance": "in_person"},
    ],
)
def test_a_time_of_day_or_a_way_to_attend_walked_lists_the_same_dates(client, meetings, monkeypatch, query):
    monkeypatch.setattr(querysets, "MANY_MEETINGS", 1)
    with frozen(NOW):
        assert walks(query)[0] == (connection.vendor == "sqlite"), query
        walked = [listed(client, {**query, "page": page}) for page in ("1", "2")]
        monkeypatch.setattr(MeetingFilter, "walks_dates", False)
        plain = [listed(client, {**query, "page": page}) for page in ("1", "2")]
    assert walked == plain
    assert plain[0], query


def test_a_word_few_meetings_have_is_not_walked(meetings, monkeypatch):
    """A rare word would leave the whole week to walk: its few meetings' dates are read instead."""
    assert not Occurrence.objects.many_have("hope")  # 33 meetings: fewer than MANY_MEETINGS
    monkeypatch.setattr(querysets, "MANY_MEETINGS", 33)
    assert Occurrence.objects.many_have("hope") == index_expected()
    assert Occurrence.objects.many_have("hope serenity") is False  # both words: one meeting
    assert Occurrence.objects.many_have("zz") is False


def test_the_walked_dates_are_bounded_by_the_windows_end_and_a_day(meetings):
    with frozen(NOW):
        dates = Occurrence.objects.coming(NOW, walked=True)
        assert "starts_at" in str(dates.query).rpartition("ends_at")[2]  # both sides of the start bounded
        assert set(dates) == set(Occurrence.objects.coming(NOW))
        assert dates.filter(meeting__name="Hope at the Edge").count() == 1


def test_a_date_that_ends_before_it_starts_is_walked_to_as_well(client, arizona, monkeypatch):
    """Starting in the hour New York skips (02:50 on 8 March 2026) and ending after it (03:05): it ends first.

    Its start is read as standard time (07:50 UTC) and its end as daylight
    time (07:05 UTC). Ending just as the week's window does, it is listed,
    walked or not: the walk's bound on the start has a day to spare.
    """
    make_meeting(arizona, name="Hope DST", timezone="America/New_York", times=[(0, "02:50", "03:05")])
    make_meeting(arizona, name="Hope Later", times=[(0, "06:00", None)])
    now = dt.datetime(2026, 3, 1, 7, 5, tzinfo=dt.UTC)
    with frozen(now):
        monkeypatch.setattr(querysets, "MANY_MEETINGS", 10**9)
        plain = listed(client, {"q": "hope"})
        monkeypatch.setattr(querysets, "MANY_MEETINGS", 1)
        walked = listed(client, {"q": "hope"})
    skipped = Occurrence.objects.get(meeting__name="Hope DST", local_date=dt.date(2026, 3, 8))
    assert skipped.ends_at == now + dt.timedelta(days=7) < skipped.starts_at
    assert ("Hope DST", skipped.pk) in plain
    assert walked == plain


def test_the_walked_index_holds_each_dates_meeting_end_and_id(db):
    """A walk in time order reads the (start, meeting, end) index alone: PostgreSQL's holds the id too (migration
    0016), which SQLite's indexes always hold. Without it each date walked was read from the table for its id."""
    with connection.cursor() as cursor:
        index = connection.introspection.get_constraints(cursor, Occurrence._meta.db_table)["occurrence_starts_idx"]
    keys = ["starts_at", "meeting_id", "ends_at"]
    assert index["columns"] == (keys + ["id"] if connection.vendor == "postgresql" else keys)


def test_an_areas_meetings_are_read_from_their_index_with_their_name(db):
    """An area's meetings, their status and the name an area page orders by come from one index (migration 0017):
    both databases read each meeting's row for its name before, PostgreSQL for its status too."""
    with connection.cursor() as cursor:
        index = connection.introspection.get_constraints(cursor, Meeting._meta.db_table)["meeting_area_status_idx"]
    keys = ["area_id", "status", "name"]
    assert index["columns"] == (keys + ["id"] if connection.vendor == "postgresql" else keys)


def test_a_places_meetings_are_read_from_their_index_with_the_days_of_their_dates(db):
    """A search near a place reads the meetings at its locations with their status, name and the days of their
    dates from one index (migration 0018), and looks up the dates only of those with one on the days asked."""
    with connection.cursor() as cursor:
        index = connection.introspection.get_constraints(cursor, Meeting._meta.db_table)["meeting_location_status_idx"]
    keys = ["location_id", "status", "name", "weekdays"]
    assert index["columns"] == (keys + ["id"] if connection.vendor == "postgresql" else keys)


def test_the_days_of_a_meetings_dates_default_to_none_in_the_database_too(db):
    """Workers of the release before migration 0018, still running while it is deployed, add meetings without
    the column: the database gives them no days (0), which the next writing of their dates corrects."""
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, Meeting._meta.db_table)
    (weekdays,) = [column for column in columns if column.name == "weekdays"]
    assert str(weekdays.default).strip("()'") == "0" and not weekdays.null_ok
