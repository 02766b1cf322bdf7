"""What the map includes need to know: whether there is a map at all, whose tiles, and where the library lives."""

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.translation import gettext as _

from meetings import maps

register = template.Library()

LEAFLET = "vendor/leaflet-1.9.4/"
CLUSTER = "vendor/leaflet.markercluster-1.5.3/"


@register.simple_tag
def map_settings():
    """{} without MAP_TILES_URL (the includes then write nothing), else the tiles, their owner and the assets.

    The assets' addresses go into data attributes: the page's script loads
    them only when a visitor asks for the map.
    """
    if not settings.MAP_TILES_URL:
        return {}
    return {
        "tiles": settings.MAP_TILES_URL,
        "attribution": settings.MAP_ATTRIBUTION,
        "assets": {
            "leaflet-js": static(LEAFLET + "leaflet.js"),
            "leaflet-css": static(LEAFLET + "leaflet.css"),
            "cluster-js": static(CLUSTER + "leaflet.markercluster.js"),
            "cluster-css": f"{static(CLUSTER + 'MarkerCluster.css')} {static(CLUSTER + 'MarkerCluster.Default.css')}",
            "map-css": static("css/map.css"),
            "icon": static(LEAFLET + "images/marker-icon.png"),
            "icon-retina": static(LEAFLET + "images/marker-icon-2x.png"),
            "shadow": static(LEAFLET + "images/marker-shadow.png"),
        },
        # Leaflet's own words, in the page's language.
        "labels": {"zoom-in": _("Zoom in"), "zoom-out": _("Zoom out"), "close": _("Close")},
    }


@register.simple_tag
def directions_to(location):
    """Directions links to a Location's published place (see meetings.maps.directions)."""
    return maps.directions(location.published) if location else None
