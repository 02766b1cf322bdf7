"""Addresses as feeds write them, split into street, city, state or province, postal code and country."""

import re
from functools import lru_cache

COUNTRIES = {
    "usa": "US", "us": "US", "u.s.a.": "US", "u.s.": "US", "united states": "US", "united states of america": "US",
    "canada": "CA", "uk": "GB", "united kingdom": "GB", "great britain": "GB", "england": "GB", "mexico": "MX",
    "méxico": "MX", "australia": "AU", "new zealand": "NZ", "ireland": "IE", "germany": "DE", "france": "FR",
    "spain": "ES", "españa": "ES",
}  # fmt: skip
US_STATES = set(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK "
    "OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR VI GU AS MP".split()
)
POSTCODE = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9 -]{1,9}$")  # "N1 9GU", "75001", "H2X 1Y4"
CITY_POSTCODE = re.compile(r"^(\D+?)\s+((?=\S*\d)[A-Z0-9]{2,4}\s?[A-Z0-9]{2,4})$")  # "London N1 9GU"
REGION_POSTCODE = re.compile(r"^([A-Z]{2})\s+([A-Z]\d[A-Z]\s?\d[A-Z]\d)$")  # Canada: "ON M5V 2T6"
STATE_ZIP = re.compile(r"^([A-Za-z]{2})\.?,?\s*(\d{5}(?:-\d{4})?)?$")


def split_fields(address, city, state, postal_code, country):
    return {
        "address": address[:200],
        "city": city[:100],
        "state": state[:100],
        "postal_code": postal_code[:20],
        "country": country_code(country),
    }


def country_code(value):
    text = str(value or "").strip()
    if not text:
        return "US"
    return COUNTRIES.get(text.lower(), text.upper()[:2])


@lru_cache(maxsize=20_000)
def parse_address(formatted):
    """Street, city, state, postal code and country of one line of address.

    The usual form, "street, city, ST 12345, country", is split at its commas.
    Other US addresses (and those that name no country) go through usaddress,
    which reads "Media PA, 19040", "PA 19061 United States" and a missing comma
    before the city; elsewhere the country's usual order, "street, city,
    region postcode, country", split at commas.
    """
    parts = [p.strip() for p in formatted.split(",") if p.strip()]
    country = "US"
    if parts and parts[-1].lower() in COUNTRIES:
        country = COUNTRIES[parts.pop().lower()]
    elif parts and len(parts[-1]) == 2 and parts[-1].isalpha() and parts[-1].isupper() and len(parts) > 2:
        country = parts.pop()
    if country == "US" and not (
        len(parts) >= 2 and (match := STATE_ZIP.match(parts[-1])) and match.group(1).upper() in US_STATES
    ):
        # Not the usual "street, city, ST 12345": let the parser find its parts.
        found = us_address(", ".join(parts))
        if found:
            return found
    found = {"address": "", "city": "", "state": "", "postal_code": "", "country": country}
    if parts and (match := STATE_ZIP.match(parts[-1])) and (country != "US" or match.group(1).upper() in US_STATES):
        found["state"], found["postal_code"] = match.group(1).upper(), match.group(2) or ""
        parts.pop()
    elif parts and (match := REGION_POSTCODE.match(parts[-1])):
        found["state"], found["postal_code"] = match.group(1), match.group(2)
        parts.pop()
    elif country != "US" and parts and POSTCODE.match(parts[-1]) and len(parts) > 1:
        found["postal_code"] = parts.pop()
    elif country != "US" and parts and (match := CITY_POSTCODE.match(parts[-1])):
        parts[-1], found["postal_code"] = match.group(1), match.group(2)
    if parts:
        found["city"] = parts.pop()
    found["address"] = ", ".join(parts)
    return {key: value[:limit] for (key, value), limit in zip(found.items(), (200, 100, 100, 20, 2), strict=True)}


def us_address(text):
    import usaddress

    try:
        tagged, _kind = usaddress.tag(text)
    except usaddress.RepeatedLabelError:
        return None
    state = tagged.get("StateName", "").strip(". ").upper()
    city = tagged.get("PlaceName", "").strip(", ")
    if state and state not in US_STATES:
        return None
    if not city:
        return None
    street_labels = [key for key in tagged if key not in ("PlaceName", "StateName", "ZipCode", "CountryName")]
    # The street as written (with its commas), up to where the city starts.
    tokens = usaddress.parse(text)
    street = " ".join(token for token, label in tokens if label in street_labels).strip(" ,")
    street = re.sub(r"\s+,", ",", street)
    if "," in city:  # "Cityteam, San Jose": a building's name before the city
        before, city = city.rsplit(",", 1)
        street, city = ", ".join(part for part in (street, before.strip()) if part), city.strip()
    return {
        "address": street[:200],
        "city": city[:100],
        "state": state,
        "postal_code": tagged.get("ZipCode", "")[:20],
        "country": "US",
    }
