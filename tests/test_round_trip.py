"""Round trip: import a real feed, export it, compare every fact the format carries, row by row.

"Identical" counts rows whose every fact came back unchanged. A city-only
place never shows its name, directions or exact pin (published_place), so
the share that counts is of rows identical but for those, and every other
difference must have a reason (compare_feeds prints them all).
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from groups.models import ServiceArea
from meetings.importing import import_feed
from meetings.meeting_guide import comparing

FEEDS = ["aasanjose-tsml-693-meetings.json", "orange-county-tsml-1967-meetings.json"]


@pytest.fixture
def target(world):
    return ServiceArea.objects.create(name="Target", slug="target", parent=world, timezone="America/Los_Angeles")


@pytest.mark.parametrize("name", FEEDS)
def test_a_real_feed_comes_back_with_every_fact_or_a_reason(target, feeds_dir, tmp_path, name):
    source = feeds_dir / name
    rows = json.loads(source.read_text())
    import_feed(rows, area=target)
    export = tmp_path / "export.json"
    call_command("export_meetings", "--area", "target", "--output", str(export))
    result = comparing.compare(rows, json.loads(export.read_text()))
    print(
        f"{name}: {result.percent(result.identical):.1f}% identical, "
        f"{result.percent(result.identical_but_withheld):.1f}% but for what a city-only place never shows"
    )
    assert result.percent(result.identical_but_withheld) >= 99
    assert comparing.UNEXPLAINED not in result.reasons, [d for d in result.differences if d[-1] == "unexplained"]
    assert result.extra == []
    assert result.identical < result.identical_but_withheld  # the real feeds have city-only places
    out = StringIO()
    call_command("compare_feeds", str(source), str(export), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[1].startswith(f"identical: {result.identical} ")
    assert len(lines) == 4 + len(result.reasons) + len(result.missing) + len(result.differences)


def test_compare_feeds_names_each_kind_of_difference(tmp_path):
    a = [
        {"name": "Hope", "slug": "hope", "day": 1, "time": "19:00", "types": ["O", "C", "D"],
         "conference_url": "http://zoom.example.com/j/1", "formatted_address": "100 Main St, Phoenix, AZ 85004, USA"},
        {"name": "Gone", "slug": "gone", "day": 2, "time": "7:00", "formatted_address": "Phoenix, AZ, USA"},
        {"name": "Changed", "slug": "changed", "day": 3, "time": "8:00", "notes": "Before",
         "formatted_address": "1 Elm St, Media PA, 19040"},
    ]  # fmt: skip
    b = [
        {"name": "Hope", "slug": "hope", "day": 1, "time": "19:00", "types": ["D", "ONL"],
         "conference_url": "https://zoom.example.com/j/1", "address": "100 Main St", "city": "Phoenix",
         "state": "AZ", "postal_code": "85004", "country": "US", "approximate": "no"},
        {"name": "Changed", "slug": "changed", "day": 3, "time": "08:00", "notes": "After",
         "address": "1 Elm St", "city": "Media", "state": "PA", "postal_code": "19040", "country": "US"},
    ]  # fmt: skip
    result = comparing.compare(a, b)
    assert result.identical == 0
    assert [(d[1], d[-1]) for d in result.differences] == [
        ("types", "both open and closed: published as not known"),
        ("conference_url", "http:// join link published as https://"),
        ("notes", "unexplained"),
    ]
    assert [(n, slug, reason.split(" (")[0]) for n, slug, reason in result.missing] == [(2, "gone", "no way to attend")]
