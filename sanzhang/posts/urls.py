from django.urls import path

from . import views

app_name = "posts"
urlpatterns = [
    path("tenure/<int:pk>/card.pdf", views.work_card, name="work-card"),
    path("<int:pk>/", views.post_detail, name="detail"),
]
