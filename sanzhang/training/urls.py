from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.home, name="home"),
    path("courses/<int:course_id>/", views.course_page, name="course"),
    path("sessions/<int:session_id>/", views.session_page, name="session"),
    path("sign-in/<str:token>/", views.sign_in_page, name="sign_in"),
    path("records/", views.records_page, name="records"),
    path("mine/", views.mine, name="mine"),
]
