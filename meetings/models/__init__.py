"""The listings: locations, meeting types, meetings and their times, and reports from the public.

One package: choices.py (the fixed vocabularies), listings.py (places, types,
meetings and their times), schedules.py (dated changes and the real dates
kept from them), querysets.py (the verbs they share), reports.py (change
requests).
"""

from meetings.models.choices import (
    LANGUAGE_CHOICES,
    Access,
    Attendance,
    ChangeKind,
    OccurrenceState,
    PinSource,
    Repeats,
    Status,
    Weekday,
)
from meetings.models.confirmations import Confirmation, NotificationSetting
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
from meetings.models.print_profiles import PrintProfile
from meetings.models.querysets import ATTENDANCE_CONDITIONS
from meetings.models.reports import ChangeRequest
from meetings.models.schedules import Occurrence, ScheduleChange
from meetings.models.sources import FeedSource

__all__ = [
    "ATTENDANCE_CONDITIONS",
    "LANGUAGE_CHOICES",
    "Access",
    "Attendance",
    "ChangeKind",
    "ChangeRequest",
    "Confirmation",
    "FeedSource",
    "Location",
    "Meeting",
    "MeetingTime",
    "MeetingType",
    "NotificationSetting",
    "Occurrence",
    "OccurrenceState",
    "PinSource",
    "PrintProfile",
    "PublishedPlace",
    "Repeats",
    "ScheduleChange",
    "Status",
    "Weekday",
    "published_place",
    "validate_dialable",
    "validate_join_url",
]
