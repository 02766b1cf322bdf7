from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Commands for developers (benchmark, synthetic data, load test): installed only where DEV_TOOLS is on."""

    name = "devtools"
    verbose_name = "Developer tools"
