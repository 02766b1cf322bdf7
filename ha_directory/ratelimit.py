"""One rate limiter for the whole site, counted in the shared cache.

    if not ratelimit.hit("report", client_address(request), limit=5, window_seconds=3600):
        ...refuse with a 429...

Counts live in Django's cache under fixed windows (the window's number is part
of the key), so with CACHE_URL=redis://... every worker on every host adds to
the same counter: `add` creates it atomically and `incr` is Redis's INCR. With
the default local-memory cache each process counts on its own, which is fine
for development only (the README says so).

Keys are an HMAC of the scope and the key under SECRET_KEY: the cache never
holds an address or an email, and nobody who reads it can test guesses
against it without the secret.
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache as default_cache


def hit(scope, key, limit, window_seconds, *, cache=None):
    """Count one event for `key` in `scope`; True while the window's count is within `limit`."""
    return _count(scope, key, window_seconds, cache or default_cache, add=1) <= limit


def exceeded(scope, key, limit, window_seconds, *, cache=None):
    """Whether `key` has already used up `limit` events in this window (counts nothing)."""
    return _count(scope, key, window_seconds, cache or default_cache, add=0) >= limit


def _count(scope, key, window_seconds, cache, add):
    cache_key = cache_key_for(scope, key, window_seconds)
    # The counter outlives its window by a margin, so it never expires between
    # Django's existence check and Redis's INCR (which would recreate it
    # without a time-out); nobody counts into a past window anyway.
    timeout = window_seconds + 60
    if not add:
        return cache.get(cache_key, 0)
    if cache.add(cache_key, add, timeout=timeout):
        return add
    try:
        return cache.incr(cache_key, add)
    except ValueError:  # evicted between add and incr: start again
        cache.add(cache_key, add, timeout=timeout)
        return add


def cache_key_for(scope, key, window_seconds):
    window = int(time.time() // window_seconds)
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{scope}\0{key}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"ratelimit:{scope}:{window_seconds}:{window}:{digest}"
