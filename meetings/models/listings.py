import re
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.urls import reverse
from django.utils.formats import time_format
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from groups.models import Group, ServiceArea
from groups.versions import VersionField
from meetings import geo, search_text
from meetings.links import refuse_look_alike_links
from meetings.models.choices import LANGUAGE_CHOICES, Access, Attendance, PinSource, Repeats, Status, Weekday
from meetings.models.querysets import LocationQuerySet, MeetingQuerySet, MeetingTimeQuerySet
from meetings.models.sources import FeedSource
from meetings.schedule import (
    MAX_EVENT_DURATION,
    WEEKDAY_NAMES,
    Rule,
    format_weeks,
    parse_weeks,
    python_weekday_to_ours,
    validate_timezone,
)
from meetings.slugs import NO_LATIN, free_slug
from meetings.text import format_address, normalize_phone
from meetings.time_input import shown

FEED_SLUG_LENGTH = 64  # the Meeting Guide schema's limit

DIALABLE = re.compile(r"^\+?[0-9][0-9,*#]*$")


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
    refuse_look_alike_links(value)


APPROXIMATE_DECIMALS = 1  # about 11 km north to south: the town, not the door


class PublishedPlace(NamedTuple):
    """What any output (pages, feeds, API, calendars, print) may show of a location."""

    name: str
    address: str
    city: str
    state: str
    postal_code: str
    country: str
    latitude: float | None
    longitude: float | None
    notes: str
    approximate: bool

    @property
    def formatted_address(self):
        return format_address(self.address, self.city, self.state, self.postal_code, self.country)


def published_place(name, address, city, state, postal_code, country, latitude, longitude, notes, approximate):
    """All of a location, or of a city-only one only its city, region, country and a rough point.

    The one rule for every output, including the feed that reads plain rows
    rather than Location instances: a group that keeps its address private (a
    home, a clinic) must not find its door in the API, a feed or a calendar.
    """
    if not approximate:
        return PublishedPlace(name, address, city, state, postal_code, country, latitude, longitude, notes, False)
    return PublishedPlace("", "", city, state, "", country, rough(latitude), rough(longitude), "", True)


