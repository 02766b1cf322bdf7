"""The developers' load test reads an admin form as a browser sends it, and posting that back saves nothing new."""

from django.urls import reverse

from devtools.management.commands.load_test import form_fields
from tests.factories import make_meeting


def test_the_form_reader_sends_back_what_the_admin_page_shows(admin_client, arizona):
    meeting = make_meeting(arizona, name="Hope", notes="Coffee first.", types=["D"])
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    fields = form_fields(admin_client.get(url).content.decode(), "meeting_form")
    assert fields["name"] == ["Hope"] and fields["notes"] == ["Coffee first."]
    assert fields["times-TOTAL_FORMS"] and fields["types"]
    fields["notes"] = ["Coffee first, then the meeting."]
    response = admin_client.post(url, fields)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.notes == "Coffee first, then the meeting."
    assert [t.code for t in meeting.types.all()] == ["D"]
