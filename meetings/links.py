"""Links that look like one address and lead to another.

A join link is shown to newcomers as text and tapped on trust. Two tricks
make a link look like, say, a Zoom address while it leads elsewhere: characters
that draw nothing (a zero-width space, a bidi control that reorders what is
shown, a soft hyphen) and letters from another alphabet that look the same (a
Cyrillic "о" in "zoom.us"). Host names in one alphabet, Latin or not, are fine.
"""

import unicodedata
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Characters a reader cannot see, or that reorder what they see: zero-width
# spaces and joiners, bidi controls, soft hyphens, byte-order marks (all
# "format" characters), control and private-use characters, and a few letters
# and marks that draw nothing.
INVISIBLE_CATEGORIES = {"Cf", "Cc", "Co", "Cs", "Cn", "Zl", "Zp"}
BLANK_CHARACTERS = {"\u034f", "\u115f", "\u1160", "\u2800", "\u3164", "\uffa0"}
BLANK_RANGES = [(0x180B, 0x180F), (0xFE00, 0xFE0F), (0xE0100, 0xE01EF)]  # variation selectors
# Scripts that may share one label of a host name (Unicode's "highly restrictive" profile, UTS #39).
SCRIPT_MIXES = [{"LATIN", "HAN", "HIRAGANA", "KATAKANA"}, {"LATIN", "HAN", "BOPOMOFO"}, {"LATIN", "HAN", "HANGUL"}]


def refuse_look_alike_links(value):
    """ValidationError for a link with an invisible character, or a host label that mixes alphabets."""
    for char in value:
        if is_invisible(char):
            name = unicodedata.name(char, "")
            raise ValidationError(
                _(
                    "The link contains a character nobody can see (U+%(code)04X %(name)s): such links can lead "
                    "somewhere else than they seem. Type the address again by hand."
                ),
                code="invisible_character",
                params={"code": ord(char), "name": name},
            )
    host = urlsplit(value).hostname or ""
    for label in host.split("."):
        try:
            shown = label[4:].encode("ascii").decode("punycode") if label.startswith("xn--") else label
        except UnicodeError:
            raise ValidationError(
                _("The link's address %(host)s is not a valid host name."), code="bad_host", params={"host": host}
            ) from None
        scripts = {script_of(char) for char in shown if unicodedata.category(char).startswith("L")}
        if len(scripts) > 1 and not any(scripts <= allowed for allowed in SCRIPT_MIXES):
            raise ValidationError(
                _(
                    "The link's address %(host)s mixes alphabets (%(scripts)s) in “%(label)s”: look-alike letters "
                    "are how fake addresses are made. Type the address again by hand."
                ),
                code="mixed_scripts",
                params={"host": host, "label": shown, "scripts": ", ".join(sorted(s.title() for s in scripts))},
            )


def is_invisible(char):
    code = ord(char)
    return (
        unicodedata.category(char) in INVISIBLE_CATEGORIES
        or (unicodedata.category(char) == "Zs" and char != " ")
        or char in BLANK_CHARACTERS
        or any(start <= code <= end for start, end in BLANK_RANGES)
    )


def script_of(letter):
    """The script of a letter, from its Unicode name: "CYRILLIC SMALL LETTER O" -> "CYRILLIC"."""
    words = unicodedata.name(letter, "UNKNOWN").split()
    if words[0] in {"FULLWIDTH", "HALFWIDTH"} and len(words) > 1:
        words = words[1:]
    return "HAN" if words[0] == "CJK" else words[0]
