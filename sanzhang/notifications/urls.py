from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.open_notice, name="open"),
    path("read/", views.read_all, name="read-all"),
    path("digest/", views.digest_choice, name="digest"),
]
