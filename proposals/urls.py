from django.urls import path

from . import views

app_name = "proposals"
urlpatterns = [
    path("c/<str:code>/proposals/", views.proposal_list, name="list"),
    path("c/<str:code>/proposals/screening/", views.screening_queue, name="screening"),
    path("c/<str:code>/rounds/new/", views.round_open, name="round_open"),
    path("rounds/<int:round_pk>/close/", views.round_close, name="round_close"),
    path("rounds/<int:round_pk>/proposals/new/", views.proposal_create, name="create"),
    path("proposals/mine/", views.my_proposals, name="mine"),
    path("notifications/", views.notifications, name="notifications"),
    path(
        "invitations/<int:pk>/accept/",
        views.invitation_accept,
        name="invitation_accept",
    ),
    path(
        "invitations/<int:pk>/decline/",
        views.invitation_decline,
        name="invitation_decline",
    ),
    path("proposals/<int:pk>/", views.proposal_detail, name="detail"),
    path("proposals/<int:pk>/edit/<slug:step>/", views.proposal_edit, name="edit"),
    path(
        "proposals/<int:pk>/budget/totals/", views.budget_totals, name="budget_totals"
    ),
    path("proposals/<int:pk>/submit/", views.proposal_submit, name="submit"),
    path("proposals/<int:pk>/withdraw/", views.proposal_withdraw, name="withdraw"),
    path("proposals/<int:pk>/support/", views.proposal_support, name="support"),
    path(
        "proposals/<int:pk>/support/withdraw/",
        views.proposal_support_withdraw,
        name="support_withdraw",
    ),
    path("proposals/<int:pk>/screen/", views.proposal_screen, name="screen"),
    path("proposals/<int:pk>/return/", views.proposal_return, name="return"),
    path("proposals/<int:pk>/eligible/", views.proposal_mark_eligible, name="eligible"),
    path("proposals/<int:pk>/comments/", views.comment_add, name="comment"),
    path(
        "proposals/<int:pk>/comments/<int:comment_pk>/hide/",
        views.comment_hide,
        name="comment_hide",
    ),
    path("proposals/<int:pk>/compare/", views.version_compare, name="compare"),
    path(
        "proposals/<int:pk>/files/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "proposals/<int:pk>/files/<int:attachment_pk>/remove/",
        views.attachment_remove,
        name="attachment_remove",
    ),
]
