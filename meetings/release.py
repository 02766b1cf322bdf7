"""What this release is: a fingerprint of the code, templates, static files, catalogues and settings behind HTML.

HTML kept in a shared cache (Redis) outlives a deploy, and the listings
version only changes with an edit: without the release in their keys, the
parts of cards and pages kept by the code before would be served, next to
parts written by the new code, until the next edit. Every file that can
change what they say counts, so a release never reads what another kept,
and nobody has to remember to bump a number.
"""

import hashlib
from functools import cache as once
from pathlib import Path

from django.conf import settings

SOURCES = ("meetings", "groups", "ha_directory", "templates")  # folders under BASE_DIR: Python and templates
SUFFIXES = {".py", ".html", ".txt"}
STATIC = "static"  # every file: kept HTML names them by their hashed names (ManifestStaticFilesStorage)
SETTINGS = ("MAP_TILES_URL", "MAP_ATTRIBUTION", "SITE_URL", "LANGUAGE_CODE", "TIME_ZONE")  # read by kept HTML


@once
def fingerprint():
    """Twelve hex digits that change with any file or setting that writes kept HTML; computed once a process."""
    digest = hashlib.sha256()
    for path in files():
        digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
        digest.update(path.read_bytes())
    for name in SETTINGS:
        digest.update(f"{name}={getattr(settings, name, None)!r}".encode())
    return digest.hexdigest()[:12]


def files():
    """The project's Python files and templates, its static files, then its compiled catalogues, in a fixed order."""
    base = Path(settings.BASE_DIR)
    for folder in SOURCES:
        yield from sorted(path for path in (base / folder).rglob("*") if path.suffix in SUFFIXES and path.is_file())
    yield from sorted(path for path in (base / STATIC).rglob("*") if path.is_file())
    for folder in settings.LOCALE_PATHS:
        yield from sorted(Path(folder).glob("*/LC_MESSAGES/*.mo"))
