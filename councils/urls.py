from django.urls import path

from . import views

app_name = "councils"
urlpatterns = [
    path("c/<str:code>/council/", views.council_detail, name="council"),
    path("c/<str:code>/council/meetings/new/", views.meeting_schedule, name="schedule"),
    path(
        "c/<str:code>/council/meetings/series/new/",
        views.meeting_series_schedule,
        name="series",
    ),
    path("c/<str:code>/council/seats/new/", views.seat_assign, name="seat_assign"),
    path("c/<str:code>/council/seats/<int:pk>/end/", views.seat_end, name="seat_end"),
    path("c/<str:code>/council/settings/", views.settings_change, name="settings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/live/", views.meeting_live_fragment, name="live"),
    path("meetings/<int:pk>/act/", views.meeting_act, name="act"),
    path("meetings/<int:pk>/agenda/add/", views.agenda_add, name="agenda_add"),
    path(
        "meetings/<int:pk>/interests/new/",
        views.interest_declare,
        name="interest_declare",
    ),
    path("meetings/<int:pk>/minutes/", views.minutes_detail, name="minutes"),
    path("meetings/<int:pk>/minutes/pdf/", views.minutes_pdf, name="minutes_pdf"),
    path(
        "meetings/<int:pk>/minutes/approve/",
        views.minutes_approve,
        name="minutes_approve",
    ),
]
