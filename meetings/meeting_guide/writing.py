"""Writing the Meeting Guide format: one writer of named rows for the JSON feed, the CSV and the export.

Every object carries geographic information (an online or phone-only meeting
gets its area's name as an approximate place), leaves out what is empty
(never "" or null), carries its weekly time's own slug (given once, kept for
life) and shows of a place only what `published_place` allows. Rows are read
as named tuples (values_list(named=True)) in batches, not model instances:
at 100,000 meetings that is the difference between seconds and half a minute.
"""

import csv
import datetime as dt
import functools
from collections import namedtuple
from typing import NamedTuple

import orjson
from django.db.models import CharField, IntegerField, Q, TextField
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.functions import Cast, Substr
from django.utils.translation import get_language

from groups.models import ServiceArea
from meetings.meeting_guide import LANGUAGE_TO_CODE, ONLINE, TEMPORARILY_CLOSED
from meetings.models import Location, Meeting, MeetingTime, Repeats, published_place
from meetings.models.listings import FEED_SLUG_LENGTH
from meetings.schedule import Rule, parse_weeks

# The columns of our CSV: the format's own field names, in the order people read them.
COLUMNS = [
    "name", "slug", "day", "time", "end_time", "timezone", "types", "notes", "location", "formatted_address",
    "address", "city", "state", "postal_code", "country", "latitude", "longitude", "approximate", "location_notes",
    "region", "sub_region", "regions", "conference_url", "conference_url_notes", "conference_phone",
    "conference_phone_notes", "group", "group_notes", "venmo", "square", "paypal", "updated", "url",
    "feedback_url", "entity", "entity_email", "entity_phone", "entity_url",
    "schedule", "repeats", "interval", "weeks_of_month", "first_date", "last_date",
]  # fmt: skip
MEETING_COLUMNS = [
    "pk", "slug", "name", "timezone", "notes", "access", "language", "status", "area_id",
    "venmo", "cashapp", "paypal", "group_notes",
    "conference_url", "conference_url_notes", "conference_phone", "conference_phone_notes",
    "location_id",
    "group_id", "group__name", "group__notes", "group__venmo", "group__cashapp", "group__paypal",
]  # fmt: skip
# A place's columns, read once per place rather than joined to each of its meetings' rows.
PLACE_COLUMNS = ["name", "address", "city", "state", "postal_code", "country", "latitude", "longitude", "notes"]
BATCH = 5000
# What a CSV cell must not begin with, or a spreadsheet runs it as a formula (OWASP's CSV injection rule).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Record(NamedTuple):
    """A meeting as the feed reads it: its row (MEETING_COLUMNS and two more), weekly times, type codes and place."""

    row: tuple  # a Row: row.name, row.location_id...
    slots: tuple  # its weekly times by day and time, each (slug, weekday, begins "HH:MM", ends or None, rule)
    codes: tuple  # its types' codes from the types table
    place: tuple | None  # place_fields() of its place; None: it has none


# A weekly time's rule is None when it is simply weekly, else our own fields for it (rule_in_fields).
# Rows, times and codes are plain tuples of plain values: the garbage collector stops looking at them
# once it has seen them (it never does for named tuples), so a batch kept while it is written does not
# make it sweep the whole heap again and again (a fifth of the feed's time at 100,000 meetings).
Row = namedtuple("Row", [*MEETING_COLUMNS, "updated", "other"])


class Context(NamedTuple):
    """What every object of one feed shares: the site's address and, per area, its regions and entity."""

    site_url: str
    areas: dict  # {area id: AreaInfo}


class AreaInfo(NamedTuple):
    regions: list  # from below the feed's root area down to this one
    name: str
    email: str
    phone: str
    website: str
    placed: dict  # the fields that place its meetings (regions, region, sub_region), without the empty ones
    entity: dict  # the fields that name it (entity, entity_email...), without the empty ones


def area_info(regions, name, email, phone, website):
    """An AreaInfo, with the fields every object of the area shares worked out once."""
    placed = {
        "regions": regions,
        "region": regions[0] if regions else "",
        "sub_region": regions[1] if len(regions) > 1 else "",
    }
    entity = {"entity": name, "entity_email": email, "entity_phone": phone, "entity_url": website}
    return AreaInfo(regions, name, email, phone, website, without_empty(placed), without_empty(entity))


def without_empty(fields):
    return {name: value for name, value in fields.items() if value}


def context(site_url, root=None):
    """The Context of a feed of everything below `root` (an area; None: the whole tree below its top)."""
    areas = {a.pk: a for a in ServiceArea.objects.all()}
    info = {}
    for pk, area in areas.items():
        chain, node = [], area
        while node is not None and (root is None or node.pk != root.pk):
            chain.append(node.name)
            node = areas.get(node.parent_id)
        if root is None:
            chain = chain[:-1]  # the top of the tree (world services) is no region
        info[pk] = area_info(list(reversed(chain)), area.name, area.helpline_email, area.helpline_phone, area.website)
    return Context(site_url, info)


