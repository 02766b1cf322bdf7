import re
from collections import defaultdict

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models.functions import Mod
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from groups.models import Group, ServiceArea
from meetings import geo, schedule
from meetings.schedule import MAX_DURATION, duration, validate_timezone

LANGUAGE_CHOICES = sorted(
    ((code, info["name"]) for code, info in LANG_INFO.items() if len(code) == 2 and "name" in info),
    key=lambda pair: pair[1],
)

PHONE_SEPARATORS = re.compile(r"[\s\-().]")
DIALABLE = re.compile(r"^\+?[0-9][0-9,*#]*$")


def normalize_phone(value):
    """'+1 (555) 010-0123,,123#' -> '+15550100123,,123#': what a tel: link dials."""
    return PHONE_SEPARATORS.sub("", value or "")


def validate_dialable(value):
    number = normalize_phone(value)
    if not DIALABLE.match(number) or sum(ch.isdigit() for ch in number) < 7:
        raise ValidationError(
            _(
                "Enter a number a phone can dial: digits, optionally starting with +, "
                "with , * or # for access codes (for example +1 555 010 0123,,123456#)."
            ),
            code="not_dialable",
        )


def validate_join_url(value):
    URLValidator(schemes=["https"], message=_("Enter the full join link, starting with https://."))(value)


class PinSource(models.TextChoices):
    MANUAL = "manual", _("a volunteer, by hand")
    GEOCODER = "geocoder", _("the geocoder")
    IMPORT = "import", _("an import")
    FAILED = "failed", _("nobody yet: the geocoder could not find the address")


