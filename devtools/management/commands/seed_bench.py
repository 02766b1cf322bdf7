"""Synthetic listings for the benchmark: realistic shape, bulk inserts, fast.

Meetings cluster around real city centres (ZIP centroids), with the mix of
days, times, formats, online and phone meetings that real directories show.
Everything lives under service areas whose slugs start with "bench-", so it
can be told apart from (and removed without touching) real listings.
"""

import datetime as dt
import random
import time

import zipcodes
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from groups.models import Group, ServiceArea
from meetings import occurrences
from meetings.db import refresh_statistics
from meetings.freshness import bump_listings_version
from meetings.models import Location, Meeting, MeetingTime, MeetingType, Occurrence, ScheduleChange

# One ZIP per metro area: its centroid and time zone come from the zipcodes package.
METRO_ZIPS = [
    "10001",
    "11201",
    "07102",
    "19103",
    "02108",
    "14202",
    "15222",
    "20001",
    "21201",
    "27601",
    "28202",
    "30303",
    "32801",
    "33101",
    "33602",
    "37203",
    "38103",
    "40202",
    "43215",
    "44113",
    "46204",
    "48226",
    "53202",
    "55401",
    "60601",
    "63101",
    "64105",
    "68102",
    "70112",
    "73102",
    "75201",
    "77002",
    "78205",
    "78701",
    "80202",
    "84101",
    "85004",
    "85701",
    "87102",
    "89101",
    "92101",
    "90012",
    "94103",
    "95113",
    "95814",
    "97204",
    "98101",
    "99201",
    "96813",
    "99501",
]
WORLD = [
    ("London", "GB", "Europe/London", 51.5072, -0.1276),
    ("Toronto", "CA", "America/Toronto", 43.6532, -79.3832),
    ("Sydney", "AU", "Australia/Sydney", -33.8688, 151.2093),
    ("Dublin", "IE", "Europe/Dublin", 53.3498, -6.2603),
    ("Mexico City", "MX", "America/Mexico_City", 19.4326, -99.1332),
]
NAMES = [
    "Hope",
    "Serenity",
    "Freedom",
    "New Life",
    "Surrender",
    "Miracles",
    "Clean Slate",
    "Courage",
    "Promises",
    "Early Risers",
    "Nooner",
    "Night Owls",
    "Step by Step",
    "Just For Today",
    "Came to Believe",
    "Into Action",
]
STREETS = ["Main St", "Oak Ave", "Church St", "Park Rd", "Elm St", "2nd Ave", "Lake Dr", "Broadway", "Pine St"]
# Real directories: most meetings in the evening, a morning peak, fewer at noon.
START_WEIGHTS = {
    "06:30": 3,
    "07:00": 6,
    "08:00": 3,
    "10:00": 4,
    "12:00": 8,
    "12:15": 3,
    "17:30": 5,
    "18:00": 10,
    "18:30": 8,
    "19:00": 16,
    "19:30": 12,
    "20:00": 12,
    "21:00": 4,
    "22:00": 2,
}
FORMATS = ["D", "SP", "ST", "TR", "LIT", "B", "BE", "MED", "JFT"]
BATCH = 5000


HOLIDAY = dt.date(2026, 12, 25)


def repeats(rng, weekday):
    """Most times are weekly; some monthly ("1st and 3rd"), every other week, or one-off events."""
    kind = rng.choices(["weekly", "monthly", "every_n_weeks", "once"], weights=[92, 5, 2, 1])[0]
    if kind == "monthly":
        return {"repeats": kind, "weeks_of_month": rng.choice(["1", "1,3", "2,4", "-1"])}
    if kind == "every_n_weeks":
        first = dt.date(2026, 1, 4) + dt.timedelta(days=weekday + 7 * rng.randrange(2))  # 4 January 2026: a Sunday
        return {"repeats": kind, "interval": 2, "starts_on": first}
    if kind == "once":
        day = dt.date(2026, 12, 1) + dt.timedelta(days=rng.randrange(60))
        return {"repeats": kind, "starts_on": day, "weekday": (day.weekday() + 1) % 7}
    return {}


def metros():
    for zip_code in METRO_ZIPS:
        (info,) = zipcodes.matching(zip_code)
        yield info["city"], info["state"], "US", info["timezone"], float(info["lat"]), float(info["long"]), zip_code
    for city, country, zone, lat, lng in WORLD:
        yield city, "", country, zone, lat, lng, ""


