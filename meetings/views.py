from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from meetings.models import Meeting


def meeting_queryset():
    """What every public listing shows of a meeting, in a fixed number of queries."""
    return Meeting.objects.public().select_related("location", "group", "area").prefetch_related("times", "types")


def home(request):
    return render(request, "meetings/home.html", {})


def meeting_list(request):
    page = Paginator(meeting_queryset().order_by("name"), 50).get_page(request.GET.get("page"))
    return render(request, "meetings/meeting_list.html", {"page": page, "meetings": page.object_list})


def meeting_detail(request, slug):
    meeting = get_object_or_404(meeting_queryset(), slug=slug)
    return render(request, "meetings/meeting_detail.html", {"meeting": meeting})
