from django.urls import path

from . import views

app_name = "rotation"

urlpatterns = [
    path("", views.home, name="home"),
    path("posts/<int:post_id>/plan/", views.plan_page, name="plan"),
    path("plans/<int:pk>/cancel/", views.cancel_page, name="cancel"),
    path("rules/", views.rules_page, name="rules"),
]
