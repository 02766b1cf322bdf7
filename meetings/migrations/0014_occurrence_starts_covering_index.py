"""The dates in order with each one's meeting and end: "starting soon" passes over the dates already over in the index.

"Starting soon" (under way now, or starting within a day) walks the dates in
order from a day ago, since a date started up to a day ago may still be
under way. With only starts_at in the index, SQLite read the row of each of
the last day's dates for its end, some 22,000 rows to keep a few hundred.
With the meeting and the end in the index, the dates over are passed over in
the index, and those kept join their meeting without reading their own row.
At 100,000 meetings, the query for a page's ids (CPU time, median of 5) on
SQLite: `upcoming=1&attendance=online` 100-120 -> 10-11 ms, `upcoming=1`
92-100 -> 6-9, `upcoming=1&day=today` 83 -> 10, `upcoming=1&q=zz` 190-240
-> 84-90; the other searches keep their plans.
On PostgreSQL the index replaces migration 0012's (starts_at, ends_at), which
served the same walks: at the same size, execution time of the query (median
of 7, a busy machine) 18-20 ms `upcoming=1&attendance=online`, 6-7
`upcoming=1`, 30-70 the text searches, either index.
The planner's statistics are refreshed for the new index.
"""

from django.db import migrations, models

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
        migrations.RunPython(refresh_statistics, migrations.RunPython.noop, elidable=True),
    ]
