"""PDF of a printed list: WeasyPrint renders the print template, fetching nothing but our own static files."""

import functools
import mimetypes
import os
import posixpath
import threading

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext as _

from meetings.printing.impose import PLANS, Imposition
from meetings.printing.layout import ListRefused, printed_list

INSTALL_HINT = "apt-get install libpango-1.0-0 libpangoft2-1.0-0"


class PdfUnavailable(RuntimeError):
    """WeasyPrint or its system libraries (Pango) are missing on this server."""


def render_pdf(request):
    """PDF bytes of the list a PrintRequest (layout.parse) describes: tagged (PDF/UA-1), in the list's language.

    Not cached (the view caches). Raises ListRefused for parameters the search
    refuses, PdfUnavailable when WeasyPrint's libraries are missing. Folded
    layouts are laid out as their small pages, then placed on sheets (impose.py).
    """
    context = printed_list(request)
    if context["problems"]:
        raise ListRefused(context["problems"])
    with translation.override(request.language):
        html = render_to_string("print/list.html", {**context, "pdf": True})
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:  # OSError: cffi could not load Pango
        raise PdfUnavailable(missing_libraries_message(error)) from error
    source = list_html(HTML)(string=html, base_url=f"{settings.SITE_URL}/", url_fetcher=static_only_fetcher())
    document = source.render(stylesheets=[print_stylesheet()], font_config=font_configuration())
    plan = PLANS.get(context["chosen"]["layout"])
    finisher = Imposition(plan(len(document.pages), back_page(document))) if plan else None
    return document.write_pdf(pdf_variant="pdf/ua-1", finisher=finisher)


@functools.cache
def list_html(html_class):
    """WeasyPrint's HTML class, without the user-agent rules that give every element pseudo-elements.

    Rules such as `::marker` and `::footnote-call` select every element, and
    WeasyPrint then works out six pseudo-element styles for each one: most of
    the cascade of a long list. A printed list has no list markers (its rows
    are not list items), footnotes or notes, so it looks the same without them.
    """
    import tinycss2
    from weasyprint import CSS
    from weasyprint.css.counters import CounterStyle
    from weasyprint.html import UA

    rules = tinycss2.parse_stylesheet(UA, skip_comments=True, skip_whitespace=True)
    kept = [
        rule for rule in rules if rule.type != "qualified-rule" or not tinycss2.serialize(rule.prelude).startswith("::")
    ]
    user_agent = CSS(string=tinycss2.serialize(kept), counter_style=CounterStyle())

    class ListHTML(html_class):
        def _ua_stylesheets(self, forms=False):
            return [user_agent]

    return ListHTML


def print_stylesheet():
    """css/print.css, parsed once per version of the file rather than for each PDF."""
    path = static_file(settings.SITE_URL + static("css/print.css"))
    return parsed_stylesheet(path, os.stat(path).st_mtime_ns)


@functools.lru_cache(maxsize=1)
def parsed_stylesheet(path, modified):
    from weasyprint import CSS

    return CSS(filename=path)


fonts = threading.local()


def font_configuration():
    """A FontConfiguration kept by each thread: Pango then keeps the fonts it loaded and shaped for the next PDF."""
    if not hasattr(fonts, "configuration"):
        from weasyprint.text.fonts import FontConfiguration

        fonts.configuration = FontConfiguration()
    return fonts.configuration


def back_page(document):
    """The index of the page where the back matter (the codes) begins, or None."""
    return next((number for number, page in enumerate(document.pages) if "back" in page.anchors), None)


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
