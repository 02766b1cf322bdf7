"""Each search parameter alone and together, through the results page."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from meetings.filters import MeetingFilter
from meetings.models import Meeting, Occurrence
from tests.factories import make_location, make_meeting

URL = reverse("meetings:list")
API = "/api/v1/meetings"


def names(response):
    return [row.meeting.name for row in response.context["rows"]]


@pytest.fixture
def directory(arizona, phoenix_district, colorado):
    downtown = make_location(phoenix_district, latitude=33.4484, longitude=-112.0740, postal_code="85004")
    tempe = make_location(phoenix_district, city="Tempe", latitude=33.4255, longitude=-111.9400, postal_code="85281")
    denver = make_location(
        colorado,
        city="Denver",
        state="CO",
        latitude=39.7392,
        longitude=-104.9903,
        postal_code="80202",
        timezone="America/Denver",
    )
    return {
        "hope": make_meeting(
            phoenix_district,
            name="Hope on Main",
            location=downtown,
            access="open",
            types=["D", "BE"],
            times=[(1, "19:00", "20:00"), (4, "19:00", "20:00")],
            notes="Coffee at six",
        ),
        "women": make_meeting(
            phoenix_district, name="Women at Noon", location=tempe, types=["W", "SP"], times=[(2, "12:00", "13:00")]
        ),
        "early": make_meeting(phoenix_district, name="Early Birds", location=downtown, times=[(0, "06:30", None)]),
        "late": make_meeting(phoenix_district, name="Midnight Oil", location=tempe, times=[(5, "23:30", "00:30")]),
        "mile": make_meeting(colorado, name="Mile High", location=denver, times=[(1, "18:00", None)]),
        "online": make_meeting(
            arizona,
            name="Zoom Hope",
            location=None,
            language="es",
            access="open",
            conference_url="https://meet.example.com/z",
            times=[(3, "20:00", None)],
        ),
        "phone": make_meeting(
            arizona, name="Dial Serenity", location=None, conference_phone="+12025550142", times=[(6, "09:00", None)]
        ),
        "hybrid": make_meeting(
            colorado,
            name="Both Ways",
            location=denver,
            conference_url="https://meet.example.com/b",
            times=[(2, "19:00", None)],
        ),
        "gone": make_meeting(arizona, name="Archived One", status=Meeting.Status.ARCHIVED, times=[(1, "19:00", None)]),
    }


def test_without_parameters_every_public_meeting_time_is_listed(client, directory):
    response = client.get(URL)
    assert response.status_code == 200
    listed = names(response)
    assert listed.count("Hope on Main") == 2  # one row per weekly time
    assert "Archived One" not in listed
    assert len(listed) == 9


def test_two_searches_made_together_each_use_their_own_filters(directory):
    """MeetingFilter copies its filters one by one (FiltersCopiedOneByOne): each search's filters, and the method
    each calls, are its own, whatever the other search asks."""
    dates = Occurrence.objects.public()
    hope, serenity = MeetingFilter({"q": "hope"}, queryset=dates), MeetingFilter({"q": "serenity"}, queryset=dates)
    for search in (hope, serenity):
        for name, copied in search.filters.items():
            assert copied is not MeetingFilter.base_filters[name] and copied.parent is search
            if copied.method is not None:
                assert copied.filter.f is copied  # the method is found on this search, not on the other
    assert not any(hasattr(base, "parent") for base in MeetingFilter.base_filters.values())
    found = {search: {date.meeting.name for date in search.qs} for search in (serenity, hope)}
    assert found[hope] == {"Hope on Main", "Zoom Hope"} and found[serenity] == {"Dial Serenity"}


def test_two_forms_made_together_each_have_fields_of_their_own_and_read_the_areas_afresh(directory):
    """The search form copies its fields one by one (FieldsCopiedOneByOne): what a form could change of a
    field (its widget's attributes, its messages, its validators) is its own, and each form reads the areas
    as the listings stand when it is made, as Django's deep copy had it."""
    from tests.factories import make_area

    first, second = MeetingFilter({"near": "85004"}).form, MeetingFilter({"area": "colorado"}).form
    base = type(first).base_fields
    for name, field in first.fields.items():
        other = second.fields[name]
        assert field is not other and field is not base[name]
        assert field.widget is not other.widget and field.widget.attrs is not other.widget.attrs
        assert field.error_messages is not other.error_messages and field.validators is not other.validators
    first.fields["near"].widget.attrs["placeholder"] = "only in the first form"
    first.fields["near"].error_messages["required"] = "only in the first form"
    assert "placeholder" not in second.fields["near"].widget.attrs and "placeholder" not in base["near"].widget.attrs
    assert second.fields["near"].error_messages.get("required") != "only in the first form"

    before = [area.slug for area in first.fields["area"].queryset]  # the first form has read the areas
    make_area("Utah")
    later = MeetingFilter({"area": "utah"}).form
    assert later.is_valid(), later.errors
    assert [area.slug for area in later.fields["area"].queryset] == sorted([*before, "utah"])
    assert first.fields["area"].widget.choices.field is first.fields["area"]  # the copy's widget lists its areas


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=women", {"Women at Noon"}),
        ("q=coffee", {"Hope on Main"}),
        ("q=denver", {"Mile High", "Both Ways"}),
        ("q=hope+main", {"Hope on Main"}),
        ("day=2", {"Women at Noon", "Both Ways"}),
        ("day=0&day=6", {"Early Birds", "Dial Serenity"}),
        ("time=morning", {"Early Birds", "Dial Serenity"}),
        ("time=night", {"Midnight Oil", "Zoom Hope"}),
        ("time=midday", {"Women at Noon"}),
        ("after=19:30", {"Midnight Oil", "Zoom Hope"}),
        ("type=W", {"Women at Noon"}),
        ("type=D&type=BE", {"Hope on Main"}),
        ("type=D&type=W", set()),
        ("access=open", {"Hope on Main", "Zoom Hope"}),
        ("attendance=online", {"Zoom Hope", "Both Ways"}),
        ("attendance=phone", {"Dial Serenity"}),
        ("attendance=hybrid", {"Both Ways"}),
        ("attendance=online&attendance=phone", {"Zoom Hope", "Both Ways", "Dial Serenity"}),
        ("lang=es", {"Zoom Hope"}),
        ("area=colorado", {"Mile High", "Both Ways"}),
        ("area=arizona&attendance=in_person", {"Hope on Main", "Women at Noon", "Early Birds", "Midnight Oil"}),
        ("area=phoenix-district&day=1&access=open", {"Hope on Main"}),
    ],
)
def test_each_parameter_narrows_the_list(client, directory, query, expected):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    assert set(names(response)) == expected
    assert not response.context["problems"]


