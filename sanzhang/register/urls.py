from django.urls import path

from . import editing_views, household_views, import_views

app_name = "register"
urlpatterns = [
    path("import/", import_views.upload, name="import"),
    path("import/template.<str:fmt>", import_views.template, name="template"),
    path("export.<str:fmt>", import_views.export, name="export"),
    path("households/<int:pk>/", household_views.detail, name="household"),
    path("households/new/", editing_views.household_new, name="household-new"),
    path("households/<int:pk>/edit/", editing_views.household_edit, name="household-edit"),
    path("households/<int:pk>/residents/new/", editing_views.resident_new, name="resident-new"),
    path("residents/<int:pk>/edit/", editing_views.resident_edit, name="resident-edit"),
    path("households/<int:pk>/move/", household_views.move, name="move"),
    path("households/<int:pk>/moved-away/", household_views.moved_away, name="moved-away"),
]
