"""An import costs a fixed number of queries per batch of meetings, whatever their number, and says its progress."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.importing import import_feed, matching


def rows(count):
    return [
        {
            "name": f"Meeting {n}", "slug": f"m-{n}", "day": n % 7, "time": "19:00", "types": ["D", "O", "W"],
            "formatted_address": f"{n} Main St, Phoenix, AZ 85004, USA", "latitude": 33.4, "longitude": -112.0,
            "group": f"Group {n % 5}", "updated": "2023-08-29 15:56:59",
        }
        for n in range(count)
    ]  # fmt: skip


def queries(area, count):
    with CaptureQueriesContext(connection) as captured:
        report = import_feed(rows(count), area=area)
    assert report.created == count
    return len(captured.captured_queries)


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(matching, "BATCH", 20)


def test_an_import_costs_the_same_queries_for_ten_meetings_or_a_hundred(monkeypatch, arizona, colorado):
    # Django cuts an INSERT on SQLite at 999 parameters (SQLite allows 32,766 since 3.32): let it not.
    monkeypatch.setattr(connection.features, "max_query_params", 32766 if connection.vendor == "sqlite" else None)
    assert queries(arizona, 10) == queries(colorado, 100)


def test_each_further_batch_costs_the_same_fixed_number(small_batches, arizona, colorado, phoenix_district):
    one, two, three = queries(arizona, 20), queries(colorado, 40), queries(phoenix_district, 60)
    assert two - one == three - two < 30


def test_a_second_import_of_the_same_feed_reads_and_writes_nothing_per_meeting(arizona):
    queries(arizona, 10)
    with CaptureQueriesContext(connection) as small:
        import_feed(rows(10), area=arizona)
    import_feed(rows(100), area=arizona)
    with CaptureQueriesContext(connection) as large:
        assert import_feed(rows(100), area=arizona).unchanged == 100
    assert len(small.captured_queries) == len(large.captured_queries)


def test_progress_is_reported(small_batches, arizona):
    seen = []
    import_feed(rows(50), area=arizona, progress=lambda done, total, what: seen.append((done, total, what)))
    assert seen == [(20, 50, "meetings written"), (40, 50, "meetings written"), (50, 50, "meetings written")]