def test_a_point_and_radius_keep_what_is_near_ordered_by_distance(client, directory):
    response = client.get(f"{URL}?lat=33.4484&lng=-112.0740&radius=10&sort=distance")
    rows = response.context["rows"]
    # The downtown meetings come first, one card each (ties: by their next date), the other times on the card.
    assert sorted(r.meeting.name for r in rows[:2]) == ["Early Birds", "Hope on Main"]
    assert [r.starts for r in rows[:2]] == sorted(r.starts for r in rows[:2])
    assert [r.meeting.name for r in rows].count("Hope on Main") == 1
    hope = next(r for r in rows if r.meeting.name == "Hope on Main")
    assert len(hope.other_times) == 1 and "Also meets:" in response.content.decode()
    assert {r.meeting.name for r in rows} == {"Hope on Main", "Early Birds", "Women at Noon", "Midnight Oil"}
    distances = [r.distance for r in rows]
    assert distances == sorted(distances)
    assert rows[-1].distance == pytest.approx(7.8, abs=0.2)  # Tempe is about 7.8 miles away


@pytest.mark.parametrize("extra", ["", "&day=1", "&time=evening", "&attendance=in_person&day=1&day=3"])
def test_sorted_by_distance_each_meeting_shows_its_first_date_the_search_lists(client, directory, extra):
    """One card per meeting: the first (by start, then id) of the dates the same search lists in time order."""
    near = "lat=33.4484&lng=-112.0740&radius=10"
    dated = client.get(f"{URL}?{near}{extra}").context["rows"]
    first = {}
    for row in sorted(dated, key=lambda row: (row.occurrence.starts_at, row.occurrence.pk)):
        first.setdefault(row.meeting.pk, row.occurrence.pk)
    by_distance = client.get(f"{URL}?{near}{extra}&sort=distance").context["rows"]
    assert {row.meeting.pk: row.occurrence.pk for row in by_distance} == first
    assert len(by_distance) == len(first) > 0
    assert extra or len(dated) > len(first)  # some meeting has several dates: one card for it


