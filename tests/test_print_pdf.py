"""PDF meeting lists, rendered on the server by WeasyPrint from the print page's template."""

import datetime as dt
import io
import os
import re
import sys
import time

import pytest
from django.core.checks import run_checks
from pypdf import PdfReader

from meetings.models import Location, Meeting, MeetingTime, MeetingType
from meetings.printing import layout, pdf
from meetings.printing.pdf import render_pdf, static_only_fetcher
from tests.clock import frozen
from tests.factories import make_location, make_meeting

SUMMER = dt.datetime(2026, 7, 1, 12, tzinfo=dt.UTC)  # Denver keeps MDT, Phoenix keeps MST all year


@pytest.fixture
def listings(arizona, colorado):
    denver = make_location(
        colorado, city="Denver", state="CO", postal_code="80202", latitude=39.7392, longitude=-104.9903,
        timezone="America/Denver", address="1 Larimer St",
    )  # fmt: skip
    return {
        "hope": make_meeting(
            arizona, name="Hope on Main", access="open", types=["D", "W"], times=[(1, "19:00", "20:00")]
        ),
        "mile": make_meeting(colorado, name="Mile High", location=denver, types=["SP"], times=[(1, "19:00", None)]),
        "zoom": make_meeting(
            arizona,
            name="Zoom Hope",
            location=None,
            conference_url="https://meet.example.com/z",
            types=["BE"],
            times=[(2, "20:00", None)],
        ),
        "paused": make_meeting(arizona, name="Paused One", status=Meeting.Status.TEMPORARILY_CLOSED),
        "gone": make_meeting(arizona, name="Archived One", status=Meeting.Status.ARCHIVED),
    }


def pdf_of(client, query):
    response = client.get(f"/print.pdf?{query}")
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return reader, text_of(reader)


def text_of(reader):
    """The PDF's text line by line as laid out, with runs of spaces (and no-break spaces) as one space."""
    pages = (page.extract_text(extraction_mode="layout") for page in reader.pages)
    return "\n".join(re.sub(r"[ \u00a0]+", " ", text) for text in pages)


def test_the_pdf_is_a_real_pdf_with_the_meetings_and_the_legend(client, listings):
    reader, text = pdf_of(client, "area=arizona&title=Near+Sunrise+Recovery")
    assert len(reader.pages) == 1
    assert "Near Sunrise Recovery" in text
    assert "Hope on Main" in text and "Zoom Hope" in text
    assert "Codes" in text and "Women" in text and "Newcomer" in text and "Discussion" in text
    assert "Page 1 of 1" in text


def test_the_pdf_honours_the_filters(client, listings):
    _reader, text = pdf_of(client, "area=arizona&type=W")
    assert "Hope on Main" in text
    assert "Zoom Hope" not in text and "Mile High" not in text


def test_the_legend_lists_only_the_codes_used(client, listings):
    _reader, text = pdf_of(client, "area=arizona")
    assert "Speaker" not in text  # only the Denver meeting is a speaker meeting
    assert "Phone: dial" not in text  # no phone meeting listed
    legend = text[text.index("Codes") :]
    assert re.findall(r"\b(O|C|D|BE|W|ONL) ", legend) == ["O", "C", "D", "BE", "W", "ONL"]


def test_times_are_in_each_meetings_own_zone(client, listings):
    with frozen(SUMMER):
        _reader, text = pdf_of(client, "day=1")
    assert re.search(r"7:00 PM MST Hope on Main .* O D W", text)  # Phoenix
    assert re.search(r"7:00 PM MDT Mile High .* C SP", text)  # Denver's 19:00 in Denver


def test_temporarily_closed_and_archived_meetings_are_left_out(client, listings):
    _reader, text = pdf_of(client, "")
    assert "Hope on Main" in text and "Mile High" in text
    assert "Paused One" not in text and "Archived One" not in text


def test_an_empty_list_says_so(client, listings):
    _reader, text = pdf_of(client, "area=arizona&day=6")
    assert "No meeting matches this list" in text
    assert "Codes" not in text


def test_paper_size_follows_the_choice(client, listings):
    letter, _text = pdf_of(client, "area=arizona")
    a4, _text = pdf_of(client, "area=arizona&paper=a4")
    assert (round(letter.pages[0].mediabox.width), round(letter.pages[0].mediabox.height)) == (612, 792)
    assert (round(a4.pages[0].mediabox.width), round(a4.pages[0].mediabox.height)) == (595, 842)


def test_two_columns_grouped_by_city(client, listings):
    reader, text = pdf_of(client, "columns=2&group=city")
    assert len(reader.pages) == 1
    for words in ("Denver", "Phoenix", "Online and phone", "Mile High", "Hope on Main", "Zoom Hope"):
        assert words in text


@pytest.mark.parametrize("query", ["area=arizona", "area=arizona&columns=2"])
def test_a_meetings_name_prints_beside_its_time(client, listings, query):
    _reader, text = pdf_of(client, query)
    assert re.search(r"^ *7:00 PM.* Hope on Main", text, re.MULTILINE), text


