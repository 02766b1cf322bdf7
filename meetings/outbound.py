"""Fetching from the internet on a volunteer's or a timer's behalf, and only from the public internet.

Import by URL, feed sources and the geocoder come through here. An address is
checked after DNS resolution, at every redirect, and the connection goes to
the very address that was checked (a name that resolves to a public address
for the check and a private one for the connection gains nothing). Private,
loopback, link-local, shared, multicast and reserved addresses are refused;
only the standard ports 80 and 443. Every failure to connect reads the same,
so the messages cannot tell an open port from a closed one. A whole fetch has
one time limit, and a size limit that is said, never a silent cut.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from urllib.parse import urljoin, urlsplit

from django.utils.translation import gettext as _

MAX_REDIRECTS = 5
TIMEOUT = 20  # seconds for the whole fetch, redirects included
USER_AGENT = "HA-meeting-directory/1.0 (feed import)"
PORTS = {"http": 80, "https": 443}


class FetchError(Exception):
    """A fetch that was refused or failed, with a message for a volunteer."""


def resolve(host, port):
    """The host's addresses (getaddrinfo); a seam for tests, which never touch the network."""
    return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def connect(address, port, timeout):
    """A TCP connection to an address already checked; a seam for tests."""
    return socket.create_connection((address, port), timeout=timeout)


def is_public(address):
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_private or ip.is_loopback)


def fetch(url, *, max_bytes, timeout=TIMEOUT, accept="application/json, text/csv, */*;q=0.5"):
    """(body bytes, content type) of a GET of `url`, following up to five redirects, each checked again."""
    deadline = time.monotonic() + timeout
    for _hop in range(MAX_REDIRECTS + 1):
        parts = checked(url)
        status, headers, body = get_once(parts, max_bytes, deadline, accept)
        if status in (301, 302, 303, 307, 308) and headers.get("location"):
            url = urljoin(url, headers["location"])
            continue
        if status != 200:
            raise FetchError(_("%(url)s answered with HTTP status %(status)d.") % {"url": shown(url), "status": status})
        return body, headers.get("content-type", "")
    raise FetchError(_("%(url)s redirects more than %(n)d times.") % {"url": shown(url), "n": MAX_REDIRECTS})


def checked(url):
    parts = urlsplit(url)
    if parts.scheme not in PORTS or not parts.hostname:
        raise FetchError(_("Only http:// and https:// addresses can be fetched."))
    if parts.username or parts.password:
        raise FetchError(_("Addresses with a user name or password are not fetched."))
    try:
        port = parts.port or PORTS[parts.scheme]
    except ValueError:
        port = -1
    if port != PORTS[parts.scheme]:
        raise FetchError(_("Only the standard ports are fetched (80 for http, 443 for https)."))
    return parts


def get_once(parts, max_bytes, deadline, accept):
    host, port = parts.hostname, PORTS[parts.scheme]
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError):
        raise FetchError(_("%(host)s cannot be found: check the address.") % {"host": host[:100]}) from None
    if not addresses or not all(is_public(address) for address in addresses):
        raise FetchError(
            _("%(host)s is not on the public internet: only public addresses are fetched.") % {"host": host[:100]}
        )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = None
    try:
        sock = connect(addresses[0], port, remaining(deadline))
        if parts.scheme == "https":
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
        connection = http.client.HTTPConnection(host, port, timeout=remaining(deadline))
        connection.sock = sock
        connection.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": accept, "Host": host})
        response = connection.getresponse()
        headers = {name.lower(): value for name, value in response.getheaders()}
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise FetchError(too_large(parts.geturl(), int(length), max_bytes))
        chunks, size = [], 0
        while chunk := response.read(min(65536, max_bytes + 1 - size) or 1):
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(too_large(parts.geturl(), None, max_bytes))
            if time.monotonic() > deadline:
                raise TimeoutError
        return response.status, headers, b"".join(chunks)
    except FetchError:
        raise
    except (OSError, http.client.HTTPException, ValueError):
        # One message for refused, reset, timed out and TLS failures alike: no port scanning through us.
        raise FetchError(
            _("%(url)s could not be fetched: no usable answer in time.") % {"url": shown(parts.geturl())}
        ) from None
    finally:
        if connection is not None:
            connection.close()


def remaining(deadline):
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def too_large(url, size, limit):
    if size:
        return _("%(url)s is %(size)s MB; at most %(limit)s MB is read. Nothing was imported.") % {
            "url": shown(url), "size": f"{size / 1e6:.1f}", "limit": f"{limit / 1e6:.0f}"}  # fmt: skip
    return _("%(url)s is larger than %(limit)s MB, the most that is read. Nothing was imported.") % {
        "url": shown(url), "limit": f"{limit / 1e6:.0f}"}  # fmt: skip


def shown(url):
    return url if len(url) <= 100 else url[:97] + "..."
