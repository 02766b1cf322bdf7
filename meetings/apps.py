from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from meetings import freshness, occurrences, search_text
        from meetings.printing import checks

        freshness.connect()
        occurrences.connect(self)
        search_text.connect()
        checks.register()
