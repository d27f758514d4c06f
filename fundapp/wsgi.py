import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fundapp.settings")
application = get_wsgi_application()

from fundapp.warmup import warm  # noqa: E402 (needs the settings above)

warm()
