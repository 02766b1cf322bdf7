""""Still meeting?": a personal link to the group's contact, valid 30 days, used once, confirmed by a POST."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from groups.models import Membership
from meetings.confirmations import confirmed_phrase
from meetings.models import Confirmation
from tests.factories import make_group, make_meeting


@pytest.fixture
def group(phoenix_district):
    return make_group(phoenix_district, name="Desert Hope", contact_email="secretary@example.org")


@pytest.fixture
def meeting(group):
    return make_meeting(group.area, name="Hope on Main", group=group)


@pytest.fixture
def link(group, meeting):
    """The link in the email the group's contact received."""
    call_send(group)
    return link_in(mail.outbox[-1].body, "still-meeting")


def call_send(group):
    from meetings.confirmations import send

    return send(group)


def path_of(url):
    return "/" + url.split("//", 1)[1].split("/", 1)[1]


def link_in(body, kind):
    return path_of(next(u for u in re.findall(r"https?://\S+", body) if kind in u and not u.endswith("/stop/")))


def stop_link(body):
    return path_of(next(u for u in re.findall(r"https?://\S+", body) if u.endswith("/stop/")))


def test_the_email_is_plain_text_names_the_meetings_and_says_how_to_stop(group, meeting):
    call_send(group)
    message = mail.outbox[0]
    assert message.to == ["secretary@example.org"]
    assert message.subject == "Is Desert Hope still meeting?"
    assert "Hope on Main: Monday" in message.body
    assert "To stop these emails" in message.body and "/stop/" in message.body
    assert message.content_subtype == "plain"
    record = Confirmation.objects.get()
    assert record.expires_at - record.created_at == dt.timedelta(days=30)
    assert len(record.token_hash) == 64 and record.token_hash not in message.body  # only a hash is kept


def test_the_subject_is_one_line_and_not_html_escaped(group, meeting):
    group.name = "Tom & Jerry's\nFriday"
    group.save()
    call_send(group)
    assert mail.outbox[0].subject == "Is Tom & Jerry's Friday still meeting?"


def test_a_group_whose_email_fails_is_not_counted_as_asked_and_the_others_still_are(
    group, meeting, phoenix_district, monkeypatch
):
    from meetings import confirmations

    other = make_group(phoenix_district, name="Second Wind", contact_email="second@example.org")
    make_meeting(phoenix_district, name="Second Wind Tuesday", group=other)
    real_send = confirmations.EmailMessage.send

    def refuse_the_first(message, *args, **kwargs):
        if message.to == ["secretary@example.org"]:
            raise OSError("mail server refused")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(confirmations.EmailMessage, "send", refuse_the_first)
    sent = confirmations.send_many([group, other])
    assert [record.group for record in sent] == [other]
    assert [m.to for m in mail.outbox] == [["second@example.org"]]
    assert not Confirmation.objects.filter(group=group).exists()  # asked again next month


def test_opening_the_link_confirms_nothing_a_scanner_cannot_confirm(client, link, meeting):
    page = client.get(link)
    assert page.status_code == 200
    assert "Yes, we still meet as listed" in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    meeting.refresh_from_db()
    assert (meeting.last_verified, meeting.confirmed_by_group_on) == (None, None)


def test_the_button_confirms_every_meeting_of_the_group(client, link, group, meeting):
    other = make_meeting(group.area, name="Hope at Noon", group=group)
    response = client.post(link)
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    today = timezone.localdate()
    for each in (meeting, other):
        each.refresh_from_db()
        assert (each.last_verified, each.confirmed_by_group_on) == (today, today)
        assert each.history.latest().history_change_reason == "confirmed by the group"


def test_the_page_offers_the_change_form(client, link, meeting):
    assert reverse("meetings:report", args=[meeting.slug]) in client.get(link).content.decode()


def test_a_used_link_does_not_confirm_again(client, link, meeting):
    client.post(link)
    meeting.last_verified = meeting.confirmed_by_group_on = dt.date(2020, 1, 1)
    meeting.save()
    response = client.post(link)
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.confirmed_by_group_on == dt.date(2020, 1, 1)


def test_an_expired_link_confirms_nothing(client, link, meeting):
    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        response = client.post(link)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.confirmed_by_group_on is None


def test_a_link_still_works_on_its_last_day(client, link, meeting):
    with time_machine.travel(timezone.now() + dt.timedelta(days=29, hours=23)):
        assert client.post(link).status_code == 200
    meeting.refresh_from_db()
    assert meeting.confirmed_by_group_on is not None


