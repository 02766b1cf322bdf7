"""The map in a real browser, against a stand-in tile server: nothing asked of it before "Map" is pressed,
then markers for exactly the listed meetings; directions open each platform's maps app."""

import re
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe

from ha_directory.settings import content_security_policy
from tests.browser.test_public_pages import serious_violations
from tests.browser.tile_server import TileServer
from tests.factories import make_area, make_location, make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def tile_server():
    with TileServer() as server:
        yield server


@pytest.fixture
def map_tiles(settings, tile_server):
    settings.MAP_TILES_URL = tile_server.url
    settings.MAP_ATTRIBUTION = "Test tiles"
    settings.CONTENT_SECURITY_POLICY = content_security_policy(tile_server.url)
    return tile_server


@pytest.fixture
def directory(db):
    area = make_area("Arizona Test Area", timezone="America/Phoenix")
    hall = make_location(area, name="St. Brigid's Hall", latitude=33.4490, longitude=-112.0740, postal_code="85004")
    tempe = make_location(area, city="Tempe", name="Grace Church", latitude=33.4255, longitude=-111.9400)
    glendale = make_location(area, city="Glendale", name="Library", latitude=33.5387, longitude=-112.1860)
    home = make_location(area, city="Mesa", approximate=True, latitude=33.4152, longitude=-111.8315)
    make_meeting(area, name="Hope on Main", location=hall, times=[(1, "19:00", None), (4, "19:00", None)])
    make_meeting(area, name="Tempe Women", location=tempe, times=[(2, "12:00", None)])
    make_meeting(area, name="Glendale Noon", location=glendale, times=[(3, "12:00", None)])
    make_meeting(area, name="Mesa Home Group", location=home, times=[(5, "18:00", None)])
    make_meeting(area, name="Zoom Recovery", location=None, conference_url="https://meet.example.com/z")
    return area


def open_map(page):
    page.get_by_role("button", name="Map", exact=True).click()
    page.locator("[data-map-canvas][data-markers]").wait_for()


def tiles_loaded(page):
    # Not "networkidle": a page reaches it once, at its load, and never waits for it again.
    page.locator(".leaflet-tile-loaded").first.wait_for()


def markers_shown(page):
    """Meeting times the map shows: each lone marker counts one, each cluster its number."""
    lone = page.locator(".leaflet-marker-icon:not(.marker-cluster)").count()
    clustered = sum(int(text) for text in page.locator(".marker-cluster span").all_inner_texts())
    return lone + clustered


def test_no_tile_is_asked_for_before_the_press_then_the_map_shows_exactly_the_listed_meetings(
    live_server, page, directory, map_tiles
):
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(live_server.url + "/meetings/?near=85004&radius=25")
    page.wait_for_load_state("networkidle")
    assert map_tiles.requests == []
    assert not [u for u in asked if "vendor/" in u or "map.json" in u]  # not even our own copy of the library
    listed = page.locator(".meeting-card").count()
    assert listed == 4  # in person within 25 miles: Hope on Main twice, Tempe, Glendale

    open_map(page)
    tiles_loaded(page)
    assert page.locator("[data-map-canvas]").get_attribute("data-markers") == str(listed)
    assert markers_shown(page) == listed
    assert map_tiles.tiles, "the map asked for no tile"
    assert {r.referer for r in map_tiles.requests} == {None}  # the tile server never learns the page
    assert page.get_by_role("button", name="Map", exact=True).get_attribute("aria-expanded") == "true"
    assert "Map tiles: Test tiles" in page.locator("#map-panel").inner_text()


def test_the_map_follows_the_search_and_its_popups_link_to_the_meeting(live_server, page, directory, map_tiles):
    page.goto(live_server.url + "/meetings/?day=2")
    open_map(page)
    assert markers_shown(page) == page.locator(".meeting-card").count() == 1
    page.locator(".leaflet-marker-icon[title='Tempe Women']").click()
    popup = page.locator(".leaflet-popup-content")
    card_time = " ".join(page.locator(".meeting-card time").first.inner_text().split())  # "12:00 PM MST"
    assert card_time.endswith("12:00 PM MST") and card_time in " ".join(popup.inner_text().split())
    assert "Grace Church, Tempe" in popup.inner_text()
    popup.get_by_role("link", name="Tempe Women").click()
    page.wait_for_url(re.compile(r"/meetings/tempe-women-tempe/$"))


