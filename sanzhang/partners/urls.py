from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.unit_list, name="list"),
    path("units/<int:unit_id>/", views.unit_page, name="unit"),
    path("bindings/<int:binding_id>/end/", views.end_binding, name="end-binding"),
    path("agreements/<int:agreement_id>/", views.agreement_page, name="agreement"),
    path("agreements/<int:agreement_id>/<slug:action>/", views.agreement_act, name="agreement-act"),
    path("overview/", views.overview, name="overview"),
]
