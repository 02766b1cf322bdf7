"""Meeting cards: `{% meeting_cards rows %}`.

Each card is its fixed parts (includes/meeting_card_fixed.html, kept in the
cache by meetings/card_parts.py) and, between them, what changes by the
minute (under way, starting soon, Join) or with the search (distance, other
times), written here in Python. As a template loop the live parts cost more
than the rest of a 100-card page: each card looked up a dozen variables
through the template engine. The HTML is what that template wrote.
"""

from urllib.parse import quote

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape as escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from meetings import card_dates, card_parts

register = template.Library()


@register.simple_tag
def meeting_cards(rows, show_day=False, units_label=""):
    """The <li> cards of `rows`; `show_day`: each card names its day; `units_label`: of the distances."""
    show_day = bool(show_day)
    unattached = [row for row in rows if not attached(row, show_day)]
    gone = {id(row) for row in card_dates.make_whole(unattached)}  # one read for all their models, as attach()
    return mark_safe("".join(card(row, fixed_parts(row, show_day), units_label) for row in rows if id(row) not in gone))


def attached(row, show_day):
    return row.fixed is not None and row.fixed[0] == show_day


def fixed_parts(row, show_day):
    """The parts card_parts.attach() found for the page, else rendered now."""
    if attached(row, show_day):
        return row.fixed[1]
    return card_parts.Parts(*(mark_safe(part) for part in card_parts.render(row, show_day)))


def card(row, fixed, units_label):
    in_progress, minutes_to_start = row.in_progress, row.minutes_to_start
    html = ['\n<li class="meeting-card', " in-progress" if in_progress else "", fixed.head]
    if in_progress:
        n = row.minutes_since_start
        started = ngettext("started %(n)s min ago", "started %(n)s min ago", n) % {"n": localize(n)}
        html.append(f'<p class="now"><strong>{escape(gettext("In progress"))}</strong> · {started}</p>\n  ')
    elif minutes_to_start:
        n = minutes_to_start
        soon = ngettext("Starts in %(n)s min", "Starts in %(n)s min", n) % {"n": localize(n)}
        html.append(f'<p class="now"><strong>{soon}</strong></p>')
    html.append(fixed.middle)
    if row.distance is not None:
        html.append(f' <span class="distance">· {escape(localize(row.distance))} {escape(units_label)}</span>')
    html.append("</p>\n  ")
    if row.other_times:
        also = "; ".join(escape(line) for line in row.other_times)
        html.append(f'<p class="also">{escape(gettext("Also meets:"))} {also}</p>')
    html.append(fixed.tail)
    if (in_progress or minutes_to_start) and row.meeting.status == "active":
        html.append(join_button(row.meeting))
    html.append("\n</li>\n\n")
    return "".join(html)


def join_button(meeting):
    if meeting.conference_url:
        return (
            f'<p class="card-actions"><a class="button join" href="{escape(meeting.conference_url)}"'
            f' rel="noopener noreferrer">{escape(gettext("Join"))}</a></p>'
        )
    if meeting.conference_phone:
        number = escape(quote(meeting.conference_phone, safe="+,*"))
        return f'<p class="card-actions"><a class="button join" href="tel:{number}">{escape(gettext("Call"))}</a></p>'
    return ""
