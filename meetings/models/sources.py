"""Feed sources: another directory's Meeting Guide feed kept in sync with one of our areas.

How an area moves over without a flag day: its existing list (the 12 Step
Meeting List plugin, a Google Sheet) stays the source, `manage.py
sync_sources` brings its changes here on a timer, and volunteers switch to
editing here when they are ready (then the source is switched off).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from groups.models import ServiceArea
from meetings.schedule import validate_timezone


class FeedSourceQuerySet(models.QuerySet):
    def due(self, now=None):
        """Enabled sources whose last attempt is older than their interval (or that never ran)."""
        now = now or timezone.now()
        due = []
        for source in self.filter(enabled=True).order_by("pk"):
            if source.last_attempt_at is None or source.last_attempt_at + source.interval <= now:
                due.append(source.pk)
        return self.filter(pk__in=due)

    def failing(self):
        return self.filter(enabled=True).exclude(last_error="")


class FeedSource(models.Model):
    class Format(models.TextChoices):
        AUTO = "auto", _("Recognise it (JSON or CSV)")
        MEETING_GUIDE = "meeting-guide", _("Meeting Guide JSON")
        CSV = "csv", _("CSV (Meeting Guide columns, or a published Google Sheet)")

    class Wins(models.TextChoices):
        SOURCE = "source", _("The source: a meeting edited here is overwritten by the next change in the source")
        HERE = "here", _("This directory: a meeting edited here is no longer updated from the source")

    name = models.CharField(_("name"), max_length=120, help_text=_("For example: District 3 website feed."))
    area = models.ForeignKey(
        ServiceArea,
        verbose_name=_("service area"),
        on_delete=models.PROTECT,
        related_name="feed_sources",
        help_text=_("Its meetings go into this area; the feed's regions become areas below it."),
    )
    url = models.URLField(
        _("feed address"),
        max_length=1000,
        help_text=_("The feed's https:// address: a Meeting Guide JSON feed, a CSV, or a published Google Sheet."),
    )
    format = models.CharField(_("format"), max_length=16, choices=Format.choices, default=Format.AUTO)
    timezone = models.CharField(
        _("time zone for rows without one"),
        max_length=64,
        blank=True,
        validators=[validate_timezone],
        help_text=_("Empty: the area's time zone."),
    )
    wins = models.CharField(
        _("when a synced meeting was edited here"), max_length=8, choices=Wins.choices, default=Wins.HERE
    )
    enabled = models.BooleanField(_("sync it"), default=True)
    every_hours = models.PositiveSmallIntegerField(_("every (hours)"), default=24)
    approved = models.BooleanField(
        _("first sync approved"),
        default=False,
        help_text=_(
            "The first sync only previews what it would add. Read the preview below, then tick this: "
            "the next sync applies it."
        ),
    )
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    last_report = models.TextField(_("last report"), blank=True, editable=False)

    objects = FeedSourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("feed source")
        verbose_name_plural = _("feed sources")

    def __str__(self):
        return self.name

    @property
    def interval(self):
        return timezone.timedelta(hours=self.every_hours)
