OPEN_DATA_PREFIXES = ("/feeds/", "/api/")


class OpenDataCorsMiddleware:
    """Let any site or app read our feeds and API from a browser (GET only, no credentials)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(OPEN_DATA_PREFIXES) and request.method in ("GET", "HEAD", "OPTIONS"):
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        return response
