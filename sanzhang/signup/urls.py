from django.urls import path

from . import invite_views, party_views, views

app_name = "signup"
urlpatterns = [
    path("", views.phone, name="phone"),
    path("code/", views.code, name="code"),
    path("home/", views.home, name="home"),
    path("requests/", views.requests, name="requests"),
    path("requests/<int:pk>/", views.decide, name="decide"),
    path("invitations/", invite_views.invitations, name="invitations"),
    path("invitations/<int:pk>/withdraw/", invite_views.withdraw_view, name="withdraw"),
    path("invite/<str:token>/", invite_views.accept_view, name="accept"),
    path("party/", party_views.register, name="party"),
    path("party/registrations/", party_views.registrations, name="party-registrations"),
    path("party/registrations/<int:pk>/", party_views.decide, name="party-decide"),
]
