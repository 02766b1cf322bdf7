"""The public "report a change" form and its moderation queue."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups.models import Membership
from meetings.models import ChangeRequest
from tests.factories import make_meeting


@pytest.fixture
def meeting(phoenix_district):
    return make_meeting(phoenix_district, name="Hope on Main")


@pytest.fixture
def member(django_user_model):
    def build(name, area, **fields):
        user = django_user_model.objects.create_user(name, f"{name}@example.org", "long-pass-phrase-9", **fields)
        Membership.objects.create(user=user, area=area)
        return user

    return build


@pytest.fixture
def volunteers(member, arizona, phoenix_district, colorado):
    member("district", phoenix_district)
    member("district2", phoenix_district)
    member("state", arizona)
    member("elsewhere", colorado)


def report_url(meeting):
    return reverse("meetings:report", args=[meeting.slug])


def test_the_form_opens_from_the_meeting_page(client, meeting):
    assert report_url(meeting) in client.get(meeting.get_absolute_url()).content.decode()
    assert client.get(report_url(meeting)).status_code == 200


def form_data(meeting, **changes):
    """The report form as the page fills it in for `meeting` (nothing changed), with `changes`."""
    from meetings import proposals
    from meetings.reports import ProposalForm, initial_from

    form = ProposalForm(current=proposals.current_values(meeting))
    data = {}
    for name, value in initial_from(proposals.current_values(meeting)).items():
        if value is None:
            continue
        data[name] = value.strftime("%H:%M") if hasattr(value, "strftime") else value
    data = {k: v for k, v in data.items() if k in form.fields}
    data.update(changes)
    return data


def test_a_report_goes_to_the_queue_not_to_the_listing(client, meeting, volunteers):
    response = client.post(report_url(meeting), form_data(meeting, weekday_0="2", contact="sam@example.org"))
    assert response.status_code == 302
    report = ChangeRequest.objects.get()
    assert (report.meeting, report.area, report.status, report.contact) == (
        meeting, meeting.area, "open", "sam@example.org"
    )
    assert report.proposed == {"times": [[2, "19:00", "20:00"]]}
    assert report.current == {"times": [[1, "19:00", "20:00"]]}
    meeting.refresh_from_db()
    assert meeting.times.get().weekday == 1  # unchanged


def test_nobody_is_emailed_at_once_the_digest_tells_them(client, meeting, volunteers):
    assert client.post(report_url(meeting), form_data(meeting, message="It moved")).status_code == 302
    assert mail.outbox == []
    assert ChangeRequest.objects.count() == 1


def test_an_empty_report_is_refused_with_a_message(client, meeting):
    response = client.post(report_url(meeting), form_data(meeting))
    assert response.status_code == 400
    assert "Nothing has changed" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_the_honeypot_drops_bots_quietly(client, meeting, volunteers):
    response = client.post(report_url(meeting), form_data(meeting, message="Buy pills", website="http://spam.example"))
    assert response.status_code == 302
    assert not ChangeRequest.objects.exists()
    assert mail.outbox == []


def test_reports_are_rate_limited(client, meeting):
    for _ in range(5):
        assert client.post(report_url(meeting), form_data(meeting, message="x")).status_code == 302
    response = client.post(report_url(meeting), form_data(meeting, message="x"))
    assert response.status_code == 429
    assert "Too many reports" in response.content.decode()
    assert ChangeRequest.objects.count() == 5


def test_an_archived_meeting_cannot_be_reported(client, meeting):
    meeting.status = "archived"
    meeting.save()
    assert client.get(report_url(meeting)).status_code == 404


def test_behind_a_proxy_the_limit_is_per_visitor_not_for_everyone(client, meeting, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        client.post(report_url(meeting), form_data(meeting, message="x"), HTTP_X_FORWARDED_FOR="203.0.113.7")
    again = client.post(report_url(meeting), form_data(meeting, message="x"), HTTP_X_FORWARDED_FOR="203.0.113.7")
    other = client.post(report_url(meeting), form_data(meeting, message="y"), HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert (again.status_code, other.status_code) == (429, 302)


def test_a_visitor_cannot_escape_the_limit_by_writing_x_forwarded_for(client, meeting, settings):
    settings.BEHIND_TLS_PROXY, settings.TRUSTED_PROXY_COUNT = True, 1  # production: our proxy appends the address
    data = form_data(meeting, message="x")
    statuses = [
        client.post(report_url(meeting), data, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.7").status_code
        for n in range(30)
    ]
    assert statuses.count(302) == 5
    assert ChangeRequest.objects.count() == 5


def test_the_report_form_counts_in_the_shared_cache_when_configured(client, meeting, settings):
    import redis

    redis.Redis.from_url("redis://127.0.0.1:6379/15").flushdb()
    settings.CACHES = {
        "default": {"BACKEND": "ha_directory.redis_cache.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:6379/15"}
    }
    try:
        statuses = [client.post(report_url(meeting), form_data(meeting, message="x")).status_code for _ in range(8)]
    finally:
        redis.Redis.from_url("redis://127.0.0.1:6379/15").flushdb()
    assert statuses == [302] * 5 + [429] * 3


# The structured form.


def test_the_form_is_filled_in_with_the_listing(client, meeting):
    page = client.get(report_url(meeting)).content.decode()
    assert 'value="Hope on Main"' in page
    assert 'value="7:00 PM"' in page  # the start time, as the public site writes it
    assert '<option value="1" selected>Monday</option>' in page


def test_times_are_typed_as_people_write_them_with_a_length_for_the_end(client, meeting):
    client.post(report_url(meeting), form_data(meeting, start_0="6:30 pm", end_0="90 min"))
    assert ChangeRequest.objects.get().proposed == {"times": [[1, "18:30", "20:00"]]}


def test_a_time_that_is_not_one_is_refused_with_the_parsers_message(client, meeting):
    response = client.post(report_url(meeting), form_data(meeting, start_0="25 pm"))
    assert response.status_code == 400
    assert "with AM or PM the hour is 1 to 12" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_an_end_that_makes_the_meeting_13_hours_long_is_asked_again(client, meeting):
    response = client.post(report_url(meeting), form_data(meeting, start_0="7 pm", end_0="8 am"))
    assert response.status_code == 400
    assert "the next day is 13 hours: check AM and PM" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_a_bad_join_link_is_refused(client, meeting):
    response = client.post(report_url(meeting), form_data(meeting, conference_url="http://zoom.example/j/1"))
    assert "starting with https://" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_several_changes_are_kept_field_by_field(client, meeting):
    data = form_data(meeting, status="temporarily_closed", conference_url="https://zoom.us/j/123", types=["SP"])
    client.post(report_url(meeting), data)
    proposed = ChangeRequest.objects.get().proposed
    assert proposed == {"status": "temporarily_closed", "conference_url": "https://zoom.us/j/123", "types": ["SP"]}


# The queue: the diff, applying part of it, declining.


@pytest.fixture
def report(meeting):
    from meetings import proposals

    now = proposals.current_values(meeting)
    return ChangeRequest.objects.create(
        meeting=meeting,
        area=meeting.area,
        proposed={"times": [[3, "18:00", None]], "status": "temporarily_closed", "conference_phone": "+15550100123"},
        current={"times": now["times"], "status": now["status"], "conference_phone": now["conference_phone"]},
        message="Moved to Wednesday",
        contact="sam@example.org",
    )


def review_url(report):
    return reverse("admin:meetings_changerequest_change", args=[report.pk])


def apply(client, report, fields, seen=None):
    seen = report.meeting.version if seen is None else seen
    return client.post(review_url(report), {"_apply": "1", "fields": fields, "seen_version": seen})


def test_the_volunteer_sees_the_listing_now_against_the_proposal(admin_client, report):
    page = admin_client.get(review_url(report)).content.decode()
    assert "Monday 7:00 PM – 8:00 PM" in page
    assert "Wednesday 6:00 PM" in page
    assert "Temporarily closed" in page
    assert "sam@example.org" in page


def test_applying_part_of_a_request_changes_only_the_ticked_fields(admin_client, superuser, report):
    meeting = report.meeting
    response = apply(admin_client, report, ["times", "status"])
    assert response.status_code == 302
    meeting.refresh_from_db()
    time = meeting.times.get()
    assert (time.weekday, time.start_time.strftime("%H:%M"), time.end_time) == (3, "18:00", None)
    assert meeting.status == "temporarily_closed"
    assert meeting.conference_phone == ""  # not ticked
    report.refresh_from_db()
    assert (report.status, report.handled_by, report.applied_fields) == ("applied", superuser, ["times", "status"])


def test_the_applied_save_says_from_request_n_in_the_history(admin_client, superuser, report):
    apply(admin_client, report, ["status"])
    latest = report.meeting.history.latest()
    assert latest.history_change_reason == f"from request #{report.pk}"
    assert latest.history_user == superuser
    assert latest.status == "temporarily_closed"


def test_an_edited_time_keeps_its_feed_slug(admin_client, report):
    slug = report.meeting.times.get().feed_slug
    apply(admin_client, report, ["times"])
    assert report.meeting.times.get().feed_slug == slug


def test_declining_needs_a_reason_and_keeps_it(admin_client, superuser, report):
    response = admin_client.post(review_url(report), {"_decline": "1", "reason": ""})
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == "open"
    admin_client.post(review_url(report), {"_decline": "1", "reason": "The group says it still meets Mondays"})
    report.refresh_from_db()
    assert (report.status, report.volunteer_note, report.handled_by) == (
        "dismissed", "The group says it still meets Mondays", superuser
    )
    assert report.meeting.times.get().weekday == 1


@pytest.mark.parametrize("close", ["apply", "decline", "action"])
def test_the_visitors_contact_is_deleted_when_the_request_is_closed(admin_client, report, close):
    if close == "apply":
        apply(admin_client, report, ["status"])
    elif close == "decline":
        admin_client.post(review_url(report), {"_decline": "1", "reason": "spam"})
    else:
        admin_client.post(
            reverse("admin:meetings_changerequest_changelist"), {"action": "decline", "_selected_action": [report.pk]}
        )
    report.refresh_from_db()
    assert report.status != "open"
    assert report.contact == ""


def test_a_closed_request_cannot_be_applied_again(admin_client, report):
    apply(admin_client, report, ["status"])
    report.meeting.status = "active"
    report.meeting.save()
    apply(admin_client, report, ["status"], seen=report.meeting.version)
    report.meeting.refresh_from_db()
    assert report.meeting.status == "active"


def test_an_edit_since_the_page_was_opened_is_not_overwritten(admin_client, report):
    meeting = report.meeting
    seen = meeting.version
    meeting.name = "Hope on Main Street"
    meeting.save()  # someone else, meanwhile
    response = apply(admin_client, report, ["status"], seen=seen)
    assert response.status_code == 200
    assert "Someone else" in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.status, meeting.name) == ("active", "Hope on Main Street")
    report.refresh_from_db()
    assert report.status == "open"


def test_a_field_edited_since_the_request_is_flagged_and_left_unticked(admin_client, report):
    meeting = report.meeting
    meeting.status = "temporarily_closed"
    meeting.conference_phone = "+15550100999"
    meeting.save()
    page = admin_client.get(review_url(report)).content.decode()
    assert "Edited since the request came in" in page
    assert 'value="conference_phone" id="apply-conference_phone">' in page  # not checked
    assert 'value="times" id="apply-times" checked>' in page


def test_a_change_that_would_leave_no_way_to_attend_is_refused(admin_client, meeting):
    report = ChangeRequest.objects.create(
        meeting=meeting, area=meeting.area, proposed={"place": None}, current={"place": {}}
    )
    response = apply(admin_client, report, ["place"])
    assert response.status_code == 200
    assert "A meeting needs a way to attend" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.location_id is not None
    report.refresh_from_db()
    assert report.status == "open"


def test_a_new_place_for_a_shared_location_makes_a_new_location(admin_client, meeting):
    other = make_meeting(meeting.area, location=meeting.location, name="Other at the same place")
    place = {"name": "Library", "address": "9 Elm St", "city": "Tempe", "state": "AZ", "postal_code": "85281"}
    report = ChangeRequest.objects.create(meeting=meeting, area=meeting.area, proposed={"place": place})
    apply(admin_client, report, ["place"])
    meeting.refresh_from_db()
    other.refresh_from_db()
    assert (meeting.location.name, meeting.location.city, meeting.location.latitude) == ("Library", "Tempe", None)
    assert other.location.city == "Phoenix"


# "Add a meeting": the same form, for a listing that waits for approval.


def new_meeting_data(area, **changes):
    data = {
        "area": area.pk, "name": "Sunrise Hope", "weekday_0": "6", "start_0": "8 am", "end_0": "1 hour",
        "city": "Mesa", "address": "1 Sun Rd", "access": "open", "types": ["D"],
    }  # fmt: skip
    data.update(changes)
    return data


def test_a_new_meeting_waits_for_approval(client, phoenix_district):
    from meetings.models import Meeting

    assert client.get(reverse("meetings:add") + "?area=" + phoenix_district.slug).status_code == 200
    response = client.post(reverse("meetings:add"), new_meeting_data(phoenix_district))
    assert response.status_code == 302
    request = ChangeRequest.objects.get()
    assert (request.kind, request.area, request.meeting) == ("new", phoenix_district, None)
    assert request.proposed["times"] == [[6, "08:00", "09:00"]]
    assert not Meeting.objects.filter(name="Sunrise Hope").exists()


def test_a_new_meeting_needs_a_time_and_a_way_to_attend(client, phoenix_district):
    response = client.post(
        reverse("meetings:add"), new_meeting_data(phoenix_district, weekday_0="", start_0="", city="", address="")
    )
    page = response.content.decode()
    assert "Give at least one day and time" in page
    assert "Give a place, a join link or a dial-in phone" in page
    assert not ChangeRequest.objects.exists()


def test_approving_a_new_meeting_creates_it_with_its_time_and_place_in_the_area(admin_client, client, phoenix_district):
    from meetings.models import Meeting

    client.post(reverse("meetings:add"), new_meeting_data(phoenix_district))
    request = ChangeRequest.objects.get()
    response = admin_client.post(
        review_url(request), {"_apply": "1", "fields": ["place", "access", "types"], "seen_version": ""}
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(name="Sunrise Hope")
    time = meeting.times.get()
    assert (meeting.area, meeting.location.city, meeting.location.area) == (phoenix_district, "Mesa", phoenix_district)
    assert (time.weekday, time.start_time.strftime("%H:%M")) == (6, "08:00")
    assert [t.code for t in meeting.types.all()] == ["D"]
    assert meeting.history.latest().history_change_reason == f"from request #{request.pk}"
    request.refresh_from_db()
    assert (request.status, request.meeting) == ("applied", meeting)
    assert client.get(meeting.get_absolute_url()).status_code == 200


def test_the_add_form_is_linked_from_area_and_group_pages_and_the_footer(client, phoenix_district):
    from tests.factories import make_group

    group = make_group(phoenix_district, name="Sunrise Group")
    add = reverse("meetings:add")
    assert f"{add}?area={phoenix_district.slug}" in client.get(phoenix_district.get_absolute_url()).content.decode()
    assert f"{add}?area={phoenix_district.slug}" in client.get(group.get_absolute_url()).content.decode()
    assert f'href="{add}"' in client.get("/").content.decode()


# Scope: another area's volunteer.


@pytest.fixture
def outsider(client, member, colorado):
    user = member("outsider", colorado)
    client.force_login(user)
    return client


def test_another_areas_volunteer_cannot_see_the_request(outsider, report):
    assert report.meeting.name not in outsider.get(reverse("admin:meetings_changerequest_changelist")).content.decode()
    response = outsider.get(review_url(report))
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_another_areas_volunteer_cannot_apply_or_decline(outsider, report):
    apply(outsider, report, ["status"])
    outsider.post(review_url(report), {"_decline": "1", "reason": "mine now"})
    outsider.post(
        reverse("admin:meetings_changerequest_changelist"), {"action": "decline", "_selected_action": [report.pk]}
    )
    report.refresh_from_db()
    report.meeting.refresh_from_db()
    assert (report.status, report.contact, report.meeting.status) == ("open", "sam@example.org", "active")


def test_the_areas_volunteer_applies(client, member, phoenix_district, report):
    client.force_login(member("local", phoenix_district))
    assert apply(client, report, ["status"]).status_code == 302
    report.meeting.refresh_from_db()
    assert report.meeting.status == "temporarily_closed"


def test_a_meeting_moved_to_another_area_takes_its_requests_and_the_filter_follows(
    admin_client, report, colorado, phoenix_district
):
    closed = ChangeRequest.objects.create(meeting=report.meeting, message="old", status=ChangeRequest.Status.APPLIED)
    staying = ChangeRequest.objects.create(meeting=make_meeting(phoenix_district), message="still here")
    meeting = report.meeting
    meeting.area = colorado
    meeting.save()
    assert {r.pk: r.area_id for r in ChangeRequest.objects.all()} == {
        report.pk: colorado.pk, closed.pk: colorado.pk, staying.pk: phoenix_district.pk
    }
    queue = reverse("admin:meetings_changerequest_changelist")
    links = {r.pk: reverse("admin:meetings_changerequest_change", args=[r.pk]) for r in (report, closed)}
    at_new = admin_client.get(queue, {"area__id__exact": colorado.pk}).content.decode()
    at_old = admin_client.get(queue, {"area__id__exact": phoenix_district.pk}).content.decode()
    assert all(link in at_new and link not in at_old for link in links.values())
    assert reverse("admin:meetings_changerequest_change", args=[staying.pk]) in at_old
    meeting.name = "Renamed"
    with CaptureQueriesContext(connection) as queries:
        meeting.save()
    assert not any("meetings_changerequest" in q["sql"] for q in queries.captured_queries)


def test_the_queue_reads_the_same_number_of_queries_for_3_or_30_requests(client, member, phoenix_district):
    client.force_login(member("local", phoenix_district))
    url = reverse("admin:meetings_changerequest_changelist")
    counts = []
    for total in (3, 30):
        while ChangeRequest.objects.count() < total:
            meeting = make_meeting(phoenix_district)
            ChangeRequest.objects.create(meeting=meeting, proposed={"status": "temporarily_closed"}, message="x")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # Session, user, memberships and areas below, the counts and the page, the area filter: none per row.
    assert counts == [12, 12]


def test_the_review_page_reads_a_fixed_number_of_queries(admin_client, report):
    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get(review_url(report)).status_code == 200
    # Session, user, the request, its meeting (whose area decides who may see it), the meeting with its area, times
    # and types, type names.
    assert len(queries) == 8


def test_a_listing_whose_access_is_not_known_can_be_reported_without_choosing_one(client, meeting):
    meeting.access = ""
    meeting.save()
    data = form_data(meeting, message="The door code changed")
    data.pop("access", None)
    assert client.post(report_url(meeting), data).status_code == 302
    assert ChangeRequest.objects.get().proposed == {}


def test_every_history_row_of_an_applied_request_gives_its_reason(admin_client, meeting):
    report = ChangeRequest.objects.create(
        meeting=meeting, proposed={"types": ["SP"], "times": [[2, "19:00", "20:00"]], "status": "archived"}
    )
    before = meeting.history.count()
    apply(admin_client, report, ["types", "times", "status"])
    rows = list(meeting.history.all()[: meeting.history.count() - before])
    times = list(meeting.times.model.history.filter(meeting_id=meeting.pk, history_type="~"))
    assert rows and times
    assert {row.history_change_reason for row in rows + times} == {f"from request #{report.pk}"}
    assert [t.code for t in meeting.types.all()] == ["SP"]


def test_a_listing_with_many_times_keeps_them_all_when_one_is_changed(client, phoenix_district):
    times = [(day, "19:00", None) for day in range(7)] + [(day, "07:00", None) for day in range(3)]
    meeting = make_meeting(phoenix_district, name="Every day", times=times)
    client.post(report_url(meeting), form_data(meeting, start_9="8 pm"))
    proposed = ChangeRequest.objects.get().proposed["times"]
    assert len(proposed) == 10
    assert sum(1 for row in proposed if row[1] == "20:00") == 1


def test_a_closed_request_shows_what_was_applied(admin_client, report):
    apply(admin_client, report, ["status"])
    page = admin_client.get(review_url(report)).content.decode()
    assert 'value="status" id="apply-status" checked disabled>' in page
    assert 'value="times" id="apply-times" disabled>' in page
    assert "Apply the ticked changes" not in page


# Times: a row is matched by its day and hour, never by its place in the list.


def times_request(meeting, rows):
    from meetings import proposals

    return ChangeRequest.objects.create(
        meeting=meeting, proposed={"times": rows}, current={"times": proposals.current_values(meeting)["times"]}
    )


@pytest.fixture
def monday_and_monthly_wednesday(phoenix_district):
    import datetime as dt

    from meetings.models import ScheduleChange

    meeting = make_meeting(phoenix_district, name="Two times", times=[(1, "19:00", "20:00"), (3, "19:00", "20:00")])
    wednesday = meeting.times.get(weekday=3)
    wednesday.repeats, wednesday.weeks_of_month = "monthly", "1,3"
    wednesday.save()
    ScheduleChange.objects.create(meeting=meeting, meeting_time=wednesday, date=dt.date(2026, 12, 2), note="Holiday")
    return meeting


def test_removing_one_time_leaves_the_others_untouched(admin_client, monday_and_monthly_wednesday):
    meeting = monday_and_monthly_wednesday
    wednesday = meeting.times.get(weekday=3)
    report = times_request(meeting, [[3, "19:00", "20:00"]])  # the visitor blanked Monday's row
    assert apply(admin_client, report, ["times"]).status_code == 302
    (kept,) = meeting.times.all()
    assert (kept.pk, kept.weekday, kept.repeats, kept.weeks_of_month) == (wednesday.pk, 3, "monthly", "1,3")
    assert kept.feed_slug == wednesday.feed_slug
    assert kept.schedule_changes.get().note == "Holiday"


def test_two_times_moving_along_one_day_apply(admin_client, phoenix_district):
    meeting = make_meeting(phoenix_district, times=[(1, "19:00", "20:00"), (3, "19:00", "20:00")])
    report = times_request(meeting, [[3, "19:00", "20:00"], [5, "19:00", "20:00"]])
    assert apply(admin_client, report, ["times"]).status_code == 302
    assert sorted(meeting.times.values_list("weekday", flat=True)) == [3, 5]


def test_a_day_change_that_breaks_how_a_time_repeats_is_refused_with_a_message(admin_client, phoenix_district):
    import datetime as dt

    meeting = make_meeting(phoenix_district)
    time = meeting.times.get()
    time.repeats, time.interval, time.starts_on = "every_n_weeks", 2, dt.date(2026, 11, 30)  # a Monday
    time.save()
    report = times_request(meeting, [[3, "19:00", "20:00"]])
    page = apply(admin_client, report, ["times"]).content.decode()
    assert "That date is not a Wednesday" in page
    time.refresh_from_db()
    report.refresh_from_db()
    assert (time.weekday, report.status) == (1, "open")


def test_an_events_day_is_not_silently_dropped(admin_client, phoenix_district):
    import datetime as dt

    meeting = make_meeting(phoenix_district)
    time = meeting.times.get()
    time.repeats, time.starts_on = "once", dt.date(2026, 12, 7)  # a Monday
    time.save()
    report = times_request(meeting, [[3, "19:00", "20:00"]])
    page = apply(admin_client, report, ["times"]).content.decode()
    assert "change its date on the meeting" in page
    report.refresh_from_db()
    assert report.status == "open"
    assert meeting.times.get().starts_on == dt.date(2026, 12, 7)


def test_the_review_page_says_how_a_time_repeats(admin_client, monday_and_monthly_wednesday):
    report = times_request(monday_and_monthly_wednesday, [[3, "19:00", "20:00"]])
    page = admin_client.get(review_url(report)).content.decode()
    assert "Monthly, on the 1st and 3rd Wednesday 7:00 PM – 8:00 PM" in page
    assert "Monday 7:00 PM – 8:00 PM" in page


def test_a_new_meeting_with_the_same_time_twice_is_refused_with_a_message(client, phoenix_district):
    data = new_meeting_data(phoenix_district, weekday_1="6", start_1="8:00 am", end_1="1 hour")
    page = client.post(reverse("meetings:add"), data).content.decode()
    assert "This day and time is given twice" in page
    assert not ChangeRequest.objects.exists()


def test_a_stored_request_with_the_same_time_twice_cannot_be_approved_but_says_why(admin_client, phoenix_district):
    request = ChangeRequest.objects.create(
        kind="new", area=phoenix_district,
        proposed={"name": "Twice", "times": [[6, "08:00", None], [6, "08:00", None]], "conference_phone": "+15550100"},
    )
    data = {"_apply": "1", "fields": ["conference_phone"], "seen_version": ""}
    response = admin_client.post(review_url(request), data)
    assert response.status_code == 200
    assert "Two of the times would be the same day and hour" in response.content.decode()
