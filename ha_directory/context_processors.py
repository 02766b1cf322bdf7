from django.conf import settings
from django.utils.translation import gettext_lazy as _

LABELS = {"about_label": _("About this meeting"), "units_label": _("mi")}


def site(request):
    units = request.GET.get("units") if request is not None else None
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "about_label": LABELS["about_label"],
        # Distances on cards; "km" only when the search asks for kilometres.
        "units_label": _("km") if units == "km" else LABELS["units_label"],
    }
