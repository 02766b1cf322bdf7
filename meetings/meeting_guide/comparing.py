"""Comparing two Meeting Guide feeds row by row: what a round trip (import, then export) kept and changed.

Rows are matched by slug. Every fact the format carries is compared as a
fact, not as a spelling: "7:30" is "07:30", "USA" is "US", a formatted address
is its street, city, state, postal code and country, a type list is a set
(without ONL, which publishers derive from the join link). Fields that say
who publishes (url, edit_url, feedback_url, entity...) are the publisher's own
and are not compared; private contacts are never published by us. Each
difference gets its reason; a difference no rule explains is "unexplained".
"""

import math
from collections import Counter
from dataclasses import dataclass, field

from meetings.meeting_guide import CLOSED, ONLINE, OPEN, addresses, reading
from meetings.text import normalize_phone

TEXT_FACTS = [
    "name", "notes", "location", "location_notes", "conference_url_notes", "conference_phone_notes",
    "group", "group_notes", "venmo", "square", "paypal",
]  # fmt: skip
PLACE_PARTS = ["address", "city", "state", "postal_code", "country"]
# What a city-only place never shows (meetings.models.published_place): differences there are on purpose.
WITHHELD = {"location", "location_notes", "address", "postal_code", "latitude", "longitude"}
SLUG_LENGTH = 64
CUT = "longer than the format's 64 characters: cut to fit"
PRIVACY = "withheld: a city-only place shows only its town and a rough point"
UNEXPLAINED = "unexplained"


@dataclass
class Comparison:
    rows: int = 0  # rows of A
    identical: int = 0
    identical_but_withheld: int = 0  # identical apart from what a city-only place never shows
    differences: list = field(default_factory=list)  # (slug, fact, value in A, value in B, reason)
    missing: list = field(default_factory=list)  # (row number in A, slug, reason)
    extra: list = field(default_factory=list)  # slugs of B that A has not

    @property
    def reasons(self):
        return Counter(reason for *_rest, reason in self.differences) + Counter(r for *_n, r in self.missing)

    def percent(self, count):
        return 100.0 * count / self.rows if self.rows else 100.0


def compare(a_rows, b_rows):
    result = Comparison(rows=len(a_rows))
    b_by_slug = {row.get("slug"): row for row in b_rows if isinstance(row, dict)}
    seen, listings = {}, {}
    for number, a in enumerate(a_rows, start=1):
        if isinstance(a, dict):
            listings.setdefault(listing(a), number)
        slug = a.get("slug") if isinstance(a, dict) else None
        b = b_by_slug.get(slug) if slug not in seen else None
        if b is None and slug not in seen and isinstance(slug, str) and len(slug) > SLUG_LENGTH:
            b = cut_slug_match(a, b_by_slug)
        seen.setdefault(slug, number)
        if b is None:
            result.missing.append((number, slug, why_missing(number, a, seen, listings)))
            continue
        found = list(compare_row(a, b))
        if b.get("slug") != slug:
            found.append(("slug", slug, b["slug"], CUT))
        result.differences += [(slug, *difference) for difference in found]
        if not found:
            result.identical += 1
        if all(reason == PRIVACY for *_rest, reason in found):
            result.identical_but_withheld += 1
    matched = {a.get("slug") for a in a_rows if isinstance(a, dict)} | {
        d[3] for d in result.differences if d[1] == "slug"
    }
    result.extra = [slug for slug in b_by_slug if slug not in matched]
    return result


def compare_row(a, b):
    """(fact, value in A, value in B, reason) for each fact that differs."""
    approximate_b = b.get("approximate") == "yes"
    for name in TEXT_FACTS:
        left, right = text(a.get(name)), text(b.get(name))
        if left != right:
            yield name, left, right, explain_text(name, left, right, approximate_b)
    for name in ("day", "time", "end_time"):
        left, right = when(name, a.get(name)), when(name, b.get(name))
        if left != right:
            reason = UNEXPLAINED
            if name == "end_time" and left == when("time", a.get("time")) and right is None:
                reason = "an end time equal to the start is left out"
            yield name, a.get(name), b.get(name), reason
    if a.get("timezone") and a.get("timezone") != b.get("timezone"):
        yield "timezone", a.get("timezone"), b.get("timezone"), UNEXPLAINED
    left, right = type_set(a.get("types")), type_set(b.get("types"))
    if left != right:
        reason = UNEXPLAINED
        if {OPEN, CLOSED} <= left and left - {OPEN, CLOSED} == right:
            reason = "both open and closed: published as not known"
        yield "types", sorted(left), sorted(right), reason
    left, right = text(a.get("conference_url")), text(b.get("conference_url"))
    if left != right:
        upgraded = left.lower().startswith("http://") and right == "https://" + left[7:]
        yield "conference_url", left, right, "http:// join link published as https://" if upgraded else UNEXPLAINED
    if normalize_phone(text(a.get("conference_phone"))) != text(b.get("conference_phone")):
        yield "conference_phone", a.get("conference_phone"), b.get("conference_phone"), UNEXPLAINED
    yield from compare_place(a, b, approximate_b)
    left, right = region_path(a), region_path(b)
    if left != right:
        yield "regions", left, right, UNEXPLAINED
    if a.get("updated"):
        left, right = reading.read_updated(text(a.get("updated")), None), reading.read_updated(b.get("updated"), None)
        if left != right:
            yield "updated", a.get("updated"), b.get("updated"), "rows merged into one meeting keep its latest update"


