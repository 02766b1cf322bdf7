"""Schedules as groups keep them: monthly, every other week, one-off events, dated cancellations, closures, moves.

Every answer comes from real dates: frozen clocks, month ends, a DST change, the end of the week and of the year.
"""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from meetings import freshness, occurrences
from meetings.models import ChangeKind, MeetingTime, Occurrence, OccurrenceState, Repeats, ScheduleChange
from tests.clock import frozen
from tests.factories import make_meeting, meeting_change_form

URL = "/meetings/"
PHOENIX = ZoneInfo("America/Phoenix")
NEW_YORK = ZoneInfo("America/New_York")


def names(response):
    return [row.meeting.name for row in response.context["rows"]]


def at(zone, *args):
    return dt.datetime(*args, tzinfo=zone)


def with_rule(meeting, **rule):
    meeting_time = meeting.times.get()
    for field, value in rule.items():
        setattr(meeting_time, field, value)
    meeting_time.full_clean()
    meeting_time.save()
    return meeting_time


@pytest.fixture
def first_saturday(arizona):
    meeting = make_meeting(arizona, name="First Saturday", times=[(6, "10:00", "11:30")])
    with_rule(meeting, repeats=Repeats.MONTHLY, weeks_of_month="1")
    return meeting


@pytest.mark.parametrize(
    ("moment", "meets"),
    [
        (at(PHOENIX, 2026, 11, 7, 9, 0), True),  # the 1st Saturday of November
        (at(PHOENIX, 2026, 11, 14, 9, 0), False),
        (at(PHOENIX, 2026, 11, 28, 9, 0), False),  # the last Saturday: the month ends
        (at(PHOENIX, 2026, 12, 5, 9, 0), True),  # the 1st Saturday of December
        (at(PHOENIX, 2027, 1, 2, 9, 0), True),  # the year turns on a 1st Saturday
    ],
)
def test_a_first_saturday_meeting_is_today_only_on_first_saturdays(client, first_saturday, moment, meets):
    with frozen(moment):
        found = names(client.get(URL, {"day": "today"}))
    assert found == (["First Saturday"] if meets else [])


def test_a_monthly_meeting_keeps_its_wall_clock_time_across_a_dst_change(client, arizona):
    meeting = make_meeting(arizona, name="Last Sunday", timezone="America/New_York", times=[(0, "09:00", "10:00")])
    with_rule(meeting, repeats=Repeats.MONTHLY, weeks_of_month="-1")
    with frozen(at(NEW_YORK, 2026, 10, 20, 12, 0)):
        dates = list(Occurrence.objects.filter(meeting=meeting).order_by("starts_at")[:2])
    # 25 October is still summer time; 29 November is not: both at 9 in the morning, an hour apart in UTC.
    assert [d.starts_at.astimezone(NEW_YORK).isoformat() for d in dates] == [
        "2026-10-25T09:00:00-04:00",
        "2026-11-29T09:00:00-05:00",
    ]


def test_every_other_week_counts_from_its_first_date(client, arizona):
    meeting = make_meeting(arizona, name="Fortnightly", times=[(2, "19:00", None)])
    with_rule(meeting, repeats=Repeats.EVERY_N_WEEKS, interval=2, starts_on=dt.date(2026, 11, 3))
    met = []
    for day in (3, 10, 17, 24):
        with frozen(at(PHOENIX, 2026, 11, day, 8, 0)):
            met.append(bool(names(client.get(URL, {"day": "today"}))))
    assert met == [True, False, True, False]


def test_every_other_week_needs_a_first_date_on_its_day(arizona):
    meeting_time = make_meeting(arizona, times=[(2, "19:00", None)]).times.get()
    meeting_time.repeats, meeting_time.interval, meeting_time.starts_on = Repeats.EVERY_N_WEEKS, 2, None
    with pytest.raises(ValidationError, match="which weeks it meets"):
        meeting_time.full_clean()
    meeting_time.starts_on = dt.date(2026, 11, 4)  # a Wednesday, not a Tuesday
    with pytest.raises(ValidationError, match="not a Tuesday"):
        meeting_time.full_clean()


