from django.urls import include, path

from . import manage_views, views

app_name = "places"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("search/", views.search, name="search"),
    path("import/", include("sanzhang.places.import_urls")),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/coverage/", views.coverage, name="coverage"),
    path("<str:code>/edit/", manage_views.edit, name="edit"),
]
