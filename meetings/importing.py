"""Importing a Meeting Guide feed (JSON objects or CSV rows) into one service area.

Tolerant of what real feeds contain, strict about what we store: every row
goes through the models' own validation, each problem is reported with its
row, and the whole import is one transaction (all of it in strict mode, the
good rows otherwise; nothing with a dry run). Rows that differ only by day
and time become one meeting with several weekly times. Importing the same
feed again changes nothing.
"""

import csv
import datetime as dt
import io
import json
import urllib.request
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from groups.models import Group
from meetings import meeting_guide as mg
from meetings import occurrences
from meetings.models import Location, Meeting, MeetingTime, MeetingType, PinSource, Repeats
from meetings.schedule import format_weeks, parse_weeks, timezone_names

TEXT_LIMITS = {"name": 150, "notes": 5000, "conference_url": 500, "conference_url_notes": 300,
               "conference_phone_notes": 300}  # fmt: skip


@dataclass
class Problem:
    row: int  # 1-based position in the feed
    slug: str
    field: str
    message: str
    skipped: bool = True  # False: the row was imported without the refused value

    def __str__(self):
        return f"row {self.row} ({self.slug or '?'}): {self.field}: {self.message}"


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    merged_rows: int = 0  # rows that became another weekly time of a meeting
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    dry_run: bool = False
    strict_failed: bool = False

    def summary(self):
        return _(
            "%(rows)d rows: %(created)d meetings created, %(updated)d updated, %(unchanged)d unchanged, "
            "%(skipped)d rows skipped, %(merged)d rows were further times of a meeting."
        ) % {
            "rows": self.rows, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "skipped": self.skipped, "merged": self.merged_rows,
        }  # fmt: skip


class Rollback(Exception):
    pass


@dataclass
class Candidate:
    """A meeting as the feed describes it, from one or more rows."""

    rows: list
    slug: str
    fields: dict
    location: dict | None
    group: dict | None
    type_ids: set
    times: set  # {(weekday, start, end)}


class FeedError(ValueError):
    """A feed that cannot be read at all (not JSON, not CSV, not a list, unreachable)."""


def parse_feed(text, kind):
    """Rows of a feed's text: kind "csv" or "meeting-guide" (a JSON array)."""
    if kind == "csv":
        try:
            return list(csv.DictReader(io.StringIO(text)))
        except csv.Error as error:
            raise FeedError(_("The CSV cannot be read: %(error)s") % {"error": error}) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FeedError(_("The feed is not valid JSON: %(error)s") % {"error": error}) from None
    if not isinstance(data, list):
        raise FeedError(_("A Meeting Guide feed is a JSON array of meetings."))
    return data


def fetch_feed(url, max_bytes=50 * 1024 * 1024):
    """The text at an http(s) URL, fetched only when a volunteer asks for it (never in tests)."""
    if not url.startswith(("http://", "https://")):
        raise FeedError(_("Only http:// and https:// addresses can be fetched."))
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (scheme checked above)
            return response.read(max_bytes).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise FeedError(_("Could not fetch %(url)s: %(error)s") % {"url": url, "error": error}) from None


def guess_kind(name):
    return "csv" if name.lower().split("?")[0].endswith(".csv") else "meeting-guide"


