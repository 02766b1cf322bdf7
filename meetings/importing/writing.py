"""Applying a plan: bulk writes with their history, BATCH meetings per short transaction."""

import re

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from groups.models import Group
from meetings import occurrences, search_text
from meetings.freshness import bump_listings_version
from meetings.importing import matching
from meetings.importing.matching import MEETING_FIELDS, fingerprint
from meetings.meeting_guide.reading import RULE_FIELDS, Problem
from meetings.models import ChangeRequest, Meeting, MeetingTime
from meetings.models.listings import FEED_SLUG_LENGTH
from meetings.slugs import free_slug

SOURCE_SLUG = r"^[A-Za-z0-9._~-]+$"


class Writing:
    """The writing half of a Plan (a mixin: the plan's reading half decides, this half writes)."""

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
            bulk_create_with_history(self.new_groups, Group, batch_size=matching.BATCH, **history)
            if self.changed_groups:
                Group.objects.bulk_update(self.changed_groups, ["notes"], batch_size=matching.BATCH)
                Group.history.bulk_history_create(self.changed_groups, update=True, **history)
        work = self.creates + self.updates
        for start in range(0, len(work), matching.BATCH):
            with transaction.atomic():
                batch = work[start : start + matching.BATCH]
                self.write_meetings([c for c in batch if c.meeting is None], [c for c in batch if c.meeting], history)
            if progress:
                progress(min(start + matching.BATCH, len(work)), len(work), _("meetings written"))
        if self.archive:
            with transaction.atomic():
                for meeting in self.archive:
                    meeting.status = Meeting.Status.ARCHIVED
                    # Archived by the source, not edited here: back in the source, back in the list.
                    meeting.source_fingerprint = fingerprint(self.state_of(meeting))
                Meeting.objects.bulk_update(self.archive, ["status", "source_fingerprint"])
                Meeting.history.bulk_history_create(self.archive, update=True, **history)
                occurrences.refresh([meeting.pk for meeting in self.archive])  # an archived meeting has no dates
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
            ChangeRequest.objects.follow_their_meetings([c.meeting.pk for c in changed])
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
                weekday, start, end, rule = facts.time
                wanted = {"weekday": weekday, "start_time": start, "end_time": end, "source_slug": facts.slug,
                          **dict(zip(RULE_FIELDS, rule, strict=True))}  # fmt: skip
                slot = by_source.get(facts.slug) or by_slot.get((weekday, start))
                if slot is not None and slot.pk not in kept:
                    kept.add(slot.pk)
                    if any(getattr(slot, name) != value for name, value in wanted.items()):
                        for name, value in wanted.items():
                            setattr(slot, name, value)
                        changed.append(slot)
                    continue
                new.append(MeetingTime(meeting=meeting, feed_slug=self.feed_slug(facts, meeting), **wanted))
            gone += [t.pk for t in current if t.pk not in kept]
        if gone:
            MeetingTime.objects.filter(pk__in=gone).delete()  # one history record each, through the signal
        if changed:
            MeetingTime.objects.bulk_update(changed, ["weekday", "start_time", "end_time", "source_slug", *RULE_FIELDS])
            MeetingTime.history.bulk_history_create(changed, update=True, **history)
        bulk_create_with_history(new, MeetingTime, **history)
        occurrences.refresh({candidate.meeting.pk for candidate in candidates})  # bulk writes send no signals

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


def stamp_updated(pairs):
    """Set updated_at of meetings [(pk, datetime)]: a bulk_update's CASE is slow.

    SQLite runs one statement for each pair, in-process. psycopg2 sends an
    executemany as a round trip per row, so PostgreSQL gets one UPDATE
    joined with the pairs as a VALUES list.
    """
    if not pairs:
        return
    ops, field = connection.ops, Meeting._meta.get_field("updated_at")
    table, column, key = ops.quote_name(Meeting._meta.db_table), ops.quote_name(field.column), Meeting._meta.pk.column
    values = [(field.get_db_prep_value(when, connection), pk) for pk, when in pairs]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(f"UPDATE {table} SET {column} = %s WHERE {ops.quote_name(key)} = %s", values)
            return
        for first in range(0, len(values), PAIRS_PER_STATEMENT):
            chunk = values[first : first + PAIRS_PER_STATEMENT]
            rows = ", ".join(["(%s::timestamptz, %s::bigint)"] * len(chunk))
            cursor.execute(
                f"UPDATE {table} SET {column} = pairs.updated FROM (VALUES {rows}) AS pairs (updated, id) "
                f"WHERE {table}.{ops.quote_name(key)} = pairs.id",
                [value for pair in chunk for value in pair],
            )


PAIRS_PER_STATEMENT = 5000  # 10,000 parameters: well under PostgreSQL's 65,535
