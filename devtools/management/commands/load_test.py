"""Load on loopback: visitors search, open meetings and print PDFs while volunteers save, through gunicorn.

Bounded (a fixed number of seconds and connections) and loopback only. It
changes the notes of some benchmark meetings (the areas seed_bench made,
"bench-..."), and never runs on a directory without them. It prints JSON:
the visitors' requests, errors and p99 (wrk), and every volunteer's save,
each checked afterwards in the meeting's history: a save that answered
"saved" but left no history record is a lost save.
"""

import json
import os
import tempfile
import threading
import time
from html.parser import HTMLParser
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from devtools.servers import gunicorn_server, run_wrk, tools
from groups.models import Membership, ServiceArea
from meetings.models import Location, Meeting

VISITORS_APART = {"PDF_RENDERS_PER_MINUTE": "100000"}
PASSWORD = "load-test-only-passphrase-8271"  # noqa: S105 (a throwaway account of the benchmark data)


class Command(BaseCommand):
    help = "Visitors (wrk) and volunteers (saving meetings) at once against gunicorn on loopback; prints JSON."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=60)
        parser.add_argument("--connections", type=int, default=50, help="Visitors' connections (wrk).")
        parser.add_argument("--volunteers", type=int, default=4, help="Volunteers saving at the same time.")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")
        parser.add_argument("--output", help="Also write the JSON to this file.")

    def handle(self, *args, seconds, connections, volunteers, workers, output, **options):
        wrk, gunicorn = tools()
        if not wrk or not gunicorn:
            raise CommandError("The load test needs wrk and gunicorn (apt-get install wrk).")
        if not 1 <= seconds <= 600 or not 1 <= connections <= 200 or not 1 <= volunteers <= 20:
            raise CommandError("Bounded on purpose: 1-600 seconds, 1-200 connections, 1-20 volunteers.")
        meetings = list(
            Meeting.objects.public()
            .filter(area__slug__startswith="bench-", location__isnull=False)
            .select_related("area")
            .order_by("pk")[: volunteers * 5]
        )
        if len(meetings) < volunteers:
            raise CommandError("Run `manage.py seed_bench --meetings 5000` first: the load test edits benchmark data.")
        accounts = self.volunteers(meetings, volunteers)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(wrk_script(self.visitor_paths(meetings)))
        try:
            # wrk's connections stand for many visitors, all from one loopback address: the limit on fresh PDFs
            # per address and minute would refuse them as one visitor (429) once saves had made the lists new.
            with gunicorn_server(workers=workers, environment=VISITORS_APART) as (base, _pid):
                results = [None] * len(accounts)
                stop = time.monotonic() + seconds
                threads = [
                    threading.Thread(target=self.volunteer, args=(base, account, stop, results, n))
                    for n, account in enumerate(accounts)
                ]
                for thread in threads:
                    thread.start()
                visitors = run_wrk(wrk, base + "/", seconds, connections=connections, script=script.name)
                for thread in threads:
                    thread.join()
        finally:
            os.unlink(script.name)
        saves = [save for found in results for save in (found or {}).get("saves", [])]
        kept = self.in_history(saves)
        figures = {
            "seconds": seconds,
            "visitors": {"connections": connections, **visitors},
            "volunteers": {
                "count": len(accounts),
                "saves": len(saves),
                "refused_as_stale": sum((found or {}).get("stale", 0) for found in results),
                "errors": sum((found or {}).get("errors", 0) for found in results),
                "p99_ms": percentile([s["ms"] for s in saves], 0.99),
                "lost": len(saves) - kept,
            },
        }
        text = json.dumps(figures, indent=2)
        self.stdout.write(text)
        if output:
            with open(output, "w") as handle:
                handle.write(text + "\n")
        volunteers = figures["volunteers"]
        if visitors["non_2xx"] or visitors["socket_errors"] or volunteers["errors"] or volunteers["lost"]:
            raise CommandError("The load test saw errors or lost saves: see the figures above.")

    def visitor_paths(self, meetings):
        zips = list(
            Location.objects.filter(area__slug__startswith="bench-", postal_code__regex=r"^\d{5}$")
            .values_list("postal_code", flat=True)
            .annotate(n=Count("meetings"))
            .order_by("-n")[:5]
        ) or ["85004"]
        areas = ServiceArea.objects.filter(slug__startswith="bench-", parent__isnull=False)
        areas = list(areas.values_list("slug", flat=True)[:2])
        paths = [f"/meetings/?near={z}&radius=10" for z in zips]
        paths += [f"/meetings/{m.slug}/" for m in Meeting.objects.public().order_by("?")[:40]]
        # PDFs: the same few lists, as centres print them (cached after the first render).
        paths += [f"/print.pdf?area={slug}&day=2" for slug in areas]
        return paths

    def volunteers(self, meetings, count):
        from django.contrib.auth import get_user_model

        User = get_user_model()
        accounts = []
        for n in range(count):
            user, _ = User.objects.get_or_create(username=f"load-volunteer-{n}", defaults={"first_name": f"Load {n}"})
            user.set_password(PASSWORD)
            user.is_active = True
            user.save()
            mine = meetings[n::count]  # no two volunteers on one meeting: each save should go through
            for meeting in mine:
                Membership.objects.get_or_create(user=user, area=meeting.area)
            accounts.append((user.username, [m.pk for m in mine]))
        return accounts

    def volunteer(self, base, account, stop, results, index):
        username, meeting_ids = account
        found = {"saves": [], "stale": 0, "errors": 0}
        results[index] = found
        browser = Browser(base)
        try:
            browser.log_in(username, PASSWORD)
        except (OSError, ValueError):
            found["errors"] += 1
            return
        n = 0
        while time.monotonic() < stop:
            meeting_id = meeting_ids[n % len(meeting_ids)]
            n += 1
            note = f"Load test: {username} save {n}"
            path = f"/admin/meetings/meeting/{meeting_id}/change/"
            started = time.perf_counter()
            try:
                status, page = browser.get(path)
                fields = form_fields(page, "meeting_form")
                fields["notes"] = [note]
                status, _page = browser.post(path, fields)
            except (OSError, ValueError):
                found["errors"] += 1
                continue
            elapsed = round((time.perf_counter() - started) * 1000, 1)
            if status == 302:
                found["saves"].append({"meeting": meeting_id, "note": note, "ms": elapsed})
            elif status == 200 and "Someone else" in _page:
                found["stale"] += 1
            else:
                found["errors"] += 1

    def in_history(self, saves):
        """How many of the saves the meetings' history holds, each by the note it wrote."""
        notes = {save["note"] for save in saves}
        recorded = set(Meeting.history.filter(notes__in=notes).values_list("notes", flat=True))
        return sum(1 for save in saves if save["note"] in recorded)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else None


