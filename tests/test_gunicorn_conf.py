"""gunicorn's configuration loads what a worker keeps for life, then freezes it out of the garbage collector."""

import gc
import runpy
import weakref
from pathlib import Path

from ha_directory import worker
from meetings import places

CONF = Path(__file__).resolve().parents[1] / "gunicorn.conf.py"


def test_a_worker_loads_the_reference_tables_then_freezes_them(db):
    conf = runpy.run_path(str(CONF))
    places.world_cities.cache_clear()
    gc.unfreeze()
    threshold = gc.get_threshold()
    try:
        conf["post_worker_init"](worker=None)
        assert places.world_cities.cache_info().currsize == 1
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (worker.YOUNG_OBJECTS, *threshold[1:]) != threshold
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


class Node:
    pass


def test_garbage_is_freed_before_the_freeze_not_kept_for_life(db):
    """A cycle nobody holds, frozen, would never be freed: prepare() collects first."""
    cycle = Node()
    cycle.me = cycle
    alive = weakref.ref(cycle)
    del cycle
    gc.unfreeze()
    gc.disable()  # only prepare()'s own collection may free it
    threshold = gc.get_threshold()
    try:
        worker.prepare()
        assert alive() is None
    finally:
        gc.enable()
        gc.unfreeze()
        gc.set_threshold(*threshold)


def test_gunicorn_serves_the_project_and_writes_no_access_log():
    conf = runpy.run_path(str(CONF))
    assert conf["wsgi_app"] == "ha_directory.wsgi"
    assert conf["accesslog"] is None


def test_tests_and_runserver_never_freeze(client, db):
    gc.unfreeze()
    client.get("/healthz")
    assert gc.get_freeze_count() == 0
