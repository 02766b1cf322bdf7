""""Still meeting?": a group's contact confirms its listings with a personal link, or says what changed.

The email holds a link valid 30 days and used once (meetings/models/confirmations.py).
Opening it shows the group's meetings and a button: confirming is a POST, so a
mail scanner that follows links confirms nothing. Each email says how to stop
them; stopping is per group (Group.confirmation_emails).
"""

import datetime as dt
import logging
from collections import Counter

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_http_methods

from groups.models import Group
from meetings.models import Confirmation, Meeting

logger = logging.getLogger(__name__)


def group_language(group, meetings):
    """The language the group's meetings are held in, when the site speaks it; else the site's default."""
    spoken = {code for code, _name in settings.LANGUAGES}
    counts = Counter(m.language for m in meetings if m.language in spoken)
    return counts.most_common(1)[0][0] if counts else settings.LANGUAGE_CODE


def send(group, sent_by=None, connection=None):
    """Email `group`'s contact a new link; returns the Confirmation, or None when the group cannot be asked."""
    if not group.contact_email or not group.confirmation_emails:
        return None
    meetings = list(Meeting.objects.public().filter(group=group).prefetch_related("times").order_by("name"))
    if not meetings:
        return None
    record, token = Confirmation.issue(group, sent_by=sent_by)
    language = group_language(group, meetings)
    with translation.override(language):
        context = {
            "group": group,
            "meetings": meetings,
            "confirm_url": settings.SITE_URL + reverse("meetings:confirm", args=[group.slug, token]),
            "stop_url": settings.SITE_URL + reverse("meetings:confirm_stop", args=[group.slug, token]),
            "days": record.expires_at - record.created_at,
        }
        # One line whatever the group's name holds: a line break in a header is refused by the mailer.
        subject = " ".join(render_to_string("meetings/email/still_meeting_subject.txt", context).split())
        body = render_to_string("meetings/email/still_meeting.txt", context)
    message = EmailMessage(subject, body, None, [group.contact_email], connection=connection)
    try:
        message.send()
    except Exception:  # a refused address, a mail server down: this group is not "asked", the others still are
        logger.warning("The 'still meeting?' email to group %s could not be sent", group.pk, exc_info=True)
        record.delete()
        return None
    return record


def send_many(groups, sent_by=None):
    connection = get_connection()
    return [record for group in groups if (record := send(group, sent_by, connection)) is not None]


def find(slug, token):
    """The link's record for this group, or 404: a token of another group's is no token here."""
    record = Confirmation.find(token)
    if record is None or record.group.slug != slug:
        raise Http404
    return record


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, slug, token):
    record = find(slug, token)
    group = record.group
    meetings = list(Meeting.objects.public().filter(group=group).prefetch_related("times").order_by("name"))
    context = {"group": group, "meetings": meetings, "record": record}
    if not record.is_usable:
        context["state"] = "used" if record.used_at else "expired"
        return private(render(request, "meetings/still_meeting.html", context, status=410))
    if request.method == "POST":
        with transaction.atomic():
            # Claimed with one conditional UPDATE: two clicks at once confirm once.
            now = timezone.now()
            if not Confirmation.objects.usable(now).filter(pk=record.pk).update(used_at=now):
                context["state"] = "used"
                return private(render(request, "meetings/still_meeting.html", context, status=410))
            confirm_meetings(meetings, timezone.localdate())
        context["state"] = "confirmed"
        return private(render(request, "meetings/still_meeting.html", context))
    context["state"] = "ask"
    return private(render(request, "meetings/still_meeting.html", context))


def confirm_meetings(meetings, today):
    for meeting in meetings:
        # Saved one by one: each gets its history row, with the reason.
        meeting.last_verified = meeting.confirmed_by_group_on = today
        meeting._change_reason = "confirmed by the group"
        meeting.save()


@require_http_methods(["GET", "HEAD", "POST"])
def stop(request, slug, token):
    """Stop the "still meeting?" emails to this group: a button (a POST), from any link ever sent, used or not."""
    record = find(slug, token)
    group = record.group
    if request.method == "POST":
        Group.objects.filter(pk=group.pk).update(confirmation_emails=False)
        return private(render(request, "meetings/still_meeting_stop.html", {"group": group, "stopped": True}))
    return private(render(request, "meetings/still_meeting_stop.html", {"group": group, "stopped": False}))


def private(response):
    """A personal link's page: never kept by a cache, never indexed, its address never sent on as a referrer."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    response.posts_to_self = True  # see SameOriginReferrerForFormsMiddleware
    return response


def groups_to_ask(today=None):
    """Groups for the monthly run: a contact email, emails not stopped, not asked in 30 days,
    and a public meeting the group has not confirmed for 5 months (asked a month before it shows as unconfirmed)."""
    now = timezone.now()
    today = today or timezone.localdate()
    recent = Confirmation.objects.filter(created_at__gt=now - dt.timedelta(days=30)).values("group_id")
    due = Meeting.objects.public().unconfirmed(today, days=150).values("group_id")
    return (
        Group.objects.exclude(contact_email="")
        .filter(confirmation_emails=True, pk__in=due)
        .exclude(pk__in=recent)
        .order_by("pk")
    )


def confirmed_phrase(day, today):
    """ "Confirmed by the group 12 days ago", "…today", "…3 months ago": how long since the group said so."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    days = max((today - day).days, 0)
    if days == 0:
        return _("Confirmed by the group today")
    if days == 1:
        return _("Confirmed by the group yesterday")
    if days < 60:
        return ngettext("Confirmed by the group %(n)d day ago", "Confirmed by the group %(n)d days ago", days) % {
            "n": days
        }
    months = days // 30
    return ngettext("Confirmed by the group %(n)d month ago", "Confirmed by the group %(n)d months ago", months) % {
        "n": months
    }
