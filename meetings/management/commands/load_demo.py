"""Fictional but realistic demo listings. Safe to run again: it converges.

Every name, address, link and number here is made up: phone numbers are in
the 555-01xx range reserved for fiction, links are on example.org/.com.
"""

import datetime as dt
import random

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from groups.models import Group, ServiceArea
from meetings import occurrences
from meetings.db import refresh_statistics
from meetings.models import ChangeKind, Location, Meeting, MeetingTime, MeetingType, Repeats, ScheduleChange

WORLD = ("ha-world-services", "HA World Services", None, "world", "America/New_York")
AREAS = [
    # slug, name, parent slug, level, time zone, helpline
    ("arizona", "Arizona Area", "ha-world-services", "area", "America/Phoenix", "+1 602 555 0101"),
    ("phoenix-district", "Phoenix District", "arizona", "district", "America/Phoenix", ""),
    ("colorado", "Colorado Area", "ha-world-services", "area", "America/Denver", "+1 303 555 0102"),
    ("western-ny", "Western New York Area", "ha-world-services", "area", "America/New_York", "+1 716 555 0103"),
    ("washington", "Washington Area", "ha-world-services", "area", "America/Los_Angeles", "+1 206 555 0104"),
    (
        "new-jersey",
        "New Jersey / Pennsylvania Area",
        "ha-world-services",
        "area",
        "America/New_York",
        "+1 973 555 0105",
    ),
    ("united-kingdom", "United Kingdom Area", "ha-world-services", "area", "Europe/London", "+44 20 7946 0106"),
    ("online", "Online and Phone Meetings", "ha-world-services", "area", "America/New_York", ""),
]

# area slug, city, state, country, time zone, (lat, lng) of the centre, ZIP-like codes, streets
CITIES = [
    ("phoenix-district", "Phoenix", "AZ", "US", "America/Phoenix", (33.4484, -112.0740),
     ["85004", "85006", "85013", "85016"]),
    ("arizona", "Tucson", "AZ", "US", "America/Phoenix", (32.2226, -110.9747), ["85701", "85705", "85719"]),
    ("colorado", "Denver", "CO", "US", "America/Denver", (39.7392, -104.9903), ["80202", "80205", "80218", "80210"]),
    ("western-ny", "Buffalo", "NY", "US", "America/New_York", (42.8864, -78.8784), ["14202", "14209", "14213"]),
    ("washington", "Seattle", "WA", "US", "America/Los_Angeles", (47.6062, -122.3321),
     ["98101", "98103", "98122", "98118"]),
    ("new-jersey", "Newark", "NJ", "US", "America/New_York", (40.7357, -74.1724), ["07102", "07104", "07105"]),
    ("united-kingdom", "London", "", "GB", "Europe/London", (51.5072, -0.1276), ["N1 9GU", "SE1 7PB", "E2 8DY"]),
]  # fmt: skip
BUILDINGS = [
    "St. Brigid's Parish Hall",
    "Grace Community Church",
    "Eastside Recovery Clubhouse",
    "Central Library Meeting Room",
    "First Methodist Church",
    "Hope Street Community Centre",
    "Riverside Fellowship Hall",
    "Sunrise Wellness Center",
    "Oak Grove Baptist Church",
]
STREETS = ["Main St", "Maple Ave", "Oak St", "Church St", "Park Rd", "Elm St", "High St", "Lake Ave", "Broadway"]
MEETING_NAMES = [
    "Hope on Main",
    "Just For Today",
    "New Beginnings",
    "Freedom Group",
    "Serenity Now",
    "Keep Coming Back",
    "Early Risers",
    "Nooner",
    "Last Chance",
    "Miracles Happen",
    "Surrender",
    "Into Action",
    "Came to Believe",
    "Clean Slate",
    "Courage to Change",
    "Step by Step",
    "Sunday Sanity",
    "Back to Basics",
    "One Day at a Time",
    "Promises",
]
DIRECTIONS = [
    "Side door, basement.",
    "Enter from the car park; room 2 upstairs.",
    "Ring the bell at the back door.",
    "",
]
START_TIMES = ["07:00", "10:00", "12:00", "12:30", "17:30", "18:00", "19:00", "19:30", "20:00"]
VERIFIED = [dt.date(2026, 10, 5), dt.date(2026, 9, 12), dt.date(2026, 6, 30), dt.date(2025, 11, 2), None]

