from django.urls import path

from . import household_views, import_views

app_name = "register"
urlpatterns = [
    path("import/", import_views.upload, name="import"),
    path("import/template.<str:fmt>", import_views.template, name="template"),
    path("export.<str:fmt>", import_views.export, name="export"),
    path("households/<int:pk>/", household_views.detail, name="household"),
    path("households/<int:pk>/move/", household_views.move, name="move"),
    path("households/<int:pk>/moved-away/", household_views.moved_away, name="moved-away"),
]
