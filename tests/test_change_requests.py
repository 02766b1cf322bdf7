"""The public "report a change" form and its moderation queue."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from groups.models import Membership
from meetings.models import ChangeRequest
from tests.factories import make_meeting


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def meeting(phoenix_district):
    return make_meeting(phoenix_district, name="Hope on Main")


@pytest.fixture
def volunteers(django_user_model, arizona, phoenix_district, colorado):
    def member(name, area):
        user = django_user_model.objects.create_user(name, f"{name}@example.org", "long-pass-phrase-9")
        Membership.objects.create(user=user, area=area)

    member("district", phoenix_district)
    member("state", arizona)
    member("elsewhere", colorado)


def report_url(meeting):
    return reverse("meetings:report", args=[meeting.slug])


def test_the_form_opens_from_the_meeting_page(client, meeting):
    assert report_url(meeting) in client.get(meeting.get_absolute_url()).content.decode()
    assert client.get(report_url(meeting)).status_code == 200


def test_a_report_goes_to_the_queue_not_to_the_listing(client, meeting, volunteers):
    response = client.post(report_url(meeting), {"message": "It moved to Tuesday", "contact": "sam@example.org"})
    assert response.status_code == 302
    report = ChangeRequest.objects.get()
    assert (report.meeting, report.status, report.contact) == (meeting, "open", "sam@example.org")
    meeting.refresh_from_db()
    assert meeting.times.get().weekday == 1  # unchanged


def test_the_areas_volunteers_are_emailed(client, meeting, volunteers):
    client.post(report_url(meeting), {"message": "It moved to Tuesday"})
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["district@example.org", "state@example.org"]
    assert "It moved to Tuesday" in mail.outbox[0].body


def test_an_empty_report_is_refused_with_a_message(client, meeting):
    response = client.post(report_url(meeting), {"message": ""})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_the_honeypot_drops_bots_quietly(client, meeting, volunteers):
    response = client.post(report_url(meeting), {"message": "Buy pills", "website": "http://spam.example"})
    assert response.status_code == 302
    assert not ChangeRequest.objects.exists()
    assert mail.outbox == []


def test_reports_are_rate_limited(client, meeting):
    for _ in range(5):
        assert client.post(report_url(meeting), {"message": "x"}).status_code == 302
    response = client.post(report_url(meeting), {"message": "x"})
    assert response.status_code == 429
    assert "Too many reports" in response.content.decode()
    assert ChangeRequest.objects.count() == 5


def test_a_volunteer_applies_or_dismisses(admin_client, superuser, meeting):
    first = ChangeRequest.objects.create(meeting=meeting, message="a")
    second = ChangeRequest.objects.create(meeting=meeting, message="b")
    url = reverse("admin:meetings_changerequest_changelist")
    admin_client.post(url, {"action": "mark_applied", "_selected_action": [first.pk]})
    admin_client.post(url, {"action": "dismiss", "_selected_action": [second.pk]})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.handled_by) == ("applied", superuser)
    assert second.status == "dismissed"


def test_an_archived_meeting_cannot_be_reported(client, meeting):
    meeting.status = "archived"
    meeting.save()
    assert client.get(report_url(meeting)).status_code == 404


def test_behind_a_proxy_the_limit_is_per_visitor_not_for_everyone(client, meeting, settings):
    settings.BEHIND_TLS_PROXY = True
    for _ in range(5):
        client.post(report_url(meeting), {"message": "x"}, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert client.post(report_url(meeting), {"message": "x"}, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert client.post(report_url(meeting), {"message": "y"}, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 302
