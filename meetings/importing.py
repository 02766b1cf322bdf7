"""Importing a Meeting Guide feed (JSON objects or CSV rows) into one service area: plan, then apply.

Every fact the format carries is kept, or the report says why not. Rows
become one meeting only when everything but their day and time agrees, and
each weekly time keeps its own slug from the source; regions become areas
below the target area. The plan is made without writing anything (a dry run
stops there, and so does a strict import with a skipped row); it is then
applied in batches of bulk writes, each in its own short transaction, with
history records written in bulk. Importing the same feed again changes
nothing. A source kept in sync (FeedSource) also archives the meetings it no
longer lists, and leaves alone those edited here when the source says so.
"""

import datetime as dt
import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from groups.models import Group, ServiceArea
from meetings import search_text
from meetings.freshness import bump_listings_version
from meetings.meeting_guide import reading
from meetings.meeting_guide.reading import FeedError, Problem  # noqa: F401 (callers import them from here)
from meetings.models import FeedSource, Location, Meeting, MeetingTime, MeetingType, PinSource
from meetings.models.listings import FEED_SLUG_LENGTH
from meetings.schedule import timezone_names
from meetings.slugs import free_slug

BATCH = 500  # meetings written per transaction: a short hold on SQLite's write lock
SOURCE_SLUG = r"^[A-Za-z0-9._~-]+$"
# Fields we read. Others are listed in the report as left out, with their count.
READ_FIELDS = set(reading.STRING_FIELDS) | {"day", "time", "end_time", "types", "latitude", "longitude", "regions"}
# What this directory publishes of its own (its pages, its volunteers): a source's values are not kept.
PUBLISHER_FIELDS = {
    "url", "edit_url", "feedback_url", "feedback_emails", "entity", "entity_email", "entity_phone", "entity_url",
    "entity_location", "entity_logo", "entity_website_url", "id", "location_id", "region_id", "group_id",
    "location_url", "time_formatted", "attendance_option", "last_contact", "data_source", "author",
}  # fmt: skip
MEETING_FIELDS = [
    "name", "notes", "timezone", "access", "language", "status", "other_types", "conference_url",
    "conference_url_notes", "conference_phone", "conference_phone_notes", "venmo", "cashapp", "paypal",
    "group_notes",
]  # fmt: skip


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_here: int = 0  # meetings edited here since the last sync, left as they are
    archived: int = 0
    skipped: int = 0
    merged_rows: int = 0  # rows that became further weekly times of a meeting
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    new_areas: list = field(default_factory=list)
    dry_run: bool = False
    strict_failed: bool = False
    refused: str = ""  # why a sync applied nothing at all

    def summary(self):
        return _(
            "%(rows)d rows: %(created)d meetings created, %(updated)d updated, %(unchanged)d unchanged, "
            "%(kept)d edited here and kept, %(archived)d archived, %(skipped)d rows skipped, "
            "%(merged)d rows were further times of a meeting."
        ) % {
            "rows": self.rows, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "kept": self.kept_here, "archived": self.archived, "skipped": self.skipped, "merged": self.merged_rows,
        }  # fmt: skip

    @property
    def changes(self):
        return self.created + self.updated + self.archived

    def as_text(self):
        lines = [self.summary()]
        lines += [_("New area: %(path)s") % {"path": path} for path in self.new_areas]
        lines += [f"note: {note}" for note in self.notes]
        lines += [str(problem) for problem in self.problems]
        return "\n".join(lines)


@dataclass
class Candidate:
    """A meeting as the feed describes it, from one or more rows."""

    rows: list  # RowFacts, in feed order
    fields: dict
    regions: tuple
    place: dict | None
    group: dict | None
    type_ids: tuple
    updated: dt.datetime | None
    meeting: Meeting | None = None  # the one it becomes
    location: Location | None = None
    group_obj: Group | None = None
    area: ServiceArea | None = None

    @property
    def slug(self):
        return self.rows[0].slug

    @property
    def numbers(self):
        return [facts.number for facts in self.rows]


