"""A system check: say at start-up, rather than at the first PDF, when WeasyPrint cannot be loaded."""

from django.core import checks

from meetings.printing.pdf import INSTALL_HINT


def weasyprint_can_load(app_configs, **kwargs):
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        message = f"WeasyPrint cannot be loaded ({error}): /print.pdf answers 503 until it can."
        return [checks.Warning(message, hint=f"Install its libraries: {INSTALL_HINT}", id="meetings.W001")]
    return []


def register():
    checks.register(weasyprint_can_load, checks.Tags.compatibility)
