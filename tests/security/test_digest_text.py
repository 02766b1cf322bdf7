"""A visitor's words never reach a volunteer's inbox in the directory's own email.

Anyone may send a request: its message and a new meeting's name could say
"reset your password at http://…". The digest names each request in our
words (which fields, "a message") with the link to our admin, where the
visitor's text is shown as theirs.
"""

import datetime as dt
import io

import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from groups.models import Membership
from meetings.models import ChangeRequest
from tests.factories import make_meeting

START = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
BAIT = "Your account is locked: reset your password at http://evil.example/reset"


@override_settings(SITE_URL="https://meetings.example.org")
def test_the_digest_carries_no_visitor_text_and_only_links_to_our_admin(phoenix_district, django_user_model):
    user = django_user_model.objects.create_user("dana", "dana@example.org")
    Membership.objects.create(user=user, area=phoenix_district)
    with time_machine.travel(START, tick=False):
        change = ChangeRequest.objects.create(meeting=make_meeting(phoenix_district, name="Hope"), message=BAIT)
        new = ChangeRequest.objects.create(
            kind=ChangeRequest.Kind.NEW, area=phoenix_district,
            proposed={"name": BAIT, "times": [[1, "19:00", None]]}, message=BAIT,
        )
    with time_machine.travel(START + dt.timedelta(hours=1), tick=False):
        call_command("send_digests", stdout=io.StringIO())
    (email,) = mail.outbox
    assert "evil" not in email.body and "password" not in email.body and "evil" not in email.subject
    assert f"Request #{change.pk} on Hope: a message" in email.body
    assert f"New meeting #{new.pk} in Phoenix District: Name, Day and time, a message" in email.body
    links = [word for word in email.body.split() if "://" in word]
    admin = "https://meetings.example.org" + reverse("admin:index")
    assert links and all(link.startswith(admin) for link in links)