def test_a_cancellation_marks_exactly_its_date(client, arizona):
    meeting = make_meeting(arizona, name="Thursday night", times=[(4, "19:00", None)])
    ScheduleChange.objects.create(meeting=meeting, kind=ChangeKind.CANCELLED, date=dt.date(2026, 12, 24), note="Eve")
    with frozen(at(PHOENIX, 2026, 12, 24, 8, 0)):
        response = client.get(URL, {"day": "today"})
        body = response.content.decode()
    assert names(response) == ["Thursday night"]  # still listed, marked: not silently missing
    assert "Cancelled today" in body and "Eve" in body
    assert response.context["rows"][0].state == OccurrenceState.CANCELLED
    with frozen(at(PHOENIX, 2026, 12, 31, 8, 0)):
        row = client.get(URL, {"day": "today"}).context["rows"][0]
    assert row.state == OccurrenceState.SCHEDULED


def test_a_closure_ends_by_itself(client, arizona):
    meeting = make_meeting(arizona, name="Winter break", times=[(1, "18:00", None)])
    ScheduleChange.objects.create(
        meeting=meeting, kind=ChangeKind.CLOSED, date=dt.date(2026, 12, 1), until=dt.date(2027, 1, 5)
    )
    states = {}
    for day in (dt.date(2026, 11, 30), dt.date(2026, 12, 28), dt.date(2027, 1, 4), dt.date(2027, 1, 11)):
        with frozen(at(PHOENIX, day.year, day.month, day.day, 8, 0)):
            states[day] = client.get(URL, {"day": "today"}).context["rows"][0].state
    assert states == {
        dt.date(2026, 11, 30): OccurrenceState.SCHEDULED,
        dt.date(2026, 12, 28): OccurrenceState.CLOSED,
        dt.date(2027, 1, 4): OccurrenceState.CLOSED,  # it reopens on Tuesday the 5th: Monday the 4th is closed
        dt.date(2027, 1, 11): OccurrenceState.SCHEDULED,  # nobody had to reopen it
    }


def test_a_moved_date_shows_on_its_new_day_and_is_marked_on_the_old_one(client, arizona):
    meeting = make_meeting(arizona, name="Christmas Thursday", times=[(4, "19:00", "20:00")])
    ScheduleChange.objects.create(
        meeting=meeting, kind=ChangeKind.MOVED, date=dt.date(2026, 12, 24), new_date=dt.date(2026, 12, 26),
        new_start=dt.time(10, 0), new_end=dt.time(11, 0),
    )  # fmt: skip
    with frozen(at(PHOENIX, 2026, 12, 24, 8, 0)):
        thursday = client.get(URL, {"day": "today"})
    assert "Moved to Saturday, December 26" in thursday.content.decode()
    with frozen(at(PHOENIX, 2026, 12, 26, 8, 0)):
        saturday = client.get(URL, {"day": "today"})
    row = saturday.context["rows"][0]
    assert names(saturday) == ["Christmas Thursday"]
    assert (row.state, row.starts.time()) == (OccurrenceState.MOVED_HERE, dt.time(10, 0))


def test_an_event_is_listed_until_it_ends_then_gone(client, arizona):
    meeting = make_meeting(arizona, name="New Year marathon", times=[(4, "18:00", "18:00")])
    with_rule(meeting, repeats=Repeats.ONCE, starts_on=dt.date(2026, 12, 31))
    event = MeetingTime.objects.get(meeting=meeting)
    assert event.weekday == 4 and event.duration == dt.timedelta(hours=24)  # a Thursday, a whole day
    with frozen(at(PHOENIX, 2027, 1, 1, 10, 0)):
        under_way = client.get(URL)
        assert names(under_way) == ["New Year marathon"]
        assert under_way.context["rows"][0].in_progress
    with frozen(at(PHOENIX, 2027, 1, 1, 18, 30)):
        assert names(client.get(URL)) == []


def test_only_a_one_off_event_may_last_a_whole_day(arizona):
    meeting_time = make_meeting(arizona, times=[(4, "12:00", "12:00")]).times.get()
    with pytest.raises(ValidationError, match="cannot end when it starts"):
        meeting_time.full_clean()
    meeting_time.end_time = dt.time(11, 59)  # a weekly marathon, noon to noon
    meeting_time.full_clean()
    assert meeting_time.duration == dt.timedelta(hours=23, minutes=59)
    meeting_time.end_time, meeting_time.repeats = dt.time(12), Repeats.ONCE
    meeting_time.starts_on = dt.date(2026, 12, 31)
    meeting_time.full_clean()
    assert meeting_time.duration == dt.timedelta(hours=24)


