import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from groups.scope import (
    AreaScopedListFilter,
    InheritedPermissionsInline,
    ScopedAdminMixin,
    home_area,
    scoped_areas,
)
from meetings import pins
from meetings.importing import FeedError, fetch_feed, import_feed
from meetings.meeting_guide import reading
from meetings.models import (
    ATTENDANCE_CONDITIONS,
    Attendance,
    Location,
    Meeting,
    MeetingTime,
    MeetingType,
    PinSource,
    Repeats,
    ScheduleChange,
)
from meetings.models.choices import WEEKS_OF_MONTH
from meetings.requests_admin import ChangeRequestAdmin  # noqa: F401 (registers the request queue)
from meetings.schedule import SHORT_DAYS, python_weekday_to_ours, validate_timezone
from meetings.sources_admin import FeedSourceAdmin  # noqa: F401 (registers the feed sources' admin)
from meetings.time_input import TypedEndField, TypedTimeField, ends_from_length, shown
from meetings.widgets import PinPickerAdminMixin

RECENTLY = dt.timedelta(hours=24)  # "changed in the last 24 hours", one click above the meeting list
NAMES_REMINDER = _("First names and last initials only, in every field: this page is public.")


class PinFilter(admin.SimpleListFilter):
    title = _("map pin")
    parameter_name = "pin"

    def lookups(self, request, model_admin):
        return [("missing", _("Needs a pin")), ("manual", _("Set by hand")), ("geocoder", _("From the geocoder"))]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.needs_pin()
        if self.value() in {"manual", "geocoder"}:
            return queryset.filter(pin_source=self.value())
        return queryset


@admin.register(Location)
class LocationAdmin(PinPickerAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "address", "city", "state", "postal_code", "approximate", "has_pin"]
    list_filter = [("area", AreaScopedListFilter), PinFilter, "approximate", "country"]
    list_select_related = ["area"]
    search_fields = ["name", "address", "city", "postal_code"]
    autocomplete_fields = ["area"]
    readonly_fields = ["pin_source"]
    fieldsets = [
        (None, {"fields": ["area", "name", "address", "city", "state", "postal_code", "country", "notes"]}),
        (
            _("Map pin and time zone"),
            {
                "fields": ["latitude", "longitude", "pin_source", "approximate", "timezone"],
                "description": _(
                    "Leave the pin empty and we look the address up when a geocoder is set up. "
                    "To set it by hand, right-click the place in any map app and copy its latitude and longitude: "
                    "a pin set by hand is never moved."
                ),
            },
        ),
    ]

    @admin.display(boolean=True, description=_("pin"))
    def has_pin(self, obj):
        return obj.has_pin

    def save_model(self, request, obj, form, change):
        pin_typed = {"latitude", "longitude"} & set(form.changed_data) and obj.has_pin
        address_changed = {"address", "city", "postal_code"} & set(form.changed_data)
        if pin_typed:
            obj.pin_source = PinSource.MANUAL
        elif (not obj.has_pin or address_changed) and pins.locate(obj) == pins.FAILED:
            messages.warning(
                request, _("We could not find that address on the map. The location is saved; please set its pin.")
            )
        super().save_model(request, obj, form, change)


@admin.register(MeetingType)
class MeetingTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "category", "mg_code", "position"]
    list_filter = ["category"]
    list_editable = ["position"]
    search_fields = ["code", "name"]


class AreaClockForm(forms.ModelForm):
    """Times typed as people write them ("1 pm", "13:00", "noon"), shown in the meeting's area's clock.

    The inline sets `twelve_hour` on a subclass per meeting (see AreaClockInline).
    """

    twelve_hour = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.label = capfirst(field.label)  # declared fields keep their lowercase verbose names otherwise
            if isinstance(field, TypedTimeField):
                field.set_clock(self.twelve_hour)
        self.instance.twelve_hour = self.twelve_hour  # its heading in the stacked inline, in the same clock


