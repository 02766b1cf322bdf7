"""Feed sources in the admin: each area's volunteers see and keep their own."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from groups.scope import AreaScopedListFilter, ScopedAdminMixin
from meetings.models import FeedSource
from meetings.syncing import sync


class FailingFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "failing"

    def lookups(self, request, model_admin):
        return [("1", _("Failing"))]

    def queryset(self, request, queryset):
        return queryset.failing() if self.value() == "1" else queryset


@admin.register(FeedSource)
class FeedSourceAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "area", "enabled", "approved", "last_success_at", "short_error"]
    list_filter = [("area", AreaScopedListFilter), FailingFilter, "enabled"]
    list_select_related = ["area"]
    search_fields = ["name", "url"]
    autocomplete_fields = ["area"]
    readonly_fields = ["last_attempt_at", "last_success_at", "last_error", "last_report"]
    fieldsets = [
        (None, {"fields": ["name", "area", "url", "format", "timezone", "wins", "enabled", "every_hours"]}),
        (_("First sync"), {"fields": ["approved"]}),
        (_("Last sync"), {"fields": ["last_attempt_at", "last_success_at", "last_error", "last_report"]}),
    ]
    actions = ["sync_now"]

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return obj.last_error[:80]

    @admin.action(description=_("Sync now (a source not yet approved only previews)"))
    def sync_now(self, request, queryset):
        done = failed = 0
        for source in queryset.select_related("area"):
            if sync(source) is None:
                failed += 1
            else:
                done += 1
        self.message_user(request, ngettext("%d source synced.", "%d sources synced.", done) % done)
        if failed:
            self.message_user(
                request,
                ngettext("%d source failed: see its last error.", "%d sources failed: see their last error.", failed)
                % failed,
                messages.WARNING,
            )
