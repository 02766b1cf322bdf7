"""The volunteers' daily digest: new requests and edits in their area, one email each, off per person."""

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from groups.models import Membership
from meetings.models import ChangeRequest, NotificationSetting
from tests.factories import make_meeting

START = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def member(django_user_model):
    def build(name, area, **fields):
        user = django_user_model.objects.create_user(name, f"{name}@example.org", **fields)
        Membership.objects.create(user=user, area=area)
        return user

    return build


@pytest.fixture
def day(phoenix_district, arizona, colorado, member):
    """A day in the directory: a request and two edits in Phoenix, an edit in Colorado."""
    people = {
        "dana": member("dana", phoenix_district),
        "dave": member("dave", phoenix_district),
        "stan": member("stan", arizona),
        "cole": member("cole", colorado),
    }
    with time_machine.travel(START - dt.timedelta(days=3), tick=False):
        meeting = make_meeting(phoenix_district, name="Hope on Main")
        far = make_meeting(colorado, name="Boulder Hope")
    with time_machine.travel(START + dt.timedelta(hours=2), tick=False):
        ChangeRequest.objects.create(meeting=meeting, message="It moved to Tuesday")
        meeting.name = "Hope on Main Street"
        meeting._history_user = people["dave"]
        meeting.save()
        far.status = "temporarily_closed"
        far.save()
    return people


def send(at):
    with time_machine.travel(at, tick=False):
        call_command("send_digests", stdout=io.StringIO())


def mail_to(name):
    return [m for m in mail.outbox if m.to == [f"{name}@example.org"]]


def test_each_volunteer_gets_one_email_with_their_areas_requests_and_edits(day):
    send(START + dt.timedelta(days=1))
    (dana,) = mail_to("dana")
    assert f"Request #{ChangeRequest.objects.get().pk} on Hope on Main Street: a message" in dana.body
    assert reverse("admin:meetings_changerequest_change", args=[ChangeRequest.objects.get().pk]) in dana.body
    assert "Hope on Main Street: 1 save (dave)" in dana.body
    assert "Boulder Hope" not in dana.body
    assert dana.subject == "Directory: 1 new request, 1 listing edited"
    assert reverse("admin_notifications") in dana.body  # how to stop it


def test_ones_own_edits_are_left_out(day):
    send(START + dt.timedelta(days=1))
    (dave,) = mail_to("dave")
    assert "on Hope on Main Street" in dave.body
    assert "Edited:" not in dave.body


def test_the_area_above_hears_only_when_its_districts_have_nobody(day):
    send(START + dt.timedelta(days=1))
    assert mail_to("stan") == []  # Phoenix has its own volunteers
    (cole,) = mail_to("cole")
    assert "Boulder Hope" in cole.body and "Hope on Main" not in cole.body


def test_nothing_is_sent_twice_and_a_quiet_day_sends_nothing(day):
    send(START + dt.timedelta(days=1))
    count = len(mail.outbox)
    send(START + dt.timedelta(days=2))
    assert len(mail.outbox) == count


def test_a_volunteer_turns_the_digest_off_on_their_own_page(client, day):
    client.force_login(day["dana"])
    page = client.get(reverse("admin_notifications"))
    assert page.status_code == 200
    assert "Send me the daily digest" in page.content.decode()
    client.post(reverse("admin_notifications"), {})  # the box unticked
    assert not NotificationSetting.objects.get(user=day["dana"]).daily_digest
    send(START + dt.timedelta(days=1))
    assert mail_to("dana") == []
    assert len(mail_to("dave")) == 1


def test_the_notifications_page_is_for_volunteers_only(client):
    response = client.get(reverse("admin_notifications"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_the_first_digest_looks_back_one_day(phoenix_district, member):
    member("dana", phoenix_district)
    with time_machine.travel(START - dt.timedelta(days=5), tick=False):
        ChangeRequest.objects.create(meeting=make_meeting(phoenix_district), message="Old news")
    send(START)
    assert mail.outbox == []


def test_the_window_starts_at_the_last_digest(day):
    NotificationSetting.objects.create(user=day["dana"], last_digest_at=START + dt.timedelta(hours=3))
    send(START + dt.timedelta(days=1))
    assert mail_to("dana") == []  # everything happened before her last digest
    assert NotificationSetting.objects.get(user=day["dana"]).last_digest_at == START + dt.timedelta(days=1)


def test_building_reads_a_fixed_number_of_queries_whatever_the_volunteers(
    day, member, phoenix_district, django_assert_num_queries
):
    from meetings.digests import build

    # users, settings, requests, three histories, areas, and per area with news (two): its ancestors and volunteers.
    with time_machine.travel(START + dt.timedelta(days=1), tick=False), django_assert_num_queries(12):
        assert len(build(timezone.now())) == 4
    for n in range(5):
        member(f"extra{n}", phoenix_district)
    with time_machine.travel(START + dt.timedelta(days=1), tick=False), django_assert_num_queries(12):
        assert len(build(timezone.now())) == 9


def test_edited_places_and_groups_are_listed_too(day, phoenix_district):
    from tests.factories import make_group, make_location

    with time_machine.travel(START + dt.timedelta(hours=4), tick=False):
        make_location(phoenix_district, name="St. Brigid's Hall")
        make_group(phoenix_district, name="Desert Hope")
    send(START + dt.timedelta(days=1))
    (dana,) = mail_to("dana")
    assert "St. Brigid's Hall: 1 save" in dana.body
    assert "Desert Hope: 1 save" in dana.body
    assert "/admin/groups/group/" in dana.body and "/admin/meetings/location/" in dana.body


def test_a_member_who_is_no_longer_staff_hears_nothing(day):
    dana = day["dana"]
    dana.is_staff = False  # her admin access taken away, her membership left behind
    dana.save()
    send(START + dt.timedelta(days=1))
    assert mail_to("dana") == []
    assert len(mail_to("dave")) == 1


def test_the_areas_volunteers_are_staff_only(day, phoenix_district):
    from meetings.reports import area_volunteers

    day["dana"].is_staff = False
    day["dana"].save()
    assert [u.username for u in area_volunteers(phoenix_district)] == ["dave"]
