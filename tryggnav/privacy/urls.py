from django.urls import path

from tryggnav.privacy import views

app_name = "privacy"

urlpatterns = [
    path("konto/mina-uppgifter/", views.my_export, name="my_export"),
    path("organisationer/<slug:slug>/personuppgifter/", views.policy, name="policy"),
    path(
        "organisationer/<slug:slug>/personuppgifter/<uuid:member>/export/",
        views.person_export,
        name="person_export",
    ),
    path(
        "organisationer/<slug:slug>/personuppgifter/<uuid:member>/radera/",
        views.person_erase,
        name="person_erase",
    ),
]
