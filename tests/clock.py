"""Frozen clocks for tests: travel to a moment and keep the real dates of meetings as of that moment.

In production the table of dates follows the real clock (every save and the
daily extend_occurrences). A test that stops the clock elsewhere writes the
dates again from that moment, as the daily job would have.
"""

from contextlib import contextmanager

import time_machine

from meetings import occurrences
from meetings.models import Meeting


@contextmanager
def frozen(moment):
    with time_machine.travel(moment, tick=False):
        occurrences.refresh(Meeting.objects.values_list("pk", flat=True))
        yield
