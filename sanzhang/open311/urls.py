"""GeoReport v2 at /open311/v2/: every resource as `<name>.json` or `<name>.xml`."""

from django.urls import path, register_converter

from . import views


class FormatConverter:
    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "fmt")

app_name = "open311"
urlpatterns = [
    path("discovery.<fmt:fmt>", views.discovery, name="discovery"),
    path("services.<fmt:fmt>", views.service_list, name="services"),
    path("services/<slug:code>.<fmt:fmt>", views.service_definition, name="service"),
    path("requests.<fmt:fmt>", views.requests, name="requests"),
    path("requests/<slug:number>.<fmt:fmt>", views.one_request, name="request"),
    path("tokens/<slug:token>.<fmt:fmt>", views.token, name="token"),
]
