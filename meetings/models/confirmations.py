import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Group

VALID_FOR_DAYS = 30


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


class ConfirmationQuerySet(models.QuerySet):
    def usable(self, now=None):
        return self.filter(used_at__isnull=True, expires_at__gt=now or timezone.now())


class Confirmation(models.Model):
    """A "still meeting?" link sent to a group's contact: valid 30 days, used once.

    Only a hash of the link's token is stored: a database read does not give
    anyone the power to confirm a group's listings.
    """

    group = models.ForeignKey(Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="confirmations")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_to = models.EmailField(_("sent to"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    objects = ConfirmationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("“still meeting?” email")
        verbose_name_plural = _("“still meeting?” emails")
        indexes = [
            # The monthly run: when was this group last asked.
            models.Index(fields=["group", "-created_at"], name="confirmation_group_idx"),
        ]

    def __str__(self):
        return _("“Still meeting?” to %(group)s") % {"group": self.group}

    @classmethod
    def issue(cls, group, sent_by=None, now=None):
        """A new link for `group`: (the record, the token to put in the email)."""
        now = now or timezone.now()
        token = secrets.token_urlsafe(32)
        record = cls.objects.create(
            group=group,
            token_hash=token_hash(token),
            sent_to=group.contact_email,
            sent_by=sent_by,
            created_at=now,
            expires_at=now + dt.timedelta(days=VALID_FOR_DAYS),
        )
        return record, token

    @classmethod
    def find(cls, token):
        return cls.objects.select_related("group").filter(token_hash=token_hash(token or "")).first()

    @property
    def is_usable(self):
        return self.used_at is None and self.expires_at > timezone.now()


class NotificationSetting(models.Model):
    """A volunteer's own choice about the daily digest of their area's requests and edits."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_setting"
    )
    daily_digest = models.BooleanField(
        _("daily digest"),
        default=True,
        help_text=_("One email a day with new change requests and the edits made in your areas."),
    )
    last_digest_at = models.DateTimeField(_("last digest"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")

    def __str__(self):
        return str(self.user)
