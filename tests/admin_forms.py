"""POST data for an admin form, read from the page a browser would have: what it shows is what it sends."""

import datetime as dt

from django import forms


def change_form_data(response, **overrides):
    """The data a browser posts back unchanged from an admin change (or history) page, with `overrides`."""
    data = {}
    form = response.context["adminform"].form
    add_form_fields(data, form)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        add_form_fields(data, formset.management_form)
        for subform in formset.forms:  # the empty extra rows too: a browser sends their defaults
            add_form_fields(data, subform)
    data.update(overrides)
    return data


def add_form_fields(data, form):
    for name, field in form.fields.items():
        bound = form[name]
        value = bound.value()
        if isinstance(field.widget, forms.MultiWidget) and not isinstance(value, list | tuple):
            value = field.widget.decompress(value)
        if isinstance(field.widget, forms.MultiWidget):
            for index, part in enumerate(value):
                data[f"{bound.html_name}_{index}"] = text(part)
        elif isinstance(field, forms.BooleanField):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        else:
            data[bound.html_name] = text(value)


def text(value):
    if value is None:
        return ""
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)
