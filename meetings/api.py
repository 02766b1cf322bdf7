"""JSON API, version 1: the search of the website as data, with an OpenAPI document.

django-ninja writes the OpenAPI document from these declarations. The query
parameters are declared as plain strings so that one place, MeetingFilter,
validates them for every page; a refused value is a 400 with a message per
parameter, never a 500 and never a silently empty list.
"""

import datetime as dt
from functools import lru_cache
from typing import NamedTuple

import django_filters
import orjson
from django.urls import URLPattern
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from icalendar import vRecur
from ninja import NinjaAPI, Query, Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder
from pydantic import Field, create_model

from groups.models import ServiceArea
from meetings import geo, kept_rows, schedule
from meetings.filters import MeetingFilter
from meetings.models import Meeting, MeetingType, Occurrence, OccurrenceState, PublishedPlace
from meetings.page_cache import for_the_minute
from meetings.pagination import COUNT_CAP, matched_page

PAGE_SIZE = 50


class FastJSONRenderer(BaseRenderer):
    """Bodies written by orjson, already the feed's encoder: a page of 50 results 0.51 -> 0.05 ms (the standard
    library's took a twentieth of the request). The values it does not know (a lazy translation, a date)
    go through Ninja's own encoder, so they read as before; the JSON has no spaces between its items."""

    media_type = "application/json"
    encoder = NinjaJSONEncoder()

    def render(self, request, data, *, response_status):
        return orjson.dumps(
            data, default=self.encoder.default, option=orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
        )


api = NinjaAPI(
    renderer=FastJSONRenderer(),
    title="HA meeting directory API",
    version="1",
    description="Heroin Anonymous meetings: the same search parameters as /meetings/. No key, no tracking.",
    urls_namespace="api",
    docs_url=None,  # the interactive docs page loads scripts from a CDN: not on our site
)


def search_parameters():
    """The query parameters of /meetings, written from MeetingFilter: plain strings, validated there.

    Repeatable parameters (day, type...) are lists; `page` is the API's own.
    """
    fields = {}
    for name, spec in MeetingFilter.base_filters.items():
        repeatable = isinstance(spec, django_filters.MultipleChoiceFilter)
        kind, default = (list[str], []) if repeatable else (str | None, None)
        fields[name] = (kind, Field(default, description=str(spec.label)))
    fields["page"] = (str | None, Field(None, description="Page number, from 1"))
    return create_model("SearchParams", __base__=Schema, **fields)


SearchParams = search_parameters()


# What a location publishes is decided once (meetings.models.published_place): the API's schema is that shape.
LocationOut = create_model(
    "LocationOut", __base__=Schema, **{name: (kind, ...) for name, kind in PublishedPlace.__annotations__.items()}
)


class DateOut(Schema):
    starts: str  # ISO 8601 with the meeting's offset
    ends: str
    state: str  # scheduled, cancelled, closed, moved_away (moved to another date), moved_here
    note: str


class RecurrenceOut(Schema):
    repeats: str  # weekly, every_n_weeks, monthly, once
    rrule: str | None  # the iCalendar RRULE (None for one date)
    interval: int
    weeks_of_month: list[int]  # 1-5, -1 for the last
    first_date: str | None
    last_date: str | None


class MeetingTimeOut(Schema):
    slug: str
    name: str
    url: str
    day: int
    time: str
    end_time: str | None
    timezone: str
    recurrence: RecurrenceOut
    starts: str  # this result's date (the next one, or under way), ISO 8601 with the meeting's offset
    ends: str
    state: str
    in_progress: bool
    next_start: str | None  # the next date it meets (not cancelled, closed or moved away)
    next_end: str | None
    next_dates: list[DateOut]  # the coming dates, up to five, with their changes
    access: str
    attendance: str | None
    status: str
    language: str
    types: list[str]
    notes: str
    location: LocationOut | None
    conference_url: str
    conference_url_notes: str
    conference_phone: str
    conference_phone_notes: str
    group: str | None
    area: str
    distance: float | None
    units: str | None


class PageOut(Schema):
    count: int  # up to 500; count_is_capped says there are more
    count_is_capped: bool
    page: int
    pages: int
    next: str | None
    previous: str | None
    results: list[MeetingTimeOut]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class AreaOut(Schema):
    slug: str
    name: str
    parent: str | None
    level: str
    timezone: str
    helpline_phone: str
    helpline_email: str
    website: str
    url: str


class TypeOut(Schema):
    code: str
    name: str
    description: str
    category: str
    meeting_guide_code: str


@api.exception_handler(NinjaValidationError)
def bad_request(request, exc):
    errors = {}
    for error in exc.errors:
        errors.setdefault(str(error.get("loc", ["?"])[-1]), []).append(str(error.get("msg")))
    return refused(request, errors)


def client_language(request):
    return translation.get_language_from_request(request, check_path=False)


