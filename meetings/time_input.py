"""Times and lengths as people type them: "1 pm", "1:00 PM", "13:00", "1300", "noon", "90 min".

One parser for every place a person or a file gives a time of day: the
admin's weekly times, the public change-request form and the importer. A
weekly time is a wall-clock time where the meeting meets, so there is no
date, zone or seconds to ask for.
"""

import datetime as dt
import re

from django import forms
from django.utils import dateformat
from django.utils.translation import gettext_lazy as _

NAMED = {
    "noon": dt.time(12, 0),
    "midday": dt.time(12, 0),
    "mediodia": dt.time(12, 0),
    "mediodía": dt.time(12, 0),
    "midnight": dt.time(0, 0),
    "medianoche": dt.time(0, 0),
}
# 1, 1:30, 1.30, 13h30, 1330, 12:30:00; then am/pm as "pm", "p.m.", "p. m." (Spanish) or "h".
TIME = re.compile(
    r"""^(?P<hour>\d{1,2})(?:\s*[:.h]\s*(?P<minute>\d{2})(?::\d{2})?)?\s*h?\s*
        (?:(?P<half>[ap])\.?\s*m\.?)?$""",
    re.IGNORECASE | re.VERBOSE,
)
DIGITS = re.compile(r"^(?P<hour>\d{1,2})(?P<minute>\d{2})$")  # 1300, 0730, 730
LENGTH = re.compile(
    r"""^(?:(?P<hours>\d{1,3}(?:[.,]\d{1,2})?)\s*(?:h|hr|hrs|hour|hours|hora|horas)(?![a-z])\s*)?
        (?:(?P<minutes>\d{1,4})\s*(?:m|min|mins|minute|minutes|minuto|minutos)?)?$""",
    re.IGNORECASE | re.VERBOSE,
)
# "1h", "1 h", "1h30": in an end field a length, as English writes it; "13h" or "20h30" stay times of day.
HOURS_LENGTH = re.compile(r"^(?P<hours>\d{1,2})\s*h(?:\s*\d{2})?$", re.IGNORECASE)
LENGTH_WORD = re.compile(r"\d\s*(?:m|min|mins|minutes?|minutos?|h|hr|hrs|hours?|horas?)\s*(?:\d|$)", re.IGNORECASE)
EXAMPLES = _('Type it as you would write it: "7 pm", "7:30 PM", "19:30" or "noon".')


