"""The volunteers' meeting list: light, a fixed number of queries, and what needs a look one click away."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from tests.factories import make_location, make_meeting

LIST = reverse("admin:meetings_meeting_changelist")


@pytest.fixture
def hundred(arizona):
    place = make_location(arizona)
    today = timezone.localdate()
    for n in range(100):
        make_meeting(
            arizona,
            name=f"Hope and Courage number {n}",
            location=place,
            types=["D", "SP"],
            times=[(1, "19:00", "20:00"), (4, "12:30", None)],
            last_verified=today,
        )


def test_a_page_of_100_meetings_weighs_under_150_kb_in_a_fixed_number_of_queries(
    admin_client, hundred, django_assert_num_queries
):
    admin_client.get(LIST)  # the session, the content types and the like, read once
    with django_assert_num_queries(8):
        response = admin_client.get(LIST)
    assert len(response.context["cl"].result_list) == 100
    assert len(response.content) < 150_000


def test_the_list_shows_status_attendance_and_last_verified_in_the_areas_clock(admin_client, hundred):
    body = admin_client.get(LIST).content.decode()
    for column in ("field-status", "field-attendance_label", "field-last_verified"):
        assert column in body
    assert "Mon 7:00 PM, Thu 12:30 PM" in body
    assert 'id="nav-sidebar"' not in body  # the width goes to the list


def test_the_list_loads_only_its_own_scripts(admin_client, hundred):
    body = admin_client.get(LIST).content.decode()
    assert "admin/js/actions.js" in body
    for heavy in ("xregexp", "jquery", "urlify", "prepopulate"):
        assert heavy not in body.lower()


def test_quick_filters_sit_above_the_list(admin_client, hundred):
    body = admin_client.get(LIST).content.decode()
    for query, label in [
        ("?quality=changed", "Changed in the last 24 hours"),
        ("?quality=no_pin", "Needs a pin"),
        ("?quality=stale", "Stale: not verified for 6 months"),
    ]:
        assert f'<a href="{query}">{label}</a>' in body


def test_each_quick_filter_lists_what_its_verb_says(admin_client, arizona, hundred):
    old = make_meeting(arizona, name="Old", last_verified=dt.date(2020, 1, 1))
    Meeting.objects.exclude(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=2))
    unpinned = make_meeting(arizona, name="Unpinned", location=make_location(arizona, latitude=None, longitude=None))

    def listed(query):
        return {m.name for m in admin_client.get(LIST + query).context["cl"].result_list}

    assert listed("?quality=changed") == {"Old", "Unpinned"}  # the others were saved two days ago
    assert listed("?quality=no_pin") == {unpinned.name}
    assert listed("?quality=stale") == {"Old", "Unpinned"}
    page = admin_client.get(LIST + "?quality=stale").content.decode()
    assert '<a href="?quality=stale" aria-current="page">' in page
