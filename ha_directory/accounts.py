"""Volunteers' logins and password resets, hardened against guessing and probing.

- Login: django-axes locks a username from one client address after a few
  failures (the address comes from ha_directory.clients, so behind our proxy
  an attacker locks out only themselves, never a named volunteer), and this
  handler adds a cap on failures per address across all usernames, so nobody
  can try one password on every account.
- Password reset: limited per address and per email asked for, and the email
  is looked up and sent after the response has gone, in a thread: the request
  does the same work whether or not the address belongs to a volunteer, so
  neither the answer nor its timing tells them apart.
"""

import logging
import threading

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.db import connections
from django.utils import translation
from django.utils.translation import gettext as _

from ha_directory import ratelimit
from ha_directory.clients import client_address

logger = logging.getLogger(__name__)
HOUR = 3600


class LoginAttemptHandler(AxesDatabaseHandler):
    """django-axes' lockout per (username, address), plus a limit of failures per address across usernames."""

    def is_locked(self, request, credentials=None):
        return super().is_locked(request, credentials) or ratelimit.exceeded(
            "login-failures", client_address(request), settings.LOGIN_FAILURES_PER_ADDRESS, HOUR
        )

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None:
            return
        if not ratelimit.hit("login-failures", client_address(request), settings.LOGIN_FAILURES_PER_ADDRESS, HOUR):
            # AxesMiddleware turns this into its lockout page (HTTP 429).
            request.axes_locked_out = True
            request.axes_credentials = credentials


class BackgroundPasswordResetForm(PasswordResetForm):
    """Django's form, except that save() only schedules the lookup and the email (see PasswordResetView)."""

    job = None

    def save(self, domain_override=None, request=None, **options):
        # What Django would read from the request (no sites framework): the host asked for.
        options["domain_override"] = domain_override or request.get_host()
        # The language travels with the job: a thread starts without the request's.
        self.job = (send_password_reset, self.cleaned_data["email"], options, translation.get_language())


def send_password_reset(email, options, language=None):
    """Look `email` up and send Django's reset message to each active user with it (run in the background), in
    the language the volunteer's admin was in when they asked."""
    form = PasswordResetForm({"email": email})
    if form.is_valid():
        with translation.override(language or settings.LANGUAGE_CODE):
            form.save(**options)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = BackgroundPasswordResetForm

    def form_valid(self, form):
        # Both counters are always touched, so a known and an unknown email cost the same.
        address_ok = ratelimit.hit(
            "reset-address", client_address(self.request), settings.PASSWORD_RESETS_PER_ADDRESS, HOUR
        )
        email_ok = ratelimit.hit(
            "reset-email", form.cleaned_data["email"].casefold(), settings.PASSWORD_RESETS_PER_EMAIL, HOUR
        )
        if not (address_ok and email_ok):
            form.add_error("email", _("Too many password reset requests. Please try again in an hour."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        response = super().form_valid(form)
        run_after_response(response, *form.job)
        return response


def run_after_response(response, function, *args):
    """Start `function(*args)` in a thread once the server has sent `response` and closed it."""
    response._resource_closers.append(lambda: run_in_background(function, *args))


def run_in_background(function, *args):
    thread = threading.Thread(target=_run_and_close_connections, args=(function, *args), daemon=True)
    thread.start()
    return thread


def _run_and_close_connections(function, *args):
    try:
        function(*args)
    except Exception:
        logger.exception("Background job %s failed", function.__name__)
    finally:
        # The thread opened its own database connections: close them, or each job leaks one.
        connections.close_all()