def feed_queryset():
    """The meetings a feed publishes: active ones, and temporarily closed ones typed TC (apps show them so)."""
    return Meeting.objects.public()


def records(meetings, by_area=False):
    """A Record for each of `meetings` (a queryset), in pk order or by area then pk, read in batches.

    Four queries per 5,000 meetings (their rows, times, types and places),
    whatever the total and however many areas they span, with bounded
    memory: a batch's places are read with it. A batch is
    a range of the order's keys, and its times and types are read through a
    subquery of that range: a list of 5,000 scattered ids (an area's) would
    be prepared by Django one parameter at a time, which cost more than the
    queries. Times and the update stamp come from the database as text,
    already in the format's shape ("19:00", "2026-01-31 18:05:00").
    """
    order = ("area_id", "pk") if by_area else ("pk",)
    keys = list(meetings.order_by(*order).values_list(*order))
    for start in range(0, len(keys), BATCH):
        first, last = keys[start], keys[min(start + BATCH, len(keys)) - 1]
        yield from batch_records(meetings.filter(between(first, last)).order_by(*order))


def places_of(meetings):
    """{place id: place_fields()} of the places of `meetings` (a queryset of a batch): one query.

    A place is read and worked out once per batch, however many of its
    meetings meet there (two or three to a place at 100,000 meetings),
    rather than joined to each meeting's row: on both databases the join,
    and ten more columns on every row, cost more than this query. Per batch,
    not for the whole feed at once: every place of 100,000 meetings held for
    the whole build was 28 MB more in the worker.
    """
    approximate = Cast("approximate", IntegerField())  # 0 or 1: SQLite's booleans would pass a converter each
    places = Location.objects.filter(pk__in=meetings.values("location_id")).order_by()  # a dict: no sort by city
    rows = places.annotate(rough=approximate)
    return {pk: place_fields(*values) for pk, *values in rows.values_list("pk", *PLACE_COLUMNS, "rough")}


def between(first, last):
    """Meetings from `first` to `last`, both included: (pk,) or (area id, pk) pairs in that order."""
    if len(first) == 1:
        return Q(pk__range=(first[0], last[0]))
    (first_area, low), (last_area, high) = first, last
    if first_area == last_area:
        return Q(area_id=first_area, pk__range=(low, high))
    return (
        Q(area_id=first_area, pk__gte=low)
        | Q(area_id__gt=first_area, area_id__lt=last_area)
        | Q(area_id=last_area, pk__lte=high)
    )


class InBatch(RelatedIn):
    """`meeting__in_batch=<meetings' pks>`: IN (subquery), which PostgreSQL is given as an array.

    PostgreSQL plans IN (SELECT ...) of a batch's meetings as a hash join
    over a scan of the whole times (or types) table, once per batch; as
    = ANY(ARRAY(SELECT ...)) it looks the batch's meetings up in the
    meeting_id index instead. SQLite already does.
    """

    lookup_name = "in_batch"

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


for model in (MeetingTime, Meeting.types.through):
    model._meta.get_field("meeting").register_lookup(InBatch)


def batch_records(meetings):
    """A Record for each of `meetings` (a queryset of at most a few thousand), in its order: four queries.

    The loops are the feed's own cost once the rows are read, so they do
    little per row: times come ordered by meeting, a weekly time shares one
    empty rule, and a meeting's list of times is started once.
    """
    of_meetings = {"meeting__in_batch": meetings.values("pk")}
    slots, codes, unslugged, language = {}, {}, set(), get_language()
    for meeting_id, slug, weekday, begins, ends, repeats, interval, weeks, first, last in (
        MeetingTime.objects.filter(**of_meetings)
        # pk last: two times on the same day and hour (a weekly one and a one-off) come in one order on
        # every database and every build, so a time without a slug gets the same one each time.
        .order_by("meeting_id", "weekday", "start_time", "pk")
        .annotate(begins=hh_mm("start_time"), ends=hh_mm("end_time"))
        # The rule's dates as ISO text: no row pays for a date converter (nearly all are empty).
        .annotate(first=as_text("starts_on"), last=as_text("ends_on"))
        .values_list("meeting_id", "feed_slug", "weekday", "begins", "ends", "repeats", "interval", "weeks_of_month",
                     "first", "last")  # fmt: skip
    ):
        if repeats == WEEKLY and not first and not last:
            rule = None
        else:
            rule = rule_in_fields(language, weekday, begins, repeats, interval, weeks, first, last)
        slots[meeting_id] = slots.get(meeting_id, ()) + ((slug, weekday, begins, ends, rule),)
        if not slug:
            unslugged.add(meeting_id)
    for meeting_id, code in (
        Meeting.types.through.objects.filter(**of_meetings)
        .exclude(meetingtype__mg_code="")
        .values_list("meeting_id", "meetingtype__mg_code")
    ):
        codes[meeting_id] = codes.get(meeting_id, ()) + (code,)
    updated = Substr(Cast("updated_at", CharField()), 1, 19)
    # The codes as JSON text: decoding "[]" for every meeting through the JSONField costs a tenth of the feed.
    places = places_of(meetings)
    rows = meetings.annotate(updated=updated, other=Cast("other_types", TextField()))
    for values in rows.values_list(*MEETING_COLUMNS, "updated", "other"):
        row = new_tuple(Row, values)
        found = slots.get(row.pk, ())
        if row.pk in unslugged:
            found = with_slugs(row.slug, found)
        yield new_tuple(Record, (row, found, codes.get(row.pk, ()), places.get(row.location_id)))