def test_another_groups_link_confirms_nothing_here(client, link, group, meeting, phoenix_district):
    other = make_group(phoenix_district, name="Other Group")
    their_meeting = make_meeting(phoenix_district, name="Theirs", group=other)
    forged = link.replace(f"/{group.slug}/", f"/{other.slug}/")
    assert client.get(forged).status_code == 404
    assert client.post(forged).status_code == 404
    their_meeting.refresh_from_db()
    meeting.refresh_from_db()
    assert (their_meeting.confirmed_by_group_on, meeting.confirmed_by_group_on) == (None, None)


def test_a_made_up_token_is_not_found(client, group, meeting):
    assert client.post(reverse("meetings:confirm", args=[group.slug, "x" * 43])).status_code == 404


def test_stopping_works_and_no_more_emails_are_sent(client, group, meeting):
    call_send(group)
    stop = stop_link(mail.outbox[0].body)
    assert client.get(stop).status_code == 200
    group.refresh_from_db()
    assert group.confirmation_emails  # a GET stops nothing
    client.post(stop)
    group.refresh_from_db()
    assert not group.confirmation_emails
    assert call_send(group) is None
    assert len(mail.outbox) == 1


def test_the_meeting_page_says_confirmed_by_the_group_n_days_ago(client, meeting):
    meeting.confirmed_by_group_on = timezone.localdate() - dt.timedelta(days=12)
    meeting.save()
    assert "Confirmed by the group 12 days ago" in client.get(meeting.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("days", "phrase"),
    [
        (0, "Confirmed by the group today"),
        (1, "Confirmed by the group yesterday"),
        (2, "Confirmed by the group 2 days ago"),
        (59, "Confirmed by the group 59 days ago"),
        (95, "Confirmed by the group 3 months ago"),
    ],
)
def test_the_phrase_reads_naturally(days, phrase):
    today = dt.date(2026, 11, 27)
    assert confirmed_phrase(today - dt.timedelta(days=days), today) == phrase


def test_the_email_is_in_the_language_the_group_meets_in_when_the_site_speaks_it(group, meeting):
    from meetings.confirmations import group_language

    meeting.language = "es"
    assert group_language(group, [meeting]) == "es"
    meeting.language = "fr"
    assert group_language(group, [meeting]) == "en"  # the site's default


# The volunteer's action and the monthly run.


@pytest.fixture
def volunteer_client(client, django_user_model):
    def login(area):
        user = django_user_model.objects.create_user(f"v{area.pk}", f"v{area.pk}@example.org")
        Membership.objects.create(user=user, area=area)
        client.force_login(user)
        return client

    return login


def send_action(client, group):
    return client.post(
        reverse("admin:groups_group_changelist"), {"action": "send_still_meeting", "_selected_action": [group.pk]}
    )


def test_a_volunteer_sends_the_link_from_the_group_list(volunteer_client, group, meeting):
    client = volunteer_client(group.area)
    send_action(client, group)
    assert [m.to for m in mail.outbox] == [["secretary@example.org"]]
    assert Confirmation.objects.get().sent_by.username == f"v{group.area.pk}"


def test_another_areas_volunteer_cannot_send_one(volunteer_client, group, meeting, colorado):
    client = volunteer_client(colorado)
    send_action(client, group)
    assert mail.outbox == []
    assert not Confirmation.objects.exists()


def test_the_monthly_run_asks_groups_due_once_a_month(group, meeting, phoenix_district):
    quiet = make_group(phoenix_district, name="Confirmed lately", contact_email="q@example.org")
    make_meeting(phoenix_district, group=quiet, confirmed_by_group_on=timezone.localdate())
    stopped = make_group(phoenix_district, name="Stopped", contact_email="s@example.org", confirmation_emails=False)
    make_meeting(phoenix_district, group=stopped)
    call_command("send_confirmations")
    assert [m.to for m in mail.outbox] == [["secretary@example.org"]]
    call_command("send_confirmations")  # a second run the same month asks nobody again
    assert len(mail.outbox) == 1


def test_the_quality_page_lists_meetings_unconfirmed_for_six_months(admin_client, meeting, phoenix_district):
    fresh = make_meeting(phoenix_district, name="Fresh one", confirmed_by_group_on=timezone.localdate())
    page = admin_client.get(reverse("admin_quality")).content.decode()
    unconfirmed = page.split('id="unconfirmed"')[1]
    assert "Hope on Main" in unconfirmed
    assert fresh.name not in unconfirmed
