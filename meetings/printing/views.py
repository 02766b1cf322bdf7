from hashlib import sha256

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ha_directory import ratelimit
from ha_directory.clients import client_address
from meetings.filters import MeetingFilter
from meetings.freshness import versioned_key
from meetings.models import Meeting, PrintProfile
from meetings.printing import layout
from meetings.printing.options import NEXT_7_DAYS, PAGE, PrintOptions
from meetings.printing.pdf import PdfUnavailable, render_pdf

PDF_CACHE_SECONDS = 24 * 3600
PROFILES_PER_HOUR = 20  # saved lists per visitor: more than any centre makes, few enough to keep the table small
MAX_QUERY_LENGTH = 8000  # of a list's address: a full search and 600 characters of the centre's words, all encoded


@require_safe
def print_list(request):
    if not set(request.GET) - {"page"} or "edit" in request.GET:
        return builder(request, request.GET or None)  # "edit": the builder again, filled in with this list's choices
    return list_page(request, layout.parse(request.GET))


@require_safe
def print_pdf(request):
    return pdf_response(request, layout.parse(request.GET))


@require_POST
def print_profile_new(request):
    """Save the list posted (its address, `query`) as a print profile and send the visitor to its link."""
    query = request.POST.get("query", "")
    if not query.strip():
        message = _("There is no list to save: make a list first, then save it.")
        return HttpResponse(message + "\n", status=400, content_type="text/plain; charset=utf-8")
    if len(query) > MAX_QUERY_LENGTH:
        message = _("This list's address is too long to save (%(length)d characters; at most %(limit)d).") % {
            "length": len(query),
            "limit": MAX_QUERY_LENGTH,
        }
        return HttpResponse(message + "\n", status=400, content_type="text/plain; charset=utf-8")
    parsed = layout.parse(QueryDict(query))
    if parsed.problems:
        return builder(request, QueryDict(query), status=400, extra=layout.printed_list(parsed))
    if not ratelimit.hit("print-profile", client_address(request), PROFILES_PER_HOUR, 3600):
        message = _("Too many saved lists from your connection in the last hour. Please try again later.")
        response = HttpResponse(message + "\n", status=429, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = "3600"
        return response
    profile = PrintProfile.objects.create(query=parsed.saved_query)
    response = redirect(profile)
    response.status_code = 303  # See Other: the link is a page to GET, not this POST again
    return response


@require_safe
def print_profile(request, token):
    profile = find_profile(token)
    if profile is None:
        return profile_missing(request)
    profile.opened()
    return list_page(request, layout.parse(QueryDict(profile.query)), profile=profile)


@require_safe
def print_profile_pdf(request, token):
    profile = find_profile(token)
    if profile is None:
        return profile_missing(request)
    profile.opened()
    return pdf_response(request, layout.parse(QueryDict(profile.query)))


def find_profile(token):
    return PrintProfile.objects.filter(token=token).first()


def profile_missing(request):
    return render(request, "print/profile_missing.html", status=404)


def builder(request, data, status=200, extra=None):
    context = {
        "search": MeetingFilter(data),
        "options": PrintOptions(data, initial={"language": get_language()}),
        "zones": sorted(Meeting.objects.zones()),
        "chosen_zone": (data or {}).get("tz", ""),
        **(extra or {}),
    }
    return render(request, "print/builder.html", context, status=status)


def list_page(request, parsed, profile=None):
    """The printable page of a parsed list, in the list's language; the builder with its problems otherwise."""
    context = layout.printed_list(parsed)
    if context["problems"]:
        return builder(request, parsed.options.data, extra=context)
    page_language = get_language()
    context.update(pdf=False, page_language=page_language, profile=profile)
    if profile is not None:
        context["profile_url"] = request.build_absolute_uri(profile.get_absolute_url())
    with translation.override(parsed.language):
        response = render(request, "print/list.html", context)
    response["Content-Language"] = parsed.language
    response.posts_to_self = profile is None  # "save this list" posts here: the referrer must say it is us
    return response


def pdf_response(request, parsed):
    if parsed.problems:
        lines = [_("This list cannot be made:")] + [f"- {p['label']}: {p['message']}" for p in parsed.problems]
        return HttpResponse("\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8")
    # The same list (by its canonical address), in the same language and period, is the same PDF until a
    # listing changes: parameters that change nothing cannot force a new rendering.
    digest = sha256(parsed.query_string.encode()).hexdigest()
    key = versioned_key(f"print-pdf:{cache_period(parsed)}:{parsed.language}:{digest}")
    pdf = cache.get(key)
    if pdf is None:
        # A fresh PDF costs a worker up to a second: so many per visitor and minute, counted on every host.
        if not ratelimit.hit("pdf-render", client_address(request), settings.PDF_RENDERS_PER_MINUTE, 60):
            message = _("Too many new lists from your connection in the last minute. Please try again shortly.")
            response = HttpResponse(message + "\n", status=429, content_type="text/plain; charset=utf-8")
            response["Retry-After"] = "60"
            return response
        try:
            pdf = render_pdf(parsed)
        except PdfUnavailable as missing:
            return HttpResponse(f"{missing}\n", status=503, content_type="text/plain; charset=utf-8")
        cache.set(key, pdf, timeout=PDF_CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    layout_name = [] if parsed.chosen["layout"] == PAGE else [parsed.chosen["layout"]]
    name = "-".join(["ha-meetings", *layout_name, f"{timezone.localdate():%Y-%m-%d}"])
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


def cache_period(parsed):
    """How long one rendering of a list stays true: the day; ten minutes for a 7-day sheet (tonight's meetings)."""
    now = parsed.search.now
    if parsed.chosen["kind"] == NEXT_7_DAYS:
        return f"{now:%Y-%m-%dT%H}:{now.minute // 10}"
    return f"{now:%Y-%m-%d}"
