from django.core.management.base import BaseCommand

from meetings.models import PrintProfile


class Command(BaseCommand):
    help = "Remove the saved print lists (print profiles) nobody has opened for a year. Run it daily from cron."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count them, remove nothing.")

    def handle(self, *args, dry_run, **options):
        unused = PrintProfile.objects.unused_for_a_year()
        if dry_run:
            self.stdout.write(f"{unused.count():,} saved lists not opened for a year would be removed.")
            return
        removed, _by_model = unused.delete()
        self.stdout.write(f"{removed:,} saved lists not opened for a year removed.")
