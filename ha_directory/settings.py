"""Settings for the HA meeting directory, read from the environment.

Every variable is listed, with its default, in `.env.example`. The defaults
give a development site on SQLite; `DEBUG=False` switches on the production
checks and fails fast when a required variable is missing.
"""

import os
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_float(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}.") from None


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def cache_from_url(url):
    """CACHE_URL: empty or locmem:// for local memory, redis://host:port/db for Redis."""
    if not url or url.startswith("locmem://"):
        # Room for the cards' fixed parts and their rows (an entry of each per card shown, meetings/card_parts.py
        # and kept_rows.py): Django's default of 300 entries would drop them before a page's next visitor asks.
        return {"BACKEND": "ha_directory.local_cache.LocalMemoryCache", "OPTIONS": {"MAX_ENTRIES": 10_000}}
    if urlparse(url).scheme in {"redis", "rediss"}:
        # Django's Redis cache, served without while Redis cannot be reached (a 500 otherwise).
        return {"BACKEND": "ha_directory.redis_cache.ResilientRedisCache", "LOCATION": url}
    if url.startswith("dummy://"):
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(f"CACHE_URL must be locmem://, dummy:// or redis://..., not {url!r}.")


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The public address of the directory, printed on lists and used in feeds.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env_str("SITE_NAME", "")  # empty: "Heroin Anonymous meeting directory" in the page's language

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "csp",
    "simple_history",
    "axes",
    "groups",
    "meetings",
]
# Developer commands (bench, seed_bench, load_test): on by default only where DEBUG is.
DEV_TOOLS = env_bool("DEV_TOOLS", DEBUG)
if DEV_TOOLS:
    INSTALLED_APPS.append("devtools")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ha_directory.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ha_directory.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "ha_directory.middleware.OpenDataCorsMiddleware",
    "ha_directory.middleware.SameOriginReferrerForFormsMiddleware",
    "ha_directory.middleware.QueryTimeLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns repeated failed logins into a lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling for the volunteers' admin: 5 failures lock that username
# from that address for an hour, and LOGIN_FAILURES_PER_ADDRESS failures lock
# the address out of every account (ha_directory/accounts.py). The address is
# the one ha_directory/clients.py trusts, never a header the client wrote.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "ha_directory.clients.client_address"
AXES_HANDLER = "ha_directory.accounts.LoginAttemptHandler"
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 20)

ROOT_URLCONF = "ha_directory.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ha_directory.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "ha_directory.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# New PDFs one visitor (one address) may have rendered per minute; cached lists are not counted.
PDF_RENDERS_PER_MINUTE = env_int("PDF_RENDERS_PER_MINUTE", 10)
# No query of a public page may run longer than this (seconds; 0: no limit). The admin has none.
PUBLIC_QUERY_SECONDS = env_float("PUBLIC_QUERY_SECONDS", 5.0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time is SQLite's rule: a transaction that will write takes the lock when it begins
    # (IMMEDIATE) and a second one waits for it (timeout) instead of failing with "database is locked";
    # WAL lets pages read while a volunteer saves. The file is read through a memory map (SQLITE_MMAP_BYTES,
    # 0: off): a query's pages come from the operating system's page cache, shared by every worker, without a
    # system call and a copy into each connection's own 2 MB cache per page. At 100,000 meetings, whole
    # first-visitor pages: near a ZIP 9.1 -> 7.8 ms, a city 9.7 -> 8.3, the API 10.4 -> 9.1, an area 12.7 ->
    # 11.5, `type=D` 33 -> 26. A worker's private memory is the same: the mapped pages are the file's.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": f"PRAGMA journal_mode=WAL; PRAGMA mmap_size={env_int('SQLITE_MMAP_BYTES', 2**30)};",
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No parallel workers: a page's queries read a few hundred rows, and starting a worker cost more than it
    # saved (a service area's week, 1,500 meetings: 13.7 -> 6.7 ms at 100,000 meetings; nothing slower, the
    # whole Meeting Guide feed's read included). On two cores, other visitors' requests are the parallelism.
    # A random read costs little more than a sequential one (the listings fit in memory; SSDs): at the default
    # (4.0) the planner read all 100,000 meetings to find the 2% of one type rather than look 2,000 up by id
    # (`type=W`: 66 -> 26 ms); the bench's pages are no slower. An operator's own `options` replace both.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c max_parallel_workers_per_gather=0 -c random_page_cost=1.1"
    )
