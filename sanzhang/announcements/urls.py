from django.urls import path

from . import views

app_name = "announcements"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:announcement_id>/", views.read_page, name="read"),
    path("posted/", views.posted, name="posted"),
    path("posted/<int:announcement_id>/", views.detail, name="detail"),
    path("posted/<int:announcement_id>/door/", views.door, name="door"),
]
