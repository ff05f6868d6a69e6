"""Keep full phone and ID numbers out of logs (SECURITY.md promise 10).

People type their phone number into the user-name field, and the audit log keeps the name
attempted, so it is masked first. (django-axes already hides user names in its log lines:
AXES_SENSITIVE_PARAMETERS.)
"""

import re

from sanzhang.core.masking import mask_id_number, mask_phone

# Mainland mobile numbers (11 digits from 1) and resident ID numbers (17 digits and a check
# character), not glued to other digits.
PHONE = re.compile(r"(?<!\d)1\d{10}(?!\d)")
ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


def redact(text: str) -> str:
    """`text` with every phone and ID number in it masked as on screen."""
    text = ID_NUMBER.sub(lambda match: mask_id_number(match.group()), text)
    return PHONE.sub(lambda match: mask_phone(match.group()), text)
