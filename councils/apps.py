from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "councils"
    verbose_name = _("Resident councils")

    def ready(self):
        from councils import permissions  # noqa: F401  (registers the rules)
        from councils.demo import load_councils_demo
        from fundapp.demo import DEMO_STEPS

        # Appended here, after the proposals app's ready() (INSTALLED_APPS
        # order), so the council's demo finds the demo proposals.
        if load_councils_demo not in DEMO_STEPS:
            DEMO_STEPS.append(load_councils_demo)
