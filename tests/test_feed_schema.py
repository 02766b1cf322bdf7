"""Our feed validates against the Meeting Guide schema: the demo, and the re-export of each real feed."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from groups.models import ServiceArea
from meetings.importing import import_feed
from tests.meeting_guide_schema import violations

FEEDS = ["aasanjose-tsml-693-meetings.json", "orange-county-tsml-1967-meetings.json"]


def exported(*args):
    out = StringIO()
    call_command("export_meetings", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_demo_feed_has_no_violation(db):
    call_command("load_demo", stdout=StringIO())
    objects = exported()
    assert len(objects) > 150
    assert violations(objects) == []


@pytest.mark.parametrize("name", FEEDS)
def test_the_re_export_of_a_real_feed_has_no_violation(world, name, feeds_dir):
    area = ServiceArea.objects.create(name="Target", slug="target", parent=world, timezone="America/Los_Angeles")
    import_feed(json.loads((feeds_dir / name).read_text()), area=area)
    objects = exported("--area", "target")
    assert len(objects) > 600
    assert violations(objects) == []


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"day": None}, "day"),  # how a meeting by appointment used to be written
        ({"time": ""}, "time"),
        ({"conference_phone": ""}, "conference_phone"),
        ({"slug": "x" * 65}, "slug"),
        ({"conference_phone": "555-0100"}, "conference_phone"),  # not a fault of the schema: not dialable
        ({"types": ["O", "ZZ"]}, "types.1"),
    ],
)
def test_only_the_schemas_own_faults_are_discounted(fields, field):
    obj = {"name": "Hope", "slug": "hope", "day": 1, "time": "19:00", **fields}
    assert [path for _slug, path, _message in violations([obj])] == [field]


def test_the_faults_listed_with_the_schema_are_discounted():
    obj = {
        "name": "Hope", "slug": "hope", "day": 1, "time": "19:00", "types": ["ONL", "O"],
        "formatted_address": "137 High St, London, N1 9GU, GB", "postal_code": "N1 9GU", "city": "St. Albans",
        "conference_phone": "+16699009128,,71771828957#,,#,,777644#",
    }  # fmt: skip
    assert violations([obj]) == []
