"""Every admin URL and action, for every kind of person, with the expected answer and no leak.

Personas: anonymous; vicky, a volunteer of Arizona (area A); ada, Arizona's
area admin; bea, Colorado's area admin (area B); sam, the area admin of the
Southwest region above Arizona; root, a superuser.

    World ─┬─ Southwest ── Arizona ── Phoenix District ── Phoenix West
           └─ Colorado ── Boulder

Each area has a group, a place, a meeting, a change request and a volunteer,
all named "<area>-zq-<kind>". The URLs come from admin.site._registry: a
model registered later has no policy here, and test_every_registered_model_
has_a_policy fails until someone decides who may do what with it. Each case
targets a record in Phoenix (inside A, and the parent's, scope) or in
Colorado (B's), runs in a savepoint rolled back afterwards, and checks the
status, the effect of a POST (changed or untouched), and that neither body
nor redirect names a record from an area the persona does not work in.
"""

from dataclasses import dataclass, field

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from groups.models import Membership
from meetings.models import ChangeRequest, Confirmation, FeedSource, Meeting, MeetingType
from tests.admin_forms import change_form_data
from tests.factories import make_area, make_group, make_location, make_meeting

NEW_PASSWORD = {"password1": "taken-over-77", "password2": "taken-over-77", "set_usable_password": "true"}
PERSONAS = ["anonymous", "vicky", "ada", "bea", "sam", "root"]
AREA_ADMINS = {"ada", "bea", "sam"}
ALL_AREAS = {"world", "southwest", "arizona", "phoenix", "phoenix-west", "colorado", "boulder"}
SCOPE = {
    "anonymous": set(),
    "vicky": {"arizona", "phoenix", "phoenix-west"},
    "ada": {"arizona", "phoenix", "phoenix-west"},
    "sam": {"southwest", "arizona", "phoenix", "phoenix-west"},
    "bea": {"colorado", "boulder"},
    "root": ALL_AREAS,
}
# Areas above one's own: their names may show (an area page shows its parent), their records may not.
ANCESTORS = {
    "anonymous": set(),
    "vicky": {"world", "southwest"},
    "ada": {"world", "southwest"},
    "sam": {"world"},
    "bea": {"world"},
    "root": set(),
}
RECORD_AREAS = ["world", "southwest", "arizona", "phoenix", "colorado"]
PLACES = ["phoenix", "colorado"]  # where a case's target record lives
LEAF_OF = {"phoenix": "phoenix-west", "colorado": "boulder"}


def marker(area, kind):
    return f"{area}-zq-{kind}"


# Who may do what, per model: the policy this matrix holds the admin to.


def any_scope(persona):
    return bool(SCOPE[persona])


def superuser_only(persona, *args):
    return persona == "root"


def scoped(persona, area):
    return area in SCOPE[persona]


def is_manager(persona):
    return persona == "root" or persona in AREA_ADMINS


def manages(persona, area):
    return persona == "root" or (persona in AREA_ADMINS and area in SCOPE[persona])


@dataclass
class Policy:
    module: object  # persona -> may open the list
    view: object  # (persona, area) -> may open the record
    add: object  # persona -> may open the add page
    delete: object  # (persona, area) -> may delete the record
    target: object  # (world, place) -> the record a case acts on
    area_of: object = None  # (place) -> the target's area (default: the place)
    # How a refusal looks. ScopedAdminMixin answers 403 on history; Django's own history and delete
    # views first look the record up in the user's list (not there: back to the index), then check.
    history_scoped: bool = True
    listed_for_all: bool = False  # the list is not scoped (meeting types): the record is found, then refused
    delete_any: object = superuser_only  # persona -> may delete "some record" (Django's check without one)