class Location(models.Model):
    area = models.ForeignKey(
        ServiceArea,
        verbose_name=_("service area"),
        on_delete=models.PROTECT,
        related_name="locations",
        help_text=_("The area whose volunteers look after this place."),
    )
    name = models.CharField(
        _("building or place name"), max_length=150, blank=True, help_text=_("For example: St. Mark's Church")
    )
    address = models.CharField(_("street address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)
    state = models.CharField(_("state or province"), max_length=100, blank=True)
    postal_code = models.CharField(_("ZIP or postal code"), max_length=20, blank=True)
    country = models.CharField(
        _("country code"), max_length=2, default="US", help_text=_("Two letters, e.g. US, CA, GB.")
    )
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    approximate = models.BooleanField(
        _("city only (approximate)"),
        default=False,
        help_text=_("Tick for online meetings or when the group does not publish its address: only the city is shown."),
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_timezone],
        help_text=_("For example America/Phoenix. Filled in from the map pin, or the area, when left empty."),
    )
    notes = models.TextField(
        _("directions"), blank=True, help_text=_("How to find the room: 'side door, basement', parking, bus stop.")
    )
    pin_source = models.CharField(
        _("pin set by"),
        max_length=10,
        choices=PinSource.choices,
        blank=True,
        help_text=_("A pin set by hand is never moved by the geocoder."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["city", "name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        indexes = [
            # Bounding-box prefilter of "near" searches.
            models.Index(fields=["latitude", "longitude"], name="location_lat_lng_idx"),
        ]

    def __str__(self):
        label = self.name or self.address or self.city
        return f"{label}, {self.city}" if label != self.city else label

    def save(self, *args, **kwargs):
        if not self.timezone:
            self.timezone = (self.has_pin and geo.timezone_at(self.latitude, self.longitude)) or self.area.timezone
        super().save(*args, **kwargs)

    @property
    def has_pin(self):
        return self.latitude is not None and self.longitude is not None

    @property
    def is_physical(self):
        return not self.approximate

    def formatted_address(self):
        region = " ".join(part for part in (self.state, self.postal_code) if part)
        parts = [self.address, self.city, region, self.country]
        return ", ".join(part for part in parts if part)

    def clean(self):
        errors = {}
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Give both latitude and longitude, or neither.")
        if not self.approximate and not self.address and not self.has_pin:
            errors["address"] = _(
                "An in-person location needs a street address or a map pin. For an online meeting, tick 'city only'."
            )
        if errors:
            raise ValidationError(errors)


class MeetingType(models.Model):
    class Category(models.TextChoices):
        FORMAT = "format", _("Format")
        AUDIENCE = "audience", _("Audience")
        ACCESSIBILITY = "accessibility", _("Accessibility")
        OTHER = "other", _("Other")

    code = models.CharField(_("code"), max_length=10, unique=True, help_text=_("Short code printed on lists."))
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.FORMAT)
    mg_code = models.CharField(
        _("Meeting Guide code"), max_length=10, blank=True, help_text=_("Code used in the Meeting Guide feed, if any.")
    )
    translations = models.JSONField(
        _("translations"), default=dict, blank=True, help_text=_('{"es": {"name": "...", "description": "..."}}')
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]  # seeded formats first, then audience, access, other
        verbose_name = _("meeting type")
        verbose_name_plural = _("meeting types")

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return f"{reverse('meetings:list')}?type={self.code}"

    def localized(self, field, language):
        return self.translations.get(language, {}).get(field) or getattr(self, field)


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

    def active(self):
        return self._where(models.Q(status=Meeting.Status.ACTIVE))

    def public(self):
        """Everything a visitor may see: active and temporarily closed, not archived."""
        return self.exclude(prefixed(models.Q(status=Meeting.Status.ARCHIVED), self.meeting_prefix))

    def in_area(self, *areas):
        return self._where(models.Q(area_id__in=ServiceArea.objects.descendant_ids(areas)))

    def open(self):
        return self._where(models.Q(access=Meeting.Access.OPEN))

    def closed(self):
        return self._where(models.Q(access=Meeting.Access.CLOSED))

    def in_language(self, code):
        return self._where(models.Q(language=code))

    def with_types(self, codes):
        """Meetings that have every one of `codes`.

        One join per code; a meeting has a code at most once, so no row repeats.
        """
        qs = self
        for code in codes:
            qs = qs._where(models.Q(types__code=code))
        return qs

    def attendable(self, *kinds):
        """Meetings a person can attend in any of `kinds` (see Attendance).

        'online' includes hybrid meetings with a join link, 'in_person' includes
        hybrid ones; 'hybrid' is a place plus a link or phone.
        """
        condition = models.Q(pk__in=[])
        for kind in kinds:
            condition |= ATTENDANCE_CONDITIONS[kind]
        return self._where(condition)

    def matching(self, text):
        """Every word of `text` in the name, group, place, address, city or notes."""
        qs = self
        for word in text.split()[:10]:
            condition = models.Q()
            for field in SEARCH_FIELDS:
                condition |= models.Q(**{f"{field}__icontains": word})
            qs = qs._where(condition)
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
    def on_days(self, days):
        return self.filter(times__weekday__in=list(days)).distinct()


SEARCH_FIELDS = ["name", "group__name", "location__name", "location__address", "location__city", "notes"]
PHYSICAL = models.Q(location__isnull=False, location__approximate=False)
HAS_URL = ~models.Q(conference_url="")
HAS_PHONE = ~models.Q(conference_phone="")


class Attendance(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    PHONE = "phone", _("Phone")
    HYBRID = "hybrid", _("Hybrid")


ATTENDANCE_CONDITIONS = {
    Attendance.IN_PERSON: PHYSICAL,
    Attendance.ONLINE: HAS_URL,
    Attendance.PHONE: HAS_PHONE,
    Attendance.HYBRID: PHYSICAL & (HAS_URL | HAS_PHONE),
}


class Meeting(models.Model):
    class Access(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        TEMPORARILY_CLOSED = "temporarily_closed", _("Temporarily closed")
        ARCHIVED = "archived", _("Archived")

    name = models.CharField(
        _("name"), max_length=150, help_text=_("Short, without 'HA' or 'meeting', e.g. 'Hope on Main'.")
    )
    slug = models.SlugField(
        _("slug"),
        max_length=160,
        unique=True,
        blank=True,
        help_text=_("Part of the page address. Filled in for you; keep it once published (apps bookmark it)."),
    )
    area = models.ForeignKey(
        ServiceArea, verbose_name=_("service area"), on_delete=models.PROTECT, related_name="meetings"
    )
    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        help_text=_("Leave empty for a meeting that is only online or by phone."),
    )
    access = models.CharField(
        _("open or closed"),
        max_length=6,
        choices=Access.choices,
        default=Access.CLOSED,
        help_text=_("Open: anyone may attend. Closed: only people with a desire to stop using."),
    )
    types = models.ManyToManyField(MeetingType, verbose_name=_("types"), blank=True, related_name="meetings")
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES, default="en")
    notes = models.TextField(_("notes"), blank=True, help_text=_("Plain text shown on the meeting page."))
    conference_url = models.CharField(
        _("online join link"),
        max_length=500,
        blank=True,
        validators=[validate_join_url],
        help_text=_("The direct https:// link to the Zoom, Meet, Teams or Jitsi meeting."),
    )
    conference_url_notes = models.CharField(
        _("join link notes"), max_length=300, blank=True, help_text=_("For example: Passcode 1234")
    )
    conference_phone = models.CharField(
        _("dial-in phone"),
        max_length=60,
        blank=True,
        validators=[validate_dialable],
        help_text=_("Digits, + , * and # only, so phones can dial in one tap: +15550100123,,123456#"),
    )
    conference_phone_notes = models.CharField(_("dial-in notes"), max_length=300, blank=True)
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_timezone],
        help_text=_("Filled in from the location or the area when left empty."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    source_slug = models.CharField(
        _("slug in the imported feed"),
        max_length=160,
        blank=True,
        editable=False,
        help_text=_("Keeps a re-import of the same feed matched to this meeting."),
    )
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[types])

    class Meta:
        ordering = ["name"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            # Area pages and volunteers' changelists: meetings of some areas by status.
            models.Index(fields=["area", "status"], name="meeting_area_status_idx"),
        ]
        constraints = [
            # Re-imports find a meeting by its area and the slug its feed gives it.
            models.UniqueConstraint(
                fields=["area", "source_slug"], condition=~models.Q(source_slug=""), name="meeting_unique_source_slug"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.timezone:
            self.timezone = self.location.timezone if self.location_id else self.area.timezone
        if not self.slug:
            self.slug = self.unique_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.slug])

    @property
    def attendance(self):
        physical = self.location is not None and self.location.is_physical
        remote = bool(self.conference_url or self.conference_phone)
        if physical and remote:
            return Attendance.HYBRID
        if physical:
            return Attendance.IN_PERSON
        if self.conference_url:
            return Attendance.ONLINE
        if self.conference_phone:
            return Attendance.PHONE
        return None

    @property
    def dial_in(self):
        """(number, access code) of the dial-in phone: "+15550100,,123#" -> ("+15550100", "123#")."""
        number, _sep, code = self.conference_phone.partition(",")
        return number, code.strip(",")

    def clean(self):
        errors = {}
        if self.conference_phone:
            self.conference_phone = normalize_phone(self.conference_phone)
        if self.attendance is None:
            errors["location"] = _(
                "A meeting needs a way to attend: an in-person location, an online join link or a dial-in phone."
            )
        if (
            self.group_id
            and self.area_id
            and self.group.area_id not in ServiceArea.objects.descendant_ids([self.area_id])
        ):
            errors["group"] = _("This group belongs to another service area.")
        if errors:
            raise ValidationError(errors)

    def unique_slug(self):
        city = self.location.city if self.location_id else ""
        base = slugify(f"{self.name} {city}")[:150] or "meeting"
        slug, n = base, 2
        while Meeting.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug


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
                "(CAST(substr(%(expressions)s, 1, 2) AS INTEGER) * 60"
                " + CAST(substr(%(expressions)s, 4, 2) AS INTEGER))"
            ),
            **extra,
        )


