"""iCalendar files: one weekly VEVENT per meeting time, in the meeting's own zone.

Built with the icalendar package; every TZID used gets its VTIMEZONE, so
calendar apps place the meeting right on both sides of a DST change.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vRecur

from meetings import schedule

ICAL_DAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"]


def weekly_calendar(meeting_times, site_url, name=None, now=None):
    """Bytes of a calendar with one weekly event per MeetingTime of `meeting_times` (meeting and location loaded)."""
    now = now or timezone.now()
    cal = Calendar()
    cal.add("prodid", "-//Heroin Anonymous//Meeting directory//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name or _("HA meetings"))
    for meeting_time in meeting_times:
        cal.add_component(weekly_event(meeting_time.meeting, meeting_time, site_url, now))
    cal.add_missing_timezones()
    return cal.to_ical()


def weekly_event(meeting, meeting_time, site_url, now):
    starts = schedule.next_occurrence(meeting_time.weekday, meeting_time.start_time, meeting.timezone, now)
    event = Event()
    host = site_url.split("://")[-1]
    event.add("uid", f"{meeting.slug}-{meeting_time.weekday}-{meeting_time.start_time:%H%M}@{host}")
    event.add("summary", _("%(name)s (HA meeting)") % {"name": meeting.name})
    event.add("dtstamp", meeting.updated_at or now)
    event.add("dtstart", starts)
    event.add("dtend", starts + meeting_time.duration)
    event.add("rrule", vRecur(freq="WEEKLY", byday=ICAL_DAYS[meeting_time.weekday]))
    url = f"{site_url}{meeting.get_absolute_url()}"
    event.add("url", url)
    place = meeting.location.published if meeting.location else None
    if place and not place.approximate:
        event.add("location", ", ".join(part for part in (place.name, place.formatted_address) if part))
        if place.latitude is not None and place.longitude is not None:
            event.add("geo", (place.latitude, place.longitude))
    lines = [meeting.notes] if meeting.notes else []
    if meeting.conference_url:
        lines.append(_("Join online: %(url)s") % {"url": meeting.conference_url})
        if meeting.conference_url_notes:
            lines.append(meeting.conference_url_notes)
    if meeting.conference_phone:
        lines.append(_("Dial in: %(phone)s") % {"phone": meeting.conference_phone})
    lines.append(url)
    event.add("description", "\n".join(lines))
    return event
