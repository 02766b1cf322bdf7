"""The print-only choices of a list: what to print, its layout and paper, the centre's own words, its language."""

import datetime as dt

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy

SCHEDULE, NEXT_7_DAYS = "schedule", "next7"
KINDS = [
    (SCHEDULE, gettext_lazy("The weekly schedule")),
    (NEXT_7_DAYS, gettext_lazy("The next 7 days, with their dates")),
]
PAGE, LARGE, TRIFOLD, BOOKLET, POCKET = "page", "large", "trifold", "booklet", "pocket"
LAYOUTS = [
    (PAGE, gettext_lazy("Pages (one or two columns)")),
    (LARGE, gettext_lazy("Large print pages (14 pt)")),
    (TRIFOLD, gettext_lazy("Tri-fold brochure (landscape, folded in three)")),
    (BOOKLET, gettext_lazy("Booklet (half pages, folded and stapled)")),
    (POCKET, gettext_lazy("Pocket cards (four to a sheet, small type)")),
]
FOLDED = (TRIFOLD, BOOKLET, POCKET)  # made of smaller pages placed on sheets in the PDF
PAPERS = [("letter", gettext_lazy("Letter (US)")), ("a4", "A4")]
COLUMNS = [(1, gettext_lazy("One")), (2, gettext_lazy("Two"))]
GROUPINGS = [
    ("day", gettext_lazy("Day")),
    ("city", gettext_lazy("City, then day")),
    ("area", gettext_lazy("Service area, then day")),
]
REMOTE = [("1", gettext_lazy("Include them")), ("0", gettext_lazy("Leave them out"))]
DAYS_AHEAD = 35  # a 7-day sheet may start this far ahead: the table of dates holds six weeks
INTRO_LENGTH = 600
# Parameters of the builder that are not search parameters ("show" makes the list, "edit" reopens the builder).
PRINT_ONLY = (
    "kind", "start", "layout", "title", "paper", "columns", "group", "per_day", "remote",
    "header", "intro", "contact", "language", "show", "edit",
)  # fmt: skip


def one_line(text):
    """Text for one printed line: every run of spaces, tabs or line breaks as one space."""
    return " ".join(text.split())


def paragraphs(text):
    """Plain text as paragraphs: blank lines separate them, single line breaks are spaces, control characters go."""
    cleaned = "".join(ch for ch in text.replace("\r\n", "\n") if ch == "\n" or ch.isprintable())
    return [one_line(part) for part in cleaned.split("\n\n") if part.strip()]


