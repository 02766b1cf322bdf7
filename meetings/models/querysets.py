"""QuerySet verbs for locations, meetings and their times, shared by every page, feed, print list and the admin.

Who sees what is decided here and nowhere else:
- `public()`: everything a visitor or another app may see of the directory
  (pages, the API, the Meeting Guide feed and its CSV, the sitemap):
  archived meetings are left out, temporarily closed ones stay, marked.
- `active()`: meetings people can go to now (calendars, printed lists,
  "starting soon"): temporarily closed ones are left out too.
The data-quality rules (a place that needs a pin, a listing not verified for
six months, probable duplicates) are verbs too, used by the admin's filters
and the quality page alike.
"""

import datetime as dt
from collections import defaultdict

from django.core.cache import cache
from django.db import connections, models
from django.db.models.expressions import RawSQL, Window
from django.db.models.functions import Mod, RowNumber
from django.db.models.lookups import GreaterThan, In

from groups.models import ServiceArea
from meetings import geo, schedule, search_text, text
from meetings.freshness import versioned_key
from meetings.models.choices import Access, Attendance, OccurrenceState, PinSource, Status

# A list on each meeting (Meeting.type_list()), not a prefetched manager: Django builds a manager and a queryset
# per meeting for those, which cost more than the query on a page of 100 cards.
LISTED_TYPES = models.Prefetch("meeting__types", to_attr="listed_types")

STALE_AFTER = dt.timedelta(days=183)
# How many meetings must have a search's words for SQLite to walk the dates in order (OccurrenceQuerySet.walked).
MANY_MEETINGS = 2000
# A type held by at most this many meetings is asked for on PostgreSQL as the list of their ids (with_types).
FEW_MEETINGS = 5000
# Dates lasting longer are few and read from their own index; the others all started less than this ago when they end
# after now (OccurrenceQuerySet.under_way_since).
LONG_DATE = dt.timedelta(hours=3)


def prefixed(condition, prefix):
    """The same Q with every lookup seen from another model ("status" -> "meeting__status")."""
    if not prefix:
        return condition
    copy = models.Q()
    copy.connector, copy.negated = condition.connector, condition.negated
    copy.children = [
        prefixed(child, prefix) if isinstance(child, models.Q) else (prefix + child[0], child[1])
        for child in condition.children
    ]
    return copy


class Lasting(models.Func):
    """How long a date lasts, in seconds: the expression of occurrence_lasting_idx (migration 0014).

    Written the same in the index and in a query, so each database reads
    the index for it: julianday() on SQLite (which stores instants as text),
    date_part() on PostgreSQL (immutable, as an index needs).
    """

    output_field = models.FloatField()

    def __init__(self):
        super().__init__(models.F("ends_at"), models.F("starts_at"))

    def parts(self, compiler):
        ends, ends_params = compiler.compile(self.source_expressions[0])
        starts, starts_params = compiler.compile(self.source_expressions[1])
        return ends, starts, [*ends_params, *starts_params]

    def as_sql(self, compiler, connection, **extra):
        ends, starts, params = self.parts(compiler)
        return f"date_part('epoch', ({ends} - {starts}))", params

    def as_sqlite(self, compiler, connection, **extra):
        ends, starts, params = self.parts(compiler)
        return f"((julianday({ends}) - julianday({starts})) * 86400.0)", params


class AnyOf(models.Func):
    """`column = ANY('{1,5,9}'::bigint[])`: the column's value is one of the ids of one array literal (PostgreSQL).

    The literal is one parameter, read once as a constant: PostgreSQL looks
    each row's value up in a hash of it (see with_types).
    """

    output_field = models.BooleanField()

    def __init__(self, column, ids):
        super().__init__(models.F(column), models.Value(ids))

    def as_sql(self, compiler, connection, **extra):
        column, column_params = compiler.compile(self.source_expressions[0])
        ids, ids_params = compiler.compile(self.source_expressions[1])
        return f"{column} = ANY(({ids})::bigint[])", [*column_params, *ids_params]


