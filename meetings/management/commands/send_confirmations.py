from django.core.management.base import BaseCommand

from meetings.confirmations import groups_to_ask, send_many


class Command(BaseCommand):
    help = (
        "Email a “still meeting?” link to each group whose meetings it has not confirmed for five months "
        "and that was not asked in the last 30 days (run monthly from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List the groups; send nothing.")

    def handle(self, *args, dry_run=False, **options):
        groups = list(groups_to_ask().select_related("area"))
        if dry_run:
            for group in groups:
                self.stdout.write(f"{group.area.name}: {group.name} <{group.contact_email}>")
            self.stdout.write(f"{len(groups)} groups would be asked.")
            return
        sent = send_many(groups)
        self.stdout.write(f"{len(sent)} emails sent.")
