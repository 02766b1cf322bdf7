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


FORM_PREFIXES = ("/admin/", "/reset/")


class SameOriginReferrerForFormsMiddleware:
    """`Referrer-Policy: same-origin` where people post forms, `no-referrer` everywhere else.

    With no-referrer, browsers send `Origin: null` with a form's POST and
    Django's CSRF check refuses it. same-origin still tells no other host
    anything. SecurityMiddleware sets no-referrer only where this has not.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(FORM_PREFIXES) or getattr(response, "posts_to_self", False):
            response["Referrer-Policy"] = "same-origin"
        return response
