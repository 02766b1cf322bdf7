"""History tells the whole story: one entry per save, its times and types in words, and a revert that restores them."""

import datetime as dt
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from groups.models import Membership
from meetings.models import MeetingType, Occurrence
from tests.admin_forms import change_form_data
from tests.factories import make_group, make_location, make_meeting


@pytest.fixture
def vera(client, django_user_model, arizona):
    user = django_user_model.objects.create_user("vera", "vera@example.org", "a-long-passphrase-1")
    Membership.objects.create(user=user, area=arizona)
    client.force_login(user)
    return client


@pytest.fixture
def meeting(arizona):
    return make_meeting(arizona, name="Hope on Main", times=[(4, "12:30", "13:30")], types=["D"])


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def history_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history", args=[obj.pk])


def version_url(obj, version):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_simple_history", args=[obj.pk, version])


def history_text(client, obj):
    response = client.get(history_url(obj))
    assert response.status_code == 200
    return response, " ".join(unescape(strip_tags(response.content.decode())).split())


def edit_inlines_only(client, meeting):
    """What a volunteer does in the form: a new start time typed "1 pm", Speaker ticked, nothing else."""
    page = client.get(change_url(meeting))
    speaker = MeetingType.objects.get(code="SP")
    types = [str(t.pk) for t in meeting.types.all()] + [str(speaker.pk)]
    data = change_form_data(page, **{"times-0-start_time": "1 pm", "times-0-end_time": "2 pm", "types": types})
    assert client.post(change_url(meeting), data).status_code == 302


def test_an_inline_only_change_is_one_entry_in_words(vera, meeting):
    edit_inlines_only(vera, meeting)
    response, text = history_text(vera, meeting)
    entries = response.context["page_obj"].object_list
    assert len(entries) == 2  # created, then the one save
    assert "Thursday: 12:30 PM–1:30 PM → 1:00 PM–2:00 PM" in text
    assert "Types: + Speaker (SP)" in text
    assert entries[0].user.username == "vera"


def test_a_field_change_reads_in_labels_not_raw_values(vera, meeting):
    page = vera.get(change_url(meeting))
    vera.post(change_url(meeting), change_form_data(page, status="temporarily_closed"))
    _response, text = history_text(vera, meeting)
    assert "Status: Active → Temporarily closed" in text
    assert "temporarily_closed" not in text


def test_a_removed_type_and_a_removed_time_show_with_a_minus(vera, meeting):
    page = vera.get(change_url(meeting))
    vera.post(change_url(meeting), change_form_data(page, types=[], **{"times-0-DELETE": "on"}))
    _response, text = history_text(vera, meeting)
    assert "Types: − Discussion (D)" in text
    assert "Times: − Thursday 12:30 PM–1:30 PM" in text


def test_moments_are_in_the_volunteers_area_zone(vera, meeting):
    response, text = history_text(vera, meeting)
    assert response.context["zone"] == "America/Phoenix"
    assert re.search(r"\d{1,2}:\d\d [AP]M MST", text)


def test_reverting_restores_the_times_and_types(vera, meeting):
    original = meeting.history.earliest()
    first_date = Occurrence.objects.filter(meeting=meeting).order_by("starts_at").first().local_start
    edit_inlines_only(vera, meeting)
    assert meeting.times.get().start_time == dt.time(13)

    page = vera.get(version_url(meeting, original.history_id))
    assert page.status_code == 200
    assert "Thursday 12:30 PM–1:30 PM" in page.content.decode()  # what the revert puts back is said
    assert vera.post(version_url(meeting, original.history_id), change_form_data(page)).status_code == 302

    slot = meeting.times.get()
    assert (slot.start_time, slot.end_time) == (dt.time(12, 30), dt.time(13, 30))
    assert set(meeting.types.values_list("code", flat=True)) == {"D"}
    assert Occurrence.objects.filter(meeting=meeting).order_by("starts_at").first().local_start == first_date
    _response, text = history_text(vera, meeting)
    assert "Reverted to the version of" in text
    assert "Thursday: 1:00 PM–2:00 PM → 12:30 PM–1:30 PM" in text
    assert "Types: − Speaker (SP)" in text


def test_reverting_brings_back_a_deleted_time_with_its_feed_slug(vera, meeting):
    slot = meeting.times.get()
    version = meeting.history.earliest().history_id
    page = vera.get(change_url(meeting))
    vera.post(change_url(meeting), change_form_data(page, **{"times-0-DELETE": "on"}))
    assert not meeting.times.exists()
    page = vera.get(version_url(meeting, version))
    assert vera.post(version_url(meeting, version), change_form_data(page)).status_code == 302
    restored = meeting.times.get()
    assert (restored.pk, restored.feed_slug, restored.start_time) == (slot.pk, slot.feed_slug, dt.time(12, 30))


def test_another_areas_volunteer_can_neither_see_nor_revert_it(client, django_user_model, colorado, meeting):
    bea = django_user_model.objects.create_user("bea", "bea@example.org", "a-long-passphrase-1")
    Membership.objects.create(user=bea, area=colorado)
    client.force_login(bea)
    original = meeting.history.earliest()
    slot = meeting.times.get()
    slot.start_time = dt.time(13)
    slot.save()
    assert client.get(history_url(meeting)).status_code == 403
    assert client.get(version_url(meeting, original.history_id)).status_code == 403
    assert client.post(version_url(meeting, original.history_id), {"name": "Hope on Main"}).status_code == 403
    assert meeting.times.get().start_time == dt.time(13)


