"""Stand-ins for the services tests must never call."""


class FakeGeocoder:
    """Answers every address with `answer`, or raises `error`; remembers what it was asked."""

    def __init__(self, answer=None, error=None):
        self.answer, self.error, self.asked = answer, error, []

    def geocode(self, text):
        self.asked.append(text)
        if self.error:
            raise self.error
        return self.answer


class FakeSource:
    """A feed source on no network: serves `rows` (a list of dicts) as a feed, or raises `error` (a FeedError)."""

    def __init__(self, rows=None, error=None):
        self.rows, self.error, self.asked = rows or [], error, []

    def __call__(self, url, kind=None):
        from meetings.meeting_guide.reading import Feed

        self.asked.append(url)
        if self.error:
            raise self.error
        return Feed([dict(row) for row in self.rows], kind or "meeting-guide")
