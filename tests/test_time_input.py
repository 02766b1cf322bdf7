"""Times typed as people write them: one parser for the admin, the change-request form and imports."""

import datetime as dt

import pytest
from django import forms

from meetings.time_input import (
    TypedEndField,
    TypedTimeField,
    ends_from_length,
    parse_end,
    parse_length,
    parse_time,
    shown,
)
from tests.factories import make_meeting


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1 pm", dt.time(13)),
        ("1pm", dt.time(13)),
        ("1:00 PM", dt.time(13)),
        ("1:00 p. m.", dt.time(13)),  # as the Spanish pages write it
        ("1 P.M.", dt.time(13)),
        ("13:00", dt.time(13)),
        ("1300", dt.time(13)),
        ("0730", dt.time(7, 30)),
        ("730", dt.time(7, 30)),
        ("noon", dt.time(12)),
        ("Midnight", dt.time(0)),
        ("mediodía", dt.time(12)),
        ("12:30:00", dt.time(12, 30)),
        ("13h30", dt.time(13, 30)),
        ("1.30pm", dt.time(13, 30)),
        ("12 am", dt.time(0)),
        ("12 pm", dt.time(12)),
        ("24:00", dt.time(0)),
        ("  7:05   am ", dt.time(7, 5)),
    ],
)
def test_each_way_people_write_a_time_is_read(typed, expected):
    assert parse_time(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("13 pm", "with AM or PM the hour is 1 to 12"),
        ("25:00", "is not a time of day"),
        ("7:75", "is not a time of day"),
        ("seven", "is not a time"),
        ("7:00 xm", "is not a time"),
    ],
)
def test_a_time_that_is_not_one_gets_a_message_with_examples(typed, message):
    with pytest.raises(ValueError, match=message) as caught:
        parse_time(typed)
    assert '"7 pm"' in str(caught.value) and typed.strip() in str(caught.value)


def test_nothing_typed_is_no_time():
    assert parse_time("") is None and parse_time("   ") is None and parse_time(None) is None


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [("90 min", 90), ("90 minutes", 90), ("1 hour", 60), ("1.5 hours", 90), ("1,5 horas", 90), ("1h 30m", 90)],
)
def test_a_length_is_read_in_minutes(typed, minutes):
    assert parse_length(typed) == minutes


def test_an_end_is_a_time_or_a_length_from_the_start():
    assert parse_end("90 min", dt.time(19)) == dt.time(20, 30)
    assert parse_end("8:30 pm", dt.time(19)) == dt.time(20, 30)
    assert parse_end("2 hours", dt.time(23)) == dt.time(1)  # past midnight
    with pytest.raises(ValueError, match="at most 24 hours"):
        parse_length("25 hours")
    with pytest.raises(ValueError, match="start time first"):
        parse_end("90 min", None)


def test_a_time_is_shown_in_the_areas_clock():
    assert shown(dt.time(13)) == "1:00 PM"
    assert shown(dt.time(13), twelve_hour=False) == "13:00"
    assert shown(None) == ""


class WeeklyTime(forms.Form):
    start_time = TypedTimeField()
    end_time = TypedEndField(required=False)

    def clean(self):
        return ends_from_length(super().clean())


def test_the_form_fields_read_typed_times_and_a_length():
    form = WeeklyTime({"start_time": "7 pm", "end_time": "90 min"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"start_time": dt.time(19), "end_time": dt.time(20, 30)}


def test_the_form_fields_say_what_is_wrong():
    form = WeeklyTime({"start_time": "seven", "end_time": "1 hour 30 min and a bit"})
    assert not form.is_valid()
    assert "is not a time" in form.errors["start_time"][0]
    assert "is not a length" in form.errors["end_time"][0]


def test_the_widget_is_a_plain_box_showing_the_areas_clock():
    field = TypedTimeField(twelve_hour=False)
    html = field.widget.render("start_time", dt.time(13, 30))
    assert 'type="text"' in html and 'value="13:30"' in html
    field.set_clock(twelve_hour=True)
    assert 'value="1:30 PM"' in field.widget.render("start_time", dt.time(13, 30))


@pytest.mark.parametrize(("typed", "end"), [("1h", dt.time(20)), ("1 h", dt.time(20)), ("1h30", dt.time(20, 30))])
def test_hours_written_with_an_h_are_a_length_in_an_end(typed, end):
    assert parse_end(typed, dt.time(19)) == end


@pytest.mark.parametrize(("typed", "end"), [("21h", dt.time(21)), ("20h30", dt.time(20, 30))])
def test_a_time_of_day_written_the_spanish_way_stays_one(typed, end):
    assert parse_end(typed, dt.time(19)) == end


@pytest.mark.parametrize("typed", ["9" * 400 + " hours", "99999 min", "1.123456 hours"])
def test_an_absurd_length_is_refused_with_a_message_not_a_crash(typed):
    with pytest.raises(ValueError, match="is not a length"):
        parse_end(typed, dt.time(19))


def test_the_public_change_form_refuses_an_absurd_length_with_a_message(client, arizona):
    from tests.test_change_requests import form_data

    meeting = make_meeting(arizona, name="Hope")
    response = client.post(f"/meetings/{meeting.slug}/report/", form_data(meeting, end_0="9" * 400 + " hours"))
    assert (response.status_code, b"is not a length" in response.content) == (400, True)
