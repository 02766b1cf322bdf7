"""Indexes for a results page's dates of the coming week, with each date's end in the index.

"Ends within the week" is a range on ends_at; starts_at bounds it on one side
only (a date started up to a day ago may still be under way). With ends_at in
the index, the dates that have ended are passed over in the index without
reading their rows:
- a search's meetings, then their dates (meeting, ends_at, starts_at): how
  SQLite serves a text search, an area or a place. At 100,000 meetings (CPU
  time of the query for a page's ids) the area page 12-17 -> 5-8 ms, `q=st`
  270 -> 85 ms, `q=hope` (without migration 0011's index) about 85 -> 55 ms.
- on PostgreSQL, the dates in order (starts_at, ends_at), which its planner
  walks for a common word: `q=hope` read some 22,000 rows of the last day for
  25 dates, 17-43 ms -> 2-5 ms. Not on SQLite: there its statistics then
  choose that walk for a word of one or two letters found nowhere ("zz"),
  30 ms -> 650 ms.
The planner's statistics are refreshed for the new indexes.
"""

from django.db import migrations, models

ORDERED = "occurrence_starts_ends_idx"


def create_ordered_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX {ORDERED} ON meetings_occurrence (starts_at, ends_at)")


def drop_ordered_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {ORDERED}")


def refresh_statistics(apps, schema_editor):
    schema_editor.execute("ANALYZE meetings_occurrence")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0011_meeting_search_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="occurrence",
            index=models.Index(fields=["meeting", "ends_at", "starts_at"], name="occurrence_meeting_ends_idx"),
        ),
        migrations.RunPython(create_ordered_index, drop_ordered_index),
        migrations.RunPython(refresh_statistics, migrations.RunPython.noop, elidable=True),
    ]
