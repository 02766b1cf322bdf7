"""The shared rate limiter: exact counts across cache clients (workers, hosts), and no address stored."""

import datetime as dt
import threading

import time_machine

from ha_directory import ratelimit
from ha_directory.redis_cache import ResilientRedisCache

# A database number of its own on the local Redis, emptied around each test (redis_db, tests/conftest.py).
REDIS_URL = "redis://127.0.0.1:6379/15"


def worker_cache():
    """A cache client of its own, as each gunicorn worker on each host has."""
    return ResilientRedisCache(REDIS_URL, {})


def test_two_workers_share_one_count(redis_db):
    first, second = worker_cache(), worker_cache()
    allowed = [ratelimit.hit("report", "203.0.113.7", 20, 3600, cache=c) for c in [first, second] * 20]
    assert allowed.count(True) == 20
    assert allowed[:20] == [True] * 20


def test_concurrent_hits_never_let_more_through_than_the_limit(redis_db):
    results, barrier = [], threading.Barrier(8)

    def worker():
        cache = worker_cache()
        barrier.wait()
        for _ in range(25):
            results.append(ratelimit.hit("login", "203.0.113.7", 50, 3600, cache=cache))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 200
    assert results.count(True) == 50


def test_keys_and_scopes_are_counted_apart(redis_db):
    cache = worker_cache()
    assert ratelimit.hit("report", "203.0.113.7", 1, 3600, cache=cache)
    assert not ratelimit.hit("report", "203.0.113.7", 1, 3600, cache=cache)
    assert ratelimit.hit("report", "203.0.113.8", 1, 3600, cache=cache)
    assert ratelimit.hit("reset", "203.0.113.7", 1, 3600, cache=cache)


def test_exceeded_reads_without_counting(redis_db):
    cache = worker_cache()
    assert not ratelimit.exceeded("login", "203.0.113.7", 2, 3600, cache=cache)
    ratelimit.hit("login", "203.0.113.7", 2, 3600, cache=cache)
    assert not ratelimit.exceeded("login", "203.0.113.7", 2, 3600, cache=cache)
    ratelimit.hit("login", "203.0.113.7", 2, 3600, cache=cache)
    assert ratelimit.exceeded("login", "203.0.113.7", 2, 3600, cache=cache)


def test_the_cache_holds_no_address_or_email_and_every_key_expires(redis_db):
    cache = worker_cache()
    ratelimit.hit("report", "203.0.113.7", 5, 3600, cache=cache)
    ratelimit.hit("reset", "vera@example.org", 5, 3600, cache=cache)
    keys = [key.decode() for key in redis_db.keys("*")]
    assert len(keys) == 2
    assert not any("203.0.113.7" in key or "vera" in key for key in keys)
    assert all(0 < redis_db.ttl(key) <= 3600 + 60 for key in keys)


def test_a_new_window_starts_a_new_count(redis_db):
    cache = worker_cache()
    with time_machine.travel(dt.datetime(2026, 11, 26, 12, 0, 5, tzinfo=dt.UTC), tick=False) as clock:
        assert ratelimit.hit("report", "203.0.113.7", 1, 60, cache=cache)
        assert not ratelimit.hit("report", "203.0.113.7", 1, 60, cache=cache)
        clock.shift(60)
        assert ratelimit.hit("report", "203.0.113.7", 1, 60, cache=cache)


def test_the_default_cache_is_used_when_none_is_given(settings):
    from django.core.cache import cache

    cache.clear()
    assert ratelimit.hit("pdf", "203.0.113.7", 1, 60)
    assert not ratelimit.hit("pdf", "203.0.113.7", 1, 60)
