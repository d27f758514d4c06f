from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")

    def ready(self):
        from fundapp.demo import DEMO_STEPS

        from . import permissions  # noqa: F401  (registers the rules)
        from .demo import load_proposals_demo

        if load_proposals_demo not in DEMO_STEPS:
            DEMO_STEPS.append(load_proposals_demo)
