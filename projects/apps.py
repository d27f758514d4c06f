from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Funded projects")

    def ready(self):
        from . import (
            permissions,  # noqa: F401  (registers the rules)
            personal,  # noqa: F401  (what it keeps about a person)
            sections,  # noqa: F401  (adds to the fund's and proposals' pages)
        )
