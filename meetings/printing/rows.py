"""What one printed line shows: a meeting's time, codes, place and notices; the legend of the codes a list uses."""

from dataclasses import dataclass, field

from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.translation import get_language, gettext_lazy

from meetings.cards import Row
from meetings.models import Access
from meetings.text import format_address

FIXED_CODES = {  # the codes that are not meeting types
    "O": gettext_lazy("Open: anyone may attend"),
    "C": gettext_lazy("Closed: for people with a desire to stop using"),
    "ONL": gettext_lazy("Online: join with the link shown"),
    "PH": gettext_lazy("Phone: dial the number shown"),
}


@dataclass
class Entry:
    """One line of a printed list: a meeting time (or, combined, the same time on several days, or one date)."""

    row: Row  # the card row of its (first) time: meeting, next or listed date, state, distance
    clock: str = ""  # "7:00 PM MST"
    days: str = ""  # "Every day", "Mon–Fri": a time listed once for several days
    when: str = ""  # "1st & 3rd Sat · next: 6 Dec" for a time that is not every week
    notices: list = field(default_factory=list)  # "No meeting Thu 25 Dec (Christmas Day)"
    codes: str = ""
    place: str = ""
    state: str = ""  # on a dated list: "No meeting this day", "Closed; meets again 3 Jan"
    times: list = field(default_factory=list)  # ids of the meeting times it stands for

    @property
    def meeting(self):
        return self.row.meeting


def clock_format():
    """The time format of the active language, the site's own (ha_directory/formats): "7:00 PM", "7:00 p. m."."""
    return get_format("TIME_FORMAT")


def clock(moment, wall_clock=None):
    """"7:00 PM MST": `wall_clock` (or the time of `moment`) with the zone of `moment`; it never wraps."""
    text = dateformat.time_format(wall_clock or moment.time(), clock_format()).replace(" ", "\u00a0")
    return f"{text} {moment:%Z}"


def describe(entries, units):
    """Give each entry its codes and place; return the legend: exactly the codes used, explained, in order.

    Type names come from the types for_cards() read with the meetings: no query.
    """
    language = get_language()
    used = {}  # code -> (order in the legend: O/C, types as in the admin, ONL/PH; explanation)
    for entry in entries:
        meeting = entry.meeting
        access = "O" if meeting.access == Access.OPEN else "C"
        codes = [(access, (0, access == "C", ""), FIXED_CODES[access])]
        codes += [(t.code, (1, t.position, t.name), t.localized("name", language)) for t in meeting.type_list()]
        if meeting.conference_url:
            codes.append(("ONL", (2, 0, ""), FIXED_CODES["ONL"]))
        if meeting.conference_phone:
            codes.append(("PH", (2, 1, ""), FIXED_CODES["PH"]))
        entry.codes = " ".join(code for code, _order, _name in codes)
        entry.place = place_line(meeting.location.published if meeting.location else None, entry.row.distance, units)
        for code, order, name in codes:
            used.setdefault(code, (order, name))
    return [(code, name) for code, (_order, name) in sorted(used.items(), key=lambda item: item[1][0])]


def place_line(place, distance, units):
    """The printed address (St. Mark's, 12 Main St, Phoenix, AZ 85004 · 2.3 mi), or "" with no room to go to."""
    if place is None or place.approximate:
        return ""
    street = format_address(place.address, place.city, place.state, place.postal_code)
    line = f"{place.name}, {street}" if place.name else street
    return f"{line} · {distance:g} {units}" if distance is not None else line
