"""Dates in words as the active language writes them: "Saturday, December 6" / "sábado, 6 de diciembre".

Every date a visitor reads goes through here or a format name (DATE_FORMAT...), never a
literal format such as "j M": English puts the month first, Spanish the day.
"""

from functools import lru_cache

from django.utils.formats import date_format
from django.utils.translation import get_language, pgettext


def weekday_date(day):
    """"Saturday, December 6, 2026"."""
    return pgettext("a weekday and a date", "%(weekday)s, %(date)s") % {
        "weekday": date_format(day, "l"),
        "date": date_format(day, "DATE_FORMAT"),
    }


def weekday_month_day(day):
    """"Saturday, December 6": a day heading, or a date of the coming weeks."""
    return _weekday_month_day(day, get_language())


@lru_cache(maxsize=1024)
def _weekday_month_day(day, language):
    """Kept per date and language: a page of 100 cards names a handful of days, each card asks for its own."""
    return pgettext("a weekday and a date", "%(weekday)s, %(date)s") % {
        "weekday": date_format(day, "l"),
        "date": date_format(day, "MONTH_DAY_FORMAT"),
    }


def short_date(day):
    """"Sat Dec 6" / "sáb 6 dic": a date on a card or a printed line."""
    return pgettext("a short weekday and date", "%(weekday)s %(date)s") % {
        "weekday": date_format(day, "D"),
        "date": month_day_short(day),
    }


def month_day_short(day):
    """"Dec 6" / "6 dic"."""
    return date_format(day, pgettext("Django date format of a short month and day", "M j"))
