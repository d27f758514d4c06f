"""The root URLconf."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from fundapp import views
from fundapp.api import router
from fundapp.forms import LoginForm

fund_patterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("me/", views.me, name="me"),
    path("me/data.json", views.my_data, name="my_data"),
    path("me/erase/", views.my_erasure, name="my_erasure"),
    path("bare/", views.bare, name="bare"),
    path("c/<str:code>/", views.fund_detail, name="fund"),
    path("c/<str:code>/ledger.csv", views.ledger_csv, name="ledger_csv"),
    path("c/<str:code>/tranches/", views.tranche_list, name="tranches"),
    path("c/<str:code>/residents/", views.residents, name="residents"),
    path(
        "c/<str:code>/residents/<int:pk>/verify/", views.resident_verify, name="verify"
    ),
    path("c/<str:code>/residents/<int:pk>/unlock/", views.login_unlock, name="unlock"),
    path("c/<str:code>/tranches/new/", views.tranche_record, name="tranche_record"),
    path("c/<str:code>/commitments/new/", views.commitment_create, name="commit"),
    path(
        "c/<str:code>/commitments/<int:pk>/release/",
        views.commitment_release,
        name="release",
    ),
    path(
        "c/<str:code>/ledger/<int:pk>/reverse/",
        views.transaction_reverse,
        name="reverse",
    ),
]

urlpatterns = [
    path("", include((fund_patterns, "fund"))),
    path("", include("proposals.urls")),
    path("", include("councils.urls")),
    path("", include("projects.urls")),
    path("", include("reports.urls")),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("api/", include("proposals.api_urls")),
    path("api/", include("projects.api_urls")),
    path("api/", include("councils.api_urls")),
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("admin/", admin.site.urls),
]

handler403 = "fundapp.views.permission_denied"
handler404 = "fundapp.views.page_not_found"
handler500 = "fundapp.failures.server_error"
