from django.urls import path

from . import views

app_name = "councils"

urlpatterns = [
    path("", views.council_list, name="list"),
    path("set-up/", views.set_up, name="set-up"),
    path("<int:council_id>/", views.council_detail, name="council"),
    path("<int:council_id>/<slug:action>/", views.council_act, name="council-act"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/<slug:action>/", views.meeting_act, name="meeting-act"),
    path("board/<str:code>/", views.board, name="board"),
]
