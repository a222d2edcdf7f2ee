"""The OpenAPI schema documents every error an operation answers, in the shape DRF writes it."""

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from tna.factories import AgencyFactory, EmployeeFactory

WRITES = ("post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method in ("get", *WRITES):
                yield path, method, operation


def test_every_operation_documents_its_refusals(schema):
    public = {("/api/v1/certificates/{code}/", "get")}  # anyone may check a certificate
    for path, method, operation in operations(schema):
        codes = set(operation["responses"])
        where = "%s %s" % (method.upper(), path)
        assert "429" in codes, where
        assert "Retry-After" in operation["responses"]["429"]["headers"], where
        if (path, method) not in public:
            assert "403" in codes, where
        if "{" in path:
            assert "404" in codes, where
        if method in WRITES:
            assert "400" in codes, where


def test_the_error_bodies_are_the_shared_components(schema):
    components = schema["components"]["schemas"]
    assert components["ApiError"]["required"] == ["detail"]
    assert "additionalProperties" in components["ApiValidationError"]  # field errors, one list per field
    response = schema["paths"]["/api/v1/enrollments/{id}/approve/"]["post"]["responses"]["400"]
    assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ApiValidationError"}


@pytest.mark.django_db
def test_what_the_api_answers_is_what_the_schema_says(client, schema):
    """A refusal of each kind, checked against the documented codes and the error component's fields."""
    person = EmployeeFactory(agency=AgencyFactory(code="kota-contoh"))
    anonymous = client.get("/api/v1/enrollments/")
    client.force_login(person.user)
    missing = client.get("/api/v1/enrollments/999999/")
    invalid = client.post("/api/v1/enrollments/", {"session": 999999}, content_type="application/json")
    bad_filter = client.get("/api/v1/enrollments/?status=nonsense")
    for response, path, method in ((anonymous, "/api/v1/enrollments/", "get"),
                                   (missing, "/api/v1/enrollments/{id}/", "get"),
                                   (invalid, "/api/v1/enrollments/", "post"),
                                   (bad_filter, "/api/v1/enrollments/", "get")):
        documented = schema["paths"][path][method]["responses"]
        assert str(response.status_code) in documented, (method, path, response.status_code)
        assert response["Content-Type"] == "application/json"
    assert (anonymous.status_code, missing.status_code, invalid.status_code, bad_filter.status_code) == (
        403, 404, 400, 400)
    assert set(anonymous.json()) == {"detail"} and set(missing.json()) == {"detail"}
    assert invalid.json()["session"] and bad_filter.json()["status"]


def test_the_schema_is_served(client, db):
    response = client.get(reverse("schema"))
    assert response.status_code == 200
    assert b"ApiValidationError" in response.content
