import csv
import json
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from groups.models import ServiceArea
from meetings import meeting_guide as mg


class Command(BaseCommand):
    help = "Write the active meetings in the Meeting Guide format (JSON) or as CSV with the same columns."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["meeting-guide", "csv"], default="meeting-guide")
        parser.add_argument("--output", help="A file to write (default: standard output).")
        parser.add_argument("--area", help="Only this service area and the areas below it.")

    def handle(self, *args, format, output, area, **options):
        meetings = mg.feed_queryset()
        if area:
            try:
                meetings = meetings.in_area(ServiceArea.objects.get(slug=area))
            except ServiceArea.DoesNotExist:
                raise CommandError(f"There is no service area '{area}'.") from None
        objects = mg.serialize(meetings, settings.SITE_URL)
        out = open(output, "w", newline="", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
        try:
            if format == "csv":
                writer = csv.DictWriter(out, fieldnames=mg.COLUMNS)
                writer.writeheader()
                writer.writerows(mg.csv_row(obj) for obj in objects)
            else:
                json.dump(list(objects), out, ensure_ascii=False, indent=1)
                out.write("\n")
        finally:
            if output:
                out.close()
