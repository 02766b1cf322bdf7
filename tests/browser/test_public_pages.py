"""What a newcomer does, in a real browser: search, use their location, open a meeting; nothing leaks."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories import make_area, make_location, make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def directory(db):
    area = make_area("Arizona Test Area", timezone="America/Phoenix", helpline_phone="+1 602 555 0101")
    downtown = make_location(area, name="St. Brigid's Hall", latitude=33.4490, longitude=-112.0740, postal_code="85004")
    tempe = make_location(area, city="Tempe", name="Grace Church", latitude=33.4255, longitude=-111.9400)
    return {
        "near": make_meeting(
            area,
            name="Hope on Main",
            location=downtown,
            types=["D", "BE"],
            times=[(1, "19:00", "20:00"), (4, "19:00", "20:00")],
        ),
        "far": make_meeting(area, name="Tempe Women", location=tempe, types=["W"], times=[(2, "12:00", None)]),
        "online": make_meeting(
            area,
            name="Zoom Recovery",
            location=None,
            timezone="America/New_York",
            conference_url="https://meet.example.com/zoom-recovery",
            conference_phone="+12025550142,,123456#",
            times=[(3, "20:00", "21:00")],
        ),
    }


def serious_violations(page):
    results = Axe().run(page)
    found = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in found
    )


def test_search_by_zip_lists_nearby_meetings_with_distances(live_server, page, directory):
    page.goto(live_server.url + "/")
    page.get_by_label("ZIP code or city").fill("85004")
    page.get_by_role("button", name="Find meetings").click()
    page.wait_for_url(re.compile(r"/meetings/\?"))
    assert "Hope on Main" in page.content()
    assert page.locator(".distance").first.inner_text().strip().startswith("·")
    count = page.locator(".result-count[aria-live=polite]").inner_text()
    assert re.search(r"\d+ meeting times? found", count)


def test_use_my_location_rounds_the_position_and_lists_now_first_with_distances(live_server, browser, directory):
    context = browser.new_context(
        geolocation={"latitude": 33.44871, "longitude": -112.07396},
        permissions=["geolocation"],
        timezone_id="America/Phoenix",
    )
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Use my location").click()
    page.wait_for_url(re.compile(r"lat="))
    query = parse_qs(urlparse(page.url).query)
    assert (query["lat"], query["lng"]) == (["33.45"], ["-112.07"]) and "sort" not in query
    assert "Hope on Main" in page.locator(".meeting-card h3").all_inner_texts()
    assert page.locator(".meeting-card .distance").count() == page.locator(".meeting-card").count()
    context.close()


def test_a_refused_location_gets_a_friendly_message(live_server, browser, directory):
    context = browser.new_context(permissions=[])
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Use my location").click()
    status = page.locator("[data-locate-status]")
    status.filter(has_text="couldn't get your location").wait_for()
    context.close()


def test_opening_a_meeting_shows_how_to_join_and_dial(live_server, page, directory):
    page.goto(live_server.url + "/meetings/?attendance=online")
    page.get_by_role("link", name="Zoom Recovery").click()
    page.wait_for_url(re.compile(r"/meetings/zoom-recovery"))
    assert page.get_by_role("link", name="Join the meeting").get_attribute("href") == (
        "https://meet.example.com/zoom-recovery"
    )
    assert page.locator("a[href^='tel:']").first.get_attribute("href") == "tel:+12025550142,,123456%23"
    assert "Wednesday" in page.locator("#when").locator("..").inner_text()


@pytest.mark.parametrize(
    "path", ["/", "/meetings/?near=85004&day=9&type=D", "/meetings/hope-on-main-phoenix/", "/print/"]
)
def test_no_serious_accessibility_violation(live_server, page, directory, path):
    page.goto(live_server.url + path)
    problems = serious_violations(page)
    assert not problems, problems


def test_nothing_is_requested_from_another_host(live_server, page, directory):
    hosts, csp_errors = set(), []
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    page.on(
        "console",
        lambda message: csp_errors.append(message.text) if "Content Security Policy" in message.text else None,
    )
    response = page.goto(live_server.url + "/")
    assert response.headers["referrer-policy"] == "no-referrer"
    script_src = re.search(r"script-src ([^;]+)", response.headers["content-security-policy"]).group(1)
    assert "unsafe-inline" not in script_src
    page.get_by_label("ZIP code or city").fill("85004")
    page.get_by_role("button", name="Find meetings").click()
    page.wait_for_url(re.compile(r"/meetings/\?"))
    page.locator("summary").click()
    page.get_by_role("checkbox", name="Tuesday").check()
    page.get_by_role("button", name="Show meetings").click()
    page.wait_for_load_state()
    page.goto(live_server.url + "/meetings/zoom-recovery/")
    page.goto(live_server.url + "/print/?show=1")
    assert hosts == {urlparse(live_server.url).netloc}, hosts
    assert csp_errors == []


def test_the_results_fit_a_320_pixel_screen(live_server, browser, directory):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_server.url + "/meetings/?near=85004")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.get_by_role("button", name="Search").is_visible()
    context.close()


def test_the_keyboard_reaches_the_skip_link_then_the_search_with_visible_focus(live_server, page, directory):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    for _ in range(3):  # the brand, "All meetings", the other language
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.hreflang") == "es"
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.id")
    assert focused == "near"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_online_meetings_also_show_in_the_viewers_time(live_server, browser, directory):
    context = browser.new_context(timezone_id="Europe/London")
    page = context.new_page()
    page.goto(live_server.url + "/meetings/?attendance=online")
    assert "your time" in page.locator(".meeting-card time").first.inner_text()
    context.close()


def test_a_visitor_can_send_a_change_report_from_a_real_browser(live_server, page, directory):
    from meetings.models import ChangeRequest

    page.goto(live_server.url + "/meetings/hope-on-main-phoenix/")
    page.get_by_role("link", name=re.compile("Report a change")).click()
    page.get_by_label("Something else?").fill("It moved to the side hall.")
    page.get_by_role("button", name="Send report").click()
    page.wait_for_url(re.compile(r"/meetings/hope-on-main-phoenix/$"))
    assert "Thank you" in page.content()
    assert ChangeRequest.objects.get().message == "It moved to the side hall."


def test_a_volunteer_can_log_in_to_the_admin_from_a_real_browser(live_server, page, django_user_model):
    django_user_model.objects.create_superuser("admin", "admin@example.org", "correct-horse-battery-9")
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("correct-horse-battery-9")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/admin/")
    assert "Keep the listings true" in page.content()
