"""Every route of the site, read from the URL configuration (pages and the ninja API alike),
so a test can insist that each one has a scope test or a stated reason not to."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    """One URL pattern: its namespaced name, its full path pattern, and its converters."""

    name: str
    path: str
    converters: dict[str, str]
    methods: frozenset[str] | None  # known only for API operations


def _api_methods() -> dict[str, frozenset[str]]:
    """The HTTP methods of each API operation, by its URL name (ninja names a route after its
    view function; two operations on one path share a URL pattern each)."""
    from sanzhang.api import api

    methods: dict[str, set[str]] = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                name = f"api:{operation.view_func.__name__}"
                methods.setdefault(name, set()).update(operation.methods)
    return {name: frozenset(found) for name, found in methods.items()}


Found = tuple[str, str, dict[str, str]]


def _converters(pattern: URLPattern | URLResolver) -> dict[str, str]:
    """{argument: converter} of one pattern, e.g. {"wish_id": "int"} (regex patterns: none)."""
    return {
        arg: type(converter).__name__.removesuffix("Converter").lower()
        for arg, converter in getattr(pattern.pattern, "converters", {}).items()
    }


def _walk(
    resolver: URLResolver, prefix: str, namespace: str, given: dict[str, str]
) -> Iterator[Found]:
    """(namespaced name, full path pattern, converters) of every pattern under `resolver`."""
    for pattern in resolver.url_patterns:
        path = prefix + str(pattern.pattern)
        converters = given | _converters(pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern, path, inner, converters)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or path  # an unnamed route goes by its path
            if namespace and pattern.name:
                name = f"{namespace}:{name}"
            yield name, path, converters


def routes() -> list[Route]:
    """Every route, once per name (the first pattern wins, as in `reverse`)."""
    methods = _api_methods()
    found: dict[str, Route] = {}
    for name, path, converters in _walk(get_resolver(), "/", "", {}):
        found.setdefault(name, Route(name, path, converters, methods.get(name)))
    return list(found.values())