POLICIES = {
    "groups.servicearea": Policy(
        module=any_scope,
        view=scoped,
        add=is_manager,
        delete=superuser_only,
        target=lambda w, place: w.areas[LEAF_OF[place]],
        area_of=lambda place: LEAF_OF[place],
    ),
    "groups.group": Policy(any_scope, scoped, any_scope, superuser_only, lambda w, p: w.groups[p]),
    "meetings.location": Policy(any_scope, scoped, any_scope, superuser_only, lambda w, p: w.spare_locations[p]),
    "meetings.meeting": Policy(any_scope, scoped, any_scope, superuser_only, lambda w, p: w.meetings[p]),
    "meetings.changerequest": Policy(any_scope, scoped, lambda p: False, superuser_only, lambda w, p: w.reports[p]),
    "meetings.feedsource": Policy(any_scope, scoped, any_scope, superuser_only, lambda w, p: w.sources[p]),
    "meetings.meetingtype": Policy(
        superuser_only, superuser_only, superuser_only, superuser_only, lambda w, p: w.meeting_type,
        history_scoped=False, listed_for_all=True,
    ),
    "auth.user": Policy(
        is_manager, manages, superuser_only, superuser_only, lambda w, p: w.volunteers[p], history_scoped=False
    ),
    "groups.membership": Policy(
        is_manager, manages, is_manager, manages, lambda w, p: w.volunteers[p].memberships.get(),
        history_scoped=False, delete_any=is_manager,
    ),
    # django-axes' records of logins (user names, addresses): for superusers only, and never added by hand.
    **{
        f"axes.{name}": Policy(
            superuser_only, superuser_only, lambda p: False, superuser_only,
            lambda w, p, name=name: w.login_records[name][p], history_scoped=False, listed_for_all=True,
        )
        for name in ("accessattempt", "accesslog", "accessfailurelog")
    },
}
# Which permission an admin action needs: deleting, or (the default) opening the records selected.
# django-axes' clean-up removes expired attempts whatever is selected: allowed or not, no effect to check.
# Sending a "still meeting?" email changes no group: what it creates is checked by its own site cases below.
ACTION_RULES = {"delete_selected": "delete", "cleanup_expired_attempts": "module", "send_still_meeting": "module"}


# The world each test starts from.


@dataclass
class World:
    areas: dict = field(default_factory=dict)
    groups: dict = field(default_factory=dict)
    locations: dict = field(default_factory=dict)
    spare_locations: dict = field(default_factory=dict)
    meetings: dict = field(default_factory=dict)
    reports: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)
    volunteers: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    login_records: dict = field(default_factory=dict)
    meeting_type: object = None


@pytest.fixture
def world(db, django_user_model):
    w = World()
    tree = [
        ("world", None),
        ("southwest", "world"),
        ("arizona", "southwest"),
        ("phoenix", "arizona"),
        ("phoenix-west", "phoenix"),
        ("colorado", "world"),
        ("boulder", "colorado"),
    ]
    for key, parent in tree:
        w.areas[key] = make_area(marker(key, "area"), parent=w.areas.get(parent))
    for key in RECORD_AREAS:
        area = w.areas[key]
        w.groups[key] = make_group(area, name=marker(key, "group"))
        w.locations[key] = make_location(area, name=marker(key, "location"))
        w.spare_locations[key] = make_location(area, name=marker(key, "spare"))
        w.meetings[key] = make_meeting(
            area, name=marker(key, "meeting"), group=w.groups[key], location=w.locations[key], types=["D"]
        )
        w.reports[key] = ChangeRequest.objects.create(
            meeting=w.meetings[key], area=area, message=marker(key, "report"), contact=marker(key, "report"),
            proposed={"status": "temporarily_closed"}, current={"status": "active"},
        )
        # A loopback address: a sync the matrix starts is refused at once, without leaving the machine.
        w.sources[key] = FeedSource.objects.create(area=area, name=marker(key, "source"), url="http://127.0.0.1:9/feed.json")
        # No password: hashing one costs a third of a second, and nobody logs in as them here.
        volunteer = django_user_model.objects.create_user(marker(key, "volunteer"), f"{key}@example.org")
        Membership.objects.create(user=volunteer, area=area)
        w.volunteers[key] = volunteer
    # A second version of every record with a history, so a revert has something to restore.
    records = [*w.areas.values(), *w.groups.values(), *w.spare_locations.values(), *w.meetings.values()]
    for obj in [*records, *w.sources.values()]:
        obj.name = f"{obj.name} (renamed)"
        obj.save()
    w.meeting_type = MeetingType.objects.get(code="D")
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        extra = {"get_data": "", "post_data": "", "failures_since_start": 1} if model is AccessAttempt else {}
        w.login_records[model._meta.model_name] = {
            place: model.objects.create(
                username=w.volunteers[place].username, ip_address="203.0.113.9", user_agent="test", **extra
            )
            for place in PLACES
        }
    for name, area, role in [
        ("vicky", "arizona", Membership.Role.VOLUNTEER),
        ("ada", "arizona", Membership.Role.AREA_ADMIN),
        ("bea", "colorado", Membership.Role.AREA_ADMIN),
        ("sam", "southwest", Membership.Role.AREA_ADMIN),
    ]:
        person = django_user_model.objects.create_user(name, f"{name}@example.org")
        Membership.objects.create(user=person, area=w.areas[area], role=role)
        w.people[name] = person
    w.people["root"] = django_user_model.objects.create_superuser("root", "root@example.org")
    return w


