"""The address of the client a request came from, and only one way to get it.

Without a proxy it is REMOTE_ADDR. Behind proxies the operator says how many
there are (TRUSTED_PROXY_COUNT) or which header the nearest one sets to the
address it saw (CLIENT_ADDRESS_HEADER). X-Forwarded-For is read from the
right: each proxy appends the address it received the request from, so the
entry the outermost trusted proxy added is the client. Everything to the left
of it was written by the client and proves nothing; reading the first entry,
as the report form once did, let anyone be anyone.
"""

import ipaddress

from django.conf import settings


def client_address(request):
    """The client's IP address as a string ("" when there is none to trust)."""
    remote = valid_address(request.META.get("REMOTE_ADDR", ""))
    header = settings.CLIENT_ADDRESS_HEADER
    if header:
        key = "HTTP_" + header.upper().replace("-", "_")
        return valid_address(request.META.get(key, "")) or remote
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    entries = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    if len(entries) < count:
        # The request did not come through every proxy we were told about:
        # the only address we know is the peer's.
        return remote
    return valid_address(entries[-count]) or remote


def valid_address(value):
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:51234"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return ""
