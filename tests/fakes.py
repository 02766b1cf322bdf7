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
