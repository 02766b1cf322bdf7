"""Volunteers see and change only their own areas' records, by any URL.

Personas: vera keeps Arizona (and so the Phoenix district below it), colin
keeps Colorado, ada is Arizona's area admin, alice is a superuser.
"""

import pytest
from django.urls import reverse

from groups.models import Membership
from meetings.models import ChangeRequest, Location, Meeting
from tests.factories import make_group, make_location, make_meeting


@pytest.fixture
def member(django_user_model):
    def build(username, area, role=Membership.Role.VOLUNTEER):
        user = django_user_model.objects.create_user(username, f"{username}@example.org", "a-long-passphrase-1")
        Membership.objects.create(user=user, area=area, role=role)
        user.refresh_from_db()
        return user

    return build


@pytest.fixture
def vera(member, arizona):
    return member("vera", arizona)


@pytest.fixture
def colin(member, colorado):
    return member("colin", colorado)


@pytest.fixture
def ada(member, arizona):
    return member("ada", arizona, Membership.Role.AREA_ADMIN)


@pytest.fixture
def records(arizona, phoenix_district, colorado):
    az_group = make_group(phoenix_district, name="Desert Hope")
    az_meeting = make_meeting(phoenix_district, name="Phoenix Hope", group=az_group)
    co_group = make_group(colorado, name="Rockies")
    co_location = make_location(colorado, city="Denver", timezone="America/Denver")
    co_meeting = make_meeting(colorado, name="Mile High", group=co_group, location=co_location)
    report = ChangeRequest.objects.create(meeting=co_meeting, message="Moved to Tuesday")
    return {"az": az_meeting, "co": co_meeting, "co_group": co_group, "co_location": co_location, "co_report": report}


def as_user(client, user):
    client.force_login(user)
    return client


def changelist(client, model):
    return client.get(reverse(f"admin:{model}_changelist"))


def test_membership_alone_opens_the_admin(vera):
    assert vera.is_staff


def test_a_volunteer_lists_only_their_areas_meetings(client, vera, records):
    body = changelist(as_user(client, vera), "meetings_meeting").content.decode()
    assert "Phoenix Hope" in body
    assert "Mile High" not in body


@pytest.mark.parametrize(
    ("model", "key"),
    [
        ("meetings_meeting", "co"),
        ("meetings_location", "co_location"),
        ("groups_group", "co_group"),
        ("meetings_changerequest", "co_report"),
    ],
)
def test_another_areas_record_cannot_be_viewed_or_changed_by_url(client, vera, records, model, key):
    client = as_user(client, vera)
    url = reverse(f"admin:{model}_change", args=[records[key].pk])
    assert client.get(url).status_code == 302  # "does not exist", back to the admin index
    response = client.post(url, {"name": "Hijacked"})
    assert response.status_code in (302, 403)
    records[key].refresh_from_db()
    assert getattr(records[key], "name", "") != "Hijacked"
    history = reverse(f"admin:{model}_history", args=[records[key].pk])
    assert client.get(history).status_code in (302, 403, 404)


def test_another_areas_meeting_cannot_be_archived(client, vera, records):
    client = as_user(client, vera)
    client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "archive", "_selected_action": [records["co"].pk, records["az"].pk]},
    )
    records["co"].refresh_from_db()
    records["az"].refresh_from_db()
    assert records["co"].status == Meeting.Status.ACTIVE
    assert records["az"].status == Meeting.Status.ARCHIVED


def test_a_volunteer_cannot_file_a_meeting_under_another_area(client, vera, records, colorado, arizona):
    client = as_user(client, vera)
    response = client.get(reverse("admin:meetings_meeting_add"))
    area_choices = [str(choice[1]) for choice in response.context["adminform"].form.fields["area"].choices]
    assert "Colorado" not in area_choices
    form = {
        "name": "Sneaky",
        "slug": "sneaky",
        "area": colorado.pk,
        "status": "active",
        "access": "open",
        "language": "en",
        "conference_url": "https://meet.example.com/s",
        "times-TOTAL_FORMS": "0",
        "times-INITIAL_FORMS": "0",
        "times-MIN_NUM_FORMS": "0",
        "times-MAX_NUM_FORMS": "1000",
    }
    response = client.post(reverse("admin:meetings_meeting_add"), form)
    assert response.status_code == 200
    assert not Meeting.objects.filter(slug="sneaky").exists()


def test_autocomplete_offers_only_own_groups(client, vera, records):
    client = as_user(client, vera)
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": "", "app_label": "meetings", "model_name": "meeting", "field_name": "group"},
    )
    names = [r["text"] for r in response.json()["results"]]
    assert names == ["Desert Hope"]


def test_area_b_cannot_import_into_area_a(client, colin, records):
    client = as_user(client, colin)
    body = changelist(client, "meetings_meeting").content.decode()
    assert "Phoenix Hope" not in body
    assert client.get(reverse("admin:meetings_meeting_change", args=[records["az"].pk])).status_code == 302


def test_change_requests_queue_is_per_area(client, vera, colin, records):
    assert "Moved to Tuesday" not in changelist(as_user(client, vera), "meetings_changerequest").content.decode()
    assert "Moved to Tuesday" in changelist(as_user(client, colin), "meetings_changerequest").content.decode()


def test_an_area_admin_manages_the_areas_volunteers_only(client, ada, vera, colin):
    client = as_user(client, ada)
    body = changelist(client, "auth_user").content.decode()
    assert "vera" in body
    assert "colin" not in body
    assert client.get(reverse("admin:auth_user_change", args=[colin.pk])).status_code == 302


def test_an_area_admin_cannot_make_a_superuser(client, ada, vera):
    client = as_user(client, ada)
    client.post(
        reverse("admin:auth_user_change", args=[vera.pk]),
        {
            "username": "vera",
            "first_name": "Vera",
            "is_active": "on",
            "is_superuser": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
    )
    vera.refresh_from_db()
    assert not vera.is_superuser


def test_a_plain_volunteer_cannot_manage_people(client, vera):
    client = as_user(client, vera)
    assert changelist(client, "auth_user").status_code == 403


def test_staff_without_a_membership_see_nothing(client, django_user_model, records):
    nobody = django_user_model.objects.create_user("nobody", password="x-long-passphrase", is_staff=True)
    client = as_user(client, nobody)
    assert changelist(client, "meetings_meeting").status_code == 403


def test_the_superuser_sees_every_area(client, superuser, records):
    body = changelist(as_user(client, superuser), "meetings_meeting").content.decode()
    assert "Phoenix Hope" in body and "Mile High" in body


def test_anonymous_visitors_are_sent_to_the_login(client, records):
    response = changelist(client, "meetings_meeting")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_meetings_cannot_be_deleted_only_archived(client, vera, records):
    client = as_user(client, vera)
    url = reverse("admin:meetings_meeting_delete", args=[records["az"].pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Meeting.objects.filter(pk=records["az"].pk).exists()


def test_an_own_location_can_be_edited(client, vera, records, phoenix_district):
    client = as_user(client, vera)
    location = Location.objects.filter(area=phoenix_district).first()
    assert client.get(reverse("admin:meetings_location_change", args=[location.pk])).status_code == 200
