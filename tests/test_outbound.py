"""Fetching feeds from the public internet only: checked after DNS, at every redirect, bounded in time and size.

No test touches the network: name resolution and the connection are replaced by fakes.
"""

import socket

import pytest

from meetings import outbound
from meetings.importing import FeedError, fetch_feed

PUBLIC = "93.184.216.34"


@pytest.fixture
def internet(monkeypatch):
    """A fake internet: {host: address} for DNS and {address: raw HTTP response} for the servers."""
    dns, servers, asked, peers = {}, {}, [], []

    def resolve(host, port):
        if host not in dns:
            raise socket.gaierror("unknown")
        return [dns[host]]

    def connect(address, port, timeout):
        asked.append(address)
        answer = servers.get(address)
        if answer is None:
            raise ConnectionRefusedError
        if answer == "timeout":
            raise TimeoutError
        ours, theirs = socket.socketpair()
        theirs.sendall(answer)
        theirs.shutdown(socket.SHUT_WR)  # the answer ends there; our request can still be sent
        peers.append(theirs)
        return ours

    monkeypatch.setattr(outbound, "resolve", resolve)
    monkeypatch.setattr(outbound, "connect", connect)
    yield dns, servers, asked
    for peer in peers:
        peer.close()


def http(body=b"[]", status="200 OK", headers=()):
    lines = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", "Content-Type: application/json", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def test_a_public_feed_is_fetched(internet):
    dns, servers, _asked = internet
    dns["feeds.example"] = PUBLIC
    servers[PUBLIC] = http(b'[{"name": "Hope", "slug": "hope"}]')
    assert fetch_feed("http://feeds.example/meetings.json").rows == [{"name": "Hope", "slug": "hope"}]


@pytest.mark.parametrize(
    "address", ["127.0.0.1", "10.0.0.5", "192.168.1.1", "169.254.169.254", "100.64.0.1", "::1", "::ffff:127.0.0.1",
                "fd00::1", "224.0.0.1", "0.0.0.0"],
)  # fmt: skip
def test_private_and_special_addresses_are_refused_after_resolution(internet, address):
    dns, servers, asked = internet
    dns["innocent.example"] = address
    servers[address] = http()
    with pytest.raises(FeedError, match="is not on the public internet"):
        fetch_feed("http://innocent.example/feed.json")
    assert asked == []  # never connected


def test_a_redirect_to_a_private_address_is_refused(internet):
    dns, servers, asked = internet
    dns["feeds.example"], dns["intranet.example"] = PUBLIC, "10.1.2.3"
    servers[PUBLIC] = http(b"", "302 Found", ["Location: http://intranet.example/admin"])
    servers["10.1.2.3"] = http()
    with pytest.raises(FeedError, match="intranet.example is not on the public internet"):
        fetch_feed("http://feeds.example/feed.json")
    assert asked == [PUBLIC]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://feeds.example:8080/feed.json", "standard ports"),
        ("file:///etc/passwd", "Only http:// and https://"),
        ("ftp://feeds.example/feed.json", "Only http:// and https://"),
        ("http://user:secret@feeds.example/feed.json", "user name or password"),
        ("http://nowhere.example/feed.json", "cannot be found"),
    ],
)
def test_other_addresses_are_refused_with_a_reason(internet, url, message):
    internet[0]["feeds.example"] = PUBLIC
    with pytest.raises(FeedError, match=message):
        fetch_feed(url)


def test_a_closed_port_and_a_silent_one_read_the_same(internet):
    dns, servers, _asked = internet
    dns["closed.example"], dns["silent.example"] = PUBLIC, "93.184.216.35"
    servers["93.184.216.35"] = "timeout"
    messages = []
    for host in ("closed.example", "silent.example"):
        with pytest.raises(FeedError) as error:
            fetch_feed(f"http://{host}/feed.json")
        messages.append(str(error.value).replace(host, "HOST"))
    assert messages[0] == messages[1] == "http://HOST/feed.json could not be fetched: no usable answer in time."


def test_a_feed_larger_than_the_limit_is_refused_not_cut(internet):
    dns, servers, _asked = internet
    dns["big.example"] = PUBLIC
    servers[PUBLIC] = http(b"[" + b"1," * 600 + b"1]")
    with pytest.raises(outbound.FetchError, match="at most 0 MB is read"):
        outbound.fetch("http://big.example/feed.json", max_bytes=1000)
    servers[PUBLIC] = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n" + b"[" + b"1," * 600 + b"1]"
    with pytest.raises(outbound.FetchError, match="larger than 0 MB, the most that is read"):
        outbound.fetch("http://big.example/feed.json", max_bytes=1000)


def test_an_error_status_is_said(internet):
    dns, servers, _asked = internet
    dns["feeds.example"] = PUBLIC
    servers[PUBLIC] = http(b"gone", "404 Not Found")
    with pytest.raises(FeedError, match="HTTP status 404"):
        fetch_feed("http://feeds.example/feed.json")


def test_the_geocoder_goes_through_the_same_checks(internet, settings):
    from meetings import geocoding

    settings.GEOCODER = "nominatim"
    internet[0]["nominatim.openstreetmap.org"] = "127.0.0.1"
    assert geocoding.get_geocoder().geocode("100 Main St, Phoenix") is None
    assert internet[2] == []  # refused before any connection
