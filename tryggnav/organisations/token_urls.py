from django.urls import path

from tryggnav.organisations import token_views

app_name = "apitokens"

urlpatterns = [
    path("", token_views.apitoken_list, name="list"),
    path("ny/", token_views.apitoken_add, name="create"),
    path("<uuid:public_id>/ta-bort/", token_views.apitoken_revoke_view, name="revoke"),
]
