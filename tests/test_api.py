"""The JSON API: the website's search as data, documented by OpenAPI, never a 500."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings.api import PageOut
from meetings.filters import MeetingFilter
from meetings.models import Meeting, MeetingType
from tests.factories import make_group, make_location, make_meeting

URL = "/api/v1/meetings"
SEARCH_PARAMETERS = [*MeetingFilter.base_filters, "page"]


@pytest.fixture
def listings(arizona, colorado):
    group = make_group(arizona, name="Desert Hope", contact_email="secret@example.org", contact_phone="+12025550199")
    near = make_location(arizona, latitude=33.45, longitude=-112.07)
    make_meeting(arizona, name="Hope", group=group, location=near, types=["D"], times=[(1, "19:00", "20:00")])
    make_meeting(
        colorado,
        name="Rockies",
        location=make_location(colorado, city="Denver", latitude=39.74, longitude=-104.99, timezone="America/Denver"),
        times=[(2, "18:00", None)],
    )
    make_meeting(
        arizona, name="Zoom", location=None, conference_url="https://meet.example.com/z", times=[(3, "20:00", None)]
    )


def test_the_api_returns_the_search_as_paginated_json(client, listings):
    data = client.get(URL, {"day": "1"}).json()
    assert data["count"] == 1
    hope = data["results"][0]
    assert (hope["name"], hope["day"], hope["time"], hope["end_time"]) == ("Hope", 1, "19:00", "20:00")
    assert hope["timezone"] == "America/Phoenix"
    assert hope["types"] == ["D"]
    assert hope["url"].endswith("/meetings/hope-phoenix/")


def test_each_result_lists_its_meetings_types_in_the_types_order_and_an_edit_shows_at_once(client, listings):
    hope = Meeting.objects.get(name="Hope")
    hope.types.set(MeetingType.objects.filter(code__in=["W", "D", "SP", "BE"]))
    expected = [t.code for t in MeetingType.objects.filter(meetings=hope)]  # the types' own order
    assert sorted(expected) == ["BE", "D", "SP", "W"] and expected != sorted(expected)
    assert client.get(URL, {"day": "1"}).json()["results"][0]["types"] == expected
    hope.types.remove(MeetingType.objects.get(code="SP"))  # kept codes: the change bumps their version
    after = client.get(URL, {"day": "1", "again": "1"}).json()["results"][0]["types"]
    assert after == [code for code in expected if code != "SP"]


@pytest.mark.parametrize("query", [{}, {"lat": "33.45", "lng": "-112.07", "radius": "5", "units": "km"}])
def test_a_page_is_exactly_what_its_openapi_schema_gives(client, listings, query):
    """The search's body is rendered as written, not validated again (meetings/api.py): it must match PageOut."""
    body = client.get(URL, query).json()
    assert body["count"] == len(body["results"]) > 0
    assert PageOut.model_validate(body).model_dump(mode="json") == body
    assert body["results"][0]["location"] is None or isinstance(body["results"][0]["location"]["latitude"], float)


def test_distance_comes_with_a_point(client, listings):
    data = client.get(URL, {"lat": "33.45", "lng": "-112.07", "radius": "5", "units": "km"}).json()
    assert [r["name"] for r in data["results"]] == ["Hope"]
    assert data["results"][0]["distance"] == 0.0
    assert data["results"][0]["units"] == "km"


def test_bad_parameters_are_a_400_with_a_message_each(client, listings):
    response = client.get(URL, {"day": "9", "radius": "-5", "lat": "abc", "lng": "1"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"day", "radius", "lat"}
    assert "not a day" in errors["day"][0]


def test_messages_follow_the_clients_language_and_the_data_do_not_change(client, listings):
    bad = {"day": "9"}
    spanish = client.get(URL, bad, HTTP_ACCEPT_LANGUAGE="es").json()
    assert spanish["detail"] == "Algunos parámetros no son válidos."
    assert "no es un día" in spanish["errors"]["day"][0]
    assert "not a day" in client.get(URL, bad, HTTP_ACCEPT_LANGUAGE="en").json()["errors"]["day"][0]
    assert "Accept-Language" in client.get(URL, bad, HTTP_ACCEPT_LANGUAGE="es")["Vary"]
    # What it finds is the same for every client: one answer, kept for the minute, serves them all.
    found = client.get(URL, HTTP_ACCEPT_LANGUAGE="es")
    assert found.json()["results"] == client.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    assert "/es/" not in found.content.decode()


def test_private_contacts_never_appear(client, listings):
    text = client.get(URL).content.decode()
    assert "secret@example.org" not in text and "+12025550199" not in text


def test_areas_and_types_endpoints(client, listings):
    areas = client.get("/api/v1/areas").json()
    assert {a["slug"] for a in areas} >= {"arizona", "colorado"}
    types = client.get("/api/v1/types").json()
    assert {"code": "W", "name": "Women"}.items() <= next(t for t in types if t["code"] == "W").items()


def test_the_openapi_document_describes_the_search(client, db):
    doc = client.get("/api/v1/openapi.json").json()
    params = {p["name"] for p in doc["paths"]["/api/v1/meetings"]["get"]["parameters"]}
    assert set(SEARCH_PARAMETERS) <= params
    assert "400" in doc["paths"]["/api/v1/meetings"]["get"]["responses"]


def test_feeds_and_api_are_open_to_other_sites(client, db):
    assert client.get("/api/v1/types")["Access-Control-Allow-Origin"] == "*"


PARAM = st.sampled_from(SEARCH_PARAMETERS)
VALUE = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "0",
            "6",
            "9",
            "-1",
            "today",
            "1e308",
            "nan",
            "inf",
            "85004",
            "Phoenix, AZ",
            "mi",
            "km",
            "distance",
            "25:61",
            "19:00",
            "O",
            "W",
            "online",
            "es",
            "arizona",
            "Europe/London",
            "' OR 1=1",
        ]
    ),
    st.integers(-(10**6), 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)


@pytest.mark.django_db
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.lists(st.tuples(PARAM, VALUE), max_size=6))
def test_no_combination_of_parameters_gives_a_500(client, params):
    response = client.get(URL, params)
    assert response.status_code in (200, 400), (params, response.content[:500])


def test_the_api_url_is_stable(db):
    assert reverse("api:meetings") == "/api/v1/meetings"


def test_bodies_are_written_as_ninjas_own_encoder_reads_them():
    """The API's JSON comes from orjson (api.FastJSONRenderer); what orjson does not know itself, a lazy
    translation, a date, a decimal, reads as Ninja's own renderer writes it."""
    import datetime as dt
    import json
    from decimal import Decimal

    from django.utils.translation import gettext_lazy
    from ninja.renderers import JSONRenderer

    from meetings.api import api

    data = {
        "label": gettext_lazy("Online"),
        "at": dt.datetime(2026, 11, 28, 19, 30, 15, 123456, tzinfo=dt.UTC),
        "on": dt.date(2026, 11, 28),
        "amount": Decimal("1.50"),
        "results": [{"name": "Café Hope", "day": 2, "distance": 1.25, "types": ["O", "D"], "group": None}],
        3: "a key that is not a string",
    }
    written = api.renderer.render(None, data, response_status=200)
    assert json.loads(written) == json.loads(JSONRenderer().render(None, data, response_status=200))
    assert b'"at":"2026-11-28T19:30:15.123Z"' in written  # Django's way with dates, not orjson's
