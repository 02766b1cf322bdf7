"""Long-lived objects are kept out of the garbage collector's full collections (see ha_directory.lifetime)."""

import gc

from ha_directory import lifetime
from meetings import places


def test_the_first_request_freezes_what_the_process_keeps_then_stops_listening(client, db):
    lifetime.connect()  # as MeetingsConfig.ready does; a no-op if the first request of this run already came
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    client.get("/healthz")
    assert gc.get_freeze_count() > 0
    gc.unfreeze()
    client.get("/healthz")
    assert gc.get_freeze_count() == 0  # only the first request freezes: it stopped listening


def test_a_reference_table_is_frozen_when_it_loads(db):
    places.countries.cache_clear()
    gc.unfreeze()
    table = places.countries()
    assert table["gb"] == "GB"
    assert gc.get_freeze_count() > 0
    assert places.countries() is table  # loaded once per process
