from django.urls import path

from . import views

app_name = "wishes"
urlpatterns = [
    path("", views.home, name="home"),
    path("open/", views.browse, name="browse"),
    path("open/places/", views.place_choices, name="places"),
    path("claimed/", views.claimed, name="claimed"),
    path("review/", views.review, name="review"),
    path("new/", views.new, name="new"),
    path("at/<str:code>/", views.at_place, name="place"),
    path("at/<str:code>/export/", views.export, name="export"),
    path("<int:wish_id>/", views.detail, name="detail"),
    path("<int:wish_id>/photo/", views.photo, name="photo"),
    path("<int:wish_id>/<slug:action>/", views.act, name="act"),
]
