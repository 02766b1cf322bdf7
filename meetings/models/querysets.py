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
from django.db.models.functions import Mod

from groups.models import ServiceArea
from meetings import geo, schedule, text
from meetings.freshness import versioned_key
from meetings.models.choices import Access, Attendance, PinSource, Status

STALE_AFTER = dt.timedelta(days=183)


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

    def with_types(self, codes):
        """Meetings that have every one of `codes`, in one subquery however many codes are asked for."""
        codes = set(codes)
        if not codes:
            return self
        types = self.meeting_model().types.through.objects.filter(meetingtype__code__in=codes)
        having_all = (
            types.values("meeting_id")
            .annotate(found=models.Count("meetingtype_id", distinct=True))
            .filter(found=len(codes))
            .values("meeting_id")
        )
        return self._where(models.Q(pk__in=having_all))

    def attendable(self, *kinds):
        """Meetings a person can attend in any of `kinds` (see Attendance).

        'online' includes hybrid meetings with a join link, 'in_person' includes
        hybrid ones; 'hybrid' is a place plus a link or phone.
        """
        condition = models.Q(pk__in=[])
        for kind in kinds:
            condition |= ATTENDANCE_CONDITIONS[kind]
        return self._where(condition)

    def matching(self, value):
        """Every word of `value` in the name, group, place, address, city or notes, ignoring case and accents.

        One LIKE per word on the meeting's stored search text (meetings/search_text.py),
        which PostgreSQL serves from a trigram index; words are folded as that text is.
        """
        qs = self
        for word in text.fold(value).split()[:10]:
            qs = qs._where(models.Q(search_text__contains=word))
        return qs

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
        """With everything a meeting's page shows (place, group, area, times, types), in a fixed number of queries."""
        return self.select_related("location", "group", "area").prefetch_related("times", "types")

    def on_days(self, days):
        return self.filter(times__weekday__in=list(days)).distinct()

    def stale(self, today):
        """Not verified by a volunteer for six months, or never."""
        return self.filter(models.Q(last_verified__isnull=True) | models.Q(last_verified__lt=today - STALE_AFTER))

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
        key = versioned_key("meeting-zones")
        zones = cache.get(key)
        if zones is None:
            zones = list(self.model.objects.order_by().values_list("timezone", flat=True).distinct())
            cache.set(key, zones, timeout=24 * 3600)
        return zones


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


class MinuteOfDay(models.Func):
    """Minutes since midnight of a TimeField, in plain SQL.

    Django's ExtractHour/ExtractMinute call back into Python on SQLite, once
    per row; this stays inside the database on both backends.
    """

    output_field = models.IntegerField()

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="CAST(EXTRACT(HOUR FROM %(expressions)s) * 60 + EXTRACT(MINUTE FROM %(expressions)s) AS INTEGER)",
            **extra,
        )

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite stores times as 'HH:MM[:SS[.ffffff]]' text.
        return super().as_sql(
            compiler,
            connection,
            template=(
                "(CAST(substr(%(expressions)s, 1, 2) AS INTEGER) * 60 + CAST(substr(%(expressions)s, 4, 2) AS INTEGER))"
            ),
            **extra,
        )


