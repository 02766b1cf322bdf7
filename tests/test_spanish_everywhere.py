"""Spanish everywhere: every public page, the printed lists and the PDF under /es/ carry no English sentence of
the catalogue (a msgid shown as it is, untranslated), and `<html lang>` says the language the text is in.
And the catalogue is whole: `makemessages` on this tree finds no message the Spanish catalogue lacks."""

import datetime as dt
import gettext
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from ha_directory import accounts
from meetings.models import Meeting, MeetingType, ScheduleChange
from tests.clock import frozen
from tests.factories import make_group, make_location, make_meeting
from tests.pdf_pages import pdf_of, text_of

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
THURSDAY_MORNING = dt.datetime(2026, 12, 3, 16, 40, tzinfo=dt.UTC)  # 9:40 AM in Phoenix, Thursday 3 December
# The same words in both languages: names, codes and units (their msgstr is their msgid, so they are not checked).
PLACEHOLDER = re.compile(r"%%|%\(\w+\)\d*[sdX]|%[sd]")
TAG = re.compile(r"<[^>]+>")
# A msgid as words of their own: "meetings" in a sentence, not in an address (example.org/meetings/).
BEFORE, AFTER = r"(?<![\w/.-])", r"(?![\w/])"


def read_catalogue(path=CATALOGUE, as_compiled=False):
    """[(msgid, msgstr)] of a .po file; a plural message counts its singular and plural, each with its forms.
    `as_compiled`: keyed as a .mo keys them (context\x04msgid; a plural once, by its singular, with its first form)."""
    entries, entry, key = [], {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry.get("msgid"):
                strs = [v for k, v in entry.items() if k.startswith("msgstr")]
                if as_compiled:
                    context = entry["msgctxt"] + "\x04" if "msgctxt" in entry else ""
                    entries.append((context + entry["msgid"], strs[0] if strs else ""))
                else:
                    entries.append((entry["msgid"], strs[0] if strs else ""))
                    if "msgid_plural" in entry:
                        entries.append((entry["msgid_plural"], strs[-1] if strs else ""))
            entry, key = {}, None
        elif line.startswith("#"):
            continue
        elif match := re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) \"(.*)\"$", line):
            key = match.group(1)
            entry[key] = unescape(match.group(2))
        elif key and line.startswith('"'):
            entry[key] += unescape(line[1:-1])
    return entries


def unescape(text):
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def english_patterns():
    """{msgid: regex} for each message whose Spanish differs: its words in order, any value in its placeholders;
    and the English names and descriptions of meeting types."""
    patterns = {}
    for msgid, msgstr in read_catalogue():
        if msgstr == msgid or not re.search(r"[A-Za-z]{2}", PLACEHOLDER.sub("", msgid)):
            continue
        if re.fullmatch(r"[a-z]+", msgid):
            continue  # "meetings", "today": a field's name in the admin, or a word of an address or a parameter
        # Visible text has no tags, and a %(value)s may hold anything short; "%%" is a "%" once rendered.
        parts = PLACEHOLDER.split(TAG.sub("", msgid.replace("%%", "\0")))
        words = [re.escape(" ".join(part.replace("\0", "%").split())) for part in parts]
        if PLACEHOLDER.search(msgid) and len(" ".join(words).split()) < 2:
            continue  # "%(first)s and %(last)s": one word says nothing about the language
        pattern = r".{0,80}?".join(words)
        patterns[msgid] = re.compile(BEFORE + pattern + (AFTER if msgid[-1:].isalnum() else ""))
    # Type names and descriptions live in the database, with their Spanish beside them.
    for kind in MeetingType.objects.exclude(translations__es=None):
        for field in ("name", "description"):
            english, spanish = getattr(kind, field), kind.localized(field, "es")
            if english and english != spanish:
                patterns[english] = re.compile(BEFORE + re.escape(english) + AFTER)
    return patterns