def compare_place(a, b, approximate_b):
    left, right = place_parts(a), place_parts(b)
    for part in PLACE_PARTS:
        if left.get(part, "") != right.get(part, ""):
            reason = PRIVACY if approximate_b and part in WITHHELD else UNEXPLAINED
            yield part, left.get(part, ""), right.get(part, ""), reason
    if approximate(a) != (b.get("approximate") == "yes"):
        yield "approximate", a.get("approximate"), b.get("approximate"), UNEXPLAINED
    for name in ("latitude", "longitude"):
        left, right = number(a.get(name)), number(b.get(name))
        if left != right and not (left is not None and right is not None and math.isclose(left, right, abs_tol=1e-7)):
            yield name, a.get(name), b.get(name), PRIVACY if approximate_b else UNEXPLAINED


def text(value):
    return reading.CONTROL.sub("", str(value)).strip() if value not in (None, "") else ""


def explain_text(name, left, right, approximate_b):
    if approximate_b and name in WITHHELD:
        return PRIVACY
    return UNEXPLAINED


def when(name, value):
    try:
        if name == "day":
            return reading.parse_day("" if value is None else value)
        return reading.parse_time(value)
    except ValueError:
        return value


def type_set(value):
    if isinstance(value, str):
        value = value.split(",")
    return {str(code).strip() for code in value or []} - {ONLINE, ""}


def place_parts(row):
    if row.get("city") or row.get("address"):
        return addresses.split_fields(
            text(row.get("address")), text(row.get("city")), text(row.get("state")),
            text(row.get("postal_code")), text(row.get("country")),
        )  # fmt: skip
    formatted = text(row.get("formatted_address"))
    return addresses.parse_address(formatted) if formatted else {}


def approximate(row):
    """As the apps read it: the row's own word, else a place without a street."""
    value = text(row.get("approximate")).lower()
    if value in ("yes", "no"):
        return value == "yes"
    return not place_parts(row).get("address")


def number(value):
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def region_path(row):
    regions = row.get("regions")
    if isinstance(regions, list):
        return [r.strip() for r in regions if isinstance(r, str) and r.strip()]
    return [text(row.get(name)) for name in ("region", "sub_region") if text(row.get(name))]


def cut_slug_match(a, b_by_slug):
    """The row of B that a slug too long for the format became: same start, same name, day and time."""
    start = a["slug"][: SLUG_LENGTH - 6]
    for slug, b in b_by_slug.items():
        if (
            slug.startswith(start)
            and b.get("name") == text(a.get("name"))
            and when("day", b.get("day")) == when("day", a.get("day"))
            and when("time", b.get("time")) == when("time", a.get("time"))
        ):
            return b
    return None


def listing(row):
    """A row's facts but its slug and the publisher's own fields: two equal ones list one meeting twice."""
    own = {"slug", "id", "url", "edit_url", "updated", "location_url", "author", "last_contact"}
    return repr(sorted((key, repr(value)) for key, value in row.items() if key not in own))


def why_missing(number, row, seen, listings):
    if not isinstance(row, dict):
        return "not an object"
    if seen.get(row.get("slug")) != number:
        return f"the same slug as row {seen[row.get('slug')]}"
    if listings.get(listing(row)) != number:
        return f"the same meeting at the same time as row {listings[listing(row)]}: listed once"
    facts = reading.read_row(number, row, default_timezone="UTC", timezones={row.get("timezone") or "UTC"})
    if facts.skipped:
        return next(problem.message for problem in facts.problems if problem.skipped)
    if not (facts.conference_url or facts.conference_phone) and (facts.place is None or facts.place["approximate"]):
        return "no way to attend (no street address, join link or phone): every meeting here needs one"
    return UNEXPLAINED