WEEKLY = Repeats.WEEKLY.value
new_tuple = tuple.__new__  # a named tuple made without its __new__ (a Python call per row)


def with_slugs(slug, slots):
    """Slugs for weekly times written in bulk without one (MeetingTime.save() gives them): the migration's form."""
    return tuple(
        s if s[0] else ((slug if n == 1 else f"{slug}--{n}")[:FEED_SLUG_LENGTH], *s[1:])
        for n, s in enumerate(slots, start=1)
    )


@functools.lru_cache(maxsize=4096)
def rule_in_fields(language, weekday, begins, repeats, interval, weeks_of_month, starts_on, ends_on):
    """Our own fields for a time that is not simply weekly, in `language` (a weekly one has None: most times).

    The format has no way to say "the 1st and 3rd Saturday": clients read the
    day (the rule's own day of the week) and the time, and `notes` begins with
    the rule in words, so a person reading TSML UI or the app is not misled.
    Our importer reads the fields back (repeats, interval, weeks_of_month,
    first_date, last_date), so our own round trip keeps the rule. The dates
    come as ISO text ("2026-01-31") or None. Remembered, as rules repeat (a
    tenth of the feed); the dict is shared by every time with the same rule:
    it is read, never changed.
    """
    first, last = (dt.date.fromisoformat(day) if day else None for day in (starts_on, ends_on))
    rule = Rule(weekday, dt.time.fromisoformat(begins), repeats=repeats, interval=interval,
                weeks=parse_weeks(weeks_of_month), first=first, last=last)  # fmt: skip
    found = {"repeats": repeats, "schedule": str(rule.describe())}
    if repeats == Repeats.EVERY_N_WEEKS:
        found["interval"] = interval
    if repeats == Repeats.MONTHLY:
        found["weeks_of_month"] = list(rule.weeks)
    if starts_on:
        found["first_date"] = starts_on
    if ends_on:
        found["last_date"] = ends_on
    return found


def hh_mm(field):
    return Substr(Cast(field, CharField()), 1, 5)


def as_text(field):
    return Cast(field, CharField())


# The writer ---------------------------------------------------------------------------------


def meeting_fields(record, ctx):
    """The fields a meeting's objects share, without the empty ones. No editor and no private contact.

    Built key by key in the format's order, leaving out what is empty (never
    "" or null): the feed's own cost per meeting, so what an area or a
    place gives every meeting is worked out once (AreaInfo, place_fields).
    """
    m = record.row
    area = ctx.areas[m.area_id]
    found = {"name": m.name} if m.name else {}
    if m.timezone:
        found["timezone"] = m.timezone
    if codes := types(m, record.codes):
        found["types"] = codes
    for name in ("notes", "conference_url", "conference_url_notes", "conference_phone", "conference_phone_notes"):
        if value := getattr(m, name):
            found[name] = value
    found.update(area.placed)
    if m.updated:
        found["updated"] = m.updated  # UTC: Django stores and reads datetimes in UTC
    found["url"] = url = f"{ctx.site_url}/meetings/{m.slug}/"
    found["feedback_url"] = url + "report/"
    found.update(area.entity)
    if record.place is None:
        # Apps list only meetings with a place: an online or phone-only one is placed in its area, roughly.
        if area.name:
            found["formatted_address"] = area.name
        found["approximate"] = "yes"
        point = None
    else:
        place, point = record.place
        found.update(place)
    if m.group_id is not None:
        # A group's contact email and phone stay out of every feed, public or not:
        # apps copy feeds, and a contact shown once cannot be taken back.
        if m.group__name:
            found["group"] = m.group__name
        if m.group__notes:
            found["group_notes"] = m.group__notes
    elif m.group_notes:
        found["group_notes"] = m.group_notes
    if venmo := m.venmo or m.group__venmo:
        found["venmo"] = venmo
    if square := m.cashapp or m.group__cashapp:
        found["square"] = square
    if paypal := m.paypal or m.group__paypal:
        found["paypal"] = paypal
    if point is not None:
        found["latitude"], found["longitude"] = point  # 0.0 is a coordinate
    return found


