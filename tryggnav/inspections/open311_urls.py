"""Open311 GeoReport v2 (open311.py), mounted at /open311/v2/."""

from django.urls import re_path

from tryggnav.inspections import open311

app_name = "open311"

F = r"\.(?P<fmt>[a-z]+)$"

urlpatterns = [
    re_path(r"^services" + F, open311.services, name="services"),
    re_path(r"^services/(?P<code>[\w-]+)" + F, open311.service_definition, name="service"),
    re_path(r"^requests" + F, open311.requests, name="requests"),
    re_path(r"^requests/(?P<request_id>[\w-]+)" + F, open311.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[\w-]+)" + F, open311.token, name="token"),
]
