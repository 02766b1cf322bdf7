"""A record's history as a volunteer reads it: one entry per save, in words, in the volunteer's own time zone.

django-simple-history keeps a row per save of each model: a meeting's save
in the admin writes a row for the meeting, one more for each change of its
types (the m2m history), and rows for each weekly time and dated change
(the inlines). Here they are put back together:

- the record's own rows with the same edit `version` are one save (a save and
  the types set after it);
- an inline's rows join the save just before them when the same person made
  them within SAVE_WINDOW and that save has not written the same row already
  (the admin saves the inlines right after the record, each row once; an
  import writes a meeting's times right after the meeting); otherwise they
  are an entry of their own (a change made outside the admin).

An entry is shown only if the record as it was then belongs to the user's
areas (the rule of groups/scope.py): a meeting's past in another area stays
hidden, with its times.

Times of day are written in the clock of the record's area; the moment of a
save in the zone of the volunteer's own area (their first membership's),
or the server's for a superuser without one, and the page says which.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, get_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords
from simple_history.utils import get_m2m_reverse_field_name

from groups.versions import shown as shown_value
from groups.versions import version_field

SAVE_WINDOW = dt.timedelta(minutes=2)
# What a volunteer does not type, or sees elsewhere on the page: not a change worth a line.
UNSHOWN = {"version", "updated_at", "updated_by", "created_at", "created_by", "source_fingerprint", "feed_slug"}


@dataclass
class Line:
    label: str
    old: str = ""
    new: str = ""
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)


@dataclass
class Entry:
    records: list = field(default_factory=list)  # the record's own history rows
    inline_records: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    governing: object = None  # the record's own row that the entry's revert restores
    visible: bool = True
    rows_after: dict = field(default_factory=dict)  # (inline model, pk) -> history row, the inlines after the entry

    @property
    def all_records(self):
        return sorted(self.records + self.inline_records, key=lambda r: (r.history_date, r.history_id))

    @property
    def first(self):
        return self.all_records[0]

    @property
    def last(self):
        return self.all_records[-1]

    @property
    def when(self):
        return self.first.history_date

    @property
    def ends(self):
        return self.last.history_date

    @property
    def user(self):
        return self.first.history_user

    @property
    def kind(self):
        if self.records and self.records[0].history_type == "+":
            return "+"
        if self.records and self.records[-1].history_type == "-":
            return "-"
        return "~"

    @property
    def kind_label(self):
        return {"+": _("Created"), "-": _("Deleted"), "~": _("Changed")}[self.kind]

    @property
    def reasons(self):
        seen = []
        for record in self.all_records:
            reason = record.history_change_reason
            if reason and reason not in seen:
                seen.append(reason)
        return seen

    @property
    def revertable(self):
        """A save of the record itself (not only of its inlines) that did not delete it."""
        return bool(self.records) and self.kind != "-"


def moment(when, zone):
    local = timezone.localtime(when, timezone=zoneinfo.ZoneInfo(zone))
    return date_format(local, get_format("DATETIME_FORMAT") + " T")


def build_entries(model_admin, obj_pk, twelve_hour=True, is_visible=lambda record: True):
    """Every save of the record with primary key `obj_pk`, oldest first, each with its lines in words."""
    model = model_admin.model
    history = model.history.filter(**{model._meta.pk.attname: obj_pk}).select_related("history_user")
    own = list(history.order_by("history_date", "history_id"))
    m2m = m2m_snapshots(model, own)
    inlines = model_admin.inline_histories()
    inline_rows = []
    for inline_model, fk in inlines:
        rows = inline_model.history.filter(**{fk: obj_pk}).select_related("history_user")
        inline_rows.extend((inline_model, row) for row in rows)
    merged = sorted(
        [(None, r) for r in own] + inline_rows, key=lambda pair: (pair[1].history_date, pair[0] is not None)
    )

    entries, current = [], None
    versioned = version_field(model) is not None
    for inline_model, row in merged:
        if inline_model is None:
            key = getattr(row, version_field(model).attname) if versioned else row.history_id
            # One save may write the record twice (its fields, then its types), never by two people or minutes
            # apart: an import's bulk rows keep the version they found, yet are a save of their own.
            same = (
                current is not None
                and current.records
                and current_key(current, model, versioned) == key
                and current.records[-1].history_user_id == row.history_user_id
                and row.history_date - current.records[-1].history_date <= SAVE_WINDOW
            )
            if not same:
                current = Entry()
                entries.append(current)
            current.records.append(row)
            current.governing = row
        else:
            joins = (
                current is not None
                and current.last.history_user_id == row.history_user_id
                and row.history_date - current.last.history_date <= SAVE_WINDOW
                and row_key(row) not in {row_key(r) for r in current.inline_records}
            )
            if not joins:
                governing = current.governing if current is not None else None
                current = Entry(governing=governing)
                entries.append(current)
            current.inline_records.append(row)

    describe(model, entries, m2m, twelve_hour)
    previous_visible = True
    for entry in entries:
        entry.visible = entry.governing is not None and is_visible(entry.governing)
        if entry.visible and not previous_visible:
            # What it was before it came into the user's areas belongs to another area: only what it became.
            for line in entry.lines:
                line.old, line.removed = "", []
        previous_visible = entry.visible
    return entries


def row_key(row):
    """(model, primary key) of the row a history row records."""
    model = type(row).instance_type
    return (model, getattr(row, model._meta.pk.attname))


def current_key(entry, model, versioned):
    return getattr(entry.records[-1], version_field(model).attname) if versioned else entry.records[-1].history_id


def m2m_snapshots(model, records):
    """{history_id: {field name: set of related ids}} for the record's m2m fields with history (a meeting's types)."""
    snapshots = {r.history_id: {} for r in records}
    for m2m_field in getattr(model.history.model, "_history_m2m_fields", []):
        through = HistoricalRecords.m2m_models[m2m_field]
        target = get_m2m_reverse_field_name(m2m_field)
        rows = through.objects.filter(history_id__in=list(snapshots)).values_list("history_id", f"{target}_id")
        for record in records:
            snapshots[record.history_id][m2m_field.name] = set()
        for history_id, related_id in rows:
            snapshots[history_id][m2m_field.name].add(related_id)
    return snapshots


def describe(model, entries, m2m, twelve_hour):
    """Fill each entry's lines: the record's fields, its m2m lists, then its inlines' rows, old → new."""
    names = RelatedNames()
    before_own = None
    inline_state = {}  # (model, pk) -> latest history row
    for entry in entries:
        lines = []
        if entry.records:
            after_own = entry.records[-1]
            if before_own is not None and entry.kind == "~":
                lines.extend(field_lines(model, before_own, after_own, names))
            old_sets = m2m.get(before_own.history_id, {}) if before_own is not None else {}
            for name, new_ids in m2m.get(after_own.history_id, {}).items():
                old_ids = old_sets.get(name, set())
                if old_ids != new_ids:
                    m2m_field = model._meta.get_field(name)
                    lines.append(
                        Line(
                            capfirst(m2m_field.verbose_name),
                            added=names.many(m2m_field.related_model, new_ids - old_ids),
                            removed=names.many(m2m_field.related_model, old_ids - new_ids),
                        )
                    )
            before_own = after_own
        changed_inlines = {}
        for row in sorted(entry.inline_records, key=lambda r: (r.history_date, r.history_id)):
            key = row_key(row)
            changed_inlines.setdefault(key, inline_state.get(key))
            inline_state[key] = row
        for (inline_model, _pk), old in changed_inlines.items():
            new = inline_state[(inline_model, _pk)]
            lines.extend(inline_lines(inline_model, old, new, twelve_hour))
        entry.lines = lines
        entry.rows_after = dict(inline_state)