def test_the_radius_edge_is_inclusive_and_units_apply(client, directory):
    # Tempe is 12.5 km from downtown Phoenix.
    assert "Women at Noon" not in names(client.get(f"{URL}?lat=33.4484&lng=-112.0740&radius=12&units=km"))
    response = client.get(f"{URL}?lat=33.4484&lng=-112.0740&radius=13&units=km&sort=distance")
    assert "Women at Noon" in names(response)
    assert "km" in response.content.decode()


def test_coordinates_are_rounded_before_use(client, directory):
    response = client.get(f"{URL}?lat=33.448412345&lng=-112.074098765")
    assert response.context["search"].point == (33.448, -112.074)


def test_sort_by_name(client, directory):
    listed = names(client.get(f"{URL}?sort=name&attendance=in_person"))
    assert listed == sorted(listed)


def test_sort_by_distance_without_a_place_falls_back_to_time(client, directory):
    response = client.get(f"{URL}?sort=distance")
    assert response.status_code == 200
    assert response.context["days"] is not None


def test_the_default_order_is_by_day_then_time(client, directory):
    rows = client.get(URL).context["rows"]
    keys = [(r.meeting_time.weekday, r.meeting_time.start_time) for r in rows]
    # Starting from today, so the order is a rotation of the week.
    rotation = keys.index(min(keys))
    assert keys[rotation:] + keys[:rotation] == sorted(keys)


@pytest.mark.parametrize(
    ("query", "field", "fragment"),
    [
        ("radius=-5", "radius", "more than 0"),
        ("radius=9999", "radius", "at most 500"),
        ("day=9", "day", "'9' is not a day"),
        ("lat=abc&lng=-112", "lat", "Enter a number"),
        ("lat=95&lng=0", "lat", "less than or equal to 90"),
        ("lat=33", "lng", "both lat and lng"),
        ("time=teatime", "time", "not a time of day"),
        ("after=25:99", "after", "HH:MM"),
        ("type=NOPE", "type", "not a meeting type"),
        ("access=maybe", "access", "not open or closed"),
        ("attendance=teleport", "attendance", "not a way to attend"),
        ("lang=klingon", "lang", "not a language code"),
        ("area=atlantis", "area", "no service area"),
        ("tz=Mars/Base", "tz", "Unknown time zone"),
        ("sort=random", "sort", "not a sort order"),
        ("q=" + "x" * 10000, "q", "at most 200 characters"),
    ],
)
def test_a_bad_value_gets_a_clear_message_and_the_search_runs_without_it(client, directory, query, field, fragment):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    problems = {p["field"]: p["message"] for p in response.context["problems"]}
    assert fragment in problems[field]
    assert fragment in response.content.decode().replace("&#x27;", "'")
    assert len(names(response)) == 9  # not a silently empty list


@pytest.mark.parametrize(
    "query",
    [
        "q=' OR 1=1 --",
        "q=%25%25%25",
        "near=Robert'); DROP TABLE meetings_meeting;--",
        "page=999",
        "page=abc",
        "day=",
        "radius=",
        "lat=nan&lng=nan",
        "lat=1e999&lng=0",
        "q=%00",
    ],
)
def test_hostile_or_odd_input_never_breaks_the_page(client, directory, query):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    assert Meeting.objects.count() == 9


def test_active_filters_are_shown_and_each_can_be_removed(client, directory):
    response = client.get(f"{URL}?day=2&type=W")
    chips = response.context["chips"]
    labels = [c["label"] for c in chips]
    assert "Day: Tuesday" in labels
    assert "Meeting type: W" in labels or "Meeting type: Women" in labels
    without_day = next(c["url"] for c in chips if c["label"].startswith("Day"))
    assert set(names(client.get(URL + without_day))) == {"Women at Noon"}
    assert "day=" not in without_day


