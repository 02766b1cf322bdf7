"""Every admin page a volunteer uses passes axe with nothing serious, contrast included (issue 16).

The pages come from the admin's registry: for each registered model the person may open, its list,
its add form, and one record's change form and History; then the password change page, "My
notifications", the import page and the login page. Walked as a superuser and as an area's volunteer,
in one browser page, with every serious or critical violation named with its page and rule.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from groups.models import Membership
from meetings.models import ChangeRequest, FeedSource
from tests.factories import make_group, make_location, make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "a-long-passphrase-16"
SERIOUS = ("serious", "critical")


@pytest.fixture
def people(arizona, django_user_model):
    """A record of every kind in Arizona, a superuser, and Arizona's volunteer."""
    root = django_user_model.objects.create_superuser("root", "root@example.org", PASSWORD)
    vera = django_user_model.objects.create_user("vera", "vera@example.org", PASSWORD, first_name="Vera")
    Membership.objects.create(user=vera, area=arizona)
    group = make_group(arizona, name="Desert Hope")
    place = make_location(arizona, name="St. Brigid's Hall")
    meeting = make_meeting(arizona, name="Hope on Main", group=group, location=place, types=["D"])
    meeting.name = "Hope on Main Street"  # a second version, so History has a change to show
    meeting.save()
    ChangeRequest.objects.create(
        meeting=meeting,
        area=arizona,
        message="We moved to 7 pm.",
        contact="pat@example.org",
        proposed={"status": "temporarily_closed"},
        current={"status": "active"},
    )
    FeedSource.objects.create(area=arizona, name="Arizona's feed", url="http://127.0.0.1:9/feed.json")
    login = {"username": "vera", "ip_address": "203.0.113.9", "user_agent": "test", "path_info": "/admin/login/"}
    AccessAttempt.objects.create(**login, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**login)
    AccessFailureLog.objects.create(**login)
    return {"root": root, "vera": vera}


def admin_pages(user):
    """(name, path) of every admin page `user` may open, from the admin's registry."""
    request = RequestFactory().get("/admin/")
    request.user = user
    pages = [("admin index", reverse("admin:index"))]
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        label = "{}.{}".format(*info)
        if not model_admin.has_view_or_change_permission(request):
            continue
        pages.append((f"{label} list", reverse("admin:{}_{}_changelist".format(*info))))
        if model_admin.has_add_permission(request):
            pages.append((f"{label} add", reverse("admin:{}_{}_add".format(*info))))
        record = model_admin.get_queryset(request).order_by("pk").first()
        assert record is not None, f"{label}: make one in the people fixture, so its change form is walked"
        pages.append((f"{label} change", reverse("admin:{}_{}_change".format(*info), args=[record.pk])))
        pages.append((f"{label} history", reverse("admin:{}_{}_history".format(*info), args=[record.pk])))
    pages += [
        ("password change", reverse("admin:password_change")),
        ("my notifications", reverse("admin_notifications")),
        ("meeting import", reverse("admin:meetings_meeting_import")),
    ]
    return pages


def violations(page, name):
    # The project's admin styles and widget names, once on every admin page (templates/admin/base_site.html).
    assert page.locator('link[href$="/css/admin.css"]').count() == 1, name
    assert page.locator('script[src$="/js/admin-a11y.js"]').count() == 1, name
    found = [v for v in Axe().run(page).response["violations"] if v["impact"] in SERIOUS]
    return [f"{name}: {v['id']} ({v['impact']}) at {[n['target'] for n in v['nodes']][:3]}" for v in found]


def log_in(page, url, username):
    page.goto(url + reverse("admin:login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(url + reverse("admin:index"))


def test_every_admin_page_passes_axe_for_a_superuser_and_a_volunteer(live_server, browser, people):
    viewport = {"width": 1280, "height": 900}
    context = browser.new_context(viewport=viewport, timezone_id="America/Phoenix", locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems, walked = [], 0
    page.goto(live_server.url + reverse("admin:login"))
    assert "HA meeting directory" in page.locator("#site-name").inner_text()  # Django's own header, ours inside
    problems += violations(page, "login page")
    walked += 1
    for username in ("root", "vera"):
        context.clear_cookies()
        log_in(page, live_server.url, username)
        for name, path in admin_pages(people[username]):
            response = page.goto(live_server.url + path)
            assert response.status == 200, f"{username}: {name} answered {response.status} at {path}"
            problems += violations(page, f"{username}: {name} ({path})")
            walked += 1
    context.close()
    assert walked > 40  # every registered model for the superuser, Arizona's for the volunteer
    assert not problems, f"{len(problems)} serious violations on {walked} pages:\n" + "\n".join(problems)