class MeetingTimeQuerySet(ListingQuerySet):
    """A meeting's times, filtered by the verbs of their meeting and by when they happen."""

    meeting_prefix = "meeting__"

    def for_cards(self, *related):
        """With what a meeting card shows (its place and types), in a fixed number of queries.

        Pages that also show the group or the area ask for them:
        `for_cards("meeting__area")`. The results page does not, and saves two
        joins on its hottest query.
        """
        return self.select_related("meeting__location", *related).prefetch_related("meeting__types")

    def zones(self):
        return self.meeting_model().objects.zones()

    def on_days(self, days):
        return self.filter(weekday__in=list(days))

    def starting_within(self, windows):
        """Starting inside any of (start, end) windows; end before start wraps midnight."""
        condition = models.Q(pk__in=[])
        for start, end in windows:
            if start < end:
                condition |= models.Q(start_time__gte=start, start_time__lt=end)
            else:
                condition |= models.Q(start_time__gte=start) | models.Q(start_time__lt=end)
        return self.filter(condition)

    def starting_from(self, start):
        return self.filter(start_time__gte=start)

    def on_local_days(self, now, days=(), days_ahead=()):
        """On any of the weekdays `days` (0-6), or `days_ahead` days after today where each meeting is held.

        "Today" (days_ahead 0) is today in each meeting's own zone: a condition per zone.
        """
        condition = models.Q(weekday__in=list(days))
        for offset in days_ahead:
            condition |= local_day_condition(self.zones(), now, offset)
        return self.filter(condition)

    def with_week_position(self, now):
        """Annotate minutes since start and until the next start, each in the meeting's own zone.

        "Now" is worked out once per zone in Python (zoneinfo knows the DST
        rules), and zones that share a local time share one CASE branch.
        """
        now_minute = models.Case(
            *(
                models.When(meeting__timezone__in=names, then=models.Value(m))
                for m, names in zones_by_minute(self.zones(), now).items()
            ),
            default=models.Value(0),
            output_field=models.IntegerField(),
        )
        start_of_day = MinuteOfDay("start_time")
        start_minute = models.F("weekday") * 1440 + start_of_day
        end_of_day = MinuteOfDay("end_time")
        return self.annotate(
            since_start=Mod(now_minute - start_minute + WEEK_MINUTES, WEEK_MINUTES),
            until_start=Mod(start_minute - now_minute + WEEK_MINUTES, WEEK_MINUTES),
            length=models.Case(
                models.When(end_time__isnull=True, then=models.Value(60)),
                default=Mod(end_of_day - start_of_day + 1440, 1440),
                output_field=models.IntegerField(),
            ),
        )

    def upcoming(self, now, horizon_minutes=24 * 60):
        """Under way now, then starting within the horizon: across midnight and the week's end."""
        return (
            self.filter(
                week_window_condition(
                    self.zones(),
                    now,
                    schedule.MAX_DURATION_MINUTES,
                    horizon_minutes,
                    prefilter=connections[self.db].vendor == "postgresql",
                )
            )
            .with_week_position(now)
            .filter(models.Q(since_start__lt=models.F("length")) | models.Q(until_start__lte=horizon_minutes))
            .annotate(
                under_way=models.Case(
                    models.When(since_start__lt=models.F("length"), then=models.Value(0)),
                    default=models.Value(1),
                    output_field=models.IntegerField(),
                )
            )
            .order_by("under_way", "until_start", "meeting__name", "pk")
        )


WEEK_MINUTES = 7 * 24 * 60


def zones_by_minute(zones, now):
    """{minute of the week it is now in a zone: [zones]}: zones that share a local time share one branch of SQL."""
    found = defaultdict(list)
    for name in zones:
        found[schedule.minute_of_week(schedule.local_now(name, now))].append(name)
    return found


def week_window_condition(zones, now, before, after, prefilter=False):
    """Times starting between `before` minutes ago and `after` minutes ahead, in each meeting's zone (of `zones`).

    The exact test needs each meeting's zone, so a join. With `prefilter` it
    is ANDed with the union of every zone's window: plain ranges on the
    indexed (weekday, start_time) that the database can use before any join.
    PostgreSQL answers faster that way; SQLite, which then looks up a meeting
    per time instead of scanning meetings first, answers slower, so it is not
    asked there (the README has the figures).
    The windows may wrap midnight and the end of the week.
    """
    exact, spans = models.Q(pk__in=[]), defaultdict(list)
    for minute, names in zones_by_minute(zones, now).items():
        in_window = models.Q(pk__in=[])
        for day, first, last in week_ranges(minute, before, after):
            in_window |= day_range(day, first, last)
            spans[day].append((first, last))
        exact |= models.Q(meeting__timezone__in=names) & in_window
    if not prefilter:
        return exact
    union = models.Q(pk__in=[])
    for day, ranges in spans.items():
        for first, last in merged(ranges):
            union |= day_range(day, first, last)
    return union & exact


def week_ranges(minute, before, after):
    """(weekday, first, last minute of that day) pieces of [minute - before, minute + after] in the week."""
    start = minute - before
    while start < minute + after:
        day, offset = divmod(start % WEEK_MINUTES, 1440)
        end = min(minute + after, start + (1440 - offset))  # to the end of that day at most
        yield day, offset, offset + (end - start)  # the last may be 1440: up to midnight
        start = end


def day_range(day, first, last):
    upper = models.Q() if last >= 1440 else models.Q(start_time__lte=schedule.minutes_to_time(last))
    return models.Q(weekday=day, start_time__gte=schedule.minutes_to_time(first)) & upper


def merged(ranges):
    """Overlapping (first, last) ranges joined: [(0, 60), (30, 90), (200, 300)] -> [(0, 90), (200, 300)]."""
    joined = []
    for first, last in sorted(ranges):
        if joined and first <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], last))
        else:
            joined.append((first, last))
    return joined


def local_day_condition(zones, now, days_ahead=0):
    """Times on the local day `days_ahead` after `now`, in each meeting's own zone (of `zones`)."""
    by_day = defaultdict(list)
    for name in zones:
        by_day[(schedule.our_weekday(schedule.local_now(name, now)) + days_ahead) % 7].append(name)
    condition = models.Q(pk__in=[])
    for weekday, names in by_day.items():
        condition |= models.Q(weekday=weekday, meeting__timezone__in=names)
    return condition
