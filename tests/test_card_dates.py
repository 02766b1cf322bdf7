"""A results or area page keeps what its cards need of each date (meetings/card_dates.py), not the date's models.

Its first visitor of a minute reads a few plain values per card; the models
are read only where a card's fixed parts must be rendered again (another
language, a new day, an edit), from the cache where the page's first
rendering kept them. The page is the same bytes either way.
"""

import datetime as dt
import pickle
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from meetings import card_dates, card_parts
from meetings.cards import present
from meetings.models import Occurrence
from tests.clock import frozen
from tests.factories import make_location, make_meeting

MONDAY_6_40_PM = dt.datetime(2026, 11, 23, 18, 40, tzinfo=ZoneInfo("America/Phoenix"))
PAGES = ["/meetings/", "/meetings/?upcoming=1", "/meetings/?lat=33.45&lng=-112.07&radius=50", "/areas/arizona/"]


@pytest.fixture(autouse=True)
def monday_evening(db):
    with frozen(MONDAY_6_40_PM):
        yield


@pytest.fixture
def listings(arizona):
    hall = make_location(arizona, name="St. Brigid's Hall", latitude=33.45, longitude=-112.07)
    make_meeting(arizona, name="Hope at the hall", location=hall, types=["D"], times=[(1, "19:00", "20:00")])
    make_meeting(arizona, name="Under way online", location=None, conference_url="https://meet.example.com/1",
                 times=[(1, "18:15", "19:15")])  # fmt: skip
    closed = {"status": "temporarily_closed", "times": [(1, "18:55", "19:55"), (3, "07:00", None)]}
    make_meeting(arizona, name="By phone", location=None, conference_phone="+1 602 555 0100", **closed)


def kept_values(kind):
    """What LocMemCache keeps under `kind` (keys "<prefix>:<version>:<kind>:..."), unpickled."""
    return [pickle.loads(value) for key, value in cache._cache.items() if key.split(":")[2] == kind]


def page(client, url, n, language=""):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{language}{url}{'&' if '?' in url else '?'}again={n}")
    assert response.status_code == 200, url
    return response.content.decode().replace(f"again={n}", "again=N"), [query["sql"] for query in captured]


@pytest.mark.parametrize("url", PAGES)
def test_a_page_keeps_plain_values_per_card_and_shows_the_same_from_them(client, listings, url):
    cold, _queries = page(client, url, 1)
    dates = kept_values("card-dates")
    assert dates and all(isinstance(date, card_dates.CardDate) for date in dates)
    for date in dates:  # its fields only: nothing of this request, nor of the visitor's search
        assert date.full is None and date.source is None and "distance_km" not in vars(date)
        assert isinstance(date.meeting_time, card_dates.TimeFacts)
    kept, queries = page(client, url, 2)
    assert kept == cold
    read_by_id = [sql for sql in queries if '"meetings_occurrence"."id" IN' in sql or "meetingtype" in sql]
    assert read_by_id == []  # the cards' dates and parts all kept: no date nor type read again


def test_a_date_keeps_what_its_card_reads_and_pickles_as_its_fields_alone(listings):
    date = Occurrence.objects.for_cards(types=False).filter(meeting__name="By phone", local_weekday=1).first()
    brief = card_dates.CardDate.of(date)
    assert brief.full is date
    assert brief.meeting == card_dates.MeetingFacts(
        date.meeting_id, "By phone", "America/Phoenix", "", "+1 602 555 0100", "phone", "temporarily_closed"
    )
    assert brief.meeting_time == (date.meeting_time_id, 1, brief.meeting)
    brief.distance_km = 3.2
    again = pickle.loads(pickle.dumps(brief))
    assert (again.pk, again.meeting_time, again.starts_at, again.ends_at, again.state, again.change_id) == (
        date.pk, brief.meeting_time, date.starts_at, date.ends_at, "scheduled", None
    )  # fmt: skip
    assert again.full is None and not hasattr(again, "distance_km")


def test_another_language_renders_the_cards_from_the_models_kept_by_the_first(client, listings, monkeypatch):
    english, _queries = page(client, "/meetings/", 1)
    rendered = []
    render = card_parts.render
    monkeypatch.setattr(card_parts, "render", lambda row, show_day: rendered.append(row) or render(row, show_day))
    spanish, queries_spanish = page(client, "/meetings/", 3, language="/es")
    assert rendered and all(not isinstance(row.occurrence, card_dates.CardDate) for row in rendered)
    assert "Hope at the hall" in spanish and spanish != english
    read_by_id = [sql for sql in queries_spanish if '"meetings_occurrence"."id" IN' in sql]
    assert read_by_id == []  # the models the English page kept: only the cards' types are read, for their parts
    assert len([sql for sql in queries_spanish if "meetingtype" in sql and "INNER JOIN" in sql]) == 1
    cache.clear()
    assert page(client, "/meetings/", 4, language="/es")[0] == spanish  # the same cards as a cold page's


def test_a_date_gone_since_its_card_was_kept_is_left_out_not_an_error(listings):
    rows_of = Occurrence.objects.public().for_cards(types=False)
    ids = list(Occurrence.objects.order_by("starts_at").values_list("pk", flat=True)[:3])
    card_dates.in_bulk(rows_of, ids)  # the cards' dates kept, and their models
    for key in [key for key in cache._cache if key.split(":")[2] == "rows"]:
        del cache._cache[key], cache._expire_info[key]  # the models gone from the cache (evicted) ...
    Occurrence.objects.filter(pk=ids[1]).delete()  # ... and a date from the table, its meeting saved meanwhile
    briefs = card_dates.in_bulk(rows_of, ids)
    rows = present([briefs[pk] for pk in ids], dt.datetime.now(dt.UTC))
    assert card_parts.attach(rows) is rows  # its parts are not kept: they need the models
    assert [row.occurrence.pk for row in rows] == [ids[0], ids[2]]
    assert all(row.fixed is not None for row in rows)


def test_a_card_on_a_kept_date_renders_its_fixed_parts_when_no_view_attached_them(listings):
    rows_of = Occurrence.objects.public().for_cards(types=False)
    ids = list(Occurrence.objects.order_by("starts_at").values_list("pk", flat=True)[:4])
    card_dates.in_bulk(rows_of, ids)  # kept
    now = dt.datetime.now(dt.UTC)
    template = Template("{% load cards %}{% meeting_cards rows %}")
    briefs = card_dates.in_bulk(rows_of, ids)
    assert all(date.full is None for date in briefs.values())  # read from the cache
    unattached = template.render(Context({"rows": present([briefs[pk] for pk in ids], now)}))
    attached = template.render(Context({"rows": card_parts.attach(present([briefs[pk] for pk in ids], now))}))
    assert unattached == attached
    assert unattached.count('<li class="meeting-card') == len(ids) == 4