# Tests create their own database; TEST_DATABASE_NAME lets two test runs share one server.
if env_str("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": cache_from_url(env_str("CACHE_URL"))}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and times as each language writes them ("7:00 PM", "7:00 p. m."): ha_directory/formats/<language>/.
FORMAT_MODULE_PATH = ["ha_directory.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "directory@example.org")

# Security. Referrer-Policy no-referrer: a meeting page's address must not
# follow a visitor to a join link or a map.
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features, all off but "Use my location" on our own pages (ha_directory/headers.py).
PERMISSIONS_POLICY = {
    "geolocation": ["self"],
    **dict.fromkeys(
        [
            "accelerometer",
            "autoplay",
            "camera",
            "display-capture",
            "encrypted-media",
            "fullscreen",
            "gyroscope",
            "hid",
            "idle-detection",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "picture-in-picture",
            "publickey-credentials-get",
            "screen-wake-lock",
            "serial",
            "usb",
            "xr-spatial-tracking",
        ],
        [],
    ),
}
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Where the client's address comes from (ha_directory/clients.py): REMOTE_ADDR
# unless proxies are trusted. TRUSTED_PROXY_COUNT: how many proxies append to
# X-Forwarded-For before us (one TLS proxy by default when BEHIND_TLS_PROXY);
# or CLIENT_ADDRESS_HEADER: a header the nearest proxy always overwrites,
# e.g. X-Real-IP. Rate limits and login lockouts count per that address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if BEHIND_TLS_PROXY else 0)
CLIENT_ADDRESS_HEADER = env_str("CLIENT_ADDRESS_HEADER")
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")

# Rate limits (ha_directory/ratelimit.py), per client address unless said otherwise.
REPORTS_PER_HOUR = env_int("REPORTS_PER_HOUR", 5)
PASSWORD_RESETS_PER_ADDRESS = env_int("PASSWORD_RESETS_PER_ADDRESS", 5)  # per hour
PASSWORD_RESETS_PER_EMAIL = env_int("PASSWORD_RESETS_PER_EMAIL", 3)  # per hour, per address asked for

# Public pages load nothing from another host. Map tiles are the one
# exception, and only when MAP_TILES_URL names a tile server: a visitor's
# browser asks it for tiles once they press "Map", never before.
MAP_TILES_URL = env_str("MAP_TILES_URL")  # e.g. https://tiles.example.org/{z}/{x}/{y}.png
MAP_ATTRIBUTION = env_str("MAP_ATTRIBUTION")  # whose tiles: shown under every map


def tile_source(url):
    """The CSP source of a tile URL template.

    "https://{s}.tile.example.org/{z}/{x}/{y}.png" -> "https://*.tile.example.org"
    """
    parsed = urlparse(url)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc or not all(p in url for p in ("{z}", "{x}", "{y}")):
        raise ImproperlyConfigured(
            f"MAP_TILES_URL must be an http(s) address with {{z}}, {{x}} and {{y}} in it, not {url!r}."
        )
    host = parsed.netloc
    if host.startswith("{s}."):
        host = "*." + host[len("{s}.") :]
    if "{" in host:
        raise ImproperlyConfigured(
            f"MAP_TILES_URL may have {{s}} only as the first part of its host ({{s}}.tile.example.org), not {url!r}."
        )
    return f"{parsed.scheme}://{host}"


def content_security_policy(tiles_url=""):
    """Our own host only; with tiles, their host too for images (Leaflet draws tiles as <img>)."""
    images = ["'self'", "data:"] + ([tile_source(tiles_url)] if tiles_url else [])
    return {
        "DIRECTIVES": {
            "default-src": ["'self'"],
            "script-src": ["'self'"],
            "style-src": ["'self'"],
            "img-src": images,
            "font-src": ["'self'"],
            "connect-src": ["'self'"],
            "object-src": ["'none'"],
            "base-uri": ["'self'"],
            "form-action": ["'self'"],
            "frame-ancestors": ["'none'"],
        }
    }


if MAP_TILES_URL and not MAP_ATTRIBUTION.strip():
    raise ImproperlyConfigured(
        "MAP_ATTRIBUTION must say whose tiles MAP_TILES_URL serves (their terms ask for it), "
        "e.g. MAP_ATTRIBUTION='© OpenStreetMap contributors'."
    )
CONTENT_SECURITY_POLICY = content_security_policy(MAP_TILES_URL)

# An online geocoder for volunteers' addresses is optional and off by
# default; searches never call it unless GEOCODER is set.
GEOCODER = env_str("GEOCODER")  # "" (off) or "nominatim"
GEOCODER_USER_AGENT = env_str("GEOCODER_USER_AGENT", "ha-meeting-directory")

# The app logs no request lines of its own: a visitor's search (and so their
# location) is never written to a log by the app.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Two indexes name the row's id as a non-key column (INCLUDE) for PostgreSQL's index-only scans
# (meetings migration 0013); SQLite's indexes hold the id already, and Django leaves it out there.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
