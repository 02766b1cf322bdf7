"""Settings come from the environment, strictly, and production passes check --deploy."""

import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from django.core.cache.backends.base import CacheKeyWarning
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ImproperlyConfigured

from ha_directory import settings as project_settings
from ha_directory.local_cache import KeysNotCheckedForMemcached, LocalMemoryCache
from ha_directory.redis_cache import ResilientRedisCache

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "meetings.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
    "CACHE_URL": "redis://127.0.0.1:6379/0",
}


def manage(*args, **env):
    unset = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full_env = {k: v for k, v in os.environ.items() if k not in unset}
    full_env.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True)


def test_production_settings_pass_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_on_each_processs_own_cache_is_warned_of():
    """Workers that share no cache would each keep cards and feed pieces an edit elsewhere made stale."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", **dict(PRODUCTION, CACHE_URL=""))
    assert result.returncode != 0
    assert "meetings.W002" in result.stdout + result.stderr


def test_production_without_a_secret_key_refuses_to_start():
    env = dict(PRODUCTION, SECRET_KEY="")
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_without_hosts_refuses_to_start():
    result = manage("check", **dict(PRODUCTION, ALLOWED_HOSTS=""))
    assert "ALLOWED_HOSTS must be set" in result.stderr


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("yes", True), ("False", False), ("off", False)])
def test_booleans_are_read_strictly(monkeypatch, value, expected):
    monkeypatch.setenv("SOME_FLAG", value)
    assert project_settings.env_bool("SOME_FLAG", not expected) is expected


def test_a_typo_in_a_boolean_is_an_error(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG must be true or false"):
        project_settings.env_bool("SOME_FLAG", False)


def test_cache_url_chooses_the_backend():
    assert project_settings.cache_from_url("")["BACKEND"] == "ha_directory.local_cache.LocalMemoryCache"
    redis = project_settings.cache_from_url("redis://127.0.0.1:6379/1")
    assert redis == {"BACKEND": "ha_directory.redis_cache.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:6379/1"}
    with pytest.raises(ImproperlyConfigured):
        project_settings.cache_from_url("memcached://x")


def test_the_local_cache_keeps_any_key_without_memcacheds_warning():
    """Neither backend checks keys for memcached (ha_directory/local_cache.py): the warning cost every call."""
    cache = LocalMemoryCache("test", {})
    key = "card:" + "x" * 300 + ":a key with spaces"
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        cache.set(key, "kept")
        assert cache.get_many([key]) == {key: "kept"}
    assert issubclass(ResilientRedisCache, KeysNotCheckedForMemcached)
    with pytest.warns(CacheKeyWarning):  # what Django's own backend says of the same key
        LocMemCache("test", {}).set(key, "kept")


def test_postgresql_sessions_start_no_parallel_workers_and_cheap_random_reads(db):
    """A page's queries are small and the listings fit in memory: on PostgreSQL no query waits for a parallel
    worker to start, and the planner reads rows by index where it would have read a whole table (settings.py)."""
    from django.conf import settings
    from django.db import connection

    options = settings.DATABASES["default"].get("OPTIONS", {})
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW max_parallel_workers_per_gather")
            assert cursor.fetchone()[0] == "0"
            cursor.execute("SHOW random_page_cost")
            assert float(cursor.fetchone()[0]) == 1.1
    else:
        assert "options" not in options  # a PostgreSQL connection parameter, unknown to SQLite


SQLITE_PRAGMAS = """
from django.db import connection
with connection.cursor() as cursor:
    print(*(cursor.execute(f"PRAGMA {name}").fetchone()[0] for name in ("journal_mode", "mmap_size")))
"""


@pytest.mark.parametrize(
    ("setting", "expected"), [(None, f"wal {2**30}"), ("0", "wal 0"), ("268435456", "wal 268435456")]
)
def test_sqlite_is_read_through_a_memory_map_unless_turned_off(tmp_path, setting, expected):
    """A SQLite file is opened in WAL mode and read through a memory map of SQLITE_MMAP_BYTES (settings.py):
    its pages come from the system's cache, shared by the workers, not copied into each connection's own."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'directory.sqlite3'}"}
    if setting is not None:
        env["SQLITE_MMAP_BYTES"] = setting
    result = manage("shell", "-c", SQLITE_PRAGMAS, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == expected.split()
