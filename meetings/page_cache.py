"""Whole public pages kept for the minute: the same page asked again within it is not rendered again.

A page shows what is under way and what starts within the hour, so a copy
is good for the minute it was made in; an edit anywhere makes every copy
unreachable at once (the listings version is part of the key). Visitors
with a session or a message waiting (a volunteer browsing, a report just
sent) always get a fresh page, and so does anything with an odd query string
or the visitor's own point (`lat`, `lng`: a visitor's location is never stored).
The response also tells proxies they may keep it for a minute.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone, translation

from meetings.freshness import versioned_key

SECONDS = 60
KEPT_HEADERS = ("Content-Type",)  # the middleware adds the others (language, CSP, Vary) to every answer
LONGEST_QUERY = 500  # characters: a longer query string is not worth a copy


def for_the_minute(view):
    @wraps(view)
    def page(request, *args, **kwargs):
        if not cacheable(request):
            return view(request, *args, **kwargs)
        key = page_key(request)
        found = cache.get(key)
        if found is not None:
            body, headers = found
            response = HttpResponse(body)
            for name, value in headers.items():
                response[name] = value
            response["Cache-Control"] = f"public, max-age={SECONDS}"
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        keep = getattr(response, "keep_for_the_minute", True)
        if response.status_code == 200 and keep and not response.cookies and not response.streaming:
            headers = {name: response[name] for name in KEPT_HEADERS if name in response}
            cache.set(key, (response.content, headers), timeout=SECONDS + 30)
            response["Cache-Control"] = f"public, max-age={SECONDS}"
        return response

    return page


# A point the visitor's phone gave ("Use my location"): a page for it would hold where they are, so none is kept.
VISITORS_POINT = ("lat", "lng")


def cacheable(request):
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
        and len(request.META.get("QUERY_STRING", "")) <= LONGEST_QUERY
        and not any(name in request.GET for name in VISITORS_POINT)
    )


def page_key(request):
    """Language, host, path, the query's parameters in order, and the minute: one copy per page and minute.

    The host counts because the API writes absolute links from it.
    """
    address = f"{request.get_host()}{request.path}?{sorted(request.GET.lists())!r}"
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    minute = timezone.now().strftime("%Y%m%d%H%M")
    return versioned_key(f"page:{translation.get_language()}:{digest}:{minute}")