class MeetingTimeQuerySet(ListingQuerySet):
    """Weekly times, filtered by the verbs of their meeting and by when they happen."""

    meeting_prefix = "meeting__"

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

    def on_local_day(self, now, days_ahead=0):
        """Held today (or `days_ahead` days on) where each meeting is held, in its own zone."""
        return self.filter(local_day_condition(now, days_ahead))

    def with_week_position(self, now):
        """Annotate minutes since start and until the next start, each in the meeting's own zone.

        "Now" is worked out once per zone in Python (zoneinfo knows the DST
        rules), and zones that share a local time share one CASE branch.
        """
        zones_by_minute = defaultdict(list)
        for name in meeting_zones():
            zones_by_minute[schedule.minute_of_week(schedule.local_now(name, now))].append(name)
        now_minute = models.Case(
            *(models.When(meeting__timezone__in=names, then=models.Value(m)) for m, names in zones_by_minute.items()),
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
            self.filter(week_window_condition(now, schedule.MAX_DURATION_MINUTES, horizon_minutes))
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


def week_window_condition(now, before, after):
    """Times starting between `before` minutes ago and `after` minutes ahead, in each meeting's zone.

    Plain ranges on the indexed (weekday, start_time), so the database
    narrows the rows before any per-zone arithmetic; the window may wrap
    midnight and the end of the week.
    """
    zones_by_minute = defaultdict(list)
    for name in meeting_zones():
        zones_by_minute[schedule.minute_of_week(schedule.local_now(name, now))].append(name)
    condition = models.Q(pk__in=[])
    for minute, names in zones_by_minute.items():
        in_window = models.Q(pk__in=[])
        start = minute - before
        while start < minute + after:
            day, offset = divmod(start % WEEK_MINUTES, 1440)
            end = min(minute + after, start + (1440 - offset))  # to the end of that day at most
            last = offset + (end - start)  # minutes after that day's midnight, may be 1440
            in_window |= models.Q(weekday=day, start_time__gte=schedule.minutes_to_time(offset)) & (
                models.Q() if last >= 1440 else models.Q(start_time__lte=schedule.minutes_to_time(last))
            )
            start = end
        condition |= models.Q(meeting__timezone__in=names) & in_window
    return condition


def local_day_condition(now, days_ahead=0):
    """Weekly times on the local day `days_ahead` after `now`, in each meeting's own zone."""
    by_day = defaultdict(list)
    for name in meeting_zones():
        by_day[(schedule.our_weekday(schedule.local_now(name, now)) + days_ahead) % 7].append(name)
    condition = models.Q(pk__in=[])
    for weekday, names in by_day.items():
        condition |= models.Q(weekday=weekday, meeting__timezone__in=names)
    return condition


def meeting_zones():
    """The time zones meetings are held in: a handful, from one small query."""
    return list(Meeting.objects.order_by().values_list("timezone", flat=True).distinct())


class MeetingTime(models.Model):
    class Weekday(models.IntegerChoices):
        SUNDAY = 0, _("Sunday")
        MONDAY = 1, _("Monday")
        TUESDAY = 2, _("Tuesday")
        WEDNESDAY = 3, _("Wednesday")
        THURSDAY = 4, _("Thursday")
        FRIDAY = 5, _("Friday")
        SATURDAY = 6, _("Saturday")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="times")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"), null=True, blank=True, help_text=_("Leave empty for one hour."))

    objects = MeetingTimeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["weekday", "start_time"]
        verbose_name = _("weekly time")
        verbose_name_plural = _("weekly times")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "weekday", "start_time"], name="meetingtime_unique_slot"),
        ]
        indexes = [
            # "day=" filters and results sorted by time.
            models.Index(fields=["weekday", "start_time"], name="meetingtime_day_start_idx"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}"

    @property
    def duration(self):
        return duration(self.start_time, self.end_time)

    def clean(self):
        if self.start_time is None or self.end_time is None:
            return
        if self.end_time == self.start_time:
            raise ValidationError({"end_time": _("The meeting cannot end when it starts.")})
        if self.duration > MAX_DURATION:
            raise ValidationError(
                {
                    "end_time": _(
                        "That makes the meeting longer than 8 hours. Check the start and end times (24-hour clock)."
                    )
                }
            )


class ChangeRequest(models.Model):
    """A visitor's report that a listing is wrong. It never changes the listing by itself."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a volunteer")
        APPLIED = "applied", _("Applied")
        DISMISSED = "dismissed", _("Dismissed")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="reports")
    message = models.TextField(_("what is wrong"), max_length=2000)
    contact = models.CharField(
        _("contact (optional)"), max_length=200, blank=True, help_text=_("Only volunteers of the area see this.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    volunteer_note = models.TextField(_("volunteer's note"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        indexes = [
            # The moderation queue: open requests, newest first.
            models.Index(fields=["status", "-created_at"], name="changerequest_queue_idx"),
        ]

    def __str__(self):
        return _("Report on %(meeting)s") % {"meeting": self.meeting}

    def get_absolute_url(self):
        return self.meeting.get_absolute_url()
