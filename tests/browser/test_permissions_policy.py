"""Chromium accepts our Permissions-Policy (no unknown feature) and "Use my location" still works under it."""

import re

import pytest

from tests.factories import make_meeting


@pytest.fixture
def listing(arizona):
    return make_meeting(arizona, name="Hope on Main")


# Serialized rollback, as the other browser tests: a flush then restores the migrations' data (meeting types)
# without re-running post_migrate, which would leave rows the next test's restore would insert twice.
@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_chromium_accepts_the_policy_and_use_my_location_still_works(live_server, browser, listing):
    context = browser.new_context(geolocation={"latitude": 33.4484, "longitude": -112.074}, permissions=["geolocation"])
    try:
        page = context.new_page()
        console = []
        page.on("console", lambda message: console.append(message.text))
        response = page.goto(live_server.url + "/")
        assert "geolocation=(self)" in response.headers["permissions-policy"]
        page.get_by_role("button", name="Use my location").click()
        page.wait_for_url(re.compile(r"/meetings/\?.*lat=33\.4"))
        assert "Hope on Main" in page.content()
        assert not [text for text in console if "Permissions-Policy" in text or "Permissions policy" in text]
    finally:
        context.close()
