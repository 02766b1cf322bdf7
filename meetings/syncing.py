"""Keeping feed sources in sync: fetch, check, preview the first time, then apply at once.

A source that cannot be fetched, or sends something that is not a feed, or
would archive more than half of what it gave us, changes nothing: the error
is kept on the source and shows on the data-quality page until a sync works.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.importing import FeedError, fetch_feed, import_feed

REPORT_LIMIT = 20_000  # characters of the last report kept on the source


def sync(source, *, dry_run=False, now=None):
    """Sync one FeedSource; returns its ImportReport, or None when the source failed (its last_error says why)."""
    now = now or timezone.now()
    source.last_attempt_at = now
    kind = None if source.format == source.Format.AUTO else source.format
    try:
        feed = fetch_feed(source.url, kind)
    except FeedError as error:
        return failed(source, str(error))
    if not feed.rows:
        return failed(source, _("The source sent an empty list: nothing was changed."))
    preview = dry_run or not source.approved
    report = import_feed(
        feed.rows,
        area=source.area,
        default_timezone=source.timezone or None,
        dry_run=preview,
        source=source,
        notes=feed.notes,
        atomic=True,
    )
    if report.refused:
        return failed(source, report.refused, report)
    if not dry_run:
        heading = _("Preview (nothing applied until the first sync is approved):") if preview else ""
        source.last_error = ""
        source.last_success_at = source.last_success_at if preview else now
        source.last_report = "\n".join(filter(None, [heading, report.as_text()]))[:REPORT_LIMIT]
        source.save(update_fields=["last_attempt_at", "last_success_at", "last_error", "last_report"])
    return report


def failed(source, message, report=None):
    source.last_error = message
    if report is not None:
        source.last_report = report.as_text()[:REPORT_LIMIT]
    source.save(update_fields=["last_attempt_at", "last_error", "last_report"])
    return None