class ListingQuerySet(models.QuerySet):
    """Verbs shared by meetings and their weekly times.

    Search results are weekly times (a meeting held on three days shows under
    each day), so every meeting-level verb is written once and applied through
    `meeting_prefix` on the MeetingTime queryset.
    """

    meeting_prefix = ""

    def _where(self, condition):
        return self.filter(prefixed(condition, self.meeting_prefix))

    def meeting_model(self):
        return self.model._meta.get_field("meeting").related_model if self.meeting_prefix else self.model

    def active(self):
        """Meetings being held: what calendars, printed lists and "starting soon" show."""
        return self._where(models.Q(status=Status.ACTIVE))

    def public(self):
        """Everything a visitor or an app may see: not archived (temporarily closed ones are shown as such)."""
        return self.exclude(prefixed(models.Q(status=Status.ARCHIVED), self.meeting_prefix))

    def in_area(self, *areas):
        return self._where(models.Q(area_id__in=ServiceArea.objects.descendant_ids(areas)))

    def open(self):
        return self._where(models.Q(access=Access.OPEN))

    def closed(self):
        return self._where(models.Q(access=Access.CLOSED))

    def in_language(self, code):
        return self._where(models.Q(language=code))

    def with_types(self, codes, by_list=False):
        """Meetings that have every one of `codes`: a plain subquery per code (the meetings that have it).

        One subquery counting each meeting's codes (GROUP BY ... HAVING) was
        estimated by PostgreSQL at a few dozen meetings where there are
        thousands: near a ZIP it then compared each meeting in the box with
        every meeting of the type (`type=D` within 10 miles: 20 million
        comparisons, 1.1 s). It estimates a plain subquery from its statistics.

        `by_list` (no place leads the search): on PostgreSQL a type few
        meetings have (women's, young people's: 2% at 100,000 meetings) is
        asked for as the list of their ids instead, one array literal kept
        under the listings version (few_type_members). Walking the week's
        dates in order, the search looked each date's meeting up in the types'
        index and passed over 49 dates in 50; it now looks them up in a hash
        of the list (`type=W`: 55 -> 10 ms of SQL). A common type keeps its
        subquery, which measured faster than a long list, and so do a search
        near a place, whose box finds fewer meetings than the type, and one
        for two types or more (women's discussion meetings: 44 -> 53 ms).
        """
        meeting_model = self.meeting_model()
        through = meeting_model.types.through.objects
        ids = type_ids(meeting_model)
        condition, found = models.Q(), self
        listed = by_list and len(set(codes)) == 1 and not self.on_sqlite()
        for code in sorted(set(codes)):
            members = few_type_members(meeting_model, ids[code]) if listed and code in ids else None
            if members is not None:
                found = found.filter(AnyOf(f"{self.meeting_prefix}pk", members))
                continue
            having = through.filter(meetingtype_id=ids[code]) if code in ids else through.filter(meetingtype__code=code)
            condition &= models.Q(pk__in=having.values("meeting_id"))
        return found._where(condition) if condition else found

    def attendable(self, *kinds):
        """Meetings a person can attend in any of `kinds` (see Attendance).

        'online' includes hybrid meetings with a join link, 'in_person' includes
        hybrid ones; 'hybrid' is a place plus a link or phone.
        """
        condition = models.Q(pk__in=[])
        for kind in kinds:
            condition |= ATTENDANCE_CONDITIONS[kind]
        return self._where(condition)

    def matching(self, value, use_index=True, walked=False):
        """Every word of `value` in the name, group, place, address, city or notes, ignoring case and accents.

        One LIKE per word on the meeting's stored search text (meetings/search_text.py),
        which PostgreSQL serves from a trigram index; words are folded as that text is.
        SQLite has no index for a LIKE: there the meetings are first narrowed to
        those its trigram full-text index finds (words of three characters or
        more), and the LIKE keeps the results exactly the same. `use_index=False`
        when another condition finds fewer meetings (a place's box): SQLite
        would otherwise start from the words' many meetings. `walked` when the
        caller walks the dates in order (OccurrenceQuerySet.walked): each date's
        meeting is then looked up in the index's list, not the other way round.
        """
        qs = self
        indexed = use_index and search_text.has_index(connections[self.db])
        words = text.fold(value).split()[:10]
        looked_up = [word for word in words if indexed and len(word) >= search_text.INDEXED_LENGTH]
        for word in words:
            condition = models.Q(search_text__contains=word)
            if word in looked_up and not walked:
                condition &= models.Q(pk__in=search_text.indexed_matches(word))
            qs = qs._where(condition)
        if looked_up and walked:
            # Its meeting's id as an expression, which SQLite cannot look up the other way (from the list).
            meeting_id = models.ExpressionWrapper(models.F("meeting_id") + 0, output_field=models.IntegerField())
            qs = qs.filter(In(meeting_id, search_text.indexed_matches(*looked_up)))
        return qs

    def on_sqlite(self):
        return connections[self.db].vendor == "sqlite"

    def many_have(self, value):
        """True when SQLite's trigram index finds MANY_MEETINGS or more meetings with the words of `value`.

        False on PostgreSQL, or for words too short for the index. It stops
        counting there: a fraction of a millisecond at 100,000 meetings.
        """
        connection = connections[self.db]
        if not search_text.has_index(connection):
            return False
        looked_up = [word for word in text.fold(value).split()[:10] if len(word) >= search_text.INDEXED_LENGTH]
        return bool(looked_up) and search_text.found_in_many(connection, looked_up, MANY_MEETINGS)

    def near(self, latitude, longitude, radius_km):
        """Within `radius_km` of a point, annotated with `distance_km`.

        A bounding box on the indexed coordinates narrows the rows before the
        great-circle distance is computed.
        """
        box = geo.bounding_box(latitude, longitude, radius_km)
        location = f"{self.meeting_prefix}location__"
        return (
            self._where(
                models.Q(
                    location__approximate=False,
                    location__latitude__range=(box.south, box.north),
                    location__longitude__range=(box.west, box.east),
                )
            )
            .annotate(
                distance_km=geo.distance_expression(
                    latitude, longitude, lat_field=f"{location}latitude", lng_field=f"{location}longitude"
                )
            )
            .filter(distance_km__lte=radius_km)
        )


