"""The move to structured requests: each gets its meeting's area; closed ones lose the visitor's contact."""

from importlib import import_module

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from meetings.models import ChangeRequest
from tests.factories import make_meeting

MIGRATION = ("meetings", "0010_change_requests_confirmations")


def test_requests_closed_before_keep_no_contact_and_each_gets_its_meetings_area(arizona, colorado):
    meeting = make_meeting(arizona, name="Hope")
    kept = ChangeRequest.objects.create(meeting=meeting, message="New time", contact="sam@example.org")
    closed = ChangeRequest.objects.create(
        meeting=meeting, message="Old", contact="kim@example.org", status=ChangeRequest.Status.DISMISSED
    )
    ChangeRequest.objects.update(area=colorado)  # as if not filled yet
    historical = MigrationExecutor(connection).loader.project_state(MIGRATION).apps
    import_module("meetings.migrations.0010_change_requests_confirmations").fill_areas(
        historical, connection.schema_editor()
    )
    kept.refresh_from_db()
    closed.refresh_from_db()
    assert (kept.contact, kept.area_id) == ("sam@example.org", arizona.pk)
    assert (closed.contact, closed.area_id) == ("", arizona.pk)