@pytest.mark.parametrize(
    "query, messages",
    [
        ("day=9&paper=tabloid", ["Day: '9' is not a day.", "Paper: Select a valid choice. tabloid"]),
        ("radius=-5&lat=33.4", ["Distance: The distance must be more than 0.", "Give both lat and lng"]),
        ("near=Atlantis+Undersea", ["We couldn't find 'Atlantis Undersea'"]),
        ("title=" + "x" * 121, ["Title: Ensure this value has at most 120 characters"]),
    ],
)
def test_bad_parameters_are_a_400_listing_each_problem(client, listings, query, messages):
    response = client.get(f"/print.pdf?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("This list cannot be made:")
    for message in messages:
        assert message in body


def test_a_pdf_is_cached_until_a_listing_changes(client, listings):
    first = client.get("/print.pdf?area=arizona").content
    assert client.get("/print.pdf?area=arizona").content == first
    listings["hope"].name = "Hope on Second"
    listings["hope"].save()
    _reader, text = pdf_of(client, "area=arizona")
    assert "Hope on Second" in text


def test_render_pdf_takes_plain_parameters_for_the_bench(listings):
    text = text_of(PdfReader(io.BytesIO(render_pdf(layout.parse({"area": "arizona", "day": ["1", "2"]})))))
    assert "Hope on Main" in text and "Zoom Hope" in text
    with pytest.raises(layout.ListRefused, match="is not a day"):
        render_pdf(layout.parse({"day": "9"}))


def test_without_weasyprint_the_pdf_is_a_503_saying_what_to_install(client, listings, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # "import weasyprint" now fails
    response = client.get("/print.pdf?area=arizona")
    assert response.status_code == 503
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in response.content.decode()
    assert "meetings.W001" in [message.id for message in run_checks()]


def test_the_system_check_is_quiet_when_weasyprint_loads():
    assert "meetings.W001" not in [message.id for message in run_checks()]


def test_weasyprint_fetches_nothing_but_our_static_files(settings):
    settings.SITE_URL = "https://meetings.example.org"
    fetcher = static_only_fetcher()
    assert fetcher.fetch("https://meetings.example.org/static/css/print.css").read().startswith(b"/*")
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    for url in (
        "https://fonts.example.com/font.woff2",
        "https://meetings.example.org/meetings/",
        "https://meetings.example.org/static/../ha_directory/settings.py",
        "https://meetings.example.org/static/css/../../ha_directory/settings.py",
        "https://meetings.example.org.evil.example/static/css/print.css",
        "file:///etc/passwd",
    ):
        with pytest.raises(ValueError, match="only our own static files"):
            fetcher.fetch(url)


def test_a_300_meeting_list_renders_every_meeting_on_a_sensible_number_of_pages(client, arizona):
    halls = [make_location(arizona, name=f"Hall {n}", city=["Phoenix", "Tempe", "Mesa"][n % 3]) for n in range(6)]
    meetings = Meeting.objects.bulk_create(
        Meeting(
            name=f"Meeting {n:03d} Hope",
            slug=f"bulk-{n}",
            area=arizona,
            location=halls[n % 6],
            timezone="America/Phoenix",
            access=Meeting.Access.OPEN if n % 2 else Meeting.Access.CLOSED,
        )
        for n in range(300)
    )
    MeetingTime.objects.bulk_create(
        MeetingTime(meeting=m, weekday=n % 7, start_time=dt.time(7 + n % 14, 30)) for n, m in enumerate(meetings)
    )
    types = list(MeetingType.objects.filter(code__in=["D", "SP", "ST", "W"]))
    Meeting.types.through.objects.bulk_create(
        Meeting.types.through(meeting=m, meetingtype=types[n % 4]) for n, m in enumerate(meetings)
    )
    assert Location.objects.count() == 6

    started = time.perf_counter()
    response = client.get("/print.pdf?area=arizona")
    elapsed = time.perf_counter() - started
    reader = PdfReader(io.BytesIO(response.content))
    text = text_of(reader)
    print(f"300 meetings: {len(reader.pages)} pages in {elapsed:.2f} s")  # the 2 s budget is checked by bench
    missing = [n for n in range(300) if f"Meeting {n:03d} Hope" not in text]
    assert not missing
    assert 6 <= len(reader.pages) <= 16
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in text


def test_an_edited_print_stylesheet_is_parsed_again(tmp_path, monkeypatch):
    stylesheet = tmp_path / "print.css"
    stylesheet.write_text(".row { color: #111; }")
    monkeypatch.setattr(pdf, "static_file", lambda url: str(stylesheet))
    first = pdf.print_stylesheet()
    assert pdf.print_stylesheet() is first  # parsed once, not for each PDF
    stylesheet.write_text(".row { color: #222; }")
    os.utime(stylesheet, ns=(stylesheet.stat().st_atime_ns, stylesheet.stat().st_mtime_ns + 1_000_000_000))
    assert pdf.print_stylesheet() is not first
