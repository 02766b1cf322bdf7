from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings.importing import FeedError
from meetings.meeting_guide import comparing, reading


class Command(BaseCommand):
    help = (
        "Compare two Meeting Guide feeds (JSON or CSV files) row by row, by slug: typically a source and our "
        "export of it after an import. Prints how many rows came back identical and every difference with its reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("a", help="The first feed (the source).")
        parser.add_argument("b", help="The second feed (the export).")
        parser.add_argument("--summary", action="store_true", help="Only the figures and the count of each reason.")

    def handle(self, *args, a, b, summary, **options):
        try:
            rows_a, rows_b = read(a), read(b)
        except FeedError as error:
            raise CommandError(str(error)) from None
        result = comparing.compare(rows_a, rows_b)
        write = self.stdout.write
        write(f"{result.rows} rows in {a}, {len(rows_b)} in {b}.")
        write(f"identical: {result.identical} ({result.percent(result.identical):.1f}%)")
        write(
            f"identical but for what a city-only place never shows: {result.identical_but_withheld} "
            f"({result.percent(result.identical_but_withheld):.1f}%)"
        )
        write(f"not in {b}: {len(result.missing)}; only in {b}: {len(result.extra)}")
        for reason, count in result.reasons.most_common():
            write(f"  {count:5d}  {reason}")
        if summary:
            return
        for number, slug, reason in result.missing:
            write(f"row {number} ({slug}): not in {b}: {reason}")
        for slug, fact, left, right, reason in result.differences:
            write(f"{slug}: {fact}: {left!r} -> {right!r}: {reason}")
        for slug in result.extra:
            write(f"{slug}: only in {b}")


def read(name):
    path = Path(name)
    if not path.is_file():
        raise CommandError(f"No file at {name}.")
    return reading.read_feed(path.read_bytes(), reading.guess_kind(name)).rows
