"""The request queue in the admin: a visitor's proposal as a diff against the listing, applied or declined in one click.

Scoped like every admin page (groups/scope.py): a volunteer sees, applies and
declines only their areas' requests. Applying claims the meeting's edit
version the volunteer saw (groups/versions.py), so an edit made meanwhile is
never overwritten silently; a field the listing changed since the request came
in is shown as such and left unticked.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from groups.scope import AreaScopedListFilter, ScopedAdminMixin, area_ids
from groups.versions import describe_changes_since
from meetings import proposals
from meetings.models import ChangeRequest, Meeting, MeetingTime, MeetingType

REQUIRED_FOR_NEW = ("name", "times")


def checked(obj, field, ticked, since):
    """A row's box: what was applied (a closed request), what the volunteer ticked, else all but fields edited since."""
    if not obj.is_open:
        return field in obj.applied_fields
    return field in ticked if ticked is not None else field not in since


def close(request_obj, status, user, note=""):
    """Close a request: who and when, the note, and the visitor's contact deleted (no longer needed)."""
    request_obj.status = status
    request_obj.handled_by = user
    request_obj.handled_at = timezone.now()
    request_obj.contact = ""
    if note:
        request_obj.volunteer_note = note
    request_obj.save()


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why it is declined (kept with the request; the visitor is not told)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ScopedAdminMixin, admin.ModelAdmin):
    area_path = "area_id"  # for a new meeting only: see get_queryset and object_area_id
    list_display = ["__str__", "area_now", "what", "short_message", "status", "created_at"]
    list_display_links = ["__str__"]
    list_filter = ["status", "kind", ("area", AreaScopedListFilter)]
    list_select_related = ["meeting__area", "area"]
    search_fields = ["message", "meeting__name"]
    actions = ["decline"]
    change_form_template = "admin/meetings/changerequest/review.html"

    def get_queryset(self, request):
        """The requests of the user's areas, by the meeting's area now (a moved meeting takes its requests)."""
        return super(ScopedAdminMixin, self).get_queryset(request).in_areas(area_ids(request))

    def object_area_id(self, obj):
        return obj.current_area_id

    @admin.display(description=gettext_lazy("service area"), ordering="area__name")
    def area_now(self, obj):
        return obj.meeting.area if obj.meeting_id else obj.area

    @admin.display(description=gettext_lazy("what"))
    def what(self, obj):
        return proposals.what(obj)

    @admin.display(description=gettext_lazy("message"))
    def short_message(self, obj):
        return obj.message[:80]

    def has_add_permission(self, request, *args):
        return False  # they come from the public form

    @admin.action(description=gettext_lazy("Decline (spam or nothing to change)"))
    def decline(self, request, queryset):
        count = 0
        for obj in queryset.filter(status=ChangeRequest.Status.OPEN):
            close(obj, ChangeRequest.Status.DISMISSED, request.user, _("Declined from the list."))
            count += 1
        self.message_user(request, ngettext("%d request declined.", "%d requests declined.", count) % count)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The review page: the proposal against the listing, with "apply" and "decline"."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        meeting = obj.meeting
        if meeting is not None:
            meeting = (
                Meeting.objects.select_related("location", "area").prefetch_related("times", "types").get(pk=meeting.pk)
            )
        decline_form = DeclineForm(request.POST if "_decline" in request.POST else None)
        problem = None
        if request.method == "POST" and obj.is_open:
            if "_decline" in request.POST and decline_form.is_valid():
                close(obj, ChangeRequest.Status.DISMISSED, request.user, decline_form.cleaned_data["reason"])
                self.message_user(request, _("Request #%(n)s declined.") % {"n": obj.pk})
                return HttpResponseRedirect(reverse("admin:meetings_changerequest_changelist"))
            if "_apply" in request.POST:
                with transaction.atomic():
                    problem, done = self.apply(request, obj, meeting)
                if done is not None:
                    self.message_user(request, done, messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:meetings_changerequest_changelist"))
        context = {
            **self.admin_site.each_context(request),
            **(extra_context or {}),
            "title": str(obj),
            "subtitle": None,
            "opts": self.opts,
            "original": obj,
            "request_obj": obj,
            "meeting": meeting,
            "rows": self.diff_rows(request, obj, meeting),
            "seen_version": meeting.version if meeting else "",
            "decline_form": decline_form,
            "problem": problem,
            "has_view_permission": True,
            "has_change_permission": self.has_change_permission(request, obj),
            "app_label": self.opts.app_label,
        }
        return TemplateResponse(request, self.change_form_template, context)

    def diff_rows(self, request, obj, meeting):
        """One row per proposed field: label, the listing now, the proposal, then, and whether it changed since."""
        now = proposals.current_values(meeting) if meeting else {}
        names = dict(MeetingType.objects.values_list("code", "name"))
        ticked = set(request.POST.getlist("fields")) if request.method == "POST" else None
        since = set(proposals.changed_since(obj, now)) if meeting else set()
        rows = []
        for field in proposals.FIELDS:
            if field not in obj.proposed:
                continue
            rows.append(
                {
                    "field": field,
                    "label": proposals.LABELS[field],
                    "now": self.shown_now(meeting, field, now, names),
                    "proposed": proposals.shown(field, obj.proposed[field], type_names=names),
                    "then": proposals.shown(field, obj.current.get(field), type_names=names),
                    "changed_since": field in since,
                    "same_now": meeting is not None and now.get(field) == obj.proposed[field],
                    "checked": checked(obj, field, ticked, since),
                    # A new meeting has its name and times, whatever is ticked.
                    "required": obj.kind == ChangeRequest.Kind.NEW and field in REQUIRED_FOR_NEW,
                }
            )
        return rows

    @staticmethod
    def shown_now(meeting, field, now, names):
        if meeting is None:
            return ""
        if field == "times":
            return proposals.shown_times_now(meeting)  # "Monthly, on the 1st and 3rd Wednesday …"
        return proposals.shown(field, now.get(field), type_names=names)

    def apply(self, request, obj, meeting):
        """(problem message, success message): apply the ticked fields, or say why not."""
        fields = [f for f in request.POST.getlist("fields") if f in obj.proposed]
        reason = _("from request #%(n)s") % {"n": obj.pk}
        if obj.kind == ChangeRequest.Kind.NEW:
            fields = sorted({*fields, *REQUIRED_FOR_NEW})
            try:
                created = proposals.create_meeting(obj, fields, user=request.user, reason=reason)
            except proposals.CannotApply as error:
                return str(error), None
            obj.meeting = created
            obj.applied_fields = fields
            close(obj, ChangeRequest.Status.APPLIED, request.user)
            return None, _("Meeting “%(name)s” created from request #%(n)s.") % {"name": created.name, "n": obj.pk}
        if not fields:
            return _("Tick at least one change to apply, or decline the request."), None
        try:
            seen = int(request.POST.get("seen_version", ""))
        except ValueError:
            seen = None
        # The version the volunteer saw, claimed with one compare-and-set: another save since then wins, and is shown.
        claimed = seen is not None and Meeting.objects.filter(pk=meeting.pk, version=seen).update(version=seen + 1)
        if not claimed:
            return describe_changes_since(meeting, seen or 0, [(MeetingTime, "meeting_id")]), None
        meeting.version = seen
        try:
            proposals.apply(meeting, obj.proposed, fields, user=request.user, reason=reason)
        except proposals.CannotApply as error:
            transaction.set_rollback(True)
            return str(error), None
        obj.applied_fields = fields
        close(obj, ChangeRequest.Status.APPLIED, request.user)
        labels = ", ".join(str(proposals.LABELS[f]) for f in proposals.FIELDS if f in fields)
        return None, _("Applied to %(meeting)s: %(fields)s.") % {"meeting": meeting.name, "fields": labels}
