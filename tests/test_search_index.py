"""SQLite's trigram index over the search text (migration 0011): the same results as without it, kept true by triggers.

On PostgreSQL the migration does nothing (its trigram index is migration
0004's), nor on an SQLite without FTS5's trigram tokenizer: the tests that
read the index check that instead.
"""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import search_text
from meetings.models import Meeting
from tests.factories import make_group, make_location, make_meeting

URL = reverse("meetings:list")
TRIGGERS = {f"{search_text.INDEX_TABLE}_{event}" for event in ("insert", "delete", "update")}
# Accents, two words, a two-letter word, words of the place's address, quotes and LIKE's own characters.
SEARCHES = [
    "CAFÉ",
    "café medellín",
    "esperanza grupo",
    "st",
    "main st",
    "43-12",
    "hope",
    "HOPE serenity",
    'say "hi"',
    "100%",
    "o'hare",
    "zz",
    "nowhere at all",
]


def index_expected():
    return connection.vendor == "sqlite" and search_text.sqlite_can_index()


def dates_found(client, words):
    """The dates a search lists, in order (the page kept for the minute cleared first)."""
    cache.clear()
    response = client.get(URL, {"q": words})
    assert response.status_code == 200
    return [(row.meeting.name, row.occurrence.pk) for row in response.context["rows"]]


def indexed(word):
    """The meetings the index finds for `word`, read from the index itself."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {search_text.INDEX_TABLE} WHERE {search_text.INDEX_TABLE} MATCH %s", [f'"{word}"']
        )
        return {pk for (pk,) in cursor.fetchall()}


def stored(word):
    return {pk for pk, text in Meeting.objects.values_list("pk", "search_text") if word in text}


def assert_index_true(*words):
    """FTS5's own check of an external-content index against its table, and what it finds for some words."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {search_text.INDEX_TABLE}({search_text.INDEX_TABLE}, rank) VALUES ('integrity-check', 1)"
        )
    for word in words:
        assert indexed(word) == stored(word), word


@pytest.fixture
def meetings(arizona):
    medellin = make_location(arizona, city="Medellín", name="Salón Comunal", address="Calle 10 # 43-12")
    chapel = make_location(arizona, name="Chapel", address="12 Main St")
    hall = make_location(arizona, name="Hall", address="7 Elm Rd")
    make_meeting(arizona, name="Café y Esperanza", location=medellin, group=make_group(arizona, name="Grupo Renacer"))
    make_meeting(arizona, name="Hope on Main", location=chapel)
    make_meeting(arizona, name="Hope and Serenity", location=chapel, times=((2, "07:00", "08:00"), (4, "12:00", None)))
    make_meeting(arizona, name='Say "Hi" Group', notes="Near O'Hare", location=hall)
    make_meeting(arizona, name="100% Honest", location=hall)
    make_meeting(arizona, name="Serenity Step", location=medellin, times=((0, "18:30", "19:30"),))


def test_results_are_the_same_with_and_without_the_index(client, meetings, monkeypatch):
    with_index = {words: dates_found(client, words) for words in SEARCHES}
    monkeypatch.setattr(search_text, "INDEXED_LENGTH", 10**6)  # no word is looked up in the index
    without_index = {words: dates_found(client, words) for words in SEARCHES}
    assert with_index == without_index
    names = {words: {name for name, _ in dates} for words, dates in with_index.items()}
    assert names["café medellín"] == {"Café y Esperanza"}
    assert names["main st"] == {"Hope on Main", "Hope and Serenity"}
    assert names["43-12"] == {"Café y Esperanza", "Serenity Step"}
    assert names["HOPE serenity"] == {"Hope and Serenity"}
    assert names['say "hi"'] == {'Say "Hi" Group'}
    assert names["o'hare"] == {'Say "Hi" Group'}
    assert names["zz"] == names["nowhere at all"] == set()


def test_only_words_of_three_characters_or_more_are_looked_up_in_the_index(meetings):
    looks_up = search_text.INDEX_TABLE in str(Meeting.objects.matching("hope st").query)
    assert looks_up == index_expected()
    assert search_text.INDEX_TABLE not in str(Meeting.objects.matching("st zz").query)
    assert search_text.INDEX_TABLE not in str(Meeting.objects.matching("hope", use_index=False).query)


def test_a_search_near_a_place_lets_the_place_lead(client, meetings):
    """Near a place the box finds fewer meetings than a common word: the index is not asked, the results are found."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"q": "hope", "lat": "33.4484", "lng": "-112.074", "radius": "10"})
    assert {row.meeting.name for row in response.context["rows"]} == {"Hope on Main", "Hope and Serenity"}
    assert not any(search_text.INDEX_TABLE in query["sql"] for query in queries.captured_queries)


def test_the_index_follows_every_write_save_or_not(meetings, arizona):
    if not index_expected():
        assert search_text.INDEX_TABLE not in connection.introspection.table_names()
        return
    assert_index_true("hope", "medellin", "renacer", "main st")
    meeting = Meeting.objects.get(name="Hope on Main")
    meeting.name = "Courage on Main"  # save()
    meeting.save()
    assert_index_true("hope", "courage")
    make_group(arizona, name="Other")
    group = Meeting.objects.get(name="Café y Esperanza").group
    group.name = "Grupo Amanecer"  # its meetings' text changes through search_text.refresh: a bulk_update
    group.save()
    assert_index_true("renacer", "amanecer")
    Meeting.objects.filter(name__startswith="Serenity").update(search_text="lakeview")  # one UPDATE, no save()
    assert_index_true("serenity", "lakeview")
    Meeting.objects.filter(name="100% Honest").delete()
    assert_index_true("100%", "honest")
    call_command("seed_bench", meetings=20, stdout=StringIO(), stderr=StringIO())  # bulk_create
    assert_index_true("hope", "main", "step")
    assert len(stored("main")) > 1


def test_the_triggers_survive_every_migration(db):
    """Django rebuilds an SQLite table to alter it, dropping its triggers: a later migration must make them again."""
    if not index_expected():
        assert search_text.INDEX_TABLE not in connection.introspection.table_names()
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'meetings_meeting'")
        assert {name for (name,) in cursor.fetchall()} == TRIGGERS


def test_a_database_migrated_without_the_index_is_searched_without_it(client, meetings, monkeypatch):
    """Migrated where SQLite had no trigram tokenizer, then read by one that has: the search must not ask for it."""
    with_index = {words: dates_found(client, words) for words in SEARCHES}
    tables = connection.introspection.table_names()
    monkeypatch.setattr(
        connection.introspection, "table_names", lambda *a, **k: [t for t in tables if t != search_text.INDEX_TABLE]
    )
    search_text.index_in.cache_clear()
    try:
        with CaptureQueriesContext(connection) as queries:
            without = {words: dates_found(client, words) for words in SEARCHES}
        assert without == with_index
        assert not any(search_text.INDEX_TABLE in q["sql"] for q in queries.captured_queries)
    finally:
        search_text.index_in.cache_clear()
