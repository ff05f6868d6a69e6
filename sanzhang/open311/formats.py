"""GeoReport v2's two formats: the same answer as JSON or as XML, and its error array."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET  # nosec B405 # builds the XML answer only; nothing is parsed
from typing import Any

from django.http import HttpResponse

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# The XML tag of each item of a list, by the list's own tag, as the spec's examples write them.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for tag, inner in value.items():
            _fill(ET.SubElement(element, tag), inner)
    elif isinstance(value, list):
        for item in value:
            _fill(ET.SubElement(element, ITEM_TAGS[element.tag]), item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:  # None stays an empty element, as JSON's null
        # XML 1.0 cannot carry most control characters: one in a resident's words would
        # make the whole feed unreadable.
        element.text = NOT_XML.sub("", str(value))


Body = list[Any] | dict[str, Any]
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render(fmt: str, root: str, body: Body, status: int = 200) -> HttpResponse:
    """`body` in the format `fmt`; in XML under a `root` element (a list's items each in the
    tag ITEM_TAGS gives the root)."""
    if fmt == "json":
        content = json.dumps(body, ensure_ascii=False).encode()
    else:
        element = ET.Element(root)
        _fill(element, body)
        content = ET.tostring(element, encoding="utf-8", xml_declaration=True)
    return HttpResponse(content, content_type=CONTENT_TYPES[fmt], status=status)


def error(fmt: str, status: int, description: str) -> HttpResponse:
    """The spec's error array: [{"code": 403, "description": "..."}], <errors><error>...."""
    return render(fmt, "errors", [{"code": status, "description": description}], status)
