"""Print profiles: a centre saves its list under a short link and reprints it next month with that day's listings."""

import datetime as dt
import html
import re
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.test import Client

from meetings.models import PrintProfile
from tests.clock import frozen
from tests.factories import make_meeting
from tests.pdf_pages import pdf_of, text_of

DECEMBER = dt.datetime(2026, 12, 1, 17, tzinfo=dt.UTC)
JANUARY = dt.datetime(2027, 1, 5, 17, tzinfo=dt.UTC)
CENTRE = {
    "area": "arizona",
    "title": "Meetings near Sunrise Recovery",
    "header": "Sunrise Recovery Center",
    "intro": "Arrive ten minutes early.\n\nSay you are new: nobody will ask you to speak.",
    "contact": "Aftercare: 555-0199",
    "layout": "booklet",
}


@pytest.fixture
def listings(arizona):
    return {"hope": make_meeting(arizona, name="Hope on Main", times=[(2, "19:00", "20:00")])}


def save(client, params, **extra):
    return client.post("/print/p/", {"query": urlencode(params, doseq=True)}, **extra)


def saved(client, params):
    response = save(client, params)
    assert response.status_code == 303, response.content[:300]
    return response["Location"]


def test_saving_a_list_gives_a_short_unguessable_link(client, listings):
    link = saved(client, CENTRE)
    token = re.fullmatch(r"/print/p/([A-Za-z0-9_-]+)/", link).group(1)
    assert len(token) == 12  # 72 random bits
    profile = PrintProfile.objects.get()
    assert profile.token == token
    assert saved(client, CENTRE) != link  # each save is its own link


def test_the_link_reproduces_the_list_with_that_days_listings(client, listings, arizona):
    with frozen(DECEMBER):
        link = saved(client, CENTRE)
    listings["hope"].name = "Hope on Second"
    listings["hope"].save()
    make_meeting(arizona, name="New Year Hope", times=[(3, "12:00", None)])
    with frozen(JANUARY):
        response = client.get(link)
    body = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "<h1>Meetings near Sunrise Recovery</h1>" in body
    assert '<p class="org">Sunrise Recovery Center</p>' in body
    assert '<p class="intro">Arrive ten minutes early.</p>' in body
    assert '<p class="intro">Say you are new: nobody will ask you to speak.</p>' in body
    assert '<p class="contact">Aftercare: 555-0199</p>' in body
    assert "Made on January 5, 2027" in body
    assert "Hope on Second" in body and "New Year Hope" in body and "Hope on Main" not in body
    assert 'class="layout-booklet' in body


def test_the_links_pdf_is_the_same_list(client, listings):
    link = saved(client, CENTRE)
    reader = pdf_of(client, "", path=link.rstrip("/") + ".pdf")
    assert len(reader.pages) == 2  # a booklet: one sheet, both sides
    direct = client.get("/print.pdf?" + urlencode(CENTRE) + "&show=1")
    assert client.get(link.rstrip("/") + ".pdf").content == direct.content  # one cached PDF for one list


def test_opening_a_link_notes_the_day_once_a_day(client, listings, django_assert_num_queries):
    with frozen(DECEMBER):
        link = saved(client, {"area": "arizona"})
    with frozen(JANUARY):
        client.get(link)
        assert PrintProfile.objects.get().last_opened_on == dt.date(2027, 1, 5)
        with django_assert_num_queries(6):  # the profile, then the list: no write on a second visit that day
            client.get(link)


def test_the_list_page_offers_to_save_it_and_the_saved_page_shows_its_link(client, listings):
    response = client.get("/print/?area=arizona&show=1")
    body = response.content.decode()
    assert '<form method="post" action="/print/p/"' in body and 'name="csrfmiddlewaretoken"' in body
    assert 'name="query" value="area=arizona&amp;show=1"' in body
    assert response["Referrer-Policy"] == "same-origin"  # so the browser's POST names its origin
    link = saved(client, {"area": "arizona"})
    saved_page = client.get(link).content.decode()
    assert f"http://testserver{link}" in saved_page
    assert "written by whoever saved it, not by the directory" in saved_page  # anyone may save any words
    assert 'action="/print/p/"' not in saved_page


