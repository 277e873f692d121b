"""Open311 GeoReport v2 (open311.py), mounted at /open311/v2/. The format is the
extension: xml or json (another gets an Open311 error)."""

from django.urls import path

from tryggnav.inspections import open311

app_name = "open311"

urlpatterns = [
    path("services.<str:fmt>", open311.services, name="services"),
    path("services/<str:code>.<str:fmt>", open311.service_definition, name="service"),
    path("requests.<str:fmt>", open311.requests, name="requests"),
    path("requests/<str:request_id>.<str:fmt>", open311.request_detail, name="request"),
    path("tokens/<str:token>.<str:fmt>", open311.token, name="token"),
]
