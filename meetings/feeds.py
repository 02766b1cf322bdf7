"""Feeds for other apps: iCalendar of any search; Meeting Guide JSON and CSV of the directory."""

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from meetings import calendar
from meetings.filters import MeetingFilter
from meetings.listing import listing_times

MAX_CALENDAR_EVENTS = 2000


def bad_parameters(search):
    lines = [f"{p['field']}: {p['message']}" for p in search.problems]
    return HttpResponse(
        "Some parameters are not valid.\n" + "\n".join(lines) + "\n",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


@require_safe
def meetings_ics(request):
    """A calendar of the meetings a search finds (same parameters as /meetings/)."""
    search = MeetingFilter(request.GET, queryset=listing_times().active(), now=timezone.now())
    if search.problems:
        return bad_parameters(search)
    slots = search.qs[:MAX_CALENDAR_EVENTS]
    response = HttpResponse(
        calendar.weekly_calendar(slots, settings.SITE_URL), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="ha-meetings.ics"'
    return response
