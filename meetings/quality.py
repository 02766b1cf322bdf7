"""The volunteers' data-quality page: what needs a look, in their own areas."""

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.scope import area_ids
from meetings.models import ChangeRequest, FeedSource, Location, Meeting

UNCONFIRMED_SHOWN = 100


@staff_member_required
def quality(request):
    ids = area_ids(request)
    meetings = Meeting.objects.public()
    locations = Location.objects.all()
    reports = ChangeRequest.objects.open().in_areas(ids)
    sources = FeedSource.objects.failing()
    if ids is not None:
        sources = sources.filter(area_id__in=ids)
        meetings = meetings.filter(area_id__in=ids)
        locations = locations.filter(area_id__in=ids)
    meeting_list = reverse("admin:meetings_meeting_changelist")
    today = timezone.localdate()
    unconfirmed = meetings.unconfirmed(today).select_related("group", "area").order_by(
        "confirmed_by_group_on", "name"
    )

    checks = [
        (
            _("Open change requests and new meetings from the public"),
            reports.count(),
            reverse("admin:meetings_changerequest_changelist") + "?status__exact=open",
        ),
        (
            _("Meetings not verified for 6 months"),
            meetings.stale(today).count(),
            f"{meeting_list}?quality=stale",
        ),
        (
            _("Meetings their group has not confirmed for 6 months (listed below)"),
            unconfirmed.count(),
            "#unconfirmed",
        ),
        (
            _("Probable duplicates (same place, day and time)"),
            meetings.probable_duplicates().count(),
            f"{meeting_list}?quality=duplicates",
        ),
        (
            _("Feed sources that failed their last sync (nothing was changed)"),
            sources.count(),
            reverse("admin:meetings_feedsource_changelist") + "?failing=1",
        ),
        (
            _("Locations that need a map pin"),
            locations.needs_pin().count(),
            reverse("admin:meetings_location_changelist") + "?pin=missing",
        ),
    ]
    context = {
        **admin.site.each_context(request),
        "checks": checks,
        "unconfirmed": unconfirmed[:UNCONFIRMED_SHOWN],
        "shown": UNCONFIRMED_SHOWN,
        "title": _("Data quality"),
    }
    return render(request, "admin/quality.html", context)
