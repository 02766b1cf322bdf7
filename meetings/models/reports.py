from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from groups.models import ServiceArea
from meetings.models.listings import Meeting


class ChangeRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ChangeRequest.Status.OPEN)

    def in_areas(self, ids):
        """Requests in the areas `ids` (None for every area: a superuser's), by their meeting's area now.

        A request's own area counts only for a new meeting not yet created: a
        meeting moved to another area takes its requests (and the visitor's
        contact) with it.
        """
        if ids is None:
            return self
        return self.filter(
            models.Q(meeting__isnull=True, area_id__in=ids) | models.Q(meeting__isnull=False, meeting__area_id__in=ids)
        )


    def follow_their_meetings(self, meeting_ids):
        """Give the requests of these meetings their meeting's area now: an import moved some (save() moves one's)."""
        area_now = Meeting.objects.filter(pk=models.OuterRef("meeting_id")).values("area_id")[:1]
        moved = self.filter(meeting_id__in=meeting_ids).exclude(area_id=models.F("meeting__area_id"))
        return moved.update(area_id=models.Subquery(area_now))


class ChangeRequest(models.Model):
    """A visitor's proposal: a change to a listing, or a new meeting. It never changes the listing by itself.

    `proposed` holds the values the visitor typed that differ from the listing,
    by field (meetings/proposals.py knows each field: how to read, show and
    apply it); `current` holds the listing's values for the same fields when the
    request came in, so the volunteer sees what changed since.
    """

    class Kind(models.TextChoices):
        CHANGE = "change", _("Change to a listing")
        NEW = "new", _("New meeting")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a volunteer")
        APPLIED = "applied", _("Applied")
        DISMISSED = "dismissed", _("Declined")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CHANGE)
    area = models.ForeignKey(
        ServiceArea, verbose_name=_("service area"), on_delete=models.PROTECT, related_name="change_requests"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="reports",
        null=True,
        blank=True,
        help_text=_("For a new meeting: the listing created when a volunteer approved it."),
    )
    proposed = models.JSONField(_("proposed values"), default=dict, blank=True)
    current = models.JSONField(_("the listing's values when the request came in"), default=dict, blank=True)
    applied_fields = models.JSONField(_("fields applied"), default=list, blank=True)
    message = models.TextField(_("what is wrong"), max_length=2000, blank=True)
    contact = models.CharField(
        _("contact (optional)"),
        max_length=200,
        blank=True,
        help_text=_("Only volunteers of the area see this. Deleted when the request is closed."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    volunteer_note = models.TextField(_("volunteer's note"), blank=True, help_text=_("Why it was declined, say."))

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        indexes = [
            # The moderation queue: open requests, newest first.
            models.Index(fields=["status", "-created_at"], name="changerequest_queue_idx"),
            # A volunteer's queue and the digests: an area's requests.
            models.Index(fields=["area", "status"], name="changerequest_area_idx"),
        ]

    def __str__(self):
        if self.kind == self.Kind.NEW:
            return _("New meeting #%(number)s: %(name)s") % {
                "number": self.pk,
                "name": self.proposed.get("name", ""),
            }
        return _("Request #%(number)s on %(meeting)s") % {"number": self.pk, "meeting": self.meeting}

    def save(self, *args, **kwargs):
        if self.area_id is None and self.meeting_id is not None:
            self.area_id = self.meeting.area_id  # a request about a listing is its area's
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.meeting.get_absolute_url() if self.meeting_id else self.area.get_absolute_url()

    @property
    def current_area_id(self):
        """The area whose volunteers deal with it: its meeting's now, else (a new meeting) its own."""
        return self.meeting.area_id if self.meeting_id else self.area_id

    @property
    def is_open(self):
        return self.status == self.Status.OPEN