ONLINE_MEETINGS = [
    # name, language, types, days, start, zone, phone too?
    ("Morning Light", "en", ["MED", "D"], [0, 1, 2, 3, 4, 5, 6], "07:00", "America/New_York", True),
    ("Lunch Bunch", "en", ["D"], [1, 2, 3, 4, 5], "12:00", "America/Chicago", False),
    ("Women in Recovery Online", "en", ["W", "D"], [2, 4], "19:00", "America/Los_Angeles", False),
    ("Esperanza en Línea", "es", ["D", "BE"], [1, 3, 5], "20:00", "America/Phoenix", True),
    ("Newcomers Welcome", "en", ["BE", "LIT"], [0, 3], "18:00", "America/Denver", False),
    ("Night Owls", "en", ["D"], [5, 6], "23:00", "America/New_York", False),
    ("Step Into Recovery", "en", ["ST"], [2], "20:30", "Europe/London", False),
    ("Young People Online", "en", ["Y", "D"], [6], "16:00", "America/Los_Angeles", False),
    ("Tradition Tuesday", "en", ["TR"], [2], "19:00", "America/Chicago", True),
    ("Rainbow Recovery", "en", ["LGBTQ", "D"], [4], "20:00", "America/New_York", False),
]
PHONE_MEETINGS = [
    ("Call-In Serenity", "en", ["D"], [0, 3], "21:00", "America/New_York"),
    ("Línea de Esperanza", "es", ["SP"], [2, 6], "19:00", "America/Los_Angeles"),
    ("Dial-In Newcomers", "en", ["BE"], [1], "12:00", "America/Chicago"),
]


def fake_phone(n):
    """A number in the 555-0100..0199 range, set aside for fiction."""
    return f"+1202555{100 + n % 100:04d}"


