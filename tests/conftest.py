import pytest

from tests.factories import make_area


@pytest.fixture
def world(db):
    return make_area("World", level="world", timezone="America/New_York")


@pytest.fixture
def arizona(world):
    return make_area("Arizona", parent=world, timezone="America/Phoenix")


@pytest.fixture
def phoenix_district(arizona):
    return make_area("Phoenix District", parent=arizona, level="district")


@pytest.fixture
def colorado(world):
    return make_area("Colorado", parent=world, timezone="America/Denver")


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("alice", "alice@example.org", "correct horse battery")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def feeds_dir():
    """Real public feeds copied into the repository (tests/data/README.md names their sources)."""
    from pathlib import Path

    return Path(__file__).resolve().parent / "data" / "feeds"
