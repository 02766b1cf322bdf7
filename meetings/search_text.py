"""The text a search looks through, stored on each meeting (Meeting.search_text).

One column instead of six across three tables: the meeting's name and notes,
its group's name, its place's name, address and city, lowercased and without
accents ("Café Medellín" -> "cafe medellin"), so "cafe" finds "Café" on every
database. A search is then a LIKE per word on that column, which PostgreSQL
serves from a trigram index (migration 0004); on SQLite, a trigram full-text
index kept by triggers (migration 0011) narrows the meetings first.

The stored text is kept true here: on Meeting.save(), and for the meetings of
a group or a place whenever that group or place is saved or a group deleted.
Migration 0004 fills existing rows with the same functions: if what goes into
the text changes, add a migration that fills it again.
"""

import sqlite3
from functools import cache

from django.db.models.expressions import RawSQL
from django.db.models.signals import post_save, pre_delete

from meetings.text import fold

# What a meeting's search text is made of, as lookups from the meeting (values_list, only).
SOURCES = ["name", "notes", "group__name", "location__name", "location__address", "location__city"]
# Fields of a group or a place whose change changes its meetings' search text.
WATCHED = {"groups.Group": {"name"}, "meetings.Location": {"name", "address", "city"}}
# SQLite's trigram full-text index over the text (migration 0011), and the shortest word it can find.
INDEX_TABLE = "meeting_search_index"
INDEXED_LENGTH = 3


def build(*values):
    """The search text of a meeting from the values of SOURCES, in that order (None for no group or place)."""
    return fold(" ".join(value for value in values if value))


@cache
def sqlite_can_index():
    """True when Python's SQLite has FTS5 with the trigram tokenizer (SQLite 3.34+, FTS5 built in, as usual).

    Asked of a private in-memory database, so it costs no query on the project's.
    Migration 0011 creates the index only then, and the search uses it only then.
    """
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE probe USING fts5(text, tokenize='trigram')")
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()
    return True


def has_index(connection):
    """True when this database holds migration 0011's index: not only an SQLite able to build one.

    A database migrated where SQLite lacked the trigram tokenizer has none,
    whatever the SQLite reading it now can do. Asked once per database.
    """
    return (
        connection.vendor == "sqlite"
        and sqlite_can_index()
        and index_in(connection.alias, connection.settings_dict["NAME"])
    )


@cache
def index_in(alias, name):
    from django.db import connections

    return INDEX_TABLE in connections[alias].introspection.table_names()


def phrases(words):
    """An FTS5 query for meetings whose text holds every one of `words` (folded, 3+ characters each).

    A quoted FTS5 string is a substring to find, as LIKE '%word%' is; its own
    double quotes are doubled. Strings side by side must all be found (AND).
    """
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def indexed_matches(*words):
    """The ids of the meetings whose text holds every one of `words`, from SQLite's trigram index.

    Only a narrowing: the caller keeps its LIKE.
    """
    return RawSQL(f"SELECT rowid FROM {INDEX_TABLE} WHERE {INDEX_TABLE} MATCH %s", [phrases(words)])


def found_in_many(connection, words, many):
    """True when the index finds at least `many` meetings with every one of `words`: it stops counting there.

    A fraction of a millisecond at 100,000 meetings (it reads the index's
    first `many` matches at most), to choose how a search reads its dates.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {INDEX_TABLE} WHERE {INDEX_TABLE} MATCH %s LIMIT %s)",
            [phrases(words), many],
        )
        return cursor.fetchone()[0] >= many


def meeting_values(meeting):
    """The values of SOURCES for a Meeting instance."""
    group, location = meeting.group, meeting.location
    return (
        meeting.name,
        meeting.notes,
        group.name if group else "",
        location.name if location else "",
        location.address if location else "",
        location.city if location else "",
    )


def refresh(meetings, without_group=False):
    """Store the search text of the meetings of `meetings` (a queryset) where it changed.

    Two queries: one SELECT and one bulk UPDATE, which sends no save signals,
    so it neither writes history records nor bumps the listings version (the
    save of the group or place that called it did that already).
    """
    changed = []
    for meeting in meetings.select_related("group", "location").only("pk", "search_text", *SOURCES).order_by("pk"):
        if without_group:
            meeting.group = None
        text = build(*meeting_values(meeting))
        if text != meeting.search_text:
            meeting.search_text = text
            changed.append(meeting)
    meetings.model.objects.bulk_update(changed, ["search_text"], batch_size=500)
    return len(changed)


def refresh_after_save(sender, instance, created, raw, update_fields=None, **kwargs):
    label = sender._meta.label
    if created or raw or (update_fields is not None and not WATCHED[label] & set(update_fields)):
        return  # a new group or place has no meetings yet; fixtures carry their own text
    refresh(instance.meetings.all())


def refresh_before_group_delete(sender, instance, **kwargs):
    # Deleting a group sets its meetings' group to NULL with one UPDATE and no
    # save: take its name out of their text first, in the same transaction.
    refresh(instance.meetings.all(), without_group=True)


def connect():
    from django.apps import apps

    for label in WATCHED:
        post_save.connect(refresh_after_save, sender=apps.get_model(label), dispatch_uid=f"search-text-save-{label}")
    pre_delete.connect(
        refresh_before_group_delete, sender=apps.get_model("groups.Group"), dispatch_uid="search-text-group-delete"
    )
