from django.urls import path

from sanzhang.core import offline

from . import views

app_name = "visits"
urlpatterns = [
    path("", views.record, name="record"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("coverage/", views.coverage_home, name="coverage_home"),
    path("coverage/<str:code>/", views.coverage_page, name="coverage"),
]
