import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from groups.models import ServiceArea
from meetings.importing import FeedError, fetch_feed, import_feed
from meetings.meeting_guide import reading
from meetings.schedule import timezone_names


class Command(BaseCommand):
    help = (
        "Import meetings from a Meeting Guide JSON feed or a CSV with its fields (a file, an URL, a published "
        "Google Sheet, or - for standard input)."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="A file path, an http(s) URL of a feed, or - for standard input.")
        parser.add_argument("--format", choices=["meeting-guide", "csv"], help="Default: from the content.")
        parser.add_argument("--area", required=True, help="Slug of the service area the meetings belong to.")
        parser.add_argument("--timezone", help="IANA zone for rows without one (default: the area's).")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")
        parser.add_argument("--strict", action="store_true", help="Import nothing if any row cannot be imported.")

    def handle(self, *args, source, format, area, timezone, dry_run, strict, **options):
        try:
            target = ServiceArea.objects.get(slug=area)
        except ServiceArea.DoesNotExist:
            slugs = ", ".join(ServiceArea.objects.order_by("slug").values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"There is no service area '{area}'. Areas: {slugs}.") from None
        if timezone and timezone not in timezone_names():
            raise CommandError(f"Unknown time zone '{timezone}'. Use a name like America/Phoenix.")
        try:
            feed = read_source(source, format)
        except FeedError as error:
            raise CommandError(str(error)) from None
        started = time.perf_counter()

        def progress(done, total, what):
            self.stderr.write(f"\r{what}: {done:,} / {total:,}", ending="\n" if done == total else "")

        report = import_feed(
            feed.rows,
            area=target,
            default_timezone=timezone,
            dry_run=dry_run,
            strict=strict,
            progress=progress,
            notes=feed.notes,
        )
        elapsed = time.perf_counter() - started
        prefix = "Dry run, nothing written. " if dry_run else ""
        if report.strict_failed:
            prefix = "Strict mode: nothing imported because of the problems below. "
        self.stdout.write(f"{prefix}{report.summary()} ({elapsed:.1f} s)")
        for path in report.new_areas:
            self.stdout.write(f"  new area: {path}")
        for note in report.notes:
            self.stdout.write(f"  note: {note}")
        for problem in report.problems:
            self.stdout.write(f"  {problem}")
        if report.strict_failed:
            raise CommandError(f"{report.skipped} rows cannot be imported; nothing imported (--strict).")


def read_source(source, kind):
    if source.startswith(("http://", "https://")):
        return fetch_feed(source, kind)
    if source == "-":
        data = sys.stdin.buffer.read(reading.MAX_FEED_BYTES + 1)
    else:
        path = Path(source)
        if not path.is_file():
            raise CommandError(f"No file at {source}.")
        if path.stat().st_size > reading.MAX_FEED_BYTES:
            raise CommandError(
                f"{source} is {path.stat().st_size / 1e6:.1f} MB; at most {reading.MAX_FEED_BYTES / 1e6:.0f} MB "
                "is read. Nothing was imported: split it."
            )
        data = path.read_bytes()
    return reading.read_feed(data, kind or reading.guess_kind(source))