class Command(BaseCommand):
    help = "Load fictional demo listings (idempotent: running it again changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the directory already has meetings."
        )

    def handle(self, *args, **options):
        if options["if_empty"] and Meeting.objects.exists():
            self.stdout.write("The directory has meetings already; demo data not loaded.")
            return
        with transaction.atomic(), occurrences.deferred():
            counts = self.load()
        refresh_statistics()
        self.stdout.write(self.style.SUCCESS("Demo data: " + ", ".join(f"{n} {what}" for what, n in counts.items())))

    def load(self):
        rng = random.Random(2026)  # fixed seed: the same "random" demo every time
        types = {t.code: t for t in MeetingType.objects.all()}
        areas = {}
        slug, name, _, level, tz = WORLD
        areas[slug], _ = ServiceArea.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "level": level,
                "timezone": tz,
                "parent": None,
                "website": "https://example.org/ha-world",
            },
        )
        for slug, name, parent, level, tz, helpline in AREAS:
            areas[slug], _ = ServiceArea.objects.update_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "parent": areas[parent],
                    "level": level,
                    "timezone": tz,
                    "helpline_phone": helpline,
                    "helpline_email": f"{slug}@example.org" if helpline else "",
                },
            )

        seen_meetings = set()
        name_cycle = 0
        for area_slug, city, state, country, tz, (lat, lng), codes in CITIES:
            area = areas[area_slug]
            group_count = 3
            groups = []
            for g in range(group_count):
                gname = f"{city} {MEETING_NAMES[(name_cycle + g) % len(MEETING_NAMES)]} Group"
                group, _ = Group.objects.update_or_create(
                    slug=slugify(f"{city} {g + 1} group"),
                    defaults={
                        "name": gname,
                        "area": area,
                        "notes": "Business meeting on the first Sunday of the month.",
                        "contact_email": f"group{g + 1}.{city.lower()}@example.org",
                        "contact_phone": fake_phone(10 + g),
                        "contact_public": g == 0,
                        "venmo": f"@HA-{city}-{g + 1}" if g != 2 else "",
                    },
                )
                groups.append(group)
            for b in range(4):
                building = BUILDINGS[(name_cycle + b) % len(BUILDINGS)]
                location, _ = Location.objects.update_or_create(
                    area=area,
                    name=building,
                    city=city,
                    defaults={
                        "address": f"{100 + 37 * b + name_cycle} {STREETS[(b + name_cycle) % len(STREETS)]}",
                        "state": state,
                        "postal_code": codes[b % len(codes)],
                        "country": country,
                        "latitude": round(lat + rng.uniform(-0.06, 0.06), 5),
                        "longitude": round(lng + rng.uniform(-0.08, 0.08), 5),
                        "timezone": tz,
                        "notes": DIRECTIONS[b % len(DIRECTIONS)],
                    },
                )
                for m in range(3):
                    name_cycle += 1
                    mname = MEETING_NAMES[name_cycle % len(MEETING_NAMES)]
                    slug = slugify(f"{mname} {city} {b}{m}")
                    type_codes = rng.sample(["D", "SP", "ST", "TR", "LIT", "BE", "MED", "JFT", "X", "POA"], 2)
                    if name_cycle % 9 == 0:
                        type_codes.append("W")
                    if name_cycle % 11 == 0:
                        type_codes.append("M")
                    if name_cycle % 13 == 0:
                        type_codes.append("HNI")
                    hybrid = name_cycle % 10 == 0
                    spanish = name_cycle % 12 == 0
                    meeting = self.upsert_meeting(
                        slug,
                        name=("Grupo " + mname) if spanish else mname,
                        area=area,
                        group=groups[m % len(groups)],
                        location=location,
                        access="open" if name_cycle % 3 else "closed",
                        language="es" if spanish else "en",
                        notes="Coffee from 15 minutes before. Newcomers welcome." if m == 0 else "",
                        conference_url=f"https://meet.example.com/ha-{slug}" if hybrid else "",
                        conference_url_notes="Passcode: hope" if hybrid else "",
                        status="temporarily_closed" if name_cycle == 17 else "active",
                        last_verified=VERIFIED[name_cycle % len(VERIFIED)],
                        timezone=tz,
                        types=[types[c] for c in type_codes if c in types],
                        times=self.weekly(rng),
                    )
                    seen_meetings.add(meeting.pk)

        online = areas["online"]
        for n, (name, lang, codes, days, start, tz, with_phone) in enumerate(ONLINE_MEETINGS):
            slug = slugify(name)
            meeting = self.upsert_meeting(
                slug,
                **self.remote(name, online),
                access="open" if n % 2 else "closed",
                language=lang,
                notes="Cameras optional.",
                timezone=tz,
                conference_url=f"https://meet.example.com/ha-{slug}",
                conference_url_notes="Passcode: recovery",
                conference_phone=f"{fake_phone(40 + n)},,{8100000 + n}#" if with_phone else "",
                conference_phone_notes="Meeting ID then #" if with_phone else "",
                last_verified=VERIFIED[n % 2],
                types=[types[c] for c in codes],
                times=[(d, start, None) for d in days],
            )
            seen_meetings.add(meeting.pk)
        for n, (name, lang, codes, days, start, tz) in enumerate(PHONE_MEETINGS):
            meeting = self.upsert_meeting(
                slugify(name),
                **self.remote(name, online),
                access="open",
                language=lang,
                notes="Press *6 to unmute.",
                timezone=tz,
                conference_url="",
                conference_url_notes="",
                conference_phone=f"{fake_phone(60 + n)},,{7200000 + n}#",
                conference_phone_notes="Access code then #",
                last_verified=VERIFIED[0],
                types=[types[c] for c in codes],
                times=[(d, start, None) for d in days],
            )
            seen_meetings.add(meeting.pk)

        seen_meetings |= self.schedules(areas, types)

        return {
            "areas": ServiceArea.objects.count(),
            "groups": Group.objects.count(),
            "locations": Location.objects.count(),
            "meetings": Meeting.objects.count(),
            "times": MeetingTime.objects.count(),
            "dated changes": ScheduleChange.objects.count(),
        }

    @staticmethod
    def remote(name, area):
        """What every online and phone meeting of the demo shares."""
        return {"name": name, "area": area, "group": None, "location": None, "status": "active"}

    def schedules(self, areas, types):
        """Meetings that are not every week, and dated changes, around the coming weeks whenever the demo loads."""
        today = timezone.localdate()
        phoenix = Location.objects.filter(city="Phoenix").order_by("pk").first()
        denver = Location.objects.filter(city="Denver").order_by("pk").first()
        new_year = dt.date(today.year if today < dt.date(today.year, 12, 31) else today.year + 1, 12, 31)
        every_other = today + dt.timedelta(days=(2 - (today.weekday() + 1) % 7) % 7)  # the coming Tuesday
        specials = [
            ("first-and-third-saturday-speakers", "First and Third Saturday Speakers", areas["phoenix-district"],
             phoenix, "America/Phoenix", ["SP"], [(6, "10:00", "11:30", {"repeats": Repeats.MONTHLY,
                                                                         "weeks_of_month": "1,3"})]),
            ("last-friday-birthday-meeting", "Last Friday Birthday Meeting", areas["colorado"], denver,
             "America/Denver", ["SP", "BE"], [(5, "19:00", "20:30", {"repeats": Repeats.MONTHLY,
                                                                      "weeks_of_month": "-1"})]),
            ("fortnight-step-study", "Fortnight Step Study", areas["colorado"], denver, "America/Denver", ["ST"],
             [(2, "18:30", "19:30", {"repeats": Repeats.EVERY_N_WEEKS, "interval": 2, "starts_on": every_other})]),
            ("new-years-eve-marathon", "New Year's Eve Marathon", areas["online"], None, "America/New_York",
             ["D", "SP"], [((new_year.weekday() + 1) % 7, "18:00", "18:00",
                            {"repeats": Repeats.ONCE, "starts_on": new_year})]),
        ]  # fmt: skip
        seen = set()
        for slug, name, area, location, tz, codes, times in specials:
            meeting = self.upsert_meeting(
                slug,
                name=name,
                area=area,
                group=None,
                location=location,
                access="open",
                language="en",
                notes="",
                timezone=tz,
                conference_url="" if location else f"https://meet.example.com/ha-{slug}",
                conference_url_notes="" if location else "Passcode: recovery",
                conference_phone="",
                conference_phone_notes="",
                status="active",
                last_verified=VERIFIED[0],
                types=[types[c] for c in codes if c in types],
                times=times,
            )
            seen.add(meeting.pk)
        christmas = dt.date(today.year if today <= dt.date(today.year, 12, 25) else today.year + 1, 12, 25)
        changes = [
            ("morning-light", ChangeKind.CANCELLED, christmas, {"note": "Christmas Day: join Night Owls instead"}),
            ("hope-on-main-tucson-21", ChangeKind.CLOSED, today + dt.timedelta(days=7),
             {"until": today + dt.timedelta(days=28), "note": "Church renovation"}),
        ]  # fmt: skip
        for slug, kind, date, extra in changes:
            meeting = Meeting.objects.filter(slug=slug).first()
            if meeting is not None:
                ScheduleChange.objects.filter(meeting=meeting, kind=kind).exclude(date=date).delete()
                ScheduleChange.objects.update_or_create(meeting=meeting, kind=kind, date=date, defaults=extra)
        return seen

    @staticmethod
    def weekly(rng):
        """One to three weekly times at the same hour, 60 or 90 minutes long."""
        start = rng.choice(START_TIMES)
        length = rng.choice([60, 90])
        first = dt.datetime.strptime(start, "%H:%M")
        end = (first + dt.timedelta(minutes=length)).strftime("%H:%M")
        days = sorted(rng.sample(range(7), rng.choice([1, 1, 2, 3])))
        return [(d, start, end) for d in days]

    @staticmethod
    def upsert_meeting(slug, *, types, times, **fields):
        meeting, _ = Meeting.objects.update_or_create(slug=slug, defaults=fields)
        meeting.types.set(types)
        keep = []
        for weekday, start, end, *rule in times:
            rule = {"repeats": Repeats.WEEKLY, "interval": 1, "weeks_of_month": "", "starts_on": None} | (
                rule[0] if rule else {}
            )
            meeting_time, _ = MeetingTime.objects.update_or_create(
                meeting=meeting, weekday=weekday, start_time=start, defaults={"end_time": end, **rule}
            )
            keep.append(meeting_time.pk)
        meeting.times.exclude(pk__in=keep).delete()
        return meeting
