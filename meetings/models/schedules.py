from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from meetings.models.choices import ChangeKind, OccurrenceState
from meetings.models.listings import Meeting, MeetingTime
from meetings.models.querysets import Lasting, OccurrenceQuerySet, ScheduleChangeQuerySet, changes_matter_since
from meetings.time_input import shown


class ScheduleChange(models.Model):
    """A dated change to a meeting: cancelled on one date, closed for a while, or moved once."""

    Kind = ChangeKind

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="schedule_changes"
    )
    meeting_time = models.ForeignKey(
        MeetingTime,
        verbose_name=_("which time"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="schedule_changes",
        help_text=_("Leave empty for every time of the meeting on those dates."),
    )
    kind = models.CharField(_("change"), max_length=10, choices=ChangeKind.choices, default=ChangeKind.CANCELLED)
    date = models.DateField(_("date"), help_text=_("The day it is cancelled or moved from; the first day closed."))
    until = models.DateField(
        _("reopens on"), null=True, blank=True, help_text=_("For a closure: the date it meets again.")
    )
    new_date = models.DateField(_("moved to the date"), null=True, blank=True)
    new_start = models.TimeField(_("moved to the time"), null=True, blank=True)
    new_end = models.TimeField(_("ending"), null=True, blank=True)
    note = models.CharField(
        _("public note"), max_length=200, blank=True, help_text=_("Shown with the change, e.g. 'Christmas Day'.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    objects = ScheduleChangeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("dated change")
        verbose_name_plural = _("dated changes (cancellations, closures, moves)")
        indexes = [models.Index(fields=["meeting", "date"], name="schedchange_meeting_date_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.date:%Y-%m-%d}"

    def matters(self, now):
        """Whether the change still matters at `now`: what ScheduleChange.objects.upcoming(now) selects, for one change
        already read (a meeting's page reads its changes with the meeting, kept in the cache)."""
        since = changes_matter_since(now)
        return (
            self.date >= since
            or (self.until is not None and self.until > since)
            or (self.new_date is not None and self.new_date >= since)
        )

    def history_parts(self, twelve_hour=True):
        """("Moved: December 25, 2026", "to 6:30 PM–7:30 PM, Christmas Day"), as History says it."""
        what = f"{self.get_kind_display()}: {date_format(self.date, 'DATE_FORMAT')}"
        details = []
        if self.until:
            details.append(_("until %(date)s") % {"date": date_format(self.until, "DATE_FORMAT")})
        if self.new_date:
            details.append(_("to %(date)s") % {"date": date_format(self.new_date, "DATE_FORMAT")})
        if self.new_start:
            hours = shown(self.new_start, twelve_hour)
            if self.new_end:
                hours += "–" + shown(self.new_end, twelve_hour)
            details.append(_("at %(hours)s") % {"hours": hours})
        if self.note:
            details.append(f"“{self.note}”")
        return (what, ", ".join(str(d) for d in details))

    def clean(self):
        errors = {}
        if self.meeting_time_id and self.meeting_id and self.meeting_time.meeting_id != self.meeting_id:
            errors["meeting_time"] = _("That time belongs to another meeting.")
        if self.kind == ChangeKind.CLOSED:
            if not self.until:
                errors["until"] = _("Give the date it meets again. For a closure with no end, set the status.")
            elif self.date and self.until <= self.date:
                errors["until"] = _("It must reopen after the first day closed.")
        if self.kind == ChangeKind.MOVED:
            if not self.new_date and not self.new_start:
                errors["new_date"] = _("Give the new date, the new time, or both.")
            if self.new_start is not None and self.new_end == self.new_start:
                errors["new_end"] = _("The meeting cannot end when it starts.")
            if not self.meeting_time_id and self.meeting_id and self.meeting.times.count() > 1:
                errors["meeting_time"] = _("Which of the meeting's times is moved?")
        if errors:
            raise ValidationError(errors)


class Occurrence(models.Model):
    """A real date of a meeting: start and end as instants, kept for the coming weeks from the rules and changes.

    Derived data, written by meetings.occurrences on every save of a meeting,
    its times or its dated changes, and extended daily by
    `manage.py extend_occurrences`: never edited by hand, no history.
    """

    State = OccurrenceState

    # Indexed below together with starts_at, which serves both.
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="occurrences", db_index=False)
    meeting_time = models.ForeignKey(MeetingTime, on_delete=models.CASCADE, related_name="occurrences", db_index=False)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    local_date = models.DateField(_("date where it meets"))
    local_weekday = models.PositiveSmallIntegerField(_("day where it meets"))  # 0 = Sunday
    local_start = models.TimeField(_("time where it meets"))
    state = models.CharField(_("state"), max_length=12, choices=OccurrenceState.choices)
    change = models.ForeignKey(ScheduleChange, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("date of a meeting")
        verbose_name_plural = _("dates of meetings")
        indexes = [
            # "upcoming" and the now-first order: a range of instants, in order, with each date's
            # meeting and end, so dates already over are passed over in the index (migration 0014),
            # and its id, so PostgreSQL reads none of the rows it walks (migration 0016).
            models.Index(fields=["starts_at", "meeting", "ends_at"], include=["id"], name="occurrence_starts_idx"),
            # A meeting's dates in order.
            models.Index(fields=["meeting", "starts_at"], name="occurrence_meeting_starts_idx"),
            # A search's meetings, then their dates of the coming week, from the index alone:
            # "ends within the week" is a range on ends_at, where starts_at only bounds one side,
            # and the weekday a search by day asks for (migration 0013).
            models.Index(
                fields=["meeting", "ends_at", "starts_at", "local_weekday"],
                include=["id"],  # PostgreSQL's indexes lack the row's id that SQLite's hold
                name="occurrence_meeting_ends_idx",
            ),
            # One weekday's dates in order, each with its meeting and end: a search by day (migration 0015).
            models.Index(
                fields=["local_weekday", "starts_at", "meeting", "ends_at"],
                include=["id"],
                name="occurrence_weekday_starts_idx",
            ),
            # A time's next date.
            models.Index(fields=["meeting_time", "starts_at"], name="occurrence_time_starts_idx"),
            # The long dates, to know how long ago the dates under way now began (migration 0014).
            models.Index(Lasting(), name="occurrence_lasting_idx"),
        ]

    def __str__(self):
        return f"{self.meeting_time} on {self.local_date:%Y-%m-%d}"

    @property
    def meets(self):
        return self.state in (OccurrenceState.SCHEDULED, OccurrenceState.MOVED_HERE)
