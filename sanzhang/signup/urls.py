from django.urls import path

from . import views

app_name = "signup"
urlpatterns = [
    path("", views.phone, name="phone"),
    path("code/", views.code, name="code"),
    path("home/", views.home, name="home"),
    path("requests/", views.requests, name="requests"),
    path("requests/<int:pk>/", views.decide, name="decide"),
]
