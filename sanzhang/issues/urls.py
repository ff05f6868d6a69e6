from django.urls import path

from . import meeting_views, views

app_name = "issues"
urlpatterns = [
    path("", views.my_work, name="work"),
    path("new/", views.record, name="record"),
    path("places/", views.place_choices, name="places"),
    path("meetings/", meeting_views.meeting_list, name="meetings"),
    path("meetings/<int:meeting_id>/", meeting_views.meeting_detail, name="meeting"),
    path("<str:number>/", views.issue_detail, name="detail"),
    path("<str:number>/photos/<int:photo_id>/", views.photo, name="photo"),
    path("<str:number>/hide/", views.hide_from_public, name="hide"),
    path("<str:number>/<str:action>/", views.act, name="act"),
]
