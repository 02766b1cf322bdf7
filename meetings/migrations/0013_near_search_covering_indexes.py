"""A search near a place read from indexes alone: its places, their meetings, and those meetings' dates.

SQLite answers "near a ZIP" from the places in a box, then their meetings,
then each meeting's dates of the coming week. Each step read table rows for
one column the index lacked: whether a place's pin is approximate, a
meeting's status and the name the page orders by, a date's weekday when the
search asks for a day. With those columns in the indexes, at 100,000
meetings (the query for a page's ids, "near 60601, 10 mi, Tuesday", median
of 9) 16 -> 9 ms on SQLite. PostgreSQL's indexes do not hold the row's id
as SQLite's do: there both name it (INCLUDE, ignored by SQLite), so that
the meetings and dates are read from the indexes alone: 16 -> 7 ms (three
runs in one session, tables vacuumed as autovacuum leaves them).
The meetings' index covers only those with a place (a partial index; the
join on the place tells both databases the search's meetings have one):
whole, SQLite walked it in place of the table for searches with no place at
all, and read each meeting's row from it out of order (`day=today` 0.2 ->
0.9 s, `day=2` 0.1 -> 0.3 s).
The planner's statistics are refreshed for the new indexes.
"""

from django.db import migrations, models


def refresh_statistics(apps, schema_editor):
    for table in ("meetings_location", "meetings_meeting", "meetings_occurrence"):
        schema_editor.execute(f"ANALYZE {table}")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0012_occurrence_window_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="location",
            name="location_lat_lng_idx",
        ),
        migrations.RemoveIndex(
            model_name="occurrence",
            name="occurrence_meeting_ends_idx",
        ),
        migrations.AddIndex(
            model_name="location",
            index=models.Index(fields=["latitude", "longitude", "approximate"], name="location_lat_lng_idx"),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(
                fields=["location", "status", "name"],
                include=["id"],
                condition=models.Q(location__isnull=False),
                name="meeting_location_status_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="occurrence",
            index=models.Index(
                fields=["meeting", "ends_at", "starts_at", "local_weekday"],
                include=["id"],
                name="occurrence_meeting_ends_idx",
            ),
        ),
        migrations.RunPython(refresh_statistics, migrations.RunPython.noop, elidable=True),
    ]
