"""Spanish in a real browser: the language switch on a results page keeps the search both ways, and axe finds
nothing serious on the Spanish home, results, meeting and print pages."""

import re
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.test_public_pages import directory, serious_violations  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def search_of(url):
    return {key: sorted(values) for key, values in parse_qs(urlparse(url).query).items()}


def test_switching_language_on_results_keeps_the_search(live_server, page, directory):  # noqa: F811
    page.goto(live_server.url + "/meetings/")
    page.fill("input[name=near]", "85004")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(re.compile(r"/meetings/\?.*near=85004"))
    page.goto(page.url + "&type=D&day=1&day=4")  # and a few filters more (types and days)
    english = search_of(page.url)
    assert page.locator("h3, h2").filter(has_text="Hope on Main").count() >= 1

    page.locator("header nav a[hreflang=es]").click()
    page.wait_for_url(re.compile(r"/es/meetings/\?"))
    assert search_of(page.url) == english
    assert page.evaluate("document.documentElement.lang") == "es"
    assert page.input_value("input[name=near]") == "85004"
    assert page.get_by_text("Hope on Main").first.is_visible()
    assert page.get_by_role("button", name="Buscar", exact=True).count() == 1
    assert page.locator("[aria-label^='Filtros activos']").count() + page.get_by_text("Filtros activos").count() >= 1

    page.locator("header nav a[hreflang=en]").click()
    page.wait_for_url(re.compile(r"//[^/]+/meetings/\?"))
    assert search_of(page.url) == english
    assert page.evaluate("document.documentElement.lang") == "en"


@pytest.mark.parametrize(
    "path",
    [
        "/es/",
        "/es/meetings/?near=85004&day=9&type=D",
        "/es/meetings/hope-on-main-phoenix/",
        "/es/print/",
        "/es/print/?near=85004&radius=25&show=1",
    ],
)
def test_no_serious_accessibility_violation_in_spanish(live_server, page, directory, path):  # noqa: F811
    page.goto(live_server.url + path)
    assert page.evaluate("document.documentElement.lang") == "es"
    problems = serious_violations(page)
    assert not problems, problems
