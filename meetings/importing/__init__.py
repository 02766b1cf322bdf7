"""Importing a Meeting Guide feed (JSON objects or CSV rows) into one service area: plan, then apply.

Every fact the format carries is kept, or the report says why not. Rows
become one meeting only when everything but their day and time agrees, and
each weekly time keeps its own slug from the source; regions become areas
below the target area. The plan is made without writing anything (a dry run
stops there, and so does a strict import with a skipped row); it is then
applied in batches of bulk writes, each in its own short transaction, with
history records written in bulk. Importing the same feed again changes
nothing. A source kept in sync (FeedSource) also archives the meetings it no
longer lists, and leaves alone those edited here when the source says so.

plan.py reads the rows and matches them with what we have (matching.py:
areas, places, fingerprints), writing nothing; writing.py applies a plan;
report.py says what happened, or would.
"""

from django.db import transaction

from meetings.importing.plan import Plan
from meetings.importing.report import ImportReport
from meetings.meeting_guide import reading
from meetings.meeting_guide.reading import FeedError, Problem

__all__ = ["FeedError", "ImportReport", "Problem", "fetch_feed", "import_feed"]


def import_feed(
    rows, *, area, default_timezone=None, dry_run=False, strict=False, progress=None, source=None, user=None,
    notes=(), atomic=False,
):  # fmt: skip
    """Import `rows` (dicts of a feed) into `area`; returns an ImportReport. See the module's docstring.

    With `atomic`, every write is one transaction (a source kept in sync: a district's list, applied at
    once); otherwise the meetings are written BATCH at a time, so a large import never holds SQLite's
    write lock for long.
    """
    report = ImportReport(rows=len(rows), dry_run=dry_run, notes=list(notes))
    plan = Plan(area, default_timezone or (source and source.timezone) or area.timezone, report, source)
    plan.read(rows, progress)
    if strict and report.skipped:
        report.strict_failed = True
        return report
    plan.resolve()
    if report.refused or dry_run:
        return report
    if atomic:
        with transaction.atomic():
            plan.apply(progress, user)
    else:
        plan.apply(progress, user)
    return report


def fetch_feed(url, kind=None):
    """Rows of the feed at an http(s) URL (a published Google Sheet too), fetched safely (see meetings.outbound)."""
    from meetings import outbound

    address = reading.google_sheet_csv_url(url)
    try:
        data, content_type = outbound.fetch(address, max_bytes=reading.MAX_FEED_BYTES)
    except outbound.FetchError as error:
        raise FeedError(str(error)) from None
    kind = kind or reading.guess_kind(address) or ("csv" if "csv" in content_type else None)
    return reading.read_feed(data, kind)