def field_lines(model, old, new, names):
    lines = []
    for model_field in model._meta.concrete_fields:
        if model_field.name in UNSHOWN or model_field.primary_key or not hasattr(new, model_field.attname):
            continue
        before, after = getattr(old, model_field.attname, None), getattr(new, model_field.attname)
        if before == after or (before in (None, "") and after in (None, "")):
            continue
        lines.append(
            Line(
                capfirst(model_field.verbose_name), words(model_field, before, names), words(model_field, after, names)
            )
        )
    return lines


def words(model_field, value, names):
    if value is None or value == "":
        return "—"
    if model_field.is_relation:
        return names.one(model_field.related_model, value)
    if isinstance(model_field, models.DateTimeField):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(model_field, models.DateField):
        return date_format(value, "DATE_FORMAT")
    return shown_value(model_field, value)


def inline_lines(inline_model, old, new, twelve_hour):
    """An inline row, old → new: "Thursday: 12:30 PM–1:30 PM → 1:00 PM–2:00 PM"; "+ …" or "− …" if added or removed."""
    label = capfirst(inline_model._meta.verbose_name_plural)
    was = None if old is None or old.history_type == "-" else parts(old.instance, twelve_hour)
    now = None if new.history_type == "-" else parts(new.instance, twelve_hour)
    if was == now:
        return []
    if was is None:
        return [Line(label, added=[" ".join(now)])]
    if now is None:
        return [Line(label, removed=[" ".join(was)])]
    if was[0] == now[0]:
        return [Line(was[0], was[1], now[1])]
    return [Line(label, " ".join(was), " ".join(now))]


