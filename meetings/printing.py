"""Printed meeting lists and PDFs for aftercare staff and H&I committees.

The list comes from the website's one search (MeetingFilter: the same
parameters, validation and messages as /meetings/) plus a few print-only
options. One template serves the printable page and the PDF; WeasyPrint
renders the PDF on the server and may fetch nothing but our own static files.
"""

import mimetypes
import posixpath
from hashlib import sha256
from itertools import groupby
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core import checks
from django.core.cache import cache
from django.db.models import Case, CharField, F, When
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import dateformat, timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from meetings.filters import MeetingFilter
from meetings.freshness import versioned_key
from meetings.listing import by_day, listing_times, present
from meetings.models import Attendance, Meeting

MAX_ROWS = 2000  # more helps nobody on paper (and takes WeasyPrint ~10 s): the list says it stops there
PRINT_ONLY = ("title", "paper", "columns", "group", "remote", "show", "edit")
PDF_CACHE_SECONDS = 24 * 3600
INSTALL_HINT = "apt-get install libpango-1.0-0 libpangoft2-1.0-0"
FIXED_CODES = {  # the codes that are not meeting types
    "O": gettext_lazy("Open: anyone may attend"),
    "C": gettext_lazy("Closed: for people with a desire to stop using"),
    "ONL": gettext_lazy("Online: join with the link shown"),
    "PH": gettext_lazy("Phone: dial the number shown"),
}
PAPERS = [("letter", gettext_lazy("Letter (US)")), ("a4", "A4")]
COLUMNS = [(1, gettext_lazy("One")), (2, gettext_lazy("Two"))]
GROUPINGS = [
    ("day", gettext_lazy("Day")),
    ("city", gettext_lazy("City, then day")),
    ("area", gettext_lazy("Service area, then day")),
]
REMOTE = [("1", gettext_lazy("Include them")), ("0", gettext_lazy("Leave them out"))]


class PrintOptions(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("For example: HA meetings within 10 miles of Sunrise Recovery"),
        widget=forms.TextInput(attrs={"aria-describedby": "title-help"}),
    )
    paper = forms.ChoiceField(label=gettext_lazy("Paper"), choices=PAPERS, required=False)
    columns = forms.TypedChoiceField(label=gettext_lazy("Columns"), choices=COLUMNS, coerce=int, required=False)
    group = forms.ChoiceField(label=gettext_lazy("Group by"), choices=GROUPINGS, required=False)
    remote = forms.ChoiceField(label=gettext_lazy("Online and phone meetings"), choices=REMOTE, required=False)

    def chosen(self):
        data = self.cleaned_data
        return {
            "title": data["title"],
            "paper": data["paper"] or "letter",
            "columns": data["columns"] or 1,
            "group": data["group"] or "day",
            "remote": data["remote"] != "0",
        }


class ListRefused(ValueError):
    """The parameters cannot make a list; `problems` says why, one message per parameter."""

    def __init__(self, problems):
        super().__init__("; ".join(f"{p['label']}: {p['message']}" for p in problems))
        self.problems = problems


class PdfUnavailable(RuntimeError):
    """WeasyPrint or its system libraries (Pango) are missing on this server."""


def as_query(params):
    """A QueryDict from a QueryDict or a plain dict ({"area": "arizona", "day": ["1", "2"]})."""
    return params if isinstance(params, QueryDict) else QueryDict(urlencode(params, doseq=True))


def printed_list(params, now=None):
    """The print template's context for `params`, or {"problems": [...], ...} for the builder to show."""
    now = now or timezone.now()
    params = as_query(params)
    options = PrintOptions(params)
    search_params = params.copy()
    for name in (*PRINT_ONLY, "page"):
        search_params.pop(name, None)
    search = MeetingFilter(search_params, queryset=listing_times("meeting__area").active(), now=now)
    problems = search.problems + [
        {"field": name, "label": options.fields[name].label, "message": message}
        for name, messages in options.errors.items()
        for message in messages
    ]
    if problems:
        return {"problems": problems, "search": search, "options": options, "suggestions": suggestions(params, search)}

    chosen = options.chosen()
    slots = print_slots(search, chosen)
    rows = present(slots[:MAX_ROWS], now, units=search.distance_units)
    live_url = f"{settings.SITE_URL}/meetings/" + (f"?{search_params.urlencode()}" if search_params else "")
    return {
        "problems": [],
        "chosen": chosen,
        "title": chosen["title"] or default_title(search),
        "rows": rows,
        "legend": describe(rows, search.distance_units),
        "sections": sections(rows, chosen["group"]),
        "truncated": len(slots) > MAX_ROWS,
        "helpline": helpline_area(search, rows),
        "made": timezone.localdate(now),
        "site_address": settings.SITE_URL.partition("://")[2] or settings.SITE_URL,
        "live_url": live_url,
        "qr": segno.make(live_url, error="m").svg_data_uri(scale=4, border=0),
        "query": params.urlencode(),
        "page_label": page_label_parts(),
    }


