"""The search form's inputs and long lists of choices (days, types, languages, areas), written out in Python.

Each option costs a template loop's round of variable lookups and tags, and
each Django widget a sub-template or two; with some 110 options (57 areas
at 100,000 meetings) and five inputs that was most of the form's rendering.
The HTML is what the templates and widgets wrote: `{% options %}` for a
select's options, `{% checkboxes %}` for a group of checkboxes,
`{% plain_input %}` for a text, time or hidden input.
"""

from django import template
from django.utils.html import conditional_escape as escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def options(control):
    """<option>s of a MeetingFilter.controls Control."""
    chosen = control.chosen
    return mark_safe(
        "".join(
            f'<option value="{value_html}"{" selected" if value in chosen else ""}>{label_html}</option>'
            for value, value_html, label_html in control.table
        )
    )


@register.simple_tag
def checkboxes(name, control):
    """A checkbox with its label for each choice of a MeetingFilter.controls Control, all named `name`."""
    name, chosen = escape(name), control.chosen
    boxes = "".join(
        f'<label><input type="checkbox" name="{name}" value="{value_html}"{" checked" if value in chosen else ""}>'
        f" {label_html}</label>"
        for value, value_html, label_html in control.table
    )
    return mark_safe(f'<div class="choices"><div>{boxes}</div></div>')


@register.simple_tag
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