def wrk_script(paths):
    """A wrk script that asks for the paths in turn, each connection starting at its own place."""
    listed = ",\n  ".join(json.dumps(path) for path in paths)
    return f"""paths = {{
  {listed}
}}
counter = math.random(#paths)
request = function()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end
"""


class Browser:
    """Just enough of a browser for the admin: cookies (Secure ones too, on loopback), CSRF, redirects not followed."""

    def __init__(self, base):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookies = {}

    def request(self, method, path, body=None):
        connection = HTTPConnection(self.host, self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{self.host}:{self.port}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        page = response.read().decode("utf-8", "replace")
        connection.close()
        return response.status, page

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, fields):
        fields = {**fields, "csrfmiddlewaretoken": [self.cookies.get("csrftoken", "")]}
        return self.request("POST", path, urlencode(fields, doseq=True))

    def log_in(self, username, password):
        self.get("/admin/login/")
        status, _page = self.post("/admin/login/?next=/admin/", {"username": [username], "password": [password]})
        if status != 302:
            raise ValueError(f"{username} could not log in ({status})")


class FormReader(HTMLParser):
    """What a browser would send from one form: its inputs, selects and textareas as they stand."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, {}
        self.select, self.textarea, self.text = None, None, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.setdefault(name, []).append(attrs.get("value", "on" if attrs.get("type") == "checkbox" else ""))
        elif tag == "select" and name:
            self.select = name
            self.fields.setdefault(name, [])
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields[self.select].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields[self.textarea] = ["".join(self.text).lstrip("\n")]
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.text.append(data)


def form_fields(page, form_id):
    reader = FormReader(form_id)
    reader.feed(page)
    if not reader.fields:
        raise ValueError(f"no form {form_id} on the page")
    return reader.fields
