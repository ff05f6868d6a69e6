from django.urls import path

from . import views

app_name = "board"
urlpatterns = [
    path("<str:code>/", views.noticeboard, name="place"),
]
