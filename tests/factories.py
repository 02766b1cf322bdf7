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


def meeting_change_form(meeting, **overrides):
    """The POST data of the admin's change page for `meeting` (one time, no dated changes), with `overrides`."""
    slot = meeting.times.get()
    data = {
        "name": meeting.name,
        "slug": meeting.slug,
        "area": meeting.area_id,
        "status": meeting.status,
        "location": meeting.location_id or "",
        "access": meeting.access,
        "language": meeting.language,
        "timezone": meeting.timezone,
        "types": [t.pk for t in meeting.types.all()],
        "times-TOTAL_FORMS": "1",
        "times-INITIAL_FORMS": "1",
        "times-MIN_NUM_FORMS": "0",
        "times-MAX_NUM_FORMS": "1000",
        "times-0-id": slot.pk,
        "times-0-meeting": meeting.pk,
        "times-0-weekday": slot.weekday,
        "times-0-start_time": slot.start_time.strftime("%H:%M"),
        "times-0-end_time": slot.end_time.strftime("%H:%M") if slot.end_time else "",
        "times-0-repeats": slot.repeats,
        "times-0-interval": slot.interval,
        "schedule_changes-TOTAL_FORMS": "0",
        "schedule_changes-INITIAL_FORMS": "0",
        "schedule_changes-MIN_NUM_FORMS": "0",
        "schedule_changes-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data
