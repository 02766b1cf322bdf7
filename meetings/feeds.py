"""Feeds for other apps: the Meeting Guide JSON of the directory, and CSV and iCalendar of any search.

The Meeting Guide feed is cached whole, gzipped, under the listings version
(every save changes it), and streamed while it is built, so a cold request
neither waits for the whole body nor holds it twice. It is built from one
piece per service area, each kept packed under its area's version: the
areas missing from the cache are read in one pass (by area, then pk: the
same seven queries for 5 areas or 500, four more per 5,000 meetings), so
after an edit only the edited area's meetings are read again. The whole
gzip is the areas' packed pieces joined as they are (`packing`): nothing is
compressed twice, and an edit costs its area's piece, not every area's. A
client that accepts gzip (the apps) gets that gzip while it is built, so the
areas kept are sent as kept, never unpacked.
"""

import io
import itertools

import orjson
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from meetings import calendar, packing
from meetings.filters import MeetingFilter
from meetings.freshness import area_version, versioned_key
from meetings.meeting_guide import writing
from meetings.models import MeetingTime

MAX_CALENDAR_EVENTS = 2000
MAX_CACHED_BYTES = 64 * 1024 * 1024  # of compressed feed
FEED_SECONDS = 24 * 3600
OPEN, COMMA, CLOSE = (packing.packed(text) for text in (b"[", b",", b"]"))
MEETINGS_PER_PIECE = 1000  # about a megabyte of JSON: what is compressed and streamed at once


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
    accept gzip get those bytes as they are, also while they are built (the
    areas kept are sent packed as kept). Other searches are built each time.
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
        pieces = area_pieces(meetings, ctx, area)
        response = StreamingHttpResponse(stream_feed(pieces, key, gzip=accepts_gzip), content_type="application/json")
        if accepts_gzip:
            response["Content-Encoding"] = "gzip"
    elif accepts_gzip:
        response = HttpResponse(gzipped, content_type="application/json")
        response["Content-Encoding"] = "gzip"
    else:
        response = StreamingHttpResponse(packing.gunzip(gzipped), content_type="application/json")
    response["Vary"] = "Accept-Encoding"
    response["Cache-Control"] = "public, max-age=300"
    return response


def feed_search(request):
    """The search of a feed: the one parser of search parameters, over the weekly times a feed publishes."""
    return MeetingFilter(request.GET, queryset=MeetingTime.objects.public(), now=timezone.now())


def narrowed_beyond_area(search):
    """True when the search says more than `area` (days, types, a place...): the feed is then built per request."""
    return any(value not in (None, "", [], False) for name, value in search.cleaned.items() if name != "area")


def stream_feed(areas, key, gzip=False):
    """Yield the feed area by area, then keep its gzip: the areas' packed pieces joined as they are.

    As JSON, or with `gzip` (what apps accept) as the gzip itself while it is
    built: a tenth of the bytes, and an area kept in the cache is sent as it
    is kept, not unpacked (a third of the request after an edit, at 100,000
    meetings). Either way the bytes kept are the same.
    """
    text = {OPEN: b"[", COMMA: b",", CLOSE: b"]"}

    def framing(piece):
        return piece.deflated if gzip else text[piece]

    yield (packing.GZIP_HEADER if gzip else b"") + framing(OPEN)
    parts = [OPEN]
    for area in areas:
        separator = framing(COMMA) if len(parts) > 1 else b""
        started = False
        for chunk in area.deflated() if gzip else area:
            if chunk:
                yield chunk if started else separator + chunk
                started = True
        if started:
            parts += [COMMA, area.packed] if separator else [area.packed]
    parts.append(CLOSE)
    yield framing(CLOSE) + (packing.gzip_end(parts) if gzip else b"")
    gzipped = packing.gzip_of(parts)
    keep(key, gzipped, len(gzipped))


def area_pieces(meetings, ctx, root):
    """The feed's areas in turn (by id), each an iterable of its objects' JSON: kept in the cache unless it changed.

    Each area's objects are kept packed under a key holding the area's
    version and the feed's root (the regions of an object depend on where
    the feed starts). One cache round trip fetches them all, and the areas
    missing from it are read in one pass, by area then pk: a cold feed costs
    the same queries whether it has 5 areas or 500.
    """
    area_ids = sorted(set(meetings.order_by().values_list("area_id", flat=True).distinct()))
    keys = {
        area_id: f"feed:meeting-guide:piece:{root.pk if root else ''}:{area_id}:v{area_version(area_id)}"
        for area_id in area_ids
    }
    kept = cache.get_many(list(keys.values()))
    missing = [area_id for area_id in area_ids if keys[area_id] not in kept]
    built = areas_records(meetings.filter(area_id__in=missing), missing) if missing else iter(())
    for area_id in area_ids:
        key = keys[area_id]
        yield Kept(kept[key]) if key in kept else Built(next(built), ctx, key)


def areas_records(meetings, area_ids):
    """For each of `area_ids` in turn (sorted), an iterator of its `meetings`' Records: one pass, by area then pk.

    An area whose meetings went between the two reads gets an empty iterator:
    the caller takes one per area it asked for.
    """
    groups = itertools.groupby(writing.records(meetings, by_area=True), key=lambda record: record.row.area_id)
    group = next(groups, None)
    for area_id in area_ids:
        if group is not None and group[0] == area_id:
            yield group[1]
            group = next(groups, None)
        else:
            yield iter(())


class Kept:
    """An area's objects as the cache kept them: iterate for the JSON, `packed` as kept."""

    def __init__(self, packed):
        self.packed = packed

    def __iter__(self):
        return packing.unpacked(self.packed)

    def deflated(self):
        """Its deflate data, if it holds anything."""
        if self.packed.size:
            yield self.packed.deflated


class Built:
    """An area's objects built from its `records`: iterate for the JSON, yielded as built; then `packed`, and kept."""

    def __init__(self, records, ctx, key):
        self.records, self.ctx, self.key = records, ctx, key
        self.packed = None

    def __iter__(self):
        with packing.Packer() as packer:
            for piece in self.pieces():
                packer.add(piece)
                yield piece
        self.done(packer)

    def deflated(self):
        """Its deflate data as it is packed, if it holds anything (a gzip stream's part); then `packed`, and kept."""
        with packing.Packer() as packer:
            for piece in self.pieces():
                packer.add(piece)
                yield from packer.ready()
        if packer.size:
            yield from packer.ready(wait=True)
        self.done(packer)

    def pieces(self):
        """Its objects' JSON, MEETINGS_PER_PIECE meetings at a time."""
        parts, lead = [], b""
        for record in self.records:
            parts.append(writing.meeting_json(record, self.ctx))
            if len(parts) == MEETINGS_PER_PIECE:
                yield lead + b",".join(parts)
                parts, lead = [], b","  # the next piece begins with its comma
        if parts:
            yield lead + b",".join(parts)

    def done(self, packer):
        self.packed = packer.result()
        keep(self.key, self.packed, len(self.packed.deflated))


def keep(key, value, packed_size):
    if packed_size < MAX_CACHED_BYTES:
        cache.set(key, value, timeout=FEED_SECONDS)


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
