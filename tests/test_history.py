"""Every create, change and archive is recorded, and can be reverted or restored."""

import pytest
from django.urls import reverse

from groups.models import Membership
from meetings.models import Meeting
from tests.factories import make_area, make_group, make_location, make_meeting, meeting_change_form


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


# History across areas: both the record now and the version must be in the user's areas.


@pytest.fixture
def member(django_user_model):
    def build(username, area, role=Membership.Role.VOLUNTEER):
        user = django_user_model.objects.create_user(username, f"{username}@example.org", "a-long-passphrase-1")
        Membership.objects.create(user=user, area=area, role=role)
        return user

    return build


@pytest.fixture
def moved(arizona, colorado):
    """Records created in Arizona, then moved to Colorado and edited there (by Colorado's volunteers)."""
    group = make_group(arizona, name="Desert Hope")
    location = make_location(arizona, name="St. Mark's")
    meeting = make_meeting(arizona, name="Hope on Main", group=group, location=location)
    records = {"meeting": meeting, "group": group, "location": location}
    old = {kind: obj.history.earliest() for kind, obj in records.items()}
    new_location = make_location(colorado, name="Red Rocks Hall", city="Denver", timezone="America/Denver")
    group.area, group.name = colorado, "Rockies Hope"
    group.save()
    location.area, location.name = colorado, "Mile High Hall"
    location.save()
    meeting.area, meeting.location, meeting.group, meeting.name = colorado, new_location, group, "Rockies Hope"
    meeting.save()
    return {"meeting": meeting, "group": group, "location": location, "old": old}


def version_url(obj, version):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, version.history_id])


@pytest.mark.parametrize("kind", ["meeting", "group", "location"])
def test_the_old_areas_volunteer_cannot_see_or_revert_a_record_that_moved_away(client, member, arizona, moved, kind):
    obj, old = moved[kind], moved["old"][kind]
    client.force_login(member("vera", arizona))
    assert client.get(version_url(obj, old)).status_code == 403
    history = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history", args=[obj.pk])
    assert client.get(history).status_code == 403
    before = obj.history.count()
    response = client.post(version_url(obj, old), {"name": old.name, "area": arizona.pk, "city": "Phoenix"})
    assert response.status_code == 403
    obj.refresh_from_db()
    assert obj.area.name == "Colorado"
    assert obj.history.count() == before


def test_the_meeting_stays_in_the_new_area_with_its_edits(client, member, arizona, moved):
    meeting, old = moved["meeting"], moved["old"]["meeting"]
    client.force_login(member("vera", arizona))
    data = meeting_change_form(meeting, name="Hope on Main", area=arizona.pk, location=old.location_id)
    assert client.post(version_url(meeting, old), data).status_code == 403
    meeting.refresh_from_db()
    assert (meeting.area.name, meeting.name) == ("Colorado", "Rockies Hope")


@pytest.mark.parametrize("kind", ["meeting", "group", "location"])
def test_the_new_areas_volunteer_cannot_open_a_version_from_the_old_area(client, member, colorado, moved, kind):
    obj, old = moved[kind], moved["old"][kind]
    client.force_login(member("colin", colorado))
    assert client.get(version_url(obj, old)).status_code == 403
    assert client.get(version_url(obj, obj.history.latest())).status_code == 200


def test_the_history_list_shows_only_versions_from_the_users_areas(client, member, colorado, moved):
    meeting = moved["meeting"]
    client.force_login(member("colin", colorado))
    response = client.get(reverse("admin:meetings_meeting_history", args=[meeting.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Rockies Hope" in body
    assert "Hope on Main" not in body
    assert "St. Mark" not in body


def test_a_superuser_may_revert_across_areas(admin_client, arizona, moved):
    meeting, old = moved["meeting"], moved["old"]["meeting"]
    assert admin_client.get(version_url(meeting, old)).status_code == 200
    data = meeting_change_form(meeting, name="Hope on Main", area=arizona.pk, location=old.location_id)
    assert admin_client.post(version_url(meeting, old), data).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.area.name, meeting.name) == ("Arizona", "Hope on Main")


def test_a_revert_in_the_users_own_area_still_works(client, member, arizona):
    meeting = make_meeting(arizona, name="Hope on Main")
    meeting.name = "Oops"
    meeting.save()
    vera = member("vera", arizona)
    client.force_login(vera)
    original = meeting.history.earliest()
    response = client.post(version_url(meeting, original), meeting_change_form(meeting, name="Hope on Main"))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.name, meeting.updated_by) == ("Hope on Main", vera)


def test_a_revert_cannot_move_an_area_to_another_parent_unless_by_a_superuser(client, member, world, arizona, colorado):
    district = make_area("Tucson District", parent=arizona)
    district.parent = colorado  # a superuser moved it
    district.save()
    admin = member("dora", district, Membership.Role.AREA_ADMIN)
    client.force_login(admin)
    original = district.history.earliest()
    form = {"name": "Tucson District", "slug": "tucson-district", "level": "area", "timezone": "America/Phoenix"}
    form["clock"] = "12"
    assert client.post(version_url(district, original), form).status_code == 302
    district.refresh_from_db()
    assert district.parent == colorado


def test_a_version_that_does_not_exist_is_a_404(client, member, arizona):
    meeting = make_meeting(arizona)
    client.force_login(member("vera", arizona))
    url = reverse("admin:meetings_meeting_simple_history", args=[meeting.pk, 999999])
    assert client.get(url).status_code == 404
    assert client.get(reverse("admin:meetings_meeting_simple_history", args=["x", "y"])).status_code == 404
