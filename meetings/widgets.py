"""The pin picker on the admin's location form, and the lookup it asks our own server for.

With MAP_TILES_URL set, a map (our own copy of Leaflet) beside the latitude
and longitude: a click drops the pin, a drag moves it, and the time zone
follows it unless the volunteer typed one. "Find from address" asks the
configured geocoder through our server (never from the browser), scoped to
the volunteer's areas. Without tiles, the fields stay as they were, with a
link to see the point (or look the address up) on OpenStreetMap.
"""

from urllib.parse import quote

from django import forms
from django.conf import settings
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from groups.scope import in_scope
from meetings import geo, geocoding
from meetings.maps import decimal
from meetings.models import Location
from meetings.templatetags.maps import LEAFLET, map_settings

ADDRESS_FIELDS = ("address", "city", "state", "postal_code", "country")


def openstreetmap_link(latitude=None, longitude=None, address=""):
    """OpenStreetMap at a point, or its search for an address, or "" with neither."""
    if latitude is not None and longitude is not None:
        lat, lng = decimal(latitude), decimal(longitude)
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lng}#map=17/{lat}/{lng}"
    if address.strip():
        return f"https://www.openstreetmap.org/search?query={quote(address.strip())}"
    return ""


class PinPicker(forms.NumberInput):
    """The longitude's input, followed by the map and the picker's buttons (they set both coordinates)."""

    def __init__(self, attrs=None, *, location=None):
        super().__init__(attrs)
        self.location = location

    @property
    def media(self):
        if not settings.MAP_TILES_URL:
            return forms.Media(js=["js/pin_picker.js"])
        return forms.Media(
            css={"all": [LEAFLET + "leaflet.css", "css/map.css"]}, js=[LEAFLET + "leaflet.js", "js/pin_picker.js"]
        )

    def render(self, name, value, attrs=None, renderer=None):
        # The picker is a project template (the form renderer reads only apps' templates): rendered after the input.
        field = super().render(name, value, attrs, renderer)
        return mark_safe(field + render_to_string("admin/meetings/pin_picker.html", {"picker": self.picker()}))

    def picker(self):
        location = self.location
        saved = location is not None and location.pk is not None
        address = location.formatted_address() if saved and location.address else ""
        return {
            "map": map_settings(),
            "geocoder": bool(settings.GEOCODER),
            "lookup_url": reverse("admin:meetings_location_pin_lookup"),
            "location": location.pk if saved else "",
            "osm": openstreetmap_link(location.latitude, location.longitude, address) if saved else "",
        }


class LocationForm(forms.ModelForm):
    class Meta:
        model = Location
        # The admin passes its own list (its fieldsets); these are the fields a volunteer types.
        fields = ["area", "name", *ADDRESS_FIELDS, "notes", "latitude", "longitude", "approximate", "timezone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "longitude" in self.fields:
            self.fields["longitude"].widget = PinPicker(location=self.instance)


class PinLookupForm(forms.Form):
    """What the picker sends: the area and the address to look up, or a point to find the time zone of."""

    area = forms.IntegerField(error_messages={"required": _("Choose the service area first.")})
    location = forms.IntegerField(required=False)
    address = forms.CharField(required=False, max_length=200)
    city = forms.CharField(required=False, max_length=100)
    state = forms.CharField(required=False, max_length=100)
    postal_code = forms.CharField(required=False, max_length=20)
    country = forms.CharField(required=False, max_length=2)
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180)

    def clean(self):
        data = super().clean()
        point = data.get("latitude") is not None and data.get("longitude") is not None
        if not point and not (data.get("address") or data.get("city") or data.get("postal_code")):
            raise forms.ValidationError(_("Type the street address, or at least the city, then look it up."))
        return data


class PinPickerAdminMixin:
    """LocationAdmin's form with the pin picker, and the lookup it calls (staff only, in their areas)."""

    form = LocationForm

    def get_urls(self):
        lookup = self.admin_site.admin_view(require_POST(self.pin_lookup))
        return [path("pin-lookup/", lookup, name="meetings_location_pin_lookup"), *super().get_urls()]

    def pin_lookup(self, request):
        """POST: {latitude, longitude, timezone, label} of an address, or the time zone at a point.

        Answers 403 outside the volunteer's areas, 400 with a message for a
        request that cannot be looked up, 404 when the geocoder finds nothing,
        504 when it does not answer in time and 502 when it fails otherwise.
        """
        form = PinLookupForm(request.POST)
        if not form.is_valid():
            return JsonResponse({"message": " ".join(m for ms in form.errors.values() for m in ms)}, status=400)
        data = form.cleaned_data
        location_in_scope = data["location"] is None or self.get_queryset(request).filter(pk=data["location"]).exists()
        if not (self.has_add_permission(request) or self.has_change_permission(request)) or not (
            in_scope(request, data["area"]) and location_in_scope
        ):
            return JsonResponse({"message": _("This place is not in your areas.")}, status=403)
        if data["latitude"] is not None and data["longitude"] is not None:
            return JsonResponse({"timezone": geo.timezone_at(data["latitude"], data["longitude"])})
        return geocoded(Location(**{name: data[name] or "" for name in ADDRESS_FIELDS}).formatted_address())


def geocoded(address):
    geocoder = geocoding.get_geocoder()
    if geocoder is None:
        return JsonResponse({"message": _("No geocoder is set up here: drop the pin on the map instead.")}, status=404)
    try:
        found = geocoder.geocode(address)
    except Exception as error:  # a third party's failure is a message to the volunteer, never a 500
        if timed_out(error):
            message = _("The geocoder did not answer in time. Try again, or drop the pin by hand.")
            return JsonResponse({"message": message}, status=504)
        message = _("The geocoder could not be reached. Try again later, or drop the pin by hand.")
        return JsonResponse({"message": message}, status=502)
    if found is None:
        message = _("The geocoder could not find that address. Check it, or drop the pin by hand.")
        return JsonResponse({"message": message}, status=404)
    latitude, longitude, label = found
    return JsonResponse(
        {
            "latitude": round(latitude, 6),
            "longitude": round(longitude, 6),
            "label": label or "",
            "timezone": geo.timezone_at(latitude, longitude),
        }
    )


def timed_out(error):
    from geopy.exc import GeocoderTimedOut

    return isinstance(error, TimeoutError | GeocoderTimedOut)