def import_feed(rows, *, area, default_timezone=None, dry_run=False, strict=False, progress=None):
    report = ImportReport(rows=len(rows), dry_run=dry_run)
    zone = default_timezone or area.timezone
    types = type_lookup()
    unknown_types, ignored = Counter(), Counter()
    candidates = {}
    for number, raw in enumerate(rows, start=1):
        parsed = parse_row(number, raw, zone, types, report, unknown_types, ignored)
        if parsed is None:
            report.skipped += 1
            continue
        key = merge_key(parsed)
        if key in candidates:
            existing = candidates[key]
            existing.rows.append(number)
            existing.times |= parsed.times
            existing.slug = min(existing.slug, parsed.slug)
            report.merged_rows += 1
        else:
            candidates[key] = parsed
    seen_slugs = {}
    for candidate in list(candidates.values()):
        if candidate.slug in seen_slugs:
            report.problems.append(
                Problem(
                    candidate.rows[0],
                    candidate.slug,
                    "slug",
                    _("the same slug as row %(row)d but a different meeting; skipped")
                    % {"row": seen_slugs[candidate.slug]},
                )
            )
            skip(report, candidate)
            del candidates[merge_key(candidate)]
        else:
            seen_slugs[candidate.slug] = candidate.rows[0]
    for code, count in sorted(unknown_types.items()):
        note = _("Type code %(code)s is not one of ours: ignored in %(n)d rows.") % {"code": code, "n": count}
        report.notes.append(note)
    for name, count in sorted(ignored.items()):
        report.notes.append(_("Field '%(name)s' is not imported (%(n)d rows).") % {"name": name, "n": count})
    try:
        with transaction.atomic(), occurrences.deferred():
            store(list(candidates.values()), area, report, progress)
            if strict and any(problem.skipped for problem in report.problems):
                report.strict_failed = True
                raise Rollback
            if dry_run:
                raise Rollback
    except Rollback:
        pass
    return report


def skip(report, candidate):
    """Count a candidate's rows as skipped (they were counted as merged rows until now)."""
    report.skipped += len(candidate.rows)
    report.merged_rows -= len(candidate.rows) - 1


def type_lookup():
    """{Meeting Guide code: our type id}; where several of ours share a code, the one named like it."""
    lookup = {}
    for t in MeetingType.objects.exclude(mg_code="").order_by("position"):
        if t.mg_code not in lookup or t.code == t.mg_code:
            lookup[t.mg_code] = t.pk
    return lookup


def parse_row(number, raw, zone, types, report, unknown_types, ignored):
    slug = slugify(str(raw.get("slug") or ""))[:160]

    def problem(column, message, skipped=True):
        report.problems.append(Problem(number, slug, column, message, skipped))

    if not isinstance(raw, dict):
        problem("row", _("not an object"))
        return None
    name = str(raw.get("name") or "").strip()
    if not name:
        problem("name", _("missing: every meeting needs a name; row skipped"))
        return None
    slug = slug or slugify(name)[:150]
    try:
        days = mg.parse_days(raw.get("day"))
        start = mg.parse_time(raw.get("time"))
        end = mg.parse_time(raw.get("end_time"))
    except ValueError as error:
        problem("day/time", f"{error}; row skipped")
        return None
    if days and start is None:
        problem("time", _("a day without a time; row skipped"))
        return None
    row_zone = str(raw.get("timezone") or "").strip() or zone
    if row_zone not in timezone_names():
        problem("timezone", _("unknown time zone '%(zone)s'; row skipped") % {"zone": row_zone})
        return None

    codes = raw.get("types") or []
    codes = [c.strip() for c in codes.split(",")] if isinstance(codes, str) else [str(c).strip() for c in codes]
    access = Meeting.Access.CLOSED if "C" in codes else Meeting.Access.OPEN if "O" in codes else Meeting.Access.CLOSED
    if "O" in codes and "C" in codes:
        problem("types", _("both O (open) and C (closed): kept closed, the safer reading"), skipped=False)
    language = next((mg.CODE_TO_LANGUAGE[c] for c in codes if c in mg.CODE_TO_LANGUAGE and c != "EN"), "en")
    type_ids = set()
    for code in codes:
        if code in types:
            type_ids.add(types[code])
        elif code not in {"O", "C", "ONL", "TC", "EN"} and code not in mg.CODE_TO_LANGUAGE and code:
            unknown_types[code] += 1

    fields = {
        "name": name[: TEXT_LIMITS["name"]],
        "access": access,
        "language": language,
        "notes": str(raw.get("notes") or "").strip(),
        "timezone": row_zone,
        "status": Meeting.Status.TEMPORARILY_CLOSED if "TC" in codes else Meeting.Status.ACTIVE,
        "conference_url": "",
        "conference_url_notes": str(raw.get("conference_url_notes") or "").strip()[:300],
        "conference_phone": "",
        "conference_phone_notes": str(raw.get("conference_phone_notes") or "").strip()[:300],
    }
    url = str(raw.get("conference_url") or "").strip()
    if url:
        if url.startswith("https://") and len(url) <= 500:
            fields["conference_url"] = url
        else:
            problem("conference_url", _("'%(url)s' is not an https:// join link: left out") % {"url": url[:80]}, False)
    phone = str(raw.get("conference_phone") or "").strip()
    if phone:
        try:
            Meeting._meta.get_field("conference_phone").run_validators(phone)
            fields["conference_phone"] = phone.replace(" ", "").replace("-", "")
        except ValidationError:
            problem("conference_phone", _("'%(phone)s' cannot be dialled: left out") % {"phone": phone[:40]}, False)

    location = None
    if raw.get("formatted_address") or raw.get("city"):
        try:
            latitude, longitude = mg.coordinate(raw.get("latitude")), mg.coordinate(raw.get("longitude"))
        except (TypeError, ValueError):
            problem("latitude/longitude", _("not numbers: the location is kept without a pin"), skipped=False)
            latitude = longitude = None
        address = mg.parse_address(raw)
        approximate = mg.is_yes(raw.get("approximate")) or not address["address"]
        location = {
            **address,
            "name": str(raw.get("location") or "").strip()[:150],
            "notes": str(raw.get("location_notes") or "").strip(),
            "latitude": latitude,
            "longitude": longitude,
            "approximate": approximate,
            "timezone": row_zone,
        }
    group = None
    if raw.get("group"):
        group = {
            "name": str(raw["group"]).strip()[:150],
            "notes": str(raw.get("group_notes") or "").strip(),
            "venmo": str(raw.get("venmo") or "").strip()[:60],
            "paypal": str(raw.get("paypal") or "").strip()[:60],
        }
    for private in ("email", "phone", "author", "contact_1_email", "contact_1_phone"):
        if raw.get(private):
            ignored[private] += 1
    try:
        rule = rule_of(raw)
    except (TypeError, ValueError) as error:
        problem("repeats", f"{error}; row skipped")
        return None
    times = {(day, start, end, rule) for day in days}
    return Candidate([number], slug, fields, location, group, type_ids, times)


