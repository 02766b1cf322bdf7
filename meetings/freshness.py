"""One version number for "the listings as they are now", bumped by every save.

Cached feeds are stored under a key that includes it, so an edit makes every
cached copy unreachable at once, in every process that shares the cache
(CACHE_URL=redis://... in production; local memory serves one process only).
"""

import time

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "listings:version"


def listings_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        # Nanoseconds: a cache that lost the key never reuses an old version.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump_listings_version(**kwargs):
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def versioned_key(name):
    return f"{name}:v{listings_version()}"


LISTING_MODELS = [
    "meetings.Meeting",
    "meetings.MeetingTime",
    "meetings.ScheduleChange",
    "meetings.Location",
    "meetings.MeetingType",
    "groups.Group",
    "groups.ServiceArea",
]


def connect():
    from django.apps import apps

    for label in LISTING_MODELS:
        model = apps.get_model(label)
        post_save.connect(bump_listings_version, sender=model, dispatch_uid=f"fresh-save-{label}")
        post_delete.connect(bump_listings_version, sender=model, dispatch_uid=f"fresh-delete-{label}")
    meeting_types = apps.get_model("meetings.Meeting").types.through
    m2m_changed.connect(bump_listings_version, sender=meeting_types, dispatch_uid="fresh-types")
