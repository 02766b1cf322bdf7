"""The listings: locations, meeting types, meetings and their times, and reports from the public.

One package: choices.py (the fixed vocabularies), listings.py (the models),
querysets.py (the verbs they share), reports.py (change requests).
"""

from meetings.models.choices import LANGUAGE_CHOICES, Access, Attendance, PinSource, Status, Weekday
from meetings.models.listings import (
    Location,
    Meeting,
    MeetingTime,
    MeetingType,
    PublishedPlace,
    published_place,
    validate_dialable,
    validate_join_url,
)
from meetings.models.querysets import ATTENDANCE_CONDITIONS
from meetings.models.reports import ChangeRequest
from meetings.models.sources import FeedSource

__all__ = [
    "ATTENDANCE_CONDITIONS",
    "LANGUAGE_CHOICES",
    "Access",
    "Attendance",
    "ChangeRequest",
    "FeedSource",
    "Location",
    "Meeting",
    "MeetingTime",
    "MeetingType",
    "PinSource",
    "PublishedPlace",
    "Status",
    "Weekday",
    "published_place",
    "validate_dialable",
    "validate_join_url",
]
