from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

admin.site.site_header = _("HA meeting directory: volunteers")
admin.site.site_title = _("HA directory admin")
admin.site.index_title = _("Keep the listings true")


@never_cache
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("groups.urls")),
    path("", include("meetings.urls")),
]
