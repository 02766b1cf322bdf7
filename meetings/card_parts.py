"""The parts of meeting cards that stay the same all day, kept in the cache: a page renders only what changes.

A card's time, name, place, state and badges change only when the listings
do (every save bumps their version) or when the date changes where the
meeting is held ("Today", "Cancelled today"). What changes by the minute
("In progress", "Starts in 20 min", Join) or with the search (distance,
other times) is written around these parts on every page, in Python, by
the {% meeting_cards %} tag (meetings/templatetags/cards.py). A page fetches
its cards' parts with one cache.get_many, and renders and keeps only those missing.
"""

from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from meetings import card_dates, release
from meetings.freshness import listings_version

TEMPLATE = "includes/meeting_card_fixed.html"
LIVE = "<!--live-->"  # where the {% meeting_cards %} tag puts what changes; escaped text cannot hold it
PARTS = 3  # the template's last marker closes the last part


class Parts(NamedTuple):
    """A card's fixed parts, by name: the template's `fixed.0` made Django try an attribute "0" and list dir(list)
    for each card and part before indexing (4.5 ms of a 100-card area page)."""

    head: str  # from the card's opening tag to its time
    middle: str  # its state, name and place, up to where the distance goes
    tail: str  # its badges


SECONDS = 24 * 3600  # each key names a local date: a day on, no page asks for it again


def attach(rows, show_day=False):
    """Give each Row the fixed parts of its card (`show_day`: the card names its day), in one cache round trip.

    Rows without them (a view that does not call this) get theirs rendered
    by the template tag: the same HTML, not kept. Rows standing on a
    CardDate (card_dates.py) whose parts are not kept are given their
    models first; one whose date has gone since is taken out of `rows`.
    """
    if not rows:
        return rows
    show_day = bool(show_day)
    prefix = f"card:{release.fingerprint()}:v{listings_version()}:{translation.get_language()}:{int(show_day)}"
    keys = [f"{prefix}:{identity(row)}" for row in rows]
    found = cache.get_many(keys)
    without = [(key, row) for key, row in zip(keys, rows, strict=True) if key not in found]
    gone = card_dates.make_whole([row for _key, row in without])  # their parts are rendered from the models
    if gone:  # a date its meeting's edit took away since the page read it: left out, as page_with_total does
        gone = {id(row) for row in gone}
        staying = [(key, row) for key, row in zip(keys, rows, strict=True) if id(row) not in gone]
        keys, rows[:] = [key for key, _row in staying], [row for _key, row in staying]
        without = [(key, row) for key, row in without if id(row) not in gone]
    read_types([row.meeting for _key, row in without])
    missing = {key: render(row, show_day) for key, row in without}
    for key, row in zip(keys, rows, strict=True):
        parts = found[key] if key in found else missing[key]
        row.fixed = (show_day, Parts(*(mark_safe(part) for part in parts)))
    if missing:
        cache.set_many(missing, SECONDS)
    return rows


def read_types(meetings):
    """The types of `meetings` that their query did not read (for_cards(types=False)), in one query.

    Only the fixed parts show them: a page whose cards' parts are all kept reads none.
    """
    unread = [meeting for meeting in meetings if "listed_types" not in meeting.__dict__]
    if unread:
        prefetch_related_objects(unread, Prefetch("types", to_attr="listed_types"))


def identity(row):
    """What the parts show besides the listings and the language: the time, its date and state, and today there."""
    starts = row.starts.isoformat() if row.starts else "-"
    change = row.occurrence.change_id if row.occurrence else None
    return f"{row.meeting_time.pk}:{starts}:{row.state}:{change}:{row.local_today.isoformat()}"


def render(row, show_day):
    """The fixed parts of a card as plain strings (what the cache keeps)."""
    html = render_to_string(TEMPLATE, {"row": row, "show_day": show_day})
    return [str(part) for part in html.split(LIVE)[:PARTS]]
