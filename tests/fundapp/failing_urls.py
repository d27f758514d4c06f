"""The site's URLs and two that fail, for the server error page's tests."""

from django.db import OperationalError
from django.urls import path

from fundapp.urls import handler403, handler500, urlpatterns  # noqa: F401


def fails(request):
    raise RuntimeError("a bug")


def loses_the_database(request):
    raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [
    path("fails/", fails),
    path("loses-the-database/", loses_the_database),
    *urlpatterns,
]
