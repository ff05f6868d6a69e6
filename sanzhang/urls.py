from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from .api import api
from .core.icon import favicon
from .issues.public_views import place_issues, public_photo
from .issues.rules_views import rules_page
from .security import otp_views, token_views
from .security.views import PasswordChangeView
from .wishes.views import resident_wishes

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="console:home", permanent=False)),
    # Browsers ask for /favicon.ico whatever the page names: answered, not a 404 in every log.
    path("favicon.ico", favicon, name="favicon"),
    path("console/", include("sanzhang.console.urls")),
    path(
        "accounts/password_change/",
        PasswordChangeView.as_view(),
        name="password_change",
    ),
    path("accounts/otp/", otp_views.manage, name="otp"),
    path("accounts/otp/setup/", otp_views.setup, name="otp-setup"),
    path("accounts/otp/verify/", otp_views.verify, name="otp-verify"),
    path("accounts/otp/recovery-codes/", otp_views.recovery_codes, name="otp-recovery-codes"),
    path("accounts/otp/reset/", otp_views.reset, name="otp-reset"),
    path("accounts/tokens/", token_views.tokens, name="tokens"),
    path("accounts/tokens/<int:pk>/revoke/", token_views.revoke_token, name="token-revoke"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("places/", include("sanzhang.places.urls")),
    path("people/", include("sanzhang.people.urls")),
    path("register/", include("sanzhang.register.urls")),
    path("signup/", include("sanzhang.signup.urls")),
    path("posts/", include("sanzhang.posts.urls")),
    path("issues/rules/", rules_page, name="issue_rules"),
    path("issues/", include("sanzhang.issues.urls")),
    path("supervision/", include("sanzhang.supervision.urls")),
    path("visits/", include("sanzhang.visits.urls")),
    path("awards/", include("sanzhang.awards.urls")),
    path("volunteers/", include("sanzhang.volunteers.urls")),
    path("wishes/", include("sanzhang.wishes.urls")),
    path("r/wishes/", resident_wishes, name="resident_wishes"),
    path("points/", include("sanzhang.points.urls")),
    path("party/", include("sanzhang.party.urls")),
    path("councils/", include("sanzhang.councils.urls")),
    path("vetting/", include("sanzhang.vetting.urls")),
    path("training/", include("sanzhang.training.urls")),
    path("evaluations/", include("sanzhang.evaluations.urls")),
    path("partners/", include("sanzhang.partners.urls")),
    path("funds/", include("sanzhang.funds.urls")),
    path("announcements/", include("sanzhang.announcements.urls")),
    path("services/", include("sanzhang.marketplace.urls")),
    path("rotation/", include("sanzhang.rotation.urls")),
    path("notices/", include("sanzhang.notifications.urls")),
    path("r/", include("sanzhang.issues.resident_urls")),
    path("board/<str:code>/issues/", place_issues, name="public_issues"),
    path("board/<str:code>/issues/photos/<int:photo_id>/", public_photo, name="public_photo"),
    path("board/", include("sanzhang.posts.board_urls")),
    path("api/v1/", api.urls),  # /api/… answers too: core/api_version.py
    path("open311/v2/", include("sanzhang.open311.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "sanzhang.core.error_pages.bad_request"
handler403 = "sanzhang.core.error_pages.forbidden"
handler404 = "sanzhang.core.error_pages.not_found"
handler500 = "sanzhang.core.error_pages.server_error"
