"""The plan of an import: every row read, merged into meetings and matched with ours, without writing anything."""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from groups.models import Group, ServiceArea
from meetings.importing.matching import MEETING_FIELDS, AreaTree, Places, fingerprint, plain, type_lookup
from meetings.importing.writing import Writing
from meetings.meeting_guide import reading
from meetings.meeting_guide.reading import RULE_FIELDS, Problem
from meetings.models import FeedSource, Location, Meeting, MeetingTime
from meetings.schedule import timezone_names

# Fields we read. Others are listed in the report as left out, with their count.
READ_FIELDS = set(reading.STRING_FIELDS) | {"day", "time", "end_time", "types", "latitude", "longitude", "regions"}
READ_FIELDS |= {"schedule", *reading.RULE_EXPORT_FIELDS}
# What this directory publishes of its own (its pages, its volunteers): a source's values are not kept.
PUBLISHER_FIELDS = {
    "url", "edit_url", "feedback_url", "feedback_emails", "entity", "entity_email", "entity_phone", "entity_url",
    "entity_location", "entity_logo", "entity_website_url", "id", "location_id", "region_id", "group_id",
    "location_url", "time_formatted", "attendance_option", "last_contact", "data_source", "author",
}  # fmt: skip


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


class Plan(Writing):
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
        self.meeting_slugs = set(Meeting.objects.order_by().values_list("slug", flat=True))  # a set: no sort
        self.feed_slugs = set(MeetingTime.objects.exclude(feed_slug="").order_by().values_list("feed_slug", flat=True))
        self.feed_slugs |= set(Meeting.objects.filter(times__isnull=True).order_by().values_list("slug", flat=True))
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
        times = sorted(
            (t.weekday, t.start_time, t.end_time, tuple(getattr(t, name) for name in RULE_FIELDS))
            for t in self.current_times[meeting.pk]
        )
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


def expand_days(rows):
    """(row number, row, part) of each row; a row with a list of days is one row per day, slug `<slug>-<day>`."""
    for number, raw in enumerate(rows, start=1):
        days = raw.get("day") if isinstance(raw, dict) else None
        if isinstance(days, list) and days and all(isinstance(d, (int, str)) for d in days):
            for part, day in enumerate(days):
                yield number, {**raw, "day": day, "slug": f"{raw.get('slug') or ''}-{day}".lstrip("-")}, part
        else:
            yield number, raw, 0
