"""Who may work on what: a volunteer's areas and every area below them.

Rights come from area memberships, not from ticking model permissions: a
staff user with no membership sees nothing; a superuser sees everything.
Every admin that lists area-owned records uses ScopedAdminMixin, so lists,
change pages, autocompletes, form choices and actions all share one rule.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, router, transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from groups import history
from groups.models import Membership, ServiceArea
from groups.versions import VersionedAdminMixin


def area_ids(request):
    """Area ids the user may work on, or None for "all" (superusers). Cached per request."""
    user = request.user
    if not user.is_active or not user.is_staff:
        return set()
    if user.is_superuser:
        return None
    if not hasattr(request, "_area_ids"):
        request._area_ids = Membership.objects.area_ids_for(user)
    return request._area_ids


def admin_area_ids(request):
    """Areas where the user is an area admin (manages volunteers), or None for superusers."""
    if request.user.is_active and request.user.is_superuser:
        return None
    if not request.user.is_active or not request.user.is_staff:
        return set()
    if not hasattr(request, "_admin_area_ids"):
        request._admin_area_ids = Membership.objects.area_ids_for(request.user, Membership.Role.AREA_ADMIN)
    return request._admin_area_ids


def managed_users(request):
    """Users whose memberships the user may manage, or every user for a superuser.

    An area admin manages the people who already belong to one of the areas
    they administer (a superuser brings anyone new in: creating a volunteer's
    account with a membership in an area is how someone is invited there),
    never a superuser, and only those people's memberships in their own areas.
    """
    users = get_user_model().objects.order_by("username")
    ids = admin_area_ids(request)
    if ids is None:
        return users
    belonging = Membership.objects.filter(area_id__in=ids).values("user_id")
    return users.filter(pk__in=belonging, is_superuser=False)


class RevertClash(Exception):
    """Restoring a version's inline rows broke a unique rule (a swap): the whole revert is rolled back."""


def home_area(request):
    """The area of the user's first membership, or None (a superuser without one). Cached per request.

    It decides what the admin cannot read from a record: the clock of a new
    meeting's times, and the zone the History page writes its times in.
    """
    if not hasattr(request, "_home_area"):
        membership = (
            Membership.objects.filter(user_id=request.user.pk).select_related("area").order_by("pk")
            if request.user.is_authenticated
            else Membership.objects.none()
        ).first()
        request._home_area = membership.area if membership else None
    return request._home_area


def volunteer_zone(request):
    """The zone the History page writes moments in: the volunteer's area's, or the server's (a superuser's)."""
    area = home_area(request)
    return area.timezone if area is not None else settings.TIME_ZONE


def in_scope(request, area_id):
    ids = area_ids(request)
    return ids is None or area_id in ids