def fresh_client(world, persona):
    client = Client()
    if persona != "anonymous":
        client.force_login(world.people[persona])
    return client


def client_for(world, persona):
    """One logged-in client per persona and world (a login writes a session: once is enough)."""
    clients = world.__dict__.setdefault("clients", {})
    if persona not in clients:
        clients[persona] = fresh_client(world, persona)
    client = clients[persona]
    client.cookies.pop("messages", None)  # one case's "saved" message is not the next case's page
    return client


# The cases, generated from the admin's registry.


@dataclass
class Case:
    name: str
    method: str
    url: object  # world -> url
    place: str | None = None
    data: object = None  # (world, target) -> POST data
    prepare: object = None  # target -> None, before the request
    target: object = None  # world -> the record a POST may change
    state: object = None  # world -> what a POST may change, when it is not one record


def label(model):
    return f"{model._meta.app_label}.{model._meta.model_name}"


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def model_cases(model, model_admin):
    policy = POLICIES[label(model)]
    cases = [
        Case("changelist", "GET", lambda w: admin_url(model, "changelist")),
        Case("add", "GET", lambda w: admin_url(model, "add")),
    ]
    for place in PLACES:

        def target(w, place=place):
            return policy.target(w, place)

        cases += [
            Case("change", "GET", lambda w, t=target: admin_url(model, "change", t(w).pk), place),
            Case("delete", "GET", lambda w, t=target: admin_url(model, "delete", t(w).pk), place),
            Case("history", "GET", lambda w, t=target: admin_url(model, "history", t(w).pk), place),
        ]
        if isinstance(model_admin, SimpleHistoryAdmin):
            cases += [
                Case("version", "GET", lambda w, t=target: version_url(model, t(w)), place),
                Case(
                    "revert",
                    "POST",
                    lambda w, t=target: version_url(model, t(w)),
                    place,
                    data=revert_data,
                    target=target,
                ),
            ]
        if hasattr(model, "get_absolute_url"):
            cases.append(Case("view on site", "GET", lambda w, t=target: view_on_site_url(t(w)), place))
        for action in action_names(model_admin):
            cases.append(
                Case(
                    f"action {action}",
                    "POST",
                    lambda w: admin_url(model, "changelist"),
                    place,
                    data=lambda w, obj, action=action: {"action": action, "_selected_action": [obj.pk], "post": "yes"},
                    prepare=archive if action == "restore" else None,
                    target=target,
                )
            )
    return cases


def action_names(model_admin):
    names = [name for name, _function in admin.site.actions]
    return names + [a if isinstance(a, str) else a.__name__ for a in model_admin.actions or []]


