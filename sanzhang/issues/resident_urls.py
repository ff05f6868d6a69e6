from django.urls import path

from . import resident_views

app_name = "resident"
urlpatterns = [
    path("", resident_views.report, name="report"),
    path("mine/", resident_views.mine, name="mine"),
    path("<str:number>/", resident_views.detail, name="detail"),
]
