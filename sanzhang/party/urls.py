from django.urls import path

from . import views

app_name = "party"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("export.xlsx", views.tree_xlsx, name="export"),
    path("import/", views.import_page, name="import"),
    path("import/template.csv", views.import_template, name="template"),
    path("<int:pk>/", views.organisation, name="organisation"),
    path("<int:pk>/members/", views.add_member, name="add_member"),
    path("<int:pk>/members/<int:membership>/remove/", views.remove_member, name="remove_member"),
]