def archive(meeting):
    meeting.status = Meeting.Status.ARCHIVED
    meeting.save()


def version_url(model, obj):
    return admin_url(model, "simple_history", obj.pk, obj.history.earliest().history_id)


def view_on_site_url(obj):
    return reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(obj).pk, obj.pk])


def revert_data(world, obj):
    """What the revert page offers, read as the superuser sees it."""
    page = client_for(world, "root").get(version_url(type(obj), obj))
    assert page.status_code == 200
    return change_form_data(page)


def autocomplete_cases():
    fields = set()
    for model, model_admin in admin.site._registry.items():
        for field_name in model_admin.autocomplete_fields:
            fields.add((model, field_name))
        for inline in model_admin.inlines:
            for field_name in inline.autocomplete_fields:
                fields.add((inline.model, field_name))
    return [
        Case(
            f"autocomplete {label(model)}.{field_name}",
            "GET",
            lambda w, model=model, field_name=field_name: reverse("admin:autocomplete")
            + f"?term=&app_label={model._meta.app_label}&model_name={model._meta.model_name}&field_name={field_name}",
        )
        for model, field_name in sorted(fields, key=lambda pair: (label(pair[0]), pair[1]))
    ]


SITE_CASES = [
    Case("index", "GET", lambda w: reverse("admin:index")),
    Case("quality page", "GET", lambda w: reverse("admin_quality")),
    Case("import page", "GET", lambda w: reverse("admin:meetings_meeting_import")),
    *[
        Case(
            f"user password {method}",
            method,
            lambda w, place=place: reverse("admin:auth_user_password_change", args=[w.volunteers[place].pk]),
            place,
            data=(lambda w, obj: NEW_PASSWORD) if method == "POST" else None,
            target=lambda w, place=place: w.volunteers[place],
        )
        for place in PLACES
        for method in ["GET", "POST"]
    ],
    Case("my notifications page", "GET", lambda w: reverse("admin_notifications")),
    # The request queue's own POSTs: applying (part of) a request, declining it.
    *[
        Case(
            f"request {verb}",
            "POST",
            lambda w, place=place: reverse("admin:meetings_changerequest_change", args=[w.reports[place].pk]),
            place,
            data=lambda w, obj, data=data: {**data, "seen_version": obj.meeting.version},
            target=lambda w, place=place: w.reports[place],
        )
        for place in PLACES
        for verb, data in [
            ("apply", {"_apply": "1", "fields": ["status"]}),
            ("decline", {"_decline": "1", "reason": "not ours"}),
        ]
    ],
    # "Still meeting?" emails: sent only to the groups of one's own areas.
    *[
        Case(
            "send still meeting",
            "POST",
            lambda w: reverse("admin:groups_group_changelist"),
            place,
            data=lambda w, obj: {"action": "send_still_meeting", "_selected_action": [obj.pk]},
            prepare=lambda group: type(group).objects.filter(pk=group.pk).update(contact_email="g@example.org"),
            target=lambda w, place=place: w.groups[place],
            state=lambda w, place=place: Confirmation.objects.filter(group=w.groups[place]).count(),
        )
        for place in PLACES
    ],
    # The takeover the probe found: an area admin gives an outsider a membership in their area...
    Case(
        "membership add POST for another area's volunteer",
        "POST",
        lambda w: reverse("admin:groups_membership_add"),
        data=lambda w, obj: {"user": w.volunteers["colorado"].pk, "area": w.areas["phoenix"].pk, "role": "area_admin"},
        state=lambda w: sorted(w.volunteers["colorado"].memberships.values_list("area_id", "role")),
    ),
    # ...or changes the email a password reset goes to.
    *[
        Case(
            "user change POST of the email",
            "POST",
            lambda w, place=place: reverse("admin:auth_user_change", args=[w.volunteers[place].pk]),
            place,
            data=lambda w, obj: change_form_data(
                client_for(w, "root").get(reverse("admin:auth_user_change", args=[obj.pk])), email="taken@evil.example"
            ),
            target=lambda w, place=place: w.volunteers[place],
        )
        for place in PLACES
    ],
]


