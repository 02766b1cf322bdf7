"""Reading Meeting Guide feeds as real sites publish them: JSON or CSV, tidy or not.

Nothing here touches the database. `read_feed` turns bytes into rows (dicts)
or raises FeedError with a message a volunteer can act on; `read_row` turns
one row into a RowFacts: every fact the format carries, normalised, and the
problems found on the way (a refused value, or the reason a row is skipped).
"""

import csv
import datetime as dt
import io
import math
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import orjson
from django.utils.translation import gettext as _

from meetings.meeting_guide import CLOSED, CODE_TO_LANGUAGE, ONLINE, OPEN, TEMPORARILY_CLOSED, TYPE_NAMES
from meetings.meeting_guide.addresses import parse_address, split_fields
from meetings.models import Repeats
from meetings.schedule import format_weeks, parse_weeks
from meetings.text import normalize_phone
from meetings.time_input import parse_time  # the one parser of typed times (admin, change form, import)

MAX_FEED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 100_000

DAY_NAMES = {
    name: number
    for number, names in enumerate(
        [
            ("sunday", "sun", "domingo"),
            ("monday", "mon", "lunes"),
            ("tuesday", "tue", "tues", "martes"),
            ("wednesday", "wed", "miercoles", "miércoles"),
            ("thursday", "thu", "thur", "thurs", "jueves"),
            ("friday", "fri", "viernes"),
            ("saturday", "sat", "sabado", "sábado"),
        ]
    )
    for name in names
}
# Control characters other than tab and line breaks: NUL aborts a PostgreSQL insert, the others print as junk.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What a CSV writer puts before a cell to stop spreadsheets reading it as a formula (OWASP); undone on reading.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# CSV headers people write for the format's fields ("Conference URL", "ZIP", "Meeting") -> the field.
HEADER_ALIASES = {
    "zip": "postal_code", "zip_code": "postal_code", "postcode": "postal_code", "meeting": "name",
    "meeting_name": "name", "location_name": "location", "start_time": "time", "time_zone": "timezone",
    "subregion": "sub_region", "address_1": "address", "street": "address", "street_address": "address",
    "conference_link": "conference_url", "zoom_url": "conference_url", "lat": "latitude", "lng": "longitude",
    "lon": "longitude", "long": "longitude",
}  # fmt: skip
TYPE_BY_NAME = {name.casefold(): code for code, name in TYPE_NAMES.items()} | {"open": OPEN, "closed": CLOSED}
STRING_FIELDS = (
    "name", "slug", "notes", "location", "formatted_address", "address", "city", "state", "postal_code", "country",
    "location_notes", "conference_url", "conference_url_notes", "conference_phone", "conference_phone_notes",
    "group", "group_notes", "venmo", "square", "paypal", "region", "sub_region", "timezone", "updated",
    "approximate",
)  # fmt: skip


class FeedError(ValueError):
    """A feed that cannot be read at all (too large, not JSON, not CSV, not a list, unreachable)."""


@dataclass
class Problem:
    row: int  # the row's own 1-based position among the feed's meetings
    slug: str
    field: str
    message: str
    skipped: bool = True  # False: the row was kept without the refused value

    def __str__(self):
        return f"row {self.row} ({self.slug or '?'}): {self.field}: {self.message}"


@dataclass
class Feed:
    rows: list
    kind: str  # "meeting-guide" or "csv"
    notes: list = field(default_factory=list)


# Bytes to rows ------------------------------------------------------------------------------


