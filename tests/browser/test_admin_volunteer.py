"""A volunteer in a real browser: types "1 pm", finds the change in History, reverts it; the admin passes axe.

With DOCS_SCREENSHOTS=<folder> set, the pages are also saved there as PNGs (docs/ holds the ones we publish).
"""

import datetime as dt
import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from groups.models import Membership
from tests.factories import make_location, make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "a-long-passphrase-1"
SHOTS = os.environ.get("DOCS_SCREENSHOTS")


@pytest.fixture
def meeting(arizona, django_user_model):
    user = django_user_model.objects.create_user("vera", "vera@example.org", PASSWORD, first_name="Vera")
    Membership.objects.create(user=user, area=arizona)
    place = make_location(arizona, name="St. Brigid's Hall")
    for n in range(30):
        make_meeting(arizona, name=f"Serenity Seekers {n}", location=place, times=[(n % 7, "18:00", "19:00")])
    return make_meeting(
        arizona,
        name="Hope on Main",
        location=place,
        types=["D"],
        times=[(4, "12:30", "13:30")],
        last_verified=dt.date(2026, 1, 5),
    )


def serious_violations(page):
    results = Axe().run(page)
    found = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in found
    )


def log_in(page, live_server):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("vera")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/admin/")


def shot(page, name, full_page=True):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name), full_page=full_page)


@pytest.fixture
def desktop(browser):
    viewport = {"width": 1280, "height": 800}
    context = browser.new_context(viewport=viewport, timezone_id="America/Phoenix", locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_volunteer_types_1_pm_sees_it_in_history_and_reverts_it(live_server, desktop, meeting):
    page = desktop
    log_in(page, live_server)
    assert serious_violations(page) == ""

    page.goto(f"{live_server.url}/admin/meetings/meeting/{meeting.pk}/change/")
    start = page.locator('input[name="times-0-start_time"]')
    assert start.input_value() == "12:30 PM"
    assert page.locator(".datetimeshortcuts, .timezonewarning").count() == 0  # no clock, no "Now", no server note
    assert serious_violations(page) == ""
    start.fill("1 pm")
    page.get_by_label("Status").select_option(label="Temporarily closed")
    page.locator("#times-group").evaluate("group => group.scrollIntoView()")
    shot(page, "admin-meeting-form-desktop.png", full_page=False)
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_load_state()
    assert page.locator('input[name="times-0-start_time"]').input_value() == "1:00 PM"
    assert meeting.times.get().start_time == dt.time(13)

    page.get_by_role("link", name="History").first.click()
    history = page.locator("#change-history")
    told = " ".join(history.inner_text().split())
    assert "Thursday: 12:30 PM–1:30 PM → 1:00 PM–1:30 PM" in told
    assert "Status: Active → Temporarily closed" in told
    assert "vera" in history.inner_text()
    assert serious_violations(page) == ""
    shot(page, "admin-history-desktop.png")

    page.locator("#change-history tbody tr").last.get_by_role("link").click()  # the oldest: as it was created
    assert "Thursday 12:30 PM–1:30 PM" in page.locator("#content-main").inner_text()
    assert serious_violations(page) == ""
    page.get_by_role("button", name="Revert").first.click()
    page.wait_for_load_state()
    slot = meeting.times.get()
    assert (slot.start_time, slot.end_time) == (dt.time(12, 30), dt.time(13, 30))
    meeting.refresh_from_db()
    assert meeting.status == "active"


def test_the_meeting_list_fits_1280_pixels_with_its_status(live_server, desktop, meeting):
    page = desktop
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/meetings/meeting/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    # Nor inside the list's own box, which scrolls sideways when the table is wider than it.
    assert page.evaluate("(box => box.scrollWidth <= box.clientWidth)(document.querySelector('.results'))")
    for column in ("status", "attendance_label", "last_verified"):
        box = page.locator(f"#result_list th.column-{column}").bounding_box()
        assert box is not None and box["x"] + box["width"] <= 1280, column
    assert serious_violations(page) == ""
    page.locator("#action-toggle").check()  # the list's actions work with the list's own scripts
    assert "31 of 31 selected" in page.locator(".action-counter").inner_text()
    page.get_by_role("link", name="Stale: not verified for 6 months").click()
    assert "Hope on Main" in page.locator("#result_list").inner_text()
    shot(page, "admin-meeting-list-desktop.png", full_page=False)


def test_the_meeting_form_on_a_phone(live_server, page, meeting):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/meetings/meeting/{meeting.pk}/change/")
    page.locator('input[name="times-0-start_time"]').fill("1300")
    page.locator('input[name="times-0-end_time"]').fill("90 min")
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_load_state()
    slot = meeting.times.get()
    assert (slot.start_time, slot.end_time) == (dt.time(13), dt.time(14, 30))
    page.locator('input[name="times-0-start_time"]').fill("half past one")
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_load_state()
    assert "is not a time" in page.locator("#times-group").inner_text()
    page.locator("#times-0 .errorlist").evaluate("error => error.scrollIntoView({block: 'center'})")
    shot(page, "admin-meeting-form-phone.png", full_page=False)