# The expected answer.


def expected(persona, model, case):
    """(status, effect): status an int or "login", "denied_redirect"; effect True (changed) / False / None."""
    if persona == "anonymous":
        return "login", (False if case.method == "POST" else None)
    if model is None:
        return expected_site(persona, case)
    policy = POLICIES[label(model)]
    area = (policy.area_of or (lambda place: place))(case.place) if case.place else None
    module = policy.module(persona)
    may_view = area is not None and policy.view(persona, area)
    if case.name == "changelist":
        return (200 if module else 403), None
    if case.name == "add":
        return (200 if policy.add(persona) else 403), None
    if case.name == "change":
        return (200 if may_view else ("denied_redirect" if module else 403)), None
    if case.name == "delete":
        if policy.delete(persona, area):
            return 200, None
        return ("denied_redirect" if policy.delete_any(persona) else 403), None
    if case.name == "history":
        if may_view:
            return 200, None
        return (403 if policy.history_scoped or policy.listed_for_all else "denied_redirect"), None
    if case.name == "version":
        return (200 if may_view else 403), None
    if case.name == "revert":
        return (302, True) if may_view else (403, False)
    if case.name == "view on site":
        return (302 if may_view else 404), None
    if case.name.startswith("action "):
        rule = ACTION_RULES.get(case.name.removeprefix("action "), "view")
        if not module:
            return 403, False
        if rule == "module":
            return "any", None
        return "any", (policy.delete(persona, area) if rule == "delete" else may_view)
    raise AssertionError(f"No expectation for {case.name}")


def expected_site(persona, case):
    if case.name in {"index", "quality page", "import page", "my notifications page"}:
        return 200, None
    if case.name in {"request apply", "request decline"}:
        return (302, True) if case.place in SCOPE[persona] else ("denied_redirect", False)
    if case.name == "send still meeting":
        return 302, case.place in SCOPE[persona]
    if case.name == "user password GET":
        return (200 if persona == "root" else 403), None
    if case.name == "user password POST":
        return (302, True) if persona == "root" else (403, False)
    if case.name == "membership add POST for another area's volunteer":
        if persona == "root":
            return 302, True
        return (200 if is_manager(persona) else 403), False  # the form refuses the user
    if case.name == "user change POST of the email":
        if persona == "root":
            return 302, True
        if manages(persona, case.place):
            return 302, False  # saved, without the email: not theirs to change
        return ("denied_redirect" if is_manager(persona) else 403), False
    raise AssertionError(f"No expectation for {case.name}")


# Running a case.


def snapshot(obj):
    model = type(obj)
    row = model._base_manager.filter(pk=obj.pk).first()
    # Every stored value, the non-editable ones too (a sync writes only those).
    return None if row is None else {f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields}


def foreign_markers(persona):
    areas_seen = SCOPE[persona]
    markers = []
    for area in ALL_AREAS - areas_seen:
        if area not in ANCESTORS[persona]:
            markers.append(marker(area, "area"))
        if area in RECORD_AREAS:
            markers += [marker(area, kind) for kind in ("group", "location", "spare", "meeting", "report", "volunteer")]
    return markers


