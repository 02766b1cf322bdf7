from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetings.models.listings import Meeting


class ChangeRequest(models.Model):
    """A visitor's report that a listing is wrong. It never changes the listing by itself."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a volunteer")
        APPLIED = "applied", _("Applied")
        DISMISSED = "dismissed", _("Dismissed")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="reports")
    message = models.TextField(_("what is wrong"), max_length=2000)
    contact = models.CharField(
        _("contact (optional)"), max_length=200, blank=True, help_text=_("Only volunteers of the area see this.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    volunteer_note = models.TextField(_("volunteer's note"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        indexes = [
            # The moderation queue: open requests, newest first.
            models.Index(fields=["status", "-created_at"], name="changerequest_queue_idx"),
        ]

    def __str__(self):
        return _("Report on %(meeting)s") % {"meeting": self.meeting}

    def get_absolute_url(self):
        return self.meeting.get_absolute_url()
