from hashlib import sha256

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ha_directory import ratelimit
from ha_directory.clients import client_address
from meetings.filters import MeetingFilter
from meetings.freshness import versioned_key
from meetings.printing import layout
from meetings.printing.options import PrintOptions
from meetings.printing.pdf import PdfUnavailable, render_pdf

PDF_CACHE_SECONDS = 24 * 3600


@require_safe
def print_list(request):
    if not set(request.GET) - {"page"} or "edit" in request.GET:
        data = request.GET or None  # "edit": the builder again, filled in with this list's choices
        return render(request, "print/builder.html", {"search": MeetingFilter(data), "options": PrintOptions(data)})
    context = layout.printed_list(layout.parse(request.GET))
    if context["problems"]:
        return render(request, "print/builder.html", context)
    return render(request, "print/list.html", {**context, "pdf": False})


@require_safe
def print_pdf(request):
    parsed = layout.parse(request.GET)
    if parsed.problems:
        lines = [_("This list cannot be made:")] + [f"- {p['label']}: {p['message']}" for p in parsed.problems]
        return HttpResponse("\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8")
    # The same list (by its canonical address), on the same day and in the same language, is the same PDF
    # until a listing changes: parameters that change nothing cannot force a new rendering.
    digest = sha256(parsed.query_string.encode()).hexdigest()
    key = versioned_key(f"print-pdf:{timezone.localdate()}:{get_language()}:{digest}")
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
    response["Content-Disposition"] = f'inline; filename="ha-meetings-{timezone.localdate():%Y-%m-%d}.pdf"'
    return response
