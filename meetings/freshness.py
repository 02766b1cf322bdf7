"""Version numbers for "the listings as they are now", bumped by every save.

Cached pages and feeds are stored under a key that includes the listings
version, so an edit makes every cached copy unreachable at once, in every
process that shares the cache (CACHE_URL=redis://... in production; local
memory serves one process only). Each service area has a version of its own
too, bumped when one of its meetings (or their times, places, groups) is
saved: the Meeting Guide feed keeps a piece per area and builds again only
the pieces of the areas that changed. A change that touches every area
(a meeting type, an area's name, a bulk import) bumps the generation that
every area's version includes.
"""

import secrets
import time

from django.core import checks
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

VERSION_KEY = "listings:version"


def listings_version():
    return _counter(VERSION_KEY)


GENERATION_KEY = "listings:generation"
AREA_KEY = "listings:area:{}"


def _counter(key):
    value = cache.get(key)
    if value is None:
        cache.add(key, first_number(), timeout=None)
        value = cache.get(key)
    return value


def _bump(key):
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, first_number(), timeout=None)


def first_number():
    """Where a version starts when the cache has lost it: at random, so that no number an earlier version had comes
    back, however the clock stands (a frozen one in tests), and no process holds a value kept under it
    (held_for_the_version). Room is left for 2**62 bumps."""
    return secrets.randbits(62)


def area_version(area_id):
    """The version of one area's listings: changes when they do, or when everything does."""
    return f"{_counter(GENERATION_KEY)}.{_counter(AREA_KEY.format(area_id))}"


def bump_listings_version(sender=None, instance=None, **kwargs):
    """After a save or a delete (a signal), or by hand after bulk writes (no instance: every area changed).

    Bumped now and again once the transaction commits: a page read between
    the two saw the old rows under the new version, and what it kept (a
    card's fixed part, for a day) would otherwise outlive the edit. Outside a
    transaction the second bump comes at once.
    """
    bump_now_and_at_commit(areas_touched(sender, instance, kwargs))  # now: take_requests_along forgets the old area


def bump_now_and_at_commit(areas):
    """bump_areas(areas) now and once the transaction commits (see bump_listings_version)."""
    bump_areas(areas)
    transaction.on_commit(lambda: bump_areas(areas))


def bump_areas(areas):
    """The listings version and those of `areas` (None: every area)."""
    _bump(VERSION_KEY)
    if areas is None:
        _bump(GENERATION_KEY)
        return
    for area_id in areas:
        _bump(AREA_KEY.format(area_id))


def dates_rewritten():
    """After the daily job has written the coming dates anew (occurrences.extend; a save or an import that writes
    a meeting's dates bumps the version itself): the listings version only, now and once the transaction commits.

    What is kept of the dates (the API's coming dates) is read again; the
    Meeting Guide feed, which shows no dates, keeps its areas' pieces.
    """
    bump_now_and_at_commit(())


def areas_touched(sender, instance, signal_kwargs):
    """The ids of the areas whose meetings a saved or deleted `instance` shows in; None for "every area"."""
    if instance is None:
        return None
    label = instance._meta.label
    if label == "meetings.Meeting":
        return {instance.area_id, getattr(instance, "_area_at_load", instance.area_id)} - {None}
    if label in ("meetings.MeetingTime", "meetings.ScheduleChange"):
        meeting_model = instance._meta.get_field("meeting").related_model
        return set(meeting_model.objects.filter(pk=instance.meeting_id).values_list("area_id", flat=True))
    if label in ("meetings.Location", "groups.Group"):
        return {instance.area_id} | set(instance.meetings.values_list("area_id", flat=True).distinct())
    return None  # meeting types, areas (names and helplines show in every object below them)


def remember_area(sender, instance, **kwargs):
    """A meeting moved to another area changes both: remember the one it was loaded with."""
    instance._area_at_load = instance.__dict__.get("area_id")


def versioned_key(name):
    return f"{name}:v{listings_version()}"


held = {}  # {name: (versioned key, until, value)}: held_for_the_version's values in this process


def held_for_the_version(name, make, timeout):
    """cache.get_or_set(versioned_key(name), make, timeout), and the value held in this process too until the
    listings version changes or `timeout` seconds pass, as in the cache: for a value most pages read and none
    changes (tuples of text), whose unpickling was what it cost. One value per name: the version's, never an
    older one."""
    key, now = versioned_key(name), time.monotonic()
    found = held.get(name)
    if found is not None and found[0] == key and now < found[1]:
        return found[2]
    value = cache.get_or_set(key, make, timeout)
    held[name] = (key, now + timeout if timeout is not None else float("inf"), value)  # None: as long as the cache
    return value


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
    checks.register(cache_is_shared, checks.Tags.caches, deploy=True)
    meeting = apps.get_model("meetings.Meeting")
    post_init.connect(remember_area, sender=meeting, dispatch_uid="fresh-meeting-area")
    m2m_changed.connect(bump_listings_version, sender=meeting.types.through, dispatch_uid="fresh-types")


def cache_is_shared(app_configs, **kwargs):
    """A deploy check: versions and what is kept under them live in the cache, so workers must share one."""
    from django.conf import settings
    from django.core.cache.backends.dummy import DummyCache
    from django.core.cache.backends.locmem import LocMemCache
    from django.utils.module_loading import import_string

    if not issubclass(import_string(settings.CACHES["default"]["BACKEND"]), LocMemCache | DummyCache):
        return []
    message = (
        "The cache is in each process's memory: with more than one worker, an edit reaches the pages, "
        "card parts, rows, meeting pages' parts and feed pieces the other workers keep only as those expire "
        "(rows and meeting pages' parts: up to an hour; card parts and feed pieces: up to a day)."
    )
    return [checks.Warning(message, hint="Set CACHE_URL=redis://host:6379/0 (README: Production).", id="meetings.W002")]
