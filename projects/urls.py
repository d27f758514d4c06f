from django.urls import path

from . import views

app_name = "projects"
P = "projects/<int:pk>/"
urlpatterns = [
    path("proposals/<int:proposal_pk>/project/new/", views.project_open, name="open"),
    path(P, views.project_detail, name="project"),
    path(P + "money/", views.project_money, name="money"),
    path(
        P + "installments/<int:installment_pk>/request/",
        views.installment_request,
        name="request",
    ),
    path(
        P + "payments/<int:disbursement_pk>/sign/",
        views.disbursement_sign,
        name="sign",
    ),
    path(
        P + "payments/<int:disbursement_pk>/withdraw/",
        views.disbursement_withdraw,
        name="withdraw",
    ),
    path(P + "expenses/new/", views.expense_record, name="expense"),
    path(
        P + "expenses/<int:expense_pk>/review/",
        views.expense_review,
        name="expense_review",
    ),
    path(
        P + "expenses/<int:expense_pk>/answer/",
        views.expense_answer,
        name="expense_answer",
    ),
    path(P + "expenses/<int:expense_pk>/receipt/", views.receipt, name="receipt"),
    path(P + "returns/new/", views.return_record, name="return"),
    path(P + "close/", views.project_close, name="close"),
    path(P + "milestones/new/", views.milestone_add, name="milestone"),
    path(P + "reports/new/", views.report_file, name="report"),
    path(
        P + "reports/<int:report_pk>/review/",
        views.report_review,
        name="report_review",
    ),
    path(
        P + "reports/<int:report_pk>/answer/",
        views.report_answer,
        name="report_answer",
    ),
    path(P + "photos/<int:photo_pk>/", views.photo, name="photo"),
    path(P + "volunteers/new/", views.shift_record, name="shift"),
    path(P + "complete/", views.project_complete, name="complete"),
    path(P + "rate/", views.rating_set, name="rate"),
    path(P + "observations/new/", views.observation_record, name="observe"),
    path(P + "flags/new/", views.flag_raise, name="flag"),
    path(P + "flags/<int:flag_pk>/resolve/", views.flag_resolve, name="flag_resolve"),
    path(P + "evaluated/", views.project_mark_evaluated, name="evaluated"),
]
