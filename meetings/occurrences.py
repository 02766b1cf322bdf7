"""The real dates of meetings, kept in the Occurrence table for the coming weeks.

Written from each time's rule (schedule.Rule) and the meeting's dated changes
(cancelled, closed, moved) whenever a meeting, one of its times or one of its
changes is saved, and extended day by day by `manage.py extend_occurrences`
(cron or a systemd timer: see the README). Searches for "today", "upcoming"
and the now-first order then read a range of instants from an index.
"""

import datetime as dt
import threading
from contextlib import contextmanager
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import F, Max, OuterRef, Prefetch, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils import timezone

from meetings import freshness
from meetings.models import ChangeKind, Meeting, MeetingTime, Occurrence, OccurrenceState, ScheduleChange, Status

HORIZON_DAYS = 42  # six weeks: every monthly "1st", "3rd" or "last" day of the week comes at least once
KEEP_PAST_DAYS = 2  # yesterday's late meetings may still be under way somewhere


def window(today=None):
    """(first, last) local dates kept: from yesterday (a zone behind UTC) to the horizon."""
    today = today or timezone.now().date()
    return today - dt.timedelta(days=1), today + dt.timedelta(days=HORIZON_DAYS)


class DateRow(NamedTuple):
    """An Occurrence to write, as plain values: the daily job writes hundreds of thousands of them."""

    meeting_id: int
    meeting_time_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    local_date: dt.date
    local_weekday: int
    local_start: dt.time
    state: str
    change_id: int | None


def dates_of(meeting, since, until):
    """DateRows of `meeting` (its times and schedule_changes loaded) on local dates since..until."""
    if meeting.status == Status.ARCHIVED:
        return []
    times = list(meeting.times.all())
    changes = list(meeting.schedule_changes.all())
    found = []
    for meeting_time in times:
        rule = meeting_time.rule
        for day in rule.dates(since, until):
            state, change = state_on(day, meeting_time, changes, len(times))
            found.append(occurrence(meeting, meeting_time, *rule.instant(meeting.timezone, day), state, change))
    for change in changes:
        if change.kind != ChangeKind.MOVED:
            continue
        meeting_time = change.meeting_time or (times[0] if len(times) == 1 else None)
        day = change.new_date or change.date
        if meeting_time is None or not since <= day <= until or not meeting_time.rule.dates(change.date, change.date):
            continue  # a move must be from a date the time meets
        start = change.new_start or meeting_time.start_time
        end = change.new_end if change.new_start else meeting_time.end_time
        begins, ends = meeting_time.rule.instant(meeting.timezone, day, start=start, end=end)
        found.append(occurrence(meeting, meeting_time, begins, ends, OccurrenceState.MOVED_HERE, change))
    return found


def state_on(day, meeting_time, changes, time_count):
    """What the dated changes say of `meeting_time` on `day`: (state, the change) or (SCHEDULED, None)."""
    for change in changes:
        applies = change.meeting_time_id in (None, meeting_time.pk)
        if change.kind == ChangeKind.MOVED and change.meeting_time_id is None and time_count > 1:
            applies = False
        if not applies:
            continue
        if change.kind == ChangeKind.CANCELLED and change.date == day:
            return OccurrenceState.CANCELLED, change
        if change.kind == ChangeKind.CLOSED and change.until and change.date <= day < change.until:
            return OccurrenceState.CLOSED, change
        if change.kind == ChangeKind.MOVED and change.date == day:
            return OccurrenceState.MOVED_AWAY, change
    return OccurrenceState.SCHEDULED, None


def occurrence(meeting, meeting_time, begins, ends, state, change):
    local_start = begins.time().replace(tzinfo=None)
    weekday = (begins.weekday() + 1) % 7
    return DateRow(meeting.pk, meeting_time.pk, begins, ends, begins.date(), weekday, local_start, state,
                   change.pk if change else None)  # fmt: skip


