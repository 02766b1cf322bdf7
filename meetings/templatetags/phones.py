"""Phone numbers as people read them: "+15550100123" -> "+1 555-010-0123" (libphonenumber's own formats)."""

import phonenumbers
from django import template

register = template.Library()


@register.filter
def phone(number, region="US"):
    """The international form of a dialable number; the text as it was when it is not a number we can read."""
    text = str(number or "").strip()
    try:
        parsed = phonenumbers.parse(text, region or None)
    except phonenumbers.NumberParseException:
        return text
    if not phonenumbers.is_possible_number(parsed):
        return text
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
