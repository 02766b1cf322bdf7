from django.core.management.base import BaseCommand, CommandError

from meetings.models import FeedSource
from meetings.syncing import sync


class Command(BaseCommand):
    help = (
        "Bring the changes of every due feed source (admin: Feed sources) into the directory. Run it from cron or "
        "a systemd timer, every hour say: each source is fetched only when its interval has passed. A source's "
        "first sync only previews; it applies once a volunteer approves it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", type=int, action="append", help="Only this source (id); repeatable.")
        parser.add_argument("--all", action="store_true", help="Every enabled source, due or not.")
        parser.add_argument("--dry-run", action="store_true", help="Fetch and report; change nothing.")

    def handle(self, *args, source, all, dry_run, **options):
        sources = FeedSource.objects.filter(enabled=True)
        if source:
            sources = sources.filter(pk__in=source)
        elif not all:
            sources = sources.due()
        failures = 0
        for feed_source in sources.select_related("area").order_by("pk"):
            report = sync(feed_source, dry_run=dry_run)
            if report is None:
                failures += 1
                self.stdout.write(f"{feed_source.name}: FAILED: {feed_source.last_error}")
                continue
            state = (
                "dry run" if dry_run else ("preview, waiting for approval" if not feed_source.approved else "applied")
            )
            self.stdout.write(f"{feed_source.name}: {state}: {report.summary()}")
        if failures:
            raise CommandError(f"{failures} feed sources failed; nothing was changed for them.")