ROWS_PER_STATEMENT = 3000  # 27,000 parameters: under PostgreSQL's 65,535


def write(rows):
    """Insert DateRows in as few statements as the database takes well: a tenth of bulk_create's time.

    SQLite runs an executemany in-process at once. psycopg2 sends one as a
    statement per row, so PostgreSQL gets one INSERT of many rows instead: at
    12,000 dates (an import of 2,000 rows) the round trips took 3.6 s.
    """
    if not rows:
        return
    meta, ops = Occurrence._meta, connection.ops
    columns = [meta.get_field(name).column for name in DateRow._fields]
    head = f"INSERT INTO {ops.quote_name(meta.db_table)} ({', '.join(ops.quote_name(c) for c in columns)}) VALUES "
    one = f"({', '.join(['%s'] * len(columns))})"
    moment, day, time = ops.adapt_datetimefield_value, ops.adapt_datefield_value, ops.adapt_timefield_value
    params = [
        (r.meeting_id, r.meeting_time_id, moment(r.starts_at), moment(r.ends_at), day(r.local_date),
         r.local_weekday, time(r.local_start), r.state, r.change_id)
        for r in rows
    ]  # fmt: skip
    with connection.cursor() as cursor:
        for first in range(0, len(params), ROWS_PER_STATEMENT):
            chunk = params[first : first + ROWS_PER_STATEMENT]
            if connection.vendor == "postgresql":
                cursor.execute(head + ", ".join([one] * len(chunk)), [value for row in chunk for value in row])
            else:
                cursor.executemany(head + one, chunk)


def locked_with_schedules(meeting_ids):
    """The meetings of these ids with what dates_of() reads (with_schedules), their rows locked until the
    transaction ends, in the order of their ids (PostgreSQL; SQLite writes one transaction at a time anyway).

    A save and the daily job then never write one meeting's dates at once:
    each would have deleted the dates it saw and written its own, twice
    over, and the job's days (mark_weekdays) could have been read from a
    snapshot taken before the save's dates.
    """
    return list(with_schedules(Meeting.objects.filter(pk__in=meeting_ids)).select_for_update().order_by("pk"))


def mark_weekdays(meeting_ids):
    """Write each meeting's `weekdays` from the dates it has now: a bit for each day of the week (Sunday's the
    lowest, as Occurrence.local_weekday counts) that one of its dates falls on. One UPDATE per 2,000 meetings.

    Everything that writes dates calls it (refresh, extend), so a meeting's
    days always include those of its dates, moved ones too: a search near a
    place for some days reads the dates only of the meetings with one of
    them (OccurrenceQuerySet.on_local_days). Dates already over may leave a
    day marked until the meeting's next save: more dates looked up, none missed.
    """
    ids = list(meeting_ids)
    # 1 << weekday, summed once per distinct day: the bits of the days, on both databases.
    days = (
        Occurrence.objects.filter(meeting_id=OuterRef("pk"))
        .order_by()
        .values("meeting_id")
        .annotate(bits=Sum(Value(1).bitleftshift(F("local_weekday")), distinct=True))
        .values("bits")
    )
    found = Coalesce(Subquery(days), 0)
    for first in range(0, len(ids), 2000):
        # Only the rows whose days changed: the daily job would otherwise write every meeting's row again.
        Meeting.objects.filter(pk__in=ids[first : first + 2000]).exclude(weekdays=found).update(weekdays=found)


def with_schedules(meetings):
    """`meetings` with what dates_of() reads, in two more queries."""
    return meetings.only("pk", "timezone", "status").prefetch_related(
        Prefetch("times", queryset=MeetingTime.objects.order_by("pk")),
        Prefetch("schedule_changes", queryset=ScheduleChange.objects.order_by("date", "pk")),
    )


