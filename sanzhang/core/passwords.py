"""Password rules beyond Django's own (MLPS 2.0 asks for complexity)."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = (
    string.ascii_lowercase,
    string.ascii_uppercase,
    string.digits,
)


def _classes_in(password: str) -> int:
    found = sum(any(ch in chars for ch in password) for chars in CLASSES)
    # Anything that is not a letter or digit (punctuation, CJK, space) counts as "other".
    found += any(not ch.isascii() or not ch.isalnum() for ch in password)
    return found


class CharacterClassValidator:
    """At least three of: lower-case, upper-case, digits, other characters."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: object = None) -> None:
        if _classes_in(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _(
            "Your password must mix at least %(count)d of: lower-case letters, upper-case "
            "letters, digits and other characters."
        ) % {"count": self.min_classes}
