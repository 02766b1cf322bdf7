"""Personal logins: password reset by email and login throttling, neither of which an outsider can abuse."""

import threading

import pytest
from django.contrib.auth.forms import PasswordResetForm
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ha_directory import accounts

PASSWORD = "the-right-passphrase"


@pytest.fixture
def vera(django_user_model):
    return django_user_model.objects.create_user("vera", "vera@example.org", PASSWORD, is_staff=True)


@pytest.fixture
def behind_the_proxy(settings):
    """Production: our TLS proxy appends the address it saw to X-Forwarded-For; REMOTE_ADDR is the proxy."""
    settings.BEHIND_TLS_PROXY = True
    settings.TRUSTED_PROXY_COUNT = 1


@pytest.fixture
def background(monkeypatch):
    """Jobs the request path left for after the response, run only when the test says so."""
    jobs = []
    monkeypatch.setattr(accounts, "run_in_background", lambda function, *args: jobs.append((function, args)))
    return jobs


def run(jobs):
    for function, args in jobs:
        function(*args)


def log_in(client, username, password, address, spoofed="10.9.8.7"):
    # A client writes whatever it likes first; the proxy appends the real address.
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password},
        HTTP_X_FORWARDED_FOR=f"{spoofed}, {address}",
    )


def test_the_admin_login_offers_a_password_reset(client, db):
    body = client.get(reverse("admin:login")).content.decode()
    assert reverse("admin_password_reset") in body


def test_a_volunteer_can_reset_their_password_by_email(client, vera, background):
    response = client.post(reverse("admin_password_reset"), {"email": "vera@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []  # not while the visitor waits
    run(background)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["vera@example.org"]
    assert "/reset/" in mail.outbox[0].body


def test_a_reset_for_a_known_and_an_unknown_address_does_the_same_work(client, vera, background, monkeypatch):
    lookups = []
    real_get_users = PasswordResetForm.get_users

    def get_users(form, email):
        lookups.append(email)
        return real_get_users(form, email)

    monkeypatch.setattr(PasswordResetForm, "get_users", get_users)
    answers = []
    for email in ["vera@example.org", "nobody@example.org"]:
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("admin_password_reset"), {"email": email})
        answers.append((response.status_code, response["Location"], len(queries), response.content))
    assert answers[0] == answers[1]
    assert answers[0][2] == 0  # not even a lookup: that happens after the response
    assert lookups == []
    assert [(function, args[0]) for function, args in background] == [
        (accounts.send_password_reset, "vera@example.org"),
        (accounts.send_password_reset, "nobody@example.org"),
    ]
    run(background)
    assert [message.to for message in mail.outbox] == [["vera@example.org"]]


def test_the_reset_email_starts_only_after_the_response_is_closed(rf, vera, monkeypatch):
    started = []
    monkeypatch.setattr(accounts, "run_in_background", lambda function, *args: started.append(args[0]))
    request = rf.post(reverse("admin_password_reset"), {"email": "vera@example.org"})
    request._dont_enforce_csrf_checks = True
    response = accounts.PasswordResetView.as_view()(request)
    assert response.status_code == 302
    assert started == []
    response.close()  # what the WSGI server does once the response is sent
    assert started == ["vera@example.org"]


def test_background_jobs_run_in_a_thread_of_their_own(db):
    ran_in = []
    thread = accounts.run_in_background(lambda: ran_in.append(threading.current_thread()))
    thread.join(5)
    assert ran_in == [thread]


def test_password_resets_are_limited_per_email(client, vera, background, settings):
    url = reverse("admin_password_reset")
    statuses = [
        client.post(url, {"email": "vera@example.org"}, REMOTE_ADDR=f"192.0.2.{n}").status_code
        for n in range(settings.PASSWORD_RESETS_PER_EMAIL + 2)
    ]
    assert statuses == [302] * settings.PASSWORD_RESETS_PER_EMAIL + [429, 429]
    run(background)
    assert len(mail.outbox) == settings.PASSWORD_RESETS_PER_EMAIL


def test_password_resets_are_limited_per_address(client, vera, background, settings):
    limit = settings.PASSWORD_RESETS_PER_ADDRESS
    statuses = [
        client.post(reverse("admin_password_reset"), {"email": f"someone{n}@example.org"}).status_code
        for n in range(limit + 1)
    ]
    assert statuses == [302] * limit + [429]
    response = client.post(reverse("admin_password_reset"), {"email": "vera@example.org"})
    assert response.status_code == 429
    assert "Too many password reset requests" in response.content.decode()
    assert len(background) == limit


def test_repeated_failed_logins_are_locked_out(client, vera, settings):
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "vera", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    response = client.post(url, {"username": "vera", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_behind_the_proxy_an_attacker_cannot_lock_a_volunteer_out(client, vera, behind_the_proxy, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        log_in(client, "vera", "wrong", "203.0.113.66", spoofed="198.51.100.4")
    assert log_in(client, "vera", PASSWORD, "203.0.113.66").status_code == 429  # the attacker is locked out
    response = log_in(client, "vera", PASSWORD, "198.51.100.4")  # vera, from home, the address the attacker wrote
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(vera.pk)


def test_one_address_cannot_try_a_password_on_every_account(client, vera, behind_the_proxy, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 6
    for n in range(6):
        assert log_in(client, f"user{n}", "Summer2026!", "203.0.113.66", spoofed=f"10.0.0.{n}").status_code == 200
    assert log_in(client, "someone-else", "Summer2026!", "203.0.113.66").status_code == 429
    assert log_in(client, "vera", PASSWORD, "203.0.113.66").status_code == 429
    assert "_auth_user_id" not in client.session
    assert log_in(client, "vera", PASSWORD, "198.51.100.4").status_code == 302
