# The browser tests' Chromium, for the header check that needs a real browser.
from tests.browser.conftest import browser  # noqa: F401
