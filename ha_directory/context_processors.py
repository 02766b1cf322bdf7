from django.conf import settings
from django.utils.translation import gettext_lazy as _

# A street address is found only through a configured geocoder: the search box asks for what we can find.
WITH_ADDRESS, WITHOUT_ADDRESS = _("ZIP code, city or address"), _("ZIP code or city")
# The site's name in the page's language, unless the operator named it (SITE_NAME) in theirs.
DEFAULT_SITE_NAME = _("Heroin Anonymous meeting directory")


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME or DEFAULT_SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "place_prompt": WITH_ADDRESS if settings.GEOCODER else WITHOUT_ADDRESS,
    }
