"""Keep Python's garbage collector off what a worker process keeps for its whole life.

After its first request a process holds some 90,000 objects it will keep
until it exits: modules, URL patterns, compiled templates, translation
catalogues. Each full collection of the oldest generation walks all of them,
50-100 ms taken from whichever request happens to be running: at 100,000
meetings that was the slowest twentieth of searches. gc.freeze() moves every
object alive now into a generation the collector never scans; they are still
freed by reference counting as usual. (Reference tables get the same
treatment when they load: see meetings.places.reference_table.)
"""

import gc

from django.core.signals import request_finished


def settle(**kwargs):
    """Freeze once, after the first request, then stop listening."""
    request_finished.disconnect(settle, dispatch_uid="lifetime-settle")
    gc.freeze()


def connect():
    request_finished.connect(settle, dispatch_uid="lifetime-settle")