def test_an_empty_result_offers_a_wider_radius_and_online_meetings(client, directory):
    response = client.get(f"{URL}?lat=40.0&lng=-100.0&radius=5")
    body = response.content.decode()
    assert names(response) == []
    assert "radius=25" in response.context["wider"][1]
    assert "Search within 25 mi" in body
    assert "attendance=online" in body


def test_links_are_bookmarkable(client, directory):
    first = client.get(f"{URL}?day=1&attendance=in_person&sort=name")
    again = client.get(f"{URL}?sort=name&attendance=in_person&day=1")  # the same search, kept for the minute
    assert names(first) == ["Hope on Main", "Mile High"]
    assert again.content == first.content and again["Cache-Control"] == "public, max-age=60"


def test_pages_carry_the_total_and_a_page_past_the_end_shows_the_last(client, arizona):
    for n in range(30):
        make_meeting(arizona, name=f"M{n:02d}", times=[(n % 7, "19:00", None)])
    first = client.get(f"{URL}?sort=name")
    assert first.context["page"].paginator.count == 30
    assert len(first.context["rows"]) == 25
    last = client.get(f"{URL}?sort=name&page=999")
    assert last.context["page"].number == 2
    assert [r.meeting.name for r in last.context["rows"]] == [f"M{n:02d}" for n in range(25, 30)]
    assert client.get(f"{URL}?sort=name&page=abc").context["page"].number == 1


def test_the_forms_types_and_areas_are_read_once_until_one_changes(client, directory, arizona):
    """kept_choices(): the lists of types and areas come from the cache, and a save of either shows at once."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from meetings.models import MeetingType

    def page(query):
        with CaptureQueriesContext(connection) as captured:
            html = client.get(URL, {"q": query}).content.decode()  # a page of its own each time: none is kept
        return html, len(captured)

    page("warm")  # what a process looks up once (SQLite's text index), not counted
    cache.clear()
    _html, first = page("hope")
    _html, second = page("noon")
    assert second == first - 2
    MeetingType.objects.create(code="XYZ", name="Drumming circle", position=99)
    arizona.name = "Arizona Statewide"
    arizona.save()
    html, third = page("main")
    assert third == first
    assert 'value="XYZ"' in html and "Drumming circle" in html
    assert ">Arizona Statewide</option>" in html


def test_the_form_class_is_made_once_and_still_reads_new_types_and_areas(directory, colorado):
    """MeetingFilter.get_form_class: one class per filter class; choices from the database are read by each form."""
    from django.http import QueryDict

    from meetings.models import MeetingType, Occurrence

    def search(query):
        return MeetingFilter(QueryDict(query), queryset=Occurrence.objects.all())

    first, second = search("type=D"), search("type=XYZ&area=new-mexico")
    assert type(first.form) is type(second.form)
    assert first.form.is_valid() and not second.form.is_valid()
    MeetingType.objects.create(code="XYZ", name="Drumming circle", position=99)
    colorado.slug = "new-mexico"
    colorado.save()
    assert search("type=XYZ&area=new-mexico").form.is_valid()


def test_the_forms_kept_lists_are_each_languages_own(client, directory):
    """choice_tables(): the form's labels are kept per language, and a language the form does not list, chosen by a
    link, is listed (and chosen) on that page only."""
    english = client.get(URL, {"q": "hope"}).content.decode()
    spanish = client.get(f"/es{URL}", {"q": "hope"}).content.decode()
    again = client.get(URL, {"q": "noon"}).content.decode()
    assert "> Morning (4am–noon)</label>" in english and "> Morning (4am–noon)</label>" in again
    assert "> Mañana (4:00–12:00)</label>" in spanish and "Morning (4am–noon)" not in spanish
    assert '<option value="" selected>Cualquiera</option>' in spanish
    dutch = client.get(URL, {"lang": "nl"}).content.decode()
    assert '<option value="nl" selected>Dutch</option>' in dutch
    assert 'value="nl"' not in client.get(URL, {"lang": "es"}).content.decode()


def test_a_type_is_asked_by_its_id_and_a_new_type_is_found_at_once(client, directory):
    """with_types: a subquery per type, by the type's id (kept under the listings version), no count per meeting."""
    from meetings.models import MeetingType, Occurrence

    discussion = MeetingType.objects.get(code="D")
    sql = str(Occurrence.objects.with_types(["D", "W"]).query)
    assert f'"meetingtype_id" = {discussion.pk}' in sql and "HAVING" not in sql
    drumming = MeetingType.objects.create(code="XYZ", name="Drumming circle", position=99)
    hope = Meeting.objects.get(name="Hope on Main")
    hope.types.add(drumming)
    assert f'"meetingtype_id" = {drumming.pk}' in str(Occurrence.objects.with_types(["XYZ"]).query)
    assert set(names(client.get(URL, {"type": "XYZ", "again": "1"}))) == {"Hope on Main"}
    assert set(names(client.get(URL, {"type": ["XYZ", "D"], "again": "1"}))) == {"Hope on Main"}