def place_fields(name, address, city, state, postal_code, country, latitude, longitude, notes, approximate):
    """(fields, (latitude, longitude) or None) of a place as published_place allows it, without the empty fields.

    Worked out once per place by places_of(): the dict is shared by every
    meeting there, so it is read, never changed.
    """
    place = published_place(name, address, city, state, postal_code, country, latitude, longitude, notes, approximate)
    fields = {
        "location": place.name,
        "formatted_address": place.formatted_address,
        "address": place.address,
        "city": place.city,
        "state": place.state,
        "postal_code": place.postal_code,
        "country": place.country,
        "approximate": "yes" if place.approximate else "no",
        "location_notes": place.notes,
    }
    point = None if place.latitude is None else (place.latitude, place.longitude)
    return without_empty(fields), point


def types(m, codes):
    found = set(codes)
    if m.other != "[]":
        found.update(orjson.loads(m.other))
    if m.access:
        found.add("O" if m.access == Meeting.Access.OPEN else "C")
    if m.conference_url:
        found.add(ONLINE)
    if m.status == Meeting.Status.TEMPORARILY_CLOSED:
        found.add(TEMPORARILY_CLOSED)
    if m.language in LANGUAGE_TO_CODE:
        found.add(LANGUAGE_TO_CODE[m.language])
    return sorted(found)


def slot_fields(record, slot, shared=None):
    """A weekly time's own fields; no slot: a meeting by appointment (no day, no time).

    A time that is not weekly also carries its rule (rule_fields), and its
    notes begin with the rule in words: `shared` is the meeting's fields, for its notes.
    """
    if slot is None:
        return {"slug": record.row.slug[:FEED_SLUG_LENGTH]}
    slug, weekday, begins, ends, rule = slot
    fields = {"slug": slug, "day": weekday, "time": begins}
    if ends:
        fields["end_time"] = ends
    if rule:
        fields.update(rule)
        notes = (shared or {}).get("notes", "")
        fields["notes"] = f"{rule['schedule']}.\n{notes}".strip()
    return fields


def objects(records, ctx):
    """Meeting Guide objects, one per weekly time (one for a meeting by appointment)."""
    for record in records:
        shared = meeting_fields(record, ctx)
        for slot in record.slots or [None]:
            yield {**shared, **slot_fields(record, slot, shared)}


def meeting_json(record, ctx):
    """A meeting's objects as JSON bytes, comma-separated, without the array's brackets.

    Its own fields are encoded once and shared by all its weekly times: an
    object is that head (without the closing brace) joined to each time's
    tail (without the opening one). orjson writes UTF-8 as it is.
    """
    shared = meeting_fields(record, ctx)
    head = orjson.dumps(shared)[:-1] + b","
    parts = []
    for slot in record.slots or [None]:
        if slot is not None and slot[4]:  # its own notes: the whole object, so no key comes twice
            parts.append(orjson.dumps({**shared, **slot_fields(record, slot, shared)}))
        else:
            parts.append(head + orjson.dumps(slot_fields(record, slot))[1:])
    return b",".join(parts)


def times_records(times):
    """(records, slugs) of a search's weekly times (a MeetingTime queryset), in the search's order."""
    found = list(times.values_list("meeting_id", "feed_slug"))
    ids = sorted({meeting_id for meeting_id, _slug in found})
    by_meeting = {}
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        for record in batch_records(Meeting.objects.filter(pk__in=chunk)):
            by_meeting[record.row.pk] = record
    return [(by_meeting[meeting_id], slug) for meeting_id, slug in found if meeting_id in by_meeting]


def times_objects(times, ctx):
    """One object per weekly time a search found, in its order."""
    shared = {}
    for record, slug in times_records(times):
        if record.row.pk not in shared:
            shared[record.row.pk] = meeting_fields(record, ctx)
        slot = next((s for s in record.slots if s[0] == slug), None)
        yield {**shared[record.row.pk], **slot_fields(record, slot, shared[record.row.pk])}


def write_csv(out, objects):
    """Objects as CSV rows of COLUMNS: lists joined, formula-like text neutralised."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for obj in objects:
        writer.writerow([csv_cell(column, obj.get(column, "")) for column in COLUMNS])


def csv_cell(column, value):
    if isinstance(value, list):
        value = " > ".join(value) if column == "regions" else ",".join(map(str, value))
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value  # read back as text by spreadsheets, and by our importer as the value itself
    return value
