"""Printed lists and PDFs (placeholder until the print issue lands)."""

from django.http import HttpResponse


def print_list(request):
    return HttpResponse("Printed lists are coming soon.", content_type="text/plain")


def print_pdf(request):
    return HttpResponse("Printed lists are coming soon.", content_type="text/plain", status=501)
