"""What a card needs of a page's date on every request, kept whole: a few plain values, not five models.

A results or area page reads its dates by id (pagination.page_with_total).
Its first visitor of a minute found each one kept as a model (an Occurrence
with its time, meeting, place and change, kept_rows.py) and unpickled all
five of them, some seventy fields, to use a dozen: 50 to 80 µs a date, a
tenth of a 25-card page and more of a 100-card area page. The cards' fixed
parts, rendered from those models, are kept apart (card_parts.py); what a
card writes around them on each request (under way, starting soon, Join,
the day's heading, the viewer's time) needs only what a CardDate holds.

So a page keeps a CardDate per date under the listings version (and the
release: kept_rows.kept), and reads the models only for cards whose fixed
parts are not kept (another language, a new day, an edit): make_whole().
What the search adds (a distance from the visitor's point) is set on the
page's own copy, never kept.
"""

from typing import NamedTuple

from meetings import kept_rows


class MeetingFacts(NamedTuple):
    """What a card's live parts read of its meeting (Row.meeting): its name, zone, links, way to attend and status."""

    pk: int
    name: str
    timezone: str
    conference_url: str
    conference_phone: str
    attendance: str | None
    status: str


class TimeFacts(NamedTuple):
    """A card's weekly time, as its live parts and the cards' cache keys read it (Row.meeting_time)."""

    pk: int
    weekday: int
    meeting: MeetingFacts


class CardDate:
    """Stands for an Occurrence in a Row (cards.present) until its card's fixed parts need the models.

    Pickled as its fields alone: `full` (the Occurrence it was made from, in
    this request only), `source` (the queryset it was read from) and a
    search's own values (`distance_km`) are never kept.
    """

    def __init__(self, pk, meeting_time, starts_at, ends_at, state, change_id):
        self.pk = pk
        self.meeting_time = meeting_time
        self.starts_at = starts_at
        self.ends_at = ends_at
        self.state = state
        self.change_id = change_id
        self.full = None
        self.source = None

    @property
    def meeting(self):
        return self.meeting_time.meeting

    def __reduce__(self):
        fields = (self.pk, self.meeting_time, self.starts_at, self.ends_at, self.state, self.change_id)
        return CardDate, fields

    @classmethod
    def of(cls, date):
        """The CardDate of an Occurrence read with its time and meeting (and place: Meeting.attendance reads it)."""
        meeting = date.meeting
        attendance = meeting.attendance
        facts = MeetingFacts(
            meeting.pk,
            meeting.name,
            meeting.timezone,
            meeting.conference_url,
            meeting.conference_phone,
            attendance.value if attendance else None,
            str(meeting.status),
        )
        time = TimeFacts(date.meeting_time_id, date.meeting_time.weekday, facts)
        found = cls(date.pk, time, date.starts_at, date.ends_at, str(date.state), date.change_id)
        found.full = date
        return found


def in_bulk(rows, ids):
    """{id: CardDate} of `rows` (a queryset of Occurrences with their time, meeting and place) for `ids`: kept
    ones from the cache in one round trip, the others made from the models, which are kept too (kept_rows.in_bulk)
    for make_whole() to find when another language or day renders the cards' parts again."""

    def read(some):
        return {pk: CardDate.of(date) for pk, date in kept_rows.in_bulk(rows, some).items()}

    found = kept_rows.kept_for(rows, ids, read, kind="card-dates")
    for date in found.values():
        date.source = rows
    return found


def make_whole(rows):
    """Give the Rows standing on a CardDate their date's models, in one read per queryset (none if they came from
    the database in this request), so that their cards' fixed parts can be rendered. Returns the rows that could
    not be: their date gone since (its meeting edited meanwhile, which writes its dates anew)."""
    briefs = [row for row in rows if isinstance(row.occurrence, CardDate)]
    unread = {}
    for row in briefs:
        if row.occurrence.full is None:
            if row.occurrence.source is None:
                raise ValueError("A CardDate not read by card_dates.in_bulk has no queryset to read its models from.")
            unread.setdefault(row.occurrence.source, []).append(row.occurrence.pk)
    read = {}
    for source, ids in unread.items():
        read.update(kept_rows.in_bulk(source, ids))
    gone = []
    for row in briefs:
        date = row.occurrence.full or read.get(row.occurrence.pk)
        if date is None:
            gone.append(row)
            continue
        date.meeting_time.meeting = date.meeting  # read with the date: no query per card
        row.occurrence, row.meeting_time = date, date.meeting_time
    return gone
