from django.urls import path

from groups import views

app_name = "groups"
urlpatterns = [
    path("groups/<slug:slug>/", views.group_detail, name="group"),
    path("areas/<slug:slug>/", views.area_detail, name="area"),
]
