"""The admin takes a meeting's times as people type them and shows them in the area's clock."""

import datetime as dt

import pytest
from django.urls import reverse

from groups.models import Membership, ServiceArea
from meetings.models import ScheduleChange
from tests.admin_forms import change_form_data
from tests.factories import make_meeting


@pytest.fixture
def meeting(arizona):
    return make_meeting(arizona, name="Hope on Main", times=[(4, "12:30", "13:30")])


def change_url(meeting):
    return reverse("admin:meetings_meeting_change", args=[meeting.pk])


def save_times(client, meeting, **typed):
    page = client.get(change_url(meeting))
    fields = {f"times-0-{name}": value for name, value in typed.items()}
    return client.post(change_url(meeting), change_form_data(page, **fields))


@pytest.mark.parametrize(
    ("typed", "start"),
    [("1 pm", "13:00"), ("1:00 PM", "13:00"), ("13:00", "13:00"), ("1300", "13:00"), ("noon", "12:00")],
)
def test_a_weekly_time_is_taken_as_typed(admin_client, meeting, typed, start):
    response = save_times(admin_client, meeting, start_time=typed, end_time="")
    assert response.status_code == 302
    assert meeting.times.get().start_time == dt.time.fromisoformat(start)


def test_an_end_can_be_a_length(admin_client, meeting):
    assert save_times(admin_client, meeting, start_time="7 pm", end_time="90 min").status_code == 302
    slot = meeting.times.get()
    assert (slot.start_time, slot.end_time) == (dt.time(19), dt.time(20, 30))


@pytest.mark.parametrize(
    ("typed", "message"),
    [("half past one", "is not a time"), ("13 pm", "the hour is 1 to 12"), ("25:00", "is not a time of day")],
)
def test_a_time_that_is_not_one_is_refused_next_to_the_field(admin_client, meeting, typed, message):
    response = save_times(admin_client, meeting, start_time=typed)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.forms[0].errors
    assert message in errors["start_time"][0]
    assert "7:30 PM" in errors["start_time"][0]  # with examples of what works
    assert meeting.times.get().start_time == dt.time(12, 30)


def test_the_form_shows_times_in_the_areas_clock_without_pickers(admin_client, arizona, meeting):
    body = admin_client.get(change_url(meeting)).content.decode()
    assert 'value="12:30 PM"' in body
    assert 'value="12:30:00"' not in body
    assert "vTimeField" not in body  # no clock picker, no "Now", no server-time note
    arizona.clock = ServiceArea.Clock.TWENTY_FOUR_HOUR
    arizona.save()
    body = admin_client.get(change_url(meeting)).content.decode()
    assert 'value="12:30"' in body and 'value="1:30 PM"' not in body
    heading = body.split('class="inline_label">')[1].split("<")[0].strip()
    assert heading == "Every Thursday 12:30"  # the heading of the time too, not "12:30 PM"


def test_a_new_meeting_uses_the_volunteers_area_clock(client, django_user_model, colorado):
    colorado.clock = ServiceArea.Clock.TWENTY_FOUR_HOUR
    colorado.save()
    user = django_user_model.objects.create_user("colin", "c@example.org", "a-long-passphrase-1")
    Membership.objects.create(user=user, area=colorado)
    client.force_login(user)
    page = client.get(reverse("admin:meetings_meeting_add"))
    formset = page.context["inline_admin_formsets"][0].formset
    assert formset.forms[0].fields["start_time"].twelve_hour is False


def move_a_date(client, meeting, new_end):
    """Save the meeting form with one dated change: 3 January 2030 moved to 6:30 pm, ending as typed."""
    data = change_form_data(client.get(change_url(meeting)))
    data.update(
        {
            "schedule_changes-TOTAL_FORMS": "1",
            "schedule_changes-0-kind": ScheduleChange.Kind.MOVED,
            "schedule_changes-0-date": "2030-01-03",
            "schedule_changes-0-new_start": "6:30 pm",
            "schedule_changes-0-new_end": new_end,
        }
    )
    return client.post(change_url(meeting), data)


def test_a_dated_change_takes_typed_times_too(admin_client, meeting):
    assert move_a_date(admin_client, meeting, "1 hour").status_code == 302
    change = meeting.schedule_changes.get()
    assert (change.new_start, change.new_end) == (dt.time(18, 30), dt.time(19, 30))


@pytest.mark.parametrize("repeats", ["weekly", "every_n_weeks", "monthly", "once"])
def test_a_time_without_its_day_is_refused_with_a_message(admin_client, meeting, repeats):
    response = save_times(admin_client, meeting, weekday="", start_time="7 pm", repeats=repeats, interval="2")
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.forms[0].errors
    assert "Which day of the week?" in errors["weekday"][0]
    assert meeting.times.get().weekday == 4


def test_an_event_takes_its_day_from_its_date(admin_client, meeting):
    response = save_times(
        admin_client, meeting, weekday="", start_time="7 pm", end_time="", repeats="once", starts_on="2030-01-05"
    )
    assert response.status_code == 302
    assert meeting.times.get().weekday == 6  # a Saturday


@pytest.mark.parametrize("end", ["6:30 pm", "0 min"])
def test_a_moved_date_that_ends_as_it_starts_is_refused(admin_client, meeting, end):
    response = move_a_date(admin_client, meeting, end)
    assert response.status_code == 200 and not meeting.schedule_changes.exists()


@pytest.mark.parametrize(
    ("start", "end", "said"),
    [
        ("7 pm", "8 am", "From 7:00 PM to 8:00 AM the next day is 13 hours: check AM and PM"),
        ("7 am", "8:30 pm", "From 7:00 AM to 8:30 PM is 13 hours 30 min: check AM and PM"),
    ],
)
def test_an_end_time_that_makes_a_meeting_over_12_hours_long_is_asked_again(admin_client, meeting, start, end, said):
    response = save_times(admin_client, meeting, start_time=start, end_time=end)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.forms[0].errors
    assert said in errors["end_time"][0]
    assert "type the length instead" in errors["end_time"][0]
    assert meeting.times.get().start_time == dt.time(12, 30)


@pytest.mark.parametrize(
    ("end", "saved"), [("2 am", dt.time(2)), ("13 hours", dt.time(11)), ("13 hours 30 min", dt.time(11, 30))]
)
def test_a_meeting_into_the_night_or_a_marathon_typed_as_its_length_is_taken(admin_client, meeting, end, saved):
    assert save_times(admin_client, meeting, start_time="10 pm", end_time=end).status_code == 302
    assert meeting.times.get().end_time == saved


def test_a_long_meeting_saved_before_is_not_refused_when_another_field_changes(admin_client, arizona):
    marathon = make_meeting(arizona, name="Marathon", times=[(5, "19:00", "08:00")])
    page = admin_client.get(change_url(marathon))
    assert admin_client.post(change_url(marathon), change_form_data(page, name="Marathon night")).status_code == 302
    marathon.refresh_from_db()
    assert marathon.name == "Marathon night" and marathon.times.get().end_time == dt.time(8)
