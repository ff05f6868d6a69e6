from django.http import HttpRequest, HttpResponse


def browse(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def search(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def detail(request: HttpRequest, code: str) -> HttpResponse:
    raise NotImplementedError


def coverage(request: HttpRequest, code: str) -> HttpResponse:
    raise NotImplementedError
