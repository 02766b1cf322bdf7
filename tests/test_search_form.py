"""The search form written out by meetings/templatetags/search_form.py: the same controls a widget would write."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_meeting

URL = reverse("meetings:list")


@pytest.fixture
def page(client, arizona):
    make_meeting(arizona, name="Hope", types=["D"], times=[(1, "19:00", "20:00")])

    def get(query):
        html = client.get(URL + query).content.decode()
        return html[html.index('<form class="search-form"') : html.index("</form>")]

    return get


def test_the_chosen_values_are_checked_and_selected(page):
    form = page("?day=2&day=today&type=D&access=open&sort=name&units=km&area=arizona&lang=es&upcoming=1")
    checked = re.findall(r'<input type="checkbox" name="(\w+)" value="(\w+)" checked>', form)
    assert sorted(checked) == [("day", "2"), ("day", "today"), ("type", "D"), ("upcoming", "1")]
    selected = re.findall(r'<select name="(\w+)" id="id_\1">.*?<option value="([^"]*)" selected>', form)
    assert sorted(selected) == [
        ("access", "open"),
        ("area", "arizona"),
        ("lang", "es"),
        ("sort", "name"),
        ("units", "km"),
    ]


def test_a_search_without_choices_selects_the_first_option_of_none(page):
    form = page("")
    assert " checked>" not in form
    assert '<option value="" selected>Any</option>' in form  # access, language, area


def test_inputs_carry_the_visitors_words_escaped_and_refused_ones_are_marked(page):
    form = page("?q=%22%3Cb%3E+hope&after=18:30&tz=America/Phoenix")
    assert '<input type="text" name="q" value="&quot;&lt;b&gt; hope" maxlength="200" id="id_q">' in form
    assert '<input type="time" name="after" value="18:30" id="id_after">' in form
    assert '<input type="hidden" name="tz" value="America/Phoenix" id="id_tz">' in form
    assert '<input type="hidden" name="lat" id="id_lat">' in form  # no value: none was sent
    refused = page("?after=25:99&q=" + "x" * 201)
    assert '<input type="time" name="after" value="25:99" aria-invalid="true" id="id_after">' in refused
    assert 'maxlength="200" aria-invalid="true" id="id_q">' in refused


def test_labels_are_escaped(page, arizona):
    arizona.name = 'Valley <"of"> Sun & Co'
    arizona.save()
    assert '<option value="arizona">Valley &lt;&quot;of&quot;&gt; Sun &amp; Co</option>' in page("")


def test_the_choices_are_held_in_the_process_until_the_listings_change(page, monkeypatch):
    """The form's choices are held in each process for the listings version (freshness.held_for_the_version):
    the next page reads neither the database nor the cache for them, and a new area is listed at once."""
    from django.core.cache import cache

    from tests.factories import make_area

    assert ">Utah<" not in page("?q=hope")
    asked = []
    real_get_or_set = cache.get_or_set
    monkeypatch.setattr(cache, "get_or_set", lambda key, *a, **k: asked.append(key) or real_get_or_set(key, *a, **k))
    page("?q=serenity")
    assert not [key for key in asked if key.startswith("search-choice-tables")]
    make_area("Utah")  # a save: the listings version changes
    assert ">Utah<" in page("?q=hope&day=2")
    assert [key for key in asked if key.startswith("search-choice-tables")]  # made again, once, for the new version


def test_a_version_the_cache_lost_never_comes_back_even_under_a_frozen_clock(db):
    """A value held in the process is keyed by the listings version, so a version the cache lost must not come
    back when it is made again (freshness.first_number), with the clock frozen as tests freeze it too."""
    import datetime as dt

    import time_machine
    from django.core.cache import cache

    from meetings.freshness import listings_version

    with time_machine.travel(dt.datetime(2026, 11, 23, 18, 30, tzinfo=dt.UTC), tick=False):
        seen = set()
        for _ in range(5):
            seen.add(listings_version())
            cache.clear()
    assert len(seen) == 5


def test_a_value_held_in_the_process_lasts_as_long_as_in_the_cache(db, monkeypatch):
    """held_for_the_version keeps its value no longer than the cache would: the timeout holds in the process."""
    import time

    from django.core.cache import cache

    from meetings import freshness

    assert freshness.held_for_the_version("test-held", lambda: "first", 60) == "first"
    cache.delete(freshness.versioned_key("test-held"))  # as the cache's own timeout would
    assert freshness.held_for_the_version("test-held", lambda: "second", 60) == "first"  # held here still
    later = time.monotonic() + 61
    monkeypatch.setattr(freshness.time, "monotonic", lambda: later)
    assert freshness.held_for_the_version("test-held", lambda: "second", 60) == "second"


def test_the_form_speaks_each_pages_language_and_counts_its_filters(client, arizona):
    """Its words are looked up once per language (form_words): each page still gets its own language's."""
    spanish = client.get("/es/meetings/?day=2&type=D").content.decode()
    english = client.get(URL + "?day=2").content.decode()
    assert 'action="/es/meetings/"' in spanish
    assert "<summary>Más filtros (2 activos)</summary>" in spanish
    assert '<button type="submit">Buscar</button>' in spanish
    assert f'action="{URL}"' in english
    assert "<summary>More filters (1 active)</summary>" in english
    assert '<button type="submit">Show meetings</button>' in english
    assert "Buscar" not in english


def test_the_forms_words_are_looked_up_again_when_a_setting_changes(settings):
    from meetings.templatetags.search_form import form_words

    form_words("en", "/")
    assert form_words.cache_info().currsize >= 1
    settings.LANGUAGE_CODE = "es"  # the default language's pages lose their prefix: the form's address may change
    assert form_words.cache_info().currsize == 0
