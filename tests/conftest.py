import pytest
import redis
from django.core.cache import cache
from django.utils import translation

from tests.factories import make_area


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: what one test cached (a page, a geocoded address) is not another's."""
    cache.clear()


@pytest.fixture(autouse=True)
def english():
    """Each test starts in English, whatever language the test before it asked a page in."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def redis_db(request):
    """The database of the local Redis at the test module's REDIS_URL, emptied before and after the test.

    Without Redis on 127.0.0.1:6379 the test fails (.ci/run starts one): never skipped.
    """
    connection = redis.Redis.from_url(request.module.REDIS_URL)
    try:
        connection.ping()
    except redis.ConnectionError as error:
        pytest.fail(f"These tests need Redis on 127.0.0.1:6379 ({error}).")
    connection.flushdb()
    yield connection
    connection.flushdb()


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
