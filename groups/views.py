from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from groups.models import Group, ServiceArea
from meetings.cards import by_day, present
from meetings.models import MeetingTime


@require_safe
def group_detail(request, slug):
    group = get_object_or_404(Group.objects.select_related("area"), slug=slug)
    times = MeetingTime.objects.public().for_cards().filter(meeting__group=group)
    times = times.order_by("weekday", "start_time", "pk")
    return render(request, "groups/group_detail.html", {"group": group, "rows": present(times, timezone.now())})


@require_safe
def area_detail(request, slug):
    area = get_object_or_404(ServiceArea.objects.select_related("parent"), slug=slug)
    times = MeetingTime.objects.public().for_cards().in_area(area)
    times = times.order_by("weekday", "start_time", "meeting__name", "pk")
    # A big area: COUNT then a page walks fewer rows than a window over every time of the area.
    page = Paginator(times, 100).get_page(request.GET.get("page"))
    context = {
        "area": area,
        "children": area.children.all(),
        "page": page,
        "days": by_day(present(page.object_list, timezone.now())),
        "page_query": "",
    }
    return render(request, "groups/area_detail.html", context)
