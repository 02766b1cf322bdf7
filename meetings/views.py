from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from meetings import calendar, card_dates, card_parts, kept_rows, release, seo
from meetings.cards import by_day, next_dates_of, present, schedule_lines
from meetings.filters import MeetingFilter, viewer_timezone
from meetings.freshness import listings_version, versioned_key
from meetings.models import Attendance, Meeting, Occurrence
from meetings.page_cache import for_the_minute
from meetings.pagination import page_with_total

PAGE_SIZE = 25  # a phone screenful or two; the rest a tap away
# Results pages count up to 200 ("More than 200 meeting times found", eight pages), the API up to 500: a
# search that walks the dates in order (words, "starting soon") stops after as many matches, and reading
# 201 rather than 501 halves its SQL at 100,000 meetings (words 46 -> 23-28 ms on PostgreSQL, 16 -> 8-12
# ms on SQLite; online and starting soon 21 -> 10-12 and 11 -> 4 ms). A newcomer narrows a search
# long before page eight; an app reading the API pages through more.
RESULTS_CAP = 200
SOON = 5  # online meetings shown on the home page


@require_safe
@for_the_minute
def home(request):
    now = timezone.now()
    # Every visitor in the same minute sees the same list: work it out once a minute
    # (and again whenever a listing changes, through the versioned key).
    remote = Occurrence.objects.active().meeting().for_cards().attendable(Attendance.ONLINE, Attendance.PHONE)
    soon = cache.get_or_set(
        versioned_key(f"home-soon:{now:%Y%m%d%H%M}"), lambda: list(remote.upcoming(now).ordered_by("time")[:SOON]), 120
    )
    return render(request, "meetings/home.html", {"soon": card_parts.attach(present(soon, now), show_day=True)})


@require_safe
@for_the_minute
def meeting_list(request):
    now = timezone.now()
    dates = Occurrence.objects.public().for_cards(types=False)  # card_parts.attach reads those it needs
    search = MeetingFilter(request.GET, queryset=dates, now=now)
    if search.place_missing:
        # An unknown place must not look like "no meetings there": show the
        # message and suggestions instead of a list.
        page, rows = None, []
    else:
        by_distance = search.cleaned.get("sort") == "distance"
        matches = search.first(RESULTS_CAP + 1)  # page_with_total reads no more
        if by_distance:  # each card names its meeting's other times: the models, with those times
            rows_of, read = dates.prefetch_related("meeting__times"), kept_rows.in_bulk
        else:
            rows_of, read = dates, card_dates.in_bulk
        page = page_with_total(matches, request.GET.get("page"), PAGE_SIZE, rows=rows_of, cap=RESULTS_CAP, read=read)
        rows = present(page.object_list, now, search.viewer_timezone, search.distance_units)
        if by_distance:
            for row in rows:
                row.other_times = other_times(row)
    grouped = (search.cleaned.get("sort") or "time") == "time"
    card_parts.attach(rows, show_day=not grouped)  # a list by day names the day in its headings, not its cards
    context = {
        "search": search,
        "page": page,
        "rows": rows,
        "days": by_day(rows) if grouped else None,
        "chips": search.chips(),
        "problems": [p for p in search.problems if not (search.place_missing and p["field"] == "near")],
        "wider": search.wider(),
        "page_query": search.query_string(),
        "units_label": search.units_label,
    }
    response = render(request, "meetings/meeting_list.html", context)
    response.keep_for_the_minute = not search.problems  # a refused value or a failed lookup: ask again
    return response


@require_safe
@for_the_minute
def meeting_detail(request, slug):
    # The meeting, its dated changes and its neighbours at the same place are kept under the listings version
    # (kept_rows.py): a page's first visitor of the minute reads only its next dates, which depend on the time.
    meeting = kept_rows.in_bulk(Meeting.objects.public().for_page(), [slug], field_name="slug").get(slug)
    if meeting is None:
        raise Http404
    now = timezone.now()
    times = meeting_times_of(meeting)
    rows = present(times, now, viewer_timezone(request.GET) or None, next_dates=next_dates_of(times, now))
    context = {
        "meeting": meeting,
        "rows": rows,
        "lines": schedule_lines(rows),
        "kept": kept_parts_key(meeting),
        "same_place": SimpleLazyObject(lambda: same_place_as(meeting)),  # read only if its part is not kept
        "json_ld": seo.meeting_json_ld(meeting, rows),
        "changes": changes_that_matter(meeting, times, now),
    }
    return render(request, "meetings/meeting_detail.html", context)


@require_safe
def meeting_ics(request, slug):
    meeting = get_object_or_404(Meeting.objects.public().for_page(), slug=slug)
    body = calendar.weekly_calendar(meeting_times_of(meeting), settings.SITE_URL, name=meeting.name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{meeting.slug}.ics"'
    return response


def other_times(row):
    """The meeting's other times, in words, for the one card a meeting gets when sorted by distance."""
    return [
        f"{meeting_time.rule.describe()} {date_format(meeting_time.start_time, 'TIME_FORMAT')}"
        for meeting_time in row.meeting.times.all()
        if meeting_time.pk != row.meeting_time.pk
    ]


def kept_parts_key(meeting):
    """What the parts of a meeting's page kept in the cache depend on, besides the meeting.

    The release (its code, templates and catalogues), the listings, the
    language and the date ("Confirmed by the group 12 days ago"). Its
    times, next dates and dated changes are rendered on every page.
    """
    return (
        f"{release.fingerprint()}:{listings_version()}:{translation.get_language()}:{meeting.pk}:{timezone.localdate()}"
    )


def same_place_as(meeting):
    """The other meetings at the meeting's place: names and times only (not for_page(): the list shows no more)."""
    if not meeting.location_id:
        return []
    same_place = Meeting.objects.public().filter(location_id=meeting.location_id).exclude(pk=meeting.pk)
    return kept_rows.listed(same_place.prefetch_related("times"))


def changes_that_matter(meeting, times, now):
    """The meeting's dated changes that still matter at `now`, from those read with it, in order of date.

    Each points at its time among `times`, already loaded: a change of one
    time names it ("Every Monday").
    """
    by_pk = {meeting_time.pk: meeting_time for meeting_time in times}
    changes = [change for change in meeting.schedule_changes.all() if change.matters(now)]
    for change in changes:
        if change.meeting_time_id in by_pk:
            change.meeting_time = by_pk[change.meeting_time_id]
    return changes


def meeting_times_of(meeting):
    """A meeting's prefetched times, each pointing back at the meeting already loaded (no query per time)."""
    times = list(meeting.times.all())
    for meeting_time in times:
        meeting_time.meeting = meeting
    return times
