import time

from django.core.management.base import BaseCommand

from meetings import occurrences


class Command(BaseCommand):
    help = (
        "Keep the real dates of every meeting for the coming weeks and forget past ones. "
        "Run it daily (cron or a systemd timer); saving a meeting keeps its own dates by itself."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()

        def progress(done, total):
            self.stderr.write(f"\r{done:,} / {total:,} meetings", ending="")
            if done == total:
                self.stderr.write("")

        written, removed = occurrences.extend(progress=progress if options["verbosity"] > 1 else None)
        self.stdout.write(
            f"{written:,} dates written, {removed:,} past dates removed; the table now reaches "
            f"{occurrences.horizon() or 'no date'} ({time.perf_counter() - started:.1f} s)."
        )
