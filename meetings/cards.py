"""What a card shows of one meeting time: its next start in the meeting's zone and the viewer's, its distance.

Results pages, area and group pages, the API and printed lists all turn the
MeetingTime rows of a search into Rows here.
"""

from dataclasses import dataclass
from functools import cache
from itertools import groupby

from meetings import geo, schedule
from meetings.models import Attendance, Meeting, MeetingTime


@dataclass
class Row:
    meeting_time: MeetingTime
    starts: object  # aware datetime of the next occurrence, in the meeting's zone
    viewer_starts: object  # the same in the viewer's zone, when it differs, else None
    distance: float | None
    attendance: str  # worked out once: templates ask for it several times per card

    @property
    def attendance_label(self):
        return Attendance(self.attendance).label if self.attendance else ""

    @property
    def meeting(self):
        return self.meeting_time.meeting

    # get_FOO_display() rebuilds a dict of every choice on each call, and
    # hashing the lazy labels translates each one: for the language field that
    # is some 180 translations per card. These read a dict built once.
    @property
    def weekday_label(self):
        return choice_label(MeetingTime, "weekday", self.meeting_time.weekday)

    @property
    def access_label(self):
        return choice_label(Meeting, "access", self.meeting.access)

    @property
    def language_label(self):
        return choice_label(Meeting, "language", self.meeting.language)

    @property
    def ends(self):
        return self.starts + self.meeting_time.duration


@cache
def choice_labels(model, field_name):
    """{stored value: lazy label} of a model field's choices, built once per process."""
    return dict(model._meta.get_field(field_name).flatchoices)


def choice_label(model, field_name, value):
    """What get_<field>_display() shows, in the active language."""
    return choice_labels(model, field_name).get(value, value)


def present(meeting_times, now, viewer_timezone=None, units="mi"):
    """Rows for templates: local times, the viewer's time for remote meetings, distance in units."""
    rows = []
    for meeting_time in meeting_times:
        meeting = meeting_time.meeting
        starts = schedule.next_occurrence(meeting_time.weekday, meeting_time.start_time, meeting.timezone, now)
        viewer_starts = None
        remote = meeting.conference_url or meeting.conference_phone
        if viewer_timezone and viewer_timezone != meeting.timezone and remote:
            shifted = starts.astimezone(schedule.zone(viewer_timezone))
            if shifted.utcoffset() != starts.utcoffset():
                viewer_starts = shifted
        distance_km = getattr(meeting_time, "distance_km", None)
        distance = round(geo.from_km(distance_km, units), 1) if distance_km is not None else None
        rows.append(Row(meeting_time, starts, viewer_starts, distance, meeting.attendance))
    return rows


def by_day(rows):
    """[(weekday label, rows)] keeping the order rows came in."""
    return [(label, list(group)) for label, group in groupby(rows, key=lambda row: row.weekday_label)]
