"""Feed sources kept in sync: preview first, then added, changed, gone (archived), broken, edited here since."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from meetings import syncing
from meetings.meeting_guide.reading import FeedError
from meetings.models import FeedSource, Meeting
from tests.fakes import FakeSource


def row(slug, name=None, day=1, **fields):
    return {
        "name": name or slug.title(), "slug": slug, "day": day, "time": "19:00",
        "formatted_address": "100 Main St, Phoenix, AZ 85004, USA", "latitude": 33.45, "longitude": -112.07,
        "types": ["D", "O"], **fields,
    }  # fmt: skip


@pytest.fixture
def fake(monkeypatch):
    source = FakeSource([row("hope"), row("faith", day=3), row("charity", day=5)])
    monkeypatch.setattr(syncing, "fetch_feed", source)
    return source


@pytest.fixture
def district_feed(arizona):
    return FeedSource.objects.create(name="District 3", area=arizona, url="https://district3.example/feed.json")


def run(*args):
    out = StringIO()
    call_command("sync_sources", *args, stdout=out)
    return out.getvalue()


def test_the_first_sync_only_previews_until_approved(fake, district_feed):
    output = run()
    assert "preview, waiting for approval: 3 rows: 3 meetings created" in output
    assert not Meeting.objects.exists()
    district_feed.refresh_from_db()
    assert "Preview" in district_feed.last_report and district_feed.last_success_at is None
    district_feed.approved = True
    district_feed.save()
    assert "applied" in run("--all")
    assert set(Meeting.objects.values_list("slug", flat=True)) == {"hope", "faith", "charity"}
    assert set(Meeting.objects.values_list("source__name", flat=True)) == {"District 3"}


@pytest.fixture
def synced(fake, district_feed):
    district_feed.approved = True
    district_feed.save()
    run("--all")
    return district_feed


def test_added_changed_and_gone_meetings_with_history_from_the_source(fake, synced):
    fake.rows = [row("hope", notes="New room"), row("faith", day=3), row("grace", day=6)]
    assert "1 meetings created, 1 updated, 1 unchanged, 0 edited here and kept, 1 archived" in run("--all")
    hope = Meeting.objects.get(slug="hope")
    assert hope.notes == "New room"
    assert hope.history.first().history_change_reason == "Synced from source District 3"
    assert Meeting.objects.get(slug="charity").status == "archived"  # archived, never deleted
    assert Meeting.objects.get(slug="grace").status == "active"
    fake.rows.append(row("charity", day=5))
    run("--all")
    assert Meeting.objects.get(slug="charity").status == "active"  # back in the source, back in the list


@pytest.mark.parametrize(
    ("source", "error"),
    [
        (FakeSource(error=FeedError("district3.example could not be fetched: no usable answer in time.")), "no usable"),
        (FakeSource(rows=[]), "empty list"),
        (FakeSource(rows=[{"nonsense": 1}, {"garbage": 2}]), "Not one row"),
        (FakeSource(rows=[row(f"m{n}", day=n % 7) for n in range(1)]), "no longer lists"),
    ],
)
def test_a_broken_source_changes_nothing_and_shows_on_the_quality_page(
    monkeypatch, fake, synced, source, error, admin_client
):
    if error == "no longer lists":  # a source that suddenly drops most of its meetings
        fake.rows = [row(f"m{n}", day=n % 7) for n in range(12)]
        run("--all")
    before = sorted(Meeting.objects.values_list("slug", "status", "notes"))
    monkeypatch.setattr(syncing, "fetch_feed", source)
    with pytest.raises(CommandError, match="1 feed sources failed"):
        run("--all")
    assert sorted(Meeting.objects.values_list("slug", "status", "notes")) == before
    synced.refresh_from_db()
    assert error in synced.last_error
    page = admin_client.get(reverse("admin_quality")).content.decode()
    assert "Feed sources that failed their last sync" in page
    assert admin_client.get(reverse("admin:meetings_feedsource_changelist") + "?failing=1").status_code == 200


@pytest.mark.parametrize(("wins", "notes"), [("here", "Edited here"), ("source", "From the source")])
def test_a_meeting_edited_here_since_the_last_sync(fake, synced, wins, notes):
    synced.wins = wins
    synced.save()
    hope = Meeting.objects.get(slug="hope")
    hope.notes = "Edited here"
    hope.save()
    fake.rows[0] = row("hope", notes="From the source")
    output = run("--all")
    assert Meeting.objects.get(slug="hope").notes == notes
    assert ("1 edited here and kept" in output) == (wins == "here")


def test_an_edit_here_is_kept_while_the_source_says_the_same_as_before(fake, synced):
    hope = Meeting.objects.get(slug="hope")
    hope.notes = "Edited here"
    hope.save()
    assert "0 updated" in run("--all")
    assert Meeting.objects.get(slug="hope").notes == "Edited here"


def test_only_due_sources_are_fetched(fake, district_feed):
    district_feed.last_attempt_at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    district_feed.save()
    run()
    assert fake.asked == []
    district_feed.last_attempt_at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=25)
    district_feed.save()
    run()
    assert fake.asked == ["https://district3.example/feed.json"]


def test_volunteers_see_only_their_areas_sources(client, django_user_model, arizona, colorado, district_feed):
    from groups.models import Membership

    FeedSource.objects.create(name="Colorado feed", area=colorado, url="https://co.example/feed.json")
    volunteer = django_user_model.objects.create_user("b", "b@example.org", "long-pass-phrase-2", is_staff=True)
    Membership.objects.create(user=volunteer, area=colorado)
    client.force_login(volunteer)
    page = client.get(reverse("admin:meetings_feedsource_changelist")).content.decode()
    assert "Colorado feed" in page and "District 3" not in page
    assert client.get(reverse("admin:meetings_feedsource_change", args=[district_feed.pk])).status_code in (
        302,
        403,
        404,
    )
