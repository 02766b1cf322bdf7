"""Personal logins: password reset by email and login throttling."""

import pytest
from django.core import mail
from django.urls import reverse


@pytest.fixture
def vera(django_user_model):
    return django_user_model.objects.create_user("vera", "vera@example.org", "the-right-passphrase", is_staff=True)


def test_the_admin_login_offers_a_password_reset(client, db):
    body = client.get(reverse("admin:login")).content.decode()
    assert reverse("admin_password_reset") in body


def test_a_volunteer_can_reset_their_password_by_email(client, vera):
    response = client.post(reverse("admin_password_reset"), {"email": "vera@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/reset/" in mail.outbox[0].body


def test_repeated_failed_logins_are_locked_out(client, vera, settings):
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "vera", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    response = client.post(url, {"username": "vera", "password": "the-right-passphrase"}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
