import time

from django.conf import settings
from django.db import DatabaseError, OperationalError, connection
from django.db.backends.signals import connection_created
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers

OPEN_DATA_PREFIXES = ("/feeds/", "/api/")


class OpenDataCorsMiddleware:
    """Let any site or app read our feeds and API from a browser (GET only, no credentials)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(OPEN_DATA_PREFIXES) and request.method in ("GET", "HEAD", "OPTIONS"):
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        return response


FORM_PREFIXES = ("/admin/", "/reset/")


class SameOriginReferrerForFormsMiddleware:
    """`Referrer-Policy: same-origin` where people post forms, `no-referrer` everywhere else.

    With no-referrer, browsers send `Origin: null` with a form's POST and
    Django's CSRF check refuses it. same-origin still tells no other host
    anything. SecurityMiddleware sets no-referrer only where this has not.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(FORM_PREFIXES) or getattr(response, "posts_to_self", False):
            response["Referrer-Policy"] = "same-origin"
        return response


class QueryTimeLimitMiddleware:
    """No public page may hold a worker, or the database, for longer than PUBLIC_QUERY_SECONDS per query.

    On PostgreSQL the server cancels the statement itself (statement_timeout,
    set on the connection when the kind of request changes); on SQLite a
    progress handler interrupts it. A query stopped so becomes a 503 page
    that says what to do, never a 500. The admin, where volunteers import
    and edit, keeps no limit; management commands never pass through here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = 0 if request.path.startswith(UNLIMITED_PREFIXES) else settings.PUBLIC_QUERY_SECONDS
        try:
            with connection.execute_wrapper(QueryTimeLimit(seconds)):
                return self.get_response(request)
        finally:
            QueryTimeLimit.lift(connection)  # a kept-alive connection carries no limit to whatever uses it next

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError) and is_time_out(exception):
            response = render(request, "503.html", {"slow": True}, status=503)
            response["Retry-After"] = "30"
            return response
        return None


UNLIMITED_PREFIXES = ("/admin/",)
TIME_OUT_MESSAGES = ("canceling statement due to statement timeout", "interrupted")


def is_time_out(error):
    text = str(error)
    return any(message in text for message in TIME_OUT_MESSAGES)


class QueryTimeLimit:
    """An execute wrapper (connection.execute_wrapper) that bounds each statement's time; 0 means no limit."""

    def __init__(self, seconds):
        self.seconds = seconds

    def __call__(self, execute, sql, params, many, context):
        connection = context["connection"]
        if connection.vendor == "postgresql":
            return self.on_postgresql(connection, execute, sql, params, many, context)
        if connection.vendor == "sqlite" and self.seconds:
            return self.on_sqlite(connection, execute, sql, params, many, context)
        return execute(sql, params, many, context)

    def on_postgresql(self, connection, execute, sql, params, many, context):
        wanted = int(self.seconds * 1000)
        if getattr(connection, "statement_timeout_ms", 0) != wanted:
            set_statement_timeout(connection, wanted)
        return execute(sql, params, many, context)

    @staticmethod
    def lift(connection):
        if connection.vendor == "postgresql" and getattr(connection, "statement_timeout_ms", 0):
            try:
                set_statement_timeout(connection, 0)
            except DatabaseError:
                connection.statement_timeout_ms = None  # unknown: set again before the next limited statement

    def on_sqlite(self, connection, execute, sql, params, many, context):
        deadline = time.monotonic() + self.seconds
        raw = connection.connection
        raw.set_progress_handler(lambda: int(time.monotonic() > deadline), SQLITE_STEPS)
        try:
            return execute(sql, params, many, context)
        finally:
            raw.set_progress_handler(None, 0)


def forget_statement_timeout(sender, connection, **kwargs):
    connection.statement_timeout_ms = 0  # a new session starts without one


connection_created.connect(forget_statement_timeout, dispatch_uid="query-time-limit-new-connection")


def set_statement_timeout(connection, milliseconds):
    with connection.connection.cursor() as raw:  # the driver's own cursor: not wrapped again
        raw.execute("SELECT set_config('statement_timeout', %s, false)", [str(milliseconds)])
    connection.statement_timeout_ms = milliseconds


SQLITE_STEPS = 10_000  # virtual-machine steps between looks at the clock: cheap, and well under a millisecond


class LanguageMiddleware(LocaleMiddleware):
    """The language of a request: from the address for public pages, from the volunteer's browser for the admin.

    Public pages are English at their own address and Spanish under /es/: a
    bookmarked English page never flips to another language because of a
    browser setting (the page's script only suggests the other version). The
    admin, password resets and the language-neutral feeds and API keep one
    address; the admin and its emails follow the browser (Accept-Language).
    """

    def process_request(self, request):
        if request.path_info.startswith(BROWSER_LANGUAGE_PREFIXES):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
            return
        super().process_request(request)


    def process_response(self, request, response):
        # A public page's language is in its address, so a cache (ours, a proxy's) needs no Vary for it;
        # only the admin's pages change with the browser's language.
        if request.path_info.startswith(BROWSER_LANGUAGE_PREFIXES):
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        # The page is rendered: nothing after it (a thread sending mail, the next test) inherits its language.
        translation.deactivate()
        return response


BROWSER_LANGUAGE_PREFIXES = ("/admin/", "/reset/")
