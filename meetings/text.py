"""Plain-text helpers shared by the search, places, imports and every output. No database here."""

import re
import unicodedata

PHONE_SEPARATORS = re.compile(r"[\s\-().]")


def without_accents(text):
    """'Medellín' -> 'Medellin': the letters without their combining marks."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def fold(text):
    """Lower case, no accents, white space collapsed: 'São  PAULO' -> 'sao paulo'.

    Stored search text, search words and place names all go through this, so
    they meet whatever the case or accents anyone typed.
    """
    return " ".join(without_accents(text).casefold().split())


def normalize_phone(value):
    """'+1 (555) 010-0123,,123#' -> '+15550100123,,123#': what a tel: link dials."""
    return PHONE_SEPARATORS.sub("", value or "")


def format_address(address="", city="", state="", postal_code="", country=""):
    """One line of the parts a place has: '12 Main St, Phoenix, AZ 85004, US'."""
    region = " ".join(part for part in (state, postal_code) if part)
    return ", ".join(part for part in (address, city, region, country) if part)