LISTED_SEARCHES = [
    {"type": "W"}, {"type": "SP", "day": "2"}, {"type": "W", "sort": "name"}, {"type": "D", "attendance": "in_person"},
    {"type": "BE", "time": "evening"}, {"type": "W", "q": "noon"}, {"type": "W", "near": "85004", "radius": "25"},
    {"type": ["W", "SP"]}, {"type": "D"},
]  # fmt: skip


@pytest.mark.parametrize("query", LISTED_SEARCHES)
def test_a_type_asked_as_its_meetings_ids_finds_what_its_subquery_finds(client, directory, monkeypatch, query):
    """with_types(by_list=True): on PostgreSQL a type few meetings have is a list of their ids (few_type_members),
    when it is the search's only type and no place leads; the results are the same as with the subquery, pages
    and API alike."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from meetings.models import querysets

    def results(label):
        return names(client.get(URL, {**query, "pass": label})), client.get(API, {**query, "pass": label}).json()

    monkeypatch.setattr(querysets, "FEW_MEETINGS", 0)  # no type is few: every one a subquery
    as_subquery = results("subquery")
    cache.clear()  # what was kept of the types under FEW_MEETINGS = 0
    monkeypatch.setattr(querysets, "FEW_MEETINGS", 5000)
    with CaptureQueriesContext(connection) as queries:
        as_list = results("list")
    assert as_list == as_subquery
    assert as_subquery[0] and as_subquery[1]["results"]
    one_type_without_place = isinstance(query["type"], str) and "near" not in query
    listed = any("= ANY(" in q["sql"] for q in queries.captured_queries)
    assert listed is (connection.vendor == "postgresql" and one_type_without_place)


def test_a_rare_type_alone_is_asked_as_its_meetings_ids_on_postgresql(directory, monkeypatch):
    from django.db import connection

    from meetings.models import MeetingType, Occurrence, querysets

    def sql(codes, by_list=True):
        return str(Occurrence.objects.with_types(codes, by_list=by_list).query)

    women = directory["women"]
    listed = connection.vendor == "postgresql"
    assert (f"= ANY(({{{women.pk}}})::bigint[])" in sql(["W"])) is listed
    assert "ANY(" not in sql(["W"], by_list=False)  # near a place: the box leads
    assert "ANY(" not in sql(["W", "SP"])  # two types: a subquery each
    monkeypatch.setattr(querysets, "FEW_MEETINGS", 0)
    cache.clear()
    assert "ANY(" not in sql(["W"])  # a type many meetings have
    monkeypatch.setattr(querysets, "FEW_MEETINGS", 5000)
    newcomer = MeetingType.objects.get(code="W")
    directory["hope"].types.add(newcomer)  # bumps the listings version: the list is read again
    assert (f"{{{min(women.pk, directory['hope'].pk)},{max(women.pk, directory['hope'].pk)}}}" in sql(["W"])) is listed
    found = Occurrence.objects.with_types(["W"], by_list=True).values_list("meeting__name", flat=True)
    assert set(found) == {"Hope on Main", "Women at Noon"}
