from django.core.management.base import BaseCommand

from meetings.digests import send_all


class Command(BaseCommand):
    help = "Email each volunteer the day's new requests and edits in their area (run daily from cron)."

    def handle(self, *args, **options):
        sent = send_all()
        self.stdout.write(f"{sent} digests sent.")
