"""Database upkeep that the query planner needs."""

from django.db import connection


def refresh_statistics():
    """Let the planner know the tables' sizes after a bulk load.

    Without statistics SQLite walks every time of a weekday before looking
    at the map box, several times slower for a "near" search. PostgreSQL's
    autovacuum gets there too, later.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
