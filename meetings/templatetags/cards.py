from django import template
from django.utils.safestring import mark_safe

from meetings import card_parts

register = template.Library()


@register.simple_tag
def fixed_parts(row, show_day=False):
    """{% fixed_parts row show_day as fixed %}: the parts card_parts.attach() found for the page, else rendered now."""
    show_day = bool(show_day)
    if row.fixed is not None and row.fixed[0] == show_day:
        return row.fixed[1]
    return card_parts.Parts(*(mark_safe(part) for part in card_parts.render(row, show_day)))
