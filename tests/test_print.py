"""The printable list for treatment-centre staff: the builder form and the page, from the website's own search."""

import datetime as dt
import html
import re

import pytest

from meetings.models import Meeting
from tests.clock import frozen
from tests.factories import make_location, make_meeting

SUMMER = dt.datetime(2026, 7, 1, 12, tzinfo=dt.UTC)  # Denver keeps MDT, Phoenix keeps MST all year


@pytest.fixture
def listings(arizona, colorado):
    arizona.helpline_phone = "555-0100"
    arizona.save()
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
            conference_url_notes="Passcode 1234",
            types=["BE"],
            times=[(2, "20:00", None)],
        ),
        "paused": make_meeting(arizona, name="Paused One", status=Meeting.Status.TEMPORARILY_CLOSED),
        "gone": make_meeting(arizona, name="Archived One", status=Meeting.Status.ARCHIVED),
    }


def page(client, query):
    response = client.get(f"/print/?{query}")
    assert response.status_code == 200
    return response, html.unescape(response.content.decode())


def test_without_parameters_the_builder_form_is_shown(client, db):
    _response, body = page(client, "")
    assert "Print a meeting list" in body
    for name in ("title", "paper", "columns", "group", "remote", "area", "near", "radius", "units", "day", "type"):
        assert f'name="{name}"' in body, name
    assert 'name="attendance"' in body and 'name="access"' in body and 'name="lang"' in body
    assert 'name="show" value="1"' in body


def test_the_builder_offers_every_print_option(client, db):
    _response, body = page(client, "")
    for name in ("kind", "start", "tz", "layout", "per_day", "header", "intro", "contact", "language"):
        assert f'name="{name}"' in body, name
    for value in ("schedule", "next7", "page", "large", "trifold", "booklet", "pocket"):
        assert f'value="{value}"' in body, value
    assert re.search(r'<input type="radio" name="kind" value="schedule"[^>]*checked', body)
    assert re.search(r'<input type="radio" name="layout" value="page"[^>]*checked', body)
    assert re.search(r'<option value="en" selected>English</option>', body)  # the page's language


def test_every_builder_control_has_a_label_and_every_group_a_legend(client, db):
    _response, body = page(client, "")
    form = body[body.index('<form method="get"') : body.index("</form>")]
    controls = re.findall(r'<(?:input|select|textarea)\b(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', form)
    assert len(controls) > 30
    labelled = set(re.findall(r'<label for="([^"]+)"', form))
    assert [control for control in controls if control not in labelled] == []
    assert form.count("<fieldset>") == form.count("<legend>") >= 7
    for words in ("What to print", "Layout", "Your own words"):
        assert f"<legend>{words}</legend>" in form


def test_the_builder_can_be_opened_again_with_a_lists_choices(client, listings):
    _response, body = page(client, "area=arizona&day=1&title=Sunrise+list&paper=a4&edit=1")
    assert 'value="Sunrise list"' in body
    assert re.search(r'<option value="a4" selected>', body)
    assert re.search(r'value="1"[^>]*checked', body)


def test_the_printable_page_lists_the_filtered_meetings(client, listings):
    _response, body = page(client, "area=arizona&show=1")
    assert "Hope on Main" in body and "Zoom Hope" in body
    assert "Mile High" not in body
    assert "<h1>HA meetings in Arizona</h1>" in body
    assert "Arizona helpline: 555-0100" in body


def test_the_header_says_when_it_was_made_and_where_the_live_list_is(client, listings, settings):
    settings.SITE_URL = "https://meetings.example.org"
    with frozen(SUMMER):
        response, body = page(client, "area=arizona&day=1&show=1&title=Near+Sunrise+Recovery")
    assert "<h1>Near Sunrise Recovery</h1>" in body
    assert "Made on July 1, 2026" in body
    assert "meetings.example.org" in body
    assert response.context["live_url"] == "https://meetings.example.org/meetings/?area=arizona&day=1"
    assert re.search(r'<img class="qr" src="data:image/svg\+xml[^"]+" ', body)


def test_the_page_links_to_the_pdf_of_the_same_list(client, listings):
    _response, body = page(client, "area=arizona&day=1&paper=a4&show=1")
    assert 'href="/print.pdf?area=arizona&day=1&paper=a4&show=1"' in body


def test_the_page_has_no_inline_script_or_style_for_the_csp(client, listings):
    response, body = page(client, "area=arizona&show=1")
    assert "<script" not in body and "<style" not in body and " style=" not in body
    assert "style-src 'self'" in response["Content-Security-Policy"]


def test_paper_and_columns_choose_the_stylesheet_classes(client, listings):
    _response, body = page(client, "area=arizona&paper=a4&columns=2&show=1")
    assert 'class="layout-page paper-a4 columns-2 kind-schedule"' in body
    _response, body = page(client, "area=arizona&show=1")
    assert 'class="layout-page paper-letter columns-1 kind-schedule"' in body


def test_temporarily_closed_and_archived_meetings_are_left_out(client, listings):
    _response, body = page(client, "show=1")
    assert "Hope on Main" in body
    assert "Paused One" not in body and "Archived One" not in body


def test_the_legend_lists_exactly_the_codes_used(client, listings):
    response, _body = page(client, "area=arizona&show=1")
    legend = dict(response.context["legend"])
    assert list(legend) == ["O", "C", "D", "BE", "W", "ONL"]  # O/C, types in their usual order, ONL/PH
    assert legend["W"] == "Women" and legend["BE"] == "Newcomer"
    assert "SP" not in legend  # only the Denver meeting is a speaker meeting


