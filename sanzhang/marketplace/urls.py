from django.urls import path

from . import signin, views

app_name = "marketplace"

urlpatterns = [
    path("", views.browse, name="browse"),
    path("apply/", views.apply, name="apply"),
    path("sign-in/", signin.phone, name="sign_in"),
    path("sign-in/code/", signin.code, name="sign_in_code"),
    path("listings/<int:listing_id>/book/", views.book, name="book"),
    path("bookings/", views.mine, name="mine"),
    path("bookings/<int:booking_id>/", views.booking, name="booking"),
    path("bookings/<int:booking_id>/<slug:action>/", views.act, name="act"),
    path(
        "bookings/<int:booking_id>/photos/<int:photo_id>/",
        views.booking_photo,
        name="booking_photo",
    ),
    path("merchants/", views.staff, name="staff"),
    path("applications/<int:application_id>/", views.application, name="application"),
    path("applications/<int:application_id>/licence/", views.licence, name="licence"),
    path("applications/<int:application_id>/<slug:action>/", views.decide, name="decide"),
    path("listings/<int:listing_id>/<slug:action>/", views.suspend, name="suspend"),
]
