"""The public pages: English at their own address, Spanish (and any other language) under /es/... (i18n_patterns)."""

from django.urls import path

from meetings import confirmations, maps, reports, views
from meetings.printing import views as printing

app_name = "meetings"
urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/", views.meeting_list, name="list"),
    path("meetings/map.json", maps.map_json, name="map"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="detail"),
    path("meetings/<slug:slug>.ics", views.meeting_ics, name="ics"),
    path("meetings/<slug:slug>/report/", reports.report_change, name="report"),
    path("add-a-meeting/", reports.add_meeting, name="add"),
    path("still-meeting/<slug:slug>/<str:token>/", confirmations.confirm, name="confirm"),
    path("still-meeting/<slug:slug>/<str:token>/stop/", confirmations.stop, name="confirm_stop"),
    path("print/", printing.print_list, name="print"),
    path("print.pdf", printing.print_pdf, name="print_pdf"),
    path("print/p/", printing.print_profile_new, name="print_profile_new"),
    path("print/p/<slug:token>/", printing.print_profile, name="print_profile"),
    path("print/p/<slug:token>.pdf", printing.print_profile_pdf, name="print_profile_pdf"),
]
