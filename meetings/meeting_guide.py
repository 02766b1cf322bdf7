"""The Meeting Guide format: reading what real feeds send, writing what apps read.

One object per weekly time. Our meetings can have several times; the first
(by day and time) carries the meeting's slug, the others `<slug>--<n>`, a
form our own slugs never take, so the slugs of a feed never collide.
"""

import datetime as dt
import re
from typing import NamedTuple

import orjson
from django.db.models import CharField
from django.db.models.functions import Cast, Substr

from groups.models import ServiceArea
from meetings.models import Meeting, MeetingTime, Repeats
from meetings.schedule import parse_weeks

# Our language codes <-> the format's type codes (which clash with ISO 639: TR is Tradition Study).
LANGUAGE_TO_CODE = {
    "en": "EN",
    "es": "S",
    "fr": "FR",
    "de": "DE",
    "pl": "POL",
    "pt": "POR",
    "ru": "RUS",
    "it": "ITA",
    "ja": "JA",
    "ko": "KOR",
    "ar": "AR",
    "da": "DA",
    "nl": "NL",
    "fi": "FI",
    "el": "EL",
    "he": "HE",
    "hi": "HI",
    "hr": "HR",
    "hu": "HU",
    "is": "IS",
    "ka": "KA",
    "lt": "LT",
    "mt": "MT",
    "ne": "NE",
    "no": "NO",
    "fa": "FA",
    "pa": "PUN",
    "sk": "SK",
    "sl": "SL",
    "sv": "SV",
    "th": "TH",
    "tl": "TL",
    "tr": "TUR",
    "uk": "UK",
    "af": "AF",
    "am": "AM",
    "bg": "BG",
    "ml": "ML",
}
CODE_TO_LANGUAGE = {code: language for language, code in LANGUAGE_TO_CODE.items()}
DAY_NAMES = {
    name: number
    for number, names in enumerate(
        [
            ("sunday", "sun", "domingo"),
            ("monday", "mon", "lunes"),
            ("tuesday", "tue", "tues", "martes"),
            ("wednesday", "wed", "miercoles", "miércoles"),
            ("thursday", "thu", "thur", "thurs", "jueves"),
            ("friday", "fri", "viernes"),
            ("saturday", "sat", "sabado", "sábado"),
        ]
    )
    for name in names
}
TIME = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?(?::\d{2})?\s*([ap])?\.?\s*m?\.?\s*$", re.IGNORECASE)
US_STATE_ZIP = re.compile(r"^([A-Z]{2})(?:\s+(\d{5}(?:-\d{4})?))?$")
COUNTRIES = {"usa": "US", "us": "US", "united states": "US", "canada": "CA", "uk": "GB", "united kingdom": "GB"}
COLUMNS = [
    "name", "slug", "day", "time", "end_time", "timezone", "types", "notes", "location", "formatted_address",
    "address", "city", "state", "postal_code", "country", "latitude", "longitude", "approximate", "location_notes",
    "conference_url", "conference_url_notes", "conference_phone", "conference_phone_notes", "group", "group_notes",
    "venmo", "square", "paypal", "regions", "updated", "url", "feedback_url", "entity", "entity_email",
    "entity_phone", "entity_url", "repeats", "interval", "weeks_of_month", "first_date", "last_date",
]  # fmt: skip


def parse_days(value):
    """[0-6 ...] from 3, "3", "Wednesday", "wed", ["Mon", 3]; [] for none (by appointment)."""
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return sorted({day for item in value for day in parse_days(item)})
    text = str(value).strip().lower()
    if text.isdigit() and 0 <= int(text) <= 6:
        return [int(text)]
    if text in DAY_NAMES:
        return [DAY_NAMES[text]]
    raise ValueError(f"'{value}' is not a day (0-6 from Sunday, or a day's name)")


def parse_time(value):
    """A time from "19:00", "19:00:00", "7:00 PM", "7pm"; None for none."""
    if value is None or str(value).strip() == "":
        return None
    match = TIME.match(str(value))
    if not match:
        raise ValueError(f"'{value}' is not a time (HH:MM or 7:00 PM)")
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(f"'{value}' is not a time")
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"'{value}' is not a time")
    return dt.time(hour, minute)


def parse_address(row):
    """Street, city, state, postal code and country from split fields or a formatted_address."""
    if row.get("city"):
        return {
            "address": str(row.get("address") or "").strip(),
            "city": str(row["city"]).strip(),
            "state": str(row.get("state") or "").strip(),
            "postal_code": str(row.get("postal_code") or "").strip(),
            "country": country_code(row.get("country") or "US"),
        }
    parts = [p.strip() for p in str(row.get("formatted_address") or "").split(",") if p.strip()]
    found = {"address": "", "city": "", "state": "", "postal_code": "", "country": "US"}
    if parts and (parts[-1].lower() in COUNTRIES or (len(parts[-1]) == 2 and parts[-1].isupper())):
        found["country"] = country_code(parts.pop())
    if parts and (match := US_STATE_ZIP.match(parts[-1])):
        found["state"], found["postal_code"] = match.group(1), match.group(2) or ""
        parts.pop()
    if parts:
        found["city"] = parts.pop()
    found["address"] = ", ".join(parts)
    return found


