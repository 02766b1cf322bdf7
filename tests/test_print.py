"""Printed lists and PDFs for treatment-centre staff, from the website's own filters."""

import io
import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from meetings.models import Meeting, MeetingTime
from tests.factories import make_location, make_meeting


@pytest.fixture
def listings(arizona, colorado):
    denver = make_location(colorado, city="Denver", state="CO", timezone="America/Denver", address="1 Larimer St")
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


def pdf_text(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_without_parameters_the_builder_form_is_shown(client, db):
    body = client.get("/print/").content.decode()
    assert "Print a meeting list" in body
    assert 'name="title"' in body and 'name="paper"' in body and 'name="area"' in body


def test_the_printable_page_lists_the_filtered_meetings(client, listings):
    body = client.get("/print/?area=arizona&show=1").content.decode()
    assert "Hope on Main" in body and "Zoom Hope" in body
    assert "Mile High" not in body
    assert "HA meetings in Arizona" in body


def test_temporarily_closed_and_archived_meetings_are_left_out(client, listings):
    body = client.get("/print/?show=1").content.decode()
    assert "Paused One" not in body and "Archived One" not in body


def test_the_legend_lists_exactly_the_codes_used(client, listings):
    response = client.get("/print/?area=arizona&show=1")
    legend = dict(response.context["legend"])
    assert set(legend) == {"O", "C", "D", "W", "BE", "ONL"}
    assert legend["W"] == "Women"
    assert "SP" not in legend  # only the Denver meeting is a speaker meeting


def test_times_are_in_each_meetings_own_zone(client, listings):
    body = client.get("/print/?day=1&show=1").content.decode()
    assert re.search(r"7:00 PM <small>MST</small>", body)  # Phoenix, all year
    assert body.count("7:00 PM") == 2  # Denver's 19:00 too, not converted to another zone


def test_online_meetings_can_be_left_out(client, listings):
    body = client.get("/print/?area=arizona&remote=0&show=1").content.decode()
    assert "Zoom Hope" not in body and "Hope on Main" in body


def test_grouping_by_city(client, listings):
    response = client.get("/print/?group=city&show=1")
    assert [heading for heading, _days in response.context["sections"]] == ["Denver", "Phoenix", "Online and phone"]


def test_an_empty_list_says_so(client, listings):
    body = client.get("/print/?area=arizona&day=6&show=1").content.decode()
    assert "No meeting matches this list" in body


def test_bad_parameters_give_a_clear_message(client, listings):
    response = client.get("/print/?day=9&paper=tabloid&show=1")
    assert response.status_code == 200
    body = response.content.decode().replace("&#x27;", "'")
    assert "'9' is not a day" in body
    assert "tabloid" in body


def test_a_bad_pdf_request_is_a_400_with_the_reason(client, listings):
    response = client.get("/print.pdf?radius=-5")
    assert response.status_code == 400
    assert "more than 0" in response.content.decode()
    assert client.get("/print.pdf?near=Atlantis%20Undersea").status_code == 400


def test_the_pdf_is_a_real_pdf_with_the_meetings_and_the_legend(client, listings):
    reader, text = pdf_text(client.get("/print.pdf?area=arizona&title=Near+Sunrise+Recovery"))
    assert "Near Sunrise Recovery" in text
    assert "Hope on Main" in text and "Zoom Hope" in text
    assert "Mile High" not in text
    assert "Women" in text and "Newcomer" in text  # the legend
    assert re.search(r"1\s*/\s*1", text)  # page N of M


def test_the_pdf_carries_a_qr_code_and_the_live_address(client, listings, settings):
    response = client.get("/print/?area=arizona&show=1")
    assert response.context["live_url"] == f"{settings.SITE_URL}/meetings/?area=arizona"
    assert response.context["qr"].startswith("data:image/svg+xml")


def test_a_300_meeting_list_renders_every_meeting(client, arizona):
    location = make_location(arizona)
    meetings = Meeting.objects.bulk_create(
        Meeting(name=f"Meeting {n:03d}", slug=f"m-{n}", area=arizona, location=location, timezone="America/Phoenix")
        for n in range(300)
    )
    MeetingTime.objects.bulk_create(
        MeetingTime(meeting=m, weekday=n % 7, start_time=f"{7 + n % 14:02d}:00") for n, m in enumerate(meetings)
    )
    started = time.perf_counter()
    reader, text = pdf_text(client.get("/print.pdf?area=" + arizona.slug))
    print(f"300 meetings: {len(reader.pages)} pages in {time.perf_counter() - started:.2f} s")
    flat = text.replace("\n", " ")
    assert all(f"Meeting {n:03d}" in flat for n in range(300))
    assert 8 <= len(reader.pages) <= 30


def test_the_print_page_costs_the_same_queries_for_5_or_30_meetings(client, arizona):
    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/print/?area=arizona&show=1").status_code == 200
        return len(captured)

    for n in range(5):
        make_meeting(arizona, types=["D"], times=[(n % 7, "19:00", None)])
    client.get("/print/?area=arizona&show=1")
    few = count()
    for n in range(25):
        make_meeting(arizona, types=["SP", "W"], times=[(n % 7, "12:00", None)])
    assert count() == few


def test_weasyprint_never_fetches_another_host(client, listings, monkeypatch):
    from meetings import printing

    fetcher = printing.static_only_fetcher()
    with pytest.raises(ValueError, match="only our own static files"):
        fetcher.fetch("https://fonts.example.com/font.woff2")
    assert fetcher.fetch("http://127.0.0.1:8000/static/css/print.css").read().startswith(b"/*")


def test_a_pdf_is_cached_until_a_listing_changes(client, listings):
    first = client.get("/print.pdf?area=arizona").content
    assert client.get("/print.pdf?area=arizona").content == first
    listings["hope"].name = "Hope on Second"
    listings["hope"].save()
    _reader, text = pdf_text(client.get("/print.pdf?area=arizona"))
    assert "Hope on Second" in text