class MeetingQuerySet(ListingQuerySet):
    def for_page(self):
        """With everything a meeting's page and calendar show (place, group, area, times, types, dated changes),
        in a fixed number of queries."""
        return self.select_related("location", "group", "area").prefetch_related("times", "types", "schedule_changes")

    def on_days(self, days):
        return self.filter(times__weekday__in=list(days)).distinct()

    def stale(self, today):
        """Not verified by a volunteer for six months, or never."""
        return self.filter(models.Q(last_verified__isnull=True) | models.Q(last_verified__lt=today - STALE_AFTER))

    def changed_since(self, moment):
        """Saved since `moment`: by a volunteer (its times and types are saved with it), an import or a sync."""
        return self.filter(updated_at__gte=moment)

    def unconfirmed(self, today, days=None):
        """Not confirmed by the group itself ("still meeting?") for six months (or `days`), or never."""
        since = today - (STALE_AFTER if days is None else dt.timedelta(days=days))
        return self.filter(models.Q(confirmed_by_group_on__isnull=True) | models.Q(confirmed_by_group_on__lt=since))

    def probable_duplicates(self):
        """Meetings with another public meeting at the same place on a day and at a time they share."""
        MeetingTime = self.model._meta.get_field("times").related_model
        mine = MeetingTime.objects.filter(meeting_id=models.OuterRef(models.OuterRef("pk")))
        twin = (
            MeetingTime.objects.public()
            .filter(
                meeting__location_id=models.OuterRef("location_id"),
                weekday__in=mine.values("weekday"),
                start_time__in=mine.values("start_time"),
            )
            .exclude(meeting_id=models.OuterRef("pk"))
        )
        return self.filter(location__isnull=False).filter(models.Exists(twin))

    def at_places_needing_a_pin(self):
        Location = self.model._meta.get_field("location").related_model
        return self.filter(location__in=Location.objects.needs_pin())

    def zones(self):
        """The time zones meetings are held in: a handful.

        Reading them is a scan of every meeting, and a search by time asks two
        or three times: kept in the cache until the next save.
        """
        zones = self.model.objects.order_by().values_list("timezone", flat=True).distinct()
        return cache.get_or_set(versioned_key("meeting-zones"), lambda: list(zones), timeout=24 * 3600)