def test_the_area_page_maps_the_area(live_server, page, directory, map_tiles):
    page.goto(live_server.url + f"/areas/{directory.slug}/")
    open_map(page)
    assert markers_shown(page) == 5  # every time with a published point; the online meeting is in the list only


def test_without_map_tiles_there_is_no_map_button_and_no_script(live_server, page, directory):
    page.goto(live_server.url + "/meetings/?near=85004")
    assert page.get_by_role("button", name="Map").count() == 0
    assert page.locator("script[src*='map.js']").count() == 0


def test_the_keyboard_opens_and_closes_the_map_and_can_skip_it(live_server, page, directory, map_tiles):
    page.goto(live_server.url + "/meetings/?near=85004")
    button = page.get_by_role("button", name="Map", exact=True)
    button.focus()
    page.keyboard.press("Enter")
    page.locator("[data-map-canvas][data-markers]").wait_for()
    assert page.locator("#map-panel").is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip the map"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "map-end"
    button.focus()
    page.keyboard.press("Space")
    assert page.locator("#map-panel").is_hidden() and button.get_attribute("aria-expanded") == "false"


def test_no_serious_accessibility_violation_with_the_map_open(live_server, page, directory, map_tiles):
    page.goto(live_server.url + "/meetings/?near=85004&radius=25")
    open_map(page)
    problems = serious_violations(page)
    assert not problems, problems


def test_a_meeting_page_shows_its_place_on_a_small_map_when_asked(live_server, page, directory, map_tiles):
    page.goto(live_server.url + "/meetings/hope-on-main-phoenix/")
    page.wait_for_load_state("networkidle")
    assert map_tiles.requests == []
    page.get_by_role("button", name="Show on a map").click()
    page.locator("[data-map-canvas][data-markers='1']").wait_for()
    assert page.locator(".leaflet-marker-icon").get_attribute("title") == "St. Brigid's Hall"
    tiles_loaded(page)
    assert map_tiles.tiles
    problems = serious_violations(page)
    assert not problems, problems


IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"
ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile"
LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"


@pytest.mark.parametrize(
    ("agent", "host", "label", "geo"),
    [
        (IPHONE, "maps.apple.com", "Directions in Apple Maps", False),
        (ANDROID, "www.google.com", "Directions in Google Maps", True),
        (LINUX, "www.openstreetmap.org", "Directions", False),
    ],
)
def test_directions_open_the_platforms_maps_app_and_ask_nothing_of_it_until_tapped(
    live_server, browser, directory, agent, host, label, geo
):
    context = browser.new_context(user_agent=agent, viewport={"width": 390, "height": 844})
    page = context.new_page()
    hosts = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    page.goto(live_server.url + "/meetings/hope-on-main-phoenix/")
    page.wait_for_load_state("networkidle")
    link = page.get_by_role("link", name=label, exact=True)
    assert urlparse(link.get_attribute("href")).netloc == host
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert page.get_by_role("link", name="Open in another map app").count() == (1 if geo else 0)
    assert hosts == {urlparse(live_server.url).netloc}
    context.close()