def test_now_first_order_crosses_the_end_of_the_week_and_the_year(client, arizona):
    make_meeting(arizona, name="Saturday late", times=[(6, "23:00", "23:59")])
    make_meeting(arizona, name="Sunday morning", times=[(0, "08:00", None)])
    make_meeting(arizona, name="Friday", times=[(5, "19:00", None)])
    with frozen(at(PHOENIX, 2027, 1, 2, 23, 30)):  # Saturday night, the first weekend of the year
        response = client.get(URL)
    assert names(response) == ["Saturday late", "Sunday morning", "Friday"]
    rows = response.context["rows"]
    assert rows[0].in_progress and rows[0].minutes_since_start == 30
    assert [heading for heading, _rows in response.context["days"]] == ["Today", "Tomorrow", "Friday, January 8"]


def test_a_monthly_meeting_shows_only_in_the_weeks_it_meets_and_says_its_rule(client, first_saturday):
    with frozen(at(PHOENIX, 2026, 11, 9, 9, 0)):  # the week after the first Saturday
        assert names(client.get(URL)) == []
    with frozen(at(PHOENIX, 2026, 12, 1, 9, 0)):
        body = client.get(URL).content.decode()
    assert "First Saturday" in body and "1st Sat" in body


def test_the_meeting_page_says_the_rule_in_words_and_the_next_date(client, first_saturday):
    ScheduleChange.objects.create(
        meeting=first_saturday, kind=ChangeKind.CANCELLED, date=dt.date(2026, 12, 5), note="Holiday party instead"
    )
    with frozen(at(PHOENIX, 2026, 11, 20, 9, 0)):
        body = client.get(first_saturday.get_absolute_url()).content.decode()
    assert "Monthly, on the 1st Saturday" in body
    assert "Saturday, December 5" in body and "Cancelled" in body
    assert "No meeting on Saturday, December 5, 2026" in body and "Holiday party instead" in body


def test_a_change_read_with_its_meeting_matters_exactly_when_the_query_selects_it(arizona):
    """A meeting's page filters the changes kept with the meeting (ScheduleChange.matters); lists ask the database."""
    meeting = make_meeting(arizona, name="Changing", times=[(1, "19:00", None)])
    day = dt.date(2026, 11, 20)
    for offset in range(-4, 3):
        date = day + dt.timedelta(days=offset)
        ScheduleChange.objects.create(meeting=meeting, kind=ChangeKind.CANCELLED, date=date)
        for length in (1, 2, 4):
            ScheduleChange.objects.create(
                meeting=meeting,
                kind=ChangeKind.CLOSED,
                date=date - dt.timedelta(days=7),
                until=date + dt.timedelta(days=length - 2),
            )
        ScheduleChange.objects.create(
            meeting=meeting, kind=ChangeKind.MOVED, date=date - dt.timedelta(days=9), new_date=date
        )
    for hour in (0, 6, 12, 23):
        now = dt.datetime(2026, 11, 20, hour, 30, tzinfo=dt.UTC)
        selected = set(ScheduleChange.objects.upcoming(now).values_list("pk", flat=True))
        kept = {change.pk for change in meeting.schedule_changes.all() if change.matters(now)}
        assert kept == selected and 0 < len(selected) < meeting.schedule_changes.count()


def test_the_daily_job_extends_the_dates_and_forgets_past_ones(arizona):
    with frozen(at(PHOENIX, 2026, 11, 2, 8, 0)):
        make_meeting(arizona, name="Monday", times=[(1, "19:00", None)])
        first = occurrences.horizon()
    with frozen(at(PHOENIX, 2026, 11, 30, 8, 0)):
        out = StringIO()
        call_command("extend_occurrences", stdout=out)
        assert occurrences.horizon() == first + dt.timedelta(days=28)
        assert Occurrence.objects.filter(local_date__lt=dt.date(2026, 11, 28)).count() == 0
        before = Occurrence.objects.count()
        call_command("extend_occurrences", stdout=StringIO())  # a second run changes nothing
        assert Occurrence.objects.count() == before
    assert "dates written" in out.getvalue()


