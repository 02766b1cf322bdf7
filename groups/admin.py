from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group as AuthGroup
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from groups.models import Group, Membership, ServiceArea
from groups.scope import AreaScopedListFilter, InheritedPermissionsInline, ScopedAdminMixin, admin_area_ids

User = get_user_model()
NAMES_REMINDER = _("First names and last initials only, in every field: this page is public.")


class AdministeredAreasMixin:
    """Memberships can be given only in areas the user administers."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        ids = admin_area_ids(request)
        if db_field.name == "area" and ids is not None:
            field.queryset = field.queryset.filter(pk__in=ids)
        return field


class MembershipInline(AdministeredAreasMixin, InheritedPermissionsInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["area"]


@admin.register(ServiceArea)
class ServiceAreaAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    area_path = "pk"
    list_display = ["name", "parent", "level", "timezone", "helpline_phone"]
    list_filter = ["level"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "parent", "level", "timezone"]}),
        (_("Public helpline"), {"fields": ["helpline_phone", "helpline_email", "website"]}),
    ]

    def has_add_permission(self, request, *args):
        # A new area hangs under one the user administers.
        ids = admin_area_ids(request)
        return ids is None or bool(ids)

    def get_readonly_fields(self, request, obj=None):
        # Moving an existing area to another parent is a superuser's decision.
        return ["parent"] if obj and not request.user.is_superuser else []

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser and "parent" in form.base_fields:
            form.base_fields["parent"].required = True
        return form


@admin.register(Group)
class GroupAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "area", "contact_public"]
    list_filter = [("area", AreaScopedListFilter), "contact_public"]
    list_select_related = ["area"]
    search_fields = ["name", "slug", "notes"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["area"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "area", "notes", "founded", "website"], "description": NAMES_REMINDER}),
        (
            _("Contact (private unless shown publicly)"),
            {"fields": ["contact_email", "contact_phone", "contact_public"], "description": NAMES_REMINDER},
        ),
        (_("Seventh Tradition"), {"fields": ["venmo", "cashapp", "paypal"]}),
    ]


admin.site.unregister(User)
# Rights come from area memberships; Django's permission groups would only confuse "Groups" (HA groups).
admin.site.unregister(AuthGroup)


@admin.register(User)
class VolunteerAdmin(UserAdmin):
    """Superusers manage everyone; an area admin manages the volunteers of their areas."""

    inlines = [MembershipInline]
    list_display = ["username", "first_name", "email", "is_active", "is_superuser", "last_login"]
    limited_fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Volunteer"), {"fields": ["first_name", "last_name", "email", "is_active"], "description": NAMES_REMINDER}),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = admin_area_ids(request)
        if ids is None:
            return queryset
        return queryset.filter(memberships__area_id__in=ids, is_superuser=False).distinct()

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser or obj is None:
            return super().get_fieldsets(request, obj)
        return self.limited_fieldsets

    def get_list_filter(self, request):
        return super().get_list_filter(request) if request.user.is_superuser else []

    def has_module_permission(self, request):
        return request.user.is_superuser or bool(admin_area_ids(request))

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (
            obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()
        )

    has_change_permission = has_view_permission

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            obj.is_staff = True
            obj.is_superuser = False
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(AdministeredAreasMixin, admin.ModelAdmin):
    list_display = ["user", "area", "role"]
    list_filter = ["role"]
    list_select_related = ["user", "area"]
    search_fields = ["user__username", "user__first_name", "area__name"]
    autocomplete_fields = ["user", "area"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = admin_area_ids(request)
        return queryset if ids is None else queryset.filter(area_id__in=ids)

    def has_module_permission(self, request):
        return request.user.is_superuser or bool(admin_area_ids(request))

    def has_view_permission(self, request, obj=None):
        ids = admin_area_ids(request)
        return self.has_module_permission(request) and (obj is None or ids is None or obj.area_id in ids)

    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission

    def has_add_permission(self, request):
        return self.has_module_permission(request)
