"""A URLconf for tests of the query time limit: the site's own URLs plus views that run a slow query."""

from django.db import connection
from django.http import HttpResponse
from django.urls import path

from ha_directory.urls import urlpatterns as site_urlpatterns


def slow_query(seconds):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_sleep(%s)", [seconds])
        else:  # a recursive count that takes about `seconds` on SQLite
            steps = int(seconds * 3_000_000)
            cursor.execute(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %s) SELECT count(*) FROM c",
                [steps],
            )
        cursor.fetchall()


def slow(request):
    slow_query(float(request.GET.get("seconds", "1")))
    return HttpResponse("done")


urlpatterns = [path("slow/", slow), path("admin/slow/", slow), *site_urlpatterns]