def print_slots(search, chosen):
    """The filtered weekly times in print order: by day and time, within cities or areas when grouped."""
    slots = search.qs
    if not chosen["remote"]:
        slots = slots.attendable(Attendance.IN_PERSON)
    order = ["weekday", "start_time", "meeting__name", "pk"]
    if chosen["group"] == "city":
        # Meetings with no room to go to have no city to print: they come last, together.
        physical_city = When(meeting__location__approximate=False, then=F("meeting__location__city"))
        slots = slots.annotate(print_city=Case(physical_city, output_field=CharField()))
        order = [F("print_city").asc(nulls_last=True), *order]
    elif chosen["group"] == "area":
        order = ["meeting__area__name", "meeting__area_id", *order]
    return list(slots.order_by(*order)[: MAX_ROWS + 1])


def default_title(search):
    if search.place:
        return _("HA meetings within %(radius)s %(units)s of %(place)s") % {
            "radius": f"{search.distance_radius:g}",
            "units": search.distance_units,
            "place": search.place.label,
        }
    if search.cleaned.get("area"):
        return _("HA meetings in %(area)s") % {"area": search.cleaned["area"].name}
    return _("HA meetings")


def describe(rows, units):
    """Give each row its printed time, codes and place; return the legend: exactly the codes used, explained.

    Type names come from the meetings' prefetched types: no query.
    """
    language = get_language()
    used = {}  # code -> (order in the legend: O/C, types as in the admin, ONL/PH; explanation)
    for row in rows:
        meeting = row.meeting
        # "7:00 PM MST": wall-clock time in the meeting's own zone; the time never wraps from its AM/PM.
        row.clock = dateformat.time_format(row.starts, "g:i A").replace(" ", "\u00a0") + f" {row.starts:%Z}"
        access = "O" if meeting.access == Meeting.Access.OPEN else "C"
        codes = [(access, (0, access == "C", ""), FIXED_CODES[access])]
        codes += [(t.code, (1, t.position, t.name), t.localized("name", language)) for t in meeting.types.all()]
        if meeting.conference_url:
            codes.append(("ONL", (2, 0, ""), FIXED_CODES["ONL"]))
        if meeting.conference_phone:
            codes.append(("PH", (2, 1, ""), FIXED_CODES["PH"]))
        row.codes = " ".join(code for code, _order, _name in codes)
        row.place = place_line(meeting.location, row.distance, units)
        for code, order, name in codes:
            used.setdefault(code, (order, name))
    return [(code, name) for code, (_order, name) in sorted(used.items(), key=lambda item: item[1][0])]


def place_line(location, distance, units):
    """The printed address (St. Mark's, 12 Main St, Phoenix, AZ 85004 · 2.3 mi), or "" with no room to go to."""
    if location is None or location.approximate:
        return ""
    region = " ".join(part for part in (location.state, location.postal_code) if part)
    line = ", ".join(part for part in (location.name, location.address, location.city, region) if part)
    return f"{line} · {distance:g} {units}" if distance is not None else line


def sections(rows, group):
    """[(heading, [(day, rows)])]: a section per city or area (or one without a heading), days inside."""
    if group == "day":
        return [("", by_day(rows))]
    grouped = groupby(rows, key=lambda row: section_heading(row, group))
    return [(heading, by_day(list(section))) for heading, section in grouped]


def section_heading(row, group):
    if group == "area":
        return row.meeting.area.name
    return row.slot.print_city or _("Online and phone")  # annotated by print_slots()


def helpline_area(search, rows):
    """The chosen area, or the one area every listed meeting belongs to, when it has a helpline."""
    candidates = [search.cleaned.get("area")]
    areas = {row.meeting.area for row in rows}
    if len(areas) == 1:
        candidates.append(areas.pop())
    return next((area for area in candidates if area and (area.helpline_phone or area.helpline_email)), None)


def suggestions(params, search):
    """[(place, link)]: the builder's "did you mean" for a `near` we could not find."""
    query = dict(params.lists())
    return [(place, "?" + urlencode({**query, "near": [place]}, doseq=True)) for place in search.suggestions]


