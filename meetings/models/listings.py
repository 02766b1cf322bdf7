import re
from typing import NamedTuple

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from groups.models import Group, ServiceArea
from groups.versions import VersionField
from meetings import geo, search_text
from meetings.links import refuse_look_alike_links
from meetings.models.querysets import Attendance, MeetingQuerySet, MeetingTimeQuerySet
from meetings.schedule import MAX_DURATION, duration, validate_timezone
from meetings.text import format_address, normalize_phone

LANGUAGE_CHOICES = sorted(
    ((code, info["name"]) for code, info in LANG_INFO.items() if len(code) == 2 and "name" in info),
    key=lambda pair: pair[1],
)

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
    version = VersionField()  # optimistic concurrency in the admin (groups/versions.py)

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
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return f"{reverse('meetings:list')}?type={self.code}"

    def localized(self, field, language):
        return self.translations.get(language, {}).get(field) or getattr(self, field)


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
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    version = VersionField()

    objects = MeetingQuerySet.as_manager()
    # The search text is derived from other fields (and other models): no history of its own.
    history = HistoricalRecords(m2m_fields=[types], excluded_fields=["search_text"])

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
        self.search_text = self.build_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.slug])

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
        city = self.location.city if self.location_id else ""
        base = slugify(f"{self.name} {city}")[:150] or "meeting"
        slug, n = base, 2
        while Meeting.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug


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