def rough(coordinate):
    return None if coordinate is None else round(coordinate, APPROXIMATE_DECIMALS)


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
    version = VersionField()  # optimistic concurrency in the admin (groups/versions.py)

    objects = LocationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["city", "name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        indexes = [
            # Bounding-box prefilter of "near" searches, with what else they ask of a place (migration 0013).
            models.Index(fields=["latitude", "longitude", "approximate"], name="location_lat_lng_idx"),
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
    def published(self):
        """What outputs may show of this place (see published_place)."""
        return published_place(
            self.name, self.address, self.city, self.state, self.postal_code, self.country,
            self.latitude, self.longitude, self.notes, self.approximate,
        )  # fmt: skip

    @property
    def is_physical(self):
        return not self.approximate

    def formatted_address(self):
        """The whole address, for the geocoder and volunteers; outputs use `published` instead."""
        return format_address(self.address, self.city, self.state, self.postal_code, self.country)

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
        return f"{self.label} ({self.code})"

    def get_absolute_url(self):
        return f"{reverse('meetings:list')}?type={self.code}"

    def localized(self, field, language):
        return self.translations.get(language, {}).get(field) or getattr(self, field)

    @property
    def label(self):
        """The name in the active language: what pages, forms and chips show."""
        return self.localized("name", (get_language() or "en").split("-")[0])


class Meeting(models.Model):
    Access = Access
    Status = Status

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
        blank=True,
        help_text=_(
            "Open: anyone may attend. Closed: only people with a desire to stop using. "
            "Empty: not known (an imported listing that did not say)."
        ),
    )
    types = models.ManyToManyField(MeetingType, verbose_name=_("types"), blank=True, related_name="meetings")
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=LANGUAGE_CHOICES,
        default="en",
        blank=True,
        help_text=_("Empty: not known (an imported listing that did not say)."),
    )
    other_types = models.JSONField(
        _("other Meeting Guide codes"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Codes an imported listing had that HA's list of types has not: published in feeds as they came."),
    )
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
    venmo = models.CharField(
        _("Venmo"), max_length=60, blank=True, help_text=_("Seventh Tradition of this meeting, if not its group's.")
    )
    cashapp = models.CharField(_("Cash App"), max_length=60, blank=True)
    group_notes = models.TextField(
        _("group notes"),
        blank=True,
        editable=False,
        help_text=_("An imported listing's notes about its group when it names no group: published as they came."),
    )
    paypal = models.CharField(_("PayPal"), max_length=60, blank=True)
    source = models.ForeignKey(
        FeedSource,
        verbose_name=_("kept in sync with"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="meetings",
    )
    source_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    source_slug = models.CharField(
        _("slug in the imported feed"),
        max_length=160,
        blank=True,
        editable=False,
        help_text=_("Keeps a re-import of the same feed matched to this meeting."),
    )
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    confirmed_by_group_on = models.DateField(
        _("confirmed by the group"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the group itself last answered a “still meeting?” email."),
    )
    search_text = models.TextField(
        _("search text"),
        blank=True,
        default="",
        editable=False,
        help_text=_(
            "Name, notes, group, place, address and city in lowercase without accents: what the search looks "
            "through. Kept up to date whenever the meeting, its group or its place is saved."
        ),
    )
    weekdays = models.PositiveSmallIntegerField(
        _("days of its dates"),
        default=0,
        db_default=0,  # the database's too: a worker of the release before, still running, adds meetings without it
        editable=False,
        help_text=_(
            "The days of the week its dates fall on, one bit a day from Sunday: what a search near a place for "
            "some days looks at before it looks up any date. Written with the dates."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    version = VersionField()

    objects = MeetingQuerySet.as_manager()
    # The search text and the days are derived from other fields (and other models): no history of their own.
    history = HistoricalRecords(m2m_fields=[types], excluded_fields=["search_text", "weekdays"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            # Area pages and volunteers' changelists: meetings of some areas by status, with the name an area's
            # dates are ordered by after their start (0017: an area page reads no meeting row).
            models.Index(fields=["area", "status", "name"], include=["id"], name="meeting_area_status_idx"),
            # A "near" search's meetings at its places, with their status, the name it orders by (0013) and the
            # days of their dates, so that a search for some days looks up the dates of those meetings alone (0018).
            # Partial: whole, SQLite scanned it for searches with no place at all (day=today 0.2 -> 0.9 s).
            models.Index(
                fields=["location", "status", "name", "weekdays"],
                include=["id"],
                condition=models.Q(location__isnull=False),
                name="meeting_location_status_idx",
            ),
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
        self.search_text = self.build_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)
        self.take_requests_along()

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.slug])

    @staticmethod
    def url_pattern():
        """Every meeting page's address in the active language, "{}" for its slug: one reverse() for a list of
        meetings, where one per meeting cost more than the query (slugs need no quoting)."""
        return reverse("meetings:detail", args=["slug"]).replace("slug", "{}", 1)

    def take_requests_along(self):
        """A meeting moved to another area takes its change requests: that area's volunteers deal with them now.

        Who sees a request already follows the meeting (ChangeRequest.in_areas);
        this keeps the request's own area, which the queue's area filter reads, the same.
        """
        loaded_in = getattr(self, "_area_at_load", None)  # freshness.remember_area
        if loaded_in is not None and loaded_in != self.area_id:
            self.reports.model.objects.follow_their_meetings([self.pk])  # as an import does for many
        self._area_at_load = self.area_id

    def type_list(self):
        """Its types, in order: those for_cards() read with it (no query per meeting), else asked for now."""
        listed = self.__dict__.get("listed_types")
        return listed if listed is not None else list(self.types.all())

    def build_search_text(self):
        """What `search_text` should hold; reads the group and the location (a query each when not loaded)."""
        return search_text.build(*search_text.meeting_values(self))

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
        """ "hope-on-main-phoenix", or with a number when another meeting has it (one query)."""
        city = self.location.city if self.location_id else ""
        base = slugify(f"{self.name} {city}")[:150]
        others = Meeting.objects.filter(slug__startswith=base or NO_LATIN).exclude(pk=self.pk)
        return free_slug(base, set(others.values_list("slug", flat=True)), 160)


class MeetingTime(models.Model):
    """One time of a meeting: a day and hours, and how they repeat (every week, every few weeks, monthly, once)."""

    Weekday = Weekday
    Repeats = Repeats

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="times")
    weekday = models.PositiveSmallIntegerField(
        _("day"), choices=Weekday.choices, help_text=_("For an event on one date, set from its date.")
    )
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"), null=True, blank=True, help_text=_("Leave empty for one hour."))
    repeats = models.CharField(_("repeats"), max_length=16, choices=Repeats.choices, default=Repeats.WEEKLY)
    interval = models.PositiveSmallIntegerField(
        _("every how many weeks"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
        help_text=_("For 'every few weeks': 2 is every other week."),
    )
    weeks_of_month = models.CharField(
        _("weeks of the month"),
        max_length=20,
        blank=True,
        help_text=_("For 'monthly': which of the month's days, e.g. the 1st and 3rd Saturday, or the last Friday."),
    )
    starts_on = models.DateField(
        _("first date"),
        null=True,
        blank=True,
        help_text=_("The first meeting, for 'every few weeks'; the date of a one-off event. Optional otherwise."),
    )
    ends_on = models.DateField(
        _("last date"), null=True, blank=True, help_text=_("Optional: the last date it meets, for a series that ends.")
    )
    feed_slug = models.CharField(
        _("slug in our feed"),
        max_length=FEED_SLUG_LENGTH,
        blank=True,
        editable=False,
        help_text=_("What apps key favourites on: given once, kept for life."),
    )
    source_slug = models.CharField(_("slug in the imported feed"), max_length=160, blank=True, editable=False)

    objects = MeetingTimeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["weekday", "start_time"]
        verbose_name = _("time")
        verbose_name_plural = _("times")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "weekday", "start_time"],
                condition=~models.Q(repeats="once"),
                name="meetingtime_unique_slot",
            ),
            models.UniqueConstraint(
                fields=["meeting", "starts_on", "start_time"],
                condition=models.Q(repeats="once"),
                name="meetingtime_unique_event",
            ),
            # Every object of the Meeting Guide feed has its own slug.
            models.UniqueConstraint(
                fields=["feed_slug"], condition=~models.Q(feed_slug=""), name="meetingtime_unique_feed_slug"
            ),
        ]
        indexes = [
            # "day=" filters and results sorted by time.
            models.Index(fields=["weekday", "start_time"], name="meetingtime_day_start_idx"),
        ]

    def __str__(self):
        """ "Thursday 1:00 PM": in the language's clock, as pages show it; in the area's where `twelve_hour` is set.

        The admin's forms set it (AreaClockForm), so the heading of a time in
        the meeting form reads as its fields do: "Thursday 13:00" in a 24-hour area.
        """
        twelve_hour = getattr(self, "twelve_hour", None)
        start = time_format(self.start_time) if twelve_hour is None else shown(self.start_time, twelve_hour)
        return f"{self.rule.describe()} {start}"

    def save(self, *args, **kwargs):
        if self.repeats == Repeats.ONCE and self.starts_on:
            self.weekday = python_weekday_to_ours(self.starts_on.weekday())
        if not self.feed_slug:
            from meetings.slugs import feed_slug_for

            self.feed_slug = feed_slug_for(self.meeting)
        super().save(*args, **kwargs)

    @property
    def rule(self):
        return Rule(
            weekday=self.weekday,
            start=self.start_time,
            end=self.end_time,
            repeats=self.repeats,
            interval=self.interval,
            weeks=parse_weeks(self.weeks_of_month) if self.repeats == Repeats.MONTHLY else (),
            first=self.starts_on,
            last=self.ends_on,
        )

    @property
    def duration(self):
        return self.rule.length

    def history_parts(self, twelve_hour=True):
        """("Thursday", "12:30 PM–1:30 PM"): the day (or how it repeats) and the hours, as History says them."""
        day = WEEKDAY_NAMES[self.weekday] if self.repeats == Repeats.WEEKLY else self.rule.describe()
        hours = shown(self.start_time, twelve_hour)
        if self.end_time is not None:
            hours += "–" + shown(self.end_time, twelve_hour)
        return (day, hours)

    def clean(self):
        errors = {}
        once = self.repeats == Repeats.ONCE
        if once and not self.starts_on:
            errors["starts_on"] = _("An event needs its date.")
        if self.repeats == Repeats.EVERY_N_WEEKS:
            if not self.starts_on:
                errors["starts_on"] = _("Give the date of one meeting, so we know which weeks it meets.")
            elif self.weekday is not None and python_weekday_to_ours(self.starts_on.weekday()) != self.weekday:
                errors["starts_on"] = _("That date is not a %(day)s.") % {"day": self.get_weekday_display()}
            if (self.interval or 1) < 2:
                errors["interval"] = _("Every few weeks means 2 or more; for every week choose 'Every week'.")
        if self.repeats == Repeats.MONTHLY:
            try:
                weeks = parse_weeks(self.weeks_of_month)
            except ValueError:
                weeks = ()
            if not weeks:
                errors["weeks_of_month"] = _("Choose which weeks of the month: the 1st, 2nd… or the last.")
            else:
                self.weeks_of_month = format_weeks(weeks)
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The last date is before the first.")
        # An end before the start is on the next day: a meeting lasts less than a day (marathons run
        # 00:00-23:59 or 12:00-11:59); only a one-off event may last a whole day (an end equal to its start).
        if self.start_time is not None and self.end_time is not None:
            if self.end_time == self.start_time and not once:
                errors["end_time"] = _("The meeting cannot end when it starts.")
            elif once and self.duration > MAX_EVENT_DURATION:
                errors["end_time"] = _("An event can last 24 hours at most.")
        if errors:
            raise ValidationError(errors)
