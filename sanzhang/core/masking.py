"""Masking (脱敏) of personal data for display: phone 138****5678, ID first 6 + last 4."""


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}****{phone[-4:]}"


def mask_id_number(number: str | None) -> str:
    if not number:
        return ""
    if len(number) <= 10:
        return "*" * len(number)
    return f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}"


def mask_address(address: str | None) -> str:
    """Keep the coarse part (first third) so staff can tell areas apart, hide the door."""
    if not address:
        return ""
    keep = max(1, len(address) // 3)
    return address[:keep] + "****"
