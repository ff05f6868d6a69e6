from django.urls import path

from sanzhang.core import offline

from . import resident_views

app_name = "resident"
urlpatterns = [
    path("", resident_views.report, name="report"),
    path("mine/", resident_views.mine, name="mine"),
    path("places/", resident_views.place_choices, name="places"),
    path("map/", resident_views.place_map, name="map"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("similar/", resident_views.similar, name="similar"),
    path("<str:number>/follow/", resident_views.follow_issue, name="follow"),
    path("<str:number>/", resident_views.detail, name="detail"),
]
