"""What a long-lived server process does once, before its first request: gunicorn's workers, and the bench.

A worker holds a few hundred thousand objects until it exits: modules, URL
patterns, compiled templates, translation catalogues, the reference tables
of places. Each full collection of the garbage collector walks all of them,
time taken from whichever request happens to be running (a PDF, which
allocates hundreds of thousands of objects, paid a fifth of its CPU time for
it). `prepare()` loads them, frees what is already garbage, then moves every
object alive into a generation the collector never scans (gc.freeze());
reference counting still frees them as usual. The youngest generation is
then collected after 5,000 new objects rather than 700: a request's own
objects mostly die by reference counting, and a PDF of the coming week
allocates millions (2.05 -> 1.88-1.90 s of CPU, 8 MB more at its peak;
a results page 0-6% less). `runserver` and tests never call it. The bench
does, so that its figures are a worker's.
"""

import gc

PUBLIC_TEMPLATES = [
    "meetings/home.html",
    "meetings/meeting_list.html",
    "meetings/meeting_detail.html",
    "groups/area_detail.html",
    "groups/group_detail.html",
    "print/list.html",
]


def prepare():
    warm_up()
    gc.collect()  # garbage frozen now would never be freed
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])


YOUNG_OBJECTS = 5_000  # allocated (less freed) before the youngest generation is collected; Python's default is 700


def warm_up():
    from django.conf import settings
    from django.template.loader import get_template
    from django.utils import translation

    from meetings import places, release

    places.load_reference_tables()
    release.fingerprint()  # hashes the release's files (15 ms) before the first request; an unreadable one fails here
    for name in PUBLIC_TEMPLATES:
        get_template(name)
    for code, _name in settings.LANGUAGES:
        translation.activate(code)
    translation.deactivate()