def country_code(value):
    text = str(value).strip()
    return COUNTRIES.get(text.lower(), text.upper()[:2] or "US")


def coordinate(value):
    if value is None or value == "":
        return None
    return float(value)  # feeds send numbers or numeric strings; ValueError otherwise


def is_yes(value):
    return str(value).strip().lower() in {"yes", "true", "1", "y"}


# Writing ---------------------------------------------------------------------------------
#
# The feed reads plain rows (values_list()), not model instances, and builds URLs
# by formatting rather than reverse(): at 100,000 meetings this is the
# difference between seconds and half a minute.

MEETING_COLUMNS = [
    "pk", "slug", "name", "timezone", "notes", "access", "language", "status", "area_id",
    "conference_url", "conference_url_notes", "conference_phone", "conference_phone_notes",
    "location_id", "location__name", "location__address", "location__city", "location__state",
    "location__postal_code", "location__country", "location__latitude", "location__longitude",
    "location__approximate", "location__notes",
    "group_id", "group__name", "group__notes", "group__venmo", "group__cashapp", "group__paypal",
]  # fmt: skip
BATCH = 5000


def feed_queryset():
    """The meetings a feed publishes: active ones, and temporarily closed ones typed TC (apps show them so)."""
    return Meeting.objects.public()


class Record(NamedTuple):
    """A meeting as the feed reads it: its MEETING_COLUMNS (and the update stamp), times and type codes."""

    values: tuple
    times: list  # [(weekday, "HH:MM", "HH:MM" or None)], by day and time
    codes: set

    @property
    def pk(self):
        return self.values[0]

    @property
    def slug(self):
        return self.values[1]


def records(meetings):
    """A Record for each of `meetings` (a queryset), read in batches of ids.

    Three queries per 5,000 meetings, whatever the total, with bounded memory.
    Rows are tuples (values_list), not dicts or model instances: at 100,000
    meetings that alone saves a quarter of a second. Times and the update
    stamp come from the database as text, already in the format's shape
    ("19:00", "2026-01-31 18:05:00"), so no row is converted to a Python
    date and back.
    """
    ids = list(meetings.order_by("pk").values_list("pk", flat=True))
    updated = Substr(Cast("updated_at", CharField()), 1, 19)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        span = (chunk[0], chunk[-1])  # ranges, not IN lists of 5,000 parameters
        times, codes = {}, {}
        for meeting_id, weekday, begins, ends, *rule in (
            MeetingTime.objects.filter(meeting__pk__range=span)
            .order_by("meeting_id", "weekday", "start_time")
            .annotate(begins=hh_mm("start_time"), ends=hh_mm("end_time"))
            .values_list("meeting_id", "weekday", "begins", "ends", *RULE_COLUMNS)
        ):
            times.setdefault(meeting_id, []).append((weekday, begins, ends, rule_fields(*rule)))
        for meeting_id, code in (
            Meeting.types.through.objects.filter(meeting__pk__range=span)
            .exclude(meetingtype__mg_code="")
            .values_list("meeting_id", "meetingtype__mg_code")
        ):
            codes.setdefault(meeting_id, set()).add(code)
        rows = meetings.filter(pk__range=span).order_by("pk").annotate(updated=updated)
        for values in rows.values_list(*MEETING_COLUMNS, "updated"):
            yield Record(values, times.get(values[0], []), codes.get(values[0], set()))


RULE_COLUMNS = ["repeats", "interval", "weeks_of_month", "starts_on", "ends_on"]


def rule_fields(repeats, interval, weeks_of_month, starts_on, ends_on):
    """Our own fields for a time that is not simply weekly (the format has none: clients ignore them).

    {"repeats": "monthly", "weeks_of_month": [1, 3]}, {"repeats": "once", "first_date": "2026-12-31"}...;
    {} for a plain weekly time, so the feed stays what every client expects.
    """
    found = {}
    if repeats != Repeats.WEEKLY:
        found["repeats"] = repeats
    if repeats == Repeats.EVERY_N_WEEKS:
        found["interval"] = interval
    if repeats == Repeats.MONTHLY:
        found["weeks_of_month"] = list(parse_weeks(weeks_of_month))
    if starts_on:
        found["first_date"] = starts_on.isoformat()
    if ends_on:
        found["last_date"] = ends_on.isoformat()
    return found


def hh_mm(field):
    return Substr(Cast(field, CharField()), 1, 5)


def area_info():
    """{area id: (regions from the top down, name, helpline email, phone, website)}, from one query."""
    areas = {a.pk: a for a in ServiceArea.objects.all()}
    info = {}
    for pk, area in areas.items():
        chain, node = [], area
        while node is not None:
            chain.append(node.name)
            node = areas.get(node.parent_id)
        regions = list(reversed(chain[:-1])) if len(chain) > 1 else chain  # without the world root
        info[pk] = (regions, area.name, area.helpline_email, area.helpline_phone, area.website)
    return info


