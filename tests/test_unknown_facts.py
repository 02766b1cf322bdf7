"""What an import did not say stays unsaid: open/closed and language may be unknown, on pages too."""

from tests.factories import make_meeting


def test_a_meeting_of_unknown_access_is_called_neither_open_nor_closed(client, arizona):
    meeting = make_meeting(arizona, name="Unsaid", access="", language="")
    body = client.get(meeting.get_absolute_url()).content.decode()
    assert "This is a closed meeting" not in body and "This is an open meeting" not in body
    assert 'class="badge "' not in body and 'class="badge closed"' not in body
    listing = client.get("/meetings/").content.decode()
    assert "Unsaid" in listing and 'class="badge closed"' not in listing and 'lang=""' not in listing


def test_a_closed_meeting_still_says_so(client, arizona):
    meeting = make_meeting(arizona, name="Members", access="closed")
    assert "This is a closed meeting" in client.get(meeting.get_absolute_url()).content.decode()


def test_the_api_calendar_and_print_serve_a_meeting_of_unknown_access(client, arizona):
    meeting = make_meeting(arizona, name="Unsaid", access="", language="")
    api = client.get("/api/v1/meetings")
    assert api.status_code == 200 and api.json()["results"][0]["access"] == ""
    assert client.get(f"/meetings/{meeting.slug}.ics").status_code == 200
    assert client.get("/print/?area=arizona").status_code == 200
