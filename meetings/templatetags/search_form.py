"""The search form of the results page, written out in Python: `{% search_form %}`.

Each option costs a template loop's round of variable lookups and tags, and
each Django widget a sub-template or two; with some 110 options (57 areas
at 100,000 meetings) and five inputs that was most of the form's rendering.
Then the form's template itself, some forty tags and variables, was a
third of the results page's rendering (0.9 of 2.5 ms): its words and its
address are the same for every visitor in a language, so they are looked
up once per language and process (`form_words`), and the form is joined
from them and the search's own values. The HTML is what the template
(includes/filter_form.html until 28 November 2026) and the widgets wrote:
`options()` for a select's options, `checkboxes()` for a group of
checkboxes, `plain_input()` for a text, time or hidden input.
"""

import functools
from typing import NamedTuple

from django import template
from django.core.signals import setting_changed
from django.template.base import render_value_in_context
from django.urls import get_script_prefix, reverse
from django.utils.html import conditional_escape as escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext

register = template.Library()


def options(control):
    """<option>s of a MeetingFilter.controls Control."""
    chosen = control.chosen
    return mark_safe(
        "".join(
            f'<option value="{value_html}"{" selected" if value in chosen else ""}>{label_html}</option>'
            for value, value_html, label_html in control.table
        )
    )


def checkboxes(name, control):
    """A checkbox with its label for each choice of a MeetingFilter.controls Control, all named `name`."""
    name, chosen = escape(name), control.chosen
    boxes = "".join(
        f'<label><input type="checkbox" name="{name}" value="{value_html}"{" checked" if value in chosen else ""}>'
        f" {label_html}</label>"
        for value, value_html, label_html in control.table
    )
    return mark_safe(f'<div class="choices"><div>{boxes}</div></div>')


def plain_input(field, kind, maxlength=None):
    """The <input> of a bound form field, what its Django widget writes, without a sub-template per input.

    A refused value is marked aria-invalid; the page says why in its notice at the top.
    """
    value = field.value()
    attrs = [f'type="{kind}"', f'name="{field.html_name}"']
    if value not in (None, ""):
        attrs.append(f'value="{escape(value)}"')
    if maxlength:
        attrs.append(f'maxlength="{int(maxlength)}"')
    if field.errors:
        attrs.append('aria-invalid="true"')
    attrs.append(f'id="{field.auto_id}"')
    return mark_safe(f"<input {' '.join(attrs)}>")


