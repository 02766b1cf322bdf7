"""Meeting.search_text: one folded column for text search, filled for existing meetings.

On PostgreSQL a GIN trigram index serves the search's `LIKE '%word%'`
(ListingQuerySet.matching). Not django.contrib.postgres's TrigramExtension:
its reverse is not guarded by the database vendor (it queries pg_extension on
SQLite too) and it would drop an extension that other code may use.
"""

from django.db import migrations, models

from meetings import search_text

BATCH = 2000
INDEX = "meeting_search_text_trgm"  # serves ListingQuerySet.matching: search_text LIKE '%word%'


def fill_search_text(apps, schema_editor):
    """Compute every meeting's search text in batches, from the same values and function as Meeting.save()."""
    Meeting = apps.get_model("meetings", "Meeting")
    meetings = Meeting.objects.using(schema_editor.connection.alias).order_by("pk")
    last = 0
    while True:
        rows = list(meetings.filter(pk__gt=last).values_list("pk", *search_text.SOURCES)[:BATCH])
        if not rows:
            return
        Meeting.objects.using(schema_editor.connection.alias).bulk_update(
            [Meeting(pk=pk, search_text=search_text.build(*values)) for pk, *values in rows], ["search_text"]
        )
        last = rows[-1][0]


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX {INDEX} ON meetings_meeting USING gin (search_text gin_trgm_ops)")
    schema_editor.execute("ANALYZE meetings_meeting")  # the planner's view of the freshly filled column


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")  # the extension stays: it may serve others


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0003_meetingtype_order_and_source_slug"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="search_text",
            field=models.TextField(
                blank=True,
                default="",
                editable=False,
                help_text="Name, notes, group, place, address and city in lowercase without accents: what the search looks through. Kept up to date whenever the meeting, its group or its place is saved.",
                verbose_name="search text",
            ),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
