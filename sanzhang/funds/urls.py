from django.urls import path

from . import views

app_name = "funds"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/<int:account_id>/", views.account_page, name="account"),
    path("spendings/", views.spendings, name="spendings"),
    path("spendings/<int:spending_id>/", views.spending_page, name="spending"),
    path("spendings/<int:spending_id>/receipt/", views.receipt, name="receipt"),
    path("allowances/", views.allowances_page, name="allowances"),
]
