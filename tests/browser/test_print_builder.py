"""The print builder in a real browser on a 390-pixel phone: every option reachable and labelled, no sideways
scrolling, no serious accessibility problem; a saved list's link opens the same list."""

import re

import pytest

from tests.browser.test_public_pages import serious_violations
from tests.factories import make_area, make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def area(db):
    area = make_area("Arizona Print Area", timezone="America/Phoenix", helpline_phone="+1 602 555 0101")
    make_meeting(area, name="Morning Light", times=[(day, "07:00", "08:00") for day in range(7)])
    make_meeting(area, name="Hope on Main", times=[(2, "19:00", "20:00")])
    return area


def test_the_builder_fits_a_390_pixel_phone_without_serious_accessibility_problems(live_server, page, area):
    page.goto(live_server.url + "/print/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    problems = serious_violations(page)
    assert not problems, problems


def test_a_centre_builds_a_booklet_in_spanish_with_its_own_words_and_saves_it(live_server, page, area):
    page.goto(live_server.url + "/print/")
    page.get_by_label("Service area").select_option(label="Arizona Print Area")
    page.get_by_label("Booklet (half pages, folded and stapled)").check()
    page.get_by_label("Header line").fill("Sunrise Recovery Center")
    page.get_by_label("A few words of your own").fill("Arrive ten minutes early.")
    page.get_by_label("Contact line").fill("Aftercare: 555-0199")
    page.get_by_label("Language of the list").select_option("es")
    page.get_by_role("button", name="Make the list").click()
    page.wait_for_url(re.compile(r"/print/\?"))
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator(".row", has_text="Morning Light").count() == 1
    assert "Sunrise Recovery Center" in page.locator(".list-header").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Save and get a link for next month").click()
    page.wait_for_url(re.compile(r"/print/p/[A-Za-z0-9_-]{12}/$"))
    link = page.url
    assert link in page.locator(".saved").first.inner_text()
    page.goto(link)
    assert "Arrive ten minutes early." in page.locator(".list-header").inner_text()
