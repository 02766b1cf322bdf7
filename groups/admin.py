from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group as AuthGroup
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from groups.models import Group, Membership, ServiceArea
from groups.scope import (
    AreaScopedListFilter,
    InheritedPermissionsInline,
    ScopedAdminMixin,
    admin_area_ids,
    managed_users,
)

User = get_user_model()
NAMES_REMINDER = _("First names and last initials only, in every field: this page is public.")
ROLE_SHORT = {Membership.Role.VOLUNTEER: _("volunteer"), Membership.Role.AREA_ADMIN: _("area admin")}


class AdministeredAreasMixin:
    """Memberships can be given only in areas the user administers, to people they manage."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        ids = admin_area_ids(request)
        if db_field.name == "area" and ids is not None:
            field.queryset = field.queryset.filter(pk__in=ids)
        if db_field.name == "user":
            field.queryset = managed_users(request)
        return field


class MembershipInline(AdministeredAreasMixin, InheritedPermissionsInline):
    """A person's memberships on their user page: an area admin sees and edits only those in their areas."""

    model = Membership
    extra = 1
    autocomplete_fields = ["area"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("area")
        ids = admin_area_ids(request)
        return queryset if ids is None else queryset.filter(area_id__in=ids)


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
        (None, {"fields": ["name", "slug", "parent", "level", "timezone", "clock"]}),
        (_("Public helpline"), {"fields": ["helpline_phone", "helpline_email", "website"]}),
    ]

    def has_add_permission(self, request, *args):
        # A new area hangs under one the user administers.
        ids = admin_area_ids(request)
        return ids is None or bool(ids)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The autocomplete for a membership's area or a new area's parent offers what the user administers,
        # which is less than what they may edit if they are only a volunteer somewhere.
        source = (request.GET.get("model_name"), request.GET.get("field_name"))
        ids = admin_area_ids(request)
        if source in {("membership", "area"), ("servicearea", "parent")} and ids is not None:
            queryset = queryset.filter(pk__in=ids)
        return queryset, may_have_duplicates

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
        (_("“Still meeting?” emails"), {"fields": ["confirmation_emails"]}),
    ]
    actions = ["send_still_meeting"]

    @admin.action(description=_("Email the contact a “still meeting?” link"))
    def send_still_meeting(self, request, queryset):
        from meetings.confirmations import send_many

        sent = send_many(queryset.select_related("area"), sent_by=request.user)
        self.message_user(request, ngettext("%d email sent.", "%d emails sent.", len(sent)) % len(sent))
        skipped = queryset.count() - len(sent)
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%d group not asked: no contact email, emails stopped, or no public meeting.",
                    "%d groups not asked: no contact email, emails stopped, or no public meeting.",
                    skipped,
                )
                % skipped,
                messages.WARNING,
            )


admin.site.unregister(User)
# Rights come from area memberships; Django's permission groups would only confuse "Groups" (HA groups).
admin.site.unregister(AuthGroup)


@admin.register(User)
class VolunteerAdmin(UserAdmin):
    """Superusers manage accounts; an area admin manages the memberships of their areas' volunteers.

    Passwords, emails and the active/staff/superuser switches are for
    superusers only: whoever sets them controls the account. Volunteers reset
    their own password by email and change it at /admin/password_change/.
    """

    inlines = [MembershipInline]
    list_display = ["username", "first_name", "email", "areas", "is_active", "is_superuser", "last_login"]
    limited_fieldsets = [
        (None, {"fields": ["username"]}),
        (
            _("Volunteer"),
            {"fields": ["first_name", "last_name", "email", "is_active", "last_login"], "description": NAMES_REMINDER},
        ),
    ]
    limited_readonly_fields = ["username", "email", "is_active", "last_login"]

    def get_queryset(self, request):
        ids = admin_area_ids(request)
        visible = Membership.objects.select_related("area").order_by("area__name")
        if ids is not None:
            visible = visible.filter(area_id__in=ids)
        queryset = managed_users(request) if ids is not None else super().get_queryset(request)
        return queryset.prefetch_related(Prefetch("memberships", queryset=visible, to_attr="visible_memberships"))

    @admin.display(description=_("areas"))
    def areas(self, obj):
        # Only the memberships the viewer may manage: an area admin learns nothing of other areas.
        return ", ".join(f"{m.area.name} ({ROLE_SHORT[m.role]})" for m in obj.visible_memberships)

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.limited_fieldsets

    def get_readonly_fields(self, request, obj=None):
        return super().get_readonly_fields(request, obj) if request.user.is_superuser else self.limited_readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        if not request.user.is_superuser:
            # A plain form: Django's UserChangeForm carries the password hash and its reset link.
            kwargs["form"] = forms.ModelForm
        return super().get_form(request, obj, **kwargs)

    def get_list_filter(self, request):
        return super().get_list_filter(request) if request.user.is_superuser else []

    def has_module_permission(self, request):
        return request.user.is_superuser or bool(admin_area_ids(request))

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (
            obj is None or request.user.is_superuser or managed_users(request).filter(pk=obj.pk).exists()
        )

    has_change_permission = has_view_permission

    def has_add_permission(self, request):
        # New accounts come from a superuser, with their first membership: that is the invitation to an area.
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def user_change_password(self, request, id, form_url=""):
        # Whoever sets a password owns the account. Everyone else changes their own at /admin/password_change/.
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            obj.is_staff = True
            obj.is_superuser = False
        super().save_model(request, obj, form, change)


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LoginAttemptAdmin(AccessAttemptAdmin):
    def changelist_view(self, request, extra_context=None):
        # django-axes' "locked out" column and filter read the time of a login attempt from the
        # request, which only a login sets; here, none means "now" (without it: a 500 on this page).
        request.axes_attempt_time = None
        return super().changelist_view(request, extra_context)


@admin.register(Membership)
class MembershipAdmin(AdministeredAreasMixin, admin.ModelAdmin):
    """Memberships of the areas the user administers, of people who already belong to one of them."""

    list_display = ["user", "area", "role"]
    list_filter = ["role"]
    list_select_related = ["user", "area"]
    search_fields = ["user__username", "user__first_name", "area__name"]
    autocomplete_fields = ["user", "area"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = admin_area_ids(request)
        return queryset if ids is None else queryset.filter(area_id__in=ids, user__in=managed_users(request))

    def has_module_permission(self, request):
        return request.user.is_superuser or bool(admin_area_ids(request))

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (
            obj is None or request.user.is_superuser or self.get_queryset(request).filter(pk=obj.pk).exists()
        )

    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission

    def has_add_permission(self, request):
        return self.has_module_permission(request)
