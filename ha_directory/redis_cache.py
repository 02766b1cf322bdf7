"""Django's Redis cache, except that the site keeps working while Redis cannot be reached.

Everything this directory keeps in the cache can be rebuilt from the
database: pages kept for the minute, cards' parts, rows, feed pieces, the
listings' version numbers, rate-limit counters. So when Redis is down, slow
or refusing writes, a request should be served a little slower, not with a
500. While it cannot be reached this backend answers the way Django's
DummyCache does (nothing found, writes accepted and forgotten, `incr` raises
ValueError), which the callers already handle as a cache that holds nothing:
pages are built from the database, counters start again (rate limits let
requests through; django-axes still locks a username in the database).

- **A short breaker.** After a failure the process leaves Redis alone for
  `RETRY_SECONDS`, so an outage does not cost every call a connection
  attempt (or, to a host that does not answer, a timeout).
- **Timeouts.** Connections give up after `CONNECT_TIMEOUT` and a reply after
  `REPLY_TIMEOUT` seconds; `?socket_timeout=...&socket_connect_timeout=...`
  in CACHE_URL overrides both.
- **Nothing stale afterwards.** A write lost while Redis was away may have
  been the bump of a listings version (meetings/freshness.py): the copies
  kept before the edit would then be served again once Redis is back. So the
  first process to reach Redis again after losing a write empties the
  cache's database (FLUSHDB), and everything is rebuilt as visitors ask.
  CACHE_URL's database must therefore be this directory's alone.
"""

import functools
import logging
import threading
from time import monotonic

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

from ha_directory.local_cache import KeysNotCheckedForMemcached

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
CONNECT_TIMEOUT = 0.5
REPLY_TIMEOUT = 2.0


class _Health:
    """What one process knows about one Redis location (shared by its threads' cache objects)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down = False  # the last call failed
        self.down_until = 0.0  # monotonic() before which Redis is not tried
        self.lost_writes = False  # a write failed or was skipped since Redis was last reached


_health = {}
_health_lock = threading.Lock()


def health_of(location):
    with _health_lock:
        return _health.setdefault(location, _Health())


def _when_unreachable(fallback, *, writes):
    """Run the method against Redis; while Redis is unreachable, answer with `fallback(*args, **kwargs)`."""

    def decorate(method):
        @functools.wraps(method)
        def guarded(self, *args, **kwargs):
            health = self._health
            if monotonic() < health.down_until:
                if writes:
                    health.lost_writes = True
                return fallback(*args, **kwargs)
            try:
                if health.lost_writes:
                    self._empty_after_outage()
                result = method(self, *args, **kwargs)
            except RedisError as error:
                self._went_down(error, writes)
                return fallback(*args, **kwargs)
            if health.down:
                health.down = False
                logger.warning("The cache can be reached again.")
            return result

        return guarded

    return decorate


def _default(key, default=None, version=None):
    return default


def _not_found(key, delta=1, version=None):  # decr too: Django's calls incr
    raise ValueError(f"Key '{key}' not found.")  # what DummyCache says: the caller counts from scratch


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _true(*args, **kwargs):
    return True


def _empty_dict(*args, **kwargs):
    return {}


def _no_failed_keys(*args, **kwargs):
    return []


class ResilientRedisCache(KeysNotCheckedForMemcached, RedisCache):
    def __init__(self, server, params):
        options = params.get("OPTIONS", {})
        params = {
            **params,
            "OPTIONS": {"socket_connect_timeout": CONNECT_TIMEOUT, "socket_timeout": REPLY_TIMEOUT, **options},
        }
        super().__init__(server, params)
        self._health = health_of(server)

    def _went_down(self, error, writes):
        health = self._health
        with health.lock:
            was_up = not health.down
            health.down = True
            health.down_until = monotonic() + RETRY_SECONDS
            health.lost_writes = health.lost_writes or writes
        if was_up:
            logger.warning("The cache cannot be reached (%s); pages are built without it for now.", error)

    def _empty_after_outage(self):
        """Redis answers again, but writes were lost while it did not: empty it before anything is read."""
        super().clear()
        self._health.lost_writes = False
        logger.warning("The cache is back; it was emptied, as writes made while it was away were lost.")

    get = _when_unreachable(_default, writes=False)(RedisCache.get)
    get_many = _when_unreachable(_empty_dict, writes=False)(RedisCache.get_many)
    has_key = _when_unreachable(_false, writes=False)(RedisCache.has_key)
    # A lost add or touch leaves nothing stale behind; a lost set, delete or incr may (a listings version).
    add = _when_unreachable(_true, writes=False)(RedisCache.add)
    set = _when_unreachable(_nothing, writes=True)(RedisCache.set)
    set_many = _when_unreachable(_no_failed_keys, writes=True)(RedisCache.set_many)
    touch = _when_unreachable(_false, writes=False)(RedisCache.touch)
    delete = _when_unreachable(_false, writes=True)(RedisCache.delete)
    delete_many = _when_unreachable(_nothing, writes=True)(RedisCache.delete_many)
    incr = _when_unreachable(_not_found, writes=True)(RedisCache.incr)
    clear = _when_unreachable(_nothing, writes=True)(RedisCache.clear)