def refused(request, errors):
    """A 400 whose words are in the client's language (Accept-Language); `errors` {parameter: [messages]}.

    Only the messages: what the API finds is codes and addresses, the same for
    every client, so that one cached answer serves them all.
    """
    with translation.override(client_language(request)):
        body = {
            "detail": _("Some parameters are not valid."),
            "errors": {name: [str(message) for message in found] for name, found in errors.items()},
        }
    response = api.create_response(request, body, status=400)
    patch_vary_headers(response, ("Accept-Language",))
    return response


def page_link(request, number):
    query = request.GET.copy()
    query["page"] = number
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


@lru_cache(maxsize=4096)
def rrule_text(rule):
    """A Rule's iCalendar RRULE, kept per rule: a page of weekly times has a handful of different ones."""
    ical = rule.ical()
    return vRecur(ical).to_ical().decode() if ical else None


def recurrence_out(meeting_time):
    rule = meeting_time.rule
    return {
        "repeats": rule.repeats,
        "rrule": rrule_text(rule),
        "interval": rule.interval,
        "weeks_of_month": list(rule.weeks),
        "first_date": rule.first.isoformat() if rule.first else None,
        "last_date": rule.last.isoformat() if rule.last else None,
    }


class Result(NamedTuple):
    """A result as kept under the listings version: what the API gives of it that no request changes, and the
    dates from which it works out the rest (its own date, and its time's dates not yet over when it was read)."""

    slug: str
    name: str
    head: dict  # day, time, end_time, timezone, recurrence
    tail: dict  # access ... area, with the types' codes
    zone: str  # the meeting's
    starts_at: dt.datetime  # this result's date, in UTC
    ends_at: dt.datetime
    state: str
    coming: list  # [ComingDate] of its weekly time, not yet over when it was read


def kept_results(rows, ids, now):
    """{date id: Result} for a page's `ids`: those kept read with one cache.get_many, the others in three queries
    (their rows from `rows`, their types' codes, their coming dates) and kept (kept_rows.kept).

    Each result was three kept values (its row, a model with its meeting,
    place, time, group and area; its time's coming dates; its meeting's
    codes), unpickled and then written out field by field for every request:
    a page of 50 spent more on that than on its search.
    """
    return kept_rows.kept_for(rows, ids, lambda some: read_results(rows, some, now), kind="api-results")


def read_results(rows, ids, now):
    """{date id: Result} of `ids` read from the database: three queries, whatever their number."""
    dates = rows.in_bulk(ids)
    codes = codes_of(list(dict.fromkeys(date.meeting_id for date in dates.values())))
    coming = dates_not_over(list(dict.fromkeys(date.meeting_time_id for date in dates.values())), now)
    return {pk: result_of(date, codes, coming) for pk, date in dates.items()}


def result_of(date, codes, coming):
    meeting, meeting_time = date.meeting, date.meeting_time
    place = meeting.location.published if meeting.location else None
    head = {
        "day": meeting_time.weekday,
        "time": meeting_time.start_time.strftime("%H:%M"),
        "end_time": meeting_time.end_time.strftime("%H:%M") if meeting_time.end_time else None,
        "timezone": meeting.timezone,
        "recurrence": recurrence_out(meeting_time),
    }
    tail = {
        "access": meeting.access,
        "attendance": meeting.attendance.value if meeting.attendance else None,
        "status": meeting.status,
        "language": meeting.language,
        "types": codes.get(meeting.pk, []),
        "notes": meeting.notes,
        "location": None if place is None else place._asdict(),
        "conference_url": meeting.conference_url,
        "conference_url_notes": meeting.conference_url_notes,
        "conference_phone": meeting.conference_phone,
        "conference_phone_notes": meeting.conference_phone_notes,
        "group": meeting.group.name if meeting.group else None,
        "area": meeting.area.slug,
    }
    return Result(meeting.slug, meeting.name, head, tail, meeting.timezone, date.starts_at, date.ends_at,
                  str(date.state), coming.get(meeting_time.pk, []))  # fmt: skip


def result_out(result, distance_km, units, now, url_pattern):
    """One result of the page as MeetingTimeOut gives it: `distance_km` from the visitor's point (None: no point);
    `url_pattern` is every meeting page's absolute address, "{}" for its slug."""
    here = schedule.zone(result.zone)
    starts, ends = result.starts_at.astimezone(here), result.ends_at.astimezone(here)
    dates = [date for date in result.coming if date.ends_at > now]
    meets = next((date.out for date in dates if date.meets), None)
    distance = round(geo.from_km(distance_km, units), 1) if distance_km is not None else None
    return {
        "slug": result.slug,
        "name": result.name,
        "url": url_pattern.format(result.slug),
        **result.head,
        "starts": starts.isoformat(),
        "ends": ends.isoformat(),
        "state": result.state,
        "in_progress": result.state in MEETS and starts <= now < ends,
        "next_start": meets["starts"] if meets else None,
        "next_end": meets["ends"] if meets else None,
        "next_dates": [date.out for date in dates[:5]],
        **result.tail,
        "distance": distance,
        "units": units if distance is not None else None,
    }


