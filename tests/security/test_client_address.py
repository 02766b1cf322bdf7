"""One client address for rate limits and lockouts: never the X-Forwarded-For entry a client wrote."""

import pytest
from django.test import RequestFactory

from ha_directory.clients import client_address

PROXY = "127.0.0.1"


def request_from(remote=PROXY, forwarded=None, **headers):
    meta = {"REMOTE_ADDR": remote, **headers}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_a_proxy_it_is_the_peer_whatever_the_headers_say(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request_from("198.51.100.4", forwarded="203.0.113.7")) == "198.51.100.4"


def test_behind_one_proxy_it_is_the_entry_that_proxy_appended(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request_from(forwarded="203.0.113.7")) == "203.0.113.7"


@pytest.mark.parametrize("spoofed", ["1.2.3.4", "1.2.3.4, 5.6.7.8", "not-an-address", "::1"])
def test_a_client_cannot_choose_its_address_by_writing_the_header_first(settings, spoofed):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request_from(forwarded=f"{spoofed}, 203.0.113.7")) == "203.0.113.7"


def test_behind_two_proxies_it_is_the_entry_the_outer_one_appended(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    # client-written, then the CDN's view of the client, then the CDN's own address seen by our proxy
    assert client_address(request_from(forwarded="1.2.3.4, 203.0.113.7, 192.0.2.10")) == "203.0.113.7"


def test_a_request_that_skipped_a_proxy_counts_as_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request_from("192.0.2.99", forwarded="203.0.113.7")) == "192.0.2.99"


def test_garbage_in_the_trusted_entry_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request_from("192.0.2.99", forwarded="1.2.3.4, <script>")) == "192.0.2.99"


def test_a_header_the_proxy_overwrites_can_be_named_instead(settings):
    settings.CLIENT_ADDRESS_HEADER = "X-Real-IP"
    settings.TRUSTED_PROXY_COUNT = 0
    request = request_from(forwarded="1.2.3.4", HTTP_X_REAL_IP="203.0.113.7")
    assert client_address(request) == "203.0.113.7"


def test_addresses_with_ports_and_ipv6_are_normalised(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request_from(forwarded="203.0.113.7:51234")) == "203.0.113.7"
    assert client_address(request_from(forwarded="[2001:DB8::1]:443")) == "2001:db8::1"