def serialize(meetings, site_url, areas=None):
    """Meeting Guide objects of a queryset of meetings, one per weekly time.

    The first time (by day and time) carries the meeting's slug, the n-th
    `<slug>--<n>`. No editor and no private contact is ever written.
    """
    areas = area_info() if areas is None else areas
    for record in records(meetings):
        base = meeting_fields(record, site_url, areas)
        for n, (weekday, begins, ends, rule) in enumerate(record.times or [(None, "", "", {})], start=1):
            yield time_fields(base, record.slug, n, weekday, begins, ends, rule)  # no times: by appointment


def serialize_slots(slots, site_url, areas=None):
    """One object per weekly time a search found (MeetingTime rows, in the search's order)."""
    areas = area_info() if areas is None else areas
    slots = list(slots)
    found = records(Meeting.objects.filter(pk__in={s.meeting_id for s in slots}))
    by_meeting = {record.pk: record for record in found}
    for slot in slots:
        record = by_meeting[slot.meeting_id]
        begins = slot.start_time.strftime("%H:%M")
        position = next((n for n, t in enumerate(record.times, start=1) if (t[0], t[1]) == (slot.weekday, begins)), 1)
        base = meeting_fields(record, site_url, areas)
        yield time_fields(base, record.slug, position, *record.times[position - 1])


def time_fields(base, slug, position, weekday, begins, ends, rule):
    return {**base, **slot_fields(slug, position, weekday, begins, ends, rule)}


def slot_fields(slug, position, weekday, begins, ends, rule):
    return {
        "slug": slug if position == 1 else f"{slug}--{position}",
        "day": weekday,
        "time": begins,
        "end_time": ends or "",
        **rule,
    }


def json_chunks(meetings, site_url, per_chunk=2000):
    """The feed as bytes: the array's pieces, each holding about `per_chunk` objects.

    A meeting's own fields are encoded once and shared by all its weekly
    times: the object is its head (without the closing brace) joined to each
    time's tail (without the opening one). orjson writes UTF-8 as it is.
    """
    areas = area_info()
    parts, separator = [b"["], b""
    for record in records(meetings):
        head = orjson.dumps(meeting_fields(record, site_url, areas))[:-1] + b","
        for n, (weekday, begins, ends, rule) in enumerate(record.times or [(None, "", "", {})], start=1):
            fields = slot_fields(record.slug, n, weekday, begins, ends, rule)
            parts.append(separator + head + orjson.dumps(fields)[1:])
            separator = b","
        if len(parts) >= per_chunk:
            yield b"".join(parts)
            parts = []
    parts.append(b"]")
    yield b"".join(parts)


def meeting_fields(record, site_url, areas):
    # fmt: off
    (
        _pk, slug, name, timezone, notes, access, language, status, area_id,
        conference_url, conference_url_notes, conference_phone, conference_phone_notes,
        location_id, location_name, street, city, state,
        postal_code, country, latitude, longitude,
        approximate, location_notes,
        group_id, group_name, group_notes, venmo, cashapp, paypal,
        updated,
    ) = record.values  # MEETING_COLUMNS, then the update stamp
    # fmt: on
    regions, entity, entity_email, entity_phone, entity_url = areas[area_id]
    types = set(record.codes)
    types.add("O" if access == Meeting.Access.OPEN else "C")
    if conference_url:
        types.add("ONL")
    if status == Meeting.Status.TEMPORARILY_CLOSED:
        types.add("TC")
    if language != "en" and language in LANGUAGE_TO_CODE:
        types.add(LANGUAGE_TO_CODE[language])
    url = f"{site_url}/meetings/{slug}/"
    fields = {
        "name": name,
        "timezone": timezone,
        "types": sorted(types),
        "notes": notes,
        "conference_url": conference_url,
        "conference_url_notes": conference_url_notes,
        "conference_phone": conference_phone,
        "conference_phone_notes": conference_phone_notes,
        "regions": regions,
        "updated": updated,  # UTC: Django stores and reads datetimes in UTC
        "url": url,
        "feedback_url": url + "report/",
        "entity": entity,
        "entity_email": entity_email,
        "entity_phone": entity_phone,
        "entity_url": entity_url,
    }
    if location_id is None:
        fields["approximate"] = "yes"
    else:
        if approximate:
            street = postal_code = ""
        region = " ".join(part for part in (state, postal_code) if part)
        fields.update(
            location=location_name,
            formatted_address=", ".join(part for part in (street, city, region, country) if part),
            address=street,
            city=city,
            state=state,
            postal_code=postal_code,
            country=country,
            latitude=latitude,
            longitude=longitude,
            approximate="yes" if approximate else "no",
            location_notes=location_notes,
        )
    if group_id is not None:
        # A group's contact email and phone stay out of every feed, public or not:
        # apps copy feeds, and a contact shown once cannot be taken back.
        fields.update(group=group_name, group_notes=group_notes, venmo=venmo, square=cashapp, paypal=paypal)
    return fields


def csv_row(obj):
    """A feed object as a CSV row of COLUMNS (lists joined by commas)."""
    row = {}
    for column in COLUMNS:
        value = obj.get(column, "")
        row[column] = ",".join(map(str, value)) if isinstance(value, list) else ("" if value is None else value)
    return row
