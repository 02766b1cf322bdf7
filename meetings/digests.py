"""The volunteers' daily digest: new requests and the edits made in their area since their last digest.

`manage.py send_digests` (daily, from cron) sends each volunteer one email, or
none when nothing happened. Who hears of an area is the area's own volunteers:
those of the nearest area up the tree that has any (a district's news goes to
the district, not to every volunteer of the region above). A volunteer turns
the digest off on their "My notifications" page; their own edits are left out.
Edits are those of meetings, locations and groups, one line per record with its history's link.
"""

import datetime as dt
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groups.models import Group, Membership, ServiceArea
from meetings import proposals
from meetings.models import ChangeRequest, Location, Meeting, NotificationSetting
from meetings.reports import area_volunteers

FIRST_WINDOW = dt.timedelta(days=1)  # a volunteer's first digest looks back one day
EDITED = [Meeting, Location, Group]  # what the digest lists when edited, each with its history


@dataclass
class Edited:
    history: str  # the admin URL name of the record's history
    record_id: int
    name: str
    people: set = field(default_factory=set)
    reasons: set = field(default_factory=set)
    saves: int = 0
    latest: dt.datetime = None

    @property
    def history_url(self):
        return settings.SITE_URL + reverse(self.history, args=[self.record_id])


@dataclass
class Digest:
    user: object
    requests: list
    edits: list

    def __bool__(self):
        return bool(self.requests or self.edits)


def setting_for(user):
    return NotificationSetting.objects.get_or_create(user=user)[0]


def build(now=None):
    """The digest of every volunteer whose digest is on: [(Digest, NotificationSetting)], empty ones included."""
    now = now or timezone.now()
    users = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, memberships__isnull=False)  # no longer staff: nothing
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    stored = {s.user_id: s for s in NotificationSetting.objects.filter(user__in=users)}
    chosen = []
    for user in users:
        setting = stored.get(user.pk) or NotificationSetting(user=user)
        if setting.daily_digest:
            chosen.append((user, setting, setting.last_digest_at or now - FIRST_WINDOW))
    if not chosen:
        return []
    earliest = min(since for _user, _setting, since in chosen)
    requests = list(
        ChangeRequest.objects.filter(created_at__gt=earliest, created_at__lte=now)
        .select_related("meeting", "area")
        .order_by("created_at")
    )
    saves = [
        (f"admin:{model._meta.app_label}_{model._meta.model_name}_history", save)
        for model in EDITED
        for save in model.history.filter(history_date__gt=earliest, history_date__lte=now)
        .select_related("history_user")
        .order_by("history_date")
    ]
    # A request is heard of by its meeting's area now (a meeting moved since takes its requests along).
    areas = ServiceArea.objects.in_bulk({r.current_area_id for r in requests} | {s.area_id for _h, s in saves})
    own = {}

    def hears(user, area_id):
        if area_id not in own:
            own[area_id] = {u.pk for u in area_volunteers(areas[area_id])} if area_id in areas else set()
        return user.pk in own[area_id]

    digests = []
    for user, setting, since in chosen:
        mine = [r for r in requests if r.created_at > since and hears(user, r.current_area_id)]
        edits = {}
        for history, save in saves:
            if save.history_date <= since or save.history_user_id == user.pk or not hears(user, save.area_id):
                continue
            name = save.name or getattr(save, "city", "")
            edit = edits.setdefault((history, save.id), Edited(history, save.id, name))
            edit.name, edit.saves, edit.latest = name, edit.saves + 1, save.history_date
            if save.history_user:
                edit.people.add(save.history_user.get_username())
            if save.history_change_reason:
                edit.reasons.add(save.history_change_reason)
        digests.append((Digest(user, mine, sorted(edits.values(), key=lambda e: e.name.lower())), setting))
    return digests


def send_all(now=None):
    """Send the day's digests; returns how many emails went out. Each volunteer's window moves on even when empty."""
    now = now or timezone.now()
    connection = get_connection(fail_silently=True)
    sent = 0
    for digest, setting in build(now):
        if digest:
            message(digest, connection).send(fail_silently=True)
            sent += 1
        with transaction.atomic():
            setting.last_digest_at = now
            setting.save()
    return sent


def title(request):
    """A request as the digest names it, in our words only: a visitor's text never goes into our email.

    A new meeting's proposed name and a visitor's message could say anything
    ("reset your password at ..."); the volunteer reads them on the request's
    admin page, where they are shown as the visitor's.
    """
    if request.meeting_id and request.kind == ChangeRequest.Kind.CHANGE:
        return _("Request #%(number)s on %(meeting)s") % {"number": request.pk, "meeting": request.meeting.name}
    return _("New meeting #%(number)s in %(area)s") % {"number": request.pk, "area": request.area.name}


def message(digest, connection=None):
    context = {
        "user": digest.user,
        "requests": [
            (title(r), proposals.what(r), admin_link("admin:meetings_changerequest_change", r.pk))
            for r in digest.requests
        ],
        "edits": digest.edits,
        "settings_url": settings.SITE_URL + reverse("admin_notifications"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("meetings/email/digest_subject.txt", context).strip()
        body = render_to_string("meetings/email/digest.txt", context)
    return EmailMessage(subject, body, None, [digest.user.email], connection=connection)


def admin_link(name, pk):
    return settings.SITE_URL + reverse(name, args=[pk])


class NotificationForm(forms.ModelForm):
    class Meta:
        model = NotificationSetting
        fields = ["daily_digest"]
        labels = {"daily_digest": gettext_lazy("Send me the daily digest")}


@staff_member_required
def my_notifications(request):
    """A volunteer's own switch for the daily digest."""
    setting = setting_for(request.user)
    form = NotificationForm(request.POST if request.method == "POST" else None, instance=setting)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("admin_notifications")
    context = {
        **admin.site.each_context(request),
        "title": _("My notifications"),
        "form": form,
        "has_areas": Membership.objects.filter(user=request.user).exists(),
    }
    return render(request, "admin/notifications.html", context)
