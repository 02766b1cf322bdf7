from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from groups.models import Group, ServiceArea


@admin.register(ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "level", "timezone", "helpline_phone"]
    list_filter = ["level"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    filter_horizontal = ["volunteers"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "parent", "level", "timezone"]}),
        (_("Public helpline"), {"fields": ["helpline_phone", "helpline_email", "website"]}),
        (_("Volunteers"), {"fields": ["volunteers"]}),
    ]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "contact_public"]
    list_filter = [("area", admin.RelatedOnlyFieldListFilter), "contact_public"]
    list_select_related = ["area"]
    search_fields = ["name", "slug", "notes"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["area"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "area", "notes", "founded", "website"]}),
        (
            _("Contact (private unless shown publicly)"),
            {
                "fields": ["contact_email", "contact_phone", "contact_public"],
                "description": _("First names and last initials only. Never publish a member's full name."),
            },
        ),
        (_("Seventh Tradition"), {"fields": ["venmo", "cashapp", "paypal"]}),
    ]