@api.get("/meetings", response={200: PageOut, 400: ErrorOut}, summary="Search meetings", tags=["meetings"])
def meetings(request, params: Query[SearchParams]):
    """One result per date in the coming week (under way first, then by start), with the search parameters of the
    website's /meetings/ page; each with its recurrence and its next dates."""
    now = timezone.now()
    # The types come apart, as codes kept with each result (codes_of): not the type objects of a prefetch.
    dates = Occurrence.objects.public().for_cards("meeting__group", "meeting__area", types=False)
    search = MeetingFilter(request.GET, queryset=dates, now=now)
    with translation.override(client_language(request)):
        problems = search.problems  # the search's form checks its parameters once, in the client's words
    if problems:
        errors = {}
        for problem in problems:
            errors.setdefault(problem["field"], []).append(problem["message"])
        return refused(request, errors)
    page = matched_page(search.first(COUNT_CAP + 1), request.GET.get("page"), PAGE_SIZE)
    paginator = page.paginator
    results = kept_results(dates, [pk for pk, _values in page], now)
    url_pattern = request.build_absolute_uri("/")[:-1] + Meeting.url_pattern()
    units = search.distance_units
    # The body is written to PageOut's shape here and rendered as it is: validating it again through the
    # schema took a fifth of the request (50 results). tests/test_api.py checks it is what the schema gives.
    return api.create_response(
        request,
        {
            "count": paginator.count,
            "count_is_capped": paginator.capped,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": page_link(request, page.next_page_number()) if page.has_next() else None,
            "previous": page_link(request, page.previous_page_number()) if page.has_previous() else None,
            "results": [
                result_out(results[pk], values.get("distance_km"), units, now, url_pattern)
                for pk, values in page
                if pk in results  # one may have gone between the two queries
            ],
        },
        status=200,
    )


class ComingDate(NamedTuple):
    """A date as the API gives it (`out`, in its meeting's zone), and when it ends, to leave it out once over."""

    ends_at: dt.datetime
    meets: bool  # scheduled, or moved here: the first of these is the time's next_start
    out: dict


MEETS = (OccurrenceState.SCHEDULED, OccurrenceState.MOVED_HERE)


def dates_not_over(time_ids, now):
    """{time id: [its dates not yet over at `now`, in order]} for every id in `time_ids` (none: []), in one query,
    each written as the API gives it: a page's 50 results show some 250."""
    found = {time_id: [] for time_id in time_ids}
    dates = Occurrence.objects.filter(meeting_time_id__in=time_ids, ends_at__gt=now).order_by("starts_at")
    columns = ("meeting_time_id", "starts_at", "ends_at", "state", "change__note", "meeting__timezone")
    for time_id, starts_at, ends_at, state, note, zone_name in dates.values_list(*columns):
        here = schedule.zone(zone_name)
        out = {
            "starts": starts_at.astimezone(here).isoformat(),
            "ends": ends_at.astimezone(here).isoformat(),
            "state": state,
            "note": note or "",
        }
        found[time_id].append(ComingDate(ends_at, state in MEETS, out))
    return found


def codes_of(meeting_ids):
    """{meeting id: [its types' codes in MeetingType's order]} for every id (none: []), in one query."""
    found = {meeting_id: [] for meeting_id in meeting_ids}
    for meeting_id, code in MeetingType.objects.filter(meetings__in=meeting_ids).values_list("meetings", "code"):
        found[meeting_id].append(code)
    return found


@api.get("/areas", response=list[AreaOut], summary="Service areas", tags=["reference"])
def areas(request):
    return [
        {
            "slug": area.slug,
            "name": area.name,
            "parent": area.parent.slug if area.parent else None,
            "level": area.level,
            "timezone": area.timezone,
            "helpline_phone": area.helpline_phone,
            "helpline_email": area.helpline_email,
            "website": area.website,
            "url": request.build_absolute_uri(area.get_absolute_url()),
        }
        for area in ServiceArea.objects.select_related("parent")
    ]


@api.get("/types", response=list[TypeOut], summary="Meeting types", tags=["reference"])
def types(request):
    return [
        {
            "code": t.code,
            "name": t.name,
            "description": t.description,
            "category": t.category,
            "meeting_guide_code": t.mg_code,
        }
        for t in MeetingType.objects.all()
    ]


def urls():
    """The API's URLs, its search kept for the minute like the public pages (meetings/page_cache.py)."""
    patterns, app_name, namespace = api.urls
    kept = [
        URLPattern(found.pattern, for_the_minute(found.callback), found.default_args, found.name)
        if found.name == "meetings"
        else found
        for found in patterns
    ]
    return kept, app_name, namespace