def test_without_javascript_directions_go_to_openstreetmap(live_server, browser, directory):
    context = browser.new_context(user_agent=IPHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/meetings/hope-on-main-phoenix/")
    href = page.get_by_role("link", name="Directions", exact=True).get_attribute("href")
    assert href == "https://www.openstreetmap.org/directions?to=33.449%2C-112.074"
    context.close()


# The admin's pin picker ---------------------------------------------------------------


@pytest.fixture
def volunteer_page(live_server, page, django_user_model):
    django_user_model.objects.create_superuser("admin", "admin@example.org", "correct-horse-battery-9")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("correct-horse-battery-9")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/admin/")
    return page


def open_location(page, live_server, location):
    page.goto(live_server.url + f"/admin/meetings/location/{location.pk}/change/")
    page.locator("[data-pin-map] .leaflet-marker-icon").wait_for()
    tiles_loaded(page)


def test_a_click_on_the_map_or_a_drag_of_the_pin_sets_latitude_and_longitude(
    live_server, volunteer_page, directory, map_tiles
):
    page = volunteer_page
    hall = directory.locations.get(name="St. Brigid's Hall")
    open_location(page, live_server, hall)
    assert map_tiles.tiles  # the picker shows its map straight away: the volunteer came to set the pin
    before = (page.input_value("#id_latitude"), page.input_value("#id_longitude"))
    assert before == ("33.449", "-112.074")

    page.locator("[data-pin-map]").click(position={"x": 60, "y": 60})  # up and to the left of the pin
    clicked = (float(page.input_value("#id_latitude")), float(page.input_value("#id_longitude")))
    assert clicked[0] > 33.449 and clicked[1] < -112.074
    assert "Pin moved" in page.locator("[data-pin-status]").inner_text()

    pin = page.locator("[data-pin-map] .leaflet-marker-icon").bounding_box()
    page.mouse.move(pin["x"] + pin["width"] / 2, pin["y"] + pin["height"] - 4)
    page.mouse.down()
    page.mouse.move(pin["x"] + 200, pin["y"] + 150, steps=8)
    page.mouse.up()
    dragged = (float(page.input_value("#id_latitude")), float(page.input_value("#id_longitude")))
    assert dragged[0] < clicked[0] and dragged[1] > clicked[1]

    page.get_by_role("button", name="Save", exact=True).click()
    hall.refresh_from_db()
    assert (round(hall.latitude, 6), round(hall.longitude, 6)) == dragged


def test_the_time_zone_follows_the_pin_unless_the_volunteer_typed_one(
    live_server, volunteer_page, directory, map_tiles
):
    page = volunteer_page
    hall = directory.locations.get(name="St. Brigid's Hall")
    open_location(page, live_server, hall)
    page.fill("#id_latitude", "39.7392")
    page.fill("#id_longitude", "-104.9903")
    page.locator("#id_longitude").dispatch_event("change")
    page.locator("[data-pin-status]", has_text="Time zone from the pin: America/Denver.").wait_for()
    assert page.input_value("#id_timezone") == "America/Denver"

    page.fill("#id_timezone", "America/Phoenix")  # typed by the volunteer: kept from now on
    page.evaluate("() => { window.lookups = 0; const f = fetch; fetch = (...a) => (window.lookups++, f(...a)); }")
    page.locator("[data-pin-map]").click(position={"x": 80, "y": 80})
    assert page.locator("[data-pin-status]").inner_text() == "Pin moved. Save to keep it."
    assert page.evaluate("window.lookups") == 0  # the zone is not even asked for
    assert page.input_value("#id_timezone") == "America/Phoenix"


def test_find_from_address_asks_our_server_which_asks_the_geocoder(
    live_server, volunteer_page, directory, map_tiles, settings, monkeypatch
):
    from meetings import geocoding
    from tests.fakes import FakeGeocoder

    settings.GEOCODER = "nominatim"
    fake = FakeGeocoder(answer=(39.739236, -104.990251, "1437 Bannock St, Denver, CO"))
    monkeypatch.setattr(geocoding, "get_geocoder", lambda: fake)
    page = volunteer_page
    hosts = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    open_location(page, live_server, directory.locations.get(name="Grace Church"))
    page.fill("#id_address", "1437 Bannock St")
    page.fill("#id_city", "Denver")
    page.fill("#id_state", "CO")
    page.get_by_role("button", name="Find from address").click()
    page.locator("[data-pin-status]", has_text="Found: 1437 Bannock St, Denver, CO").wait_for()
    assert (page.input_value("#id_latitude"), page.input_value("#id_longitude")) == ("39.739236", "-104.990251")
    assert page.input_value("#id_timezone") == "America/Denver"
    assert fake.asked == ["1437 Bannock St, Denver, CO 85004, US"]  # the ZIP left from Tempe: sent as typed
    assert hosts == {urlparse(live_server.url).netloc, urlparse(map_tiles.url).netloc}

    fake.answer = None
    page.get_by_role("button", name="Find from address").click()
    page.locator("[data-pin-status].error", has_text="could not find that address").wait_for()


def test_the_pin_picker_has_no_serious_accessibility_violation(live_server, volunteer_page, directory, map_tiles):
    open_location(volunteer_page, live_server, directory.locations.get(name="St. Brigid's Hall"))
    # The picker's own part: the rest of the admin's pages have their own scans.
    results = Axe().run(volunteer_page, context=".pin-picker")
    violations = results.response["violations"]
    found = [f"{v['id']}: {v['help']}" for v in violations if v["impact"] in ("serious", "critical")]
    assert not found, found