def rule_of(raw):
    """(repeats, interval, weeks of the month, first date, last date) from our own export's fields.

    A feed from elsewhere has none of them: its times stay weekly. We never invent a rule.
    """
    repeats = str(raw.get("repeats") or Repeats.WEEKLY)
    if repeats not in Repeats.values:
        raise ValueError(f"'{repeats[:40]}' is not a way to repeat ({', '.join(Repeats.values)})")
    weeks = raw.get("weeks_of_month") or ""
    weeks = format_weeks(parse_weeks(",".join(map(str, weeks)) if isinstance(weeks, list) else weeks))
    first, last = (dt.date.fromisoformat(str(raw[k])) if raw.get(k) else None for k in ("first_date", "last_date"))
    return repeats, int(raw.get("interval") or 1), weeks, first, last


RULE_FIELDS = ("repeats", "interval", "weeks_of_month", "starts_on", "ends_on")


def merge_key(candidate):
    """Rows that describe the same meeting on other days or at other times share this key."""
    location = candidate.location or {}
    return (
        candidate.fields["name"], candidate.fields["notes"], candidate.fields["conference_url"],
        candidate.fields["conference_phone"], candidate.fields["access"], frozenset(candidate.type_ids),
        location.get("address"), location.get("city"), location.get("name"),
        (candidate.group or {}).get("name"),
    )  # fmt: skip


