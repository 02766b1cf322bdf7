"""Permissions-Policy: the browser features our pages never use are switched off.

Only geolocation stays, for our own pages ("Use my location"); a page of ours
framed or scripted by anyone else gets nothing. Django and django-csp send the
other security headers (see settings.py).
"""

from django.conf import settings


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.value = ", ".join(
            f"{feature}=({' '.join(allowed)})" for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.value)
        return response
