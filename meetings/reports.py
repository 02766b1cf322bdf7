"""The public "Report a change" and "Add a meeting" forms: they land in the area's queue, never on the listing.

One form asks what changed, field by field, with the listing's current values
filled in; only what the visitor changed is kept as the proposal
(meetings/proposals.py). A new meeting is the same form, empty, and waits for a
volunteer's approval. Volunteers hear of requests in their daily digest
(meetings/digests.py).
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from groups.models import Membership, ServiceArea
from ha_directory import ratelimit
from ha_directory.clients import client_address
from meetings import proposals
from meetings.models import Access, ChangeRequest, Meeting, MeetingType, Status, Weekday
from meetings.models.listings import validate_dialable, validate_join_url
from meetings.text import normalize_phone
from meetings.time_input import TypedEndField, TypedTimeField, ends_from_length

NEW_ROWS = 3  # time rows offered for a new meeting; a listing gets one per time, plus one
NOT_MEETING = [("", gettext_lazy("— no meeting —"))]
STATUS_CHOICES = [
    (Status.ACTIVE, gettext_lazy("It meets")),
    (Status.TEMPORARILY_CLOSED, gettext_lazy("Temporarily closed (it will meet again)")),
    (Status.ARCHIVED, gettext_lazy("Closed for good")),
]
ACCESS_CHOICES = [
    (Access.OPEN, gettext_lazy("Open: anyone may come")),
    (Access.CLOSED, gettext_lazy("Closed: for anyone with a desire to stop using heroin or other opioids")),
]


def twelve_hour():
    """The clock of the page's language: "7:00 PM" in English, "19:00" elsewhere."""
    return (get_language() or "en").startswith("en")


