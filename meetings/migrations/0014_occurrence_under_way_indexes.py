"""Dates under way now found from the index: each date's meeting and end in the starts_at index, and the long dates.

"Starting soon" (under way now, or starting within a day) and the week's
list walk the dates in order of their start from a day ago, since a date
started up to a day ago may still be under way:
- With only starts_at in the index, SQLite read the row of each of the last
  day's dates for its end, some 22,000 rows to keep a few hundred. With the
  meeting and the end in the index, the dates over are passed over in the
  index, and those kept join their meeting without reading their own row.
- Most dates last an hour or two: those that end after now started less
  than three hours ago (querysets.LONG_DATE). The longer ones are found from
  an index of how long each date lasts (usually none, or a handful), so the
  walk starts from the earliest of them, or three hours ago, not a day ago.
  The index holds that length alone: with more columns SQLite's planner
  chose to skip-scan it for other searches ("zz": 50 ms -> 1.2 s).
At 100,000 meetings, on SQLite (building the search and its query for a
page's ids, CPU, median of 5, interleaved with a copy before, busy machine):
`upcoming=1&attendance=online` 89-125 -> 21-25 ms with the first index,
13-17 with both; `upcoming=1` 90-101 -> 10-13; `upcoming=1&q=zz` 190-240 ->
84-90. The other searches keep their plans.
On PostgreSQL the first index replaces migration 0012's (starts_at, ends_at),
which served the same walks (execution time the same with either, 18-20 ms
for `upcoming=1&attendance=online`); with the long dates' bound the search
and its ids (wall time, busy machine) `upcoming=1&attendance=online` 85-96
-> 20-36 ms, `upcoming=1` 66 -> 22-25, text searches the same or better.
The planner's statistics are refreshed for the new indexes.
"""

from django.db import migrations, models

from meetings.models.querysets import Lasting

ORDERED = "occurrence_starts_ends_idx"  # migration 0012's, on PostgreSQL only


def drop_ordered_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {ORDERED}")


def create_ordered_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX {ORDERED} ON meetings_occurrence (starts_at, ends_at)")


def refresh_statistics(apps, schema_editor):
    schema_editor.execute("ANALYZE meetings_occurrence")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0013_near_search_covering_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="occurrence",
            name="occurrence_starts_idx",
        ),
        migrations.AddIndex(
            model_name="occurrence",
            index=models.Index(fields=["starts_at", "meeting", "ends_at"], name="occurrence_starts_idx"),
        ),
        migrations.RunPython(drop_ordered_index, create_ordered_index),
        migrations.AddIndex(
            model_name="occurrence",
            index=models.Index(Lasting(), name="occurrence_lasting_idx"),
        ),
        migrations.RunPython(refresh_statistics, migrations.RunPython.noop, elidable=True),
    ]
