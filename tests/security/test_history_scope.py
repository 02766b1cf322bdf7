"""A meeting's whole history (its times, types and dated changes too) stays within the areas that kept it.

The permission matrix checks every history URL's answer; here, what those
pages say and what a revert touches when the history holds inline rows.
"""

import datetime as dt
from html import unescape

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import strip_tags

from groups.models import Membership
from tests.admin_forms import change_form_data
from tests.factories import make_location, make_meeting


@pytest.fixture(autouse=True)
def saved_at_a_quiet_hour():
    """History pages say when each version was saved, in the volunteer's time: saved at 20:00 UTC (1:00 PM in
    Denver), a version would read like the Arizona-era time this module looks for. Here they are saved at 9:40 AM."""
    with time_machine.travel(dt.datetime(2026, 11, 20, 16, 40, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def member(client, django_user_model):
    def log_in(username, area):
        user = django_user_model.objects.create_user(username, f"{username}@example.org", "a-long-passphrase-1")
        Membership.objects.create(user=user, area=area)
        client.force_login(user)
        return client

    return log_in


def history_url(meeting):
    return reverse("admin:meetings_meeting_history", args=[meeting.pk])


def version_url(meeting, history_id):
    return reverse("admin:meetings_meeting_simple_history", args=[meeting.pk, history_id])


@pytest.fixture
def arizonas_meeting(arizona):
    meeting = make_meeting(arizona, name="Hope on Main", times=[(4, "12:30", "13:30")], types=["D"])
    slot = meeting.times.get()
    slot.start_time = dt.time(13)
    slot.save()  # an inline-only change: the time alone
    return meeting


def test_another_areas_volunteer_cannot_see_or_revert_an_inline_change(member, colorado, arizonas_meeting):
    client = member("bea", colorado)
    original = arizonas_meeting.history.earliest()
    assert client.get(history_url(arizonas_meeting)).status_code == 403
    assert client.get(version_url(arizonas_meeting, original.history_id)).status_code == 403
    response = client.post(version_url(arizonas_meeting, original.history_id), {"name": "Hope on Main"})
    assert response.status_code == 403
    assert arizonas_meeting.times.get().start_time == dt.time(13)


def test_times_from_before_a_meeting_came_into_an_area_stay_hidden(member, colorado, arizonas_meeting):
    arizonas_meeting.area = colorado
    arizonas_meeting.location = make_location(colorado, city="Denver", timezone="America/Denver")
    arizonas_meeting.save()
    slot = arizonas_meeting.times.get()
    slot.start_time = dt.time(18, 15)
    slot.save()
    client = member("colin", colorado)
    body = " ".join(unescape(strip_tags(client.get(history_url(arizonas_meeting)).content.decode())).split())
    assert "6:15 PM" in body
    for arizona_era in ("12:30 PM", "1:00 PM", "Arizona"):
        assert arizona_era not in body
    first = arizonas_meeting.history.earliest()
    assert client.get(version_url(arizonas_meeting, first.history_id)).status_code == 403


def test_a_revert_restores_only_its_own_meetings_rows(member, arizona, arizonas_meeting):
    other = make_meeting(arizona, name="Another", times=[(2, "08:00", "09:00")])
    client = member("vera", arizona)
    original = arizonas_meeting.history.earliest()
    page = client.get(version_url(arizonas_meeting, original.history_id))
    assert client.post(version_url(arizonas_meeting, original.history_id), change_form_data(page)).status_code == 302
    assert arizonas_meeting.times.get().start_time == dt.time(12, 30)
    assert list(other.times.values_list("start_time", flat=True)) == [dt.time(8)]