class LocationQuerySet(models.QuerySet):
    def needs_pin(self):
        """In-person places that are not on the map: no pin yet, or the geocoder could not find them."""
        no_pin = models.Q(latitude__isnull=True) | models.Q(longitude__isnull=True)
        return self.filter(no_pin | models.Q(pin_source=PinSource.FAILED), approximate=False)


PHYSICAL = models.Q(location__isnull=False, location__approximate=False)
HAS_URL = ~models.Q(conference_url="")
HAS_PHONE = ~models.Q(conference_phone="")


ATTENDANCE_CONDITIONS = {
    Attendance.IN_PERSON: PHYSICAL,
    Attendance.ONLINE: HAS_URL,
    Attendance.PHONE: HAS_PHONE,
    Attendance.HYBRID: PHYSICAL & (HAS_URL | HAS_PHONE),
}


class MeetingTimeQuerySet(ListingQuerySet):
    """A meeting's times (its rules), filtered by the verbs of their meeting and by when they happen.

    Printed lists, calendars, CSV and the Meeting Guide feed list times;
    time-ordered pages list their real dates (OccurrenceQuerySet).
    """

    meeting_prefix = "meeting__"

    def for_cards(self, *related, types=True):
        """With what a meeting card shows (its place and types), in a fixed number of queries.

        Pages that also show the group or the area ask for them:
        `for_cards("meeting__area")`. `types=False`: as OccurrenceQuerySet.for_cards.
        """
        times = self.select_related("meeting__location", *related)
        return times.prefetch_related(LISTED_TYPES) if types else times

    def zones(self):
        return self.meeting_model().objects.zones()

    def on_days(self, days):
        return self.filter(weekday__in=list(days))

    def on_local_days(self, now, days=(), days_ahead=(), led_by_day=True):
        """On any of the weekdays `days` (0-6), or meeting on the day `days_ahead` after today where each is held.

        "Today" answers from real dates: a monthly time is today only on the days it meets. `led_by_day`
        matters to dates only (OccurrenceQuerySet.on_local_days): weekly times are read in no such walk.
        """
        condition = models.Q(weekday__in=list(days))
        if days_ahead:
            dates = self.occurrence_model().objects.on_local_days(now, days_ahead=days_ahead)
            condition |= models.Q(pk__in=dates.values("meeting_time_id"))
        return self.filter(condition)

    def starting_within(self, windows):
        """Starting inside any of (start, end) windows; end before start wraps midnight."""
        return self.filter(time_windows_condition("start_time", windows))

    def starting_from(self, start):
        return self.filter(start_time__gte=start)

    def upcoming(self, now, horizon=dt.timedelta(hours=24)):
        """Under way now or starting within the horizon, from their real dates."""
        dates = self.occurrence_model().objects.upcoming(now, horizon)
        return self.filter(pk__in=dates.values("meeting_time_id"))

    def ordered_by(self, order, today=0):
        """By name, or by day and time from `today` (0-6): what printed lists and calendars use."""
        if order == "name":
            return self.order_by("meeting__name", "weekday", "start_time", "pk")
        if order == "distance":
            return self.order_by("distance_km", "weekday", "start_time", "pk")
        rank = Mod(models.F("weekday") - models.Value(today) + models.Value(7), models.Value(7))
        return self.annotate(day_rank=rank).order_by("day_rank", "start_time", "meeting__name", "pk")

    def occurrence_model(self):
        return self.model._meta.get_field("occurrences").related_model