def test_a_phone_meeting_adds_ph_to_the_legend_and_prints_its_dial_in(client, arizona):
    make_meeting(arizona, name="Dial Hope", location=None, conference_phone="+15550100123,,123456#")
    response, body = page(client, "area=arizona&show=1")
    assert dict(response.context["legend"])["PH"].startswith("Phone")
    assert "Phone: +15550100123 · code 123456#" in body


def test_each_row_has_its_time_codes_name_and_address_or_join_link(client, listings):
    with frozen(SUMMER):
        _response, body = page(client, "area=arizona&show=1")
    hope = re.search(r'<li class="row">[^\n]*?Hope on Main.*?</li>', body).group(0)
    assert "7:00\u00a0PM MST" in hope and "O D W" in hope and "Main St, Phoenix, AZ 85004" in hope
    zoom = re.search(r'<li class="row">[^\n]*?Zoom Hope.*?</li>', body).group(0)
    assert "8:00\u00a0PM MST" in zoom and "C BE ONL" in zoom
    assert "Online: https://meet.example.com/z · Passcode 1234" in zoom


def test_times_are_in_each_meetings_own_zone(client, listings):
    with frozen(SUMMER):
        _response, body = page(client, "day=1&show=1")
    assert re.search(r"7:00\u00a0PM MST</b>[^\n]*?Hope on Main", body)  # Phoenix, no daylight saving
    assert re.search(r"7:00\u00a0PM MDT</b>[^\n]*?Mile High", body)  # Denver's 19:00, not converted


def test_online_and_phone_meetings_can_be_left_out(client, listings):
    arizona = listings["hope"].area
    hybrid = make_meeting(
        arizona, name="Hybrid Hope", location=make_location(arizona), conference_url="https://meet.example.com/h"
    )
    _response, body = page(client, "area=arizona&remote=0&show=1")
    assert "Zoom Hope" not in body
    assert "Hope on Main" in body and hybrid.name in body  # a hybrid meeting has a room to go to


def test_grouping_by_city_puts_online_meetings_last(client, listings):
    response, _body = page(client, "group=city&show=1")
    assert [heading for heading, _days in response.context["sections"]] == ["Denver", "Phoenix", "Online and phone"]


def test_grouping_by_service_area(client, listings, phoenix_district):
    make_meeting(phoenix_district, name="District Hope")
    response, body = page(client, "area=arizona&group=area&show=1")
    assert [heading for heading, _days in response.context["sections"]] == ["Arizona", "Phoenix District"]
    assert '<h2 class="group">Phoenix District</h2>' in body


def test_a_list_near_a_place_is_titled_with_the_distance(client, listings):
    response, body = page(client, "near=85004&radius=5&show=1")
    assert response.context["title"] == "HA meetings within 5 mi of 85004 (Phoenix, AZ)"
    assert "Hope on Main" in body and "Mile High" not in body


def test_an_empty_list_says_so(client, listings):
    _response, body = page(client, "area=arizona&day=6&show=1")
    assert "No meeting matches this list" in body
    assert "Codes" not in body


def test_bad_parameters_give_the_same_messages_as_the_search(client, listings):
    _response, body = page(client, "day=9&paper=tabloid&title=" + "x" * 130 + "&show=1")
    search_body = html.unescape(client.get("/meetings/?day=9").content.decode())
    assert "'9' is not a day." in body and "'9' is not a day." in search_body
    assert "Paper:" in body and "tabloid" in body
    assert "at most 120 characters" in body
    assert 'name="title"' in body  # the builder, to fix it


def test_an_unknown_place_is_a_clear_message_not_an_empty_list(client, listings):
    _response, body = page(client, "near=Atlantis+Undersea&show=1")
    assert "We couldn't find 'Atlantis Undersea'" in body
    assert "No meeting matches" not in body


def test_a_misspelt_place_suggests_lists_near_close_spellings(client, listings):
    _response, body = page(client, "near=Pheonix%2C+AZ&day=1&show=1")
    assert "Did you mean:" in body
    assert '<a href="?day=1&near=Phoenix%2C+AZ&show=1">Phoenix, AZ</a>' in body


def test_the_page_costs_the_same_queries_for_5_or_30_meetings(client, arizona, django_assert_num_queries):
    def add_meetings(count):
        for n in range(count):
            make_meeting(arizona, types=["D", "SP", "W"][: n % 4], times=[(n % 7, "19:00", None)])

    url = "/print/?area=arizona&show=1"
    add_meetings(5)
    client.get(url)  # the listings version is cached on the first request
    # The area, its sub-areas, the times with their meetings and places, their types, their coming dates.
    with django_assert_num_queries(5):
        assert len(client.get(url).context["rows"]) == 5
    add_meetings(25)
    with django_assert_num_queries(5):
        assert len(client.get(url).context["rows"]) == 30


def test_the_builders_meeting_languages_are_in_the_order_of_their_names_in_the_pages_language(client, db):
    english = client.get("/print/").content.decode()
    spanish = client.get("/es/print/").content.decode()
    # Arabic before German in English; alemán before árabe in Spanish.
    assert english.index('<option value="ar"') < english.index('<option value="de"')
    assert spanish.index('<option value="de"') < spanish.index('<option value="ar"')
