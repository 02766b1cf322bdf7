"""The one search of the directory: results pages, print lists, PDF, feeds, the API and the export all use it.

A bad value never gives a 500 and never a silently empty list: the form
collects a clear message per parameter, and the search runs without the
parameters that were refused (`MeetingFilter.problems`). What was accepted,
in one canonical form (`MeetingFilter.accepted`), is what links, chips,
printed lists and cache keys are made from: the raw query string goes no
further than this module.
"""

import copy
import datetime as dt
from decimal import Decimal
from functools import cached_property
from typing import NamedTuple
from urllib.parse import urlencode

import django_filters
import django_filters.fields
from django import forms
from django.core.cache import cache
from django.core.validators import MaxLengthValidator
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.html import conditional_escape as escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from groups.models import ServiceArea
from meetings import geo, places, schedule
from meetings.freshness import held_for_the_version, versioned_key
from meetings.models import LANGUAGE_CHOICES, Access, Attendance, MeetingTime, MeetingType, Occurrence
from meetings.models.choices import language_choices
from meetings.text import fold

DAY_CHOICES = [(str(value), label) for value, label in MeetingTime.Weekday.choices] + [
    ("today", _("Today")),
    ("tomorrow", _("Tomorrow")),
]
TIME_WINDOWS = {
    "morning": (dt.time(4), dt.time(12)),
    "midday": (dt.time(11), dt.time(17)),
    "evening": (dt.time(16), dt.time(21)),
    "night": (dt.time(20), dt.time(4)),
}
TIME_CHOICES = [
    ("morning", _("Morning (4am–noon)")),
    ("midday", _("Midday (11am–5pm)")),
    ("evening", _("Evening (4pm–9pm)")),
    ("night", _("Night (8pm–4am)")),
]
UNIT_CHOICES = [("mi", _("miles")), ("km", _("km"))]
SORT_CHOICES = [("time", _("Time")), ("distance", _("Distance")), ("name", _("Name"))]
# The languages the form offers (any ISO 639-1 code still works in a link or the API).
COMMON_LANGUAGES = {"en", "es", "fr", "pt", "pl", "ru", "de", "it", "ar", "zh", "ko", "ja", "vi", "tl", "hi", "fa"}
DEFAULT_RADIUS = 10
MAX_RADIUS = 500
MAX_VALUES = 30  # of one repeatable parameter: more than any real search, few enough to stay cheap


def type_choices():
    """[(code, name in the page's language)] of the meeting types."""
    return kept_choices()["type"]


def area_choices():
    """[(slug, name)] of the service areas, by name."""
    return kept_choices()["area"]


def kept_choices():
    """The form's choices that live in the database, read once per language until the listings change.

    Every page with the search form lists them; a save of a type or an area
    bumps the listings version (meetings/freshness.py), so the copy in the
    cache is never stale. Two queries fewer for all but the first page after an edit.
    """
    return cache.get_or_set(
        versioned_key(f"search-choices:{translation.get_language()}"),
        lambda: {
            "type": [(t.code, t.label) for t in MeetingType.objects.all()],
            "area": list(ServiceArea.objects.values_list("slug", "name")),
        },
        timeout=24 * 3600,
    )


class Control(NamedTuple):
    """A select's or a group of checkboxes' choices, as choice_table() keeps them, and the values chosen."""

    table: tuple  # ((value, its HTML, its label's HTML), ...)
    chosen: set


CONTROLS = ("day", "time", "attendance", "type", "units", "sort", "access")  # besides area and lang


def choice_tables(filters):
    """{control name: ((value, value as HTML, label as HTML), ...)} of the form's selects and checkboxes.

    Kept per language until the listings change (types and areas are read
    from the database), like kept_choices(): some 130 labels (57 areas at
    100,000 meetings), each translated and escaped on every page, were a
    third of the form's rendering.
    """

    def tables():
        choices = {name: filters[name].field.choices for name in CONTROLS}
        choices["area"] = [("", _("Any")), *area_choices()]
        choices["lang"] = language_options()
        return {name: choice_table(pairs) for name, pairs in choices.items()}

    return held_for_the_version(f"search-choice-tables:{translation.get_language()}", tables, 24 * 3600)


