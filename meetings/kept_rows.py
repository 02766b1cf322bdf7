"""The rows a page shows, kept in the cache under the listings version: read by id, not built again from SQL.

A search reads its matches' ids, then its page's rows by id
(pagination.page_with_total): a date with its time, meeting, place and
change (select_related), and on some pages prefetched types. Building those
models from SQL cost more than finding the matches: 5-7 ms for 25 rows at
100,000 meetings, where unpickling the same rows from the cache takes about
1 ms. A row changes only with the listings: every save bumps their version,
and dates are written anew, with new ids, when their meeting changes. So
rows are kept under the version for an hour (the cards' fixed parts, in
card_parts.py, for a day), and a page reads those it finds with one
cache.get_many. A meeting's page keeps the meeting (with its place, times,
types and dated changes) and its neighbours at the same place the same
way: 1 query (its next dates) rather than 7.

kept() is the same keeping for any values read by id: the API keeps each
result whole, with its coming dates and type codes (meetings/api.py), and
results and area pages what their cards need of each date
(meetings/card_dates.py), the models kept here beside it. Its
keys hold the release's fingerprint (release.py): a shared cache outlives a
deploy, and a value shaped by one release's code (the API's results, written
as it gives them) is never read by another's.

Rows are kept before the search's own values (a distance from the
visitor's point) are set on them: what is kept is the same for every
search, and a visitor's point is never stored.
"""

import datetime as dt
import enum
import hashlib
import uuid
from decimal import Decimal
from functools import cache as once

import django
from django.apps import apps
from django.core.cache import cache
from django.db.models import Prefetch
from django.db.models.expressions import Col
from django.db.models.lookups import Lookup
from django.db.models.sql.where import WhereNode

from meetings import release
from meetings.freshness import versioned_key

# An hour: every save starts a new version, and the rows kept under the old one stay in the cache, unread,
# until they expire. Rows cost a few ms to read again; an hour bounds what a busy day of edits leaves behind.
SECONDS = 3600
PLAIN = (str, int, float, bool, Decimal, dt.date, dt.time, dt.datetime, dt.timedelta, uuid.UUID, enum.Enum, type(None))


def in_bulk(rows, ids, field_name="pk"):
    """{id: row} of `rows` (a queryset) for `ids` (values of `field_name`, unique): those kept read from the
    cache, the others from the database and kept. Querysets whose shape cannot be named safely (see
    shape_of) are read from the database."""
    return kept_for(rows, ids, lambda some: rows.in_bulk(some, field_name=field_name), field_name=field_name)


def kept_for(rows, ids, read, kind="rows", field_name="pk"):
    """kept() of what `read(ids)` makes of `rows` (a queryset) by id, named by the rows' shape: read at once,
    never kept, when `rows` cannot be named (shape_of). The API keeps its results so (meetings/api.py)."""
    shape = shape_of(rows)
    if shape is None or not ids:
        return read(ids)
    return kept(f"{kind}:{shape}:{field_name}", ids, read)


def kept(kind, ids, read):
    """{id: value} for `ids`: those kept under the listings version read with one cache.get_many, the others
    from `read(missing ids)` ({id: value}, read from the database) and kept.

    The key's version is taken before anything is read: what is read while an edit is under way is kept under
    a version the edit ends. Values are pickled when kept, before the caller sets a search's own values on them.
    """
    prefix = f"{versioned_key(kind)}:{release.fingerprint()}"
    keys = {value: f"{prefix}:{value}" for value in ids}
    found = cache.get_many(list(keys.values()))
    by_value = {value: found[key] for value, key in keys.items() if key in found}
    missing = [value for value in ids if value not in by_value]
    if missing:
        read_now = read(missing)
        cache.set_many({keys[value]: row for value, row in read_now.items()}, SECONDS)
        by_value.update(read_now)
    return by_value


def listed(rows):
    """list(rows), kept under the listings version like in_bulk's rows (read from the database if it cannot be
    named)."""
    shape = shape_of(rows)
    if shape is None:
        return list(rows)
    key = f"{versioned_key(f'rows:{shape}')}:{release.fingerprint()}:list"
    found = cache.get(key)
    if found is None:
        found = list(rows)
        cache.set(key, found, SECONDS)
    return found


def shape_of(rows):
    """A short name for what `rows` reads (model, conditions, related rows, prefetches, order and slice), or
    None if it cannot be named without running a query: a condition on a subquery, a Prefetch with its own
    queryset, deferred columns, annotations or extras."""
    query = rows.query
    if query.annotations or query.extra or query.deferred_loading != (frozenset(), True) or query.distinct:
        return None
    conditions = plain_conditions(query.where)
    if conditions is None:
        return None
    prefetches = []
    for lookup in rows._prefetch_related_lookups:
        if isinstance(lookup, str):
            prefetches.append(lookup)
        elif isinstance(lookup, Prefetch) and lookup.queryset is None:
            prefetches.append(f"{lookup.prefetch_through}>{lookup.to_attr}")
        else:
            return None
    order = (query.order_by, query.default_ordering, query.standard_ordering, query.low_mark, query.high_mark)
    described = repr((rows.model._meta.label, conditions, sorted_tree(query.select_related), prefetches, order))
    return hashlib.sha256(f"{schema()}:{described}".encode()).hexdigest()[:16]


def plain_conditions(node):
    """The WHERE tree as text, if each condition compares a column with plain values, else None: an
    expression's text may not name it the same way twice (an object's address), or may run a query."""
    parts = []
    for child in node.children:
        if isinstance(child, WhereNode):
            part = plain_conditions(child)
            if part is None:
                return None
            parts.append(part)
        elif isinstance(child, Lookup) and isinstance(child.lhs, Col) and plain(child.rhs):
            parts.append(repr(child))  # Exact(Col(meetings_meeting, meetings.Meeting.status), 'archived')
        else:
            return None
    return f"{node.connector}{'!' if node.negated else ''}({', '.join(parts)})"


def plain(value):
    if isinstance(value, (list, tuple, set, frozenset)):
        return all(isinstance(item, PLAIN) for item in value)
    return isinstance(value, PLAIN)


def sorted_tree(related):
    if not isinstance(related, dict):
        return repr(related)
    return [(name, sorted_tree(related[name])) for name in sorted(related)]


@once
def schema():
    """The listings' models as this release has them, and Django's version: a kept row pickled by another
    release (a shared cache outlives a deploy) is never read by this one."""
    fields = [
        (model._meta.label, [field.attname for field in model._meta.concrete_fields])
        for app in ("meetings", "groups")
        for model in apps.get_app_config(app).get_models()
    ]
    return hashlib.sha256(repr((django.__version__, fields)).encode()).hexdigest()[:12]
