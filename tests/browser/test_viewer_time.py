"""Every "your time" a visitor sees is the meeting's start in the browser's own zone, written by one script;
without JavaScript no page guesses one. Plus what an audit of the pages found on a phone."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from tests.factories import make_area, make_group, make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGES = ["/", "/meetings/?attendance=online", "/meetings/?upcoming=1", "/areas/online-test-area/",
         "/meetings/london-step/", "/groups/london-group/"]  # fmt: skip


@pytest.fixture
def remote(db):
    area = make_area("Online Test Area", timezone="America/New_York")
    group = make_group(area, name="London Group", contact_email="a-very-long-address-for-a-group@example.org",
                       contact_public=True)  # fmt: skip
    now = dt.datetime.now(dt.UTC)
    soon = now.astimezone(ZoneInfo("Europe/London")) + dt.timedelta(hours=2)
    weekday = (soon.weekday() + 1) % 7
    make_meeting(
        area, name="London Step", group=group, location=None, timezone="Europe/London",
        conference_url="https://meet.example.com/london", times=[(weekday, soon.strftime("%H:00"), None)],
    )  # fmt: skip


def shown_your_times(page):
    """[(the element's instant, the text the script wrote)] of every "your time" on the page."""
    return page.eval_on_selector_all(
        "time[data-viewer-time]",
        "els => els.map(el => [el.getAttribute('datetime'), (el.querySelector('.viewer-time') || {}).textContent])",
    )


@pytest.mark.parametrize("zone", ["America/Phoenix", "Europe/London", "Asia/Tokyo"])
def test_every_your_time_is_the_start_in_the_browsers_zone(live_server, browser, remote, zone):
    context = browser.new_context(timezone_id=zone, locale="en-US")
    page = context.new_page()
    seen = 0
    for path in PAGES:
        page.goto(live_server.url + path)
        for instant, text in shown_your_times(page):
            start = dt.datetime.fromisoformat(instant)
            mine = start.astimezone(ZoneInfo(zone))
            if mine.utcoffset() == start.utcoffset():
                assert text is None, (path, zone, text)  # the same clock: nothing to add
                continue
            seen += 1
            hour = mine.strftime("%-I:%M %p")
            assert text and hour in text and text.endswith("your time"), (path, zone, instant, text)
    context.close()
    assert seen >= (0 if zone == "Europe/London" else 4)


def test_without_javascript_no_page_shows_a_your_time(live_server, browser, remote):
    context = browser.new_context(timezone_id="Asia/Tokyo", java_script_enabled=False)
    page = context.new_page()
    for path in PAGES:
        page.goto(live_server.url + path)
        assert "your time" not in page.locator("main").inner_text(), path
    context.close()


def test_the_result_count_takes_the_focus_without_a_ring(live_server, page, remote):
    page.goto(live_server.url + "/meetings/?attendance=online")
    assert page.evaluate("document.activeElement.dataset.resultsSummary") == ""
    style = page.evaluate("getComputedStyle(document.activeElement)")
    assert style["outlineStyle"] == "none" and style["boxShadow"] == "none"


def test_more_filters_shows_a_disclosure_arrow(live_server, page, remote):
    page.goto(live_server.url + "/meetings/")
    marker = page.evaluate("getComputedStyle(document.querySelector('.filters summary'), '::before').borderLeftWidth")
    assert float(re.match(r"[\d.]+", marker).group()) > 0


def test_a_group_page_does_not_scroll_sideways_on_a_phone(live_server, page, remote):
    page.goto(live_server.url + "/groups/london-group/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
