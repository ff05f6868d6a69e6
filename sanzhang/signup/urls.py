from django.urls import path

from . import party_views, views

app_name = "signup"
urlpatterns = [
    path("", views.phone, name="phone"),
    path("code/", views.code, name="code"),
    path("home/", views.home, name="home"),
    path("requests/", views.requests, name="requests"),
    path("requests/<int:pk>/", views.decide, name="decide"),
    path("party/", party_views.register, name="party"),
    path("party/registrations/", party_views.registrations, name="party-registrations"),
    path("party/registrations/<int:pk>/", party_views.decide, name="party-decide"),
]
