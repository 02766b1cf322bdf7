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
def member(django_user_model):
    def build(name, area, **fields):
        user = django_user_model.objects.create_user(name, f"{name}@example.org", "long-pass-phrase-9", **fields)
        Membership.objects.create(user=user, area=area)
        return user

    return build


@pytest.fixture
def volunteers(member, arizona, phoenix_district, colorado):
    member("district", phoenix_district)
    member("district2", phoenix_district)
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


def test_the_areas_own_volunteers_are_emailed_one_message_each(client, meeting, volunteers):
    client.post(report_url(meeting), {"message": "It moved to Tuesday"})
    assert sorted(message.to[0] for message in mail.outbox) == ["district2@example.org", "district@example.org"]
    assert all(len(message.recipients()) == 1 for message in mail.outbox)
    assert "It moved to Tuesday" in mail.outbox[0].body


def test_without_volunteers_in_the_district_the_nearest_area_above_is_emailed(client, meeting, member, arizona):
    member("state", arizona)
    member("gone", meeting.area, is_active=False)
    silent = member("no-email", meeting.area)
    silent.email = ""
    silent.save()
    client.post(report_url(meeting), {"message": "It moved to Tuesday"})
    assert [message.to for message in mail.outbox] == [["state@example.org"]]


def test_nobody_is_emailed_when_no_area_up_the_tree_has_volunteers(client, meeting, member, colorado):
    member("elsewhere", colorado)
    assert client.post(report_url(meeting), {"message": "It moved"}).status_code == 302
    assert mail.outbox == []
    assert ChangeRequest.objects.count() == 1


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
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        client.post(report_url(meeting), {"message": "x"}, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert client.post(report_url(meeting), {"message": "x"}, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert client.post(report_url(meeting), {"message": "y"}, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 302


def test_a_visitor_cannot_escape_the_limit_by_writing_x_forwarded_for(client, meeting, settings):
    settings.BEHIND_TLS_PROXY, settings.TRUSTED_PROXY_COUNT = True, 1  # production: our proxy appends the address
    statuses = [
        client.post(report_url(meeting), {"message": "x"}, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.7").status_code
        for n in range(30)
    ]
    assert statuses.count(302) == 5
    assert ChangeRequest.objects.count() == 5


def test_the_report_form_counts_in_the_shared_cache_when_configured(client, meeting, settings):
    import redis

    redis.Redis.from_url("redis://127.0.0.1:6379/15").flushdb()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/15"}
    }
    try:
        statuses = [client.post(report_url(meeting), {"message": "x"}).status_code for _ in range(8)]
    finally:
        redis.Redis.from_url("redis://127.0.0.1:6379/15").flushdb()
    assert statuses == [302] * 5 + [429] * 3
