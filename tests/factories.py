"""Small builders for test data: sensible defaults, every field overridable."""

import datetime as dt
import itertools

from django.utils.text import slugify

from groups.models import Group, ServiceArea
from meetings.models import Location, Meeting, MeetingTime, MeetingType

_seq = itertools.count(1)


def make_area(name=None, parent=None, **fields):
    name = name or f"Area {next(_seq)}"
    fields.setdefault("timezone", "America/Phoenix")
    return ServiceArea.objects.create(name=name, slug=slugify(name), parent=parent, **fields)


def make_group(area, name=None, **fields):
    name = name or f"Group {next(_seq)}"
    return Group.objects.create(name=name, slug=slugify(name), area=area, **fields)


def make_location(area, city="Phoenix", latitude=33.4484, longitude=-112.0740, **fields):
    fields.setdefault("address", f"{next(_seq)} Main St")
    fields.setdefault("state", "AZ")
    fields.setdefault("postal_code", "85004")
    fields.setdefault("timezone", "America/Phoenix")
    return Location.objects.create(area=area, city=city, latitude=latitude, longitude=longitude, **fields)


def make_meeting(area, *, times=((1, "19:00", "20:00"),), types=(), **fields):
    """A meeting with weekly `times` as (weekday, "HH:MM", "HH:MM" or None)."""
    fields.setdefault("name", f"Meeting {next(_seq)}")
    if "location" not in fields and not fields.get("conference_url") and not fields.get("conference_phone"):
        fields["location"] = make_location(area)
    meeting = Meeting.objects.create(area=area, **fields)
    for weekday, start, end in times:
        MeetingTime.objects.create(
            meeting=meeting,
            weekday=weekday,
            start_time=dt.time.fromisoformat(start),
            end_time=dt.time.fromisoformat(end) if end else None,
        )
    if types:
        meeting.types.set(MeetingType.objects.filter(code__in=types))
    return meeting