def import_feed(
    rows, *, area, default_timezone=None, dry_run=False, strict=False, progress=None, source=None, user=None,
    notes=(), atomic=False,
):  # fmt: skip
    """Import `rows` (dicts of a feed) into `area`; returns an ImportReport. See the module's docstring.

    With `atomic`, every write is one transaction (a source kept in sync: a district's list, applied at
    once); otherwise the meetings are written BATCH at a time, so a large import never holds SQLite's
    write lock for long.
    """
    report = ImportReport(rows=len(rows), dry_run=dry_run, notes=list(notes))
    plan = Plan(area, default_timezone or (source and source.timezone) or area.timezone, report, source)
    plan.read(rows, progress)
    if strict and report.skipped:
        report.strict_failed = True
        return report
    plan.resolve()
    if report.refused or dry_run:
        return report
    if atomic:
        with transaction.atomic():
            plan.apply(progress, user)
    else:
        plan.apply(progress, user)
    return report


class Plan:
    def __init__(self, area, zone, report, source):
        self.area, self.zone, self.report, self.source = area, zone, report, source
        self.candidates = []

    # Reading -------------------------------------------------------------------------------

    def read(self, rows, progress):
        report, timezones = self.report, timezone_names()
        types = type_lookup()
        left_out, unknown = Counter(), Counter()
        by_key, slugs_seen = {}, {}
        for number, raw, part in expand_days(rows):
            facts = reading.read_row(number, raw, default_timezone=self.zone, timezones=timezones)
            report.problems.extend(facts.problems)
            if facts.skipped:
                report.skipped += part == 0
                continue
            if self.only_the_areas_name(facts):
                facts.place = None
            for name in raw:
                if name not in READ_FIELDS:
                    left_out[name] += 1
            if facts.slug and facts.slug in slugs_seen:
                report.problems.append(
                    Problem(
                        number,
                        facts.slug,
                        "slug",
                        _("the same slug as row %(row)d; row skipped") % {"row": slugs_seen[facts.slug]},
                    )  # fmt: skip
                )
                report.skipped += part == 0
                continue
            slugs_seen[facts.slug] = number
            ours = tuple(sorted({types[c] for c in facts.codes if c in types}))
            other = sorted(c for c in facts.codes if c not in types)
            unknown.update(other)
            fields = {
                "name": facts.name[:150], "notes": facts.notes, "timezone": facts.timezone, "access": facts.access,
                "language": facts.language, "status": facts.status, "other_types": other,
                "conference_url": facts.conference_url, "conference_url_notes": facts.conference_url_notes,
                "conference_phone": facts.conference_phone, "conference_phone_notes": facts.conference_phone_notes,
                "venmo": facts.venmo, "cashapp": facts.cashapp, "paypal": facts.paypal,
                "group_notes": facts.group_notes if not facts.group else "",
            }  # fmt: skip
            key = (  # everything but the day and time: a row with another last update is another listing
                tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in fields.items()),
                facts.updated,
                facts.regions,
                tuple(sorted(facts.place.items())) if facts.place else None,
                tuple(sorted(facts.group.items())) if facts.group else None,
                ours,
            )
            candidate = by_key.get(key)
            if candidate is None:
                by_key[key] = Candidate([facts], fields, facts.regions, facts.place, facts.group, ours, facts.updated)
                continue
            clash = next((f for f in candidate.rows if f.time and facts.time and f.time[:2] == facts.time[:2]), None)
            if clash or not facts.time or not candidate.rows[0].time:
                # Same meeting, same day and time (or by appointment twice): a second listing of it.
                report.problems.append(
                    Problem(
                        number,
                        facts.slug,
                        "day/time",
                        _("the same meeting and time as row %(row)d; row skipped")
                        % {"row": (clash or candidate.rows[0]).number},
                    )  # fmt: skip
                )
                report.skipped += 1
                continue
            candidate.rows.append(facts)
            report.merged_rows += part == 0
            if facts.updated and (candidate.updated is None or facts.updated > candidate.updated):
                candidate.updated = facts.updated
            if progress and number % 1000 == 0:
                progress(number, len(rows), _("rows read"))
        self.candidates = list(by_key.values())
        for code, count in sorted(unknown.items()):
            report.notes.append(
                _("Type code %(code)s is not on HA's list: kept as it came and published again (%(n)d rows).")
                % {"code": code, "n": count}
            )
        for name, count in sorted(left_out.items()):
            why = _("this directory publishes its own") if name in PUBLISHER_FIELDS else _("not a field we keep")
            if name in ("email", "phone", "author") or name.startswith("contact_"):
                why = _("a private contact: never published here")
            report.notes.append(
                _("Field '%(name)s' is not imported (%(n)d rows): %(why)s.") % {"name": name, "n": count, "why": why}
            )

    def only_the_areas_name(self, facts):
        """An online or phone meeting placed only by its area's name (as our feed places those): no place."""
        place = facts.place
        return (
            place is not None
            and (facts.conference_url or facts.conference_phone)
            and place["approximate"]
            and not (place["name"] or place["postal_code"] or place["notes"] or place["latitude"] is not None)
            and facts.place_text == (facts.regions[-1] if facts.regions else self.area.name)
        )

    # Matching with what we have ------------------------------------------------------------

    def resolve(self):
        """Decide, for every candidate, its area, place, group and meeting (existing or new). No writes."""
        report = self.report
        tree = list(ServiceArea.objects.all())
        self.areas = AreaTree(tree, self.area, report)
        subtree = ServiceArea.objects.descendant_ids([self.area])
        self.places = Places(Location.objects.filter(area_id__in=subtree), self.candidates, report)
        self.groups = {(g.area_id, g.name): g for g in Group.objects.filter(area_id__in=subtree)}
        self.new_groups, self.changed_groups = [], []
        existing = list(Meeting.objects.filter(area_id__in=subtree))
        by_id = {m.pk: m for m in existing}
        self.current_times = defaultdict(list)
        for slot in MeetingTime.objects.filter(meeting__area_id__in=subtree).order_by("weekday", "start_time"):
            self.current_times[slot.meeting_id].append(slot)
        self.current_types = defaultdict(set)
        for meeting_id, type_id in Meeting.types.through.objects.filter(meeting__area_id__in=subtree).values_list(
            "meeting_id", "meetingtype_id"
        ):
            self.current_types[meeting_id].add(type_id)
        by_time_slug = {
            slot.source_slug: by_id[slot.meeting_id]
            for slots in self.current_times.values()
            for slot in slots
            if slot.source_slug
        }
        by_slug = {m.source_slug: m for m in existing if m.source_slug}
        self.meeting_slugs = set(Meeting.objects.values_list("slug", flat=True))
        self.feed_slugs = set(MeetingTime.objects.exclude(feed_slug="").values_list("feed_slug", flat=True))
        self.feed_slugs |= set(Meeting.objects.filter(times__isnull=True).values_list("slug", flat=True))
        self.creates, self.updates, self.matched = [], [], set()
        valid = []
        for candidate in self.candidates:
            candidate.area = self.areas.for_path(candidate.regions)
            candidate.location = self.places.find(candidate.place, candidate.area) if candidate.place else None
            candidate.group_obj = self.find_group(candidate) if candidate.group else None
            meeting = self.match(candidate, by_time_slug, by_slug)
            if meeting is not None:
                self.matched.add(meeting.pk)
            if not self.validate(candidate, meeting):
                continue
            valid.append(candidate)
            if meeting is None:
                self.creates.append(candidate)
                report.created += 1
            else:
                candidate.meeting = meeting
                self.decide(candidate, meeting)
        self.candidates = valid
        self.archive = []
        if self.source is not None and report.rows and report.skipped == report.rows:
            report.refused = _("Not one row of the source could be read: nothing was changed.")
        if self.source is not None:
            gone = [m for m in existing if m.source_id == self.source.pk and m.pk not in self.matched]
            self.archive = [m for m in gone if m.status != Meeting.Status.ARCHIVED]
            listed = sum(1 for m in existing if m.source_id == self.source.pk and m.status != Meeting.Status.ARCHIVED)
            if listed >= 10 and len(self.archive) > listed / 2:
                report.refused = _(
                    "The source no longer lists %(gone)d of our %(listed)d meetings from it: more than half. "
                    "Nothing was changed; if the source really dropped them, archive them by hand."
                ) % {"gone": len(self.archive), "listed": listed}
            report.archived = len(self.archive)

    def match(self, candidate, by_time_slug, by_slug):
        """The meeting we have for a candidate: by any of its rows' slugs, else by its first row's."""
        for facts in candidate.rows:
            meeting = by_time_slug.get(facts.slug)
            if meeting is not None and meeting.pk not in self.matched:
                return meeting
        meeting = by_slug.get(candidate.slug)
        return meeting if meeting is not None and meeting.pk not in self.matched else None

    def find_group(self, candidate):
        """The group of that name in the meeting's area; a group whose rows differ in its notes is kept twice."""
        name, notes, area = candidate.group["name"], candidate.group["notes"], candidate.area
        area_key = area.pk if area.pk else id(area)
        group = self.groups.get((area_key, name, notes))
        if group is not None:
            return group
        same_name = self.groups.get((area_key, name))
        if same_name is not None and same_name.pk is not None and same_name not in self.changed_groups:
            if same_name.notes != notes:  # the source changed the group's notes
                same_name.notes = notes
                self.changed_groups.append(same_name)
            self.groups[(area_key, name, notes)] = same_name
            return same_name
        if same_name is not None:
            self.report.notes.append(
                _(
                    "Group '%(name)s': row %(row)d has other group notes than an earlier row: "
                    "kept as two groups; merge them in the admin if they are one."
                )
                % {"name": name, "row": candidate.rows[0].number}
            )
        group = Group(name=name, notes=notes, area=area)
        self.groups.setdefault((area_key, name), group)
        self.groups[(area_key, name, notes)] = group
        self.new_groups.append(group)
        return group

    def validate(self, candidate, meeting):
        """Check the candidate with the models' own rules; reported against each of its rows."""
        check = Meeting(area=candidate.area, location=candidate.location, **candidate.fields)
        try:
            check.clean_fields(exclude=["area", "group", "location", "source", "slug", "search_text"])
            check.clean()
            if candidate.location is not None and candidate.location.pk is None:
                candidate.location.full_clean(exclude=["area"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            messages = error.message_dict if hasattr(error, "error_dict") else {"row": error.messages}
            for facts in candidate.rows:
                for column, texts in messages.items():
                    self.report.problems.append(Problem(facts.number, facts.slug, column, " ".join(texts)))
            self.report.skipped += len(candidate.rows)
            self.report.merged_rows -= len(candidate.rows) - 1
            return False
        return True

    def decide(self, candidate, meeting):
        """Update, leave, or (edited here since the last sync, and this directory wins) keep ours."""
        report = self.report
        current = fingerprint(self.state_of(meeting))
        wanted = fingerprint(self.state_of_candidate(candidate, meeting))
        if current == wanted:
            report.unchanged += 1
            candidate.fingerprint = wanted
            if meeting.source_fingerprint != wanted or (self.source and meeting.source_id != self.source.pk):
                self.updates.append(candidate)  # only its link to the source
            return
        edited_here = meeting.source_fingerprint and current != meeting.source_fingerprint
        if edited_here and self.source is not None and self.source.wins == FeedSource.Wins.HERE:
            report.kept_here += 1
            report.notes.append(
                _("'%(name)s' (rows %(rows)s) was edited here since the last sync: our version is kept.")
                % {"name": meeting.name, "rows": ", ".join(map(str, candidate.numbers))}
            )
            return
        report.updated += 1
        candidate.changed = True
        self.updates.append(candidate)

    def state_of(self, meeting):
        times = sorted((t.weekday, t.start_time, t.end_time) for t in self.current_times[meeting.pk])
        return (
            [plain(getattr(meeting, name)) for name in MEETING_FIELDS],
            meeting.area_id, meeting.location_id, meeting.group_id,
            sorted(self.current_types[meeting.pk]), times,
        )  # fmt: skip

    def state_of_candidate(self, candidate, meeting):
        times = sorted(f.time for f in candidate.rows if f.time)
        ref = lambda obj: (obj.pk or id(obj)) if obj is not None else None  # noqa: E731
        return (
            [plain(candidate.fields[name]) for name in MEETING_FIELDS],
            ref(candidate.area), ref(candidate.location), ref(candidate.group_obj),
            sorted(candidate.type_ids), times,
        )  # fmt: skip

    # Writing -------------------------------------------------------------------------------

    def apply(self, progress, user):
        reason = (
            _("Synced from source %(name)s") % {"name": self.source.name}
            if self.source
            else _("Imported from a Meeting Guide feed")
        )
        history = {"default_user": user, "default_change_reason": reason}
        with transaction.atomic():
            self.areas.create()
            self.places.write(history)
            for group in self.new_groups:
                group.area_id = group.area.pk
                group.slug = free_slug(slugify(group.name)[:140], self.group_slugs(), 150)
            bulk_create_with_history(self.new_groups, Group, batch_size=BATCH, **history)
            if self.changed_groups:
                Group.objects.bulk_update(self.changed_groups, ["notes"], batch_size=BATCH)
                Group.history.bulk_history_create(self.changed_groups, update=True, **history)
        work = self.creates + self.updates
        for start in range(0, len(work), BATCH):
            with transaction.atomic():
                batch = work[start : start + BATCH]
                self.write_meetings([c for c in batch if c.meeting is None], [c for c in batch if c.meeting], history)
            if progress:
                progress(min(start + BATCH, len(work)), len(work), _("meetings written"))
        if self.archive:
            with transaction.atomic():
                for meeting in self.archive:
                    meeting.status = Meeting.Status.ARCHIVED
                    # Archived by the source, not edited here: back in the source, back in the list.
                    meeting.source_fingerprint = fingerprint(self.state_of(meeting))
                Meeting.objects.bulk_update(self.archive, ["status", "source_fingerprint"])
                Meeting.history.bulk_history_create(self.archive, update=True, **history)
        bump_listings_version()

    def group_slugs(self):
        if not hasattr(self, "_group_slugs"):
            self._group_slugs = set(Group.objects.values_list("slug", flat=True))
        return self._group_slugs

    def write_meetings(self, creates, updates, history):
        now = timezone.now()
        new = []
        for candidate in creates:
            first = candidate.rows[0]
            wanted = slugify(first.slug) or slugify(candidate.fields["name"])
            taken = self.meeting_slugs if any(f.time for f in candidate.rows) else self.meeting_slugs | self.feed_slugs
            if wanted in taken:
                wanted = f"{wanted}-{self.area.slug}"  # another area's meeting has it
            slug = free_slug(wanted[:150], taken, 160)
            self.meeting_slugs.add(slug)
            meeting = Meeting(slug=slug, source_slug=first.slug, source=self.source, **self.links(candidate))
            meeting.search_text = search_text.build(*search_text.meeting_values(meeting))
            meeting.source_fingerprint = fingerprint(self.state_of_candidate(candidate, meeting))
            candidate.meeting = meeting
            new.append(meeting)
        bulk_create_with_history(new, Meeting, **history)
        changed = [c for c in updates if getattr(c, "changed", False)]
        for candidate in updates:
            meeting = candidate.meeting
            if getattr(candidate, "changed", False):
                for name, value in self.links(candidate).items():
                    setattr(meeting, name, value)
                meeting.search_text = search_text.build(*search_text.meeting_values(meeting))
                meeting.updated_at = candidate.updated or now
            meeting.source_fingerprint = fingerprint(self.state_of_candidate(candidate, meeting))
            meeting.source = self.source if self.source is not None else meeting.source
        if changed:
            Meeting.objects.bulk_update(
                [c.meeting for c in changed],
                [*MEETING_FIELDS, "area", "location", "group", "search_text", "updated_at", "source",
                 "source_fingerprint"],
            )  # fmt: skip
            Meeting.history.bulk_history_create([c.meeting for c in changed], update=True, **history)
        relinked = [c.meeting for c in updates if not getattr(c, "changed", False)]
        if relinked:
            Meeting.objects.bulk_update(relinked, ["source", "source_fingerprint"])
        self.write_types(creates, changed)
        self.write_times(creates + changed, history)
        # The source's last change, not the import's: auto_now wrote the time of the insert.
        stamp_updated([(c.meeting.pk, c.updated) for c in creates if c.updated])

    def links(self, candidate):
        return {
            **candidate.fields,
            "area": candidate.area,
            "location": candidate.location,
            "group": candidate.group_obj,
        }

    def write_types(self, creates, changed):
        """Types of new and changed meetings, and in their latest history record the types it had."""
        through = Meeting.types.through
        if changed:
            through.objects.filter(meeting_id__in=[c.meeting.pk for c in changed]).delete()
        written = creates + changed
        links = through.objects.bulk_create(
            [through(meeting_id=c.meeting.pk, meetingtype_id=type_id) for c in written for type_id in c.type_ids]
        )
        latest = dict(
            Meeting.history.filter(id__in=[c.meeting.pk for c in written])
            .order_by("history_id")
            .values_list("id", "history_id")
        )
        historical = apps.get_model("meetings", "HistoricalMeeting_types")
        historical.objects.bulk_create(
            [
                historical(
                    id=link.pk, history_id=latest[link.meeting_id], meeting_id=link.meeting_id,
                    meetingtype_id=link.meetingtype_id,
                )
                for link in links
                if link.meeting_id in latest
            ]
        )  # fmt: skip

    def write_times(self, candidates, history):
        new, changed, gone = [], [], []
        for candidate in candidates:
            meeting = candidate.meeting
            current = list(self.current_times.get(meeting.pk, [])) if meeting.pk else []
            by_source = {t.source_slug: t for t in current if t.source_slug}
            by_slot = {(t.weekday, t.start_time): t for t in current}
            kept = set()
            for facts in candidate.rows:
                if not facts.time:
                    continue
                weekday, start, end = facts.time
                slot = by_source.get(facts.slug) or by_slot.get((weekday, start))
                if slot is not None and slot.pk not in kept:
                    kept.add(slot.pk)
                    if (slot.weekday, slot.start_time, slot.end_time, slot.source_slug) != (
                        weekday, start, end, facts.slug,
                    ):  # fmt: skip
                        slot.weekday, slot.start_time, slot.end_time, slot.source_slug = weekday, start, end, facts.slug
                        changed.append(slot)
                    continue
                new.append(
                    MeetingTime(
                        meeting=meeting,
                        weekday=weekday,
                        start_time=start,
                        end_time=end,
                        source_slug=facts.slug,
                        feed_slug=self.feed_slug(facts, meeting),
                    )
                )
            gone += [t.pk for t in current if t.pk not in kept]
        if gone:
            MeetingTime.objects.filter(pk__in=gone).delete()  # one history record each, through the signal
        if changed:
            MeetingTime.objects.bulk_update(changed, ["weekday", "start_time", "end_time", "source_slug"])
            MeetingTime.history.bulk_history_create(changed, update=True, **history)
        bulk_create_with_history(new, MeetingTime, **history)

    def feed_slug(self, facts, meeting):
        wanted = facts.slug if re.match(SOURCE_SLUG, facts.slug or "") else slugify(facts.slug or "")
        wanted = wanted or meeting.slug
        slug = free_slug(wanted, self.feed_slugs, FEED_SLUG_LENGTH, separator="--")
        if facts.slug and slug != facts.slug:
            self.report.problems.append(
                Problem(
                    facts.number,
                    facts.slug,
                    "slug",
                    _("published as '%(slug)s' (%(why)s)")
                    % {"slug": slug, "why": _("taken, too long or not URL-safe")},
                    skipped=False,
                )  # fmt: skip
            )
        return slug


def expand_days(rows):
    """(row number, row, part) of each row; a row with a list of days is one row per day, slug `<slug>-<day>`."""
    for number, raw in enumerate(rows, start=1):
        days = raw.get("day") if isinstance(raw, dict) else None
        if isinstance(days, list) and days and all(isinstance(d, (int, str)) for d in days):
            for part, day in enumerate(days):
                yield number, {**raw, "day": day, "slug": f"{raw.get('slug') or ''}-{day}".lstrip("-")}, part
        else:
            yield number, raw, 0


def stamp_updated(pairs):
    """Set updated_at of meetings [(pk, datetime)] in one statement run for each (a bulk_update's CASE is slow)."""
    if not pairs:
        return
    field = Meeting._meta.get_field("updated_at")
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {connection.ops.quote_name(Meeting._meta.db_table)} SET {connection.ops.quote_name(field.column)} "
            f"= %s WHERE {connection.ops.quote_name(Meeting._meta.pk.column)} = %s",
            [(field.get_db_prep_value(when, connection), pk) for pk, when in pairs],
        )


def plain(value):
    """A choice as its stored text (Status.ARCHIVED and "archived" print differently)."""
    return str(value) if isinstance(value, str) else value


def fingerprint(state):
    return hashlib.sha256(repr(state).encode()).hexdigest()


def type_lookup():
    """{Meeting Guide code: our type id}; where several of ours share a code, the one named like it."""
    lookup = {}
    for t in MeetingType.objects.exclude(mg_code="").order_by("position"):
        if t.mg_code not in lookup or t.code == t.mg_code:
            lookup[t.mg_code] = t.pk
    return lookup


class AreaTree:
    """The target area's sub-areas by name; regions of the feed that have none are created below it."""

    def __init__(self, areas, root, report):
        self.root, self.report = root, report
        self.children = defaultdict(dict)
        for area in areas:
            self.children[area.parent_id][area.name.casefold()] = area
        self.slugs = {area.slug for area in areas}
        self.new = []

    def for_path(self, regions):
        node = self.root
        path = [self.root.name]
        for name in regions:
            key = node.pk if node.pk else id(node)
            found = self.children[key].get(name.casefold())
            path.append(name)
            if found is None:
                found = ServiceArea(
                    name=name,
                    slug=free_slug(slugify(name)[:110] or "region", self.slugs, 120),
                    parent=node,
                    level=ServiceArea.Level.DISTRICT,
                    timezone=node.timezone,
                )
                self.children[key][name.casefold()] = found
                self.new.append(found)
                self.report.new_areas.append(" › ".join(path))
            node = found
        return node

    def create(self):
        for area in self.new:  # parents first: in the order they were met
            area.parent = area.parent
            area.save()


class Places:
    """Locations found by everything the feed says of them; a place told two ways is kept twice, and reported."""

    FIELDS = ("name", "address", "city", "state", "postal_code", "country", "latitude", "longitude",
              "approximate", "notes")  # fmt: skip

    def __init__(self, existing, candidates, report):
        self.report = report
        self.by_key, self.by_identity = {}, defaultdict(list)
        for location in existing:
            values = {name: getattr(location, name) for name in self.FIELDS}
            self.by_key[self.key(values)] = location
            self.by_identity[self.identity(values)].append(location)
        variants = defaultdict(dict)
        for candidate in candidates:
            if candidate.place:
                variants[self.identity(candidate.place)].setdefault(self.key(candidate.place), candidate.numbers[0])
        self.told_twice = {identity for identity, keys in variants.items() if len(keys) > 1}
        for identity in self.told_twice:
            rows = ", ".join(str(n) for n in sorted(variants[identity].values()))
            self.report.notes.append(
                _(
                    "The place '%(place)s' is described in different ways (directions, pin or 'approximate') "
                    "by rows %(rows)s: each way is kept as its own location; merge them in the admin if they are one."
                )
                % {"place": ", ".join(part for part in identity[:3] if part), "rows": rows}
            )
        self.new, self.changed = [], []

    def key(self, values):
        return tuple(values.get(name) if values.get(name) is not None else "" for name in self.FIELDS)

    def identity(self, values):
        return tuple(values.get(name) or "" for name in ("name", "address", "city", "postal_code", "country"))

    def find(self, place, area):
        key = self.key(place)
        location = self.by_key.get(key)
        if location is not None:
            return location
        identity = self.identity(place)
        same = self.by_identity.get(identity, [])
        if identity not in self.told_twice and len(same) == 1 and same[0].pk is not None:
            location = same[0]  # the source moved the pin or changed the directions
            manual = location.pin_source == PinSource.MANUAL
            for name in self.FIELDS:
                if not (manual and name in ("latitude", "longitude")):
                    setattr(location, name, place[name])
            if location not in self.changed:
                self.changed.append(location)
            self.by_key[key] = location
            return location
        location = Location(area=area, pin_source=PinSource.IMPORT, **{name: place[name] for name in self.FIELDS})
        location.timezone = ""
        self.by_key[key] = location
        self.by_identity[identity].append(location)
        self.new.append(location)
        return location

    def write(self, history):
        from meetings import geo

        for location in self.new:
            location.area_id = location.area.pk
            has_pin = location.latitude is not None and location.longitude is not None
            location.timezone = (has_pin and geo.timezone_at(location.latitude, location.longitude)) or (
                location.area.timezone
            )
        bulk_create_with_history(self.new, Location, batch_size=BATCH, **history)
        if self.changed:
            Location.objects.bulk_update(self.changed, list(self.FIELDS), batch_size=BATCH)
            Location.history.bulk_history_create(self.changed, update=True, **history)


def fetch_feed(url, kind=None):
    """Rows of the feed at an http(s) URL (a published Google Sheet too), fetched safely (see meetings.outbound)."""
    from meetings import outbound

    address = reading.google_sheet_csv_url(url)
    try:
        data, content_type = outbound.fetch(address, max_bytes=reading.MAX_FEED_BYTES)
    except outbound.FetchError as error:
        raise FeedError(str(error)) from None
    kind = kind or reading.guess_kind(address) or ("csv" if "csv" in content_type else None)
    return reading.read_feed(data, kind)
