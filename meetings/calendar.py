"""iCalendar files: one weekly VEVENT per meeting time, in the meeting's own zone.

Built with the icalendar package; every TZID used gets its VTIMEZONE, so
calendar apps place the meeting right on both sides of a DST change.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vRecur

from meetings import schedule

ICAL_DAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"]


def weekly_calendar(slots, site_url, name=None, now=None):
    """Bytes of a calendar with one weekly event per MeetingTime in `slots` (meeting and location loaded)."""
    now = now or timezone.now()
    cal = Calendar()
    cal.add("prodid", "-//Heroin Anonymous//Meeting directory//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name or _("HA meetings"))
    for slot in slots:
        cal.add_component(weekly_event(slot.meeting, slot, site_url, now))
    cal.add_missing_timezones()
    return cal.to_ical()


def weekly_event(meeting, slot, site_url, now):
    starts = schedule.next_occurrence(slot.weekday, slot.start_time, meeting.timezone, now)
    event = Event()
    event.add("uid", f"{meeting.slug}-{slot.weekday}-{slot.start_time:%H%M}@{site_url.split('://')[-1]}")
    event.add("summary", _("%(name)s (HA meeting)") % {"name": meeting.name})
    event.add("dtstamp", meeting.updated_at or now)
    event.add("dtstart", starts)
    event.add("dtend", starts + slot.duration)
    event.add("rrule", vRecur(freq="WEEKLY", byday=ICAL_DAYS[slot.weekday]))
    url = f"{site_url}{meeting.get_absolute_url()}"
    event.add("url", url)
    if meeting.location and not meeting.location.approximate:
        event.add("location", meeting.location.formatted_address())
        if meeting.location.has_pin:
            event.add("geo", (meeting.location.latitude, meeting.location.longitude))
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
