"""Join links cannot look like one address and lead to another (invisible characters, mixed alphabets)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.models import validate_join_url
from tests.factories import make_meeting, meeting_change_form

CYRILLIC_O = "\u043e"


def refusal(value):
    with pytest.raises(ValidationError) as caught:
        validate_join_url(value)
    return caught.value


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\u200b", "ZERO WIDTH SPACE"),
        ("\u200c", "ZERO WIDTH NON-JOINER"),
        ("\u200d", "ZERO WIDTH JOINER"),
        ("\u2060", "WORD JOINER"),
        ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"),
        ("\u00ad", "SOFT HYPHEN"),
        ("\u202e", "RIGHT-TO-LEFT OVERRIDE"),
        ("\u2066", "LEFT-TO-RIGHT ISOLATE"),
        ("\u200f", "RIGHT-TO-LEFT MARK"),
        ("\u3164", "HANGUL FILLER"),
        ("\ufe0f", "VARIATION SELECTOR-16"),
        ("\u034f", "COMBINING GRAPHEME JOINER"),
    ],
)
def test_an_invisible_character_in_the_host_is_refused(char, name):
    error = refusal(f"https://zo{char}om.us/j/123456")
    assert error.code == "invisible_character"
    assert name in error.messages[0]
    assert "nobody can see" in error.messages[0]


def test_an_invisible_character_anywhere_in_the_link_is_refused():
    assert refusal("https://zoom.us/j/123\u200b456").code == "invisible_character"


@pytest.mark.parametrize(
    ("link", "scripts"),
    [
        (f"https://z{CYRILLIC_O}om.us/j/123", "Cyrillic, Latin"),
        (f"https://meet.g{CYRILLIC_O}{CYRILLIC_O}gle.com/abc", "Cyrillic, Latin"),
        ("https://teams.micr\u03bfsoft.com/l/meetup", "Greek, Latin"),  # Greek omicron
        ("https://zoom.\u0455u/x", None),  # one Cyrillic letter and a Latin one in the same label: "ѕu"
    ],
)
def test_a_host_that_mixes_alphabets_in_a_label_is_refused(link, scripts):
    error = refusal(link)
    assert error.code == "mixed_scripts"
    assert "mixes alphabets" in error.messages[0]
    if scripts:
        assert f"({scripts})" in error.messages[0]


def test_the_punycode_spelling_of_a_mixed_label_is_refused_too():
    label = "xn--" + f"z{CYRILLIC_O}om".encode("punycode").decode()
    assert refusal(f"https://{label}.us/j/1").code == "mixed_scripts"


def test_a_broken_punycode_label_is_refused_with_a_message():
    assert refusal("https://xn--99999999999.example/").code == "bad_host"


@pytest.mark.parametrize(
    "link",
    [
        "https://us02web.zoom.us/j/85551234567?pwd=AbC123",
        "https://meet.google.com/abc-defg-hij",
        "https://meet.jit.si/HA-Hope-on-Main",
        "https://teams.microsoft.com/l/meetup-join/19%3ameeting",
        "https://m\u00fcnchen.example/treffen",  # Latin with an accent
        "https://\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444/meet",  # all Cyrillic
        "https://\u4f8b\u3048.jp/kaigi",  # Han and Hiragana, as Japanese writes
        "https://\ud55c\uad6d.kr/x",  # Hangul
    ],
)
def test_ordinary_links_and_single_alphabet_hosts_pass(link):
    validate_join_url(link)


def test_the_admin_refuses_a_spoofed_link_with_the_message_and_keeps_the_form(client, django_user_model, arizona):
    superuser = django_user_model.objects.create_superuser("root", "root@example.org", "a-long-passphrase-1")
    client.force_login(superuser)
    meeting = make_meeting(arizona)
    spoofed = f"https://z{CYRILLIC_O}om.us/j/123"
    response = client.post(
        reverse("admin:meetings_meeting_change", args=[meeting.pk]),
        meeting_change_form(meeting, conference_url=spoofed, name="Renamed"),
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "mixes alphabets" in form.errors["conference_url"][0]
    assert form["name"].value() == "Renamed"
    meeting.refresh_from_db()
    assert meeting.conference_url == ""