def test_the_daily_job_makes_what_is_kept_of_the_dates_unreachable_but_not_the_feeds_pieces(arizona):
    make_meeting(arizona, name="Monday", times=[(1, "19:00", None)])
    version, area = freshness.listings_version(), freshness.area_version(arizona.pk)
    call_command("extend_occurrences", stdout=StringIO())
    assert freshness.listings_version() != version  # the API's coming dates, kept under it, are read again
    assert freshness.area_version(arizona.pk) == area  # the feed shows no dates: its area's piece stands


def expand(ics, since, until):
    """Every (start) of every VEVENT of a calendar between two instants: RRULE, EXDATE and RECURRENCE-ID applied."""
    calendar = Calendar.from_ical(ics)
    starts, moved_from = set(), set()
    for event in calendar.walk("VEVENT"):
        start = event.decoded("dtstart")
        if event.get("recurrence-id"):
            moved_from.add(event.decoded("recurrence-id"))
            starts.add(start)
            continue
        if not event.get("rrule"):
            starts.add(start)
            continue
        rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=start)
        excluded = set()
        for exdate in event.get("exdate", []) if isinstance(event.get("exdate"), list) else [event.get("exdate")]:
            if exdate is not None:
                excluded |= {d.dt for d in exdate.dts}
        starts |= {moment for moment in rule.between(since, until, inc=True) if moment not in excluded}
    return {moment for moment in starts - moved_from if since <= moment <= until}


@pytest.mark.parametrize(
    "rule",
    [
        {},
        {"repeats": Repeats.MONTHLY, "weeks_of_month": "1,3"},
        {"repeats": Repeats.MONTHLY, "weeks_of_month": "-1"},
        {"repeats": Repeats.EVERY_N_WEEKS, "interval": 2, "starts_on": dt.date(2026, 11, 7)},
        {"repeats": Repeats.ONCE, "starts_on": dt.date(2026, 12, 12)},
    ],
    ids=["weekly", "1st-and-3rd", "last", "every-other-week", "once"],
)
def test_the_calendar_file_expands_to_the_dates_the_pages_show(client, arizona, rule):
    meeting = make_meeting(arizona, name="Saturday", timezone="America/New_York", times=[(6, "10:00", "11:00")])
    with_rule(meeting, **rule)
    ScheduleChange.objects.create(meeting=meeting, kind=ChangeKind.CANCELLED, date=dt.date(2026, 11, 21))
    ScheduleChange.objects.create(
        meeting=meeting, kind=ChangeKind.MOVED, date=dt.date(2026, 12, 5), new_date=dt.date(2026, 12, 6)
    )
    now = at(NEW_YORK, 2026, 11, 2, 12, 0)
    with frozen(now):
        ics = client.get(f"/meetings/{meeting.slug}.ics").content
        shown = {
            d.starts_at.astimezone(NEW_YORK)
            for d in Occurrence.objects.filter(meeting=meeting).meeting()
            if d.ends_at > now
        }
    until = max(shown) if shown else now
    assert expand(ics, now, until) == shown
    assert shown  # every kind has dates in these weeks


def test_a_volunteer_enters_a_monthly_time_in_words_and_a_cancellation(admin_client, arizona):
    meeting = make_meeting(arizona, name="Saturday", times=[(6, "10:00", None)])
    form = meeting_change_form(
        meeting,
        **{
            "times-0-repeats": "monthly",
            "times-0-weeks_of_month": ["1", "3"],
            "schedule_changes-TOTAL_FORMS": "1",
            "schedule_changes-0-kind": "cancelled",
            "schedule_changes-0-date": "2026-12-05",
            "schedule_changes-0-note": "Holiday",
        },
    )
    response = admin_client.post(reverse("admin:meetings_meeting_change", args=[meeting.pk]), form)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    meeting_time = meeting.times.get()
    assert (meeting_time.repeats, meeting_time.weeks_of_month) == (Repeats.MONTHLY, "1,3")
    assert meeting_time.rule.describe() == "Monthly, on the 1st and 3rd Saturday"
    assert meeting.schedule_changes.get().note == "Holiday"
    assert Occurrence.objects.filter(meeting=meeting, state=OccurrenceState.CANCELLED, local_date="2026-12-05").exists()


