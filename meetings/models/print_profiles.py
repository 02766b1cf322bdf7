"""Print profiles: a printed list saved under a short link, so a treatment centre reprints it with fresh listings.

A profile keeps only the list's canonical address (its search and print
options, the centre's own words among them) and two dates. Nobody owns it and
nothing about who saved or opened it is kept; a profile nobody has opened for
a year is removed by `manage.py remove_unused_print_profiles`.
"""

import datetime as dt
import secrets

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_BYTES = 9  # 12 characters of a URL-safe alphabet: 72 random bits, not guessable, short enough to type
KEPT_UNOPENED = dt.timedelta(days=365)


def new_token():
    return secrets.token_urlsafe(TOKEN_BYTES)


class PrintProfileQuerySet(models.QuerySet):
    def unused_since(self, day):
        """Profiles nobody has opened since `day` (never opened: since they were saved)."""
        return self.filter(last_opened_on__lt=day)

    def unused_for_a_year(self, today=None):
        return self.unused_since((today or timezone.localdate()) - KEPT_UNOPENED)


class PrintProfile(models.Model):
    token = models.CharField(_("link"), max_length=24, unique=True, default=new_token, editable=False)
    query = models.TextField(
        _("the list"), help_text=_("The list's address on /print/: its search and print options, canonical.")
    )
    created_on = models.DateField(_("saved on"), default=timezone.localdate, editable=False)
    last_opened_on = models.DateField(_("last opened on"), default=timezone.localdate, editable=False)

    objects = PrintProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("print profile")
        verbose_name_plural = _("print profiles")
        indexes = [
            # remove_unused_print_profiles: profiles not opened since a day.
            models.Index(fields=["last_opened_on"], name="printprofile_opened_idx"),
        ]

    def __str__(self):
        return self.token

    def get_absolute_url(self):
        return reverse("meetings:print_profile", args=[self.token])

    def opened(self, today=None):
        """Note that it was opened today: one small write a day at most."""
        today = today or timezone.localdate()
        if self.last_opened_on != today:
            type(self).objects.filter(pk=self.pk).update(last_opened_on=today)
            self.last_opened_on = today