def read_feed(data, kind=None):
    """Rows of a feed's bytes; `kind` "csv", "meeting-guide" or None to tell from the content."""
    if len(data) > MAX_FEED_BYTES:
        raise FeedError(
            _("The feed is %(size)s MB; at most %(limit)s MB is read. Nothing was imported: split it.")
            % {"size": f"{len(data) / 1e6:.1f}", "limit": f"{MAX_FEED_BYTES / 1e6:.0f}"}
        )
    text, notes = decode(data)
    kind = kind or ("meeting-guide" if text.lstrip()[:1] in ("[", "{") else "csv")
    rows = read_csv(text) if kind == "csv" else read_json(text)
    if len(rows) > MAX_ROWS:
        raise FeedError(
            _("The feed has %(rows)s rows; at most %(limit)s are imported at once. Nothing was imported: split it.")
            % {"rows": f"{len(rows):,}", "limit": f"{MAX_ROWS:,}"}
        )
    return Feed(rows, kind, notes)


def decode(data):
    """Text of UTF-8 bytes, or of Windows-1252/Latin-1 ones (spreadsheets' exports), with a note saying so."""
    if isinstance(data, str):
        return data, []
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        note = _(
            "The file is not UTF-8 (byte %(byte)d is not): it was read as Windows-1252/Latin-1. "
            "Check names with accents, or save it as UTF-8."
        ) % {"byte": error.start + 1}
    try:
        return data.decode("cp1252"), [note]
    except UnicodeDecodeError:
        return data.decode("latin-1"), [note]


def read_json(text):
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise FeedError(_("The feed is not valid JSON: %(error)s") % {"error": str(error)[:200]}) from None
    if isinstance(data, dict) and isinstance(data.get("meetings"), list):
        data = data["meetings"]  # the shape of services that wrap the array with warnings
    if not isinstance(data, list):
        raise FeedError(_("A Meeting Guide feed is a JSON array of meetings."))
    return data


def read_csv(text):
    try:
        reader = csv.reader(io.StringIO(text))
        header = next(reader, None)
        if not header:
            raise FeedError(_("The CSV is empty: it needs a header row, then one row per meeting."))
        names = [header_field(name) for name in header]
        if "name" not in names:
            raise FeedError(
                _("The CSV has no Name column. Its first row must name the columns: Name, Day, Time, Address...")
            )
        rows = []
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            row = {}
            for name, value in zip(names, values, strict=False):
                if name and value != "" and name not in row:
                    row[name] = value
            rows.append(row)
        return rows
    except csv.Error as error:
        raise FeedError(_("The CSV cannot be read: %(error)s") % {"error": error}) from None


def header_field(name):
    key = re.sub(r"[^a-z0-9]+", "_", name.strip().casefold()).strip("_")
    return HEADER_ALIASES.get(key, key)


def google_sheet_csv_url(url):
    """The CSV export of a Google Sheet from the address people copy (edit, pubhtml or pub); others unchanged."""
    parts = urlsplit(url)
    if parts.hostname != "docs.google.com" or "/spreadsheets/d/" not in parts.path:
        return url
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    gid = query.get("gid") or parse_qs(parts.fragment).get("gid", [None])[0]
    path = parts.path
    if path.startswith("/spreadsheets/d/e/"):  # "Publish to the web"
        path = path.rsplit("/", 1)[0] + "/pub"
        wanted = {"output": "csv", **({"gid": gid, "single": "true"} if gid else {})}
    else:  # a sheet shared by link
        key = path.split("/")[3]
        path = f"/spreadsheets/d/{key}/export"
        wanted = {"format": "csv", **({"gid": gid} if gid else {})}
    return urlunsplit(("https", parts.netloc, path, urlencode(wanted), ""))


def guess_kind(name):
    """From a file's name or address: CSV when it says so, else None (the content tells)."""
    lowered = name.lower()
    if lowered.split("?")[0].endswith(".csv") or "output=csv" in lowered or "format=csv" in lowered:
        return "csv"
    if lowered.split("?")[0].endswith(".json"):
        return "meeting-guide"
    return None


# One row to facts ----------------------------------------------------------------------------


@dataclass
class RowFacts:
    number: int
    slug: str
    name: str = ""
    notes: str = ""
    timezone: str = ""
    time: tuple | None = None  # (weekday, start, end or None, Rule fields); None: by appointment
    access: str = ""  # "open", "closed" or "" (the row does not say)
    language: str = ""
    status: str = "active"
    codes: tuple = ()  # type codes other than open/closed, online, temporarily closed and the language
    conference_url: str = ""
    conference_url_notes: str = ""
    conference_phone: str = ""
    conference_phone_notes: str = ""
    place: dict | None = None
    place_text: str = ""  # formatted_address as it came
    regions: tuple = ()
    group: dict | None = None
    group_notes: str = ""  # of a row that names no group
    venmo: str = ""
    cashapp: str = ""
    paypal: str = ""
    updated: dt.datetime | None = None
    problems: list = field(default_factory=list)

    @property
    def skipped(self):
        return any(problem.skipped for problem in self.problems)


class SkipRow(Exception):
    pass


def read_row(number, raw, *, default_timezone, timezones):
    """The facts of one feed row. A row that cannot be a meeting gets a skipping Problem (and no more)."""
    slug = raw.get("slug") if isinstance(raw, dict) else None
    facts = RowFacts(number, str(slug).strip()[:160] if isinstance(slug, (str, int)) else "")

    def problem(column, message, skipped=True):
        facts.problems.append(Problem(number, facts.slug, column, message, skipped))
        if skipped:
            raise SkipRow

    try:
        if not isinstance(raw, dict):
            problem("row", _("not an object with the meeting's fields; row skipped"))
        text = TextReader(raw, problem)
        facts.name = text("name")
        if not facts.name:
            problem("name", _("missing: every meeting needs a name; row skipped"))
        facts.notes = without_schedule(text("notes"), text("schedule"))
        read_schedule(facts, raw, text, problem, default_timezone, timezones)
        read_types(facts, raw, problem)
        read_online(facts, text, problem)
        read_place(facts, raw, text, problem)
        facts.regions = read_regions(raw, text, problem)
        if group := text("group"):
            facts.group = {"name": group[:150], "notes": text("group_notes")}
        else:
            facts.group_notes = text("group_notes")
        facts.venmo, facts.cashapp, facts.paypal = text("venmo")[:60], text("square")[:60], text("paypal")[:60]
        facts.updated = read_updated(text("updated"), problem)
        if text.cleaned:
            problem(
                ", ".join(sorted(text.cleaned)),
                _("control characters (invisible, or NUL) removed"),
                skipped=False,
            )
    except SkipRow:
        pass
    return facts


class TextReader:
    """Plain text of a row's string fields: trimmed, control characters removed (and remembered)."""

    def __init__(self, raw, problem):
        self.raw, self.problem, self.cleaned = raw, problem, set()

    def __call__(self, name):
        value = self.raw.get(name)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.problem(name, _("must be text, not %(kind)s; row skipped") % {"kind": json_kind(value)})
        text = str(value)
        if CONTROL.search(text):
            text = CONTROL.sub("", text)
            self.cleaned.add(name)
        text = text.strip()
        if text[:1] == "'" and text[1:2] in FORMULA_START:
            text = text[1:]  # a CSV cell neutralised against spreadsheet formulas
        return text


def json_kind(value):
    return {dict: "an object", list: "a list", bool: "true/false"}.get(type(value), type(value).__name__)


def read_schedule(facts, raw, text, problem, default_timezone, timezones):
    day, start, end = raw.get("day"), text("time"), text("end_time")
    if isinstance(day, list):
        problem("day", _("a list of days: give one row per day, each with its own slug; row skipped"))
    if isinstance(day, (dict, bool, float)):
        problem("day", _("must be 0-6 from Sunday, or a day's name; row skipped"))
    day_text = "" if day is None else CONTROL.sub("", str(day)).strip()
    zone = text("timezone") or default_timezone
    if zone not in timezones:
        problem("timezone", _("unknown time zone '%(zone)s'; row skipped") % {"zone": zone[:60]})
    facts.timezone = zone
    if not day_text and not start:
        return  # by appointment
    try:
        weekday = parse_day(day_text)
        begins = parse_time(start)
        ends = parse_time(end) if end else None
    except ValueError as error:
        problem("day/time", _("%(error)s; this weekly time skipped") % {"error": error})
    if weekday is None or begins is None:
        problem("day/time", _("a day without a time, or a time without a day; this weekly time skipped"))
    rule = read_rule(raw, text, problem)
    if ends == begins and rule[0] != Repeats.ONCE:  # an event may last a whole day
        ends = None
        facts.problems.append(
            Problem(facts.number, facts.slug, "end_time", _("the same as the start: left out"), skipped=False)
        )
    facts.time = (weekday, begins, ends, rule)


def without_schedule(notes, schedule):
    """The notes without the rule in words our writer puts first (a time that is not weekly)."""
    if schedule and notes.startswith(f"{schedule}."):
        return notes[len(schedule) + 1 :].strip()
    return notes


WEEKLY_RULE = (Repeats.WEEKLY.value, 1, "", None, None)  # plain values: fingerprints compare them
RULE_FIELDS = ("repeats", "interval", "weeks_of_month", "starts_on", "ends_on")  # of MeetingTime
RULE_EXPORT_FIELDS = ("repeats", "interval", "weeks_of_month", "first_date", "last_date")  # in our feed


def read_rule(raw, text, problem):
    """(repeats, interval, weeks of the month, first date, last date) from our own export's fields.

    A feed from elsewhere has none of them: its times stay weekly. A rule is never invented.
    """
    if not any(raw.get(name) for name in RULE_EXPORT_FIELDS):
        return WEEKLY_RULE
    try:
        repeats = text("repeats") or Repeats.WEEKLY.value
        if repeats not in Repeats.values:
            raise ValueError(_("'%(value)s' is not a way to repeat") % {"value": repeats[:40]})
        weeks = raw.get("weeks_of_month")
        weeks = ",".join(map(str, weeks)) if isinstance(weeks, list) else text("weeks_of_month")
        first, last = (dt.date.fromisoformat(text(n)) if text(n) else None for n in ("first_date", "last_date"))
        return repeats, int(text("interval") or 1), format_weeks(parse_weeks(weeks)), first, last
    except (TypeError, ValueError) as error:
        problem("repeats", _("%(error)s; this time skipped") % {"error": error})
        return WEEKLY_RULE


def parse_day(value):
    """0-6 from "3", "Wednesday", "wed"; None for nothing."""
    text = str(value).strip().lower()
    if not text:
        return None
    if text.isdigit() and 0 <= int(text) <= 6:
        return int(text)
    if text in DAY_NAMES:
        return DAY_NAMES[text]
    raise ValueError(_("'%(value)s' is not a day (0-6 from Sunday, or a day's name)") % {"value": text[:40]})


def read_types(facts, raw, problem):
    codes = raw.get("types")
    if codes is None or codes == "":
        codes = []
    elif isinstance(codes, str):
        codes = [code for code in re.split(r"[,;|]", codes)]
    elif not isinstance(codes, list) or not all(isinstance(code, (str, int)) for code in codes):
        problem("types", _("must be a list of type codes; row skipped"))
    found = []
    for code in codes:
        code = CONTROL.sub("", str(code)).strip()
        code = code if code in TYPE_NAMES else TYPE_BY_NAME.get(code.casefold(), code)
        if code and code not in found:
            found.append(code)
    if OPEN in found and CLOSED in found:
        facts.problems.append(
            Problem(facts.number, facts.slug, "types", _("both O (open) and C (closed): kept as not known"), False)
        )
    elif OPEN in found or CLOSED in found:
        facts.access = "open" if OPEN in found else "closed"
    if TEMPORARILY_CLOSED in found:
        facts.status = "temporarily_closed"
    languages = [code for code in found if code in CODE_TO_LANGUAGE]
    if languages:
        facts.language = CODE_TO_LANGUAGE[languages[0]]
    facts.codes = tuple(
        code for code in found if code not in (OPEN, CLOSED, ONLINE, TEMPORARILY_CLOSED) and code not in languages[:1]
    )


def read_online(facts, text, problem):
    url = text("conference_url")
    if url:
        if url.lower().startswith("http://"):
            url = "https://" + url[7:]
            facts.problems.append(
                Problem(facts.number, facts.slug, "conference_url", _("http:// join link changed to https://"), False)
            )
        if url.lower().startswith("https://") and len(url) <= 500 and " " not in url:
            facts.conference_url = url
        else:
            facts.problems.append(
                Problem(
                    facts.number,
                    facts.slug,
                    "conference_url",
                    _("'%(url)s' is not a join link: left out") % {"url": url[:80]},
                    False,
                )
            )
    facts.conference_url_notes = text("conference_url_notes")[:300]
    phone = normalize_phone(text("conference_phone"))
    if phone:
        if re.fullmatch(r"\+?[0-9][0-9,*#]*", phone) and sum(ch.isdigit() for ch in phone) >= 7 and len(phone) <= 60:
            facts.conference_phone = phone
        else:
            facts.problems.append(
                Problem(
                    facts.number,
                    facts.slug,
                    "conference_phone",
                    _("'%(phone)s' cannot be dialled: left out") % {"phone": phone[:40]},
                    False,
                )
            )
    facts.conference_phone_notes = text("conference_phone_notes")[:300]


def read_place(facts, raw, text, problem):
    formatted, city = text("formatted_address"), text("city")
    if not formatted and not city and not text("address"):
        return
    facts.place_text = formatted
    latitude = coordinate(raw.get("latitude"), 90, "latitude", facts)
    longitude = coordinate(raw.get("longitude"), 180, "longitude", facts)
    if (latitude is None) != (longitude is None):
        latitude = longitude = None
    parts = (
        split_fields(text("address"), city, text("state"), text("postal_code"), text("country"))
        if city or text("address")
        else parse_address(formatted)
    )
    approximate = text("approximate").lower()
    if approximate in ("yes", "true", "1", "y"):
        is_approximate = True
    elif approximate in ("no", "false", "0", "n"):
        is_approximate = False
    else:
        is_approximate = not parts["address"]  # as the apps read a place without a street
    facts.place = {
        **parts,
        "name": text("location")[:150],
        "notes": text("location_notes"),
        "latitude": latitude,
        "longitude": longitude,
        "approximate": is_approximate,
    }
    if not parts["city"]:
        facts.place["city"] = parts["address"] or formatted[:100]


def coordinate(value, limit, name, facts):
    if value is None or value == "":
        return None
    try:
        number = float(value) if not isinstance(value, bool) else math.nan
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or abs(number) > limit:
        facts.problems.append(
            Problem(
                facts.number,
                facts.slug,
                name,
                _("'%(value)s' is not a %(name)s: the place is kept without a pin")
                % {"value": str(value)[:30], "name": name},
                False,
            )
        )
        return None
    return number


def read_regions(raw, text, problem):
    regions = raw.get("regions")
    if isinstance(regions, str):
        regions = [part for part in re.split(r"\s*>\s*", regions)]
    if isinstance(regions, list):
        if not all(isinstance(r, (str, type(None))) for r in regions):
            problem("regions", _("must be a list of names; row skipped"))
        found = [CONTROL.sub("", r).strip()[:120] for r in regions if r is not None]
    else:
        found = [text("region")[:120], text("sub_region")[:120]]
    return tuple(name for name in found if name)


def read_updated(value, problem):
    """UTC datetime of "2023-08-29 15:56:59", "2023-08-29T15:56:59Z", "8/29/2021", "2021-08-29"; else None."""
    if not value:
        return None
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d", "%m/%d/%Y", "%m/%d/%Y %H:%M"):
        try:
            return dt.datetime.strptime(value.rstrip("Z").split("+")[0].split(".")[0], pattern).replace(tzinfo=dt.UTC)
        except ValueError:
            continue
    return None
