from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundConfig(AppConfig):
    name = "fundapp"
    verbose_name = _("Community funds")

    def ready(self):
        from fundapp import permissions  # noqa: F401  (registers the rules)