class PrintOptions(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What to print"), choices=KINDS, required=False, initial=SCHEDULE, widget=forms.RadioSelect
    )
    start = forms.DateField(
        label=gettext_lazy("First day"),
        required=False,
        help_text=gettext_lazy("For the next 7 days: today when left empty."),
        widget=forms.DateInput(attrs={"type": "date", "aria-describedby": "start-help"}),
        error_messages={"invalid": gettext_lazy("Enter a date as YYYY-MM-DD, for example 2026-12-04.")},
    )
    layout = forms.ChoiceField(
        label=gettext_lazy("Layout"), choices=LAYOUTS, required=False, initial=PAGE, widget=forms.RadioSelect
    )
    paper = forms.ChoiceField(label=gettext_lazy("Paper"), choices=PAPERS, required=False)
    columns = forms.TypedChoiceField(label=gettext_lazy("Columns"), choices=COLUMNS, coerce=int, required=False)
    group = forms.ChoiceField(label=gettext_lazy("Group by"), choices=GROUPINGS, required=False)
    per_day = forms.BooleanField(
        label=gettext_lazy("List daily and weekday meetings under each of their days"),
        required=False,
        help_text=gettext_lazy("Otherwise a meeting held at the same time on five or more days is listed once."),
        widget=forms.CheckboxInput(attrs={"aria-describedby": "per_day-help"}),
    )
    remote = forms.ChoiceField(label=gettext_lazy("Online and phone meetings"), choices=REMOTE, required=False)
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("For example: HA meetings within 10 miles of Sunrise Recovery"),
        widget=forms.TextInput(attrs={"aria-describedby": "title-help"}),
    )
    header = forms.CharField(
        label=gettext_lazy("Header line"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Printed above the title, in place of a logo: your centre's or committee's name."),
        widget=forms.TextInput(attrs={"aria-describedby": "header-help"}),
    )
    intro = forms.CharField(
        label=gettext_lazy("A few words of your own"),
        max_length=INTRO_LENGTH,
        required=False,
        help_text=gettext_lazy(
            "Plain text, up to 600 characters: what to expect at a first meeting, when to reprint. "
            "A blank line starts a new paragraph."
        ),
        widget=forms.Textarea(attrs={"rows": 4, "aria-describedby": "intro-help"}),
    )
    contact = forms.CharField(
        label=gettext_lazy("Contact line"),
        max_length=160,
        required=False,
        help_text=gettext_lazy("For example: Sunrise Recovery aftercare, 555-0199 (printed as you type it)."),
        widget=forms.TextInput(attrs={"aria-describedby": "contact-help"}),
    )
    language = forms.ChoiceField(label=gettext_lazy("Language of the list"), choices=settings.LANGUAGES, required=False)

    def __init__(self, data=None, *args, today=None, **kwargs):
        if data is not None:  # the builder shows the defaults chosen
            data = data.copy()
            data.setdefault("kind", SCHEDULE)
            data.setdefault("layout", PAGE)
        super().__init__(data, *args, **kwargs)
        self.today = today  # the first date a 7-day sheet may start on; set by layout.parse()

    def clean_start(self):
        start = self.cleaned_data["start"]
        if start and self.today:
            last = self.today + dt.timedelta(days=DAYS_AHEAD)
            if not self.today <= start <= last:
                raise forms.ValidationError(
                    gettext_lazy(
                        "Choose a first day from %(first)s to %(last)s: dates further ahead are not known yet."
                    ),
                    code="start_out_of_range",
                    params={"first": self.today.isoformat(), "last": last.isoformat()},
                )
        return start

    def clean_intro(self):
        return "\n\n".join(paragraphs(self.cleaned_data["intro"]))

    def clean_header(self):
        return one_line(self.cleaned_data["header"])

    def clean_contact(self):
        return one_line(self.cleaned_data["contact"])

    def clean_title(self):
        return one_line(self.cleaned_data["title"])

    def chosen(self):
        """Every option with its default filled in."""
        data = self.cleaned_data
        layout = data["layout"] or PAGE
        return {
            "kind": data["kind"] or SCHEDULE,
            "start": data["start"],
            "layout": layout,
            "paper": data["paper"] or "letter",
            "columns": (data["columns"] or 1) if layout == PAGE else 1,
            "group": data["group"] or "day",
            "per_day": data["per_day"],
            "remote": data["remote"] != "0",
            "title": data["title"],
            "header": data["header"],
            "intro": data["intro"],
            "contact": data["contact"],
            "language": data["language"],
        }

    def accepted(self):
        """The chosen options as query-string values, defaults and options that change nothing left out.

        Part of a list's canonical address, so the same list has one address
        (and one cached PDF): columns only for pages, grouping only for the
        weekly schedule, a first day only for the 7-day sheet.
        """
        chosen, found = self.chosen(), {}
        schedule = chosen["kind"] == SCHEDULE
        defaults = {"kind": SCHEDULE, "layout": PAGE, "paper": "letter", "columns": 1, "group": "day"}
        for name, default in defaults.items():
            if chosen[name] != default and (name != "group" or schedule):
                found[name] = [str(chosen[name])]
        if chosen["start"] and not schedule:
            found["start"] = [chosen["start"].isoformat()]
        if chosen["per_day"] and schedule:
            found["per_day"] = ["1"]
        if not chosen["remote"]:
            found["remote"] = ["0"]
        for name in ("title", "header", "intro", "contact", "language"):
            if chosen[name]:
                found[name] = [chosen[name]]
        return found
