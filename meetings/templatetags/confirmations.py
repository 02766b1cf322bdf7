from django import template
from django.utils import timezone

from meetings.confirmations import confirmed_phrase

register = template.Library()


@register.filter
def confirmed_by_group(day):
    """{{ meeting.confirmed_by_group_on|confirmed_by_group }}: "Confirmed by the group 12 days ago"."""
    return confirmed_phrase(day, timezone.localdate()) if day else ""
