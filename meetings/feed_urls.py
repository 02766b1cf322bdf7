"""Open data for other apps: the same in every language, so never under /es/."""

from django.urls import path

from meetings import feeds

app_name = "feeds"
urlpatterns = [
    path("feeds/meetings.ics", feeds.meetings_ics, name="ics"),
    path("feeds/meetings.csv", feeds.meetings_csv, name="csv"),
    path("feeds/meeting-guide.json", feeds.meeting_guide_json, name="meeting_guide"),
]
