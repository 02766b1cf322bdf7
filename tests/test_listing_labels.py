"""The labels a card shows are those Django's get_<field>_display() gives, in the active language."""

import pytest
from django.utils import translation

from meetings.cards import choice_label
from meetings.models import Meeting, MeetingTime


@pytest.mark.parametrize("language", ["en", "es"])
def test_choice_labels_match_get_display_for_every_choice(language):
    with translation.override(language):
        for code, _label in Meeting._meta.get_field("language").choices:
            assert str(choice_label(Meeting, "language", code)) == Meeting(language=code).get_language_display()
        for access in Meeting.Access.values:
            assert str(choice_label(Meeting, "access", access)) == Meeting(access=access).get_access_display()
        for day in range(7):
            assert str(choice_label(MeetingTime, "weekday", day)) == MeetingTime(weekday=day).get_weekday_display()


def test_an_unknown_value_shows_as_it_is():
    assert choice_label(Meeting, "language", "xx") == "xx"
