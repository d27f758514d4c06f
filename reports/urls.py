from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("c/<str:code>/reports/", views.report_home, name="home"),
    path("c/<str:code>/report-back/", views.public_list, name="public_list"),
    path("c/<str:code>/audit/", views.audit, name="audit"),
    path("c/<str:code>/audit.csv", views.audit_csv, name="audit_csv"),
    path("c/<str:code>/report-back/<int:year>/", views.public_report, name="public"),
    path("reports/v/<int:pk>/", views.version_detail, name="version"),
    path("reports/v/<int:pk>/status/", views.version_progress, name="progress"),
    path("reports/v/<int:pk>/submit/", views.version_submit, name="submit"),
    path("reports/v/<int:pk>/<str:part>", views.version_file, name="file"),
    path("reports/inbox/", views.inbox, name="inbox"),
    path("programs/<str:code>/", views.program_detail, name="program"),
]
