"""`manage.py demo_accounts`: create (or refresh) one login per role and print them."""

from django.core.management.base import BaseCommand

from sanzhang.demo.accounts import DEMO_PASSWORD, ensure_demo_accounts
from sanzhang.security.otp import demo_device, secret_text, totp_role


class Command(BaseCommand):
    help = "Create one demo login per role and print where each should start."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    def handle(self, *args: object, base_url: str, **options: object) -> None:
        rows = ensure_demo_accounts()
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})\n")
        self.stdout.write(f"{'user':<10} {'role':<16} {'start at':<34} sees")
        for account, user in rows:
            url = base_url + account.start_at
            self.stdout.write(
                f"{user.username:<10} {account.role:<16} {url:<34} {account.description}"
            )
        # The office and the administrators sign in with a second factor: a tester adds the
        # secret (or the otpauth:// link, as a QR code) to an authenticator app. The device is
        # kept across runs; the recovery codes are new each run (only their hashes are kept).
        self.stdout.write("\nTwo-factor sign-in (TOTP) after the password:")
        self.stdout.write(f"{'user':<10} {'secret for the authenticator app':<42} recovery code")
        for _account, user in rows:
            if totp_role(user):
                device, recovery = demo_device(user)
                self.stdout.write(f"{user.username:<10} {secret_text(device):<42} {recovery}")
                self.stdout.write(f"{'':<10} {device.config_url}")
        self.stdout.write(
            f"\nLog in at {base_url}/accounts/login/ . Public noticeboard, no login: "
            f"{base_url}/board/GC.C01.G01.B001.U1/ . API docs: {base_url}/api/v1/docs\n"
            f"A merchant of the service micro-platform signs in by phone code at "
            f"{base_url}/services/sign-in/ with 13700000000 (the code is in var/dev-sms.txt).\n"
        )
