from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from groups import scope
from ha_directory import accounts
from meetings import api, digests, occurrences, quality, seo

admin.site.site_header = _("HA meeting directory: volunteers")
admin.site.site_title = _("HA directory admin")
admin.site.index_title = _("Keep the listings true")


@never_cache
def healthz(request):
    """200 "ok" while the site can serve; 503 saying why when the database does not answer or dates run out."""
    try:
        last = occurrences.falling_short()
    except DatabaseError:
        return HttpResponse("The database does not answer.\n", status=503, content_type="text/plain")
    if last:
        message = f"The dates of meetings end on {last}: run `manage.py extend_occurrences` daily.\n"
        return HttpResponse(message, status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to our icon."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon),
    # Volunteers reset their own password by email (the admin login links here).
    path("admin/password_reset/", accounts.PasswordResetView.as_view(), name="admin_password_reset"),
    path("admin/password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("admin/quality/", quality.quality, name="admin_quality"),
    path("admin/notifications/", digests.my_notifications, name="admin_notifications"),
    # Before the admin's own "view on site", which would answer for any record.
    path("admin/r/<path:content_type_id>/<path:object_id>/", admin.site.admin_view(scope.view_on_site)),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls()),
    path("sitemap.xml", sitemap, {"sitemaps": seo.SITEMAPS}, name="sitemap"),
    path("robots.txt", seo.robots_txt, name="robots"),
    path("", include("meetings.feed_urls")),
]
# The pages people read: English unprefixed (bookmarks and printed QR codes keep working), Spanish under /es/.
urlpatterns += i18n_patterns(
    path("", include("groups.urls")),
    path("", include("meetings.urls")),
    prefix_default_language=False,
)
