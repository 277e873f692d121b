"""Open311 GeoReport v2, through a small client written from the published specification
(wiki.open311.org/GeoReport_v2): the fields each answer must have, and errors as a list
of {code, description}."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from django.test import Client

from tests.inspections import factories as f
from tryggnav.inspections import citizen, services
from tryggnav.inspections.models_citizen import CitizenReport

BASE = "/open311/v2/"
SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords",
                  "group"}  # fmt: skip
REQUEST_FIELDS = {"service_request_id", "status", "status_notes", "service_name", "service_code",
                  "description", "agency_responsible", "service_notice", "requested_datetime",
                  "updated_datetime", "expected_datetime", "address", "address_id", "zipcode",
                  "lat", "long", "media_url"}  # fmt: skip


class GeoReportError(Exception):
    def __init__(self, status: int, errors: list[dict]) -> None:
        super().__init__(status, errors)
        self.status, self.errors = status, errors


class GeoReportClient:
    """The client side of GeoReport v2 (JSON): every call checks the answer's shape."""

    def __init__(self, http: Client, jurisdiction_id: str | None = None) -> None:
        self.http, self.jurisdiction_id = http, jurisdiction_id

    def _answer(self, response, ok=(200,)):
        body = response.json()
        if response.status_code not in ok:
            assert isinstance(body, list) and body, body
            for error in body:
                assert set(error) == {"code", "description"}, error
                assert error["code"] == response.status_code
            raise GeoReportError(response.status_code, body)
        return body

    def _params(self, **params):
        if self.jurisdiction_id:
            params["jurisdiction_id"] = self.jurisdiction_id
        return {k: v for k, v in params.items() if v is not None}

    def services(self) -> list[dict]:
        body = self._answer(self.http.get(BASE + "services.json", self._params()))
        for service in body:
            assert set(service) >= SERVICE_FIELDS
            assert service["type"] in ("realtime", "batch", "blackbox")
            assert isinstance(service["metadata"], bool)
        return body

    def service_definition(self, code: str) -> dict:
        body = self._answer(self.http.get(f"{BASE}services/{code}.json", self._params()))
        assert body["service_code"] == code and isinstance(body["attributes"], list)
        return body

    def create(self, **fields) -> dict:
        response = self.http.post(BASE + "requests.json", self._params(**fields))
        body = self._answer(response, ok=(200, 201))
        assert len(body) == 1 and ("service_request_id" in body[0] or "token" in body[0])
        return body[0]

    def token(self, token: str) -> list[dict]:
        return self._answer(self.http.get(f"{BASE}tokens/{token}.json", self._params()))

    def requests(self, **filters) -> list[dict]:
        body = self._answer(self.http.get(BASE + "requests.json", self._params(**filters)))
        for request in body:
            self._check_request(request)
        return body

    def request(self, request_id: str) -> dict:
        body = self._answer(self.http.get(f"{BASE}requests/{request_id}.json", self._params()))
        assert len(body) == 1
        self._check_request(body[0])
        return body[0]

    @staticmethod
    def _check_request(request: dict) -> None:
        assert set(request) >= REQUEST_FIELDS
        assert request["status"] in ("open", "closed")
        assert isinstance(request["lat"], float) and isinstance(request["long"], float)


@pytest.fixture
def client311(world):
    return GeoReportClient(Client(REMOTE_ADDR="192.0.2.50"), jurisdiction_id="0180")


def test_services_and_definition(client311):
    services_ = client311.services()
    codes = {s["service_code"] for s in services_}
    assert {"belysning", "klotter", "otrygg"} <= codes
    assert all(s["type"] == "batch" for s in services_)
    client311.service_definition("belysning")
    with pytest.raises(GeoReportError) as missing:
        client311.service_definition("finns-inte")
    assert missing.value.status == 404


def test_create_moderate_get_and_list(world, client311):
    created = client311.create(service_code="belysning", lat=f.LAT, long=f.LON,
                               description="Gatlampan är släckt.", email="anna@example.se",
                               first_name="Anna", phone="0701234567", api_key="whatever")  # fmt: skip
    token = created["token"]
    assert client311.token(token) == [{"token": token}]  # waiting for moderation
    with pytest.raises(GeoReportError):
        client311.request(token)  # not public before moderation
    report = CitizenReport.objects.get()
    assert report.via == "open311" and "Anna" not in str(report.__dict__)
    citizen.report_moderate(report=report, by=world.user("coordinator"), approve=True,
                            public_title="Släckt gatlampa", public_text="Vid stigen.")  # fmt: skip
    request_id = client311.token(token)[0]["service_request_id"]
    got = client311.request(request_id)
    assert got["service_code"] == "belysning" and got["status"] == "open"
    assert got["description"].startswith("Släckt gatlampa")
    assert "anna" not in str(got).lower()
    assert [r["service_request_id"] for r in client311.requests()] == [request_id]
    assert client311.requests(status="closed") == []
    assert len(client311.requests(status="open,closed", service_code="belysning,klotter")) == 1
    assert client311.requests(service_code="klotter") == []
    assert len(client311.requests(service_request_id=request_id)) == 1
    assert client311.requests(start_date="2100-01-01T00:00:00Z") == []
    assert len(client311.requests(start_date="2000-01-01")) == 1
    assert len(client311.requests(start_date="2000-01-01T00:00:00Z",
                                  end_date="2100-01-01T00:00:00+01:00")) == 1  # fmt: skip
    # Fixed by the owner: closed.
    d = CitizenReport.objects.get().deficiency
    services.deficiency_fix(deficiency=d, by=world.user("coordinator"), note="Bytt")
    assert client311.request(request_id)["status"] == "closed"
    assert len(client311.requests(status="closed")) == 1


