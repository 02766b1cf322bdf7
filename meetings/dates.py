"""Dates in words as the active language writes them: "Saturday, 6 December" / "sábado, 6 de diciembre"."""

from django.utils.formats import date_format
from django.utils.translation import pgettext


def weekday_date(day):
    """"Saturday, 6 December 2026"."""
    return pgettext("a weekday and a date", "%(weekday)s, %(date)s") % {
        "weekday": date_format(day, "l"),
        "date": date_format(day, "DATE_FORMAT"),
    }


def weekday_month_day(day):
    """"Saturday, 6 December": a day heading, or a date of the coming weeks."""
    return pgettext("a weekday and a date", "%(weekday)s, %(date)s") % {
        "weekday": date_format(day, "l"),
        "date": date_format(day, "MONTH_DAY_FORMAT"),
    }


def short_date(day):
    """"Sat 6 Dec": a date on a card."""
    return pgettext("a short weekday and date", "%(weekday)s %(date)s") % {
        "weekday": date_format(day, "D"),
        "date": date_format(day, "j M"),
    }
