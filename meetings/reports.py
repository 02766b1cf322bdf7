"""The public "report a change" form: it lands in the area's moderation queue, never on the listing."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.mail import EmailMessage, get_connection
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from groups.models import Membership
from ha_directory import ratelimit
from ha_directory.clients import client_address
from meetings.models import ChangeRequest, Meeting


class ChangeRequestForm(forms.ModelForm):
    # A field people never see: bots fill it in, and their report is dropped.
    website = forms.CharField(required=False, label=gettext_lazy("Leave this empty"))

    class Meta:
        model = ChangeRequest
        fields = ["message", "contact"]
        widgets = {"message": forms.Textarea(attrs={"rows": 5, "maxlength": 2000})}
        help_texts = {"contact": gettext_lazy("An email or phone, if a volunteer may ask you about it.")}


@require_http_methods(["GET", "HEAD", "POST"])
def report_change(request, slug):
    meeting = get_object_or_404(Meeting.objects.public().select_related("area"), slug=slug)
    form = ChangeRequestForm(request.POST or None)
    if request.method == "POST":
        # Counted per client address across every worker (the shared cache); only a keyed hash is kept.
        if not ratelimit.hit("report", client_address(request), settings.REPORTS_PER_HOUR, 3600):
            context = {"meeting": meeting, "form": form, "throttled": True}
            return form_page(render(request, "meetings/report_change.html", context, status=429))
        if form.is_valid():
            if not form.cleaned_data["website"]:
                report = form.save(commit=False)
                report.meeting = meeting
                report.save()
                notify_volunteers(request, report)
            messages.success(request, _("Thank you. A volunteer will check the listing."))
            return redirect(meeting)
    return form_page(render(request, "meetings/report_change.html", {"meeting": meeting, "form": form}))


def form_page(response):
    response.posts_to_self = True  # see SameOriginReferrerForFormsMiddleware
    return response


def notify_volunteers(request, report):
    """Mail the report to the area's own volunteers, one message per person.

    "The area's own" are the volunteers of the nearest area up the tree that
    has any (with an email): a district's report goes to the district, not to
    every volunteer of the region and the world above it. One message each,
    so nobody learns the others' addresses.
    """
    emails = area_volunteer_emails(report.meeting.area)
    if not emails:
        return
    link = request.build_absolute_uri(reverse("admin:meetings_changerequest_change", args=[report.pk]))
    body = _("Someone reported a change to %(meeting)s:\n\n%(message)s\n\nReview it: %(link)s") % {
        "meeting": report.meeting.name,
        "message": report.message,
        "link": link,
    }
    subject = _("Change reported: %(meeting)s") % {"meeting": report.meeting.name}
    connection = get_connection(fail_silently=True)
    connection.send_messages([EmailMessage(subject, body, None, [email], connection=connection) for email in emails])


def area_volunteer_emails(area):
    """Emails of the active volunteers of `area`, or of its nearest ancestor that has some (sorted)."""
    chain = [area, *area.ancestors()]
    found = {}
    for area_id, email in (
        Membership.objects.filter(area__in=chain, user__is_active=True)
        .exclude(user__email="")
        .values_list("area_id", "user__email")
    ):
        found.setdefault(area_id, set()).add(email)
    for candidate in chain:
        if candidate.pk in found:
            return sorted(found[candidate.pk])
    return []
