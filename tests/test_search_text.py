"""Text search looks through one stored, folded text per meeting: any case, any accents, kept up to date."""

from importlib import import_module
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from meetings import search_text
from meetings.models import Meeting, MeetingTime, Occurrence
from meetings.text import fold
from tests.factories import make_group, make_location, make_meeting

URL = reverse("meetings:list")
MIGRATION = ("meetings", "0004_meeting_search_text")


def found(client, words):
    response = client.get(URL, {"q": words})
    assert response.status_code == 200
    return {row.meeting.name for row in response.context["rows"]}


@pytest.fixture
def medellin(arizona):
    return make_location(arizona, city="Medellín", name="Salón Comunal", address="Calle 10 # 43-12")


@pytest.fixture
def cafe(arizona, medellin):
    return make_meeting(
        arizona, name="Café y Esperanza", location=medellin, group=make_group(arizona, name="Grupo Renacer")
    )


def test_fold_drops_case_and_accents():
    assert fold("Café MEDELLÍN Ñandú") == "cafe medellin nandu"
    assert fold("Straße") == "strasse"  # casefold, not just lower


def test_it_ignores_case_and_accents_both_ways(client, cafe, arizona):
    make_meeting(arizona, name="Cafe Sin Acento")
    assert found(client, "cafe") == {"Café y Esperanza", "Cafe Sin Acento"}
    assert found(client, "CAFÉ") == {"Café y Esperanza", "Cafe Sin Acento"}
    assert found(client, "medellin") == {"Café y Esperanza"}
    assert found(client, "Salon comunal") == {"Café y Esperanza"}


def test_every_word_must_be_found(client, cafe, arizona):
    make_meeting(arizona, name="Esperanza de Tucson")
    assert found(client, "esperanza") == {"Café y Esperanza", "Esperanza de Tucson"}
    assert found(client, "esperanza medellin") == {"Café y Esperanza"}
    assert found(client, "esperanza boston") == set()


def test_a_word_only_in_the_group_or_the_place_finds_the_meeting(client, cafe):
    assert found(client, "renacer") == {"Café y Esperanza"}  # group name
    assert found(client, "medellin") == {"Café y Esperanza"}  # city
    assert found(client, "43-12") == {"Café y Esperanza"}  # street address


def test_percent_and_underscore_are_plain_characters(client, arizona):
    make_meeting(arizona, name="100% Honest")
    make_meeting(arizona, name="Hope")
    assert found(client, "100%") == {"100% Honest"}
    assert found(client, "%") == {"100% Honest"}
    assert found(client, "_") == set()


def test_renaming_a_group_updates_its_meetings_without_history_rows(client, cafe):
    records = cafe.history.count()
    group = cafe.group
    group.name = "Grupo Amanecer"
    group.save()
    assert found(client, "amanecer") == {"Café y Esperanza"}
    assert found(client, "renacer") == set()
    assert cafe.history.count() == records  # the derived text is not an edit of the meeting


def test_editing_a_place_updates_its_meetings(client, cafe, medellin):
    medellin.city = "Bogotá"
    medellin.save()
    assert found(client, "bogota") == {"Café y Esperanza"}
    assert found(client, "medellin") == set()


def test_deleting_a_group_takes_its_name_out(client, cafe):
    cafe.group.delete()
    cafe.refresh_from_db()
    assert cafe.group is None
    assert found(client, "renacer") == set()
    assert found(client, "esperanza") == {"Café y Esperanza"}


def test_archived_meetings_keep_their_text(cafe):
    cafe.status = Meeting.Status.ARCHIVED
    cafe.save()
    cafe.group.name = "Grupo Amanecer"
    cafe.group.save()
    cafe.refresh_from_db()
    assert cafe.search_text == cafe.build_search_text()
    assert "amanecer" in cafe.search_text
    assert list(Meeting.objects.matching("amanecer")) == [cafe]  # the public pages leave it out, not the verb


def test_meetings_and_weekly_times_match_alike(cafe):
    assert list(Meeting.objects.matching("CAFÉ medellín")) == [cafe]
    assert [slot.meeting for slot in MeetingTime.objects.matching("CAFÉ medellín")] == [cafe]


def test_a_search_costs_one_query(cafe, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(MeetingTime.objects.matching("cafe medellin renacer esperanza"))


def test_a_text_search_costs_a_fixed_number_of_queries(client, cafe, django_assert_num_queries):
    client.get(URL, {"q": "cafe"})  # warm per-process caches
    cache.clear()  # not the copy of the page kept for the minute
    # The page's ids and count (one query), its rows, their types, the form's types and areas; on SQLite with
    # its trigram index, whether many meetings have the words (MeetingFilter.walks_dates).
    many_asked = connection.vendor == "sqlite" and search_text.sqlite_can_index()
    with django_assert_num_queries(5 + many_asked):
        response = client.get(URL, {"q": "cafe medellin"})
    assert [row.meeting for row in response.context["rows"]] == [cafe]


def test_saving_with_update_fields_keeps_the_text_true(cafe):
    cafe.name = "Serenidad"
    cafe.save(update_fields=["name"])
    cafe.refresh_from_db()
    assert cafe.search_text.startswith("serenidad ")


def test_the_migration_fills_the_same_text_as_saving(cafe, arizona):
    make_meeting(arizona, name="Online Only", location=None, conference_url="https://meet.example.com/x", notes="Zoom")
    saved = dict(Meeting.objects.values_list("pk", "search_text"))
    Meeting.objects.update(search_text="")
    historical = MigrationExecutor(connection).loader.project_state(MIGRATION).apps  # models without our methods
    import_module("meetings.migrations.0004_meeting_search_text").fill_search_text(
        historical, connection.schema_editor()
    )
    assert dict(Meeting.objects.values_list("pk", "search_text")) == saved
    assert saved[cafe.pk] == "cafe y esperanza grupo renacer salon comunal calle 10 # 43-12 medellin"


def test_the_benchmark_seed_fills_the_text(db):
    call_command("seed_bench", meetings=20, stdout=StringIO(), stderr=StringIO())
    meetings = list(Meeting.objects.select_related("group", "location"))
    assert len(meetings) == 20
    assert all(m.search_text and m.search_text == m.build_search_text() for m in meetings)
    in_person = next(m for m in meetings if m.location)
    assert in_person in Meeting.objects.matching(in_person.location.city)


def test_the_benchmark_seed_gives_its_meetings_dates_beside_meetings_that_have_theirs(db, arizona):
    """On a database whose table of dates already reaches its horizon (the demo), the new meetings get theirs too."""
    make_meeting(arizona, name="Already here", times=[(1, "19:00", "20:00")])
    assert Occurrence.objects.exists()
    for _run in range(2):  # and again: the second seed replaces the first
        call_command("seed_bench", meetings=20, stdout=StringIO(), stderr=StringIO())
        seeded = Meeting.objects.filter(area__slug__startswith="bench-").exclude(times=None)
        assert seeded.exists()
        assert not seeded.filter(occurrences=None).exists()


def test_search_text_is_built_from_the_sources_in_order():
    assert search_text.build("Hope", "", None, "St. Mark's", "1 Main St", "Phoenix") == (
        "hope st. mark's 1 main st phoenix"
    )
