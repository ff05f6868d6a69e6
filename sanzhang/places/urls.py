from django.urls import include, path

from . import views

app_name = "places"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("search/", views.search, name="search"),
    path("import/", include("sanzhang.places.import_urls")),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/coverage/", views.coverage, name="coverage"),
]
