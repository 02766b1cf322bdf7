from django.shortcuts import get_object_or_404, render

from groups.models import Group, ServiceArea
from meetings.views import meeting_queryset


def group_detail(request, slug):
    group = get_object_or_404(Group.objects.select_related("area"), slug=slug)
    meetings = meeting_queryset().filter(group=group)
    return render(request, "groups/group_detail.html", {"group": group, "meetings": meetings})


def area_detail(request, slug):
    area = get_object_or_404(ServiceArea.objects.select_related("parent"), slug=slug)
    meetings = meeting_queryset().in_area(area)
    children = area.children.all()
    return render(request, "groups/area_detail.html", {"area": area, "meetings": meetings, "children": children})
