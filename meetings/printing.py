"""Printed meeting lists: one template for the print page and the PDF, from the website's search.

Aftercare staff and H&I committees build a list with the same filters as
/meetings/, plus paper, columns and grouping, and print it or download a
PDF that WeasyPrint renders on the server. WeasyPrint may fetch nothing but
our own static files.
"""

import datetime as dt
from hashlib import sha256
from itertools import groupby
from pathlib import Path
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import checks
from django.core.cache import cache
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from meetings.filters import MeetingFilter
from meetings.freshness import versioned_key
from meetings.listing import listing_times, present
from meetings.models import Attendance, Meeting, MeetingType

MAX_ROWS = 2000  # a printed list longer than this helps nobody; we say so
PRINT_ONLY = {"title", "paper", "columns", "group", "remote", "show"}


class PrintOptions(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("For example: HA meetings within 10 miles of Sunrise Recovery"),
    )
    paper = forms.ChoiceField(label=gettext_lazy("Paper"), choices=[("letter", "Letter"), ("a4", "A4")], required=False)
    columns = forms.TypedChoiceField(
        label=gettext_lazy("Columns"), choices=[(1, "1"), (2, "2")], coerce=int, required=False, empty_value=1
    )
    group = forms.ChoiceField(
        label=gettext_lazy("Group by"),
        choices=[("day", gettext_lazy("Day")), ("city", gettext_lazy("City, then day"))],
        required=False,
    )
    remote = forms.ChoiceField(
        label=gettext_lazy("Online and phone meetings"),
        choices=[("1", gettext_lazy("Include them")), ("0", gettext_lazy("Leave them out"))],
        required=False,
    )


def build_list(request):
    """Everything the print template needs, or the problems that stop it."""
    now = timezone.now()
    options = PrintOptions(request.GET)
    options.is_valid()
    search_query = request.GET.copy()
    for name in PRINT_ONLY:
        search_query.pop(name, None)
    search = MeetingFilter(search_query, queryset=listing_times("meeting__area").active(), now=now)
    problems = [f"{p['label']}: {p['message']}" for p in search.problems]
    problems += [f"{options.fields[name].label}: {' '.join(errors)}" for name, errors in options.errors.items()]
    chosen = {
        "title": options.cleaned_data.get("title") or "",
        "paper": options.cleaned_data.get("paper") or "letter",
        "columns": options.cleaned_data.get("columns") or 1,
        "group": options.cleaned_data.get("group") or "day",
        "remote": options.cleaned_data.get("remote") != "0",
    }
    if problems:
        return {"problems": problems, "search": search, "options": options}

    slots = search.qs
    if not chosen["remote"]:
        slots = slots.attendable(Attendance.IN_PERSON)
    order = ["weekday", "start_time", "meeting__name", "pk"]
    if chosen["group"] == "city":
        order = [F("meeting__location__city").asc(nulls_last=True), *order]  # online and phone last
    slots = list(slots.order_by(*order)[: MAX_ROWS + 1])
    truncated = len(slots) > MAX_ROWS
    rows = present(slots[:MAX_ROWS], now, units=search.distance_units)

    live_query = urlencode(search_query, doseq=True)
    live_url = f"{settings.SITE_URL}/meetings/" + (f"?{live_query}" if live_query else "")
    areas = {row.meeting.area for row in rows}
    area = search.cleaned.get("area") or (areas.pop() if len(areas) == 1 else None)
    return {
        "problems": [],
        "search": search,
        "options": options,
        "chosen": chosen,
        "rows": rows,
        "sections": sections(rows, chosen["group"]),
        "legend": legend(rows),
        "truncated": truncated,
        "area": area,
        "made": timezone.localdate(),
        "live_url": live_url,
        "qr": segno.make(live_url, error="m").svg_data_uri(scale=3, border=1),
        "query": request.GET.urlencode(),
        "title": chosen["title"] or default_title(search),
    }


def default_title(search):
    if search.place:
        return _("HA meetings within %(radius)s %(units)s of %(place)s") % {
            "radius": search.distance_radius,
            "units": search.distance_units,
            "place": search.place.label,
        }
    if search.cleaned.get("area"):
        return _("HA meetings in %(area)s") % {"area": search.cleaned["area"].name}
    return _("HA meetings")