class ScopedAdminMixin(VersionedAdminMixin):
    """Limit an admin to the records of the user's areas.

    `area_path` is the lookup from the model to its ServiceArea id
    ("area_id", "meeting__area_id", or "pk" for ServiceArea itself).
    """

    area_path = "area_id"
    scoped_foreign_keys = {
        "area": "pk",
        "group": "area_id",
        "location": "area_id",
        "parent": "pk",
        "meeting": "area_id",
    }

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = area_ids(request)
        return queryset if ids is None else queryset.filter(**{f"{self.area_path}__in": ids})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        ids = area_ids(request)
        lookup = self.scoped_foreign_keys.get(db_field.name)
        if ids is not None and lookup and field is not None:
            field.queryset = field.queryset.filter(**{f"{lookup}__in": ids})
        return field

    def object_area_id(self, obj):
        value = obj
        for part in self.area_path.split("__"):
            value = getattr(value, "pk" if part == "pk" else part)
        return value

    def has_module_permission(self, request):
        return (
            request.user.is_active and request.user.is_staff and (area_ids(request) is None or bool(area_ids(request)))
        )

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (obj is None or in_scope(request, self.object_area_id(obj)))

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        # Listings are archived, never deleted; only a superuser may remove
        # something unused (foreign keys protect anything still referenced).
        return request.user.is_superuser


    # History (django-simple-history): the list, a version's page and its revert.
    # simple-history checks permission against the version alone, so a volunteer
    # could open a record's old version from before it moved to another area and
    # revert it back into theirs. Here both the record as it is now and the
    # version must be in the user's areas.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Moments on the form (created, updated, who saved it just before you) in the volunteer's own zone.
        with timezone.override(volunteer_zone(request)):
            return super().changeform_view(request, object_id, form_url, extra_context)

    history_entries_per_page = 50
    object_history_form_template = "admin/whole_history_form.html"

    def history_view(self, request, object_id, extra_context=None):
        current = self.check_history_scope(request, object_id)
        if current is None or not hasattr(self.model, "history"):
            # A deleted record (only a superuser gets here) keeps simple-history's own page of its rows.
            return super().history_view(request, object_id, extra_context)
        if not self.has_view_permission(request, current):
            raise PermissionDenied
        zone = volunteer_zone(request)
        entries = self.history_entries(request, current)
        visible = [entry for entry in reversed(entries) if entry.visible]
        page_obj = Paginator(visible, self.history_entries_per_page).get_page(request.GET.get("p"))
        for entry in page_obj.object_list:
            entry.moment = history.moment(entry.when, zone)
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": _("History: %s") % current,
            "subtitle": None,
            "object": current,
            "opts": opts,
            "app_label": opts.app_label,
            "module_name": capfirst(opts.verbose_name_plural),
            "page_obj": page_obj,
            "zone": zone,
            "zone_is_areas": home_area(request) is not None,
            "revert_disabled": not self.has_change_permission(request, current),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/whole_history.html", context)

    def history_entries(self, request, current):
        """Every save of `current` as one entry (groups/history.py), each marked visible or not to this user."""
        return history.build_entries(
            self,
            current.pk,
            twelve_hour=self.history_clock(current),
            is_visible=lambda record: in_scope(request, self.history_area_id(record)),
        )

    def history_area_id(self, record):
        """The area of a history row, read from the row itself (its `instance` costs a query for a meeting)."""
        if self.area_path == "pk":
            return getattr(record, self.model._meta.pk.attname)
        return self.object_area_id(record)

    def history_clock(self, obj):
        area = obj if isinstance(obj, ServiceArea) else getattr(obj, "area", None)
        return area.twelve_hour if area is not None else True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        current = self.check_history_scope(request, object_id, version_id)
        entry = None
        if current is not None and hasattr(self.model, "history"):
            entry = history.entry_for_version(self.history_entries(request, current), int(version_id))
        request._history_record = entry.records[-1] if entry is not None else None
        if request.method != "POST":
            context = dict(extra_context or {})
            if entry is not None:
                context["restored"] = history.restored_summary(self, entry, self.history_clock(current))
            return super().history_form_view(request, object_id, version_id, context)
        request._reverting = current
        request._reverting_entry = entry
        return self.retrying_conflicts(self.atomic_revert, request, object_id, version_id, extra_context)

    def atomic_revert(self, request, object_id, version_id, extra_context):
        # simple-history's revert does not run in a transaction; the version check needs one.
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                response = super().history_form_view(request, object_id, version_id, extra_context)
                entry = getattr(request, "_reverting_entry", None)
                if response.status_code == 302 and entry is not None:
                    # simple-history restores the record's own row; its weekly times and dated changes follow here.
                    reason = self.revert_reason(request, entry)
                    try:
                        with transaction.atomic(using=router.db_for_write(self.model)):
                            history.restore_inlines(self, request._reverting, entry, request.user, reason)
                    except IntegrityError:
                        raise RevertClash from None
                return response
        except RevertClash:
            # A row of then clashes with one of today's (two times swapped, a feed link given to another
            # time since): nothing was saved, so the "changed successfully" already queued is dropped.
            for _queued in messages.get_messages(request):
                pass
            self.message_user(
                request,
                _(
                    "Nothing was reverted: a time or dated change of that version clashes with one of today's "
                    "(two times swapped, say). Change the times by hand on the record's page."
                ),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.path)

    def revert_reason(self, request, entry):
        when = history.moment(entry.when, volunteer_zone(request))
        return _("Reverted to the version of %(when)s") % {"when": when}

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        record = getattr(request, "_history_record", None)
        if record is None or request.method == "POST":
            return form
        initial = history.m2m_initial(record)  # a version's types, not today's

        class VersionForm(form):
            def __init__(self, *args, **kwargs):
                kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
                super().__init__(*args, **kwargs)

        VersionForm.__name__ = form.__name__
        return VersionForm

    def check_history_scope(self, request, object_id, version_id=None):
        """The record now (and the version, if given) in the user's areas, or PermissionDenied; returns the record."""
        try:
            pk = self.model._meta.pk.to_python(unquote(object_id))
            current = self.model._base_manager.filter(pk=pk).first()
            version = None
            if version_id is not None:
                history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
                version = history.filter(**{self.model._meta.pk.attname: pk, "history_id": version_id}).first()
        except (ValueError, ValidationError):
            raise Http404 from None
        if area_ids(request) is None:
            return current  # superusers, including a deleted record's history
        if current is None or not in_scope(request, self.object_area_id(current)):
            raise PermissionDenied
        if version_id is not None:
            if version is None:
                raise Http404
            if not in_scope(request, self.object_area_id(version.instance)):
                raise PermissionDenied
        return current

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # Versions from before the record came into the user's areas stay hidden:
        # their names and places belong to another area.
        queryset = super().get_history_queryset(request, history_manager, pk_name, object_id)
        ids = area_ids(request)
        if ids is None:
            return queryset
        path = pk_name if self.area_path == "pk" else self.area_path
        return queryset.filter(**{f"{path}__in": ids})

    def save_form(self, request, form, change):
        obj = super().save_form(request, form, change)
        current = getattr(request, "_reverting", None)
        if current is not None:
            entry = getattr(request, "_reverting_entry", None)
            if entry is not None:
                obj._change_reason = self.revert_reason(request, entry)
            # A revert restores only what the user could type on the change page:
            # fields read-only for them (an area's parent, who created a meeting) keep today's values.
            for name in self.get_readonly_fields(request, current):
                try:
                    field = self.model._meta.get_field(name)
                except FieldDoesNotExist:
                    continue
                if field.concrete and not field.primary_key:
                    setattr(obj, field.attname, getattr(current, field.attname))
        return obj


class AreaScopedListFilter(admin.RelatedOnlyFieldListFilter):
    """The area filter offers only areas the user works in."""

    def field_choices(self, field, request, model_admin):
        ids = area_ids(request)
        choices = super().field_choices(field, request, model_admin)
        return choices if ids is None else [(pk, label) for pk, label in choices if pk in ids]


def view_on_site(request, content_type_id, object_id):
    """The admin's "view on site" redirect, only for a record the user may see in the admin.

    Django's own answers any staff user with the record's public address,
    whose slug names it, even for another area's archived meeting.
    """
    try:
        model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        model_admin = admin.site._registry.get(model)
        obj = model_admin and model_admin.get_queryset(request).filter(pk=unquote(object_id)).first()
    except (ContentType.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    if not obj or not model_admin.has_view_permission(request, obj):
        raise Http404
    return shortcut(request, content_type_id, object_id)


def scoped_areas(request):
    ids = area_ids(request)
    return ServiceArea.objects.all() if ids is None else ServiceArea.objects.filter(pk__in=ids)


class InheritedPermissionsInline(admin.TabularInline):
    """An inline whose rows anyone who may change the parent may edit (the parent admin is scoped)."""

    def has_view_permission(self, request, obj=None):
        return True

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission
