"""The Meeting Guide format's JSON Schema (tests/data/meeting-guide-schema), with its known faults discounted.

SOURCE.md beside the schema lists the schema's own faults; each has one rule
here, as narrow as the fault, and everything else the schema says counts.
Validation runs offline: the schema's $ref addresses are served from the copy.
"""

import json
import re
from pathlib import Path

from jsonschema import Draft7Validator
from referencing import Registry, Resource

SCHEMA_DIR = Path(__file__).resolve().parent / "data" / "meeting-guide-schema"
US_ONLY_PATTERNS = {"formatted_address", "address", "city", "postal_code", "state"}


def load(name):
    return json.loads((SCHEMA_DIR / name).read_text())


MEETING = load("meeting.schema.json")
REGISTRY = Registry().with_resources(
    (schema["$id"], Resource.from_contents(schema))
    for schema in (MEETING, load("meeting-type.schema.json"), load("feed.schema.json"))
)
VALIDATOR = Draft7Validator(MEETING, registry=REGISTRY, format_checker=Draft7Validator.FORMAT_CHECKER)
PHONE = re.compile(MEETING["properties"]["conference_phone"]["pattern"])


def is_known_fault(error):
    """True for a violation that only one of SOURCE.md's faults of the schema causes."""
    field = error.absolute_path[0] if error.absolute_path else None
    # 1. US-only patterns for the address fields (UK postcodes, no state, "St. Gabriel").
    if field in US_ONLY_PATTERNS and error.validator == "pattern":
        return True
    # 2. conference_phone: the ",," pauses and the "#" ending an access code, which dialling needs.
    if field == "conference_phone" and error.validator == "pattern":
        without_faults = re.sub(",+", ",", re.sub(r"#(?=,|$)", "", error.instance))
        return bool(PHONE.match(without_faults))
    # 3. The type list lacks ONL, which the 12 Step Meeting List plugin itself writes.
    return field == "types" and error.instance == "ONL"


def violations(objects):
    """[(slug, field, message)] of every violation not explained by a known fault of the schema."""
    found = []
    for obj in objects:
        for error in VALIDATOR.iter_errors(obj):
            if not is_known_fault(error):
                path = ".".join(str(p) for p in error.absolute_path) or "(object)"
                found.append((obj.get("slug"), path, error.message))
    return found
