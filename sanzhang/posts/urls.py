from django.urls import path

from . import manage_views, views

app_name = "posts"
urlpatterns = [
    path("", views.holder_list, name="list"),
    path("tenure/<int:pk>/card.pdf", views.work_card, name="work-card"),
    path("<int:pk>/", views.post_detail, name="detail"),
    path("appoint/<str:code>/", manage_views.appoint_view, name="appoint"),
    path("tenure/<int:pk>/stand-down/", manage_views.stand_down_view, name="stand-down"),
]
