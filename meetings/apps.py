from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from meetings import freshness, search_text
        from meetings.printing import checks

        freshness.connect()
        search_text.connect()
        checks.register()
