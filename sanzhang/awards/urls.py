from django.urls import path

from . import views

app_name = "awards"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("<int:campaign_id>/", views.campaign, name="campaign"),
    path("<int:campaign_id>/<slug:action>/", views.act, name="act"),
]
