from django.http import HttpRequest, HttpResponse


def person_list(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError


def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError
