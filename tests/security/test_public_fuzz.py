"""Every public URL, fuzzed: whatever a visitor sends, the answer is never a 5xx.

Hypothesis draws a URL and a query string (known parameters with hostile
values, repeated parameters, unknown ones) and checks the status. CI runs a
few hundred cases; FUZZ_EXAMPLES=10000 runs the full sweep (the README says
when it was last run and what it found).
"""

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings.filters import MeetingFilter
from meetings.printing.options import PrintOptions
from tests.factories import make_group, make_location, make_meeting

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))

PAGES = [
    "/", "/meetings/", "/meetings/hope-phoenix/", "/meetings/hope-phoenix.ics", "/meetings/zoom-hope/",
    "/meetings/hope-phoenix/report/", "/groups/desert-hope/", "/areas/arizona/", "/print/", "/print.pdf",
    "/feeds/meeting-guide.json", "/feeds/meetings.csv", "/feeds/meetings.ics", "/api/v1/meetings",
    "/api/v1/areas", "/api/v1/types", "/api/v1/openapi.json", "/sitemap.xml", "/robots.txt", "/healthz",
    "/meetings/map.json", "/favicon.ico", "/add-a-meeting/", "/still-meeting/desert-hope/not-a-token/",
    "/still-meeting/desert-hope/not-a-token/stop/",
]  # fmt: skip
PARAMETERS = [*MeetingFilter.base_filters, *PrintOptions.base_fields, "page", "show", "edit", "x", "utm_source"]
HOSTILE = [
    "", " ", "0", "-1", "1e999", "NaN", "inf", "-0", "999999999999999999999", "1.5", "0x10", "25:61", "23:59",
    "today", "tomorrow", "Etc", "America", "Europe/London", "../../etc/passwd", "%00", "\x00", "\u200b", "\ud7ff",
    "<script>alert(1)</script>", "' OR 1=1 --", '=HYPERLINK("x")', "Straße", "東京", "🙂" * 40, "a" * 5000,
    "85004", "Phoenix, AZ", "D", "W", "open", "closed", "online", "hybrid", "km", "mi", "distance", "name",
    "33.45", "-112.07", "Nowhere, ZZ",  # a real point, so that a place refused beside it is drawn too
]  # fmt: skip
VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=60), st.integers().map(str))
QUERY = st.lists(st.tuples(st.one_of(st.sampled_from(PARAMETERS), st.text(max_size=12)), VALUES), max_size=8)
PREFIXES = ["/meetings/", "/groups/", "/areas/", "/meetings/hope-phoenix/", "/api/v1/", "/still-meeting/desert-hope/"]
SUPPRESSED = [HealthCheck.function_scoped_fixture]  # one small directory serves every example
PATH_JUNK = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@pytest.fixture
def directory(arizona):
    group = make_group(arizona, name="Desert Hope")
    make_meeting(arizona, name="Hope", group=group, location=make_location(arizona), types=["D"])
    make_meeting(arizona, name="Zoom Hope", location=None, conference_url="https://meet.example.com/z")


def assert_answers(client, url, query):
    response = client.get(url, query)
    assert response.status_code < 500, (url, query, response.status_code)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=SUPPRESSED)
@given(url=st.sampled_from(PAGES), query=QUERY)
def test_no_query_string_gives_a_server_error(client, directory, url, query):
    assert_answers(client, url, query)


@settings(max_examples=max(EXAMPLES // 5, 20), deadline=None, suppress_health_check=SUPPRESSED)
@given(prefix=st.sampled_from(PREFIXES), junk=PATH_JUNK)
def test_no_path_gives_a_server_error(client, directory, prefix, junk):
    assert_answers(client, prefix + junk, {})


@settings(max_examples=max(EXAMPLES // 5, 20), deadline=None, suppress_health_check=SUPPRESSED)
@given(form=st.dictionaries(st.sampled_from(["message", "contact", "website", "x"]), VALUES, max_size=4))
def test_no_report_form_post_gives_a_server_error(client, directory, form):
    response = client.post("/meetings/hope-phoenix/report/", form)
    assert response.status_code < 500, (form, response.status_code)


FORM_FIELDS = [
    "area", "name", "weekday_0", "start_0", "end_0", "weekday_1", "start_1", "end_1", "place_name", "address",
    "city", "state", "postal_code", "conference_url", "conference_phone", "access", "status", "types", "message",
    "contact", "website",
]  # fmt: skip


@settings(max_examples=max(EXAMPLES // 5, 20), deadline=None, suppress_health_check=SUPPRESSED)
@given(
    url=st.sampled_from(["/meetings/hope-phoenix/report/", "/add-a-meeting/"]),
    form=st.dictionaries(st.sampled_from(FORM_FIELDS), VALUES, max_size=10),
)
def test_no_structured_form_post_gives_a_server_error(client, directory, url, form):
    response = client.post(url, form)
    assert response.status_code < 500, (url, form, response.status_code)


@settings(max_examples=max(EXAMPLES // 10, 20), deadline=None, suppress_health_check=SUPPRESSED)
@given(token=PATH_JUNK, stop=st.booleans())
def test_no_still_meeting_token_gives_a_server_error(client, directory, token, stop):
    from urllib.parse import quote

    url = f"/still-meeting/desert-hope/{quote(token, safe='')}/" + ("stop/" if stop else "")
    assert client.post(url).status_code < 500
