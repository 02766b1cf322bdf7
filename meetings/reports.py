"""The public "report a change" form: it lands in the area's moderation queue, never on the listing."""

import hashlib

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.mail import send_mail
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from groups.models import Membership
from meetings.models import ChangeRequest, Meeting

REPORTS_PER_HOUR = 5


class ChangeRequestForm(forms.ModelForm):
    # A field people never see: bots fill it in, and their report is dropped.
    website = forms.CharField(required=False, label=gettext_lazy("Leave this empty"))

    class Meta:
        model = ChangeRequest
        fields = ["message", "contact"]
        widgets = {"message": forms.Textarea(attrs={"rows": 5, "maxlength": 2000})}
        help_texts = {"contact": gettext_lazy("An email or phone, if a volunteer may ask you about it.")}


def client_address(request):
    """The visitor's address; behind our own TLS proxy, the one the proxy saw."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[0].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "")


def throttle_key(request):
    # Only a salted hash of the address lives, in the cache, for an hour: nothing is stored.
    raw = f"{settings.SECRET_KEY}:{client_address(request)}".encode()
    return "report-rate:" + hashlib.sha256(raw).hexdigest()


def over_limit(request):
    key = throttle_key(request)
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key) > REPORTS_PER_HOUR
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        return False


@require_http_methods(["GET", "HEAD", "POST"])
def report_change(request, slug):
    meeting = get_object_or_404(Meeting.objects.public().select_related("area"), slug=slug)
    form = ChangeRequestForm(request.POST or None)
    if request.method == "POST":
        if over_limit(request):
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
    area = report.meeting.area
    area_ids = [area.pk] + [a.pk for a in area.ancestors()]
    emails = sorted(
        set(
            Membership.objects.filter(area_id__in=area_ids, user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )
    if not emails:
        return
    link = request.build_absolute_uri(reverse("admin:meetings_changerequest_change", args=[report.pk]))
    body = _("Someone reported a change to %(meeting)s:\n\n%(message)s\n\nReview it: %(link)s") % {
        "meeting": report.meeting.name,
        "message": report.message,
        "link": link,
    }
    subject = _("Change reported: %(meeting)s") % {"meeting": report.meeting.name}
    send_mail(subject, body, None, emails, fail_silently=True)