class Command(BaseCommand):
    help = "Replace the benchmark listings (areas 'bench-*') with N synthetic meetings."

    def add_arguments(self, parser):
        parser.add_argument("--meetings", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, meetings, seed, **options):
        if meetings < 1:
            raise CommandError("--meetings must be at least 1.")
        started = time.perf_counter()
        rng = random.Random(seed)
        with transaction.atomic():
            self.remove_previous()
            created = self.create(meetings, rng)
        bump_listings_version()  # bulk inserts send no save signals
        refresh_statistics()
        written = self.write_dates(progress=self.progress("dates of meetings"))
        self.stdout.write(f"Wrote {written:,} dates of meetings.")
        refresh_statistics()
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Seeded {created} meetings in {elapsed:.1f} s.")

    @staticmethod
    def write_dates(progress, batch=2000):
        """The dates of the bench's meetings, all of them: extend() would write only past the table's horizon,
        which a database with other meetings (the demo) has already reached."""
        ids = list(Meeting.objects.filter(area__slug__startswith="bench-").order_by("pk").values_list("pk", flat=True))
        written = 0
        for first in range(0, len(ids), batch):
            written += occurrences.refresh(ids[first : first + batch])
            progress(min(first + batch, len(ids)), len(ids))
        return written

    def remove_previous(self):
        bench = ServiceArea.objects.filter(slug__startswith="bench-")
        meetings = Meeting.objects.filter(area__in=bench)
        # Raw deletes: the ORM's cascade collector would walk 100,000 rows in Python.
        Occurrence.objects.filter(meeting__in=meetings)._raw_delete(Occurrence.objects.db)
        ScheduleChange.objects.filter(meeting__in=meetings)._raw_delete(ScheduleChange.objects.db)
        MeetingTime.objects.filter(meeting__in=meetings)._raw_delete(MeetingTime.objects.db)
        Meeting.types.through.objects.filter(meeting__in=meetings)._raw_delete(MeetingTime.objects.db)
        meetings._raw_delete(Meeting.objects.db)
        Location.objects.filter(area__in=bench)._raw_delete(Location.objects.db)
        Group.objects.filter(area__in=bench)._raw_delete(Group.objects.db)
        bench.exclude(parent=None).delete()
        bench.delete()

    def create(self, total, rng):
        root = ServiceArea.objects.create(name="Benchmark", slug="bench-world", level="world")
        places = list(metros())
        types = {t.code: t.pk for t in MeetingType.objects.all()}
        starts = list(START_WEIGHTS)
        weights = list(START_WEIGHTS.values())
        online_area = ServiceArea.objects.create(name="Bench online", slug="bench-online", parent=root)

        areas, locations = [], []
        for n, (city, state, country, zone, lat, lng, zip_code) in enumerate(places):
            area = ServiceArea.objects.create(
                name=f"Bench {city}", slug=f"bench-{n}-{city.lower().replace(' ', '-')}", parent=root, timezone=zone
            )
            areas.append(area)
            for k in range(max(3, total // (3 * len(places)))):
                # A few hundred metres to ~25 km from the centre, denser near it.
                radius = rng.expovariate(1 / 0.08)
                locations.append(
                    Location(
                        area=area,
                        name=f"{rng.choice(NAMES)} Hall",
                        address=f"{100 + k} {rng.choice(STREETS)}",
                        city=city,
                        state=state,
                        postal_code=zip_code,
                        country=country,
                        timezone=zone,
                        latitude=round(lat + rng.uniform(-radius, radius), 5),
                        longitude=round(lng + rng.uniform(-radius, radius) * 1.3, 5),
                    )
                )
        Location.objects.bulk_create(locations, batch_size=BATCH)
        locations = list(
            Location.objects.filter(area__in=areas).only("pk", "area_id", "timezone", "name", "address", "city")
        )

        meetings, kinds = [], []
        for i in range(total):
            kind = rng.choices(["in_person", "online", "phone", "hybrid"], weights=[70, 18, 4, 8])[0]
            location = None if kind in ("online", "phone") else rng.choice(locations)
            area_id = online_area.pk if location is None else location.area_id
            zone = location.timezone if location else rng.choice(places)[3]
            meetings.append(
                Meeting(
                    name=f"{rng.choice(NAMES)} {i}",
                    slug=f"bench-{i}",
                    area_id=area_id,
                    location=location,
                    access=rng.choice(["open", "closed"]),
                    language="es" if rng.random() < 0.06 else "en",
                    conference_url=f"https://meet.example.com/bench-{i}" if kind in ("online", "hybrid") else "",
                    conference_phone=f"+1202555{100 + i % 100:04d},,{i}#" if kind == "phone" else "",
                    timezone=zone,
                    status="active" if rng.random() > 0.02 else "temporarily_closed",
                    last_verified=dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(300)),
                )
            )
            kinds.append(kind)
            if len(meetings) == BATCH or i == total - 1:
                self.insert(meetings, rng, types, starts, weights)
                meetings = []
                self.stderr.write(f"\r{i + 1:,} / {total:,} meetings", ending="")
        self.stderr.write("")
        return total

    def progress(self, what):
        def report(done, total):
            self.stderr.write(f"\r{done:,} / {total:,} {what}", ending="")
            if done == total:
                self.stderr.write("")

        return report

    @staticmethod
    def insert(meetings, rng, types, starts, weights):
        for meeting in meetings:
            meeting.search_text = meeting.build_search_text()  # bulk_create skips save()
        Meeting.objects.bulk_create(meetings)  # sets pks (RETURNING) on PostgreSQL and SQLite >= 3.35
        times, tagged = [], []
        for meeting in meetings:
            pk = meeting.pk
            start = rng.choices(starts, weights=weights)[0]
            end = (dt.datetime.strptime(start, "%H:%M") + dt.timedelta(minutes=rng.choice([60, 60, 90]))).time()
            for day in rng.sample(range(7), rng.choices([1, 2, 3, 7], weights=[70, 15, 10, 5])[0]):
                fields = {"weekday": day, "start_time": start, "end_time": end, **repeats(rng, day)}
                times.append(MeetingTime(meeting_id=pk, **fields))
            codes = set(rng.sample(FORMATS, rng.choice([1, 2])))
            if rng.random() < 0.08:
                codes.add(rng.choice(["W", "M", "Y", "LGBTQ"]))
            if rng.random() < 0.3:
                codes.add("X")
            tagged += [Meeting.types.through(meeting_id=pk, meetingtype_id=types[c]) for c in codes if c in types]
        MeetingTime.objects.bulk_create(times, batch_size=BATCH)
        # A few holiday cancellations, as real directories have around the end of the year.
        cancelled = [
            ScheduleChange(meeting_id=meeting.pk, kind=ScheduleChange.Kind.CANCELLED, date=HOLIDAY, note="Holiday")
            for meeting in meetings
            if rng.random() < 0.01
        ]
        ScheduleChange.objects.bulk_create(cancelled, batch_size=BATCH)
        Meeting.types.through.objects.bulk_create(tagged, batch_size=BATCH)