def test_a_group_and_a_location_read_the_same_way(vera, arizona):
    group = make_group(arizona, name="Desert Hope")
    location = make_location(arizona, name="St. Mark's")
    for obj, changes, line in [
        (group, {"contact_public": "on"}, "Show contact publicly: no → yes"),
        (location, {"notes": "Side door"}, "Directions: — → Side door"),
    ]:
        page = vera.get(change_url(obj))
        assert vera.post(change_url(obj), change_form_data(page, **changes)).status_code == 302
        _response, text = history_text(vera, obj)
        assert line in text


def test_the_history_page_reads_a_fixed_number_of_queries_however_long_the_story(vera, meeting):
    def count():
        vera.get(history_url(meeting))
        with CaptureQueriesContext(connection) as captured:
            vera.get(history_url(meeting))
        return len(captured.captured_queries)

    page = vera.get(change_url(meeting))
    vera.post(change_url(meeting), change_form_data(page, name="Hope on Second"))
    few = count()
    for n in range(5):
        page = vera.get(change_url(meeting))
        vera.post(change_url(meeting), change_form_data(page, **{"times-0-start_time": f"{n + 1} pm"}))
    assert count() == few == 16


def test_a_superuser_still_reads_a_deleted_records_history(admin_client, arizona):
    gone = make_meeting(arizona, name="Gone Tomorrow")
    pk = gone.pk
    gone.delete()
    response = admin_client.get(reverse("admin:meetings_meeting_history", args=[pk]))
    assert response.status_code == 200
    assert "Gone Tomorrow" in response.content.decode()


def test_a_revert_that_would_clash_saves_nothing_and_says_so(vera, arizona):
    meeting = make_meeting(arizona, name="Twice", times=[(1, "19:00", "20:00"), (2, "19:00", "20:00")])
    version = meeting.history.latest().history_id
    monday, tuesday = meeting.times.order_by("weekday")
    monday.weekday = 3
    monday.save()
    tuesday.weekday = 1
    tuesday.save()  # now Tuesday's time stands where Monday's stood
    page = vera.get(version_url(meeting, version))
    response = vera.post(version_url(meeting, version), change_form_data(page, name="Reverted?"), follow=True)
    said = [str(message) for message in response.context["messages"]]
    assert len(said) == 1 and said[0].startswith("Nothing was reverted")  # and no "changed successfully"
    meeting.refresh_from_db()
    assert meeting.name == "Twice"
    assert sorted(meeting.times.values_list("weekday", flat=True)) == [1, 3]


@pytest.mark.django_db(transaction=True)
def test_a_revert_restores_a_dated_change_whose_author_has_left(client, django_user_model):
    """The author's account deleted since: the change comes back without a dangling author, not as a 500."""
    from meetings.models import Meeting, ScheduleChange
    from tests.factories import make_area

    area = make_area("Arizona", timezone="America/Phoenix")
    meeting = make_meeting(area, name="Hope", times=[(4, "12:30", "13:30")])
    gone = django_user_model.objects.create_user("gone", "g@example.org", "a-long-passphrase-1")
    change = ScheduleChange.objects.create(
        meeting=meeting, kind="cancelled", date=dt.date(2026, 12, 24), created_by=gone
    )
    meeting.name = "Hope 2"
    meeting.save()
    version = meeting.history.order_by("-history_id").first()
    gone.delete()  # SET NULL on the change, without a history row: its history still names the author
    vera = django_user_model.objects.create_user("vera", "v@example.org", "a-long-passphrase-1", is_staff=True)
    Membership.objects.create(user=vera, area=area)
    client.force_login(vera)
    url = reverse("admin:meetings_meeting_simple_history", args=[meeting.pk, version.history_id])
    response = client.post(url, change_form_data(client.get(url)))
    assert response.status_code == 302
    change.refresh_from_db()
    assert (change.date, change.created_by_id) == (dt.date(2026, 12, 24), None)
    assert Meeting.objects.get(pk=meeting.pk).name == "Hope 2"


def test_an_import_after_a_volunteers_save_is_an_entry_of_its_own(admin_client, arizona, superuser):
    """Bulk rows keep the version they found; they are still not the volunteer's save, nor hide it."""
    from meetings.models import Meeting

    meeting = make_meeting(arizona, name="Hope", times=[(4, "12:30", "13:30")])
    meeting.name, meeting._history_user = "Hope by Alice", superuser
    meeting.save()
    meeting = Meeting.objects.get(pk=meeting.pk)  # as an import reads it: nobody's
    meeting.name = "Hope from feed"
    Meeting.objects.bulk_update([meeting], ["name"])
    Meeting.history.bulk_history_create([meeting], update=True, default_change_reason="Imported")
    _response, text = history_text(admin_client, meeting)
    assert "Hope by Alice → Hope from feed" in text and "Hope → Hope by Alice" in text
