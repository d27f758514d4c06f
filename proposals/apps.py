from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")

    def ready(self):
        from . import (
            permissions,  # noqa: F401  (registers the rules)
            personal,  # noqa: F401  (what it keeps about a person)
        )
