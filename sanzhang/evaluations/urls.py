from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("", views.home, name="home"),
    path("open/", views.open_new, name="open"),
    path("vote/", views.vote, name="vote"),
    path("mine/", views.mine, name="mine"),
    path("<int:period_id>/", views.results, name="results"),
    path("<int:period_id>/close/", views.close, name="close"),
    path("<int:period_id>/export/", views.export, name="export"),
]
