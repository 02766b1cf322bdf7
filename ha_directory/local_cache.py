"""Django's local-memory cache, without its check of every key for memcached (see KeysNotCheckedForMemcached)."""

from django.core.cache.backends.locmem import LocMemCache


class KeysNotCheckedForMemcached:
    """Skip Django's warning about keys memcached would refuse (over 250 characters, spaces, control characters).

    Django checks each key on every call, whatever the backend: a page that
    reads 200 kept cards' parts and rows spent 0.75 ms on it. The directory
    runs on local memory or Redis only (settings.cache_from_url), which take
    any key; keys that hold what a visitor typed are hashed (page_cache.py).
    """

    def validate_key(self, key):
        return None


class LocalMemoryCache(KeysNotCheckedForMemcached, LocMemCache):
    pass
