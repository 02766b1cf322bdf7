"""Database upkeep that the query planner needs."""

from django.db import connection


def refresh_statistics():
    """Let the planner know the tables' sizes after a bulk load.

    Without statistics SQLite walks every time of a weekday before looking
    at the map box, several times slower for a "near" search. PostgreSQL's
    autovacuum gets there too, later; outside a transaction it is done now
    with VACUUM, which also marks the pages whose rows every reader sees, so
    that a search reads its meetings and dates from the indexes alone
    (migration 0013) from the first request, not once autovacuum has passed.
    """
    command = "ANALYZE"
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        command = "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(command)
