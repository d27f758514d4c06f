from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "councils"
    verbose_name = _("Resident councils")

    def ready(self):
        from councils import (
            permissions,  # noqa: F401  (registers the rules)
            personal,  # noqa: F401  (what it keeps about a person)
        )