def test_an_event_entered_with_only_its_date_gets_its_weekday(admin_client, arizona):
    meeting = make_meeting(arizona, name="Speaker jam", times=[(1, "18:00", "22:00")])
    form = meeting_change_form(
        meeting, **{"times-0-weekday": "", "times-0-repeats": "once", "times-0-starts_on": "2026-12-31"}
    )
    response = admin_client.post(reverse("admin:meetings_meeting_change", args=[meeting.pk]), form)
    assert response.status_code == 302
    assert meeting.times.get().weekday == 4  # 31 December 2026 is a Thursday


def test_a_monthly_time_without_its_weeks_is_refused_with_a_message(admin_client, arizona):
    meeting = make_meeting(arizona, name="Saturday", times=[(6, "10:00", None)])
    form = meeting_change_form(meeting, **{"times-0-repeats": "monthly"})
    response = admin_client.post(reverse("admin:meetings_meeting_change", args=[meeting.pk]), form)
    assert response.status_code == 200
    assert "Choose which weeks of the month" in response.content.decode()


def test_the_api_gives_the_rule_and_the_next_dates(client, first_saturday):
    ScheduleChange.objects.create(
        meeting=first_saturday, kind=ChangeKind.CANCELLED, date=dt.date(2026, 12, 5), note="Holiday"
    )
    with frozen(at(PHOENIX, 2026, 12, 1, 9, 0)):
        result = client.get("/api/v1/meetings").json()["results"][0]
    assert result["recurrence"]["rrule"] == "FREQ=MONTHLY;BYDAY=1SA"
    assert result["state"] == "cancelled"
    assert result["starts"] == "2026-12-05T10:00:00-07:00"
    assert result["next_start"] == "2027-01-02T10:00:00-07:00"  # the next date it really meets
    assert [(d["state"], d["note"]) for d in result["next_dates"]] == [("cancelled", "Holiday"), ("scheduled", "")]


def test_healthz_says_when_the_daily_job_has_stopped(client, arizona):
    with frozen(at(PHOENIX, 2026, 11, 2, 8, 0)):
        make_meeting(arizona, times=[(1, "19:00", None)])
        assert client.get("/healthz").status_code == 200
    with time_machine.travel(at(PHOENIX, 2026, 12, 8, 8, 0), tick=False):
        response = client.get("/healthz")  # nobody ran extend_occurrences for a month
    assert response.status_code == 503
    assert "extend_occurrences" in response.content.decode()


@settings(max_examples=300, deadline=None)
@given(
    weekday=st.integers(0, 6),
    interval=st.integers(1, 4),
    since=st.dates(dt.date(2025, 1, 1), dt.date(2028, 12, 31)),
    span=st.integers(0, 90),
    offset=st.integers(-90, 90),
    with_first=st.booleans(),
)
def test_weekly_dates_are_exactly_rrules(weekday, interval, since, span, offset, with_first):
    """The fast arithmetic for weekly and every-few-weeks times gives the dates dateutil's rrule gives."""
    from dateutil import rrule

    from meetings.schedule import DATEUTIL_DAYS, Rule

    first = since + dt.timedelta(days=offset)
    first += dt.timedelta(days=(weekday - (first.weekday() + 1) % 7) % 7)
    repeats = Repeats.EVERY_N_WEEKS if interval > 1 else Repeats.WEEKLY
    first = first if interval > 1 or with_first else None
    rule = Rule(weekday, dt.time(19), repeats=repeats, interval=interval, first=first)
    until = since + dt.timedelta(days=span)
    start = dt.datetime.combine(max(since, rule.first or since), dt.time())
    dtstart = rule.first if interval > 1 else since
    reference = rrule.rrule(rrule.WEEKLY, dtstart=dtstart, interval=interval, byweekday=DATEUTIL_DAYS[weekday])
    expected = [moment.date() for moment in reference.between(start, dt.datetime.combine(until, dt.time()), inc=True)]
    assert rule.dates(since, until) == expected


