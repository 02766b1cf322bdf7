"""A change request follows its meeting: when a meeting moves to another area, its old area loses its requests.

A request's area is copied from the meeting when it is made; what decides who
sees, applies or hears of it is the meeting's area now (the request's own area
only for a new meeting not yet created).
"""

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from groups.models import Membership
from meetings.models import ChangeRequest
from tests.factories import make_meeting


@pytest.fixture
def member(django_user_model):
    def build(name, area):
        user = django_user_model.objects.create_user(name, f"{name}@example.org", "a-long-passphrase-1")
        Membership.objects.create(user=user, area=area)
        return user

    return build


@pytest.fixture
def moved_request(phoenix_district, colorado):
    meeting = make_meeting(phoenix_district, name="Hope on Main")
    request = ChangeRequest.objects.create(
        meeting=meeting, proposed={"name": "Renamed by AZ"}, current={"name": "Hope on Main"},
        message="Rename it", contact="sam@example.org",
    )
    meeting.area = colorado
    meeting.save()
    return request


def review_url(request):
    return reverse("admin:meetings_changerequest_change", args=[request.pk])


def test_the_old_areas_volunteer_cannot_see_or_apply_a_moved_meetings_request(
    client, member, phoenix_district, moved_request
):
    client.force_login(member("pat", phoenix_district))
    queue = client.get(reverse("admin:meetings_changerequest_changelist")).content.decode()
    assert "Hope on Main" not in queue
    assert client.get(review_url(moved_request)).status_code == 302  # "does not exist" for them
    meeting = moved_request.meeting
    response = client.post(
        review_url(moved_request), {"_apply": "1", "fields": "name", "seen_version": meeting.version}
    )
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    client.post(review_url(moved_request), {"_decline": "1", "reason": "not yours"})
    client.post(
        reverse("admin:meetings_changerequest_changelist"),
        {"action": "decline", "_selected_action": [moved_request.pk]},
    )
    meeting.refresh_from_db()
    moved_request.refresh_from_db()
    assert meeting.name == "Hope on Main"
    assert (moved_request.status, moved_request.contact) == ("open", "sam@example.org")


def test_the_new_areas_volunteer_sees_and_applies_it(client, member, colorado, moved_request):
    client.force_login(member("cole", colorado))
    assert "sam@example.org" in client.get(review_url(moved_request)).content.decode()
    meeting = moved_request.meeting
    data = {"_apply": "1", "fields": "name", "seen_version": meeting.version}
    response = client.post(review_url(moved_request), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.name == "Renamed by AZ"


def test_the_digest_tells_the_meetings_area_now(member, phoenix_district, colorado):
    start = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    member("pat", phoenix_district)
    member("cole", colorado)
    with time_machine.travel(start, tick=False):
        meeting = make_meeting(phoenix_district, name="Hope on Main")
        ChangeRequest.objects.create(meeting=meeting, message="It moved", contact="sam@example.org")
        meeting.area = colorado
        meeting.save()
    with time_machine.travel(start + dt.timedelta(hours=1), tick=False):
        call_command("send_digests", stdout=io.StringIO())
    told = {m.to[0] for m in mail.outbox if "Request #" in m.body}
    assert told == {"cole@example.org"}
