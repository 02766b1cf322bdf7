"""gunicorn's settings for the directory (gunicorn reads this file from the working directory).

Command-line flags still win: `gunicorn ha_directory.wsgi --workers 4 --bind ...`.
"""

import gc

wsgi_app = "ha_directory.wsgi"
# No access log: a search URL can carry a visitor's rounded location.
accesslog = None


def post_worker_init(worker):
    """Load what a worker keeps for its whole life, then keep the garbage collector off it.

    A worker holds a few hundred thousand objects until it exits: modules, URL
    patterns, compiled templates, translation catalogues, the reference tables
    of places. Each full collection walks all of them, time taken from
    whichever request happens to be running; gc.freeze() moves every object
    alive now into a generation the collector never scans (reference counting
    still frees them as usual). `runserver` and tests never load this file.
    """
    warm_up()
    gc.freeze()


def warm_up():
    from django.conf import settings
    from django.template.loader import get_template
    from django.utils import translation

    from meetings import places

    places.load_reference_tables()
    for name in PUBLIC_TEMPLATES:
        get_template(name)
    for code, _name in settings.LANGUAGES:
        translation.activate(code)
    translation.deactivate()


PUBLIC_TEMPLATES = [
    "meetings/home.html",
    "meetings/meeting_list.html",
    "meetings/meeting_detail.html",
    "groups/area_detail.html",
    "groups/group_detail.html",
    "print/list.html",
]
