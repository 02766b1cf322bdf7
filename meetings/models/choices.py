"""The fixed vocabularies of the listings, in one module that the models and their QuerySets both import."""

from functools import cache

from django.conf.locale import LANG_INFO
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from meetings.text import fold

# Named in the page's language from Django's own catalogue ("Arabic", "árabe"), ordered by the English name.
LANGUAGE_CHOICES = [
    (code, _(name))
    for code, name in sorted(
        ((code, info["name"]) for code, info in LANG_INFO.items() if len(code) == 2 and "name" in info),
        key=lambda pair: pair[1],
    )
]


def language_choices():
    """LANGUAGE_CHOICES in the order of their names in the page's language: "alemán, árabe..." in Spanish.

    A form's `choices` may be this callable: it is read each time a form is made.
    """
    return language_choices_in(get_language())


@cache
def language_choices_in(language):
    return sorted(((code, str(name)) for code, name in LANGUAGE_CHOICES), key=lambda pair: fold(pair[1]))


class Access(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    TEMPORARILY_CLOSED = "temporarily_closed", _("Temporarily closed")
    ARCHIVED = "archived", _("Archived")


class Attendance(models.TextChoices):
    """How a person can attend; derived from the location and the join link or phone, never typed."""

    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    PHONE = "phone", _("Phone")
    HYBRID = "hybrid", _("Hybrid")


class Weekday(models.IntegerChoices):
    """Days as the Meeting Guide format counts them: 0 is Sunday."""

    SUNDAY = 0, _("Sunday")
    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")


class PinSource(models.TextChoices):
    MANUAL = "manual", _("a volunteer, by hand")
    GEOCODER = "geocoder", _("the geocoder")
    IMPORT = "import", _("an import")
    FAILED = "failed", _("nobody yet: the geocoder could not find the address")


class Repeats(models.TextChoices):
    """How a meeting's time repeats, in the words a volunteer uses (maps exactly to an iCalendar RRULE)."""

    WEEKLY = "weekly", _("Every week")
    EVERY_N_WEEKS = "every_n_weeks", _("Every few weeks, from a first date")
    MONTHLY = "monthly", _("Monthly, on some weeks of the month")
    ONCE = "once", _("Once: an event on one date")


WEEKS_OF_MONTH = [
    ("1", _("1st")),
    ("2", _("2nd")),
    ("3", _("3rd")),
    ("4", _("4th")),
    ("5", _("5th")),
    ("-1", _("last")),
]


class ChangeKind(models.TextChoices):
    """A dated change to a meeting's schedule."""

    CANCELLED = "cancelled", _("Cancelled on one date")
    CLOSED = "closed", _("Closed for a while (resumes by itself)")
    MOVED = "moved", _("Moved to another date or time, once")


class OccurrenceState(models.TextChoices):
    SCHEDULED = "scheduled", _("Meets")
    CANCELLED = "cancelled", _("Cancelled")
    CLOSED = "closed", _("Closed")
    MOVED_AWAY = "moved_away", _("Moved")
    MOVED_HERE = "moved_here", _("Moved here")
