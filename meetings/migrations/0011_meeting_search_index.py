"""On SQLite, a trigram full-text index over Meeting.search_text, kept true by triggers.

SQLite has no index for `LIKE '%word%'`: a text search read every meeting's
row. FTS5's trigram tokenizer finds the meetings holding a word of three or
more characters from an index (ListingQuerySet.matching narrows to them and
keeps its LIKE, so the results are the same). The index is "external
content": it stores no copy of the text, only the trigrams, and triggers on
meetings_meeting keep it true for every write, bulk_update and bulk_create
included (search_text.refresh, seed_bench, imports), which bypass save().

PostgreSQL has its trigram index already (migration 0004): nothing is done there.
Django rebuilds an SQLite table to alter it (a new table, copied, renamed),
which drops its triggers: a later migration that alters meetings_meeting must
run this one's SQL again (tests/test_search_index.py notices if it does not).
"""

from django.db import migrations

from meetings import search_text

TABLE = "meeting_search_index"  # the name ListingQuerySet.matching reads (meetings.search_text.INDEX_TABLE)

CREATE = [
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5("
    "search_text, content='meetings_meeting', content_rowid='id', tokenize='trigram')",
    f"""CREATE TRIGGER {TABLE}_insert AFTER INSERT ON meetings_meeting BEGIN
        INSERT INTO {TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    f"""CREATE TRIGGER {TABLE}_delete AFTER DELETE ON meetings_meeting BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    END""",
    f"""CREATE TRIGGER {TABLE}_update AFTER UPDATE OF id, search_text ON meetings_meeting BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text);
        INSERT INTO {TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')",  # the meetings already there
]
DROP = [f"DROP TRIGGER IF EXISTS {TABLE}_{event}" for event in ("insert", "delete", "update")] + [
    f"DROP TABLE IF EXISTS {TABLE}"
]


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite" or not search_text.sqlite_can_index():
        return  # an SQLite without FTS5's trigram tokenizer searches as before, by reading every meeting
    for statement in CREATE:
        schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0010_change_requests_confirmations"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
