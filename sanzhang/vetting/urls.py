from django.urls import path

from . import views

app_name = "vetting"

urlpatterns = [
    path("", views.index, name="list"),
    path("new/", views.new, name="new"),
    path("export/", views.export, name="export"),
    path("<int:vetting_id>/", views.detail, name="detail"),
    path("<int:vetting_id>/<slug:move>/", views.act, name="act"),
]