class OccurrenceQuerySet(ListingQuerySet):
    """Real dates of meetings, filtered by the verbs of their meeting and by their local date and time.

    Each has its meeting directly (`meeting_id`), so a search's conditions on
    the meeting join once, and a range of instants reads the starts_at index in order.
    """

    meeting_prefix = "meeting__"

    def for_cards(self, *related, types=True):
        """With what a card shows: its time, place and change, and its meeting's types unless `types=False`.

        Pages whose cards come through card_parts.attach() say `types=False`:
        the types show only in the cards' fixed parts, which attach() reads for
        the cards whose parts are not kept.
        """
        dates = self.select_related("meeting_time", "meeting__location", "change", *related)
        return dates.prefetch_related(LISTED_TYPES) if types else dates

    def zones(self):
        return self.meeting_model().objects.zones()

    def on_days(self, days):
        return self.filter(local_weekday__in=list(days))

    def on_local_days(self, now, days=(), days_ahead=(), led_by_day=True):
        """On any of the weekdays `days`, or on the date `days_ahead` after today where each meeting is held.

        One weekday alone leads the search (`led_by_day`, unless a place
        does): its dates are read in order from the (weekday, start) index, a
        seventh of the week's, where every date of the week was read before
        and six in seven passed over (`day=2` 155 -> 3 ms on SQLite, 87 -> 3
        ms on PostgreSQL at 100,000 meetings; "Tuesday evening" 199 -> 10 and
        135 -> 10 ms). Several weekdays, or a place's box, read faster their
        own way, so there the weekday is asked of each date as an expression
        the index cannot serve (`day=1&day=3` read by that index: 143 -> 177
        and 65 -> 121 ms; near a ZIP on a weekday, 9 -> 20 ms on SQLite).
        """
        weekday = models.F("local_weekday")
        if not (led_by_day and len(days) == 1 and not days_ahead):
            weekday = models.ExpressionWrapper(weekday + 0, output_field=models.IntegerField())
        condition = models.Q(In(weekday, list(days)))
        asked = set(days)
        for offset in days_ahead:
            by_date = defaultdict(list)
            for name in self.zones():
                by_date[schedule.local_now(name, now).date() + dt.timedelta(days=offset)].append(name)
            for date, names in by_date.items():
                condition |= models.Q(local_date=date, meeting__timezone__in=names)
                asked.add(date.isoweekday() % 7)
        if not led_by_day and asked:
            # A place leads: its meetings come from the (location, status, name, weekdays) index, and only those
            # with a date on one of these days have their dates looked up (Meeting.weekdays). Near a ZIP on one
            # weekday at 100,000 meetings: 1,341 meetings' dates looked up -> 324; 3.3 -> 1.6 ms of SQL on
            # PostgreSQL, 2.5 -> 1.3 on SQLite. No days at all (0) is looked up too: a meeting added by a worker
            # of the release before the days were kept has its dates, but not yet their days.
            days_bits = sum(1 << day for day in asked)
            weekdays = models.F("meeting__weekdays")
            condition &= models.Q(GreaterThan(weekdays.bitand(days_bits), 0)) | models.Q(meeting__weekdays=0)
        return self.filter(condition)

    def starting_within(self, windows):
        return self.filter(time_windows_condition("local_start", windows))

    def starting_from(self, start):
        return self.filter(local_start__gte=start)

    def coming(self, now, days=7, walked=False):
        """Under way now, then the next `days` days, each meeting time once.

        Ending within the window, not starting: a weekly meeting under way now
        is not listed a second time as next week's. `walked`: see walked().
        """
        dates = self.filter(
            self.under_way_since(now, tight=walked),  # a bound the starts_at index can use
            ends_at__gt=now,
            ends_at__lte=now + dt.timedelta(days=days),
        )
        return dates.walked(now + dt.timedelta(days=days)) if walked else dates

    def walked(self, last_end):
        """The same dates, which SQLite finds by walking them in order of their start (ending by `last_end`).

        A search whose words many meetings have (many_have) finds a page in
        the first few thousand dates; starting from those meetings instead read
        each one's dates of the week (tens of thousands) to sort them all.
        SQLite's planner, without a histogram, walks dates in order only when
        their start is bounded on both sides. The bound leaves out no date
        that ends by `last_end`: a date starts before it ends, or, started in
        the hour a clock skips, less than an hour after; a day is room to
        spare. For a rare word the walk would read the whole week: the caller
        asks only for common words (matching(walked=True) then looks each
        date's meeting up in the index's list).
        """
        return self.filter(starts_at__lte=last_end + dt.timedelta(days=1))

    def upcoming(self, now, horizon=dt.timedelta(hours=24), tight=False):
        """Under way now, then starting within the horizon (24 hours). `tight`: see under_way_since()."""
        return self.filter(self.under_way_since(now, tight), ends_at__gt=now, starts_at__lte=now + horizon)

    def under_way_since(self, now, tight=False):
        """The condition on the start of dates ending after `now`: started less than MAX_EVENT_DURATION ago.

        Said so, it made a walk of the dates in order of their start read the
        whole last day (some 22,000 dates at 100,000 meetings) for the few
        hundred still under way. `tight` for such a walk (a results page): a
        date of LONG_DATE or less that ends after now started after now -
        LONG_DATE; the longer ones ending after now, usually none or a
        handful, are read from occurrence_lasting_idx (one more query,
        whichever dates this queryset holds). The condition is then on the
        start of the earliest of them, or now - LONG_DATE: the same dates,
        found from minutes ago. A minute's margin covers the rounding of the
        lengths.
        """
        earliest = now - schedule.MAX_EVENT_DURATION
        if not tight:
            return models.Q(starts_at__gt=earliest)
        long_ones = (
            self.model._base_manager.using(self.db)
            .alias(lasting=Lasting())
            .filter(lasting__gt=(LONG_DATE - dt.timedelta(minutes=1)).total_seconds(), ends_at__gt=now)
            .order_by()  # no ORDER BY nor MIN(): SQLite would walk the starts_at index for them
            .values_list("starts_at", flat=True)
        )
        since = min([now - LONG_DATE, *long_ones])
        if since <= earliest:  # a date longer than MAX_EVENT_DURATION (a day of 25 hours) ends after now
            return models.Q(starts_at__gt=earliest)
        return models.Q(starts_at__gte=since)

    def first_per_meeting(self):
        """Of these dates, each meeting's first: one card per meeting (its next date), when sorted by distance.

        Numbered within each meeting by a window function, not found by a
        subquery per date that repeated the whole search: near a ZIP at
        100,000 meetings, 57 -> 42 ms of SQL on SQLite and 53 -> 25 ms on
        PostgreSQL, 66 -> 28 and 34 -> 16 ms within 50 miles; the same dates.
        """
        nth = Window(RowNumber(), partition_by=[models.F("meeting_id")], order_by=[models.F("starts_at"), "pk"])
        return self.alias(nth_of_its_meeting=nth).filter(nth_of_its_meeting=1)

    def meeting(self):
        """Dates when the meeting is held: not cancelled, closed or moved away."""
        return self.filter(state__in=[OccurrenceState.SCHEDULED, OccurrenceState.MOVED_HERE])

    def ordered_by(self, order, today=0):
        """Now first: under way, then by their real start. Or by distance or name, then by start."""
        if order == "name":
            return self.order_by("meeting__name", "starts_at", "pk")
        if order == "distance":
            return self.order_by("distance_km", "starts_at", "pk")
        return self.order_by("starts_at", "meeting__name", "pk")

    def first_of_each_weekday(self, days, count):
        """The same dates, of which a caller reads at most the first `count`: found from each weekday's first `count`.

        A search for several weekdays ("Monday or Wednesday") asks the weekday
        of each date as an expression (on_local_days), so the database walked
        every date of the coming week in order, or sorted them all, for its
        first page. Each weekday alone reads its own dates in order from the
        (weekday, start) index, and the first `count` of the search are among
        the first `count` of its weekdays: one query, each weekday's first
        `count` dates in this queryset's order, joined (UNION ALL) as the ids
        it may hold. At 100,000 meetings, `day=1&day=3`: 179 -> 3 ms of SQL on
        SQLite, 91 -> 17 ms on PostgreSQL, the same ids. Only for callers that
        read no more than `count` (a page and its count, the API's), in this
        order, with nothing filtered after.
        """
        if len(days) < 2:
            return self
        parts, params = [], []
        for n, day in enumerate(days):
            first = self.filter(local_weekday=day).values("pk")[:count]
            sql, arm_params = first.query.get_compiler(using=self.db).as_sql()
            parts.append(f"SELECT * FROM ({sql}) AS day_{n}")  # SQLite allows LIMIT in a UNION's parts only so
            params.extend(arm_params)
        return self.filter(pk__in=RawSQL(" UNION ALL ".join(parts), params))


