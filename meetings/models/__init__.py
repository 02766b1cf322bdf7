"""The listings: locations, meeting types, meetings and their weekly times, and reports from the public.

One package, three modules: listings.py (the models), querysets.py (the
verbs they share), reports.py (change requests).
"""

from meetings.models.listings import (
    LANGUAGE_CHOICES,
    Location,
    Meeting,
    MeetingTime,
    MeetingType,
    PinSource,
    PublishedPlace,
    normalize_phone,
    published_place,
    validate_dialable,
    validate_join_url,
)
from meetings.models.querysets import (
    ATTENDANCE_CONDITIONS,
    Attendance,
    local_day_condition,
    meeting_zones,
    prefixed,
    week_window_condition,
)
from meetings.models.reports import ChangeRequest
from meetings.models.sources import FeedSource

__all__ = [
    "ATTENDANCE_CONDITIONS",
    "LANGUAGE_CHOICES",
    "Attendance",
    "ChangeRequest",
    "FeedSource",
    "Location",
    "Meeting",
    "MeetingTime",
    "MeetingType",
    "PinSource",
    "PublishedPlace",
    "local_day_condition",
    "meeting_zones",
    "normalize_phone",
    "prefixed",
    "published_place",
    "validate_dialable",
    "validate_join_url",
    "week_window_condition",
]
