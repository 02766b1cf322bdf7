"""Every admin list and add page opens for a superuser, in a bounded number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_group, make_meeting, meeting_change_form

MODELS = [
    ("groups", "servicearea"),
    ("groups", "group"),
    ("meetings", "location"),
    ("meetings", "meetingtype"),
    ("meetings", "meeting"),
    ("auth", "user"),
    ("groups", "membership"),
]
CHANGELIST_ONLY = [("meetings", "changerequest")]  # requests come from the public form, not the admin


@pytest.fixture
def listings(arizona, phoenix_district):
    for n in range(12):
        group = make_group(phoenix_district)
        make_meeting(
            phoenix_district, group=group, types=["D", "W"], times=[(n % 7, "19:00", None), (3, "12:00", None)]
        )


@pytest.mark.parametrize(("app", "model"), MODELS)
def test_the_add_page_opens(admin_client, app, model):
    response = admin_client.get(reverse(f"admin:{app}_{model}_add"))
    assert response.status_code == 200


def test_change_requests_cannot_be_added_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:meetings_changerequest_add")).status_code == 403


@pytest.mark.parametrize(("app", "model"), MODELS + CHANGELIST_ONLY)
def test_the_changelist_opens_in_a_bounded_number_of_queries(
    admin_client, listings, django_assert_max_num_queries, app, model
):
    with django_assert_max_num_queries(15):
        response = admin_client.get(reverse(f"admin:{app}_{model}_changelist"))
    assert response.status_code == 200


def test_the_meeting_changelist_does_not_grow_with_the_meetings(admin_client, arizona, django_assert_num_queries):
    url = reverse("admin:meetings_meeting_changelist")
    make_meeting(arizona)
    admin_client.get(url)  # warm the session and the content types
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    for _ in range(10):
        make_meeting(arizona, types=["D"], times=[(1, "19:00", None), (2, "19:00", None)])
    with django_assert_num_queries(len(few)):
        admin_client.get(url)


@pytest.mark.parametrize("params", ["day=3", "attendance=online", "type=W", "status=active", "q=Meeting"])
def test_the_meeting_filters_work(admin_client, listings, params):
    response = admin_client.get(reverse("admin:meetings_meeting_changelist") + "?" + params)
    assert response.status_code == 200


def test_a_meeting_saved_in_the_admin_records_who(admin_client, superuser, arizona):
    meeting = make_meeting(arizona)
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    form = meeting_change_form(
        meeting, name="Renamed", **{"times-0-weekday": "2", "times-0-start_time": "18:30", "times-0-end_time": "19:30"}
    )
    response = admin_client.post(url, form)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    meeting.refresh_from_db()
    assert meeting.name == "Renamed"
    assert meeting.updated_by == superuser
    assert meeting.times.get().weekday == 2


def test_the_admin_refuses_a_time_that_makes_no_sense(admin_client, arizona):
    meeting = make_meeting(arizona)
    form = meeting_change_form(meeting, **{"times-0-start_time": "19:00", "times-0-end_time": "19:00"})
    response = admin_client.post(reverse("admin:meetings_meeting_change", args=[meeting.pk]), form)
    assert response.status_code == 200
    assert "cannot end when it starts" in response.content.decode()


def test_the_admin_reminds_volunteers_to_use_first_names(admin_client):
    response = admin_client.get(reverse("admin:meetings_meeting_add"))
    assert "First names and last initials only" in response.content.decode()
