"""A printed list in English or Spanish whatever the page's language: its words, dates and times, <html lang>,
the PDF's language; the page's own toolbar keeps the page's language."""

import datetime as dt
import html
import re

import pytest

from tests.clock import frozen
from tests.factories import make_meeting
from tests.pdf_pages import pdf_of, text_of

THURSDAY_MORNING = dt.datetime(2026, 12, 3, 16, tzinfo=dt.UTC)  # 9:00 AM in Phoenix, Thursday 3 December


@pytest.fixture
def listings(arizona):
    make_meeting(arizona, name="Esperanza", times=[(4, "21:00", "22:00"), (5, "19:00", None)])


def page(client, query, language="en"):
    prefix = "" if language == "en" else f"/{language}"  # the page's language is its address's
    response = client.get(f"{prefix}/print/?{query}&show=1")
    assert response.status_code == 200
    return response, html.unescape(response.content.decode())


def test_a_spanish_list_on_an_english_page_is_marked_spanish_and_its_toolbar_english(client, listings):
    response, body = page(client, "area=arizona&language=es")
    assert '<html lang="es"' in body
    assert response["Content-Language"] == "es"
    toolbar = re.search(r'<nav class="toolbar" lang="en".*?</nav>', body, re.DOTALL).group(0)
    assert "Download PDF" in toolbar and "Change this list" in toolbar


def test_an_english_list_on_a_spanish_page_is_marked_english(client, listings):
    response, body = page(client, "area=arizona&language=en", language="es")
    assert '<html lang="en"' in body and response["Content-Language"] == "en"
    assert '<nav class="toolbar" lang="es"' in body
    assert "Made on" in body and "Monday" not in body  # Thursday and Friday only


def test_without_a_choice_the_list_follows_the_page(client, listings):
    _response, body = page(client, "area=arizona", language="es")
    assert '<html lang="es"' in body


def test_spanish_dates_and_times_follow_the_sites_spanish_formats(client, listings):
    with frozen(THURSDAY_MORNING):
        response, body = page(client, "kind=next7&area=arizona&language=es")
    days = [day for _heading, days in response.context["sections"] for day, _entries in days]
    assert days[0] == "Hoy, jueves, 3 de diciembre"  # "Today" from Django's own Spanish catalogue
    assert days[2] == "Sábado, 5 de diciembre"
    assert "9:00\u00a0p.\u00a0m. MST" in body  # as the rest of the Spanish site writes it
    assert "3 de diciembre de 2026" in body


def test_the_weekly_schedule_in_spanish_names_its_days_in_spanish(client, listings):
    _response, body = page(client, "area=arizona&language=es")
    assert '<h2 class="day">Jueves</h2>' in body and '<h2 class="day">Viernes</h2>' in body
    assert "9:00\u00a0p.\u00a0m. MST" in body and "9:00\u00a0PM" not in body


def test_the_pdf_declares_the_lists_language(client, listings):
    english = pdf_of(client, "area=arizona")
    spanish = pdf_of(client, "area=arizona&language=es")
    assert english.trailer["/Root"]["/Lang"] == "en"
    assert spanish.trailer["/Root"]["/Lang"] == "es"
    assert "9:00 PM MST" in text_of(english) and "9:00 p. m. MST" in text_of(spanish)  # two PDFs, each cached


def test_a_language_we_do_not_print_in_is_refused_with_a_message(client, listings):
    _response, body = page(client, "area=arizona&language=fr")
    assert "Language of the list:" in body and "Select a valid choice. fr" in body
    assert client.get("/print.pdf?area=arizona&language=fr").status_code == 400
