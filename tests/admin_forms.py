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
        for subform in formset.initial_forms:
            add_form_fields(data, subform)
    data.update(overrides)
    return data


def add_form_fields(data, form):
    for name, field in form.fields.items():
        bound = form[name]
        value = bound.value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        elif value is None:
            data[bound.html_name] = ""
        elif isinstance(value, dt.time):
            data[bound.html_name] = value.strftime("%H:%M")
        else:
            data[bound.html_name] = str(value)