def page_label_parts():
    """("Page ", " of ", ""): the PDF footer's words around the page counters, set as CSS strings."""
    # Translators: the PDF's footer. Keep both placeholders, %(page)s first.
    label = _("Page %(page)s of %(pages)s")
    before, found, rest = label.partition("%(page)s")
    between, found_too, after = rest.partition("%(pages)s")
    return (before, between, after) if found and found_too else ("", " / ", "")


@require_safe
def print_list(request):
    if not set(request.GET) - {"page"} or "edit" in request.GET:
        data = request.GET or None  # "edit": the builder again, filled in with this list's choices
        return render(request, "print/builder.html", {"search": MeetingFilter(data), "options": PrintOptions(data)})
    context = printed_list(request.GET)
    if context["problems"]:
        return render(request, "print/builder.html", context)
    return render(request, "print/list.html", {**context, "pdf": False})


@require_safe
def print_pdf(request):
    # The same list, on the same day and in the same language, is the same PDF until a listing changes.
    query = sorted((name, request.GET.getlist(name)) for name in request.GET)
    digest = sha256(repr(query).encode()).hexdigest()
    key = versioned_key(f"print-pdf:{timezone.localdate()}:{get_language()}:{digest}")
    pdf = cache.get(key)
    if pdf is None:
        try:
            pdf = render_pdf(request.GET)
        except ListRefused as refused:
            lines = [_("This list cannot be made:")] + [f"- {p['label']}: {p['message']}" for p in refused.problems]
            return HttpResponse("\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8")
        except PdfUnavailable as missing:
            return HttpResponse(f"{missing}\n", status=503, content_type="text/plain; charset=utf-8")
        cache.set(key, pdf, timeout=PDF_CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ha-meetings-{timezone.localdate():%Y-%m-%d}.pdf"'
    return response


def render_pdf(params, now=None):
    """PDF bytes of the list `params` describes: a QueryDict, or a dict such as {"area": "arizona", "day": ["1"]}.

    Not cached (print_pdf caches). Raises ListRefused for parameters the search
    refuses, PdfUnavailable when WeasyPrint's libraries are missing.
    """
    context = printed_list(params, now)
    if context["problems"]:
        raise ListRefused(context["problems"])
    html = render_to_string("print/list.html", {**context, "pdf": True})
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:  # OSError: cffi could not load Pango
        raise PdfUnavailable(missing_libraries_message(error)) from error
    return HTML(string=html, base_url=f"{settings.SITE_URL}/", url_fetcher=static_only_fetcher()).write_pdf()


def missing_libraries_message(error):
    return _(
        "PDFs cannot be made on this server: WeasyPrint or its system libraries are missing (%(error)s). "
        "Install them with: %(command)s"
    ) % {"error": error, "command": INSTALL_HINT}


def static_file(url):
    """The file on disk of one of our static files, from its absolute `url`; None for any other URL."""
    prefix = f"{settings.SITE_URL}/{settings.STATIC_URL.lstrip('/')}"
    if not url.startswith(prefix):
        return None
    name = url[len(prefix) :].split("?")[0].split("#")[0]
    if not name or name != posixpath.normpath(name) or name.startswith(("/", "..")):
        return None
    # Source files first; hashed names ("print.3f2a9c.css", from the manifest storage) after collectstatic.
    found = finders.find(name)
    if not found and staticfiles_storage.exists(name):
        found = staticfiles_storage.path(name)
    return found


def static_only_fetcher():
    """A WeasyPrint URL fetcher for our static files (read from disk) and data: URIs; it refuses every other URL."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):  # the QR code
                return super().fetch(url, headers)
            path = static_file(url)
            if path is None:
                raise ValueError(f"Printed lists load only our own static files, not {url}")
            with open(path, "rb") as handle:
                body = handle.read()
            return URLFetcherResponse(url, body, {"Content-Type": mimetypes.guess_type(path)[0] or ""})

    return StaticOnlyFetcher(allowed_protocols={"data"}, allow_redirects=False)


@checks.register(checks.Tags.compatibility)
def weasyprint_can_load(app_configs, **kwargs):
    """Warn at start-up, rather than at the first PDF, when WeasyPrint cannot be loaded (the import takes ~0.5 s)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        message = f"WeasyPrint cannot be loaded ({error}): /print.pdf answers 503 until it can."
        return [checks.Warning(message, hint=f"Install its libraries: {INSTALL_HINT}", id="meetings.W001")]
    return []
