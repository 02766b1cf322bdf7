"""Database upkeep that the query planner needs."""

from django.db import connection


def refresh_statistics():
    """Let the planner know the tables' sizes after a bulk load.

    Without statistics SQLite walks every time of a weekday before looking
    at the map box (74 ms instead of 8 ms for a "near" search at 100,000
    meetings). PostgreSQL's autovacuum gets there too, later.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
