"""A visitor proposes a change on a phone; a volunteer reviews the diff and applies part of it at 1280 px.

DOCS_SCREENSHOTS=1 writes the screenshots in docs/ (the public form and the
"still meeting?" page on a phone, a request's diff and the quality page in the admin).
"""

import os
import re
from pathlib import Path

import pytest

from groups.models import Membership
from meetings.models import ChangeRequest
from tests.browser.test_public_pages import serious_violations
from tests.factories import make_area, make_group, make_location, make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
DOCS = Path(__file__).resolve().parents[2] / "docs"
PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def listing(db):
    area = make_area("Phoenix Test District", timezone="America/Phoenix")
    group = make_group(area, name="Desert Hope")
    place = make_location(area, name="St. Brigid's Hall", postal_code="85004")
    return make_meeting(
        area, name="Hope on Main", group=group, location=place, types=["D"], times=[(1, "19:00", "20:00")]
    )


def shoot(page, name):
    if os.environ.get("DOCS_SCREENSHOTS"):
        page.screenshot(path=str(DOCS / name), full_page=True)


def test_a_visitor_proposes_a_new_time_and_a_join_link_on_a_phone(live_server, page, listing):
    page.goto(live_server.url + f"/meetings/{listing.slug}/report/")
    assert page.get_by_label("Starts").first.input_value() == "7:00 PM"
    page.get_by_label("Day").first.select_option("2")
    page.get_by_label("Starts").first.fill("6:30 pm")
    page.get_by_label("Ends (or how long)").first.fill("90 min")
    page.get_by_label("Join link").fill("https://zoom.us/j/5550100")
    page.get_by_label("Something else?").fill("We also meet online now.")
    shoot(page, "report-change-phone.png")
    assert not (problems := serious_violations(page)), problems
    page.get_by_role("button", name="Send report").click()
    page.wait_for_url(re.compile(rf"/meetings/{listing.slug}/$"))
    request = ChangeRequest.objects.get()
    assert request.proposed == {"times": [[2, "18:30", "20:00"]], "conference_url": "https://zoom.us/j/5550100"}


def test_the_add_a_meeting_form_has_no_serious_accessibility_violation(live_server, page, listing):
    page.goto(live_server.url + f"/add-a-meeting/?area={listing.area.slug}")
    assert not (problems := serious_violations(page)), problems


@pytest.fixture
def volunteer_page(browser, live_server, listing, django_user_model):
    user = django_user_model.objects.create_user("vera", "vera@example.org", PASSWORD)
    Membership.objects.create(user=user, area=listing.area)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id="America/Phoenix")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("vera")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/admin/")
    yield page
    context.close()


def test_a_volunteer_reviews_the_diff_and_applies_part_of_it(live_server, volunteer_page, listing):
    page = volunteer_page
    request = ChangeRequest.objects.create(
        meeting=listing,
        proposed={"times": [[2, "18:30", "20:00"]], "conference_url": "https://zoom.us/j/5550100"},
        current={"times": [[1, "19:00", "20:00"]], "conference_url": ""},
        message="We also meet online now.",
        contact="sam@example.org",
    )
    page.goto(live_server.url + "/admin/meetings/changerequest/")
    assert not (problems := serious_violations(page)), problems
    page.get_by_role("link", name=re.compile(f"Request #{request.pk}")).click()
    assert "Monday 7:00 PM – 8:00 PM" in page.content()
    assert "Tuesday 6:30 PM – 8:00 PM" in page.content()
    shoot(page, "request-diff-admin.png")
    assert not (problems := serious_violations(page)), problems
    page.get_by_label("Join link").uncheck()
    page.get_by_role("button", name="Apply the ticked changes").click()
    page.wait_for_url(live_server.url + "/admin/meetings/changerequest/")
    listing.refresh_from_db()
    time = listing.times.get()
    assert (time.weekday, time.start_time.strftime("%H:%M"), listing.conference_url) == (2, "18:30", "")
    request.refresh_from_db()
    assert (request.status, request.contact) == ("applied", "")


def test_the_quality_page_is_in_the_admins_frame_with_nothing_serious(live_server, volunteer_page, listing):
    page = volunteer_page
    page.goto(live_server.url + "/admin/quality/")
    assert page.get_by_role("link", name="Log out").count() + page.get_by_role("button", name="Log out").count() == 1
    assert page.locator(".breadcrumbs").count() == 1
    assert "Hope on Main" in page.locator("#unconfirmed ~ table").inner_text()
    shoot(page, "quality-admin.png")
    assert not (problems := serious_violations(page)), problems
    page.goto(live_server.url + "/admin/notifications/")
    page.get_by_label("Send me the daily digest").uncheck()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved.").wait_for()
    assert not (problems := serious_violations(page)), problems


def test_a_group_confirms_its_listing_with_one_button_on_a_phone(live_server, page, listing):
    from meetings.models import Confirmation

    listing.group.contact_email = "secretary@example.org"
    listing.group.save()
    _record, token = Confirmation.issue(listing.group)
    page.goto(live_server.url + f"/still-meeting/{listing.group.slug}/{token}/")
    shoot(page, "still-meeting-phone.png")
    assert not (problems := serious_violations(page)), problems
    page.get_by_role("button", name="Yes, we still meet as listed").click()
    page.get_by_text("Thank you").wait_for()
    page.goto(live_server.url + f"/meetings/{listing.slug}/")
    assert "Confirmed by the group today" in page.content()
    assert not (problems := serious_violations(page)), problems
