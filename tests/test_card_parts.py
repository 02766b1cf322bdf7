"""Cards whose fixed parts come from the cache (meetings/card_parts.py) are the cards a cold page renders.

What changes by the minute (under way, starting soon, Join) and with the
search (distance) is rendered around the kept parts; the day and "today"
in them change with the date where the meeting is held; an edit shows at once.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from meetings import card_parts, release
from meetings.models import ChangeKind, ScheduleChange
from tests.clock import frozen
from tests.factories import make_group, make_location, make_meeting

PHOENIX = ZoneInfo("America/Phoenix")
MONDAY_6_PM = dt.datetime(2026, 11, 23, 18, 0, tzinfo=PHOENIX)
MONDAY_6_40_PM = dt.datetime(2026, 11, 23, 18, 40, tzinfo=PHOENIX)
TUESDAY_8_AM = dt.datetime(2026, 11, 24, 8, 0, tzinfo=PHOENIX)

PAGES = [
    "/meetings/",  # by day: the day in the headings
    "/meetings/?lat=33.45&lng=-112.07&radius=50&sort=distance",  # the day and the distance on each card
    "/meetings/?upcoming=1",
    "/areas/arizona/",
    "/groups/desert-hope/",
    "/",
]


@pytest.fixture
def listings(arizona):
    group = make_group(arizona, name="Desert Hope")
    hall = make_location(arizona, name="St. Brigid's Hall", latitude=33.45, longitude=-112.07)
    online = {"location": None, "conference_url": "https://meet.example.com/1", "group": group}
    make_meeting(arizona, name="Under way at 6:40", times=[(1, "18:15", "19:15")], types=["D", "W"], **online)
    make_meeting(arizona, name="Soon at 6:40", times=[(1, "18:55", "19:55")], language="es", **online)
    cancelled = make_meeting(arizona, name="Not tonight", location=hall, group=group, times=[(1, "19:30", None)])
    ScheduleChange.objects.create(
        meeting=cancelled, kind=ChangeKind.CANCELLED, date=dt.date(2026, 11, 23), note="Holiday"
    )
    make_meeting(arizona, name="Tuesday noon", location=hall, group=group, times=[(2, "12:00", "13:00")])


def pages(client, language):
    return {url: client.get(language + url).content.decode() for url in PAGES}


def counting_renders(monkeypatch):
    rendered = []
    render = card_parts.render
    monkeypatch.setattr(card_parts, "render", lambda row, show_day: rendered.append(row) or render(row, show_day))
    return rendered


@pytest.mark.parametrize("language", ["", "/es"])
def test_cards_kept_earlier_are_the_cards_rendered_cold_a_minute_or_a_day_later(
    client, listings, monkeypatch, language
):
    with frozen(MONDAY_6_PM):
        before = pages(client, language)  # nothing under way yet: the parts are kept as of 6 PM
    rendered = counting_renders(monkeypatch)
    for later in (MONDAY_6_40_PM, TUESDAY_8_AM):
        with frozen(later):
            rendered.clear()
            kept = pages(client, language)
            from_the_cache = not rendered
            cache.clear()
            cold = pages(client, language)
            assert rendered, "a cold page renders its cards' parts"
        for url in PAGES:
            assert kept[url] == cold[url], (later, url)
        if later == MONDAY_6_40_PM:
            assert from_the_cache  # same day, no edit: every card's parts came from the cache
    evening = pages_at(client, language, MONDAY_6_40_PM)
    assert evening != before  # the minute's words did change: the comparison above compared something
    listing, near = evening["/meetings/"], evening["/meetings/?lat=33.45&lng=-112.07&radius=50&sort=distance"]
    assert "in-progress" in listing and 'class="now"' in listing and 'class="button join"' in listing
    assert "not-meeting" in listing and "Holiday" in listing
    assert 'class="distance"' in near and '<span class="day">' in near


def pages_at(client, language, moment):
    with frozen(moment):
        cache.clear()
        return pages(client, language)


def test_the_cards_say_what_is_under_way_in_each_language(client, listings):
    english, spanish = pages_at(client, "", MONDAY_6_40_PM), pages_at(client, "/es", MONDAY_6_40_PM)
    assert "started 25 min ago" in english["/meetings/"] and "Starts in 15 min" in english["/meetings/"]
    assert "Cancelled today" in english["/meetings/"]
    assert spanish["/meetings/"] != english["/meetings/"] and "25 min" in spanish["/meetings/"]


def test_the_next_day_the_cards_name_their_day_anew(client, listings):
    url = "/meetings/?lat=33.45&lng=-112.07&radius=50&sort=distance"
    with frozen(MONDAY_6_PM):
        assert '<span class="day">Tomorrow</span>' in client.get(url).content.decode()
    with frozen(TUESDAY_8_AM):
        body = client.get(url).content.decode()
    assert '<span class="day">Today</span>' in body and '<span class="day">Tomorrow</span>' not in body


def test_an_edit_shows_at_once_in_kept_cards(client, listings, arizona):
    with frozen(MONDAY_6_PM):
        assert "Tuesday noon" in client.get("/areas/arizona/").content.decode()
        meeting = arizona.meetings.get(name="Tuesday noon")
        meeting.name = "Tuesday lunch"
        meeting.save()
        body = client.get("/areas/arizona/?page=1").content.decode()
    assert "Tuesday lunch" in body and "Tuesday noon" not in body


def test_a_page_asks_the_cache_once_for_all_its_cards(client, listings, monkeypatch):
    asked = []
    get_many = cache.get_many
    monkeypatch.setattr(card_parts.cache, "get_many", lambda keys: asked.append(keys) or get_many(keys))
    with frozen(MONDAY_6_PM):
        client.get("/areas/arizona/")
    asked = [keys for keys in asked if keys[0].startswith("card:")]  # the page's rows are asked for too (kept_rows)
    assert len(asked) == 1 and len(asked[0]) == 4


def test_parts_kept_by_another_release_are_not_read(client, listings, monkeypatch):
    """The listings version outlives a deploy in a shared cache: the key also names the release (release.py)."""
    with frozen(MONDAY_6_PM):
        client.get("/areas/arizona/")
        monkeypatch.setattr(release, "fingerprint", lambda: "another-release")
        rendered = []
        render = card_parts.render
        monkeypatch.setattr(card_parts, "render", lambda *a: rendered.append(a) or render(*a))
        client.get("/areas/arizona/?page=1")  # another address: not the whole page kept before
        assert len(rendered) == 4  # every card rendered again, none read from the other release's parts


@pytest.mark.parametrize("url", ["/meetings/", "/areas/arizona/", "/groups/desert-hope/"])
def test_a_page_reads_the_types_only_of_cards_whose_parts_are_not_kept(client, listings, url):
    """The types show only in the fixed parts: card_parts.read_types reads them for the cards rendered now."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def types_read(query):
        with CaptureQueriesContext(connection) as captured:
            body = client.get(url + query).content.decode()
        return body, sum("meetings_meeting_types" in q["sql"] for q in captured.captured_queries)

    with frozen(MONDAY_6_PM):
        cold, cold_reads = types_read("")
        kept, kept_reads = types_read("?page=1")  # a page of its own: not the copy kept for the minute
    assert cold_reads == 1 and kept_reads == 0
    assert 'class="badge">Discussion<' in kept and 'class="badge">Women<' in kept
