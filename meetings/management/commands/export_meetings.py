import io
import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from django.utils import timezone

from meetings.filters import MeetingFilter
from meetings.meeting_guide import writing
from meetings.models import MeetingTime


class Command(BaseCommand):
    help = (
        "Write the public meetings in the Meeting Guide format (JSON) or as CSV with the same fields; "
        "--area and --filter take the search parameters of /meetings/."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["meeting-guide", "csv"], default="meeting-guide")
        parser.add_argument("--output", help="A file to write (default: standard output).")
        parser.add_argument("--area", help="Only this service area and the areas below it.")
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="A search parameter, as in a /meetings/ link (day=1, type=W, lang=es...); repeatable.",
        )

    def handle(self, *args, format, output, area, filter, **options):
        query = QueryDict(mutable=True)
        for item in filter:
            name, sep, value = item.partition("=")
            if not sep:
                raise CommandError(f"--filter takes NAME=VALUE, not '{item}'.")
            query.appendlist(name, value)
        if area:
            query["area"] = area
        search = MeetingFilter(query, queryset=MeetingTime.objects.public(), now=timezone.now())
        if search.problems:
            raise CommandError(" ".join(f"{p['field']}: {p['message']}" for p in search.problems))
        root = search.cleaned.get("area")
        ctx = writing.context(settings.SITE_URL, root=root)
        if any(value not in (None, "", [], False) for name, value in search.cleaned.items() if name != "area"):
            objects = writing.times_objects(search.qs, ctx)
        else:
            meetings = writing.feed_queryset()
            objects = writing.objects(writing.records(meetings.in_area(root) if root else meetings), ctx)
        out = open(output, "w", newline="", encoding="utf-8") if output else io.StringIO()  # noqa: SIM115
        try:
            if format == "csv":
                writing.write_csv(out, objects)
            else:
                json.dump(list(objects), out, ensure_ascii=False, indent=1)
                out.write("\n")
            if not output:
                self.stdout.write(out.getvalue(), ending="")
        finally:
            out.close()