def test_a_search_near_a_place_for_some_days_finds_a_date_moved_to_one_of_them(client, arizona):
    """A search near a place for some days looks up the dates only of the meetings that have one on those days
    (Meeting.weekdays, written with the dates): a date moved to another day marks that day, a time removed
    unmarks its own, and the daily job writes them again."""
    from tests.factories import make_location

    with frozen(at(PHOENIX, 2026, 12, 1, 8, 0)):
        place = make_location(arizona, postal_code="85004")
        meeting = make_meeting(arizona, name="Christmas Thursday", location=place, times=[(4, "19:00", "20:00")])
        early = MeetingTime.objects.create(meeting=meeting, weekday=1, start_time=dt.time(7), end_time=dt.time(8))
        meeting.refresh_from_db()
        assert meeting.weekdays == 1 << 1 | 1 << 4  # Monday, Thursday (Sunday is the lowest bit)
        ScheduleChange.objects.create(
            meeting=meeting, kind=ChangeKind.MOVED, date=dt.date(2026, 12, 24), new_date=dt.date(2026, 12, 26),
            new_start=dt.time(10, 0), new_end=dt.time(11, 0),
        )  # fmt: skip
        early.delete()
        meeting.refresh_from_db()
        assert meeting.weekdays == 1 << 4 | 1 << 6  # Thursday, and the Saturday its date moved to; Monday no more
    with frozen(at(PHOENIX, 2026, 12, 24, 8, 0)):
        saturday = client.get(URL, {"near": "85004", "day": "6"})
        today_or_saturday = client.get(URL, {"near": "85004", "day": ["today", "6"]})
        monday = client.get(URL, {"near": "85004", "day": "1"})
        assert names(saturday) == ["Christmas Thursday"]
        assert saturday.context["rows"][0].state == OccurrenceState.MOVED_HERE
        moved = [OccurrenceState.MOVED_AWAY, OccurrenceState.MOVED_HERE]  # today's date, marked; Saturday's
        assert [row.state for row in today_or_saturday.context["rows"]] == moved
        assert names(monday) == []

        type(meeting).objects.filter(pk=meeting.pk).update(weekdays=1 << 1)  # days no longer true
        occurrences.extend()
        meeting.refresh_from_db()
        assert meeting.weekdays == 1 << 4 | 1 << 6


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        (at(PHOENIX, 2026, 12, 6, 18, 0), "today"),  # Sunday evening in Phoenix, Monday already in UTC
        (at(PHOENIX, 2026, 12, 5, 18, 0), "tomorrow"),  # Saturday evening: tomorrow is Sunday here, Monday in UTC
    ],
)
def test_today_and_tomorrow_near_a_place_are_the_days_where_the_meeting_is(client, arizona, moment, day):
    """`day=today` near a place asks for the meetings with a date on the weekday of the meeting's own date, not
    the server's: a Sunday-only meeting (the lowest bit) is found on a Sunday evening in Phoenix, when it is
    Monday in UTC; and a meeting whose days are not yet known (0, a worker of the release before) is too."""
    from tests.factories import make_location

    place = make_location(arizona, postal_code="85004")
    sunday = make_meeting(arizona, name="Sunday Night", location=place, times=[(0, "20:00", "21:00")])
    with frozen(moment):
        sunday.refresh_from_db()
        assert sunday.weekdays == 1 << 0
        assert names(client.get(URL, {"near": "85004", "day": day})) == ["Sunday Night"]
        type(sunday).objects.filter(pk=sunday.pk).update(weekdays=1 << 3)  # a wrong day: not looked up
        assert names(client.get(URL, {"near": "85004", "day": day, "x": "1"})) == []
        type(sunday).objects.filter(pk=sunday.pk).update(weekdays=0)  # not known: looked up
        assert names(client.get(URL, {"near": "85004", "day": day, "x": "2"})) == ["Sunday Night"]


def test_a_save_and_the_daily_job_lock_a_meetings_row_before_writing_its_dates(arizona):
    """A save's dates (occurrences.refresh) and the daily job's (extend) are written with the meetings' rows
    locked first (PostgreSQL; SQLite writes one transaction at a time): the two never rewrite one meeting's
    dates at once, nor read its days from before the other's dates."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    meeting = make_meeting(arizona, name="Locked")
    for write in (lambda: occurrences.refresh([meeting.pk]), occurrences.extend):
        with CaptureQueriesContext(connection) as captured:
            write()
        statements = [query["sql"] for query in captured.captured_queries]
        first_delete = next(
            n for n, sql in enumerate(statements) if sql.startswith('DELETE FROM "meetings_occurrence"')
        )
        locks = [sql for sql in statements[:first_delete] if 'FROM "meetings_meeting"' in sql]
        assert locks, statements[:first_delete]
        assert ("FOR UPDATE" in locks[-1]) == (connection.vendor == "postgresql")