def test_saving_checks_the_form_came_from_our_page(listings):
    client = Client(enforce_csrf_checks=True)
    assert save(client, {"area": "arizona"}).status_code == 403
    page = client.get("/print/?area=arizona&show=1").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post("/print/p/", {"query": "area=arizona", "csrfmiddlewaretoken": token})
    assert response.status_code == 303


@pytest.mark.parametrize(
    "params, message",
    [
        ({"day": "9"}, "&#x27;9&#x27; is not a day."),
        ({"near": "Atlantis Undersea"}, "We couldn&#x27;t find &#x27;Atlantis Undersea&#x27;"),
        ({"intro": "x" * 601}, "at most 600 characters"),
        ({"layout": "poster"}, "Select a valid choice. poster"),
    ],
)
def test_a_list_that_cannot_be_made_is_not_saved_and_says_why(client, listings, params, message):
    response = save(client, params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'name="intro"' in response.content.decode()  # the builder, to fix it
    assert not PrintProfile.objects.exists()


def test_an_empty_or_huge_save_is_refused_with_a_message(client, listings):
    empty = client.post("/print/p/", {"query": " "})
    assert empty.status_code == 400 and "make a list first" in empty.content.decode()
    huge = client.post("/print/p/", {"query": "q=" + "x" * 9000})
    assert huge.status_code == 400 and "too long to save" in huge.content.decode()
    assert not PrintProfile.objects.exists()


def test_saving_is_a_post(client, listings):
    assert client.get("/print/p/").status_code == 405


def test_an_unknown_link_is_a_404_that_says_what_happened(client, db):
    for path in ("/print/p/AAAAAAAAAAAA/", "/print/p/AAAAAAAAAAAA.pdf"):
        response = client.get(path)
        assert response.status_code == 404
        assert "a saved list nobody opens for a year is removed" in html.unescape(response.content.decode())


def test_saving_is_limited_per_visitor(client, listings):
    for _ in range(20):
        assert save(client, {"area": "arizona"}).status_code == 303
    refused = save(client, {"area": "arizona"})
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    other = save(client, {"area": "arizona"}, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 303


def test_nothing_about_the_visitor_is_kept(client, listings):
    save(client, CENTRE, REMOTE_ADDR="198.51.100.23", HTTP_USER_AGENT="Mozilla/5.0 (private)")
    assert [field.name for field in PrintProfile._meta.get_fields()] == [
        "id",
        "token",
        "query",
        "created_on",
        "last_opened_on",
    ]
    values = " ".join(str(value) for value in PrintProfile.objects.values_list(flat=False).get())
    assert "198.51.100" not in values and "Mozilla" not in values


def test_a_saved_7_day_sheet_starts_on_the_day_it_is_opened(client, listings):
    with frozen(DECEMBER):
        link = saved(client, {"area": "arizona", "kind": "next7", "start": "2026-12-03"})
    assert "start" not in PrintProfile.objects.get().query
    with frozen(JANUARY):
        body = html.unescape(client.get(link).content.decode())
    assert "Today, Tuesday, January 5" in body


def test_unused_profiles_are_removed_after_a_year(listings, capsys):
    old = PrintProfile.objects.create(query="area=arizona", last_opened_on=dt.date(2025, 11, 30))
    kept = PrintProfile.objects.create(query="area=arizona", last_opened_on=dt.date(2025, 12, 2))
    with frozen(DECEMBER):
        call_command("remove_unused_print_profiles", "--dry-run")
        assert "1 saved lists not opened for a year would be removed." in capsys.readouterr().out
        assert PrintProfile.objects.count() == 2
        call_command("remove_unused_print_profiles")
    assert list(PrintProfile.objects.all()) == [kept]
    assert not PrintProfile.objects.filter(pk=old.pk).exists()


def test_a_profile_whose_list_no_longer_works_says_why(client, listings, arizona):
    profile = PrintProfile.objects.create(query="area=gone-area&title=Old")
    response = client.get(profile.get_absolute_url())
    body = html.unescape(response.content.decode())
    assert "There is no service area with that name." in body
    assert 'name="title"' in body


def test_the_pdf_text_of_a_saved_list_carries_the_centres_words(client, listings):
    link = saved(client, {**CENTRE, "layout": "page"})
    text = text_of(pdf_of(client, "", path=link.rstrip("/") + ".pdf"))
    assert "Sunrise Recovery Center" in text and "Aftercare: 555-0199" in text
    assert "Arrive ten minutes early." in text