def sections(rows, group):
    """[(heading, [(day, rows)])]: one section per city (or one in all), days inside."""

    def by_day(section_rows):
        return [(day, list(items)) for day, items in groupby(section_rows, key=lambda r: r.slot.get_weekday_display())]

    if group != "city":
        return [("", by_day(rows))]
    return [(city, by_day(list(items))) for city, items in groupby(rows, key=city_of)]


def city_of(row):
    location = row.meeting.location
    return location.city if location else _("Online and phone")


def row_codes(row):
    meeting = row.meeting
    codes = ["O" if meeting.access == Meeting.Access.OPEN else "C"]
    codes += [t.code for t in meeting.types.all()]
    if meeting.conference_url:
        codes.append("ONL")
    if meeting.conference_phone:
        codes.append("PH")
    return codes


FIXED_CODES = {
    "O": gettext_lazy("Open: anyone may attend"),
    "C": gettext_lazy("Closed: for those with a desire to stop using"),
    "ONL": gettext_lazy("Online: join with the link"),
    "PH": gettext_lazy("Phone: dial in"),
}


def legend(rows):
    """Exactly the codes used in the list, explained."""
    used = []
    for row in rows:
        row.codes = row_codes(row)
        used += [c for c in row.codes if c not in used]
    names = {t.code: t.name for t in MeetingType.objects.filter(code__in=used)}
    return [(code, FIXED_CODES.get(code) or names.get(code, code)) for code in sorted(used)]


@require_safe
def print_list(request):
    if not (set(request.GET) - {"page"}):
        return render(request, "print/builder.html", {"search": MeetingFilter(None), "options": PrintOptions()})
    context = build_list(request)
    if context["problems"]:
        return render(request, "print/builder.html", context)
    return render(request, "print/list.html", {**context, "pdf": False})


@require_safe
def print_pdf(request):
    context = build_list(request)
    if context["problems"]:
        body = _("This list cannot be made:") + "\n" + "\n".join(context["problems"]) + "\n"
        return HttpResponse(body, status=400, content_type="text/plain; charset=utf-8")
    # The same list on the same day is the same PDF until a listing changes.
    key = versioned_key(f"print-pdf:{timezone.localdate()}:{sha256(request.GET.urlencode().encode()).hexdigest()}")
    pdf = cache.get(key)
    if pdf is None:
        try:
            pdf = render_pdf(render_to_string("print/list.html", {**context, "pdf": True}, request=request))
        except (ImportError, OSError) as missing:
            message = missing_libraries_message(missing)
            return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
        cache.set(key, pdf, timeout=24 * 3600)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ha-meetings-{dt.date.today():%Y-%m-%d}.pdf"'
    return response


def render_pdf(html):
    """PDF bytes of the print template's HTML. Only our static files and data: URIs are fetched."""
    from weasyprint import HTML

    return HTML(string=html, base_url=settings.SITE_URL + "/", url_fetcher=static_only_fetcher()).write_pdf()


def static_only_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves /static/ from disk and data: URIs; refuses every other URL (no network, ever)."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            prefix = settings.SITE_URL + "/" + settings.STATIC_URL.lstrip("/")
            if url.startswith(prefix):
                path = finders.find(url[len(prefix) :].split("?")[0])
                if path:
                    return URLFetcherResponse(url, Path(path).read_bytes(), {"Content-Type": guess_type(path)})
            raise ValueError(f"Printed lists load only our own static files, not {url}")

    return StaticOnlyFetcher(allowed_protocols={"data", "http", "https"})


def guess_type(path):
    return {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}.get(Path(path).suffix, "text/plain")


def missing_libraries_message(error):
    return _(
        "PDFs cannot be made on this server: WeasyPrint's system libraries are missing (%(error)s). "
        "Install them with: apt-get install libpango-1.0-0 libpangoft2-1.0-0"
    ) % {"error": error}


@checks.register()
def weasyprint_can_load(app_configs, **kwargs):
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        return [checks.Warning(missing_libraries_message(error), id="meetings.W001")]
    return []
