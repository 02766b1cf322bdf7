"""Security headers on every kind of response, in development and under production settings."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import make_meeting

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "meetings.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
    "BEHIND_TLS_PROXY": "True",
}
PATHS = [
    "/",
    "/meetings/",
    "/meetings/hope-on-main-phoenix/",
    "/meetings/hope-on-main-phoenix/report/",
    "/api/v1/meetings",
    "/feeds/meeting-guide.json",
    "/admin/login/",
    "/admin/password_reset/",
    "/healthz",
    "/no-such-page/",
]


@pytest.fixture
def listing(arizona):
    return make_meeting(arizona, name="Hope on Main")


def directives(header):
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_security_headers(client, listing, path):
    response = client.get(path)
    assert response.status_code in (200, 404), path
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Referrer-Policy"] in ("no-referrer", "same-origin")
    csp = directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    policy = dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))
    assert policy["geolocation"] == "(self)"  # "Use my location"
    for feature in ("camera", "microphone", "payment", "usb", "autoplay", "fullscreen", "display-capture"):
        assert policy[feature] == "()", feature


def test_pages_that_post_a_form_send_same_origin_referrers_and_the_rest_none(client, listing):
    assert client.get("/meetings/").headers["Referrer-Policy"] == "no-referrer"
    assert client.get("/meetings/hope-on-main-phoenix/").headers["Referrer-Policy"] == "no-referrer"
    assert client.get("/meetings/hope-on-main-phoenix/report/").headers["Referrer-Policy"] == "same-origin"
    assert client.get("/admin/login/").headers["Referrer-Policy"] == "same-origin"


PROBE = """
import json
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="meetings.example.org")
secure = client.get("/healthz", secure=True, HTTP_X_FORWARDED_PROTO="https")
plain = client.get("/healthz")
print(json.dumps({
    "headers": dict(secure.headers),
    "plain": [plain.status_code, plain.get("Location")],
    "cookies": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY],
}))
"""


def test_production_adds_hsts_https_redirects_and_secure_cookies():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}}
    env.update(PRODUCTION, DATABASE_URL="sqlite://:memory:")  # headers only: never the developer's database
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    headers = found["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "geolocation=(self)" in headers["Permissions-Policy"]
    assert found["plain"] == [301, "https://meetings.example.org/healthz"]
    assert found["cookies"] == [True, True, True]

