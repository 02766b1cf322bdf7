"""This page in each language the site speaks: for the language switch, hreflang links and the suggestion."""

from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import pgettext

register = template.Library()
LONGEST_HELD = 200  # characters: a longer path (none of ours; anyone can ask for one) is translated each time


@register.simple_tag(takes_context=True)
def language_versions(context):
    """[{code, name, url, absolute, suggest}] of the current page (with its query) in every language."""
    request = context.get("request")
    path, mark, query = (request.get_full_path() if request is not None else "/").partition("?")
    current = translation.get_language()
    versions = []
    for code, _name in settings.LANGUAGES:
        url = (path_in(path, current, code) if len(path) <= LONGEST_HELD else translate_url(path, code)) + mark + query
        with translation.override(code):
            # Translators: a link to this page in your language, shown to visitors whose browser prefers it.
            suggest = pgettext("link to this page in the link's language", "View in English")
        versions.append(
            {
                "code": code,
                "name": translation.get_language_info(code)["name_local"].capitalize(),
                "url": url,
                "absolute": settings.SITE_URL + url,
                "current": code == current,
                "suggest": suggest,
            }
        )
    return versions


@lru_cache(maxsize=2048)
def path_in(path, current, code):
    """`path` (without its query) in language `code`, from a page in `current`: translate_url, whose resolve()
    and reverse() were most of this tag's time, once per path. The query goes on as it is, as translate_url's
    own would."""
    return translate_url(path, code)
