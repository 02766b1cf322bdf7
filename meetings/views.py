from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from meetings import calendar, seo
from meetings.filters import DEFAULT_RADIUS, MAX_RADIUS, MeetingFilter
from meetings.freshness import versioned_key
from meetings.listing import active_filters, by_day, listing_times, page_with_total, present
from meetings.models import Attendance, Meeting

PAGE_SIZE = 25  # a phone screenful or two; the rest a tap away
SOON = 5  # online meetings shown on the home page


def meeting_queryset():
    """What every public page shows of a meeting, in a fixed number of queries."""
    return Meeting.objects.public().select_related("location", "group", "area").prefetch_related("times", "types")


@require_safe
def home(request):
    now = timezone.now()
    # Every visitor in the same minute sees the same list: work it out once a minute
    # (and again whenever a listing changes, through the versioned key).
    key = versioned_key(f"home-soon:{now:%Y%m%d%H%M}")
    soon = cache.get(key)
    if soon is None:
        soon = list(listing_times().active().attendable(Attendance.ONLINE, Attendance.PHONE).upcoming(now)[:SOON])
        cache.set(key, soon, timeout=120)
    return render(request, "meetings/home.html", {"soon": present(soon, now)})


@require_safe
def meeting_list(request):
    now = timezone.now()
    slots = listing_times()
    search = MeetingFilter(request.GET, queryset=slots, now=now)
    place_missing = bool(request.GET.get("near")) and search.point is None and "near" in search.form.errors
    if place_missing:
        # An unknown place must not look like "no meetings there": show the
        # message and suggestions instead of a list.
        page, rows = None, []
    else:
        page = page_with_total(search.qs, request.GET.get("page"), PAGE_SIZE, rows=slots)
        rows = present(page.object_list, now, search.viewer_timezone, search.distance_units)
    grouped = not search.cleaned.get("upcoming") and (search.cleaned.get("sort") or "time") == "time"
    context = {
        "search": search,
        "page": page,
        "rows": rows,
        "days": by_day(rows) if grouped else None,
        "chips": active_filters(search, request.GET),
        "problems": [p for p in search.problems if not (place_missing and p["field"] == "near")],
        "place_missing": place_missing,
        "empty_help": empty_help(search, request.GET),
        "page_query": query_without(request.GET, "page"),
    }
    return render(request, "meetings/meeting_list.html", context)


def query_without(query, *names):
    remaining = query.copy()
    for name in names:
        remaining.pop(name, None)
    return urlencode(remaining, doseq=True)


def empty_help(search, query):
    """Links that help when nothing matched: a wider radius, online meetings."""
    links = {"online": "?" + urlencode({"attendance": "online", "upcoming": "1"})}
    if search.point:
        wider = query.copy()
        radius = min(float(search.distance_radius) * 2.5, MAX_RADIUS)
        wider["radius"] = f"{max(radius, DEFAULT_RADIUS * 2.5):g}"
        wider.pop("page", None)
        links["wider"] = "?" + urlencode(wider, doseq=True)
        links["wider_radius"] = wider["radius"]
    return links


@require_safe
def meeting_detail(request, slug):
    meeting = get_object_or_404(meeting_queryset(), slug=slug)
    now = timezone.now()
    slots = list(meeting.times.all())
    for slot in slots:
        slot.meeting = meeting  # already loaded: no query per slot
    rows = present(slots, now, request.GET.get("tz") or None)
    same_place = []
    if meeting.location_id:
        same_place = meeting_queryset().filter(location_id=meeting.location_id).exclude(pk=meeting.pk)
    context = {
        "meeting": meeting,
        "rows": rows,
        "same_place": same_place,
        "json_ld": seo.meeting_json_ld(meeting, rows),
    }
    return render(request, "meetings/meeting_detail.html", context)


@require_safe
def meeting_ics(request, slug):
    meeting = get_object_or_404(meeting_queryset(), slug=slug)
    slots = list(meeting.times.all())
    for slot in slots:
        slot.meeting = meeting
    body = calendar.weekly_calendar(slots, settings.SITE_URL, name=meeting.name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{meeting.slug}.ics"'
    return response
