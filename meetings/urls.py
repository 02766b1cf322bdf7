from django.urls import path

from meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/", views.meeting_list, name="list"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="detail"),
]
