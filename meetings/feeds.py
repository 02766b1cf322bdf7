"""Feeds for other apps: the Meeting Guide JSON of the directory, and CSV and iCalendar of any search.

The Meeting Guide feed is cached under the listings version (every save
changes it), and streamed while it is built, so a cold request neither waits
for the whole body nor holds it twice.
"""

import io
import zlib
from concurrent.futures import ThreadPoolExecutor

import orjson
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from meetings import calendar
from meetings.filters import MeetingFilter
from meetings.freshness import versioned_key
from meetings.meeting_guide import writing
from meetings.models import MeetingTime

MAX_CALENDAR_EVENTS = 2000
MAX_CACHED_BYTES = 64 * 1024 * 1024


def bad_parameters(search):
    lines = [f"{p['field']}: {p['message']}" for p in search.problems]
    return HttpResponse(
        "Some parameters are not valid.\n" + "\n".join(lines) + "\n",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


@require_safe
def meeting_guide_json(request):
    """Every public meeting, one object per weekly time; any search parameter narrows it (`?area=<slug>`...).

    The whole feed and each area's are built once per listings version and
    kept gzip-compressed (about a tenth of their size) in the cache; apps that
    accept gzip get those bytes as they are. Other searches are built each time.
    """
    search = feed_search(request)
    if search.problems:
        return bad_parameters(search)
    area = search.cleaned.get("area")
    ctx = writing.context(settings.SITE_URL, root=area)
    if narrowed_beyond_area(search):
        body = orjson.dumps(list(writing.times_objects(search.qs, ctx)))
        return HttpResponse(body, content_type="application/json")
    meetings = writing.feed_queryset()
    if area is not None:
        meetings = meetings.in_area(area)
    key = versioned_key(f"feed:meeting-guide:{area.slug if area else ''}")
    gzipped = cache.get(key)
    accepts_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    if gzipped is None:
        response = StreamingHttpResponse(
            stream_feed(writing.records(meetings), ctx, key), content_type="application/json"
        )
    elif accepts_gzip:
        response = HttpResponse(gzipped, content_type="application/json")
        response["Content-Encoding"] = "gzip"
    else:
        response = StreamingHttpResponse(gunzip(gzipped), content_type="application/json")
    response["Vary"] = "Accept-Encoding"
    response["Cache-Control"] = "public, max-age=300"
    return response


def feed_search(request):
    """The search of a feed: the one parser of search parameters, over the weekly times a feed publishes."""
    return MeetingFilter(request.GET, queryset=MeetingTime.objects.public(), now=timezone.now())


def narrowed_beyond_area(search):
    """True when the search says more than `area` (days, types, a place...): the feed is then built per request."""
    return any(value not in (None, "", [], False) for name, value in search.cleaned.items() if name != "area")


def stream_feed(records, ctx, key):
    """Yield the JSON array in pieces while compressing a copy for the cache, stored once complete.

    zlib lets go of the GIL while it works, so a second thread compresses
    each piece while this one builds the next: the cold feed costs about
    the building alone.
    """
    packer = zlib.compressobj(1, zlib.DEFLATED, 31)  # 31: gzip framing; level 1: fast, still ~10x smaller
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="feed-gzip") as compressor:
        packed = []  # one worker thread: the pieces are compressed in the order they were sent
        for piece in writing.json_chunks(records, ctx):
            packed.append(compressor.submit(packer.compress, piece))
            yield piece
        packed.append(compressor.submit(packer.flush))
        body = b"".join(part.result() for part in packed)
    if len(body) < MAX_CACHED_BYTES:
        cache.set(key, body, timeout=24 * 3600)


def gunzip(body, size=1 << 20):
    unpacker = zlib.decompressobj(31)
    for start in range(0, len(body), size):
        yield unpacker.decompress(body[start : start + size])
    yield unpacker.flush()


@require_safe
def meetings_csv(request):
    """The Meeting Guide fields as CSV, one row per weekly time a search finds (same parameters as /meetings/)."""
    search = feed_search(request)
    if search.problems:
        return bad_parameters(search)
    out = io.StringIO()
    ctx = writing.context(settings.SITE_URL, root=search.cleaned.get("area"))
    writing.write_csv(out, writing.times_objects(search.qs, ctx))
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ha-meetings.csv"'
    return response


@require_safe
def meetings_ics(request):
    """A calendar of the meetings a search finds (same parameters as /meetings/)."""
    times = MeetingTime.objects.active().for_cards("meeting__area").prefetch_related("meeting__schedule_changes")
    search = MeetingFilter(request.GET, queryset=times, now=timezone.now())
    if search.problems:
        return bad_parameters(search)
    response = HttpResponse(
        calendar.weekly_calendar(search.qs[:MAX_CALENDAR_EVENTS], settings.SITE_URL),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="ha-meetings.ics"'
    return response
