"""Routes of the import page (upload, template download); filled in by the importer."""

from django.urls import path

from . import import_views

urlpatterns = [
    path("", import_views.upload, name="import"),
    path("template.<str:fmt>", import_views.template, name="import-template"),
]