def parse_time(value):
    """The time of day in `value`, None for nothing; ValueError with a message a volunteer understands."""
    text = " ".join(str(value or "").split()).strip().lower()
    if not text:
        return None
    if text in NAMED:
        return NAMED[text]
    match = DIGITS.match(text) or TIME.match(text)
    if not match:
        raise not_a_time(_("“%(value)s” is not a time."), value)
    hour, minute = int(match.group("hour")), int(match.group("minute") or 0)
    half = (match.groupdict().get("half") or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise not_a_time(_("“%(value)s”: with AM or PM the hour is 1 to 12."), value)
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour == 24 and minute == 0:
        hour = 0  # "24:00", the end of a marathon
    if hour > 23 or minute > 59:
        raise not_a_time(_("“%(value)s” is not a time of day."), value)
    return dt.time(hour, minute)


def not_a_time(message, value):
    return ValueError(f"{message % {'value': str(value)[:40]}} {EXAMPLES}")


def is_length(value):
    """True when `value` reads as a length ("90 min", "1 hour", "1h 30m", "1h30"), not a time of day ("13h")."""
    text = " ".join(str(value or "").split()).lower()
    short = HOURS_LENGTH.match(text)
    if short:
        return int(short.group("hours")) <= 12
    return bool(LENGTH_WORD.search(text)) and not TIME.match(text)


def parse_length(value):
    """Minutes in "90 min", "90", "1 hour", "1.5 hours", "1 h 30 min"; None for nothing."""
    text = " ".join(str(value or "").split()).strip()
    if not text:
        return None
    match = LENGTH.match(text)
    if not match or not (match.group("hours") or match.group("minutes")):
        raise ValueError(_("“%(value)s” is not a length: write it as “90 min” or “1 hour”.") % {"value": text[:40]})
    minutes = round(float((match.group("hours") or "0").replace(",", ".")) * 60) + int(match.group("minutes") or 0)
    if not 0 < minutes <= 24 * 60:
        raise ValueError(_("A meeting lasts more than no time and at most 24 hours."))
    return minutes


def parse_end(value, start):
    """The end of a meeting from an end time ("2:30 pm") or a length from its start ("90 min")."""
    if is_length(value):
        minutes = parse_length(value)
        if start is None:
            raise ValueError(_("Give the start time first: a length counts from it."))
        return (dt.datetime.combine(dt.date(2000, 1, 1), start) + dt.timedelta(minutes=minutes)).time()
    return parse_time(value)


def shown(value, twelve_hour=True):
    """A time as the area's clock writes it: "1:00 PM" (in the page's language) or "13:00"."""
    if value is None:
        return ""
    return dateformat.time_format(value, "g:i A" if twelve_hour else "H:i")


class TypedTimeInput(forms.TextInput):
    """A plain text box (no clock picker, no "Now", no server-time note) showing the time in the area's clock."""

    input_type = "text"

    def __init__(self, attrs=None, twelve_hour=True):
        super().__init__({"size": 9, "autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.twelve_hour = twelve_hour

    def format_value(self, value):
        if isinstance(value, dt.time):
            return shown(value, self.twelve_hour)
        return super().format_value(value)


class TypedTimeField(forms.Field):
    """A time of day as typed: "1 pm", "1:00 PM", "13:00", "1300", "noon"."""

    widget = TypedTimeInput
    default_error_messages = {"invalid": EXAMPLES}

    def __init__(self, *, twelve_hour=True, **kwargs):
        kwargs.setdefault("help_text", EXAMPLES)
        super().__init__(**kwargs)
        self.set_clock(twelve_hour)

    def set_clock(self, twelve_hour):
        self.twelve_hour = twelve_hour
        self.widget.twelve_hour = twelve_hour

    def to_python(self, value):
        if isinstance(value, dt.time):
            return value
        try:
            return parse_time(value)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from None


class TypedEndField(TypedTimeField):
    """An end time or a length ("90 min"), counted from the form's start field when the form cleans."""

    def __init__(self, *, start_field="start_time", **kwargs):
        kwargs.setdefault("help_text", _('An end time ("8:30 pm") or a length ("90 min"). Empty for one hour.'))
        super().__init__(**kwargs)
        self.start_field = start_field

    def to_python(self, value):
        if isinstance(value, dt.time) or not is_length(value):
            return super().to_python(value)
        try:
            parse_length(value)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from None
        return LengthFromStart(value)


class LengthFromStart(str):
    """A typed length waiting for the form's start time; see ends_from_length."""


def ends_from_length(cleaned_data, start_field="start_time", end_field="end_time", form=None):
    """Turn a typed length in `end_field` into an end time, once the start is known. Call from Form.clean().

    With `form`, an end time just typed that makes the meeting last more than
    LONGEST_BY_END_TIME is refused with a message (refuse_a_likely_slip).
    """
    end, start = cleaned_data.get(end_field), cleaned_data.get(start_field)
    if isinstance(end, LengthFromStart):
        cleaned_data[end_field] = parse_end(end, start) if start else None
    elif form is not None and start and end and {start_field, end_field} & set(form.changed_data):
        refuse_a_likely_slip(form, start, end, start_field, end_field)
    return cleaned_data


LONGEST_BY_END_TIME = 12 * 60  # minutes


def refuse_a_likely_slip(form, start, end, start_field, end_field):
    """An end time that makes a meeting last over 12 hours is nearly always AM for PM: 7 PM to "8 am" is 13 hours.

    An end before the start is the next day (a meeting from 10 PM to 2 AM), so
    without this the slip would be saved as a 13-hour meeting. The volunteer is
    asked to check; a meeting that long (a marathon) is typed as its length, "13 hours".
    Only times typed now are checked: a listing saved so before is not refused.
    """
    minutes = (end.hour * 60 + end.minute - start.hour * 60 - start.minute) % (24 * 60)
    if end == start or minutes <= LONGEST_BY_END_TIME:  # ending as it starts has its own message (the models')
        return
    twelve_hour = getattr(form.fields.get(start_field), "twelve_hour", True)
    words = {
        "start": shown(start, twelve_hour),
        "end": shown(end, twelve_hour),
        "length": (_("%(hours)s hours %(minutes)s min") if minutes % 60 else _("%(hours)s hours"))
        % {"hours": minutes // 60, "minutes": minutes % 60},  # as parse_length reads it back, in either language
    }
    if end < start:
        message = _(
            "From %(start)s to %(end)s the next day is %(length)s: check AM and PM. "
            "If it is right, type the length instead (“%(length)s”)."
        )
    else:
        message = _(
            "From %(start)s to %(end)s is %(length)s: check AM and PM. "
            "If it is right, type the length instead (“%(length)s”)."
        )
    form.add_error(end_field, message % words)
