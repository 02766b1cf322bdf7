"""Every create, change and archive is recorded, and can be reverted or restored."""

import pytest
from django.urls import reverse

from meetings.models import Meeting
from tests.factories import make_meeting, meeting_change_form


@pytest.fixture
def meeting(arizona):
    return make_meeting(arizona, name="Hope on Main", types=["D"])


def test_an_admin_edit_records_who_and_what_before_and_after(admin_client, superuser, meeting):
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    assert admin_client.post(url, meeting_change_form(meeting, name="Hope on Second")).status_code == 302
    latest, previous = meeting.history.all()[:2]
    assert latest.history_user == superuser
    assert latest.history_type == "~"
    delta = latest.diff_against(previous)
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field == "name"] == [
        ("name", "Hope on Main", "Hope on Second")
    ]


def test_the_history_page_shows_the_changes(admin_client, meeting):
    admin_client.post(
        reverse("admin:meetings_meeting_change", args=[meeting.pk]), meeting_change_form(meeting, name="New")
    )
    response = admin_client.get(reverse("admin:meetings_meeting_history", args=[meeting.pk]))
    assert response.status_code == 200
    assert "New" in response.content.decode()


def test_a_change_can_be_reverted_from_the_history(admin_client, meeting):
    admin_client.post(
        reverse("admin:meetings_meeting_change", args=[meeting.pk]), meeting_change_form(meeting, name="Oops")
    )
    original = meeting.history.earliest()
    revert_url = reverse("admin:meetings_meeting_simple_history", args=[meeting.pk, original.history_id])
    assert admin_client.get(revert_url).status_code == 200
    meeting.refresh_from_db()
    before = meeting.history.count()
    response = admin_client.post(revert_url, meeting_change_form(meeting, name="Hope on Main"))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.name == "Hope on Main"
    assert meeting.history.count() == before + 1  # the revert is itself recorded


def test_weekly_times_and_types_have_history_too(meeting):
    slot = meeting.times.get()
    slot.start_time = "18:00"
    slot.save()
    assert slot.history.count() == 2
    before = meeting.history.count()
    meeting.types.clear()
    assert meeting.history.count() == before + 1  # the m2m change is its own record


def test_archive_and_restore_are_recorded(admin_client, superuser, meeting):
    changelist = reverse("admin:meetings_meeting_changelist")
    admin_client.post(changelist, {"action": "archive", "_selected_action": [meeting.pk]})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ARCHIVED
    assert meeting.history.latest().status == Meeting.Status.ARCHIVED
    assert meeting.history.latest().history_user == superuser
    assert Meeting.objects.public().count() == 0

    archived_rows = meeting.history.count()
    admin_client.post(changelist, {"action": "restore", "_selected_action": [meeting.pk]})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ACTIVE
    assert meeting.history.count() == archived_rows + 1


def test_an_archived_meeting_is_gone_from_public_pages(client, meeting):
    meeting.status = Meeting.Status.ARCHIVED
    meeting.save()
    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert "Hope on Main" not in client.get("/meetings/").content.decode()


def test_mark_verified_stamps_today(admin_client, meeting):
    from django.utils import timezone

    admin_client.post(
        reverse("admin:meetings_meeting_changelist"), {"action": "mark_verified", "_selected_action": [meeting.pk]}
    )
    meeting.refresh_from_db()
    assert meeting.last_verified == timezone.localdate()


def test_the_data_quality_page_counts_what_needs_a_look(admin_client, arizona):
    import datetime as dt

    old = make_meeting(arizona, name="Old", last_verified=dt.date(2020, 1, 1))
    make_meeting(arizona, name="Twin", location=old.location)  # same place, Monday 19:00
    make_meeting(arizona, name="Fresh", last_verified=dt.date.today(), times=[(2, "08:00", None)])
    response = admin_client.get(reverse("admin_quality"))
    checks = {label: count for label, count, url in response.context["checks"]}
    assert checks["Meetings not verified for 6 months"] == 2
    assert checks["Probable duplicates (same place, day and time)"] == 2
    listed = admin_client.get(reverse("admin:meetings_meeting_changelist") + "?quality=duplicates")
    assert {m.name for m in listed.context["cl"].result_list} == {"Old", "Twin"}


def test_the_data_quality_page_is_for_volunteers_only(client, db):
    assert client.get(reverse("admin_quality")).status_code == 302
