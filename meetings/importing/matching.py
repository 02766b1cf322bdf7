"""Matching a feed with what we have: sub-areas for its regions, places by what the feed says of them.

Also the fingerprint of a meeting's state, which tells at the next sync whether
the source changed it, or a volunteer here, or both.
"""

import hashlib
from collections import defaultdict

from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from groups.models import ServiceArea
from meetings.models import Location, MeetingType, PinSource
from meetings.slugs import free_slug

MEETING_FIELDS = [
    "name", "notes", "timezone", "access", "language", "status", "other_types", "conference_url",
    "conference_url_notes", "conference_phone", "conference_phone_notes", "venmo", "cashapp", "paypal",
    "group_notes",
]  # fmt: skip
BATCH = 500  # rows written per statement batch and meetings per transaction: a short hold on SQLite's write lock


def plain(value):
    """A choice as its stored text (Status.ARCHIVED and "archived" print differently)."""
    return str(value) if isinstance(value, str) else value


def fingerprint(state):
    return hashlib.sha256(repr(state).encode()).hexdigest()


def type_lookup():
    """{Meeting Guide code: our type id}; where several of ours share a code, the one named like it."""
    lookup = {}
    for t in MeetingType.objects.exclude(mg_code="").order_by("position"):
        if t.mg_code not in lookup or t.code == t.mg_code:
            lookup[t.mg_code] = t.pk
    return lookup


class AreaTree:
    """The target area's sub-areas by name; regions of the feed that have none are created below it."""

    def __init__(self, areas, root, report):
        self.root, self.report = root, report
        self.children = defaultdict(dict)
        for area in areas:
            self.children[area.parent_id][area.name.casefold()] = area
        self.slugs = {area.slug for area in areas}
        self.new = []

    def for_path(self, regions):
        node = self.root
        path = [self.root.name]
        for name in regions:
            key = node.pk if node.pk else id(node)
            found = self.children[key].get(name.casefold())
            path.append(name)
            if found is None:
                found = ServiceArea(
                    name=name,
                    slug=free_slug(slugify(name)[:110] or "region", self.slugs, 120),
                    parent=node,
                    level=ServiceArea.Level.DISTRICT,
                    timezone=node.timezone,
                )
                self.children[key][name.casefold()] = found
                self.new.append(found)
                self.report.new_areas.append(" › ".join(path))
            node = found
        return node

    def create(self):
        for area in self.new:  # parents first: in the order they were met
            area.parent = area.parent
            area.save()


class Places:
    """Locations found by everything the feed says of them; a place told two ways is kept twice, and reported."""

    FIELDS = ("name", "address", "city", "state", "postal_code", "country", "latitude", "longitude",
              "approximate", "notes")  # fmt: skip

    def __init__(self, existing, candidates, report):
        self.report = report
        self.by_key, self.by_identity = {}, defaultdict(list)
        for location in existing:
            values = {name: getattr(location, name) for name in self.FIELDS}
            self.by_key[self.key(values)] = location
            self.by_identity[self.identity(values)].append(location)
        variants = defaultdict(dict)
        for candidate in candidates:
            if candidate.place:
                variants[self.identity(candidate.place)].setdefault(self.key(candidate.place), candidate.numbers[0])
        self.told_twice = {identity for identity, keys in variants.items() if len(keys) > 1}
        for identity in self.told_twice:
            rows = ", ".join(str(n) for n in sorted(variants[identity].values()))
            self.report.notes.append(
                _(
                    "The place '%(place)s' is described in different ways (directions, pin or 'approximate') "
                    "by rows %(rows)s: each way is kept as its own location; merge them in the admin if they are one."
                )
                % {"place": ", ".join(part for part in identity[:3] if part), "rows": rows}
            )
        self.new, self.changed = [], []

    def key(self, values):
        return tuple(values.get(name) if values.get(name) is not None else "" for name in self.FIELDS)

    def identity(self, values):
        return tuple(values.get(name) or "" for name in ("name", "address", "city", "postal_code", "country"))

    def find(self, place, area):
        key = self.key(place)
        location = self.by_key.get(key)
        if location is not None:
            return location
        identity = self.identity(place)
        same = self.by_identity.get(identity, [])
        if identity not in self.told_twice and len(same) == 1 and same[0].pk is not None:
            location = same[0]  # the source moved the pin or changed the directions
            manual = location.pin_source == PinSource.MANUAL
            for name in self.FIELDS:
                if not (manual and name in ("latitude", "longitude")):
                    setattr(location, name, place[name])
            if location not in self.changed:
                self.changed.append(location)
            self.by_key[key] = location
            return location
        location = Location(area=area, pin_source=PinSource.IMPORT, **{name: place[name] for name in self.FIELDS})
        location.timezone = ""
        self.by_key[key] = location
        self.by_identity[identity].append(location)
        self.new.append(location)
        return location

    def write(self, history):
        from meetings import geo

        for location in self.new:
            location.area_id = location.area.pk
            has_pin = location.latitude is not None and location.longitude is not None
            location.timezone = (has_pin and geo.timezone_at(location.latitude, location.longitude)) or (
                location.area.timezone
            )
        bulk_create_with_history(self.new, Location, batch_size=BATCH, **history)
        if self.changed:
            Location.objects.bulk_update(self.changed, list(self.FIELDS), batch_size=BATCH)
            Location.history.bulk_history_create(self.changed, update=True, **history)
