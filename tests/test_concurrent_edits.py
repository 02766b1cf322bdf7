"""Two volunteers open the same record; the first saves; the second's save is refused, explained, and kept.

Personas: vera and victor both keep Arizona.
"""

import re

import pytest
from django.urls import reverse
from django.utils.text import capfirst

from groups.models import Group, Membership
from groups.versions import VersionedFormMixin
from meetings.models import Meeting, MeetingTime, MeetingType
from tests.admin_forms import change_form_data
from tests.factories import make_group, make_location, make_meeting


@pytest.fixture
def member(django_user_model):
    def build(username, area, role=Membership.Role.VOLUNTEER):
        user = django_user_model.objects.create_user(username, f"{username}@example.org", "a-long-passphrase-1")
        Membership.objects.create(user=user, area=area, role=role)
        return user

    return build


@pytest.fixture
def vera(client_factory, member, arizona):
    return client_factory(member("vera", arizona, Membership.Role.AREA_ADMIN))


@pytest.fixture
def victor(client_factory, member, arizona):
    return client_factory(member("victor", arizona, Membership.Role.AREA_ADMIN))


@pytest.fixture
def client_factory():
    from django.test import Client

    def build(user):
        client = Client()
        client.force_login(user)
        return client

    return build


@pytest.fixture
def meeting(arizona):
    return make_meeting(arizona, name="Hope on Main", types=["D"])


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def open_form(client, obj):
    response = client.get(change_url(obj))
    assert response.status_code == 200
    return response


def save(client, obj, page, **changes):
    return client.post(change_url(obj), change_form_data(page, **changes))


def refusal(response):
    assert response.status_code == 200, response
    errors = response.context["adminform"].form.non_field_errors()
    assert len(errors) == 1
    return errors[0]


def test_the_second_save_is_refused_with_who_when_and_what_changed(vera, victor, meeting):
    veras_page, victors_page = open_form(vera, meeting), open_form(victor, meeting)
    assert save(vera, meeting, veras_page, status="temporarily_closed").status_code == 302

    response = save(victor, meeting, victors_page, name="Hope on Second", notes="Side door")
    message = refusal(response)
    assert re.match(
        r"Someone else \(vera\) saved this meeting at \d{1,2}:\d\d(?: [AP]M)? UTC — here is what changed: ", message
    )
    assert "Status: Active → Temporarily closed" in message
    meeting.refresh_from_db()
    assert (meeting.name, meeting.status, meeting.notes) == ("Hope on Main", "temporarily_closed", "")
    # Nothing victor typed is lost, and the form now stands on the current version.
    form = response.context["adminform"].form
    assert (form["name"].value(), form["notes"].value()) == ("Hope on Second", "Side door")
    assert form["seen_version"].value() == str(meeting.version)


def test_saving_again_after_the_message_goes_on_top(vera, victor, meeting):
    veras_page, victors_page = open_form(vera, meeting), open_form(victor, meeting)
    save(vera, meeting, veras_page, status="temporarily_closed")
    refused = save(victor, meeting, victors_page, name="Hope on Second")
    assert victor.post(change_url(meeting), change_form_data(refused)).status_code == 302
    meeting.refresh_from_db()
    assert meeting.name == "Hope on Second"
    assert meeting.status == "active"  # victor's form said active; he saw the message and chose it
    assert [h.history_user.username for h in meeting.history.all()[:2]] == ["victor", "vera"]


def test_a_change_to_the_weekly_times_alone_is_a_conflict_too(vera, victor, meeting):
    veras_page, victors_page = open_form(vera, meeting), open_form(victor, meeting)
    assert save(vera, meeting, veras_page, **{"times-0-weekday": "2"}).status_code == 302
    message = refusal(save(victor, meeting, victors_page, name="Hope on Second"))
    assert "Times: Every Monday 19:00 → Every Tuesday 19:00" in message
    assert meeting.times.get().weekday == MeetingTime.Weekday.TUESDAY