class ProposalForm(forms.Form):
    """What the visitor says the listing should be. `proposal()` keeps only what differs from `current`."""

    area = forms.ModelChoiceField(
        ServiceArea.objects.order_by("name"), label=gettext_lazy("Service area"), required=False
    )
    name = forms.CharField(label=gettext_lazy("Name of the meeting"), max_length=150, required=False)
    place_name = forms.CharField(label=gettext_lazy("Building or place"), max_length=150, required=False)
    address = forms.CharField(label=gettext_lazy("Street address"), max_length=200, required=False)
    city = forms.CharField(label=gettext_lazy("City"), max_length=100, required=False)
    state = forms.CharField(label=gettext_lazy("State or province"), max_length=100, required=False)
    postal_code = forms.CharField(label=gettext_lazy("ZIP or postal code"), max_length=20, required=False)
    conference_url = forms.CharField(
        label=gettext_lazy("Join link"), max_length=500, required=False, validators=[validate_join_url],
        help_text=gettext_lazy("The whole link, starting with https://"),
    )
    conference_phone = forms.CharField(
        label=gettext_lazy("Dial-in phone"), max_length=50, required=False, validators=[validate_dialable]
    )
    access = forms.ChoiceField(
        label=gettext_lazy("Who may come"), choices=ACCESS_CHOICES, widget=forms.RadioSelect, required=False
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Is it meeting?"), choices=STATUS_CHOICES, widget=forms.RadioSelect, required=False
    )
    types = forms.MultipleChoiceField(
        label=gettext_lazy("Types"), required=False, widget=forms.CheckboxSelectMultiple
    )
    message = forms.CharField(
        label=gettext_lazy("Something else?"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
    )
    contact = forms.CharField(
        label=gettext_lazy("Your email or phone (optional)"), max_length=200, required=False,
        help_text=gettext_lazy("Only the area's volunteers see it, to ask you about the change. "
                               "It is deleted when they have dealt with it."),
    )
    # A field people never see: bots fill it in, and their report is dropped.
    website = forms.CharField(required=False, label=gettext_lazy("Leave this empty"))

    def __init__(self, *args, current=None, new=False, **kwargs):
        self.current = current or {}
        self.new = new
        initial = kwargs.setdefault("initial", {})
        if current:
            initial.update(initial_from(current))
        super().__init__(*args, **kwargs)
        types = MeetingType.objects.order_by("position", "name")
        self.fields["types"].choices = [(kind.code, kind.label) for kind in types]
        # Every time of the listing has its row (one left out would read as "it stopped"), plus one to add.
        rows = NEW_ROWS if new else len(self.current.get("times", [])) + 1
        self.rows = []
        for index in range(rows):
            start = f"start_{index}"
            self.fields[f"weekday_{index}"] = forms.TypedChoiceField(
                label=gettext_lazy("Day"), choices=NOT_MEETING + list(Weekday.choices), coerce=int,
                empty_value=None, required=False,
            )
            self.fields[start] = TypedTimeField(label=gettext_lazy("Starts"), required=False,
                                                twelve_hour=twelve_hour(), help_text="")
            self.fields[f"end_{index}"] = TypedEndField(label=gettext_lazy("Ends (or how long)"), required=False,
                                                        start_field=start, twelve_hour=twelve_hour(), help_text="")
            self.rows.append((self[f"weekday_{index}"], self[start], self[f"end_{index}"]))
        if new:
            self.fields["area"].required = self.fields["name"].required = True
            del self.fields["status"]
        else:
            del self.fields["area"]

    def clean_conference_phone(self):
        return normalize_phone(self.cleaned_data["conference_phone"]) if self.cleaned_data["conference_phone"] else ""

    def clean(self):
        data = super().clean()
        times = []
        for index in range(len(self.rows)):
            ends_from_length(data, f"start_{index}", f"end_{index}", form=self)
            weekday, start = data.get(f"weekday_{index}"), data.get(f"start_{index}")
            if weekday is None and start is None:
                continue
            if weekday is None:
                self.add_error(f"weekday_{index}", _("Which day?"))
            elif start is None and f"start_{index}" not in self.errors:
                self.add_error(f"start_{index}", _("At what time does it start?"))
            elif any(row[:2] == [weekday, proposals.clock(start)] for row in times):
                self.add_error(f"weekday_{index}", _("This day and time is given twice."))
            else:
                times.append([weekday, proposals.clock(start), proposals.clock(data.get(f"end_{index}"))])
        place = {part: data.get(field, "").strip() for part, field in PLACE_FIELDS.items()}
        if any(place.values()) and not place["city"]:
            self.add_error("city", _("Which city or town?"))
        data["values"] = {
            "name": data.get("name", "").strip() or self.current.get("name", ""),
            "times": times,
            "place": place if any(place.values()) else None,
            "conference_url": data.get("conference_url", ""),
            "conference_phone": data.get("conference_phone", ""),
            "access": data.get("access") or self.current.get("access", ""),
            "status": data.get("status") or self.current.get("status", Status.ACTIVE),
            "types": sorted(data.get("types") or []),
        }
        if self.new:
            del data["values"]["status"]  # a new meeting meets
        if self.errors:
            return data
        if self.new:
            values = data["values"]
            if not times:
                self.add_error("weekday_0", _("When does it meet? Give at least one day and time."))
            if not (values["place"] or values["conference_url"] or values["conference_phone"]):
                self.add_error(None, _("Where does it meet? Give a place, a join link or a dial-in phone."))
        elif not self.proposal() and not data.get("message", "").strip():
            self.add_error(None, _("Nothing has changed: change a value above, or tell us what is wrong in the box."))
        return data

    def proposal(self):
        """The values that differ from the listing (every given value for a new meeting)."""
        values = self.cleaned_data["values"]
        if self.new:
            return {field: value for field, value in values.items() if value not in (None, "", [])}
        return {field: value for field, value in values.items() if value != self.current.get(field)}


PLACE_FIELDS = {"name": "place_name", "address": "address", "city": "city", "state": "state",
                "postal_code": "postal_code"}


def initial_from(current):
    initial = {
        "name": current["name"],
        "conference_url": current["conference_url"],
        "conference_phone": current["conference_phone"],
        "access": current["access"],
        "status": current["status"],
        "types": current["types"],
    }
    for part, field in PLACE_FIELDS.items():
        initial[field] = (current["place"] or {}).get(part, "")
    for index, (weekday, start, end) in enumerate(current["times"]):
        initial[f"weekday_{index}"] = weekday
        initial[f"start_{index}"] = proposals.parse_clock(start)
        initial[f"end_{index}"] = proposals.parse_clock(end)
    return initial


@require_http_methods(["GET", "HEAD", "POST"])
def report_change(request, slug):
    meeting = get_object_or_404(
        Meeting.objects.public().select_related("area", "location").prefetch_related("times", "types"), slug=slug
    )
    current = proposals.current_values(meeting)
    form = ProposalForm(request.POST or None, current=current)
    context = {"meeting": meeting, "form": form}
    return handle(request, form, context, meeting.area, meeting=meeting, current=current)


@require_http_methods(["GET", "HEAD", "POST"])
def add_meeting(request):
    area = ServiceArea.objects.filter(slug=request.GET.get("area") or "").first()
    form = ProposalForm(request.POST or None, new=True, initial={"area": area})
    return handle(request, form, {"form": form, "new": True}, None)


def handle(request, form, context, area, *, meeting=None, current=None):
    if request.method == "POST":
        # Counted per client address across every worker (the shared cache); only a keyed hash is kept.
        if not ratelimit.hit("report", client_address(request), settings.REPORTS_PER_HOUR, 3600):
            return form_page(render(request, "meetings/report_change.html", {**context, "throttled": True}, status=429))
        if form.is_valid():
            if not form.cleaned_data["website"]:
                ChangeRequest.objects.create(
                    kind=ChangeRequest.Kind.CHANGE if meeting else ChangeRequest.Kind.NEW,
                    area=area or form.cleaned_data["area"],
                    meeting=meeting,
                    proposed=form.proposal(),
                    current={field: current[field] for field in form.proposal()} if current else {},
                    message=form.cleaned_data["message"].strip(),
                    contact=form.cleaned_data["contact"].strip(),
                )
            if meeting:
                messages.success(request, _("Thank you. A volunteer will check the listing."))
                return redirect(meeting)
            messages.success(request, _("Thank you. A volunteer of the area will check it before it is listed."))
            return redirect(form.cleaned_data["area"])
    refused = request.method == "POST"  # the form again, each problem by its field: a 400, as for any bad input
    return form_page(render(request, "meetings/report_change.html", context, status=400 if refused else 200))


def form_page(response):
    response.posts_to_self = True  # see SameOriginReferrerForFormsMiddleware
    return response


def area_volunteers(area):
    """Active staff volunteers (with an email) of `area`, or of its nearest ancestor that has some.

    "The area's own" volunteers: a district's request goes to the district, not
    to every volunteer of the region and the world above it.
    """
    chain = [area, *area.ancestors()]
    found = {}
    for membership in (
        Membership.objects.filter(area__in=chain, user__is_active=True, user__is_staff=True)
        .exclude(user__email="")
        .select_related("user")
    ):
        found.setdefault(membership.area_id, {})[membership.user_id] = membership.user
    for candidate in chain:
        if candidate.pk in found:
            return sorted(found[candidate.pk].values(), key=lambda user: user.email)
    return []
