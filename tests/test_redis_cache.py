"""While Redis cannot be reached the site answers from the database (ha_directory/redis_cache.py), and once it is
back nothing kept before a lost edit is served again."""

import logging

import pytest
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError

from ha_directory import ratelimit, redis_cache
from ha_directory.redis_cache import ResilientRedisCache
from meetings.freshness import bump_listings_version, listings_version
from tests.factories import make_location, make_meeting

NOBODY_LISTENS = "redis://127.0.0.1:1/0"  # connection refused at once
REDIS_URL = "redis://127.0.0.1:6379/13"  # a database number of its own on the local Redis


@pytest.fixture(autouse=True)
def fresh_health(monkeypatch):
    """Each test's process starts with Redis believed up, on a clock the test moves."""
    monkeypatch.setattr(redis_cache, "_health", {})
    clock = [1000.0]
    monkeypatch.setattr(redis_cache, "monotonic", lambda: clock[0])
    return clock


class Outage:
    """Makes one cache object's Redis fail like a stopped server, and counts the attempts."""

    def __init__(self, cache, monkeypatch):
        self.attempts = 0
        self.on = False
        real = cache._cache.get_client

        def get_client(*args, **kwargs):
            if self.on:
                self.attempts += 1
                raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
            return real(*args, **kwargs)

        monkeypatch.setattr(cache._cache, "get_client", get_client)


def test_an_unreachable_cache_answers_like_one_that_holds_nothing():
    cache = ResilientRedisCache(NOBODY_LISTENS, {})
    with pytest.raises(RedisConnectionError):
        RedisCache(NOBODY_LISTENS, {}).get("x")  # what Django's own backend does: a 500 for the page
    assert cache.get("x") is None
    assert cache.get("x", "default") == "default"
    assert cache.get_many(["x", "y"]) == {}
    assert cache.has_key("x") is False
    assert cache.set("x", 1) is None
    assert cache.add("x", 1) is True
    assert cache.delete("x") is False
    with pytest.raises(ValueError):
        cache.incr("x")
    with pytest.raises(ValueError):
        cache.decr("x")
    assert cache.get_or_set("x", lambda: "computed") == "computed"
    assert ratelimit.hit("report", "203.0.113.7", 1, 3600, cache=cache)
    assert ratelimit.hit("report", "203.0.113.7", 1, 3600, cache=cache)  # counts are lost: requests go through
    assert not ratelimit.exceeded("login-failures", "203.0.113.7", 1, 3600, cache=cache)


def test_connections_and_replies_time_out_unless_the_url_says_otherwise():
    def timeouts(url, params=None):
        pool = ResilientRedisCache(url, params or {})._cache._get_connection_pool(write=False)  # connects to nothing
        return pool.connection_kwargs["socket_connect_timeout"], pool.connection_kwargs["socket_timeout"]

    assert timeouts(NOBODY_LISTENS) == (redis_cache.CONNECT_TIMEOUT, redis_cache.REPLY_TIMEOUT)
    assert timeouts(NOBODY_LISTENS + "?socket_timeout=7&socket_connect_timeout=3") == (3.0, 7.0)
    assert timeouts(NOBODY_LISTENS, {"OPTIONS": {"socket_timeout": 9}}) == (redis_cache.CONNECT_TIMEOUT, 9)


def test_after_a_failure_redis_is_left_alone_until_the_retry_time(redis_db, monkeypatch, fresh_health, caplog):
    cache = ResilientRedisCache(REDIS_URL, {})
    outage = Outage(cache, monkeypatch)
    outage.on = True
    with caplog.at_level(logging.WARNING, logger="ha_directory.redis_cache"):
        for _ in range(50):
            assert cache.get("x", "default") == "default"
        assert outage.attempts == 1
        fresh_health[0] += redis_cache.RETRY_SECONDS + 0.1
        cache.get("x")
        assert outage.attempts == 2  # tried again, still down
        outage.on = False
        fresh_health[0] += redis_cache.RETRY_SECONDS + 0.1
        cache.set("x", "back")
        assert cache.get("x") == "back"
    messages = [record.getMessage() for record in caplog.records]
    assert len([m for m in messages if "cannot be reached" in m]) == 1  # once per outage, not per call
    assert "The cache can be reached again." in messages


