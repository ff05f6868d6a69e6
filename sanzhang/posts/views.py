from django.http import HttpRequest, HttpResponse


def work_card(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError


def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError


def noticeboard(request: HttpRequest, code: str) -> HttpResponse:
    raise NotImplementedError
