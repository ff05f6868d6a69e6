"""The OpenAPI document describes what the API really sends: one schema per name; it is
served only to signed-in users in production."""

from __future__ import annotations

import inspect
from collections import defaultdict
from collections.abc import Iterator
from typing import Any, get_args

import pytest
from django.test import Client
from ninja.openapi.schema import REF_TEMPLATE, NinjaGenerateJsonSchema
from pydantic import BaseModel

from sanzhang.api import api
from sanzhang.security import tokens


def _operations() -> Iterator[Any]:
    for router in api._get_bound_routers():
        for view in router.path_operations.values():
            yield from view.operations


def _models(annotation: Any, seen: set[type[BaseModel]]) -> Iterator[type[BaseModel]]:
    """Every pydantic model an annotation names, nested ones too."""
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        yield annotation
        for field in annotation.model_fields.values():
            yield from _models(field.annotation, seen)
    for argument in get_args(annotation):
        yield from _models(argument, seen)


def _schema_classes() -> dict[str, set[str]]:
    """Each class name the operations reach, with the distinct schemas classes of that name
    give (pagination builds a fresh `PagedX` class per list operation: equal ones are fine)."""
    seen: set[type[BaseModel]] = set()
    by_name: dict[str, set[str]] = defaultdict(set)
    for operation in _operations():
        roots = [*operation.models, *operation.response_models.values()]
        for root in roots:
            for model in _models(root, seen):
                schema = model.model_json_schema(
                    ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema
                )
                by_name[model.__name__].add(f"{model.__module__}: {sorted(schema.items())}")
    return by_name


def test_no_two_schemas_in_the_document_share_a_name() -> None:
    named = api.get_openapi_schema()["components"]["schemas"]
    by_name = _schema_classes()
    assert set(named) <= set(by_name), "the walk must reach every schema the document names"
    shared = {
        name: sorted(kinds) for name, kinds in by_name.items() if name in named and len(kinds) > 1
    }
    assert shared == {}


def test_one_error_schema_for_every_refusal() -> None:
    document = api.get_openapi_schema()
    refs = {
        answer["content"]["application/json"]["schema"].get("$ref")
        for path in document["paths"].values()
        for operation in path.values()
        for status, answer in operation["responses"].items()
        if int(status) >= 400
    }
    assert refs == {"#/components/schemas/ErrorOut"}


def test_every_operation_that_takes_input_documents_its_422_with_the_error_shape() -> None:
    document = api.get_openapi_schema()
    undocumented = [
        f"{method.upper()} {path}"
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if (operation.get("parameters") or "requestBody" in operation)
        and operation["responses"].get(422, {}).get("content", {}).get("application/json", {})
        != {"schema": {"$ref": "#/components/schemas/ErrorOut"}}
    ]
    assert undocumented == []
    error = document["components"]["schemas"]["ErrorOut"]
    assert set(error["properties"]) == {"detail", "errors"}
    assert error["required"] == ["detail"]


@pytest.mark.django_db
def test_the_document_and_docs_need_a_sign_in_in_production(settings, county_officer) -> None:
    """With DEBUG off an anonymous browser is sent to log in (and back), as on any page; a
    signed-in user or a live bearer token gets the document. Development leaves it open."""
    settings.DEBUG = False
    for path in ["/api/openapi.json", "/api/docs"]:
        answer = Client().get(path)
        assert answer.status_code == 302
        assert answer["Location"] == f"/accounts/login/?next={path}"
    assert Client().get("/api/openapi.json", HTTP_AUTHORIZATION="Bearer sz_0").status_code == 302
    signed_in = Client()
    signed_in.force_login(county_officer)
    assert "paths" in signed_in.get("/api/openapi.json").json()
    assert signed_in.get("/api/docs").status_code == 200
    _token, secret = tokens.issue(county_officer, name="x")
    answer = Client().get("/api/openapi.json", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.status_code == 200
    settings.DEBUG = True
    assert Client().get("/api/openapi.json").status_code == 200


def test_the_api_lives_under_its_version_and_answers_the_old_paths_too(client, settings) -> None:
    """/api/v1/ is what the document names; a phone installed before the prefix still calls
    /api/… and gets the same answers; every answer says its version."""
    settings.DEBUG = True  # the document is public in development
    document = client.get("/api/v1/openapi.json")
    assert document.status_code == 200 and document["API-Version"] == "1"
    paths = list(document.json()["paths"])
    assert paths and all(path.startswith("/api/v1/") for path in paths)
    old = client.get("/api/issues/")
    new = client.get("/api/v1/issues/")
    assert old.status_code == new.status_code == 401
    assert old.json() == new.json() and old["API-Version"] == "1"
    assert client.get("/board/").get("API-Version") is None