def test_a_change_to_the_types_alone_is_a_conflict_too(vera, victor, meeting):
    veras_page, victors_page = open_form(vera, meeting), open_form(victor, meeting)
    women = MeetingType.objects.get(code="W")
    types = [str(t.pk) for t in meeting.types.all()] + [str(women.pk)]
    assert save(vera, meeting, veras_page, types=types).status_code == 302
    message = refusal(save(victor, meeting, victors_page, notes="Bring a friend"))
    assert "Types: Discussion (D) → Discussion (D), Women (W)" in message


def test_a_lone_editor_saves_as_often_as_they_like(vera, meeting):
    page = open_form(vera, meeting)
    assert save(vera, meeting, page, name="One").status_code == 302
    page = open_form(vera, meeting)
    assert save(vera, meeting, page, name="Two").status_code == 302
    meeting.refresh_from_db()
    assert (meeting.name, meeting.version) == ("Two", 3)


def test_the_guard_is_in_the_write_not_only_in_the_form(vera, victor, meeting, monkeypatch):
    """Another worker can commit between the form's check and the write; the compare-and-set catches it."""
    veras_page, victors_page = open_form(vera, meeting), open_form(victor, meeting)
    save(vera, meeting, veras_page, status="temporarily_closed")
    monkeypatch.setattr(VersionedFormMixin, "clean", lambda form: form.cleaned_data)  # as if the check raced
    response = save(victor, meeting, victors_page, name="Hope on Second", **{"times-0-weekday": "5"})
    assert response.status_code == 409
    meeting.refresh_from_db()
    assert (meeting.name, meeting.status, meeting.times.get().weekday) == ("Hope on Main", "temporarily_closed", 1)


def test_an_import_or_a_command_counts_as_someone_else(vera, meeting):
    page = open_form(vera, meeting)
    meeting.conference_url = "https://meet.example.org/hope"
    meeting.save()  # what an import does
    message = refusal(save(vera, meeting, page, name="Hope on Second"))
    assert message.startswith("Someone else saved this meeting at ")
    assert "Online join link: — → https://meet.example.org/hope" in message


def test_bulk_updates_of_the_search_text_are_not_edits(vera, meeting):
    page = open_form(vera, meeting)
    Meeting.objects.filter(pk=meeting.pk).update(search_text="stale")
    group = make_group(meeting.area, name="Renamed Group")
    Group.objects.filter(pk=group.pk).update(name="Renamed again")
    assert save(vera, meeting, page, name="Hope on Second").status_code == 302


@pytest.mark.parametrize("kind", ["location", "group", "area"])
def test_places_groups_and_areas_refuse_a_stale_save_too(vera, victor, arizona, kind):
    obj = {
        "location": lambda: make_location(arizona, name="St. Mark's"),
        "group": lambda: make_group(arizona, name="Desert Hope"),
        "area": lambda: arizona,
    }[kind]()
    veras_page, victors_page = open_form(vera, obj), open_form(victor, obj)
    assert save(vera, obj, veras_page, name="Renamed by vera").status_code == 302
    message = refusal(save(victor, obj, victors_page, name="Renamed by victor"))
    label = capfirst(obj._meta.get_field("name").verbose_name)
    assert f"{label}: {obj.name} → Renamed by vera" in message
    obj.refresh_from_db()
    assert obj.name == "Renamed by vera"


def test_a_revert_from_the_history_is_checked_the_same_way(vera, victor, meeting):
    meeting.name = "Oops"
    meeting.save()
    original = meeting.history.earliest()
    revert_url = reverse("admin:meetings_meeting_simple_history", args=[meeting.pk, original.history_id])
    revert_page = victor.get(revert_url)
    veras_page = open_form(vera, meeting)
    save(vera, meeting, veras_page, name="Fixed by vera")
    message = refusal(victor.post(revert_url, change_form_data(revert_page)))
    assert "Name: Oops → Fixed by vera" in message
    meeting.refresh_from_db()
    assert meeting.name == "Fixed by vera"

