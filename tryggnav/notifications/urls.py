from django.urls import path

from tryggnav.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("installningar/", views.preferences, name="preferences"),
    path("las-alla/", views.notifications_read_all, name="read_all"),
    path("<uuid:public_id>/oppna/", views.notification_open, name="open"),
    path(
        "paminn/<slug:slug>/<slug:organisation>/<str:week>/",
        views.remind,
        name="remind",
    ),
]