def parts(instance, twelve_hour):
    """(what, when) of an inline row, e.g. ("Thursday", "12:30 PM–1:30 PM"), from its own describe() if it has one."""
    if hasattr(instance, "history_parts"):
        return tuple(str(p) for p in instance.history_parts(twelve_hour))
    return (str(instance), "")


class RelatedNames:
    """Names of related records, each read once (a meeting's location, a type), "(deleted)" when gone."""

    def __init__(self):
        self.cache = {}

    def one(self, model, pk):
        if (model, pk) not in self.cache:
            try:
                self.cache[(model, pk)] = str(model._base_manager.get(pk=pk))
            except (ObjectDoesNotExist, ValueError):
                self.cache[(model, pk)] = _("(deleted: #%(pk)s)") % {"pk": pk}
        return self.cache[(model, pk)]

    def many(self, model, pks):
        missing = [pk for pk in pks if (model, pk) not in self.cache]
        for obj in model._base_manager.filter(pk__in=missing):
            self.cache[(model, obj.pk)] = str(obj)
        return sorted(self.one(model, pk) for pk in pks)


def entry_for_version(entries, version_id):
    """The entry whose own rows include history row `version_id` (the latest such), or None."""
    found = None
    for entry in entries:
        if any(r.history_id == version_id for r in entry.records):
            found = entry
    return found


def restore_inlines(model_admin, obj, entry, user, reason):
    """Put the record's inline rows (a meeting's times, its dated changes) back as they were after `entry`.

    Rows added since are deleted, rows changed or deleted since are written back
    with their old primary key (so a time keeps its feed slug and its dated
    changes), each with its own history row by `user` and `reason`.
    """
    inlines = model_admin.inline_histories()
    wanted = {}
    for inline_model, _fk in inlines:
        wanted[inline_model] = {
            pk: row for (m, pk), row in entry.rows_after.items() if m is inline_model and row.history_type != "-"
        }
    for inline_model, fk in reversed(inlines):
        for extra in inline_model._base_manager.filter(**{fk: obj.pk}).exclude(pk__in=list(wanted[inline_model])):
            extra._history_user, extra._change_reason = user, reason
            extra.delete()
    for inline_model, fk in inlines:
        current = {row.pk: row for row in inline_model._base_manager.filter(**{fk: obj.pk})}
        for pk, row in sorted(wanted[inline_model].items(), key=lambda item: str(item[0])):
            instance = restorable(row.instance, current.get(pk))
            if pk in current and same_values(current[pk], instance):
                continue
            instance._history_user, instance._change_reason = user, reason
            instance.save()


BOOKKEEPING = {"version", "updated_at", "updated_by", "created_at", "created_by"}


def restorable(instance, now):
    """A row as a version had it, keeping today's bookkeeping (who made it, when) and no link to a row gone since.

    A user deleted since (a dated change's author) would otherwise be written back as a dangling key.
    """
    for f in type(instance)._meta.concrete_fields:
        value = getattr(instance, f.attname)
        if now is not None and f.name in BOOKKEEPING:
            setattr(instance, f.attname, getattr(now, f.attname))
        elif f.is_relation and f.null and value is not None and gone_since(f, value):
            setattr(instance, f.attname, None)
    return instance


def gone_since(field, value):
    return not field.related_model._base_manager.filter(pk=value).exists()


def same_values(a, b):
    return all(getattr(a, f.attname) == getattr(b, f.attname) for f in type(a)._meta.concrete_fields)


def restored_summary(model_admin, entry, twelve_hour):
    """What a revert to `entry` puts back besides the form's fields: "Times: Thursday 12:30 PM–1:30 PM"."""
    lines = []
    for inline_model, _fk in model_admin.inline_histories():
        rows = [row for (m, _pk), row in entry.rows_after.items() if m is inline_model and row.history_type != "-"]
        described = sorted(" ".join(parts(row.instance, twelve_hour)).strip() for row in rows)
        lines.append(Line(capfirst(inline_model._meta.verbose_name_plural), new=", ".join(described) or "—"))
    return lines


def m2m_initial(record):
    """The form's initial m2m values for a history row: the types the meeting had then, not now."""
    snapshot = m2m_snapshots(type(record).instance_type, [record])
    return {name: sorted(ids) for name, ids in snapshot[record.history_id].items()}
