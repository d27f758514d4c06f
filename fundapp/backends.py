"""Log in with a phone number or a username."""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from fundapp.models import User


class PhoneOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        login = username.strip()
        user = User.objects.filter(Q(phone=login) | Q(username=login)).first()
        if user is None:
            # Spend the same time as a real check, so timing reveals no logins.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