def run(world, persona, model, case):
    """The case's outcome as one line, and the list of problems with it (empty when all is as expected)."""
    # A POST may cycle the session (a password change does): a client of its own, inside the savepoint.
    client = client_for(world, persona) if case.method == "GET" else fresh_client(world, persona)
    url = case.url(world)
    target = case.target(world) if case.target else None
    if case.prepare:
        case.prepare(target)
    data = case.data(world, target) if case.data else None
    state = case.state or (lambda w: snapshot(target) if target is not None else None)
    before = state(world)
    response = client.post(url, data) if case.method == "POST" else client.get(url)
    after = state(world)
    status, effect = expected(persona, model, case)
    problems = []
    location = response.get("Location", "")
    if status == "login":
        ok = response.status_code == 302 and location.startswith(reverse("admin:login"))
    elif status == "denied_redirect":
        ok = response.status_code == 302 and location == reverse("admin:index")
    elif status == "any":
        ok = response.status_code in (200, 302)
    else:
        ok = response.status_code == status
    if not ok:
        problems.append(f"status {response.status_code} {location}, expected {status}")
    if effect is not None and (before != after) != effect:
        problems.append("the record changed" if not effect else "the record did not change")
    text = (response.content.decode(errors="replace") + " " + location).lower()
    leaks = [m for m in foreign_markers(persona) if m in text]
    if leaks:
        problems.append(f"leaks {leaks}")
    return f"{persona} {case.method} {url} ({case.name}) -> {response.status_code}", problems


def run_all(world, persona, model, cases):
    outcomes, failures = [], []
    client_for(world, persona), client_for(world, "root")  # logged in outside the savepoints
    for case in cases:
        savepoint = transaction.savepoint()
        try:
            line, problems = run(world, persona, model, case)
        finally:
            transaction.savepoint_rollback(savepoint)
        outcomes.append(line)
        failures += [f"{line}: {problem}" for problem in problems]
    return outcomes, failures


MODELS = sorted(admin.site._registry, key=label)


@pytest.mark.parametrize("model", MODELS, ids=label)
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_admin_url_of_every_model_answers_each_persona_as_expected(world, persona, model):
    cases = model_cases(model, admin.site._registry[model])
    outcomes, failures = run_all(world, persona, model, cases)
    assert len(outcomes) == len(cases)
    assert not failures, "\n".join(["", *failures])


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_autocomplete_answers_each_persona_and_offers_only_their_records(world, persona):
    failures = []
    for case in autocomplete_cases():
        failures += autocomplete_failures(world, persona, case)
    assert not failures, "\n".join(["", *failures])


def autocomplete_failures(world, persona, case):
    client = client_for(world, persona)
    url = case.url(world)
    response = client.get(url)
    remote = autocomplete_remote(case)
    if persona == "anonymous":
        ok = response.status_code == 302
    else:
        policy = POLICIES[label(remote)]
        ok = response.status_code == (200 if policy.module(persona) else 403)
    problems = [] if ok else [f"{persona} GET {url} -> {response.status_code}"]
    leaks = [m for m in foreign_markers(persona) if m in response.content.decode().lower()]
    if leaks:
        problems.append(f"{persona} GET {url} leaks {leaks}")
    return problems


def autocomplete_remote(case):
    model_label, field_name = case.name.removeprefix("autocomplete ").rsplit(".", 1)
    model = next(m for m in [*MODELS, Membership] if label(m) == model_label)
    return model._meta.get_field(field_name).related_model


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_site_pages_and_passwords_answer_each_persona_as_expected(world, persona):
    outcomes, failures = run_all(world, persona, None, SITE_CASES)
    assert len(outcomes) == len(SITE_CASES)
    assert not failures, "\n".join(["", *failures])


def test_every_registered_model_has_a_policy():
    assert sorted(label(m) for m in admin.site._registry) == sorted(POLICIES)


def test_the_matrix_is_as_big_as_the_admin():
    """Its size, so that a shrinking registry or a lost case shows."""
    per_persona = sum(len(model_cases(m, admin.site._registry[m])) for m in MODELS)
    per_persona += len(autocomplete_cases()) + len(SITE_CASES)
    assert per_persona >= 130
    assert {c.name for c in autocomplete_cases()} >= {
        "autocomplete groups.membership.user",
        "autocomplete meetings.meeting.group",
    }


def test_a_case_that_should_leak_is_caught(world):
    """The leak check itself: a superuser's list of every meeting names Colorado's, which is foreign to ada."""
    body = client_for(world, "root").get(reverse("admin:meetings_meeting_changelist")).content.decode().lower()
    assert [m for m in foreign_markers("ada") if m in body]