class VisibleText(HTMLParser):
    """What a reader meets, by language: text, and the attributes that are read aloud or shown."""

    READ = {"title", "alt", "aria-label", "placeholder", "content", "label"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, language):
        super().__init__(convert_charrefs=True)
        self.stack = [("", language, False)]
        self.text = {}

    def add(self, language, text):
        text = " ".join(text.split())
        if text:
            self.text.setdefault(language, []).append(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        _tag, language, hidden = self.stack[-1]
        language = (attrs.get("lang") or language).split("-")[0]
        if tag == "html" and attrs.get("lang"):
            self.stack[0] = ("", language, False)
        # Scripts, styles and JSON-LD (schema.org's English vocabulary) are not read; data-* messages by our scripts.
        quiet = hidden or tag in ("script", "style")
        for name, value in attrs.items():
            shown = name in self.READ or (name == "value" and attrs.get("type") in ("submit", "button", "reset"))
            unread_meta = tag == "meta" and name == "content" and attrs.get("name") in (None, "viewport", "robots")
            if value and (shown or (name.startswith("data-") and " " in value)) and not unread_meta:
                self.add(language, value)
        if tag not in self.VOID:
            self.stack.append((tag, language, quiet))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        _tag, language, quiet = self.stack[-1]
        if not quiet:
            self.add(language, data)


def visible_text(body, language):
    parser = VisibleText(language)
    parser.feed(body)
    return {code: "\n".join(lines) for code, lines in parser.text.items()}


def english_left(text, patterns):
    """["msgid" in "…where it shows…"] for each English message found."""
    found = []
    for msgid, pattern in sorted(patterns.items()):
        if match := pattern.search(text):
            where = " ".join(text[max(match.start() - 30, 0) : match.end() + 30].split())
            found.append(f"{msgid!r} in {where!r}")
    return found


@pytest.fixture
def directory(arizona, settings):
    """A small directory with something of each kind a page can say: open, closed, online, phone, hybrid, a
    city-only place, a group, types, a cancellation, a closure and a move, one meeting closed for now."""
    settings.MAP_TILES_URL = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_ATTRIBUTION = "Example tiles"
    settings.SITE_URL = "https://meetings.example.org"
    group = make_group(arizona, name="Desierto", notes="x", venmo="@desierto")
    place = make_location(arizona, name="Iglesia", address="12 Calle Central", notes="x")
    serenidad = make_meeting(
        arizona, name="Serenidad", group=group, location=place, access="open", types=["D", "ST", "BE", "X"],
        times=[(4, "10:00", "11:00"), (1, "19:00", "20:00")],
    )  # fmt: skip
    diaria = make_meeting(
        arizona, name="Diaria", location=place, access="closed", types=["SP", "W"],
        times=[(day, "19:00", "20:00") for day in range(7)],
    )  # fmt: skip
    make_meeting(
        arizona, name="Zum", location=None, conference_url="https://meet.example.com/z",
        conference_phone="+15550100123,,123456#", times=[(4, "09:30", "10:30"), (4, "13:00", None)],
    )  # fmt: skip
    make_meeting(arizona, name="Telefono", location=None, conference_phone="+15550100124", times=[(5, "20:00", None)])
    make_meeting(
        arizona, name="Mixta", conference_url="https://meet.example.com/m", types=["HNI"],
        location=make_location(arizona, name="Centro", address="3 Calle Sur", approximate=True),
        times=[(6, "12:00", None)],
    )  # fmt: skip
    make_meeting(
        arizona, name="Pausa", status="temporarily_closed", times=[(2, "18:00", None)],
        location=make_location(arizona, address="7 Calle Norte"),
    )  # fmt: skip
    ScheduleChange.objects.create(meeting=serenidad, kind="cancelled", date=dt.date(2026, 12, 7), note="Navidad")
    ScheduleChange.objects.create(
        meeting=diaria, kind="closed", date=dt.date(2026, 12, 14), until=dt.date(2026, 12, 21)
    )
    ScheduleChange.objects.create(
        meeting=serenidad, kind="moved", date=dt.date(2026, 12, 10), new_date=dt.date(2026, 12, 11),
        new_start=dt.time(18, 30),
    )  # fmt: skip
    with frozen(THURSDAY_MORNING):
        yield


PAGES = [
    "/", "/meetings/", "/meetings/?near=85004", "/meetings/?near=85004&day=4&type=D&access=open&sort=distance",
    "/meetings/?q=zzzz", "/meetings/?near=nowhere-at-all&day=9&after=25:00", "/meetings/?upcoming=1&attendance=online",
    "/meetings/?area=arizona&page=99", "/meetings/serenidad-phoenix/", "/meetings/diaria-phoenix/",
    "/meetings/zum/", "/meetings/telefono/", "/meetings/mixta-phoenix/", "/meetings/pausa-phoenix/",
    "/meetings/serenidad-phoenix/report/",
    "/groups/desierto/", "/areas/arizona/", "/print/", "/print/?area=arizona&show=1",
    "/print/?area=arizona&show=1&per_day=1&group=city", "/print/?kind=next7&area=arizona&show=1",
    "/print/?area=arizona&layout=large&show=1", "/print/?area=arizona&layout=trifold&show=1",
    "/print/?area=arizona&layout=booklet&show=1", "/print/?area=arizona&layout=pocket&show=1",
    "/print/?near=85004&radius=1&type=LGBTQ&show=1", "/print/?day=9&layout=none&show=1", "/print/p/nothingthere/",
    "/meetings/no-such-meeting/",
]  # fmt: skip


def get(client, path):
    response = client.get(path)
    assert response.status_code in (200, 400, 404), (path, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_a_spanish_page_has_no_english_sentence_left(client, directory, path):
    patterns = english_patterns()
    body = get(client, "/es" + path)
    assert re.search(r'<html lang="es"', body), f"/es{path} is not marked Spanish"
    text = visible_text(body, "es")
    left = english_left(text.get("es", ""), patterns)
    assert not left, f"/es{path} shows English: {left}"
    # Only the links to the English page, each marked lang="en", are in English.
    assert set(text) <= {"es", "en"} and len(text.get("en", "")) < 40, (path, text.get("en"))


ENGLISH_PAGES = ["/", "/meetings/?near=85004", "/meetings/serenidad-phoenix/", "/print/?area=arizona&show=1"]


@pytest.mark.parametrize("path", ENGLISH_PAGES)
def test_an_english_page_is_marked_english_and_has_no_spanish_sentence(client, directory, path):
    spanish = {
        msgstr: re.compile(re.escape(msgstr))
        for msgid, msgstr in read_catalogue()
        if msgstr != msgid and not PLACEHOLDER.search(msgstr) and len(msgstr.split()) >= 3
    }
    body = get(client, path)
    assert re.search(r'<html lang="en"', body)
    text = visible_text(body, "en")
    assert not english_left(text.get("en", ""), spanish), path


def test_a_spanish_pdf_has_no_english_sentence_left(client, directory):
    patterns = english_patterns()
    for query in ["area=arizona", "area=arizona&layout=trifold", "kind=next7&area=arizona&layout=large"]:
        reader = pdf_of(client, query, path="/es/print.pdf")
        assert reader.trailer["/Root"]["/Lang"] == "es"
        text = " ".join(text_of(reader).split())
        assert not english_left(text, patterns), (query, english_left(text, patterns))


def test_a_spanish_list_from_an_english_page_has_no_english_sentence_but_its_toolbar(client, directory):
    body = get(client, "/print/?area=arizona&language=es&show=1")
    assert '<html lang="es"' in body
    text = visible_text(body, "es")
    assert not english_left(text["es"], english_patterns())
    assert "Download PDF" in text["en"]  # the page's own toolbar, marked lang="en"


def test_a_spanish_calendar_names_its_meeting_in_spanish(client, directory):
    body = client.get("/es/meetings/zum.ics").content.decode()
    unfolded = body.replace("\r\n ", "")
    assert "SUMMARY:Zum (reunión de HA)" in unfolded
    assert not english_left(unfolded, english_patterns())


def test_the_catalogue_tests_itself_against_an_english_page(client, directory):
    """The walk finds English where there is some: the English home page is full of msgids."""
    left = english_left(visible_text(get(client, "/"), "en")["en"], english_patterns())
    assert any(item.startswith("'Find a Heroin Anonymous meeting' in") for item in left)
    assert any(item.startswith("'Use my location' in") for item in left)


def test_makemessages_finds_no_message_the_spanish_catalogue_lacks(tmp_path, settings):
    """makemessages on a copy of the tree adds nothing to a copy of the catalogue: every marked string has its
    Spanish. (A copy, since makemessages writes into the catalogue of the tree it runs in.)"""
    tree = tmp_path / "tree"
    skip = shutil.ignore_patterns(".*", "__pycache__", "staticfiles", "tests", "docs", "node_modules", "*.sqlite3*")
    shutil.copytree(ROOT, tree, ignore=skip)
    settings.LOCALE_PATHS = [tree / "locale"]
    here = os.getcwd()
    os.chdir(tree)
    try:
        call_command("makemessages", locale=["es"], no_location=True, verbosity=0, ignore_patterns=["staticfiles/*"])
    finally:
        os.chdir(here)
    copy = tree / "locale" / "es" / "LC_MESSAGES" / "django.po"
    before = {msgid for msgid, _msgstr in read_catalogue(CATALOGUE)}
    after = read_catalogue(copy)
    new = sorted(msgid for msgid, _msgstr in after if msgid not in before)
    untranslated = sorted(msgid for msgid, msgstr in after if msgid and not msgstr)
    lines = copy.read_text(encoding="utf-8").splitlines()
    fuzzy = [line for line in lines if line.startswith("#,") and "fuzzy" in line]
    assert not new, f"Marked for translation but not in locale/es (run makemessages, then translate): {new}"
    assert not untranslated, f"No Spanish yet: {untranslated}"
    assert not fuzzy, "Fuzzy entries in the Spanish catalogue (makemessages guessed them): check and unmark them."


def test_a_volunteer_reading_spanish_gets_the_reset_email_in_spanish(client, django_user_model, monkeypatch):
    django_user_model.objects.create_user("vera", "vera@example.org", "a-passphrase", is_staff=True)
    jobs = []
    monkeypatch.setattr(accounts, "run_in_background", lambda function, *args: jobs.append((function, args)))
    response = client.post(reverse("admin_password_reset"), {"email": "vera@example.org"}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 302
    translation.activate("en")  # the thread that sends starts in no language of the request's
    for function, args in jobs:
        function(*args)
    (message,) = mail.outbox
    assert "contraseña" in message.subject + message.body and "password" not in message.body


def admin_pages():
    """The volunteers' pages: each model's list and form, a meeting's form and history, the import and quality
    pages."""
    pages = ["/admin/", "/admin/quality/", reverse("admin:meetings_meeting_import"), "/admin/password_reset/"]
    for model in admin.site._registry:
        if model._meta.app_label not in ("meetings", "groups"):
            continue  # Django's and django-axes' own pages come with their own Spanish
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages += [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
    meeting = Meeting.objects.get(slug="serenidad-phoenix")
    pages += [reverse("admin:meetings_meeting_change", args=[meeting.pk])]
    pages += [reverse("admin:meetings_meeting_history", args=[meeting.pk])]
    return pages


def test_the_admin_in_spanish_has_no_english_sentence_left(admin_client, directory):
    failures = []
    for path in admin_pages():
        patterns = english_patterns()
        response = admin_client.get(path, HTTP_ACCEPT_LANGUAGE="es")
        if response.status_code == 403 and path.endswith("/add/"):
            continue  # records nobody adds by hand (change requests, history)
        assert response.status_code == 200, (path, response.status_code)
        body = response.content.decode()
        assert re.search(r'<html lang="es"', body), path
        text = visible_text(body, "es").get("es", "")
        if "/meetingtype/" in path:  # the types' own list and form edit their English names: data there
            names = MeetingType.objects.values_list("name", flat=True)
            text = re.sub("|".join(re.escape(name) for name in names), "", text)
        if left := english_left(text, patterns):
            failures.append(f"{path} shows English: {left}")
    assert not failures, "\n".join(failures)


def test_the_compiled_catalogue_is_the_catalogue():
    """locale/es/LC_MESSAGES/django.mo is committed (a fresh machine needs no gettext to show Spanish): it must say
    what django.po says. After editing the .po: manage.py compilemessages -l es --ignore ".venv/*"."""
    with open(CATALOGUE.with_suffix(".mo"), "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    compiled_text = {key if isinstance(key, str) else key[0]: value for key, value in catalogue.items()
                     if isinstance(key, str) or key[1] == 0}  # fmt: skip
    stale = [msgid for msgid, msgstr in read_catalogue(as_compiled=True) if msgstr != compiled_text.get(msgid)]
    assert not stale, f"django.mo is older than django.po (compile it): {stale[:5]}"


def test_the_search_names_languages_in_spanish_in_spanish_order(client, directory):
    body = get(client, "/es/meetings/")
    select = re.search(r'<select[^>]*name="lang".*?</select>', body, re.DOTALL).group(0)
    names = re.findall(r'<option value="[a-z]{2}"[^>]*>([^<]+)</option>', select)
    assert names[:4] == ["Alemán", "Árabe", "Coreano", "Español"], names


def test_a_volunteer_locked_out_in_spanish_reads_why_in_spanish(client, django_user_model, settings):
    django_user_model.objects.create_user("vera", "vera@example.org", "a-passphrase", is_staff=True)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            reverse("admin:login"), {"username": "vera", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="es"
        )
    assert response.status_code == 429
    assert response.content.decode().startswith("Cuenta bloqueada: demasiados intentos")


def test_every_spanish_address_of_the_sitemap_has_no_english_sentence_left(client, directory):
    """Whatever page the sitemap lists (a new kind of page included), its Spanish version passes the same walk."""
    patterns = english_patterns()
    sitemap = get(client, "/sitemap.xml")
    spanish = sorted(set(re.findall(r"<loc>https?://[^/<]+(/es/[^<]*)</loc>", sitemap)))
    assert len(spanish) >= 8, spanish  # the home page, results, print, each meeting, group and area
    failures = []
    for path in spanish:
        body = get(client, path)
        assert re.search(r'<html lang="es"', body), path
        if left := english_left(visible_text(body, "es").get("es", ""), patterns):
            failures.append(f"{path} shows English: {left}")
    assert not failures, "\n".join(failures)
