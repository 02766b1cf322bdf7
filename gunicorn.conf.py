"""gunicorn's settings for the directory (gunicorn reads this file from the working directory).

Command-line flags still win: `gunicorn ha_directory.wsgi --workers 4 --bind ...`.
"""

wsgi_app = "ha_directory.wsgi"
# No access log: a search URL can carry a visitor's rounded location.
accesslog = None


def post_worker_init(worker):
    """Load what a worker keeps for its whole life, then keep the garbage collector off it (ha_directory/worker.py)."""
    from ha_directory import worker as prepared

    prepared.prepare()