def test_the_other_threads_cache_objects_know_redis_is_down(redis_db, monkeypatch):
    """Django gives each thread a cache object of its own; they share what the process knows of Redis."""
    first, second = ResilientRedisCache(REDIS_URL, {}), ResilientRedisCache(REDIS_URL, {})
    Outage(first, monkeypatch).on = True
    second_outage = Outage(second, monkeypatch)
    second_outage.on = True
    first.get("x")
    second.get("x")
    assert second_outage.attempts == 0


def test_writes_lost_while_redis_was_away_empty_it_before_anything_is_read(redis_db, monkeypatch, fresh_health):
    """The lost write may have been an edit's bump of the listings version: what was kept before the edit must
    not be served once Redis is back."""
    cache = ResilientRedisCache(REDIS_URL, {})
    cache.set("listings:version", 7, timeout=None)
    cache.set("page:v7", "the page before the edit")
    outage = Outage(cache, monkeypatch)
    outage.on = True
    with pytest.raises(ValueError):
        cache.incr("listings:version")  # the edit's bump, lost
    outage.on = False
    fresh_health[0] += redis_cache.RETRY_SECONDS + 0.1
    assert cache.get("listings:version") is None
    assert cache.get("page:v7") is None
    assert redis_db.dbsize() == 0
    cache.set("page:v8", "rebuilt")
    assert cache.get("page:v8") == "rebuilt"  # emptied once, not at every call


def test_writes_skipped_during_the_wait_count_as_lost(redis_db, monkeypatch, fresh_health):
    cache = ResilientRedisCache(REDIS_URL, {})
    cache.set("kept", 1)
    outage = Outage(cache, monkeypatch)
    outage.on = True
    cache.get("x")  # a read fails: Redis is left alone for a while
    outage.on = False
    cache.delete("kept")  # within the wait: not sent, so lost
    assert outage.attempts == 1
    fresh_health[0] += redis_cache.RETRY_SECONDS + 0.1
    assert cache.get("kept") is None


def test_failed_reads_alone_leave_what_is_kept(redis_db, monkeypatch, fresh_health):
    cache = ResilientRedisCache(REDIS_URL, {})
    cache.set("kept", 1)
    outage = Outage(cache, monkeypatch)
    outage.on = True
    assert cache.get("kept") is None
    assert cache.add("other", 2) is True  # an add lost leaves nothing stale
    outage.on = False
    fresh_health[0] += redis_cache.RETRY_SECONDS + 0.1
    assert cache.get("kept") == 1


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {"BACKEND": "ha_directory.redis_cache.ResilientRedisCache", "LOCATION": NOBODY_LISTENS}
    }


@pytest.fixture
def directory(arizona):
    make_meeting(arizona, name="Hope", location=make_location(arizona), types=["D"])
    make_meeting(arizona, name="Zoom Hope", location=None, conference_url="https://meet.example.com/z")


PAGES = [
    "/", "/meetings/", "/meetings/?near=85004&radius=10", "/meetings/?q=hope", "/meetings/?upcoming=1",
    "/meetings/hope-phoenix/", "/meetings/hope-phoenix.ics", "/meetings/hope-phoenix/report/", "/areas/arizona/",
    "/print/?area=arizona", "/feeds/meeting-guide.json", "/feeds/meetings.csv", "/api/v1/meetings?near=85004",
    "/sitemap.xml", "/admin/login/",
]  # fmt: skip


@pytest.mark.parametrize("url", PAGES)
def test_every_page_is_served_while_redis_is_down(client, directory, redis_down, url):
    response = client.get(url)
    assert response.status_code == 200, url
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if url.startswith(("/meetings/?near", "/meetings/?q", "/areas/", "/feeds/meeting-guide", "/api/")):
        assert b"Hope" in body


def test_an_edit_and_a_report_while_redis_is_down(client, directory, redis_down):
    from meetings.models import Meeting

    meeting = Meeting.objects.get(slug="hope-phoenix")
    meeting.name = "Hope Renamed"
    meeting.save()  # its signal bumps the listings version: lost, not an error
    bump_listings_version()
    assert listings_version() is None
    assert b"Hope Renamed" in client.get("/meetings/hope-phoenix/").content
    response = client.post(
        "/meetings/hope-phoenix/report/",
        {"kind": "other", "message": "The door is round the back.", "contact": "", "website": ""},
    )
    assert response.status_code < 500