def test_errors_are_lists_of_code_and_description(world, client311):
    cases = [
        ({"service_code": "nope", "lat": f.LAT, "long": f.LON, "description": "x"}, 400),
        ({"service_code": "belysning", "lat": "norr", "long": f.LON, "description": "x"}, 400),
        ({"service_code": "belysning", "lat": f.LAT, "long": f.LON, "description": ""}, 400),
        ({"service_code": "belysning", "lat": f.LAT, "long": f.LON, "description": "x",
          "email": "inte en adress"}, 400),
    ]  # fmt: skip
    for fields, status in cases:
        with pytest.raises(GeoReportError) as refused:
            client311.create(**fields)
        assert refused.value.status == status, fields
    for filters in ({"start_date": "igår"}, {"status": "pending"},
                    {"service_request_id": "1,2"}):  # fmt: skip
        with pytest.raises(GeoReportError) as refused:
            client311.requests(**filters)
        assert refused.value.status == 400
    with pytest.raises(GeoReportError) as unknown:
        client311.request("00000000-0000-0000-0000-000000000000")
    assert unknown.value.status == 404
    response = Client().get(BASE + "services.csv")
    assert response.status_code == 400 and response.json()[0]["code"] == 400
    assert not CitizenReport.objects.exists()


def test_a_jurisdiction_without_the_channel_is_refused(world):
    client = GeoReportClient(Client(), jurisdiction_id="0114")
    with pytest.raises(GeoReportError) as refused:
        client.create(service_code="belysning", lat=59.43, long=17.95, description="Mörkt")
    assert refused.value.status == 400


def test_post_without_jurisdiction_is_placed_by_its_point(world):
    client = GeoReportClient(Client())
    client.create(service_code="klotter", lat=f.LAT, long=f.LON, description="Klotter på muren")
    assert CitizenReport.objects.get().municipality_id == "0180"


def test_post_is_counted_with_the_form(world, settings):
    settings.CITIZEN_REPORTS_PER_ADDRESS = 2
    client = GeoReportClient(Client(REMOTE_ADDR="192.0.2.77"), jurisdiction_id="0180")
    for _ in range(2):
        client.create(service_code="klotter", lat=f.LAT, long=f.LON, description="Klotter")
    with pytest.raises(GeoReportError) as refused:
        client.create(service_code="klotter", lat=f.LAT, long=f.LON, description="Klotter")
    assert refused.value.status == 429
    assert "redan skickat 2 rapporter" in refused.value.errors[0]["description"]


class GeoReportXml:
    """The XML side of the specification (its required format): ``<services><service>``,
    ``<service_definition>``, ``<service_requests><request>`` and ``<errors><error>``,
    UTF-8 with the XML declaration, one element per field, as its examples show."""

    def __init__(self, http: Client) -> None:
        self.http = http

    def get(self, path: str, root: str, item: str, **params) -> list[dict[str, str | None]]:
        return self._parse(self.http.get(BASE + path, params), root, item)

    def post(self, path: str, **fields) -> list[dict[str, str | None]]:
        return self._parse(self.http.post(BASE + path, fields), "service_requests", "request")

    @staticmethod
    def _parse(response, root: str, item: str) -> list[dict[str, str | None]]:
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        body = response.content
        assert body.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
        tree = ElementTree.fromstring(body)
        if response.status_code >= 400:
            assert tree.tag == "errors" and [e.tag for e in tree] == ["error"] * len(tree)
            errors = [{c.tag: c.text for c in e} for e in tree]
            assert all(int(e["code"]) == response.status_code for e in errors)
            raise GeoReportError(response.status_code, errors)
        assert tree.tag == root and all(child.tag == item for child in tree), body
        return [{field.tag: field.text for field in child} for child in tree]


def test_the_same_answers_in_xml(world, client311):
    xml = GeoReportXml(Client(REMOTE_ADDR="192.0.2.51"))
    services_ = xml.get("services.xml", "services", "service")
    assert [s["service_code"] for s in services_] == [
        s["service_code"] for s in client311.services()
    ]
    assert set(services_[0]) >= SERVICE_FIELDS and services_[0]["metadata"] == "false"
    response = Client().get(BASE + "services/belysning.xml")
    definition = ElementTree.fromstring(response.content)
    assert definition.tag == "service_definition"
    assert definition.findtext("service_code") == "belysning"
    assert definition.find("attributes") is not None
    created = xml.post("requests.xml", service_code="belysning", lat=f.LAT, long=f.LON,
                       description="Gatlampan är släckt.", jurisdiction_id="0180")  # fmt: skip
    token = created[0]["token"]
    assert token and xml.get(f"tokens/{token}.xml", "service_requests", "request") == [
        {"token": token}
    ]
    report = CitizenReport.objects.get()
    citizen.report_moderate(report=report, by=world.user("coordinator"), approve=True,
                            public_title="Släckt gatlampa & trasig", public_text="")  # fmt: skip
    listed = xml.get("requests.xml", "service_requests", "request", jurisdiction_id="0180")
    assert len(listed) == 1 and set(listed[0]) >= REQUEST_FIELDS
    got = listed[0]
    assert got["description"] == "Släckt gatlampa & trasig" and got["status"] == "open"
    assert float(got["lat"]) == report.lat and got["media_url"] is None
    assert got == xml.get(f"requests/{got['service_request_id']}.xml", "service_requests",
                          "request")[0]  # fmt: skip
    with pytest.raises(GeoReportError) as unknown:
        xml.get("services/finns-inte.xml", "service_definition", "attribute")
    assert unknown.value.status == 404 and "finns-inte" in unknown.value.errors[0]["description"]
