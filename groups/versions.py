"""Optimistic concurrency for the volunteers' admin: nobody's save silently undoes another's.

Every versioned record carries `version`, raised by one on every save(), from
the admin, an import or a command alike. The admin's change form carries the
version the volunteer opened (`seen_version`, hidden). On save:

1. the form's clean() compares it with the database and, if someone saved
   since, refuses with what changed and who did it, keeping what the
   volunteer typed and the new version, so a second save goes on top;
2. save_model() then claims the row with one compare-and-set UPDATE
   (`... SET version = seen + 1 WHERE pk = ... AND version = seen`) inside the
   admin's transaction, before anything is written. It holds the row until
   the inlines (weekly times, types) are saved and the transaction commits,
   so between two saves of the same version exactly one wins, whatever
   happened between step 1 and step 2. The loser's transaction is rolled back
   and the form is shown again, now with step 1's message.

Bulk updates that bypass save() (the stored search text) do not change the
version: they change nothing a volunteer types.
"""

from django import forms
from django.db import models
from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format, get_format
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SEEN_VERSION = "seen_version"
CONFLICT_RETRIES = 3


class VersionField(models.PositiveIntegerField):
    """A counter raised by one on every save() of an existing row."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", 1)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("verbose_name", gettext_lazy("edit version"))
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        if add:
            return super().pre_save(model_instance, add)
        value = (getattr(model_instance, self.attname) or 0) + 1
        setattr(model_instance, self.attname, value)
        return value


class EditConflict(Exception):
    """Another save claimed the version this one started from."""


def version_field(model):
    return next((f for f in model._meta.concrete_fields if isinstance(f, VersionField)), None)


class VersionedFormMixin(forms.Form):
    """The hidden version the volunteer opened, and the check against the database at clean()."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    describe_conflict = None  # set by VersionedAdminMixin.get_form: (instance, seen) -> message

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # From the database, not the instance: a history page's instance is an old version.
            self.fields[SEEN_VERSION].initial = current_version(self.instance)

    def clean(self):
        data = super().clean()
        seen = data.get(SEEN_VERSION)
        if self.instance.pk is None or seen is None:
            return data
        current = current_version(self.instance)
        if current is not None and current != seen:
            # Show the form again with what was typed, now based on the current version:
            # saving it once more is a deliberate choice made knowing what changed.
            self.data = self.data.copy()
            self.data[self.add_prefix(SEEN_VERSION)] = str(current)
            raise forms.ValidationError(self.describe_conflict(self.instance, seen), code="edit_conflict")
        return data


def current_version(instance):
    field = version_field(type(instance))
    return type(instance)._base_manager.filter(pk=instance.pk).values_list(field.attname, flat=True).first()


