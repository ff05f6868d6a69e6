"""The API tokens page: one's own devices with their last use (revoke a lost phone's), and for
the county office the tokens of its departments' systems (issue one, shown once; revoke)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sanzhang.access.roles import Can, can
from sanzhang.core.errors import Refusal
from sanzhang.core.http import AuthedRequest
from sanzhang.people.models import User

from .models import ApiToken
from .otp import totp_role
from .tokens import issue, issued_by, live, revoke, system_accounts


class SystemTokenForm(forms.Form):
    account: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=User.objects.none(), label=gettext_lazy("account")
    )
    name = forms.CharField(label=gettext_lazy("system"), max_length=60)

    def __init__(self, *args, accounts, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts  # type: ignore[attr-defined]
        self.fields["account"].label_from_instance = lambda user: (  # type: ignore[attr-defined]
            f"{user.organisation.name if user.organisation else ''} · {user.get_username()}"
        )


@login_required
@never_cache  # a token shown once must not be kept by the browser
@require_http_methods(["GET", "POST"])
def tokens(request: AuthedRequest) -> HttpResponse:
    office = can(request.user, Can.ISSUE_SYSTEM_TOKENS)
    form = SystemTokenForm(request.POST or None, accounts=system_accounts(request.user))
    shown = ""
    if request.method == "POST":
        if not office:
            raise Http404
        if form.is_valid():
            try:
                _token, shown = issue(
                    form.cleaned_data["account"],
                    name=form.cleaned_data["name"],
                    kind=ApiToken.Kind.SYSTEM,
                    by=request.user,
                )
            except Refusal as refusal:
                form.add_error(None, refusal.message)
            else:
                form = SystemTokenForm(accounts=system_accounts(request.user))
    context = {
        "mine": live(request.user.pk),
        "office": office,
        "systems": issued_by(request.user) if office else [],
        "form": form,
        "shown": shown,
        "totp": totp_role(request.user),
    }
    return render(request, "security/tokens.html", context)


@login_required
@require_POST
def revoke_token(request: AuthedRequest, pk: int) -> HttpResponse:
    """Revoke one's own token, or (the county office) a system's token it issued."""
    mine = live(request.user.pk)
    theirs = issued_by(request.user) if can(request.user, Can.ISSUE_SYSTEM_TOKENS) else mine
    token = get_object_or_404(mine | theirs, pk=pk)
    revoke(token, request.user)
    messages.success(request, _("The token was revoked: it opens nothing any more."))
    return redirect("tokens")