@register.simple_tag(takes_context=True)
def search_form(context, open_filters=False):
    """The results page's search form for `context["search"]` (a MeetingFilter); `open_filters`: its filters shown.

    The words come from form_words(); every value the visitor sent is escaped
    here or by plain_input(), as the template's variables were.
    """
    search, words = context["search"], form_words(get_language(), get_script_prefix())

    def shown(value):  # as the template's variables wrote it: localized, escaped
        return render_value_in_context(value, context)

    form, controls, chips = search.form, search.controls, context.get("chips")
    near = form["near"]
    near_errors = near.errors
    html = [
        f'\n<form class="search-form" action="{words.action}" method="get" role="search" data-search-form>\n',
        '  <div class="search-box">\n',
        f'    <label for="id_near">{shown(context.get("place_prompt", ""))}</label>\n',
        '    <div class="search-row">\n',
        f'      <input type="search" name="near" id="id_near" value="{shown(near.value() or "")}" maxlength="200"'
        ' autocomplete="postal-code"\n        ',
        'aria-invalid="true" aria-describedby="near-error"' if near_errors else "",
        f'>\n      <button type="submit">{words.search}</button>\n',
        "    </div>\n    ",
        f'<p class="field-error" id="near-error">{shown(near_errors[0])}</p>'
        if near_errors and not search.place_missing
        else "",
        f'\n    <button type="button" class="secondary locate" data-locate hidden data-finding="{words.finding}"'
        f' data-failed="{words.failed}">{words.locate}</button>\n',
        '    <p class="locate-status" data-locate-status role="status" aria-live="polite"></p>\n',
        f"    {plain_input(form['lat'], 'hidden')}{plain_input(form['lng'], 'hidden')}"
        f"{plain_input(form['tz'], 'hidden')}\n",
        "  </div>\n",
        f'  <details class="filters"{" open" if open_filters else ""}>\n',
        f"    <summary>{words.more_filters}",
        f" {active_filters(len(chips), context)}" if chips else "",
        "</summary>\n",
        '    <div class="grid">\n',
        f'      <div><label for="id_radius">{words.within}</label>\n',
        '        <div class="search-row"><input type="number" name="radius" id="id_radius" min="0.1" max="500"'
        f' step="any" value="{shown(form["radius"].value() or "")}" placeholder="10" inputmode="decimal">\n',
        f'        <label class="visually-hidden" for="id_units">{words.units}</label><select name="units"'
        f' id="id_units">{options(controls["units"])}</select></div></div>\n',
        f'      <div><label for="id_q">{words.words}</label>{plain_input(form["q"], "text", maxlength=200)}</div>\n',
        f'      <div><label for="id_after">{words.after}</label>{plain_input(form["after"], "time")}</div>\n',
        f'      <div><label for="id_sort">{words.sort}</label><select name="sort" id="id_sort">'
        f"{options(controls['sort'])}</select></div>\n",
        "    </div>\n",
        f"    <fieldset><legend>{words.day}</legend>{checkboxes('day', controls['day'])}</fieldset>\n",
        f"    <fieldset><legend>{words.time}</legend>{checkboxes('time', controls['time'])}\n",
        '      <label class="inline"><input type="checkbox" name="upcoming" value="1"',
        " checked" if search.cleaned.get("upcoming") else "",
        f"> {words.upcoming}</label>\n",
        "    </fieldset>\n",
        f"    <fieldset><legend>{words.attend}</legend>{checkboxes('attendance', controls['attendance'])}</fieldset>\n",
        f"    <fieldset><legend>{words.type}</legend>{checkboxes('type', controls['type'])}</fieldset>\n",
        '    <div class="grid">\n',
        f'      <div><label for="id_access">{words.access}</label><select name="access" id="id_access">'
        f"{options(controls['access'])}</select></div>\n",
        f'      <div><label for="id_lang">{words.language}</label><select name="lang" id="id_lang">'
        f"{options(controls['lang'])}</select></div>\n",
        f'      <div><label for="id_area">{words.area}</label><select name="area" id="id_area">'
        f"{options(controls['area'])}</select></div>\n",
        "    </div>\n",
        f'    <p><button type="submit">{words.show}</button></p>\n',
        "  </details>\n",
        "</form>\n",
    ]
    return mark_safe("".join(html))


def active_filters(n, context):
    return ngettext("(%(n)s active)", "(%(n)s active)", n) % {"n": render_value_in_context(n, context)}


class FormWords(NamedTuple):
    """The form's address and words in one language: shared by every page in it, so never changed."""

    action: str
    search: str
    finding: str
    failed: str
    locate: str
    more_filters: str
    within: str
    units: str
    words: str
    after: str
    sort: str
    day: str
    time: str
    upcoming: str
    attend: str
    type: str
    access: str
    language: str
    area: str
    show: str


@functools.lru_cache(maxsize=16)
def form_words(language, script_prefix):
    """The form's words and address in `language` (the one active), as its template's {% translate %} wrote them.

    Written as they are, not escaped, as Django writes a translated template
    literal: translators' text is the site's own, like the template's.
    """
    return FormWords(
        action=escape(reverse("meetings:list")),
        search=gettext("Search"),
        finding=gettext("Finding your location…"),
        failed=gettext("We couldn't get your location. Type a ZIP code or a city instead."),
        locate=gettext("Use my location"),
        more_filters=gettext("More filters"),
        within=gettext("Within"),
        units=gettext("Units"),
        words=gettext("Words (meeting, group, place)"),
        after=gettext("Starting at or after"),
        sort=gettext("Sort by"),
        day=gettext("Day"),
        time=gettext("Time of day"),
        upcoming=gettext("Only meetings under way or starting in the next 24 hours"),
        attend=gettext("How to attend"),
        type=gettext("Meeting type"),
        access=gettext("Open or closed"),
        language=gettext("Language"),
        area=gettext("Service area"),
        show=gettext("Show meetings"),
    )


def forget_form_words(**kwargs):
    """A changed setting (the URLs, the default language, the catalogues' paths) may change the address or words."""
    form_words.cache_clear()


setting_changed.connect(forget_form_words, dispatch_uid="search-form-words")
