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


# Accounts: an area admin manages memberships in their areas, never someone's password, email or switches.

HIJACKED = "hijacked-passphrase-77"
NEW_PASSWORD = {"password1": HIJACKED, "password2": HIJACKED, "set_usable_password": "true"}


def membership_form(user, area, role=Membership.Role.VOLUNTEER):
    return {"user": user.pk, "area": area.pk, "role": role}


def user_form(user, **fields):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    return data


def test_an_area_admin_cannot_take_over_another_areas_account(client, ada, colin, arizona, records):
    """The probe's steps: give an outsider a membership, set their password, act as them. Each step fails."""
    client = as_user(client, ada)
    response = client.post(reverse("admin:groups_membership_add"), membership_form(colin, arizona))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Membership.objects.filter(user=colin, area=arizona).exists()

    response = client.post(reverse("admin:auth_user_password_change", args=[colin.pk]), NEW_PASSWORD)
    assert response.status_code == 403
    colin.refresh_from_db()
    assert colin.check_password("a-long-passphrase-1")


def test_nobody_but_a_superuser_sets_a_password_even_in_their_own_area(client, ada, vera):
    client = as_user(client, ada)
    url = reverse("admin:auth_user_password_change", args=[vera.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, NEW_PASSWORD).status_code == 403
    assert client.get(reverse("admin:auth_user_password_change", args=[ada.pk])).status_code == 403
    vera.refresh_from_db()
    assert vera.check_password("a-long-passphrase-1")


def test_a_volunteer_changes_their_own_password_the_normal_way(client, ada):
    client = as_user(client, ada)
    response = client.post(
        reverse("admin:password_change"),
        {"old_password": "a-long-passphrase-1", "new_password1": "a-new-phrase-22", "new_password2": "a-new-phrase-22"},
    )
    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.check_password("a-new-phrase-22")


def test_a_superuser_sets_any_password(admin_client, vera):
    url = reverse("admin:auth_user_password_change", args=[vera.pk])
    assert admin_client.post(url, NEW_PASSWORD).status_code == 302
    vera.refresh_from_db()
    assert vera.check_password(NEW_PASSWORD["password1"])


def test_an_area_admin_cannot_change_email_or_switches(client, ada, vera):
    client = as_user(client, ada)
    page = client.get(reverse("admin:auth_user_change", args=[vera.pk]))
    fields = set(page.context["adminform"].form.fields)
    assert fields == {"first_name", "last_name"}
    assert "password" not in page.content.decode().lower().split("<form")[1].split("</form>")[0]
    client.post(
        reverse("admin:auth_user_change", args=[vera.pk]),
        user_form(vera, first_name="Vera", email="ada@evil.example", is_active="", is_staff="", is_superuser="on"),
    )
    vera.refresh_from_db()
    assert (vera.first_name, vera.email, vera.is_active, vera.is_staff, vera.is_superuser) == (
        "Vera",
        "vera@example.org",
        True,
        True,
        False,
    )


def test_only_a_superuser_creates_accounts(client, ada, superuser):
    assert as_user(client, ada).get(reverse("admin:auth_user_add")).status_code == 403
    page = as_user(client, superuser).get(reverse("admin:auth_user_add"))
    assert "memberships-TOTAL_FORMS" in page.content.decode()  # the first membership is given on the same page


def test_membership_choices_offer_only_the_admins_people_and_areas(client, ada, vera, colin, superuser, colorado):
    form = as_user(client, ada).get(reverse("admin:groups_membership_add")).context["adminform"].form
    assert set(form.fields["user"].queryset) == {ada, vera}
    assert colorado not in form.fields["area"].queryset
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": "", "app_label": "groups", "model_name": "membership", "field_name": "user"},
    )
    assert sorted(r["text"] for r in response.json()["results"]) == ["ada", "vera"]


def test_an_area_admin_sees_and_edits_only_their_areas_memberships_of_a_person(client, ada, vera, colorado):
    elsewhere = Membership.objects.create(user=vera, area=colorado)
    mine = Membership.objects.get(user=vera, area__name="Arizona")
    client = as_user(client, ada)
    page = client.get(reverse("admin:auth_user_change", args=[vera.pk]))
    body = page.content.decode()
    assert "Colorado" not in body
    assert [f.instance for f in page.context["inline_admin_formsets"][0].formset.initial_forms] == [mine]
    assert "Colorado" not in changelist(client, "auth_user").content.decode()

    # Posting the other area's membership for deletion, as if it were in the inline, changes nothing.
    client.post(
        reverse("admin:auth_user_change", args=[vera.pk]),
        user_form(
            vera,
            **{
                "memberships-TOTAL_FORMS": "1",
                "memberships-INITIAL_FORMS": "1",
                "memberships-0-id": elsewhere.pk,
                "memberships-0-user": vera.pk,
                "memberships-0-area": colorado.pk,
                "memberships-0-role": "volunteer",
                "memberships-0-DELETE": "on",
            },
        ),
    )
    assert Membership.objects.filter(pk=elsewhere.pk).exists()


def test_an_area_admin_cannot_open_change_or_delete_another_areas_membership(client, ada, colin):
    theirs = Membership.objects.get(user=colin)
    client = as_user(client, ada)
    assert client.get(reverse("admin:groups_membership_change", args=[theirs.pk])).status_code == 302
    client.post(reverse("admin:groups_membership_change", args=[theirs.pk]), {"role": "area_admin"})
    assert client.post(reverse("admin:groups_membership_delete", args=[theirs.pk]), {"post": "yes"}).status_code in (
        302,
        403,
    )
    action = {"action": "delete_selected", "_selected_action": [theirs.pk], "post": "yes"}
    client.post(reverse("admin:groups_membership_changelist"), action)
    theirs.refresh_from_db()
    assert theirs.role == Membership.Role.VOLUNTEER


def test_a_membership_cannot_be_handed_to_someone_outside(client, ada, vera, colin, arizona):
    mine = Membership.objects.get(user=vera)
    client = as_user(client, ada)
    client.post(reverse("admin:groups_membership_change", args=[mine.pk]), membership_form(colin, arizona))
    mine.refresh_from_db()
    assert mine.user == vera


def test_an_area_admin_adds_their_volunteer_to_a_district_and_promotes_them(client, ada, vera, phoenix_district):
    client = as_user(client, ada)
    response = client.post(
        reverse("admin:groups_membership_add"), membership_form(vera, phoenix_district, Membership.Role.AREA_ADMIN)
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=vera, area=phoenix_district, role="area_admin").exists()


def test_the_membership_area_autocomplete_offers_only_administered_areas(client, ada, colorado):
    Membership.objects.create(user=ada, area=colorado)  # a plain volunteer there
    client = as_user(client, ada)
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": "", "app_label": "groups", "model_name": "membership", "field_name": "area"},
    )
    assert sorted(r["text"] for r in response.json()["results"]) == ["Arizona"]