def refresh(meeting_ids, today=None):
    """Write again the dates of these meetings, from yesterday to the horizon.

    The listings version is bumped by what calls this (a save's signal, an import): extend() bumps its own.
    """
    since, until = window(today)
    ids = list(meeting_ids)
    with transaction.atomic():
        meetings = locked_with_schedules(ids)  # the daily job waits, or is waited for
        Occurrence.objects.filter(meeting_id__in=ids, local_date__gte=since).delete()
        rows = [row for meeting in meetings for row in dates_of(meeting, since, until)]
        write(rows)
        mark_weekdays(ids)
    return len(rows)


def extend(today=None, batch=2000, progress=None):
    """Keep every meeting's dates up to the horizon and forget those past: the daily job.

    Meetings are read in batches of ids; for each batch the dates from the
    old horizon on are written again, so a meeting saved since the last run
    is not written twice. Returns (dates written, dates removed).
    """
    since, until = window(today)
    last = horizon()
    start = max(since, (last + dt.timedelta(days=1)) if last else since)
    written = 0
    ids = list(Meeting.objects.exclude(status=Status.ARCHIVED).order_by("pk").values_list("pk", flat=True))
    for first in range(0, len(ids), batch):
        with transaction.atomic():
            meetings = locked_with_schedules(ids[first : first + batch])  # a save writing one's dates waits
            chunk = [meeting.pk for meeting in meetings]
            Occurrence.objects.filter(meeting_id__in=chunk, local_date__gte=start).delete()
            rows = [row for meeting in meetings for row in dates_of(meeting, start, until)]
            write(rows)
            mark_weekdays(chunk)
        written += len(rows)
        if progress:
            progress(min(first + batch, len(ids)), len(ids))
    removed, _ = Occurrence.objects.filter(local_date__lt=since - dt.timedelta(days=KEEP_PAST_DAYS - 1)).delete()
    freshness.dates_rewritten()
    return written, removed


def horizon():
    """The date of the last start the table holds (from the end of its index), or None when it is empty."""
    last = Occurrence.objects.aggregate(last=Max("starts_at"))["last"]
    return last.date() if last else None


def falling_short(today=None):
    """The table's last date when it reaches less than two weeks ahead (the daily job is not running), else None."""
    last = horizon()
    today = today or timezone.now().date()
    if last is not None and last < today + dt.timedelta(days=14):
        return last
    return None


_deferred = threading.local()


@contextmanager
def deferred():
    """Write the dates of every meeting saved inside this block once, at its end (imports, demo data)."""
    outer = getattr(_deferred, "ids", None)
    _deferred.ids = set() if outer is None else outer
    try:
        yield
        if outer is None and _deferred.ids:
            refresh(_deferred.ids)
    finally:
        if outer is None:
            _deferred.ids = None


def refresh_after_change(sender, instance, raw=False, **kwargs):
    if raw:
        return  # fixtures: extend_occurrences writes their dates
    meeting_id = instance.pk if sender is Meeting else instance.meeting_id
    if not meeting_id:
        return
    waiting = getattr(_deferred, "ids", None)
    if waiting is not None:
        waiting.add(meeting_id)
    elif sender is not Meeting or Meeting.objects.filter(pk=meeting_id).exists():
        refresh([meeting_id])


def fill_after_migrate(sender, using="default", **kwargs):
    """After `migrate`, reach the horizon if the table falls short of it (a new install, or the first migration)."""
    since, until = window()
    if Meeting.objects.using(using).exists() and (horizon() or since) < until:
        extend()


def connect(app_config):
    post_migrate.connect(fill_after_migrate, sender=app_config, dispatch_uid="occurrences-after-migrate")
    for model in (Meeting, MeetingTime, ScheduleChange):
        label = model._meta.label
        post_save.connect(refresh_after_change, sender=model, dispatch_uid=f"occurrences-save-{label}")
        if model is not Meeting:  # a deleted meeting's dates go with it (CASCADE)
            post_delete.connect(refresh_after_change, sender=model, dispatch_uid=f"occurrences-delete-{label}")
