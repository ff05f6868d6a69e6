"""Pages of the service micro-platform: residents browse and book, merchants answer their own
bookings, staff check, list, review and suspend merchants. Rules live in listing.py and
bookings.py; these pages read forms and show what they answer."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sanzhang.access.roles import Can, can, require_or_404
from sanzhang.access.scope import get_visible_or_404
from sanzhang.audit.services import record as audit
from sanzhang.core.errors import Refusal
from sanzhang.core.http import AuthedRequest, photo_response
from sanzhang.places.models import Place, PlaceKind
from sanzhang.signup.codes import normalise_phone

from . import bookings, listing
from .forms import ApplyForm, BookForm, ComplainForm, MoveForm, RateForm, RefuseForm
from .models import Application, Booking, BookingPhoto, ServiceKind


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    """The public application page: a county first, then the form with its communities."""
    county = (
        Place.objects.active()
        .filter(kind=PlaceKind.COUNTY, code=request.GET.get("county", ""))
        .first()
    )
    if county is None:
        counties = Place.objects.active().filter(kind=PlaceKind.COUNTY).order_by("code")
        return render(request, "marketplace/apply_county.html", {"counties": counties})
    communities = listing.communities_of(county).order_by("code")
    form = ApplyForm(
        request.POST or None,
        request.FILES or None,
        communities=communities,
        initial={"token": secrets.token_hex(16)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            listing.apply(
                token=data["token"],
                business_name=data["business_name"],
                contact_name=data["contact_name"],
                phone=normalise_phone(data["phone"]),
                services=data["services"],
                prices=data["prices"],
                county=county,
                communities=list(data["communities"]),
                licence=data["licence"],
            )
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            return render(request, "marketplace/applied.html", {"county": county})
    return render(request, "marketplace/apply.html", {"form": form, "county": county})


@login_required
def browse(request: AuthedRequest) -> HttpResponse:
    """The listings of the resident's community, by service kind."""
    require_or_404(request.user, Can.BOOK_SERVICES)
    kind = request.GET.get("kind", "")
    shown = bookings.visible_listings(request.user)
    found = [
        row
        for row in shown[:200]
        if kind not in ServiceKind.values or kind in row.merchant.services
    ]
    averages = listing.recent_averages({row.merchant_id for row in found})
    rows = [(row, averages.get(row.merchant_id)) for row in found]
    context = {
        "rows": rows,
        "kinds": ServiceKind.choices,
        "kind": kind,
        "community": bookings.home_community(request.user),
    }
    return render(request, "marketplace/browse.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def book(request: AuthedRequest, listing_id: int) -> HttpResponse:
    require_or_404(request.user, Can.BOOK_SERVICES)
    chosen = get_visible_or_404(bookings.visible_listings(request.user), pk=listing_id)
    form = BookForm(request.POST or None, initial={"token": secrets.token_hex(16)})
    offered = set(chosen.merchant.services)
    form.fields["service"].choices = [c for c in ServiceKind.choices if c[0] in offered]  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = bookings.book(
                request.user,
                chosen,
                token=data["token"],
                service=data["service"],
                wanted_at=data["wanted_at"],
                problem=data["problem"],
                photos=request.FILES.getlist("photos"),
                request=request,
            )
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Booked: the merchant will answer."))
            return redirect("marketplace:booking", booking_id=made.pk)
    return render(request, "marketplace/book.html", {"listing": chosen, "form": form})


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    """A resident's bookings, or a merchant's (我的预约)."""
    is_merchant = can(request.user, Can.SERVE_BOOKINGS)
    if not is_merchant:
        require_or_404(request.user, Can.BOOK_SERVICES)
    rows = bookings.bookings_for(request.user).select_related("listing__merchant")[:200]
    return render(request, "marketplace/mine.html", {"rows": rows, "is_merchant": is_merchant})


def _booking(request: AuthedRequest, booking_id: int) -> Booking:
    return get_visible_or_404(
        bookings.bookings_for(request.user).select_related("listing__merchant", "household"),
        pk=booking_id,
    )


@login_required
def booking(request: AuthedRequest, booking_id: int) -> HttpResponse:
    found = _booking(request, booking_id)
    is_resident = found.resident_id == request.user.pk
    context = {
        "booking": found,
        "is_resident": is_resident,
        "events": found.events.all(),
        "photos": found.photos.all(),
        "move_form": MoveForm(),
        "rate_form": RateForm(),
        "complain_form": ComplainForm(),
        "contact": found.listing.merchant.phone if is_resident else None,
    }
    return render(request, "marketplace/booking.html", context)


@login_required
@require_POST
def act(request: AuthedRequest, booking_id: int, action: str) -> HttpResponse:
    found = _booking(request, booking_id)
    try:
        if action == "rate":
            rate = RateForm(request.POST)
            if not rate.is_valid():
                raise _Bad(_("Choose 1 to 5 stars."))
            bookings.rate(request.user, found, request=request, **rate.cleaned_data)
            messages.success(request, _("Thank you for rating."))
        elif action == "complain":
            complaint = ComplainForm(request.POST)
            if not complaint.is_valid():
                raise _Bad(_("Say what went wrong."))
            issue = bookings.complain(
                request.user, found, words=complaint.cleaned_data["words"], request=request
            )
            messages.success(
                request, _("Your complaint is issue %(number)s.") % {"number": issue.number}
            )
        elif action in bookings.ACTIONS:
            form = MoveForm(request.POST)
            if not form.is_valid():
                raise _Bad(_("Check the time and the note."))
            bookings.move(request.user, found, action, request=request, **form.cleaned_data)
            messages.success(request, _("Done."))
        else:
            raise Http404
    except (Refusal, _Bad) as refusal:
        messages.error(request, refusal.message)
    return redirect("marketplace:booking", booking_id=found.pk)


class _Bad(Exception):
    def __init__(self, message: str) -> None:
        self.message = message


@login_required
def booking_photo(request: AuthedRequest, booking_id: int, photo_id: int) -> FileResponse:
    found = _booking(request, booking_id)
    photo = get_visible_or_404(BookingPhoto.objects.filter(booking=found), pk=photo_id)
    return photo_response(photo.image)


@login_required
def staff(request: AuthedRequest) -> HttpResponse:
    """Staff's page (服务商家): applications to check, listings to review, all listings."""
    require_or_404(request.user, Can.LIST_MERCHANTS)
    context = {
        "pending": listing.waiting_for(request.user),
        "review": listing.to_review(request.user),
        "listings": listing.listings_for(request.user).order_by("community__code")[:500],
    }
    return render(request, "marketplace/staff.html", context)


def _application(request: AuthedRequest, application_id: int) -> Application:
    require_or_404(request.user, Can.LIST_MERCHANTS)
    return get_visible_or_404(listing.applications_for(request.user), pk=application_id)


@login_required
def application(request: AuthedRequest, application_id: int) -> HttpResponse:
    found = _application(request, application_id)
    audit("marketplace.application_viewed", request=request, obj=found)  # the phone is shown
    context = {
        "application": found,
        "communities": found.communities.order_by("code"),
        "services": [str(dict(ServiceKind.choices).get(s, s)) for s in found.services],
        "form": RefuseForm(),
        "known": listing.merchant_of_phone(found),
    }
    return render(request, "marketplace/application.html", context)


@login_required
def licence(request: AuthedRequest, application_id: int) -> FileResponse:
    return photo_response(_application(request, application_id).licence)


@login_required
@require_POST
def decide(request: AuthedRequest, application_id: int, action: str) -> HttpResponse:
    found = _application(request, application_id)
    try:
        if action == "list":
            listing.list_merchant(request.user, found, request=request)
            messages.success(request, _("Listed in your communities."))
        elif action == "refuse":
            form = RefuseForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            listing.refuse(request.user, found, reason=reason, request=request)
            messages.success(request, _("Refused; the reason is kept."))
        else:
            raise Http404
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect("marketplace:application", application_id=found.pk)
    return redirect("marketplace:staff")


@login_required
@require_POST
def suspend(request: AuthedRequest, listing_id: int, action: str) -> HttpResponse:
    require_or_404(request.user, Can.LIST_MERCHANTS)
    found = get_visible_or_404(listing.listings_for(request.user), pk=listing_id)
    if action not in ("suspend", "restore"):
        raise Http404
    try:
        listing.suspend(request.user, found, suspended=action == "suspend", request=request)
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Saved."))
    return redirect("marketplace:staff")
