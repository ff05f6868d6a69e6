from django.urls import path

from . import views

app_name = "points"
urlpatterns = [
    path("", views.ranking_home, name="home"),
    path("mine/", views.mine, name="mine"),
    path("members/<int:person_id>/", views.member, name="member"),
    path("rules/", views.rules_page, name="rules"),
    path("ranking/<str:code>/", views.ranking_page, name="ranking"),
    path("ranking/<str:code>/export/", views.ranking_export, name="ranking_export"),
]