def type_ids(meeting_model):
    """{code: id} of the meeting types, kept under the listings version (a type's save bumps it).

    A search asks for a type by its id: PostgreSQL then estimates how many
    meetings have it from the column's statistics (2% for women, 17% for
    discussion), where a join on the code left it guessing alike for all.
    """
    types = meeting_model._meta.get_field("types").related_model
    ids = types.objects.values_list("code", "pk")
    return cache.get_or_set(versioned_key("meeting-type-ids"), lambda: dict(ids), timeout=24 * 3600)


def few_type_members(meeting_model, type_id):
    """The ids of the meetings of a type as an array literal ("{3,17,52}"), if FEW_MEETINGS or fewer have it; else
    None. Kept under the listings version: adding a type to a meeting, or removing it, bumps it."""
    through = meeting_model.types.through.objects

    def members():
        found = list(
            through.filter(meetingtype_id=type_id).order_by().values_list("meeting_id", flat=True)[: FEW_MEETINGS + 1]
        )
        return "{" + ",".join(map(str, sorted(found))) + "}" if len(found) <= FEW_MEETINGS else ""

    return cache.get_or_set(versioned_key(f"meeting-type-members:{type_id}"), members, timeout=24 * 3600) or None


def time_windows_condition(field, windows):
    """`field` inside any of (start, end) windows; an end before the start wraps midnight."""
    condition = models.Q(pk__in=[])
    for start, end in windows:
        if start < end:
            condition |= models.Q(**{f"{field}__gte": start, f"{field}__lt": end})
        else:
            condition |= models.Q(**{f"{field}__gte": start}) | models.Q(**{f"{field}__lt": end})
    return condition


def changes_matter_since(now):
    """The first date a dated change can still matter on: yesterday (a zone behind UTC may still be on it)."""
    return now.date() - dt.timedelta(days=1)


class ScheduleChangeQuerySet(models.QuerySet):
    def upcoming(self, now):
        """Changes that still matter (ScheduleChange.matters says the same of one change already read)."""
        since = changes_matter_since(now)
        return self.filter(models.Q(date__gte=since) | models.Q(until__gt=since) | models.Q(new_date__gte=since))
