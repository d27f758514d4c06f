from django.core import mail
from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from django.utils.translation import gettext as _

from fundapp.demo import DEMO_PASSWORD, load_demo
from fundapp.models import User


class Command(BaseCommand):
    help = "Load the demo communities of the paper (idempotent: run it again freely)."

    def handle(self, *args, **options):
        # The demo's story sends mail (a report submitted to its department,
        # notices): it is kept in memory, never printed or sent to anyone.
        saved = getattr(mail, "outbox", None)
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
        ):
            mail.outbox = []
            try:
                logins = load_demo()
                held = len(mail.outbox)
            finally:
                if saved is None:
                    del mail.outbox
                else:
                    mail.outbox = saved
        self.stdout.write(self.style.SUCCESS("Demo loaded: JMJY and XWJ."))
        if held:
            self.stdout.write(
                f"E-mails of the demo's story kept back, not sent: {held}."
            )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        self.stdout.write(f"  {'username':<20} {'phone':<12} {'community':<10} role")
        for login in logins:
            self.stdout.write(
                f"  {login.username:<20} {login.phone:<12} {login.community:<10} "
                f"{login.role} ({_(login.role.label)})"
            )
        council = list(
            User.objects.filter(username__startswith="jmjy_council")
            .order_by("username")
            .values_list("username", flat=True)
        )
        if council:
            self.stdout.write(
                f"  {council[0]} … {council[-1]}: the other members of JMJY's council "
                "(today's meeting: chair 'coordinator', members 'councillor' and "
                f"'{council[0]}')"
            )
