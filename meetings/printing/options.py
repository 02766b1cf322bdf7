"""The print-only choices of a list: title, paper, columns, grouping, online meetings in or out."""

from django import forms
from django.utils.translation import gettext_lazy

PAPERS = [("letter", gettext_lazy("Letter (US)")), ("a4", "A4")]
COLUMNS = [(1, gettext_lazy("One")), (2, gettext_lazy("Two"))]
GROUPINGS = [
    ("day", gettext_lazy("Day")),
    ("city", gettext_lazy("City, then day")),
    ("area", gettext_lazy("Service area, then day")),
]
REMOTE = [("1", gettext_lazy("Include them")), ("0", gettext_lazy("Leave them out"))]
# Parameters of the builder that are not search parameters ("show" makes the list, "edit" reopens the builder).
PRINT_ONLY = ("title", "paper", "columns", "group", "remote", "show", "edit")


class PrintOptions(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("For example: HA meetings within 10 miles of Sunrise Recovery"),
        widget=forms.TextInput(attrs={"aria-describedby": "title-help"}),
    )
    paper = forms.ChoiceField(label=gettext_lazy("Paper"), choices=PAPERS, required=False)
    columns = forms.TypedChoiceField(label=gettext_lazy("Columns"), choices=COLUMNS, coerce=int, required=False)
    group = forms.ChoiceField(label=gettext_lazy("Group by"), choices=GROUPINGS, required=False)
    remote = forms.ChoiceField(label=gettext_lazy("Online and phone meetings"), choices=REMOTE, required=False)

    def chosen(self):
        data = self.cleaned_data
        return {
            "title": data["title"].strip(),
            "paper": data["paper"] or "letter",
            "columns": data["columns"] or 1,
            "group": data["group"] or "day",
            "remote": data["remote"] != "0",
        }

    def accepted(self):
        """The chosen options as query-string values, defaults left out: part of a list's canonical address."""
        chosen, found = self.chosen(), {}
        if chosen["title"]:
            found["title"] = [chosen["title"]]
        for name, default in (("paper", "letter"), ("columns", 1), ("group", "day")):
            if chosen[name] != default:
                found[name] = [str(chosen[name])]
        if not chosen["remote"]:
            found["remote"] = ["0"]
        return found
