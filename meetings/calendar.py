"""iCalendar files: one VEVENT per meeting time, in the meeting's own zone, with its real rule and its changes.

Built with the icalendar package: the RRULE is the time's own (weekly, every
few weeks, monthly on some weeks, or none for a one-off event), a cancelled
or closed date is an EXDATE, and a date moved once is an extra VEVENT with a
RECURRENCE-ID. Every TZID used gets its VTIMEZONE, so calendar apps place the
meeting right on both sides of a DST change.
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vRecur

from meetings import schedule
from meetings.models import ChangeKind

LOOK_BACK = dt.timedelta(days=1)


def weekly_calendar(meeting_times, site_url, name=None, now=None):
    """Bytes of a calendar of `meeting_times` (their meeting, its location and schedule_changes loaded)."""
    now = now or timezone.now()
    cal = Calendar()
    cal.add("prodid", "-//Heroin Anonymous//Meeting directory//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name or _("HA meetings"))
    for meeting_time in meeting_times:
        for event in events(meeting_time.meeting, meeting_time, site_url, now):
            cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def events(meeting, meeting_time, site_url, now):
    """The time's VEVENT, then one per date moved; nothing for a time with no date to come."""
    rule = meeting_time.rule
    today = schedule.local_now(meeting.timezone, now).date()
    coming = rule.instants(meeting.timezone, today - LOOK_BACK, today + dt.timedelta(days=400))
    if not coming:
        return []
    starts, ends = coming[0]
    uid = f"{meeting.slug}-{meeting_time.pk}@{site_url.split('://')[-1]}"
    event = describe(Event(), meeting, site_url, now)
    event.add("uid", uid)
    event.add("dtstart", starts)
    event.add("dtend", ends)
    recurrence = rule.ical()
    found = [event]
    if recurrence:
        event.add("rrule", vRecur(recurrence))
        skipped = []
        for change in changes_of(meeting, meeting_time):
            if change.kind == ChangeKind.CANCELLED:
                skipped += [day for day in rule.dates(change.date, change.date) if day >= starts.date()]
            elif change.kind == ChangeKind.CLOSED and change.until:
                last = change.until - dt.timedelta(days=1)
                skipped += [day for day in rule.dates(change.date, last) if day >= starts.date()]
            elif change.kind == ChangeKind.MOVED and change.date in rule.dates(starts.date(), change.date):
                # RECURRENCE-ID must name a date of the series, and one still to come.
                found.append(moved(meeting, meeting_time, change, uid, site_url, now))
        if skipped:
            event.add("exdate", [rule.instant(meeting.timezone, day)[0] for day in sorted(set(skipped))])
    return found


def moved(meeting, meeting_time, change, uid, site_url, now):
    """The VEVENT that replaces one date of the series (RECURRENCE-ID: the date it replaces)."""
    rule = meeting_time.rule
    original, _original_end = rule.instant(meeting.timezone, change.date)
    start = change.new_start or meeting_time.start_time
    end = change.new_end if change.new_start else meeting_time.end_time
    starts, ends = rule.instant(meeting.timezone, change.new_date or change.date, start=start, end=end)
    event = describe(Event(), meeting, site_url, now, note=change.note)
    event.add("uid", uid)
    event.add("recurrence-id", original)
    event.add("dtstart", starts)
    event.add("dtend", ends)
    return event


def changes_of(meeting, meeting_time):
    return [c for c in meeting.schedule_changes.all() if c.meeting_time_id in (None, meeting_time.pk)]


def describe(event, meeting, site_url, now, note=""):
    """What every VEVENT of a meeting says: name, place, how to join, its page."""
    event.add("summary", _("%(name)s (HA meeting)") % {"name": meeting.name})
    event.add("dtstamp", meeting.updated_at or now)
    url = f"{site_url}{meeting.get_absolute_url()}"
    event.add("url", url)
    place = meeting.location.published if meeting.location else None
    if place and not place.approximate:
        event.add("location", ", ".join(part for part in (place.name, place.formatted_address) if part))
        if place.latitude is not None and place.longitude is not None:
            event.add("geo", (place.latitude, place.longitude))
    lines = [note] if note else []
    if meeting.notes:
        lines.append(meeting.notes)
    if meeting.conference_url:
        lines.append(_("Join online: %(url)s") % {"url": meeting.conference_url})
        if meeting.conference_url_notes:
            lines.append(meeting.conference_url_notes)
    if meeting.conference_phone:
        lines.append(_("Dial in: %(phone)s") % {"phone": meeting.conference_phone})
    lines.append(url)
    event.add("description", "\n".join(lines))
    return event
