from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from meetings.models import ATTENDANCE_CONDITIONS, Attendance, Location, Meeting, MeetingTime, MeetingType

NAMES_REMINDER = _("First names and last initials only, in every field: this page is public.")


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "address", "city", "state", "postal_code", "approximate", "has_pin"]
    list_filter = [("area", admin.RelatedOnlyFieldListFilter), "approximate", "country"]
    list_select_related = ["area"]
    search_fields = ["name", "address", "city", "postal_code"]
    autocomplete_fields = ["area"]
    fieldsets = [
        (None, {"fields": ["area", "name", "address", "city", "state", "postal_code", "country", "notes"]}),
        (
            _("Map pin and time zone"),
            {
                "fields": ["latitude", "longitude", "approximate", "timezone"],
                "description": _("Right-click the place in any map app to copy its latitude and longitude."),
            },
        ),
    ]

    @admin.display(boolean=True, description=_("pin"))
    def has_pin(self, obj):
        return obj.has_pin


@admin.register(MeetingType)
class MeetingTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "category", "mg_code", "position"]
    list_filter = ["category"]
    list_editable = ["position"]
    search_fields = ["code", "name"]


class MeetingTimeInline(admin.TabularInline):
    model = MeetingTime
    extra = 1
    min_num = 0


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
        return MeetingType.objects.values_list("code", "name")

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(types__code=self.value()).distinct()
        return queryset


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["name", "schedule", "place", "area", "access", "attendance_label", "status", "last_verified"]
    list_filter = [
        ("area", admin.RelatedOnlyFieldListFilter),
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
    inlines = [MeetingTimeInline]
    readonly_fields = ["created_at", "updated_at", "created_by", "updated_by"]
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

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("times")

    @admin.display(description=_("when"))
    def schedule(self, obj):
        return ", ".join(f"{t.get_weekday_display()[:3]} {t.start_time:%H:%M}" for t in obj.times.all())

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
