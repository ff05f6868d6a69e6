"""Checking a JSON answer against the API's own OpenAPI document, for tests.

A small subset of JSON Schema (what django-ninja writes for our schemas: $ref, type,
properties, required, items, anyOf, enum), so the tests need no validator package."""

from __future__ import annotations

from typing import Any

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def documented(path: str) -> str:
    """The document's key for `path` as a client may call it (/api/… is v1: core/api_version)."""
    return path if path.startswith("/api/v1/") else "/api/v1/" + path.removeprefix("/api/")


def response_schema(document: dict[str, Any], path: str, method: str, status: int) -> dict:
    """The schema the document gives for one answer of one operation."""
    path = documented(path)
    # Keys are ints in `api.get_openapi_schema()` and strings once served as JSON.
    answers = {
        str(code): answer for code, answer in document["paths"][path][method]["responses"].items()
    }
    assert str(status) in answers, f"{method.upper()} {path} does not document {status}"
    return resolve(document, answers[str(status)]["content"]["application/json"]["schema"])


def problems(document: dict[str, Any], value: Any, schema: dict[str, Any], at: str = "") -> list:
    """Where `value` breaks `schema` (empty when it conforms)."""
    schema = resolve(document, schema)
    if "anyOf" in schema:
        if any(not problems(document, value, option, at) for option in schema["anyOf"]):
            return []
        return [f"{at or '.'}: {value!r} matches none of {schema['anyOf']}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{at or '.'}: {value!r} not in {schema['enum']}"]
    kind = schema.get("type")
    if kind is not None:
        allowed = _TYPES[kind]
        if not isinstance(value, allowed) or (kind in ("integer", "number") and value is True):
            return [f"{at or '.'}: {value!r} is not {kind}"]
    found: list[str] = []
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        found += [
            f"{at}.{name}: missing" for name in schema.get("required", []) if name not in value
        ]
        for name, item in value.items():
            if name in properties:
                found += problems(document, item, properties[name], f"{at}.{name}")
            elif schema.get("additionalProperties") is False:
                found.append(f"{at}.{name}: not in the schema")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found += problems(document, item, schema["items"], f"{at}[{index}]")
    return found
