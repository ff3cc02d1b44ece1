"""Masking of callers' personal data in lists and exports: 138****5678, 王**."""

from __future__ import annotations

import hashlib


def mask_phone(phone: str | None) -> str | None:
    """Keep the first three and last four digits: 13912345678 → 139****5678."""
    if not phone:
        return phone
    if len(phone) < 8:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_name(name: str | None) -> str | None:
    """Keep the surname: 张晓梅 → 张**, 王先生 → 王**."""
    if not name:
        return name
    return name[0] + "*" * (len(name) - 1)


def phone_key(phone: str | None) -> str | None:
    """The number a caller is found by again, whatever way it was written: its digits, a mainland mobile's
    country code dropped (+86 139…), hashed so the key column shows no number. A lookup key, not a secret:
    the numbers are few enough to hash them all, so who may read the key is still the database's to decide."""
    digits = "".join(c for c in phone or "" if c.isdigit())
    if len(digits) == 13 and digits.startswith("861"):
        digits = digits[2:]
    if len(digits) < 5:
        return None
    return hashlib.sha256(f"hotline-phone:{digits}".encode()).hexdigest()
