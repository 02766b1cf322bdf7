from django.conf import settings
from django.utils.translation import gettext_lazy as _

ABOUT_LABEL = _("About this meeting")


def site(request):
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, "about_label": ABOUT_LABEL}