class VersionedAdminMixin:
    """For a ModelAdmin whose model has a VersionField: the form carries the version, the save claims it."""

    def is_versioned(self):
        return version_field(self.model) is not None

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.is_versioned():
            return fieldsets
        if any(SEEN_VERSION in (opts.get("fields") or ()) for _name, opts in fieldsets):
            return fieldsets
        return [*fieldsets, (None, {"fields": [SEEN_VERSION], "classes": ["hidden"]})]

    def get_form(self, request, obj=None, **kwargs):
        if self.is_versioned():
            base = kwargs.get("form", self.form)
            attrs = {"describe_conflict": staticmethod(lambda instance, seen: self.describe_conflict(instance, seen))}
            kwargs["form"] = type(base.__name__, (VersionedFormMixin, base), attrs)
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        seen = form.cleaned_data.get(SEEN_VERSION) if change and self.is_versioned() else None
        if seen is not None:
            field = version_field(self.model)
            claimed = (
                self.model._base_manager.filter(pk=obj.pk, **{field.attname: seen}).update(**{field.attname: seen + 1})
            )
            if not claimed:
                raise EditConflict
            setattr(obj, field.attname, seen)  # save() raises it to seen + 1, the version just claimed
        super().save_model(request, obj, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self.retrying_conflicts(super().changeform_view, request, object_id, form_url, extra_context)

    def retrying_conflicts(self, view, request, *args):
        """Run a saving view again when another save won the race: the form then explains what changed."""
        for _attempt in range(CONFLICT_RETRIES):
            try:
                return view(request, *args)  # a saving view runs in a transaction: the loser's is rolled back
            except EditConflict:
                continue
        return HttpResponse(
            _("Others keep saving this record at this very moment. Go back and try again in a minute."), status=409
        )

    def describe_conflict(self, instance, seen):
        return describe_changes_since(instance, seen, self.inline_histories())

    def inline_histories(self):
        """(model, foreign key name) of inlines whose rows have a history, e.g. a meeting's weekly times."""
        found = []
        for inline in self.inlines:
            model = inline.model
            if hasattr(model, "history"):
                fk = next(f for f in model._meta.concrete_fields if f.is_relation and f.related_model is self.model)
                found.append((model, fk.attname))
        return found


def describe_changes_since(instance, seen, inline_histories=()):
    """The refusal message: who saved after version `seen`, when, and what changed since."""
    model = type(instance)
    thing = model._meta.verbose_name
    history = model.history.filter(**{model._meta.pk.attname: instance.pk}).order_by("history_date", "history_id")
    field = version_field(model)
    first_after = history.filter(**{f"{field.attname}__gt": seen}).first()
    latest = history.last()
    if first_after is None or latest is None:
        return _(
            "Someone else saved this %(thing)s while you were editing it. What you typed is still below, not saved: "
            "check it against the saved version (open it in another tab) and save again to keep yours."
        ) % {"thing": thing}
    before = history.filter(history_date__lt=first_after.history_date).last()
    changes = field_changes(before, latest) if before is not None else []
    for related, fk in inline_histories:
        changes.extend(related_changes(related, fk, instance.pk, first_after.history_date))
    values = {
        "thing": thing,
        "user": latest.history_user.get_username() if latest.history_user else "",
        "time": moment(latest.history_date),
        "changes": "; ".join(changes) or _("nothing you can see on this page"),
    }
    if values["user"]:
        message = _("Someone else (%(user)s) saved this %(thing)s at %(time)s — here is what changed: %(changes)s.")
    else:
        message = _("Someone else saved this %(thing)s at %(time)s — here is what changed: %(changes)s.")
    return (message % values) + " " + _(
        "What you typed is still below, not saved: check it and save again to keep your version."
    )


def field_changes(before, after):
    delta = after.diff_against(before, foreign_keys_are_objs=True)
    lines = []
    for change in delta.changes:
        field = type(after).instance_type._meta.get_field(change.field)
        lines.append(f"{capfirst(field.verbose_name)}: {shown(field, change.old)} → {shown(field, change.new)}")
    return lines


def related_changes(model, fk, parent_pk, since):
    """A related list (weekly times) as it was just before `since`, and as it is now, when they differ."""
    then = {}
    for record in model.history.filter(**{fk: parent_pk, "history_date__lt": since}).order_by("history_date"):
        then[getattr(record, model._meta.pk.attname)] = record
    old = [r.instance for r in then.values() if r.history_type != "-"]
    new = list(model._base_manager.filter(**{fk: parent_pk}))
    old_text, new_text = listing(old, model), listing(new, model)
    if old_text == new_text:
        return []
    return [f"{capfirst(model._meta.verbose_name_plural)}: {old_text} → {new_text}"]


def listing(instances, model):
    ordering = [name.lstrip("-") for name in model._meta.ordering]
    ordered = sorted(instances, key=lambda i: tuple(str(getattr(i, name)) for name in ordering))
    return ", ".join(str(i) for i in ordered) or "—"


def shown(field, value):
    if value is None or value == "":
        return "—"
    if isinstance(value, list):  # a many-to-many field: rows of the through table
        related = field.related_model
        names = sorted(str(v) for row in value for v in row.values() if isinstance(v, related))
        return ", ".join(names) or "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return Truncator(str(value)).chars(60)


def moment(when):
    local = timezone.localtime(when)
    if local.date() == timezone.localdate():
        return date_format(local, get_format("TIME_FORMAT") + " T")
    return date_format(local, get_format("DATETIME_FORMAT") + " T")

