"""The release's fingerprint in the keys of HTML kept in the cache: a deploy never serves what the code before kept.

A shared cache (Redis) outlives a deploy, and the listings version changes
only with an edit; the cards' parts and a meeting page's parts name the
release, which changes with any file or setting that writes them.
"""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings

from meetings import release, views
from meetings.models import Meeting
from tests.clock import frozen
from tests.factories import make_group, make_location, make_meeting

PHOENIX = ZoneInfo("America/Phoenix")


@pytest.fixture
def fresh_fingerprint():
    release.fingerprint.cache_clear()
    yield
    release.fingerprint.cache_clear()


def test_the_fingerprint_covers_what_writes_kept_html():
    files = {str(path.relative_to(django_settings.BASE_DIR)) for path in release.files()}
    for name in (
        "meetings/cards.py",
        "meetings/templatetags/cards.py",
        "meetings/templatetags/phones.py",
        "templates/includes/meeting_card_fixed.html",
        "templates/meetings/meeting_detail.html",
        "templates/includes/meeting_map.html",
        "static/js/map.js",
        "locale/es/LC_MESSAGES/django.mo",
    ):
        assert name in files, name
    assert not [name for name in files if name.endswith(".pyc")]


def test_the_fingerprint_changes_with_a_file_or_a_setting(tmp_path, monkeypatch, settings, fresh_fingerprint):
    source = tmp_path / "cards.py"
    source.write_text("PART = 1\n")
    settings.BASE_DIR = tmp_path
    monkeypatch.setattr(release, "files", lambda: iter([source]))
    first = release.fingerprint()
    assert release.fingerprint() == first  # once a process
    release.fingerprint.cache_clear()
    assert release.fingerprint() == first  # the same files and settings: the same release
    source.write_text("PART = 2\n")
    release.fingerprint.cache_clear()
    second = release.fingerprint()
    assert second != first
    settings.MAP_TILES_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    release.fingerprint.cache_clear()
    assert release.fingerprint() not in (first, second)


@pytest.fixture
def confirmed(arizona):
    group = make_group(arizona, name="Desert Hope")
    hall = make_location(arizona, name="St. Brigid's Hall", latitude=33.45, longitude=-112.07)
    meeting = make_meeting(arizona, name="Hope at the hall", group=group, location=hall, times=[(1, "19:00", None)])
    Meeting.objects.filter(pk=meeting.pk).update(confirmed_by_group_on=dt.date(2026, 11, 10))
    return Meeting.objects.get(pk=meeting.pk)


def page(client, url, n):
    return client.get(f"{url}?again={n}").content.decode().replace(f"again={n}", "again=N")


def test_a_meeting_page_from_kept_parts_is_the_page_rendered_whole_in_both_languages(client, confirmed, monkeypatch):
    with frozen(dt.datetime(2026, 11, 20, 9, 0, tzinfo=PHOENIX)):
        for url in (confirmed.get_absolute_url(), f"/es{confirmed.get_absolute_url()}"):
            first = page(client, url, 1)
            assert page(client, url, 2) == first  # its parts read from the cache
            with monkeypatch.context() as patched:
                patched.setattr(views, "kept_parts_key", lambda meeting: uuid.uuid4().hex)
                assert page(client, url, 3) == first
        english, spanish = (
            page(client, confirmed.get_absolute_url(), 4),
            page(client, f"/es{confirmed.get_absolute_url()}", 4),
        )
    assert "Your first meeting" in english and "Your first meeting" not in spanish
    assert "Group" in english and "Grupo" in spanish


def test_a_meeting_page_says_the_days_since_the_group_confirmed_it_on_each_day(client, confirmed):
    url = confirmed.get_absolute_url()
    with frozen(dt.datetime(2026, 11, 20, 23, 50, tzinfo=dt.UTC)):
        assert "10 days ago" in page(client, url, 1)
        assert "10 days ago" in page(client, url, 2)
    with frozen(dt.datetime(2026, 11, 21, 0, 10, tzinfo=dt.UTC)):  # twenty minutes on: the parts have not expired
        assert "11 days ago" in page(client, url, 3)


def test_a_meeting_page_does_not_read_parts_another_release_kept(client, confirmed, monkeypatch):
    url = confirmed.get_absolute_url()
    with frozen(dt.datetime(2026, 11, 20, 9, 0, tzinfo=PHOENIX)):
        page(client, url, 1)
        monkeypatch.setattr(release, "fingerprint", lambda: "another-release")
        rendered = []
        same_place_as = views.same_place_as
        monkeypatch.setattr(views, "same_place_as", lambda meeting: rendered.append(meeting) or same_place_as(meeting))
        page(client, url, 2)
    assert rendered == [confirmed]  # the lower part rendered again, its neighbours read


def test_a_worker_hashes_the_release_before_its_first_request(fresh_fingerprint):
    from ha_directory import worker

    worker.warm_up()
    assert release.fingerprint.cache_info().currsize == 1
