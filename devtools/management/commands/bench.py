"""Run the work users do against the current database and print the figures as JSON.

Timings go through the whole Django stack (middleware, view, template) with
the test client, in this process prepared as a gunicorn worker is (warmed up,
its long-lived objects frozen out of the garbage collector: ha_directory/worker.py),
so that a figure is what a worker spends; throughput goes through gunicorn (2 workers) with wrk. It
reads the database only, except that the feed's cache entry is dropped to
time a cold feed, and an import is timed inside a transaction rolled back.
"""

import datetime as dt
import gc
import json
import os
import platform
import re
import statistics
import subprocess
import tempfile
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from devtools.servers import gunicorn_server, run_wrk, tools, worker_memory_mb
from groups.models import ServiceArea
from ha_directory import worker
from meetings.freshness import bump_listings_version
from meetings.models import Location, Meeting, MeetingTime
from meetings.printing.options import LAYOUTS

WEEKDAYS = range(7)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Measure searches, pages, PDF, feed and throughput on the current database; print JSON."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=30, help="Requests per measured page (default 30).")
        parser.add_argument("--load-seconds", type=int, default=10, help="Seconds of wrk load per URL.")
        parser.add_argument("--no-load", action="store_true", help="Skip the gunicorn + wrk throughput test.")
        parser.add_argument("--output", help="Also write the JSON to this file.")

    def handle(self, *args, **options):
        if not Meeting.objects.exists():
            raise CommandError("The database has no meetings: run load_demo or seed_bench --meetings N first.")
        worker.prepare()
        try:
            self.measure_all(**options)
        finally:
            gc.unfreeze()

    def measure_all(self, runs, load_seconds, no_load, output, **options):
        self.client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "localhost")
        self.runs = runs
        zips = self.busy_postcodes()
        area = self.area_of(zips[0])
        slugs = list(Meeting.objects.public().order_by("?").values_list("slug", flat=True)[: max(runs, 1)])
        figures = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()},
            "database": connection.vendor,
            "meetings": Meeting.objects.count(),
            "weekly_times": MeetingTime.objects.count(),
            "pages": {
                "near_zip_10mi_weekday": self.measure(
                    [f"/meetings/?near={z}&radius=10&day={d}" for z in zips for d in WEEKDAYS]
                ),
                "near_city_25mi": self.measure([f"/meetings/?near={c}&radius=25" for c in self.busy_cities()]),
                "near_zip_by_distance": self.measure([f"/meetings/?near={z}&radius=10&sort=distance" for z in zips]),
                "near_zip_one_type": self.measure(
                    [f"/meetings/?near={z}&radius=10&type={t}" for z in zips for t in "DW"]
                ),
                "text_search": self.measure([f"/meetings/?q={w}" for w in ("hope", "serenity", "main st", "step")]),
                "two_weekdays": self.measure([f"/meetings/?day={a}&day={b}" for a, b in ((0, 2), (1, 3), (4, 6))]),
                "upcoming_online": self.measure(["/meetings/?upcoming=1&attendance=online"]),
                "area_page": self.measure([f"/areas/{area.slug}/"]),
                "meeting_page": self.measure([f"/meetings/{slug}/" for slug in slugs]),
                "home": self.measure(["/"]),
                "api_near_zip": self.measure([f"/api/v1/meetings?near={z}&radius=10&day=2" for z in zips]),
            },
            "pdf_300": self.pdf(),
            "pdf_next_7_days": self.next_days_pdf(zips[0]),
            "meeting_guide_feed": self.feed(),
            "import_orange_county_1967_rows": self.import_feed(),
            "bytes_vs_peers": self.bytes_vs_peers(zips[0], area),
        }
        if not no_load:
            figures["throughput"] = self.throughput(f"/meetings/?near={zips[0]}&radius=10&day=2", load_seconds)
        text = json.dumps(figures, indent=2)
        self.stdout.write(text)
        if output:
            with open(output, "w") as handle:
                handle.write(text + "\n")

    # Inputs ---------------------------------------------------------------

    def busy_postcodes(self):
        rows = (
            Location.objects.filter(country="US", postal_code__regex=r"^\d{5}$")
            .values("postal_code")
            .annotate(n=Count("meetings"))
            .order_by("-n")[:5]
        )
        return [row["postal_code"] for row in rows] or ["85004"]

    def busy_cities(self):
        rows = (
            Location.objects.exclude(state="").values("city", "state").annotate(n=Count("meetings")).order_by("-n")[:3]
        )
        return [f"{row['city']}, {row['state']}" for row in rows] or ["Phoenix, AZ"]

    def area_of(self, postcode):
        """The area that holds most meetings at `postcode`: what a peer's page for that area would send."""
        row = (
            Location.objects.filter(postal_code=postcode)
            .values("area")
            .annotate(n=Count("meetings"))
            .order_by("-n")
            .first()
        )
        if row:
            return ServiceArea.objects.get(pk=row["area"])
        return ServiceArea.objects.annotate(n=Count("meetings")).order_by("-n").first()

    # Measures ---------------------------------------------------------------

    def get(self, url, with_sql=False):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = self.client.get(url)
            content = b"".join(response) if response.streaming else response.content
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        found = (elapsed, len(queries), len(content), content)
        if with_sql:
            found += (sum(float(query["time"]) for query in queries.captured_queries) * 1000,)
        return found

    def measure(self, urls):
        """Each page as its first visitor of the minute sees it (rendered: "p50_ms", "p95_ms", SQL apart),
        then as the next one does ("warm_*": the copy kept for the minute, where a page keeps one), and as
        the first visitor after an edit does ("after_edit_*": nothing kept, the cards' parts rendered too).

        Every page is asked once beforehand, as in an earlier minute: the first visitor of a minute finds
        the fixed parts of its cards kept (meetings/card_parts.py), unless the listings changed since.
        """
        for url in urls:
            self.get(url)  # warm-up: imports, template loading, connection; the cards' parts of an earlier minute
        timings, sql, warm, query_counts, sizes = [], [], [], set(), []
        for n in range(self.runs):
            url = urls[n % len(urls)]
            first = self.unseen(url, n)
            elapsed, count, size, _, sql_ms = self.get(first, with_sql=True)
            timings.append(elapsed)
            sql.append(sql_ms)
            warm.append(self.get(first)[0])
            query_counts.add(count)
            sizes.append(size)
        after_edit = []
        for n in range(self.runs):
            bump_listings_version()  # what an edit does: every kept page and card part unreachable
            after_edit.append(self.get(self.unseen(urls[n % len(urls)], n))[0])
        return {
            "example": urls[0],
            "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(percentile(timings, 0.95), 1),
            "sql_p50_ms": round(statistics.median(sql), 1),
            "python_p50_ms": round(statistics.median(t - q for t, q in zip(timings, sql, strict=True)), 1),
            "after_edit_p50_ms": round(statistics.median(after_edit), 1),
            "after_edit_p95_ms": round(percentile(after_edit, 0.95), 1),
            "warm_p50_ms": round(statistics.median(warm), 1),
            "warm_p95_ms": round(percentile(warm, 0.95), 1),
            "queries": sorted(query_counts),
            "max_bytes": max(sizes),
        }

    @staticmethod
    def unseen(url, n):
        """`url` with a parameter no search reads: a page of its own, so never the copy another request left."""
        return f"{url}{'&' if '?' in url else '?'}bench={n}-{time.monotonic_ns()}"

    def pdf(self):
        url = self.pdf_url()
        if url is None:
            return {"skipped": "fewer than 250 meeting times in any area"}
        # The per-visitor limit on fresh PDFs is for visitors: here every rendering is wanted cold.
        with override_settings(PDF_RENDERS_PER_MINUTE=10_000):
            timings = []
            for _ in range(3):
                bump_listings_version()  # PDFs are cached per listings version: time a cold one
                elapsed, _count, size, content = self.get(url)
                timings.append(elapsed)
            layouts = {layout: self.cold_pdf(f"{url}&layout={layout}") for layout, _label in LAYOUTS}
        listed = len(
            re.findall(
                rb"<li class=\"row\">", self.client.get(url.replace("/print.pdf", "/print/") + "&show=1").content
            )
        )
        return {
            "url": url,
            "meetings": listed,
            "p50_ms": round(statistics.median(timings), 1),
            "bytes": size,
            "pages": pdf_pages(content),
            "layouts": layouts,  # the same list in each layout, cold: pages are sheet sides for folded layouts
        }

    def next_days_pdf(self, postcode):
        """The next 7 days near the busiest postcode: real dates, online meetings of the areas around."""
        url = f"/print.pdf?kind=next7&near={postcode}&radius=10"
        with override_settings(PDF_RENDERS_PER_MINUTE=10_000):
            found = self.cold_pdf(url)
        listed = len(re.findall(rb'<li class="row">', self.client.get(url.replace("/print.pdf", "/print/")).content))
        return {"url": url, "meetings": listed, **found}

    def cold_pdf(self, url, runs=3):
        """Wall-clock and CPU time of a cold PDF: on a shared machine the CPU time says what the wall clock hides."""
        timings, cpu = [], []
        for _ in range(runs):
            bump_listings_version()
            started = time.process_time()
            elapsed, _count, size, content = self.get(url)
            cpu.append((time.process_time() - started) * 1000)
            timings.append(elapsed)
        return {
            "p50_ms": round(statistics.median(timings), 1),
            "cpu_p50_ms": round(statistics.median(cpu), 1),
            "bytes": size,
            "pages": pdf_pages(content),
        }

    def pdf_url(self):
        """The area, or area and weekday, whose printed list is nearest to 300 meeting times."""
        times = MeetingTime.objects.active()
        candidates = [
            (abs(row["n"] - 300), f"/print.pdf?area={row['meeting__area__slug']}&day={row['weekday']}")
            for row in times.values("meeting__area__slug", "weekday").annotate(n=Count("pk"))
            if row["n"] >= 250
        ] + [
            (abs(row["n"] - 300), f"/print.pdf?area={row['meeting__area__slug']}")
            for row in times.values("meeting__area__slug").annotate(n=Count("pk"))
            if row["n"] >= 250
        ]
        return min(candidates)[1] if candidates else None

    def feed(self):
        url = "/feeds/meeting-guide.json"
        bump_listings_version()  # make the cached copy unreachable: a cold start
        cold, _count, size, _ = self.get(url)
        gzip_client = Client(HTTP_HOST=self.client.defaults["HTTP_HOST"], HTTP_ACCEPT_ENCODING="gzip")
        warm_timings, gzipped = [], 0
        for _ in range(3):
            started = time.perf_counter()
            gzipped = len(gzip_client.get(url).content)
            warm_timings.append((time.perf_counter() - started) * 1000)
        return {
            "cold_ms": round(cold, 1),
            "warm_gzip_ms": round(min(warm_timings), 1),
            **self.feed_after_an_edit(url),
            "bytes": size,
            "gzip_bytes": gzipped,
        }

    def feed_after_an_edit(self, url):
        """The feed's first request after one meeting is saved, in an area of median size and in the largest.

        The save is rolled back afterwards, and its area's piece of the feed
        made unreachable again, so the bench leaves the listings as they were.
        """
        from django.db import transaction

        sizes = list(Meeting.objects.public().values("area").annotate(n=Count("pk")).order_by("n"))
        if not sizes:
            return {}
        figures = {}
        for label, row in (("median_area", sizes[len(sizes) // 2]), ("largest_area", sizes[-1])):
            meeting = Meeting.objects.public().filter(area=row["area"]).first()
            with transaction.atomic():
                meeting.save()
                elapsed, _count, _size, _ = self.get(url)
                transaction.set_rollback(True)
            bump_listings_version(sender=Meeting, instance=meeting)
            figures[f"after_edit_{label}_ms"] = round(elapsed, 1)
            figures[f"after_edit_{label}_meetings"] = row["n"]
        return figures

    def import_feed(self):
        """Seconds to import the Orange County feed (tests/data) into a new area, rolled back afterwards."""
        from django.db import transaction

        from meetings.importing import import_feed

        path = settings.BASE_DIR / "tests" / "data" / "feeds" / "orange-county-tsml-1967-meetings.json"
        rows = json.loads(path.read_text())
        with transaction.atomic():
            world = ServiceArea.objects.filter(parent=None).first()
            area = ServiceArea.objects.create(name="Bench import", slug="bench-import", parent=world)
            started = time.perf_counter()
            report = import_feed(rows, area=area, default_timezone="America/Los_Angeles")
            seconds = time.perf_counter() - started
            transaction.set_rollback(True)
        return {"seconds": round(seconds, 2), "rows": len(rows), "meetings": report.created}

    def bytes_vs_peers(self, postcode, area):
        """Our results page against what the peers' design sends: the whole feed of the area."""
        _ms, _count, page_bytes, _ = self.get(f"/meetings/?near={postcode}&radius=10")
        _ms, _count, area_feed_bytes, _ = self.get(f"/feeds/meeting-guide.json?area={area.slug}")
        return {
            "results_page_bytes": page_bytes,
            "area_feed_bytes": area_feed_bytes,
            "area_meetings": Meeting.objects.active().in_area(area).count(),
            "ratio": round(area_feed_bytes / page_bytes, 1),
        }

    # Throughput -----------------------------------------------------------------

    def throughput(self, url, seconds):
        wrk, gunicorn = tools()
        if not wrk or not gunicorn:
            return {"skipped": "wrk or gunicorn is not installed (apt-get install wrk)"}
        with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
            script.write(EVERY_REQUEST_UNSEEN)
            script.flush()
            with gunicorn_server(workers=2) as (base, pid):
                subprocess.run([wrk, "-t1", "-c2", "-d2s", base + url], capture_output=True, check=False)  # warm
                search = run_wrk(wrk, base + url, seconds)
                unkept = run_wrk(wrk, base + url, seconds, script=script.name)
                floor = run_wrk(wrk, base + "/robots.txt", seconds)  # a trivial view: no database, no template
                rss, private = worker_memory_mb(pid), worker_memory_mb(pid, "RssAnon")
        floor_rps = floor["requests_per_second"]

        def ratio(found):
            return round(found["requests_per_second"] / floor_rps, 3) if floor_rps else None

        return {
            "workers": 2,
            "url": url,
            "search": search,  # one URL: after the first request of a minute, the page kept for the minute
            "search_every_request_unseen": unkept,  # each request a page of its own: every one a first visitor
            "floor_trivial_view": floor,
            "ratio_to_floor": ratio(search),  # the budget: at least 0.10
            "ratio_unseen_to_floor": ratio(unkept),
            "worker_rss_mb": rss,  # SQLite's mapped file included (settings.py), shared by the workers
            "worker_private_mb": private,  # each worker's own memory: the budget, under 150 MB
        }


# wrk: each request adds a parameter no search reads, different every time, so no page is served from the cache.
EVERY_REQUEST_UNSEEN = """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. "&bench=" .. counter .. "-" .. math.random(1000000000))
end
"""


def pdf_pages(content):
    try:
        from pypdf import PdfReader  # a test dependency; the count is skipped without it
    except ImportError:
        return None
    import io

    return len(PdfReader(io.BytesIO(content)).pages)
