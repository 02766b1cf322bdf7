"""What a change request proposes, field by field: read from a listing, shown to a volunteer, applied.

A proposal is a dict of JSON values keyed by the names in FIELDS, in the same
shape `current_values()` reads from a meeting, so "what changed" is a plain
comparison. The public form (meetings/reports.py) writes proposals; the
request queue (meetings/requests_admin.py) shows and applies them.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings.models import Access, Location, Meeting, MeetingTime, MeetingType, Status, Weekday
from meetings.text import format_address
from meetings.time_input import shown as shown_time

FIELDS = ["name", "times", "place", "conference_url", "conference_phone", "access", "status", "types"]
LABELS = {
    "name": gettext_lazy("Name"),
    "times": gettext_lazy("Day and time"),
    "place": gettext_lazy("Place"),
    "conference_url": gettext_lazy("Join link"),
    "conference_phone": gettext_lazy("Dial-in phone"),
    "access": gettext_lazy("Open or closed"),
    "status": gettext_lazy("Meeting or closed"),
    "types": gettext_lazy("Types"),
}
PLACE_PARTS = ["name", "address", "city", "state", "postal_code"]
STATUS_WORDS = {
    Status.ACTIVE: gettext_lazy("It meets"),
    Status.TEMPORARILY_CLOSED: gettext_lazy("Temporarily closed"),
    Status.ARCHIVED: gettext_lazy("Closed for good"),
}


def clock(value):
    return value.strftime("%H:%M") if value else None


def current_values(meeting):
    """The listing's values in a proposal's shape (reads the times, the place and the types if not prefetched)."""
    location = meeting.location
    return {
        "name": meeting.name,
        "times": [
            [t.weekday, clock(t.start_time), clock(t.end_time)]
            for t in sorted(meeting.times.all(), key=lambda t: (t.weekday, t.start_time, t.pk))
        ],
        "place": {part: getattr(location, part) for part in PLACE_PARTS} if location else None,
        "conference_url": meeting.conference_url,
        "conference_phone": meeting.conference_phone,
        "access": meeting.access,
        "status": meeting.status,
        "types": sorted(t.code for t in meeting.types.all()),
    }


def shown(field, value, twelve_hour=True, type_names=None):
    """A value as a volunteer reads it: "Monday 7:00 PM – 8:00 PM", "Temporarily closed", "—" for nothing."""
    if value in (None, "", []):
        return "—"
    if field == "times":
        return "; ".join(
            f"{Weekday(day).label} {shown_time(parse_clock(start), twelve_hour)}"
            + (f" – {shown_time(parse_clock(end), twelve_hour)}" if end else "")
            for day, start, end in value
        )
    if field == "place":
        line = format_address(value.get("address", ""), value.get("city", ""), value.get("state", ""),
                              value.get("postal_code", ""))
        return ", ".join(part for part in (value.get("name", ""), line) if part)
    if field == "access":
        return str(Access(value).label)
    if field == "status":
        return str(STATUS_WORDS.get(value, value))
    if field == "types":
        names = type_names if type_names is not None else dict(MeetingType.objects.values_list("code", "name"))
        return ", ".join(str(names.get(code, code)) for code in value)
    return str(value)


def shown_times_now(meeting, twelve_hour=True):
    """The listing's times as the volunteer must know them: how each repeats when not weekly.

    "Monday 7:00 PM – 8:00 PM; Monthly, on the 1st and 3rd Wednesday 7:00 PM – 8:00 PM": a changed day
    keeps how its time repeats, so the volunteer sees what applying would mean.
    """
    parts = []
    for time in sorted(meeting.times.all(), key=lambda t: (t.weekday, t.start_time, t.pk)):
        day = Weekday(time.weekday).label if time.repeats == MeetingTime.Repeats.WEEKLY else time.rule.describe()
        hours = shown_time(time.start_time, twelve_hour)
        if time.end_time:
            hours += f" – {shown_time(time.end_time, twelve_hour)}"
        parts.append(f"{day} {hours}")
    return "; ".join(parts) or "—"


def what(request):
    """What a request proposes, in our words: "Day and time, Place, a message" (never the visitor's own)."""
    labels = [str(LABELS[field]) for field in FIELDS if field in request.proposed]
    if request.message:
        labels.append(_("a message"))
    return ", ".join(labels)


def parse_clock(value):
    return dt.time.fromisoformat(value) if value else None


def changed_since(request, now):
    """Fields of the request whose listing value differs now from when the request came in."""
    then = request.current
    return [field for field in request.proposed if field in then and now.get(field) != then[field]]


class CannotApply(Exception):
    """The listing would break (no way to attend, two times at once): the message says why."""


def apply(meeting, proposal, fields, *, user, reason):
    """Write the `fields` of `proposal` to `meeting`, as one save with `reason` in its history.

    Runs in the caller's transaction; raises CannotApply (nothing written) when the result is invalid.
    """
    try:
        with transaction.atomic():
            _apply(meeting, proposal, fields, user=user, reason=reason)
    except ValidationError as error:
        raise CannotApply(" ".join(error.messages)) from None
    except IntegrityError:
        raise CannotApply(_("Two of the times would be the same day and hour.")) from None


def _apply(meeting, proposal, fields, *, user, reason):
    for field in ("name", "conference_url", "conference_phone", "access", "status"):
        if field in fields:
            setattr(meeting, field, proposal[field])
    if "place" in fields:
        meeting.location = place_for(meeting, proposal["place"], reason)
    meeting.clean()
    meeting.updated_by = user
    meeting._change_reason = reason
    meeting.save()
    if "types" in fields:
        meeting.types.set(MeetingType.objects.filter(code__in=proposal["types"]))
    if "times" in fields:
        set_times(meeting, proposal["times"], reason)


def place_for(meeting, place, reason):
    """The location for a proposed place: the meeting's own, edited, when no other meeting meets there; else new."""
    if place is None:
        return None
    location = meeting.location
    if location is not None and not Meeting.objects.filter(location=location).exclude(pk=meeting.pk).exists():
        moved = any(getattr(location, part) != place[part] for part in ("address", "city", "postal_code"))
        for part in PLACE_PARTS:
            setattr(location, part, place[part])
        if moved and location.pin_source != "manual":
            location.latitude = location.longitude = None  # the old pin marks the old door
            location.pin_source = ""
        location._change_reason = reason
        location.save()
        return location
    old = location
    created = Location(
        area=meeting.area,
        country=old.country if old else "US",
        timezone=(old.timezone if old else "") or meeting.timezone or meeting.area.timezone,
        **{part: place[part] for part in PLACE_PARTS},
    )
    created._change_reason = reason
    created.save()
    return created


def set_times(meeting, rows, reason):
    """The meeting's times become `rows`: a row is matched by its day and hour, never by its place in the list.

    A time the proposal keeps (same day and start) is left as it is, with how
    it repeats, its dated changes and its feed slug; a time no longer proposed
    is deleted; the rest are edited in day order (keeping how each repeats),
    and any left over are added as weekly times. Each is validated as the
    admin would: a change that breaks a time's rule raises CannotApply.
    """
    wanted = [(weekday, parse_clock(start), parse_clock(end)) for weekday, start, end in rows]
    slots = [(weekday, start) for weekday, start, _end in wanted]
    if len(set(slots)) != len(slots):
        raise CannotApply(_("Two of the times would be the same day and hour."))
    existing = sorted(meeting.times.all(), key=lambda t: (t.weekday, t.start_time, t.pk))
    by_slot = {(t.weekday, t.start_time): t for t in existing}
    kept, added = [], []
    for weekday, start, end in wanted:
        time = by_slot.pop((weekday, start), None)
        if time is not None:
            kept.append((time, end))
        else:
            added.append((weekday, start, end))
    unmatched = [t for t in existing if (t.weekday, t.start_time) in by_slot]
    edits = list(zip(unmatched, added, strict=False))
    removed = unmatched[len(added):]
    added = added[len(unmatched):]
    for time in removed:
        time._change_reason = reason
        time.delete()
    for time, end in kept:
        if time.end_time != end:
            save_time(time, time.weekday, time.start_time, end, reason)
    # No edit can take a slot still held: every time holding a proposed slot was kept above.
    for time, (weekday, start, end) in edits:
        save_time(time, weekday, start, end, reason)
    for weekday, start, end in added:
        save_time(MeetingTime(meeting=meeting), weekday, start, end, reason)


def save_time(time, weekday, start, end, reason):
    was = str(time) if time.pk else ""
    if time.pk and time.repeats == MeetingTime.Repeats.ONCE and weekday != time.weekday:
        raise CannotApply(
            _("“%(time)s” is an event on one date: change its date on the meeting's page instead.") % {"time": was}
        )
    time.weekday, time.start_time, time.end_time = weekday, start, end
    try:
        time.full_clean(exclude=["meeting"])
    except ValidationError as error:
        problem = " ".join(error.messages)
        if was:
            raise CannotApply(
                _("“%(time)s” cannot become %(new)s: %(problem)s Change it on the meeting's page instead.")
                % {"time": was, "new": shown("times", [[weekday, clock(start), clock(end)]]), "problem": problem}
            ) from None
        raise CannotApply(problem) from None
    time._change_reason = reason
    time.save()


def create_meeting(request, fields, *, user, reason):
    """A new meeting from a new-meeting request: its place and times in the request's area."""
    proposal = request.proposed
    try:
        with transaction.atomic():
            meeting = Meeting(area=request.area, name=proposal["name"], created_by=user, updated_by=user)
            for field in ("conference_url", "conference_phone", "access"):
                if field in fields and field in proposal:
                    setattr(meeting, field, proposal[field])
            if "place" in fields and proposal.get("place"):
                meeting.location = place_for(meeting, proposal["place"], reason)
            meeting.clean()
            meeting._change_reason = reason
            meeting.save()
            if "types" in fields and proposal.get("types"):
                meeting.types.set(MeetingType.objects.filter(code__in=proposal["types"]))
            set_times(meeting, proposal.get("times", []), reason)
    except ValidationError as error:
        raise CannotApply(" ".join(error.messages)) from None
    except IntegrityError:
        raise CannotApply(_("Two of the times would be the same day and hour.")) from None
    return meeting