def store(candidates, area, report, progress):
    feed_slugs = [c.slug for c in candidates]
    existing = {
        m.source_slug or m.slug: m
        for m in Meeting.objects.filter(area=area)
        .filter(Q(source_slug__in=feed_slugs) | Q(source_slug="", slug__in=feed_slugs))
        .prefetch_related("times", "types")
    }
    taken = set(Meeting.objects.filter(slug__in=feed_slugs).values_list("slug", flat=True))
    locations = {location_key(loc.__dict__): loc for loc in Location.objects.filter(area=area)}
    groups = {g.name: g for g in Group.objects.filter(area=area)}
    for done, candidate in enumerate(candidates, start=1):
        if progress and done % 100 == 0:
            progress(done, len(candidates))
        meeting = existing.get(candidate.slug)
        known_locations, known_groups = dict(locations), dict(groups)
        try:
            with transaction.atomic():
                outcome = save_candidate(candidate, meeting, area, locations, groups, taken)
        except ValidationError as error:
            # The savepoint is gone, and so is anything it created: forget those too.
            locations.clear()
            locations.update(known_locations)
            groups.clear()
            groups.update(known_groups)
            for column, messages in error.message_dict.items():
                report.problems.append(Problem(candidate.rows[0], candidate.slug, column, " ".join(messages)))
            skip(report, candidate)
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    if progress:
        progress(len(candidates), len(candidates))


def location_key(values):
    return tuple(values.get(k) or "" for k in ("name", "address", "city", "postal_code"))


def free_slug(wanted, area, taken):
    """The feed's slug if no other meeting has it, else one made unique with the area's slug."""
    slug, n = wanted, 2
    if slug in taken:
        slug = f"{wanted}-{area.slug}"[:160]
    while slug in taken or Meeting.objects.filter(slug=slug).exists():
        slug, n = f"{wanted}-{area.slug}-{n}"[:160], n + 1
    taken.add(slug)
    return slug


def save_candidate(candidate, meeting, area, locations, groups, taken):
    location = find_location(candidate.location, area, locations) if candidate.location else None
    group = find_group(candidate.group, area, groups) if candidate.group else None
    wanted = {**candidate.fields, "area": area, "location": location, "group": group}
    times = set(candidate.times)
    if meeting is None:
        meeting = Meeting(slug=free_slug(candidate.slug, area, taken), source_slug=candidate.slug, **wanted)
        meeting.full_clean()
        meeting.save()
        meeting.types.set(candidate.type_ids)
        save_times(meeting, times, set())
        return "created"
    current_times = {
        (t.weekday, t.start_time, t.end_time, tuple(getattr(t, f) for f in RULE_FIELDS)) for t in meeting.times.all()
    }
    changed = [name for name, value in wanted.items() if getattr(meeting, name) != value]
    types_changed = {t.pk for t in meeting.types.all()} != candidate.type_ids
    if not changed and not types_changed and current_times == times:
        return "unchanged"
    for name in changed:
        setattr(meeting, name, wanted[name])
    meeting.full_clean()
    meeting.save()
    if types_changed:
        meeting.types.set(candidate.type_ids)
    save_times(meeting, times, current_times)
    return "updated"


def save_times(meeting, wanted, current):
    for weekday, start, _end, _rule in current - wanted:
        meeting.times.filter(weekday=weekday, start_time=start).delete()
    for weekday, start, end, rule in sorted(wanted - current, key=lambda t: (t[0], t[1])):
        fields = {"end_time": end, **dict(zip(RULE_FIELDS, rule, strict=True))}
        meeting_time = MeetingTime(meeting=meeting, weekday=weekday, start_time=start, **fields)
        meeting_time.full_clean(exclude=["meeting"])
        MeetingTime.objects.update_or_create(meeting=meeting, weekday=weekday, start_time=start, defaults=fields)


def find_location(values, area, locations):
    key = location_key(values)
    location = locations.get(key)
    if location is None:
        location = Location(area=area, pin_source=PinSource.IMPORT, **values)
        location.full_clean()
        location.save()
        locations[key] = location
        return location
    changes = {
        k: v
        for k, v in values.items()
        if getattr(location, k) != v and k in ("latitude", "longitude", "notes", "approximate", "state", "country")
    }
    if changes and location.pin_source != PinSource.MANUAL:
        for name, value in changes.items():
            setattr(location, name, value)
        location.full_clean()
        location.save()
    return location


def find_group(values, area, groups):
    group = groups.get(values["name"])
    if group is None:
        base = slugify(values["name"])[:140] or "group"
        slug, n = base, 2
        while Group.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        group = Group.objects.create(area=area, slug=slug, **values)
        groups[values["name"]] = group
    return group
