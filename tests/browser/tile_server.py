"""A stand-in tile server on 127.0.0.1: any /z/x/y.png is a plain 256×256 PNG, and every request is recorded.

Browser tests point MAP_TILES_URL at it to see when (and how) a page asks for
tiles. For a map on a development machine with no tile server:

    .venv/bin/python -m tests.browser.tile_server 8123
    MAP_TILES_URL='http://127.0.0.1:8123/{z}/{x}/{y}.png' MAP_ATTRIBUTION='Test tiles' make run
"""

import io
import re
import sys
import threading
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import NamedTuple

TILE = re.compile(r"^/\d+/\d+/\d+\.png$")


class TileRequest(NamedTuple):
    path: str
    referer: str | None


@cache
def tile_png():
    """A pale tile with a faint grid: plainly not a real map, enough to see the map's shape."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (256, 256), (242, 239, 233))
    draw = ImageDraw.Draw(image)
    for offset in range(0, 256, 64):
        draw.line([(offset, 0), (offset, 255)], fill=(222, 216, 205))
        draw.line([(0, offset), (255, offset)], fill=(222, 216, 205))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


class TileServer:
    def __init__(self, port=0):
        self.requests = []
        recorded = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                recorded.append(TileRequest(self.path, self.headers.get("Referer")))
                if not TILE.match(self.path):
                    self.send_error(404)
                    return
                body = tile_png()
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{{z}}/{{x}}/{{y}}.png"

    @property
    def tiles(self):
        return [r for r in self.requests if TILE.match(r.path)]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


if __name__ == "__main__":
    with TileServer(int(sys.argv[1]) if len(sys.argv) > 1 else 8123) as server:
        print(f"MAP_TILES_URL={server.url}", flush=True)
        server.thread.join()