class MeetingTimeForm(AreaClockForm):
    """A time as a volunteer says it: the day and hours, then how it repeats ("Monthly", the 1st and 3rd)."""

    start_time = TypedTimeField(label=_("starts"))
    end_time = TypedEndField(label=_("ends"), required=False, start_field="start_time")
    weeks_of_month = forms.MultipleChoiceField(
        label=_("weeks of the month"),
        choices=WEEKS_OF_MONTH,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For 'monthly' only."),
    )

    class Meta:
        model = MeetingTime
        fields = ["weekday", "start_time", "end_time", "repeats", "interval", "weeks_of_month", "starts_on", "ends_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["repeats"].required = False  # empty: every week
        self.fields["interval"].required = False
        self.fields["weekday"].required = False  # an event's day comes from its date
        self.fields["weekday"].empty_value = None  # no day is no day, never "" handed to the model
        weeks = self.instance.weeks_of_month if self.instance.pk else ""
        self.initial["weeks_of_month"] = weeks.split(",") if weeks else []  # checkboxes: a list, never ""

    def clean_repeats(self):
        return self.cleaned_data.get("repeats") or Repeats.WEEKLY

    def clean_interval(self):
        return self.cleaned_data.get("interval") or 1

    def clean_weeks_of_month(self):
        return ",".join(self.cleaned_data.get("weeks_of_month") or [])

    def clean(self):
        data = ends_from_length(super().clean(), form=self)
        if data.get("weekday") is None:
            if data.get("repeats") == Repeats.ONCE and data.get("starts_on"):
                data["weekday"] = python_weekday_to_ours(data["starts_on"].weekday())
            elif self.has_changed():
                self.add_error("weekday", _("Which day of the week?"))
        return data


# A date of a meeting is a day where it meets: the browser's own date picker, without the admin's
# "Today" link and "You are N hours behind server time" note, which speak of the server's clock.
NATIVE_DATES = {models.DateField: {"widget": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})}}


class AreaClockInline(InheritedPermissionsInline):
    """An inline whose typed times show in the clock of the meeting's area (a new meeting: the volunteer's area)."""

    formfield_overrides = NATIVE_DATES
    # Stacked: every field has its label and its help (the examples of typed times), and a phone need not scroll.
    template = "admin/edit_inline/stacked.html"

    def get_formset(self, request, obj=None, **kwargs):
        area = obj.area if obj is not None and obj.area_id else home_area(request)
        twelve_hour = area.twelve_hour if area is not None else True
        kwargs["form"] = type(self.form.__name__, (self.form,), {"twelve_hour": twelve_hour})
        return super().get_formset(request, obj, **kwargs)


class ScheduleChangeForm(AreaClockForm):
    new_start = TypedTimeField(label=_("moved to the time"), required=False)
    new_end = TypedEndField(label=_("ending"), required=False, start_field="new_start")

    class Meta:
        model = ScheduleChange
        fields = ["kind", "meeting_time", "date", "until", "new_date", "new_start", "new_end", "note"]

    def clean(self):
        return ends_from_length(super().clean(), start_field="new_start", end_field="new_end", form=self)


class MeetingTimeInline(AreaClockInline):
    model = MeetingTime
    form = MeetingTimeForm
    extra = 1
    verbose_name = _("time")
    verbose_name_plural = _("times (in the meeting's time zone)")

    def get_extra(self, request, obj=None, **kwargs):
        # An empty time to fill in for a meeting without one; otherwise "Add another time" when needed.
        return 0 if obj is not None and obj.pk and obj.times.exists() else 1


class ScheduleChangeInline(AreaClockInline):
    model = ScheduleChange
    form = ScheduleChangeForm
    fk_name = "meeting"
    extra = 0
    verbose_name = _("dated change")
    verbose_name_plural = _("dated changes: cancelled on a date, closed for a while, moved once")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "meeting_time":
            meeting_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            field.queryset = field.queryset.filter(meeting_id=meeting_id) if meeting_id else field.queryset.none()
        return field