def choice_table(choices):
    return tuple((str(value), escape(value), escape(label)) for value, label in choices)


def language_options(extra=""):
    """[(code, name)] of the languages the form lists (and `extra`), in the page's order of names, after "Any"."""
    shown = [(code, name) for code, name in LANGUAGE_CHOICES if code in COMMON_LANGUAGES or code == extra]
    shown.sort(key=lambda pair: fold(str(pair[1])))  # in the page's language: "Alemán, Árabe, Chino..."
    return [("", _("Any")), *shown]


def choice_error_text(what, hint):
    return gettext("'%%(value)s' is not %(what)s. %(hint)s") % {"what": what, "hint": hint}


def choice_error(what, hint):
    # Lazy: the fields are made once, at import, and the message is read in each request's language.
    return {"invalid_choice": lazy(choice_error_text, str)(what, hint)}


class DistinctChoicesField(django_filters.fields.MultipleChoiceField):
    """Repeated values count once ("type=D&type=D" is one type), and only so many may be asked for."""

    def to_python(self, value):
        return list(dict.fromkeys(super().to_python(value)))


class RepeatableFilter(django_filters.MultipleChoiceFilter):
    """A parameter that may be given several times (day, time, type, attendance), each value once, at most 30."""

    field_class = DistinctChoicesField

    def __init__(self, *args, **kwargs):
        message = _("Choose at most %(limit_value)d values here (%(show_value)d were given).")
        kwargs.setdefault("validators", [MaxLengthValidator(MAX_VALUES, message=message)])
        super().__init__(*args, **kwargs)


class FlagInput(forms.CheckboxInput):
    """A checkbox for bookmarkable flags: 1, true, on and yes mean on; anything else off."""

    def value_from_datadict(self, data, files, name):
        return str(data.get(name, "")).lower() in {"1", "true", "on", "yes"}


class SearchForm(forms.Form):
    """Cross-parameter rules: a place or a point, rounded; distance sort needs one."""

    point = None  # (lat, lng) of the search, from lat/lng or a resolved `near`
    place = None  # the places.Place that `near` resolved to
    suggestions = ()

    def clean(self):
        data = super().clean()
        lat, lng = data.get("lat"), data.get("lng")
        if (lat is None) != (lng is None) and "lat" not in self.errors and "lng" not in self.errors:
            self.add_error("lng", _("Give both lat and lng, or neither."))
        elif lat is not None and lng is not None:
            # Rounded to about 100 m: enough to find meetings, not enough to find a home.
            self.point = (round(float(lat), 3), round(float(lng), 3))
        elif data.get("near"):
            try:
                place = places.resolve(data["near"])
            except places.PlaceNotFound as missing:
                message = missing.message or _("We couldn't find '%(place)s'. Try a ZIP code, or a city and state.") % {
                    "place": missing.query[:80]
                }
                self.add_error("near", message)
                self.suggestions = missing.suggestions
            else:
                self.place = place
                self.point = (place.latitude, place.longitude)
        if data.get("sort") == "distance" and self.point is None:
            data["sort"] = "time"
        return data


class MeetingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Words"),
        method="filter_words",
        max_length=200,
        error_messages={"max_length": _("Search words can be at most %(limit_value)d characters.")},
    )
    near = django_filters.CharFilter(label=_("Near"), method="filter_nothing", max_length=200)
    lat = django_filters.NumberFilter(
        label=_("Latitude"), method="filter_nothing", min_value=-90, max_value=90, widget=forms.HiddenInput
    )
    lng = django_filters.NumberFilter(
        label=_("Longitude"), method="filter_nothing", min_value=-180, max_value=180, widget=forms.HiddenInput
    )
    radius = django_filters.NumberFilter(
        label=_("Distance"),
        method="filter_nothing",
        min_value=0.1,
        max_value=MAX_RADIUS,
        error_messages={
            "min_value": _("The distance must be more than 0."),
            "max_value": _("The distance can be at most %(limit_value)s."),
        },
    )
    units = django_filters.ChoiceFilter(
        label=_("Units"), choices=UNIT_CHOICES, method="filter_nothing", empty_label=None
    )
    day = RepeatableFilter(
        label=_("Day"),
        choices=DAY_CHOICES,
        method="filter_days",
        widget=forms.CheckboxSelectMultiple,
        error_messages=choice_error(_("a day"), _("Use 0 (Sunday) to 6 (Saturday), today or tomorrow.")),
    )
    time = RepeatableFilter(
        label=_("Time of day"),
        choices=TIME_CHOICES,
        method="filter_times",
        widget=forms.CheckboxSelectMultiple,
        error_messages=choice_error(_("a time of day"), _("Use morning, midday, evening or night.")),
    )
    after = django_filters.TimeFilter(
        label=_("Starting at or after"),
        method="filter_after",
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"invalid": _("Enter a time as HH:MM, for example 18:30.")},
    )
    type = RepeatableFilter(
        label=_("Meeting type"),
        choices=type_choices,
        method="filter_types",
        widget=forms.CheckboxSelectMultiple,
        error_messages=choice_error(_("a meeting type"), _("Choose from the list of types.")),
    )
    access = django_filters.ChoiceFilter(
        label=_("Open or closed"),
        choices=Access.choices,
        method="filter_access",
        empty_label=_("Any"),
        error_messages=choice_error(_("open or closed"), _("Use open or closed.")),
    )
    attendance = RepeatableFilter(
        label=_("How to attend"),
        choices=Attendance.choices,
        method="filter_attendance",
        widget=forms.CheckboxSelectMultiple,
        error_messages=choice_error(_("a way to attend"), _("Use in_person, online, phone or hybrid.")),
    )
    lang = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=language_choices,  # in the page's own order of names
        method="filter_language",
        empty_label=_("Any"),
        error_messages=choice_error(_("a language code"), _("Use a two-letter code such as en or es.")),
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Service area"),
        queryset=ServiceArea.objects.all(),
        to_field_name="slug",
        method="filter_area",
        empty_label=_("Any"),
        error_messages={"invalid_choice": _("There is no service area with that name.")},
    )
    upcoming = django_filters.BooleanFilter(label=_("Starting soon"), method="filter_nothing", widget=FlagInput)
    tz = django_filters.CharFilter(
        label=_("Your time zone"),
        method="filter_nothing",
        max_length=64,
        validators=[schedule.validate_timezone],
        widget=forms.HiddenInput,
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=SORT_CHOICES,
        method="filter_nothing",
        empty_label=None,
        error_messages=choice_error(_("a sort order"), _("Use time, distance or name.")),
    )

    class Meta:
        model = MeetingTime
        fields = []
        form = SearchForm

    # Parameters that leave a search's dates to be walked in order (walks_dates): each keeps a good share of
    # the dates (a time of day a sixth to a third, a way to attend but by phone a fifth or more).
    WALKED_WITH = {"q", "upcoming", "tz", "sort", "units", "radius", "time", "attendance"}
    # Of those, what leaves a share of the dates: two together still leave enough for a walk, three may not.
    NARROWING = ("q", "time", "attendance", "day")
    # Days whose dates are among the first walked: today's, then tomorrow's.
    NEAR_DAYS = {"today", "tomorrow"}
    # What a search for a few weekdays may ask besides and still be found from each weekday's first dates (first).
    LED_BY_EACH_WEEKDAY_WITH = {"day", "tz", "units", "radius", "sort", "attendance", "language"}
    MOST_WEEKDAYS_LED = 4

    def __init__(self, data=None, *args, now=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.now = now or timezone.now()

    def get_form_class(self):
        """The form class, made once per filter class: django-filter makes a new one, fields and all, per search.

        Nothing in it depends on the request: choices read from the database
        are callables or querysets, evaluated by each form, and each form
        copies its fields. 1.7 ms of every search.
        """
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            form_class = super().get_form_class()
            form_class.base_fields = FieldsCopiedOneByOne(form_class.base_fields)
            cls._form_class = form_class
        return cls._form_class

    # Per-parameter filters -------------------------------------------------

    def filter_nothing(self, queryset, name, value):
        return queryset  # applied together in filter_queryset()

    def filter_words(self, queryset, name, value):
        # Near a place, its box finds fewer meetings than a common word does: the box leads there.
        return queryset.matching(value, use_index=self.form.point is None, walked=self.walks_dates)

    def filter_days(self, queryset, name, values):
        # "today" is today where each meeting is held: a condition per time zone.
        ahead = [offset for word, offset in (("today", 0), ("tomorrow", 1)) if word in values]
        weekdays = [int(v) for v in values if v.isdigit()]
        return queryset.on_local_days(self.now, days=weekdays, days_ahead=ahead, led_by_day=self.form.point is None)

    def filter_times(self, queryset, name, values):
        return queryset.starting_within([TIME_WINDOWS[v] for v in values])

    def filter_after(self, queryset, name, value):
        return queryset.starting_from(value)

    def filter_types(self, queryset, name, values):
        return queryset.with_types(values, by_list=self.form.point is None)

    def filter_access(self, queryset, name, value):
        return queryset.open() if value == Access.OPEN else queryset.closed()

    def filter_attendance(self, queryset, name, values):
        return queryset.attendable(*values)

    def filter_language(self, queryset, name, value):
        return queryset.in_language(value)

    def filter_area(self, queryset, name, value):
        return queryset.in_area(value)

    # Parameters that work together -----------------------------------------

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if self.form.point:
            queryset = queryset.near(*self.form.point, radius_km=self.radius_km)
        if data.get("upcoming"):
            return queryset.upcoming(self.now, tight=True).ordered_by("time")
        order = data.get("sort") or "time"
        if self.lists_dates:
            # Real dates: under way, then the coming week.
            queryset = queryset.coming(self.now, walked=self.walks_dates)
            if order == "distance":
                queryset = queryset.first_per_meeting()  # a place's meetings, not each of their dates
        return queryset.ordered_by(order)

    def first(self, count):
        """The search's matches (qs), of which the caller reads at most the first `count`, in the search's order.

        The same first `count` rows as qs. A search for a few weekdays
        ("Monday or Wednesday"), with nothing else but a way to attend or a
        language, finds them from each weekday's first dates
        (OccurrenceQuerySet.first_of_each_weekday): at 100,000 meetings its ids
        took 120 to 430 ms of SQL on SQLite and up to 160 on PostgreSQL,
        walking the week's dates in order or sorting them, and take 12 to 40
        now. A rarer condition (a type, words, a time of day, closed meetings,
        by phone only) leaves each weekday's walk long, and five weekdays or
        more leave the week's walk short: those keep their plan. Not for
        callers that filter the matches further or read them all (maps, feeds,
        printed lists).
        """
        data = self.cleaned
        values = data.get("day") or ()
        days = sorted({int(value) for value in values if value.isdigit()})
        others = set(self.filters) - self.LED_BY_EACH_WEEKDAY_WITH
        if (
            self.lists_dates
            and 1 < len(days) == len(values) <= self.MOST_WEEKDAYS_LED
            and not any(data.get(name) for name in others)
            and set(data.get("attendance") or ()) != {Attendance.PHONE}
            and (data.get("sort") or "time") == "time"
        ):
            return self.qs.first_of_each_weekday(days, count)
        return self.qs

    @property
    def lists_dates(self):
        """True when the search lists real dates (Occurrence), not the times of meetings (MeetingTime)."""
        return self.queryset.model is Occurrence

    @cached_property
    def walks_dates(self):
        """True when SQLite should walk the dates in order to find this search's first matches.

        The whole list, today's or tomorrow's, a time of day, a way to attend,
        or words that many meetings have (starting soon or not), in time
        order: the first page is found among the first few thousand dates (at
        100,000 meetings `day=today` 295 -> 7 ms of SQL, `day=tomorrow` 236 ->
        69; `time=morning` 257 -> 4, `time=night` 311 -> 50; `attendance=in_person`
        360 -> 5, `attendance=online` 110 -> 6). Another condition (a weekday,
        a type, a language...) may leave few of them, and a rare word would
        leave the whole week to walk; so would meetings by phone, a few in a
        hundred (`attendance=phone&time=night` walked: 58 -> 176 ms), and
        three or more of these together (walked, morning meetings online today
        with a word: 34 -> 149 ms).
        PostgreSQL's planner chooses the walk itself, from its statistics.
        """
        data = self.cleaned
        others = set(self.filters) - self.WALKED_WITH - {"day"}
        return (
            self.lists_dates
            and self.queryset.on_sqlite()
            and self.form.point is None
            and (data.get("sort") or "time") == "time"
            and set(data.get("day") or ()) <= self.NEAR_DAYS
            and not any(data.get(name) for name in others)
            and Attendance.PHONE not in (data.get("attendance") or ())
            and sum(bool(data.get(name)) for name in self.NARROWING) <= 2
            and (not data.get("q") or self.queryset.many_have(data["q"]))
        )

    # What the templates and other views need to know ------------------------

    @property
    def cleaned(self):
        """The values the search accepted (the form validated first, whichever property asks)."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return self.form.cleaned_data

    @property
    def distance_units(self):
        return self.cleaned.get("units") or "mi"

    @property
    def distance_radius(self):
        return self.cleaned.get("radius") or DEFAULT_RADIUS

    @property
    def radius_km(self):
        return geo.to_km(float(self.distance_radius), self.distance_units)

    @property
    def point(self):
        self.form.is_valid()  # found while the form is cleaned: asked before, it was None, and place_missing wrong
        return self.form.point

    @property
    def place(self):
        self.form.is_valid()
        return self.form.place

    @property
    def viewer_timezone(self):
        """The visitor's own zone when the page was told it (`tz`, which the page's script adds); never guessed."""
        return self.cleaned.get("tz") or ""

    @property
    def problems(self):
        """One readable message per refused parameter (the search ran without it)."""
        if not self.is_bound:
            return []
        self.form.is_valid()
        return [
            {"field": name, "label": self.form.fields[name].label if name in self.form.fields else name, "message": m}
            for name, messages in self.form.errors.items()
            for m in messages
        ]

    @property
    def suggestions(self):
        self.form.is_valid()
        return self.form.suggestions

    @property
    def place_missing(self):
        """A place was asked for and not found: the page shows that, not "no meetings"."""
        return bool(self.is_bound and self.data.get("near")) and self.point is None and "near" in self.form.errors

    @property
    def units_label(self):
        return _("km") if self.distance_units == "km" else _("mi")

    @property
    def controls(self):
        """{parameter: Control} for the filter form's checkboxes and selects: its choices, and those chosen.

        Written out by options() and checkboxes() in {% search_form %} (templatetags/search_form.py).
        """
        accepted, tables = self.accepted, choice_tables(self.filters)
        controls = {name: Control(tables[name], set(accepted.get(name, ()))) for name in CONTROLS}
        controls["area"] = Control(tables["area"], {accepted.get("area", [""])[0]})
        language = accepted.get("lang", [""])[0]
        if language in COMMON_LANGUAGES or not language:
            controls["lang"] = Control(tables["lang"], {language})
        else:  # a language the form does not list, chosen by a link: listed too, for this page
            controls["lang"] = Control(choice_table(language_options(language)), {language})
        return controls

    # The search as it was accepted ----------------------------------------------

    @cached_property
    def accepted(self):
        """{parameter: [values]} of what the search used, canonical: refused values, repeats and blanks dropped.

        Values are written back from the cleaned data, not copied from the
        request, so "day=1&day=1&day=2" and "day=2&day=1" give the same
        search, the same links and the same cache key.
        """
        if not self.is_bound:
            return {}
        self.form.is_valid()
        found = {}
        for name, value in sorted(self.cleaned.items()):
            if name in self.form.errors or value in (None, "", [], False):
                continue
            if name in ("lat", "lng"):
                if self.point is None:
                    continue
                value = self.point[0 if name == "lat" else 1]
            found[name] = canonical(value)
        return found

    def query_string(self, without=(), **replace):
        """The accepted search as a query string, without some parameters or with others replaced."""
        query = {name: values for name, values in self.accepted.items() if name not in without}
        query.update({name: [str(value)] for name, value in replace.items()})
        return urlencode(query, doseq=True)

    def query_dict(self):
        return QueryDict(self.query_string(), mutable=False)

    def chips(self):
        """One removable filter per accepted value, each linking to the search without it."""
        accepted = self.accepted
        labels = {
            "day": dict(self.filters["day"].extra["choices"]),
            "time": dict(self.filters["time"].extra["choices"]),
            "attendance": dict(Attendance.choices),
            "access": dict(Access.choices),
            "area": {self.cleaned["area"].slug: self.cleaned["area"].name} if accepted.get("area") else {},
            # The type field's choices, read once for the form already; languages by name in the page's language.
            "type": dict(self.filters["type"].field.choices) if accepted.get("type") else {},
            "lang": dict(LANGUAGE_CHOICES),
        }
        hidden = {"tz", "units", "lat", "lng", "sort", "radius"}
        tied_to_place = ("radius", "sort")
        chips = []
        if "lat" in accepted:
            remaining = {k: v for k, v in accepted.items() if k not in ("lat", "lng", *tied_to_place)}
            chips.append({"label": _("Near your location"), "url": "?" + urlencode(remaining, doseq=True)})
        for name, values in accepted.items():
            if name in hidden:
                continue
            for value in values:
                remaining = {k: [x for x in v if not (k == name and x == value)] for k, v in accepted.items()}
                if name == "near":
                    remaining = {k: v for k, v in remaining.items() if k not in tied_to_place}
                shown = labels.get(name, {}).get(value, value)
                if name == "near" and self.place:
                    shown = self.place.label
                label = self.filters[name].label if name == "upcoming" else f"{self.filters[name].label}: {shown}"
                chips.append({"label": label, "url": "?" + urlencode(remaining, doseq=True)})
        return chips

    def wider(self):
        """(radius, query string) of the same search over a wider circle, or None without a place."""
        if not self.point:
            return None
        radius = f"{max(min(float(self.distance_radius) * 2.5, MAX_RADIUS), DEFAULT_RADIUS * 2.5):g}"
        return radius, self.query_string(radius=radius)


class FiltersCopiedOneByOne(dict):
    """MeetingFilter.base_filters: each search's own filters copied one by one, not deep-copied.

    django-filter deep-copies the filters for every FilterSet, and their
    choices, querysets and cached form fields with them: about half a
    millisecond of every search, page and API alike. A search sets only two
    attributes of its filters (model and parent), so a shallow copy of each
    serves; a filter's method, which finds its function on the filter's
    parent, is bound to the copy again.
    """

    def __deepcopy__(self, memo):
        copies = {}
        for name, base in self.items():
            copied = copy.copy(base)
            if base.method is not None:
                copied.method = base.method  # a new FilterMethod, reading this copy's parent
            copies[name] = copied
        return copies


MeetingFilter.base_filters = FiltersCopiedOneByOne(MeetingFilter.base_filters)


class FieldsCopiedOneByOne(dict):
    """The search form's base_fields: each form's own fields copied one by one, not deep-copied.

    Django deep-copies a form's fields for every form, and with them each
    field's choices and widget: 0.22 ms of every search, page and API alike.
    A form changes no field it is given; what each copy must have of its own
    is what Django's copy gives it that could change: the widget and its
    attributes, the error messages, the validators, and a fresh queryset for
    the areas, read by each form as the listings stand. The choices, which
    no form changes, are shared.
    """

    def __deepcopy__(self, memo):
        return {name: field_copy(field) for name, field in self.items()}


def field_copy(field):
    copied = copy.copy(field)
    copied.widget = copy.copy(field.widget)
    copied.widget.attrs = field.widget.attrs.copy()
    copied.error_messages = field.error_messages.copy()
    copied.validators = field.validators[:]
    if getattr(field, "queryset", None) is not None:
        copied.queryset = field.queryset  # a fresh clone (the setter's), and the copy's widget lists from it
    return copied


def canonical(value):
    """A cleaned value as the query-string values that give it back."""
    if isinstance(value, list | tuple | set):
        return sorted({str(item) for item in value})
    if isinstance(value, bool):
        return ["1"]
    if isinstance(value, Decimal | float):
        return [f"{value:g}" if isinstance(value, float) else format(value.normalize(), "f")]
    if isinstance(value, dt.time):
        return [value.strftime("%H:%M")]
    if isinstance(value, ServiceArea):
        return [value.slug]
    return [str(value).strip()]


def viewer_timezone(query):
    """The viewer's zone from a page's `tz` parameter, when it is a zone we know; else ""."""
    value = str(query.get("tz") or "")
    return value if value in schedule.timezone_names() else ""
