from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from groups.models import Group, ServiceArea
from meetings import card_dates, card_parts, kept_rows
from meetings.cards import LATER, by_day, next_dates_of, present
from meetings.models import MeetingTime, Occurrence
from meetings.page_cache import for_the_minute
from meetings.pagination import page_with_total


@require_safe
@for_the_minute
def group_detail(request, slug):
    group = get_object_or_404(Group.objects.select_related("area"), slug=slug)
    now = timezone.now()
    times = list(MeetingTime.objects.public().for_cards(types=False).filter(meeting__group=group).order_by("pk"))
    # Every time of the group, now first: each at its next date, those with none left (a past event) last.
    rows = sorted(present(times, now, next_dates=next_dates_of(times, now)), key=lambda row: row.starts or LATER)
    card_parts.attach(rows)
    return render(request, "groups/group_detail.html", {"group": group, "rows": rows, "days": by_day(rows)})


@require_safe
@for_the_minute
def area_detail(request, slug):
    # The area, its parent and its children are kept under the listings version (an area's save bumps it), as a
    # meeting's page keeps its meeting (kept_rows.py): two queries a first visitor of the minute no longer runs.
    areas = ServiceArea.objects.select_related("parent").prefetch_related("children")
    area = kept_rows.in_bulk(areas, [slug], field_name="slug").get(slug)
    if area is None:
        raise Http404
    now = timezone.now()
    dates = Occurrence.objects.public().in_area(area).coming(now).ordered_by("time")
    rows = Occurrence.objects.public().for_cards(types=False)  # card_parts.attach reads the types it needs
    page = page_with_total(dates, request.GET.get("page"), 100, rows=rows, read=card_dates.in_bulk)
    context = {
        "area": area,
        "children": area.children.all(),
        "page": page,
        "days": by_day(card_parts.attach(present(page.object_list, now))),
        "page_query": "",
    }
    return render(request, "groups/area_detail.html", context)
