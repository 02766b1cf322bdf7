"""JSON API, version 1: the search of the website as data, with an OpenAPI document.

django-ninja writes the OpenAPI document from these declarations. The query
parameters are declared as plain strings so that one place, MeetingFilter,
validates them for every page; a refused value is a 400 with a message per
parameter, never a 500 and never a silently empty list.
"""

import django_filters
from django.utils import timezone
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field, create_model

from groups.models import ServiceArea
from meetings.cards import present
from meetings.filters import MeetingFilter
from meetings.models import MeetingTime, MeetingType
from meetings.pagination import page_with_total

PAGE_SIZE = 50

api = NinjaAPI(
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


class LocationOut(Schema):
    name: str
    address: str
    city: str
    state: str
    postal_code: str
    country: str
    latitude: float | None
    longitude: float | None
    approximate: bool
    notes: str


class MeetingTimeOut(Schema):
    slug: str
    name: str
    url: str
    day: int
    time: str
    end_time: str | None
    timezone: str
    starts: str  # the next occurrence, ISO 8601 with the meeting's offset
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
    count: int
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
    return api.create_response(request, {"detail": "Some parameters are not valid.", "errors": errors}, status=400)


def page_link(request, number):
    query = request.GET.copy()
    query["page"] = number
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def meeting_time_out(request, row, units):
    meeting, meeting_time = row.meeting, row.meeting_time
    place = meeting.location.published if meeting.location else None
    return {
        "slug": meeting.slug,
        "name": meeting.name,
        "url": request.build_absolute_uri(meeting.get_absolute_url()),
        "day": meeting_time.weekday,
        "time": meeting_time.start_time.strftime("%H:%M"),
        "end_time": meeting_time.end_time.strftime("%H:%M") if meeting_time.end_time else None,
        "timezone": meeting.timezone,
        "starts": row.starts.isoformat(),
        "access": meeting.access,
        "attendance": meeting.attendance.value if meeting.attendance else None,
        "status": meeting.status,
        "language": meeting.language,
        "types": [t.code for t in meeting.types.all()],
        "notes": meeting.notes,
        "location": None if place is None else place._asdict(),
        "conference_url": meeting.conference_url,
        "conference_url_notes": meeting.conference_url_notes,
        "conference_phone": meeting.conference_phone,
        "conference_phone_notes": meeting.conference_phone_notes,
        "group": meeting.group.name if meeting.group else None,
        "area": meeting.area.slug,
        "distance": row.distance,
        "units": units if row.distance is not None else None,
    }


@api.get("/meetings", response={200: PageOut, 400: ErrorOut}, summary="Search meetings", tags=["meetings"])
def meetings(request, params: Query[SearchParams]):
    """One result per weekly time, with the search parameters of the website's /meetings/ page."""
    now = timezone.now()
    times = MeetingTime.objects.public().for_cards("meeting__group", "meeting__area")
    search = MeetingFilter(request.GET, queryset=times, now=now)
    if search.problems:
        errors = {}
        for problem in search.problems:
            errors.setdefault(problem["field"], []).append(str(problem["message"]))
        return Status(400, {"detail": "Some parameters are not valid.", "errors": errors})
    page = page_with_total(search.qs, request.GET.get("page"), PAGE_SIZE, rows=times)
    paginator = page.paginator
    rows = present(page.object_list, now, search.viewer_timezone, search.distance_units)
    return Status(
        200,
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": page_link(request, page.next_page_number()) if page.has_next() else None,
            "previous": page_link(request, page.previous_page_number()) if page.has_previous() else None,
            "results": [meeting_time_out(request, row, search.distance_units) for row in rows],
        },
    )


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