class DayFilter(admin.SimpleListFilter):
    title = _("day")
    parameter_name = "day"

    def lookups(self, request, model_admin):
        return MeetingTime.Weekday.choices

    def queryset(self, request, queryset):
        if self.value() is not None and self.value().isdigit():
            return queryset.filter(times__weekday=int(self.value())).distinct()
        return queryset


class AttendanceFilter(admin.SimpleListFilter):
    title = _("attendance")
    parameter_name = "attendance"

    def lookups(self, request, model_admin):
        return Attendance.choices

    def queryset(self, request, queryset):
        if self.value() in ATTENDANCE_CONDITIONS:
            return queryset.attendable(self.value())
        return queryset


class TypeFilter(admin.SimpleListFilter):
    title = _("type")
    parameter_name = "type"

    def lookups(self, request, model_admin):
        return [(kind.code, kind.label) for kind in MeetingType.objects.all()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.with_types([self.value()])
        return queryset


class QualityFilter(admin.SimpleListFilter):
    """The data-quality views: stale listings, probable duplicates."""

    title = _("needs attention")
    parameter_name = "quality"

    def lookups(self, request, model_admin):
        return [
            ("changed", _("Changed in the last 24 hours")),
            ("stale", _("Not verified for 6 months")),
            ("duplicates", _("Probable duplicates (same place, day and time)")),
            ("no_pin", _("In person, location without a pin")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "changed":
            return queryset.changed_since(timezone.now() - RECENTLY)
        if self.value() == "stale":
            return queryset.stale(timezone.localdate())
        if self.value() == "duplicates":
            return queryset.probable_duplicates()
        if self.value() == "no_pin":
            return queryset.at_places_needing_a_pin()
        return queryset


class ImportForm(forms.Form):
    feed_file = forms.FileField(label=_("Feed file (.json or .csv)"), required=False)
    feed_url = forms.URLField(label=_("Or the feed's address"), required=False, assume_scheme="https")
    area = forms.ModelChoiceField(label=_("Service area"), queryset=None)
    timezone = forms.CharField(
        label=_("Time zone for rows without one"),
        required=False,
        validators=[validate_timezone],
        help_text=_("Empty: the area's time zone."),
    )
    dry_run = forms.BooleanField(label=_("Dry run: only show what would change"), required=False, initial=True)
    strict = forms.BooleanField(label=_("Import nothing if any row cannot be imported"), required=False)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas

    def clean(self):
        data = super().clean()
        upload, url = data.get("feed_file"), data.get("feed_url")
        if bool(upload) == bool(url):
            raise forms.ValidationError(_("Choose a file or give an address, one of the two."))
        try:
            if upload and upload.size > reading.MAX_FEED_BYTES:
                raise FeedError(
                    _("The file is %(size)s MB; at most %(limit)s MB is read. Nothing was imported: split it.")
                    % {"size": f"{upload.size / 1e6:.1f}", "limit": f"{reading.MAX_FEED_BYTES / 1e6:.0f}"}
                )
            data["feed"] = (
                reading.read_feed(upload.read(), reading.guess_kind(upload.name)) if upload else fetch_feed(url)
            )
        except FeedError as error:
            raise forms.ValidationError(str(error)) from None
        return data


@admin.register(Meeting)
class MeetingAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "schedule", "place", "area", "access", "attendance_label", "status", "last_verified"]
    list_filter = [
        ("area", AreaScopedListFilter),
        QualityFilter,
        DayFilter,
        TypeFilter,
        AttendanceFilter,
        "status",
        "access",
        "language",
    ]
    list_select_related = ["area", "location"]
    search_fields = ["name", "slug", "group__name", "location__name", "location__address", "location__city", "notes"]
    autocomplete_fields = ["area", "group", "location"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["types"]
    formfield_overrides = NATIVE_DATES
    inlines = [MeetingTimeInline, ScheduleChangeInline]
    readonly_fields = ["created_at", "updated_at", "created_by", "updated_by"]
    actions = ["mark_verified", "archive", "restore"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "area", "group", "status", "last_verified"], "description": NAMES_REMINDER}),
        (_("In person"), {"fields": ["location"]}),
        (
            _("Online and phone"),
            {"fields": ["conference_url", "conference_url_notes", "conference_phone", "conference_phone_notes"]},
        ),
        (_("What kind of meeting"), {"fields": ["access", "types", "language", "timezone", "notes"]}),
        (_("Record"), {"fields": ["created_at", "created_by", "updated_at", "updated_by"], "classes": ["collapse"]}),
    ]

    quick_filters = [
        ("changed", _("Changed in the last 24 hours")),
        ("no_pin", _("Needs a pin")),
        ("stale", _("Stale: not verified for 6 months")),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("times")

    def changelist_view(self, request, extra_context=None):
        chosen = request.GET.get(QualityFilter.parameter_name)
        quick = [
            {"label": label, "query": f"?{QualityFilter.parameter_name}={key}", "current": key == chosen}
            for key, label in self.quick_filters
        ]
        context = {
            "quick_filters": quick,
            # Without the admin's side menu the list, with status and last verified, fits a 1280-pixel screen.
            "is_nav_sidebar_enabled": False,
            # The list's own scripts only (actions need no jQuery): the form's, such as the slug maker's
            # XRegExp and jQuery, were 610 of the page's 749 KB.
            # (admin.css and admin-a11y.js come with every admin page: templates/admin/base_site.html.)
            "media": forms.Media(js=["admin/js/core.js", "admin/js/actions.js"]),
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    def get_urls(self):
        custom = [path("import/", self.admin_site.admin_view(self.import_view), name="meetings_meeting_import")]
        return custom + super().get_urls()

    def import_view(self, request):
        """Import a Meeting Guide feed into one of the user's areas, with a dry run first by default."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None, areas=scoped_areas(request))
        report = None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            report = import_feed(
                data["feed"].rows,
                area=data["area"],
                default_timezone=data["timezone"] or None,
                dry_run=data["dry_run"],
                strict=data["strict"],
                user=request.user,
                notes=data["feed"].notes,
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import meetings"),
            "form": form,
            "report": report,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/meetings/import.html", context)

    @admin.display(description=_("when"))
    def schedule(self, obj):
        twelve_hour = obj.area.twelve_hour
        return ", ".join(f"{SHORT_DAYS[t.weekday]} {shown(t.start_time, twelve_hour)}" for t in obj.times.all())

    @admin.display(description=_("where"), ordering="location__city")
    def place(self, obj):
        return obj.location.city if obj.location else _("Online/phone")

    @admin.display(description=_("attendance"))
    def attendance_label(self, obj):
        return obj.attendance.label if obj.attendance else "—"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Mark as verified today"))
    def mark_verified(self, request, queryset):
        self._update_each(request, queryset, last_verified=timezone.localdate())

    @admin.action(description=_("Archive (hide from the public; can be restored)"))
    def archive(self, request, queryset):
        self._update_each(request, queryset, status=Meeting.Status.ARCHIVED)

    @admin.action(description=_("Restore archived meetings"))
    def restore(self, request, queryset):
        self._update_each(request, queryset.filter(status=Meeting.Status.ARCHIVED), status=Meeting.Status.ACTIVE)

    def _update_each(self, request, queryset, **changes):
        # Saved one by one, not with update(): each change gets its history row and its editor.
        count = 0
        for meeting in queryset:
            for field, value in changes.items():
                setattr(meeting, field, value)
            meeting.updated_by = request.user
            meeting.save()
            count += 1
        self.message_user(request, ngettext("%d meeting updated.", "%d meetings updated.", count) % count)
