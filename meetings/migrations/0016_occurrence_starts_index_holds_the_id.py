"""The dates' (start, meeting, end) index holds each date's id: a walk of the week in time order reads no row.

A search without a place or a single weekday (words, a way to attend, a
type, under way now) walks the week's dates in order of their start until it
has its page. On PostgreSQL each date the walk passed (thousands for a rarer
search) was read from the table for its id, which only SQLite's indexes
hold. With the id in the index the walk is read from the index alone. At
100,000 meetings, the ids of the first 201 (the API: 501) matches, median of
12, old and new indexes in turn:

| search | PostgreSQL |
|---|---|
| `q=hope` | 23.3 -> 18.6 ms |
| `type=W` | 79.9 -> 59.5 ms |
| `type=D&attendance=online` | 57.8 -> 47.6 ms |
| `attendance=online` | 14.4 -> 11.8 ms |
| `upcoming=1&attendance=online` | 12.9 -> 10.6 ms |
| API `q=step` | 50.0 -> 39.5 ms |

Searches near a place, by weekday or for tomorrow read other indexes and
measured the same. SQLite builds the same index as before (it ignores
INCLUDE, and its indexes hold the id anyway).
"""

from django.db import migrations, models


def refresh_statistics(apps, schema_editor):
    schema_editor.execute("ANALYZE meetings_occurrence")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0015_occurrence_weekday_starts_index"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="occurrence",
            name="occurrence_starts_idx",
        ),
        migrations.AddIndex(
            model_name="occurrence",
            index=models.Index(
                fields=["starts_at", "meeting", "ends_at"], include=["id"], name="occurrence_starts_idx"
            ),
        ),
        migrations.RunPython(refresh_statistics, migrations.RunPython.noop, elidable=True),
    ]
