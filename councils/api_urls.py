"""The councils' open data routes, included under /api/ by fundapp.urls."""

from .api import router

urlpatterns = router.urls
